import CSystemShims
import Glibc
import Synchronization
import UringCore

/// The QPS client: all connections are opened before the clock starts, then each thread runs
/// an epoll loop over its share, one request in flight per connection. Every echoed byte is
/// compared with what was sent; a request that times out, comes back different or loses its
/// connection is counted as failed and the connection is re-opened.
public enum TCPQPSClient {
    public static func validate(_ config: TCPQPSConfig) throws(NetError) {
        try Net.validate(address: config.host)
        guard (1...65535).contains(config.port) else { throw NetError.invalidOption("-p \(config.port) is not a port: use 1-65535") }
        guard config.threads >= 1 else { throw NetError.invalidOption("-t must be at least 1") }
        guard config.connections >= 1 else { throw NetError.invalidOption("-c must be at least 1") }
        guard config.requests >= 1 else { throw NetError.invalidOption("-n must be at least 1") }
        guard config.sizeMin >= 0, config.sizeMax >= config.sizeMin else { throw NetError.invalidOption("--size must be N or MIN-MAX with MIN <= MAX") }
        guard config.sizeMax <= 64 << 20 else { throw NetError.invalidOption("--size above 64 MiB is not supported") }
        guard !config.raw || config.sizeMin >= 1 else { throw NetError.invalidOption("--raw needs --size of at least 1 byte") }
        if config.rate != 0 {
            guard config.rate.isFinite, config.rate > 0, config.rate <= 10_000_000 else { throw NetError.invalidOption("--rate must be 1 to 10000000 requests per second") }
            guard config.sizeMin == config.sizeMax else { throw NetError.invalidOption("--rate needs one --size (N, not MIN-MAX): echoes are checked against payloads regenerated per request") }
        }
        let limit = ResourceLimits.openFiles
        let needed = config.connections + 32
        if UInt64(needed) > limit { throw NetError.tooManyConnections(needed: needed, limit: limit) }
    }

    /// Runs the job; `stop` (or Ctrl-C through StopLatch.requested) ends it early with
    /// what was measured so far.
    public static func run(_ config: TCPQPSConfig, stop: StopSignal = StopSignal()) throws(NetError) -> TCPQPSResult {
        try validate(config)
        Net.ignoreSIGPIPE()
        let threadCount = min(config.threads, config.connections)
        // Connections first, on this thread: a refused connect is an error before any timing.
        var fds: [Int32] = []
        do {
            for _ in 0..<config.connections {
                fds.append(try Net.connect(host: config.host, port: config.port, nonBlocking: true))
            }
        } catch {
            for fd in fds { Syscalls.close(fd) }
            throw error
        }
        let go = Atomic<Bool>(false)
        let results = Mutex<(TCPQPSResult, NetError?)>((TCPQPSResult(), nil))
        let ready = StartBox()
        var threads: [NetThread] = []
        var nextConn = 0
        for t in 0..<threadCount {
            let share = config.connections / threadCount + (t < config.connections % threadCount ? 1 : 0)
            let quota = config.requests / threadCount + (t < config.requests % threadCount ? 1 : 0)
            let mine = Array(fds[nextConn..<nextConn + share])
            let firstIndex = nextConn
            nextConn += share
            let cpu = config.cpus.isEmpty ? nil : config.cpus[t % config.cpus.count]
            let thread = NetThread.spawn {
                var result = TCPQPSResult()
                do {
                    try Net.pin(cpu)
                    let loop: any QPSClientLoop
                    if config.rate > 0 {
                        // Each thread offers its connections' share of the rate.
                        let rate = config.rate * Double(share) / Double(config.connections)
                        loop = config.engine == .io_uring
                            ? try URingOpenLoopClientLoop(config: config, fds: mine, firstIndex: firstIndex, threadIndex: t, quota: quota, rate: rate)
                            : try OpenLoopClientLoop(config: config, fds: mine, firstIndex: firstIndex, threadIndex: t, quota: quota, rate: rate)
                    } else if config.engine == .io_uring {
                        loop = try URingClientLoop(config: config, fds: mine, firstIndex: firstIndex, threadIndex: t, quota: quota)
                    } else {
                        loop = try ClientLoop(config: config, fds: mine, firstIndex: firstIndex, threadIndex: t, quota: quota)
                    }
                    ready.signal()
                    while !go.load(ordering: .acquiring) { sched_yield() }
                    let cpu0 = Net.threadCPUMicroseconds()
                    result = loop.run(stop: stop)
                    result.clientCPUMicroseconds = Net.threadCPUMicroseconds() - cpu0
                    loop.close()
                } catch {
                    ready.signal()
                    let netError = (error as? NetError) ?? .invalidOption("\(error)")
                    results.withLock { if $0.1 == nil { $0.1 = netError } }
                    for fd in mine { Syscalls.close(fd) }
                }
                results.withLock { $0.0.add(result) }
            }
            guard let thread else {
                stop.request()
                go.store(true, ordering: .releasing)
                for th in threads { th.join() }
                throw NetError.system(context: "cannot start a client thread (pthread_create)", error: Errno.current)
            }
            threads.append(thread)
        }
        ready.wait(count: threadCount)
        var total = TCPQPSResult()
        total.startedAt = Double(time(nil))
        let start = MonotonicClock.now()
        go.store(true, ordering: .releasing)
        for th in threads { th.join() }
        let elapsed = MonotonicClock.now() - start
        let (sum, error) = results.withLock { $0 }
        if let error { throw error }
        total.add(sum)
        total.elapsedNanoseconds = elapsed
        return total
    }
}

