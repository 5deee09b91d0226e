/// The echo server models uringbench runs itself (SwiftNIO's is the separate `nio-echo` binary).
public enum EchoEngine: String, CaseIterable, Sendable, Codable {
    /// Reactor: level-triggered epoll_wait, then recv and send on each ready socket.
    case epoll
    /// Proactor: single-shot accept, recv and send SQEs, no ring setup flags (the seed's server).
    case io_uring
    /// Multishot accept + multishot recv into a provided-buffer ring, plus the ring flags that
    /// help one thread on this kernel (SINGLE_ISSUER, DEFER_TASKRUN or COOP_TASKRUN).
    case io_uring_multishot

    public var summary: String {
        switch self {
        case .epoll: return "epoll (level-triggered), recv then send per ready socket"
        case .io_uring: return "io_uring: single-shot accept/recv/send SQEs, no setup flags"
        case .io_uring_multishot: return "io_uring: multishot accept + multishot recv, provided-buffer ring"
        }
    }
}
