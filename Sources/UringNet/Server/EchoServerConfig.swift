/// What an echo server listens on and how it treats its clients.
public struct EchoServerConfig: Sendable {
    public var engine: EchoEngine
    public var host = "127.0.0.1"
    public var port = 0                          // 0: a free port, reported by `EchoServer.port`
    public var threads = 1                       // one listener and one loop per thread (SO_REUSEPORT)
    public var cpus: [Int] = []                  // thread i is pinned to cpus[i % count]; empty: not pinned
    public var maxFrame: UInt32 = 1 << 20        // a longer frame header closes that connection
    public var raw = false                       // plain bytes, no frame headers checked
    public var idleTimeoutNanoseconds: UInt64 = 0  // 0: never close idle connections
    public var bufferSize = 16 * 1024            // per-connection buffer (epoll, io_uring), ring buffer size (multishot)
    public var ringBuffers = 4096                // provided buffers per thread (multishot), a power of two
    public var ringEntries: UInt32 = 1024        // SQ entries per ring
    public var ringFlags: RingFlagChoice = .auto   // io_uring_multishot's setup flags

    public init(engine: EchoEngine) { self.engine = engine }
}

/// Setup flags for io_uring_multishot: `auto` takes the best the kernel accepts.
public enum RingFlagChoice: String, CaseIterable, Sendable {
    case auto          // SINGLE_ISSUER+DEFER_TASKRUN, else COOP_TASKRUN+TASKRUN_FLAG, else none
    case defer_taskrun = "defer"   // SINGLE_ISSUER+DEFER_TASKRUN only
    case coop          // COOP_TASKRUN+TASKRUN_FLAG only
    case none          // no setup flags
}