/// One client connection: the frame being sent and the bytes echoed so far.
struct ClientConnection {
    /// Writes the next request into `sendBuffer` (header, then the payload pattern with the
    /// sequence number stamped over its first 8 bytes) and resets the progress counters.
    @inline(__always)
    static func prepareRequest(_ c: UnsafeMutablePointer<ClientConnection>, config: TCPQPSConfig, stamp base: UInt64) {
        var size = config.sizeMin
        if config.sizeMax > config.sizeMin {
            c.pointee.random ^= c.pointee.random << 13
            c.pointee.random ^= c.pointee.random >> 7
            c.pointee.random ^= c.pointee.random << 17
            size += Int(c.pointee.random % UInt64(config.sizeMax - config.sizeMin + 1))
        }
        let header = config.raw ? 0 : 4
        let buffer = c.pointee.sendBuffer
        if !config.raw { buffer.storeBytes(of: UInt32(size).bigEndian, as: UInt32.self) }
        c.pointee.sequence &+= 1
        var stamp = (base | (c.pointee.sequence & 0xffff_ffff)).littleEndian
        withUnsafeBytes(of: &stamp) { s in
            (buffer + header).copyMemory(from: s.baseAddress!, byteCount: min(8, size))
        }
        c.pointee.total = header + size
        c.pointee.sent = 0
        c.pointee.received = 0
        c.pointee.inFlight = true
        c.pointee.abandoned = false
    }

    /// Connections with their buffers; the pattern differs per byte and per connection.
    static func make(_ fds: [Int32], firstIndex: Int, capacity: Int) -> UnsafeMutablePointer<ClientConnection> {
        let conns = UnsafeMutablePointer<ClientConnection>.allocate(capacity: fds.count)
        for (i, sock) in fds.enumerated() {
            let send = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
            let recv = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
            let connNumber = firstIndex + i
            for j in 0..<capacity {
                send.storeBytes(of: UInt8(truncatingIfNeeded: j &* 131 &+ connNumber &* 7 &+ 1), toByteOffset: j, as: UInt8.self)
            }
            conns.advanced(by: i).initialize(to: ClientConnection(
                fd: sock, alive: true, sendBuffer: send, recvBuffer: recv,
                random: 0x9E37_79B9_7F4A_7C15 &* UInt64(connNumber + 1)))
        }
        return conns
    }

    var abandoned = false           // io_uring client: timed out, socket shut down, op still in flight

    var fd: Int32 = -1
    var alive = false
    var inFlight = false
    var wantWrite = false           // EPOLLOUT interest is on
    var sendBuffer: UnsafeMutableRawPointer
    var recvBuffer: UnsafeMutableRawPointer
    var total = 0                   // frame bytes of the request in flight
    var sent = 0
    var received = 0
    var startedAt: UInt64 = 0
    var sequence: UInt64 = 0
    var random: UInt64
}

/// One client thread's loop over its connections.
protocol QPSClientLoop: AnyObject {
    func run(stop: StopSignal) -> TCPQPSResult
    func close()
}

