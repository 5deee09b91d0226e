/// The QPS client's job: `threads` share `connections`, each connection keeps one request in
/// flight, `requests` round trips in all (the seed client's -t -c -n).
public struct TCPQPSConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 9999
    public var threads = 1
    public var connections = 1
    public var requests = 10_000
    public var sizeMin = 512                          // payload bytes; a request picks uniformly in
    public var sizeMax = 512                          // [sizeMin, sizeMax]
    public var raw = false                            // no 4-byte length header
    public var requestTimeoutNanoseconds: UInt64 = 5_000_000_000
    public var maxTimeNanoseconds: UInt64 = 0         // 0: no bound besides the per-request timeout
    public var cpus: [Int] = []                       // thread i pinned to cpus[i % count]
    public var engine: ClientEngine = .epoll          // how the client itself waits for echoes
    /// Open loop: requests per second in all, on a fixed schedule (OpenLoopClientLoop); 0: closed
    /// loop, each connection sends its next request when the echo of the last is in.
    public var rate: Double = 0
    public var maxOutstandingPerConnection = 64       // open loop: requests due but unanswered per connection

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Frame bytes on the wire for a payload of `size`.
    func frameLength(_ size: Int) -> Int { raw ? size : size + 4 }
}

/// The client's own I/O model. `epoll` is the conventional client (send, epoll_wait, recv);
/// `io_uring` batches every connection's send and recv SQEs into one io_uring_enter, so the
/// client spends less CPU per request and the server is more likely to be the limit.
public enum ClientEngine: String, CaseIterable, Sendable, Codable {
    case epoll, io_uring
}
