import Glibc
import UringCore

/// What the closed-loop clients share whatever their I/O model (ClientLoop: epoll,
/// URingClientLoop: io_uring): the thread's connections with their buffers, its quota of
/// requests, and the start and check of each request. One request is in flight per connection;
/// the next leaves when its echo is in and equals what was sent.
final class ClosedLoopRequests {
    let config: TCPQPSConfig
    let conns: UnsafeMutablePointer<ClientConnection>
    let count: Int
    let quota: Int
    let threadIndex: Int
    let firstIndex: Int
    /// Requests started so far.
    var issued = 0
    var result = TCPQPSResult()

    /// Each connection's send and receive buffer size: the largest frame and 8 bytes more.
    let capacity: Int

    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int) {
        self.config = config
        capacity = config.frameLength(config.sizeMax) + 8
        self.quota = quota
        self.threadIndex = threadIndex
        self.firstIndex = firstIndex
        count = fds.count
        conns = ClientConnection.make(fds, firstIndex: firstIndex, capacity: capacity)
    }

    /// When --max-time ends a run whose clock started at `start` (never without it).
    func deadline(from start: UInt64) -> UInt64 {
        config.maxTimeNanoseconds > 0 ? start + config.maxTimeNanoseconds : UInt64.max
    }

    /// Whether a request is in flight on any connection (the run goes on until none is).
    @inline(__always)
    var anyInFlight: Bool {
        for i in 0..<count where conns[i].inFlight { return true }
        return false
    }

    /// Writes connection i's next request into its send buffer and starts its clock; false
    /// when the quota is spent or the connection is lost (nothing to send).
    @inline(__always)
    func begin(_ i: Int) -> Bool {
        guard issued < quota, conns[i].alive else { return false }
        issued += 1
        ClientConnection.prepareRequest(conns + i, config: config, stamp: UInt64(threadIndex) << 48 | UInt64(firstIndex + i) << 32)
        conns[i].startedAt = MonotonicClock.now()
        return true
    }

    /// Connection i's whole echo is in. When it equals what was sent: its latency ends now, it
    /// is counted a success, and the time is returned; when it differs: counted corrupt, nil
    /// (the caller fails the request and drops the connection).
    @inline(__always)
    func echoed(_ i: Int) -> UInt64? {
        let c = conns + i
        if memcmp(c.pointee.recvBuffer, c.pointee.sendBuffer, c.pointee.total) != 0 {
            result.corrupt += 1
            return nil
        }
        let done = MonotonicClock.now()
        result.latency.record(done - c.pointee.startedAt)
        result.success += 1
        result.bytes += UInt64(c.pointee.total - (config.raw ? 0 : 4))
        return done
    }

    /// Whether connection i's request has waited past the request timeout at `now`.
    @inline(__always)
    func overdue(_ i: Int, now: UInt64) -> Bool {
        now > conns[i].startedAt && now - conns[i].startedAt > config.requestTimeoutNanoseconds
    }

    /// A connection to the server in place of a lost one (`nonBlocking` as the transport wants
    /// it), counted as a reconnect; nil when the quota is spent or the connect failed.
    func reconnect(nonBlocking: Bool) -> Int32? {
        guard issued < quota else { return nil }
        let fd = Socket.tcpConnect(config.host, port: UInt16(config.port), nonBlocking: nonBlocking)
        guard fd >= 0 else { return nil }
        result.reconnects += 1
        return fd
    }

    /// The run is over: requests never issued are not run (neither success nor failure).
    func finish() -> TCPQPSResult {
        result.notRun += UInt64(quota - issued)
        return result
    }

    /// Closes the live connections and frees the buffers.
    func close() {
        for i in 0..<count {
            if conns[i].alive { Syscalls.close(conns[i].fd) }
            conns[i].sendBuffer.deallocate()
            conns[i].recvBuffer.deallocate()
        }
        conns.deallocate()
    }
}