/// One client thread's epoll loop.
final class ClientLoop: QPSClientLoop {
    let requests: ClosedLoopRequests
    let epfd: Int32
    private let maxEvents = 256
    private let eventData: UnsafeMutablePointer<UInt64>
    private let eventFlags: UnsafeMutablePointer<UInt32>
    private var now: UInt64 = 0
    private var stopping = false

    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int) throws(NetError) {
        let fd = CSystemShims_epoll_create()
        guard fd >= 0 else { throw NetError.system(context: "epoll_create1", error: Errno(negated: fd)) }
        epfd = fd
        eventData = .allocate(capacity: maxEvents)
        eventFlags = .allocate(capacity: maxEvents)
        requests = ClosedLoopRequests(config: config, fds: fds, firstIndex: firstIndex, threadIndex: threadIndex, quota: quota)
        for (i, sock) in fds.enumerated() {
            if CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_ADD, sock, CSystemShims_EPOLLIN, UInt64(i)) < 0 {
                throw NetError.system(context: "epoll_ctl(client)", error: Errno.current)
            }
        }
    }

    func run(stop: StopSignal) -> TCPQPSResult {
        let conns = requests.conns
        now = MonotonicClock.now()
        let deadline = requests.deadline(from: now)
        for i in 0..<requests.count { issue(i) }
        var lastSweep = now
        while true {
            if !requests.anyInFlight { break }
            if stop.requested || StopLatch.requested { requests.result.interrupted = true; break }
            if now >= deadline { requests.result.timedOut = true; break }
            let n = CSystemShims_epoll_wait(epfd, eventData, eventFlags, Int32(maxEvents), 10)
            now = MonotonicClock.now()
            if n > 0 {
                for e in 0..<Int(n) {
                    let i = Int(eventData[e])
                    guard conns[i].alive else { continue }
                    if eventFlags[e] & CSystemShims_EPOLLOUT != 0 && conns[i].wantWrite { flushSend(i) }
                    guard conns[i].alive, eventFlags[e] & ~CSystemShims_EPOLLOUT != 0 else { continue }
                    if conns[i].inFlight { receive(i) } else { unexpected(i) }
                }
            }
            if now - lastSweep >= 10_000_000 {
                lastSweep = now
                for i in 0..<requests.count where conns[i].inFlight && requests.overdue(i, now: now) {
                    requests.result.timeouts += 1
                    fail(i)
                }
            }
        }
        // Requests in flight at an early stop are neither successes nor failures.
        for i in 0..<requests.count where conns[i].inFlight { conns[i].inFlight = false; requests.result.inFlightAtEnd += 1 }
        return requests.finish()
    }

    @inline(__always)
    private func issue(_ i: Int) {
        if requests.begin(i) { flushSend(i) }
    }

    @inline(__always)
    private func flushSend(_ i: Int) {
        let c = requests.conns + i
        switch SocketSend.push(c.pointee.fd, c.pointee.sendBuffer, offset: &c.pointee.sent, length: c.pointee.total) {
        case .done: SocketSend.watchWritable(epfd, c.pointee.fd, token: UInt64(i), false, current: &c.pointee.wantWrite)
        case .wouldBlock: SocketSend.watchWritable(epfd, c.pointee.fd, token: UInt64(i), true, current: &c.pointee.wantWrite)
        case .failed:
            requests.result.connectionErrors += 1
            fail(i)
        }
    }

    @inline(__always)
    private func receive(_ i: Int) {
        let c = requests.conns + i
        let n = recv(c.pointee.fd, c.pointee.recvBuffer + c.pointee.received, c.pointee.total - c.pointee.received, 0)
        if n < 0 {
            let e = errno
            if e == EAGAIN || e == EINTR { return }
            requests.result.connectionErrors += 1
            fail(i)
            return
        }
        if n == 0 { requests.result.connectionErrors += 1; fail(i); return }
        c.pointee.received += n
        guard c.pointee.received == c.pointee.total else { return }
        guard let done = requests.echoed(i) else {
            fail(i)
            return
        }
        c.pointee.inFlight = false
        now = done
        issue(i)
    }

    /// Readable with no request in flight: the server closed the connection, or sent bytes nobody
    /// asked for (counted as corrupt).
    private func unexpected(_ i: Int) {
        let n = recv(requests.conns[i].fd, requests.conns[i].recvBuffer, requests.capacity, 0)
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        if n > 0 { requests.result.corrupt += 1 }
        fail(i)
    }

    /// Counts the request in flight as failed, then replaces the connection.
    private func fail(_ i: Int) {
        let c = requests.conns + i
        if c.pointee.inFlight { requests.result.failed += 1; c.pointee.inFlight = false }
        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_DEL, c.pointee.fd, 0, 0)
        Syscalls.close(c.pointee.fd)
        c.pointee.alive = false
        c.pointee.wantWrite = false
        guard let fd = requests.reconnect(nonBlocking: true) else { return }
        c.pointee.fd = fd
        c.pointee.alive = true
        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_ADD, fd, CSystemShims_EPOLLIN, UInt64(i))
        issue(i)
    }

    func close() {
        requests.close()
        Syscalls.close(epfd)
        eventData.deallocate()
        eventFlags.deallocate()
    }
}
