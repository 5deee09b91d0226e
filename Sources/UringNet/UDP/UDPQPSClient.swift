import CSystemShims
import Glibc
import Synchronization
import UringCore

/// udp-qps: `threads` × `socketsPerThread` connected UDP sockets, one request datagram in flight
/// on each. A reply must match the request byte for byte (sequence number included); a reply
/// that does not arrive within the timeout counts as lost and the socket moves on, so loss never
/// hangs the client. A late reply to an earlier request is counted as stale and dropped.
public struct UDPQPSConfig: Sendable {
    public var host = "127.0.0.1"
    public var port: Int
    public var threads = 1
    public var socketsPerThread = 8
    public var requests = 100_000
    public var size = 64
    public var timeoutNanoseconds: UInt64 = 200_000_000
    public var maxTimeNanoseconds: UInt64 = 0
    public var cpus: [Int] = []
    /// Open loop: datagrams per second in all, on a fixed schedule (UDPOpenLoopClientLoop); 0:
    /// closed loop, one request in flight per socket.
    public var rate: Double = 0
    /// Open loop: unanswered requests a socket may have; at this many its oldest is given up.
    public static let openLoopWindow = 64

    public init(host: String = "127.0.0.1", port: Int) { self.host = host; self.port = port }
}

public struct UDPQPSResult: Sendable, Codable {
    public var success: UInt64 = 0
    public var lost: UInt64 = 0              // no reply within the timeout
    public var corrupt: UInt64 = 0           // a reply to the current request that differs
    public var stale: UInt64 = 0             // a reply to an earlier, already timed-out request
    public var sendErrors: UInt64 = 0
    public var refused: UInt64 = 0           // ECONNREFUSED: an ICMP port unreachable came back
    public var notSent: UInt64 = 0
    public var overloaded: UInt64 = 0        // open loop: given up to make room in a full window (counted lost)
    public var clientCPUMicroseconds: UInt64 = 0  // client threads' user+sys CPU while measuring
    public var elapsedNanoseconds: UInt64 = 0
    public var interrupted = false
    public var latency = LatencyHistogram()
    public init() {}

    public var qps: Double { elapsedNanoseconds == 0 ? 0 : Double(success) * 1e9 / Double(elapsedNanoseconds) }
    public var lossPercent: Double {
        let sent = success + lost + corrupt
        return sent == 0 ? 0 : Double(lost) * 100 / Double(sent)
    }

    mutating func add(_ o: UDPQPSResult) {
        success += o.success; lost += o.lost; corrupt += o.corrupt; stale += o.stale
        sendErrors += o.sendErrors; refused += o.refused; notSent += o.notSent; interrupted = interrupted || o.interrupted
        overloaded += o.overloaded; clientCPUMicroseconds += o.clientCPUMicroseconds
        latency.merge(o.latency)
    }
}

public enum UDPQPSClient {
    public static func run(_ config: UDPQPSConfig, stop: StopSignal = StopSignal()) throws(NetError) -> UDPQPSResult {
        try Net.validate(address: config.host)
        guard (1...65535).contains(config.port) else { throw NetError.invalidOption("-p \(config.port) is not a port: use 1-65535") }
        guard config.threads >= 1, config.socketsPerThread >= 1, config.requests >= 1 else {
            throw NetError.invalidOption("-t, --sockets and -n must be at least 1")
        }
        guard config.size >= 8 && config.size <= 65000 else { throw NetError.invalidOption("--size must be 8 to 65000 bytes for UDP") }
        guard config.rate == 0 || (config.rate.isFinite && config.rate >= 1 && config.rate <= 10_000_000) else {
            throw NetError.invalidOption("--rate must be 1 to 10000000 datagrams per second")
        }
        let needed = config.threads * config.socketsPerThread + 32
        let limit = ResourceLimits.openFiles
        if UInt64(needed) > limit { throw NetError.tooManyConnections(needed: needed, limit: limit) }
        var sockets: [Int32] = []
        for _ in 0..<(config.threads * config.socketsPerThread) {
            let fd = Socket.udpConnect(config.host, port: UInt16(config.port))
            if fd < 0 {
                for s in sockets { Syscalls.close(s) }
                throw NetError.connectFailed(host: config.host, port: config.port, error: Errno(negated: fd))
            }
            sockets.append(fd)
        }
        let go = Atomic<Bool>(false)
        let ready = StartBox()
        let total = Mutex(UDPQPSResult())
        var threads: [NetThread] = []
        for t in 0..<config.threads {
            let mine = Array(sockets[t * config.socketsPerThread..<(t + 1) * config.socketsPerThread])
            let quota = config.requests / config.threads + (t < config.requests % config.threads ? 1 : 0)
            let cpu = config.cpus.isEmpty ? nil : config.cpus[t % config.cpus.count]
            guard let th = NetThread.spawn({
                _ = try? Net.pin(cpu)
                // Each thread offers its sockets' share of the rate.
                let loop: any UDPClientLooping = config.rate > 0
                    ? UDPOpenLoopClientLoop(config: config, fds: mine, threadIndex: t, quota: quota, rate: config.rate / Double(config.threads))
                    : UDPClientLoop(config: config, fds: mine, threadIndex: t, quota: quota)
                ready.signal()
                while !go.load(ordering: .acquiring) { sched_yield() }
                let cpu0 = Net.threadCPUMicroseconds()
                var r = loop.run(stop: stop)
                r.clientCPUMicroseconds = Net.threadCPUMicroseconds() - cpu0
                loop.close()
                total.withLock { $0.add(r) }
            }) else {
                throw NetError.system(context: "cannot start a client thread (pthread_create)", error: Errno.current)
            }
            threads.append(th)
        }
        ready.wait(count: config.threads)
        let start = MonotonicClock.now()
        go.store(true, ordering: .releasing)
        for th in threads { th.join() }
        var r = total.withLock { $0 }
        r.elapsedNanoseconds = MonotonicClock.now() - start
        // Nothing answered and the kernel said why: the port is closed, not lossy.
        if r.success == 0 && r.refused > 0 { throw NetError.nothingListening(host: config.host, port: config.port) }
        return r
    }
}

/// One udp-qps client thread's loop over its sockets.
protocol UDPClientLooping: AnyObject {
    func run(stop: StopSignal) -> UDPQPSResult
    func close()
}

final class UDPClientLoop: UDPClientLooping {
    let config: UDPQPSConfig
    let fds: [Int32]
    let epfd: Int32
    let quota: Int
    let threadIndex: Int
    var issued = 0
    var result = UDPQPSResult()
    let send: UnsafeMutableRawPointer       // one request buffer per socket
    let recv: UnsafeMutableRawPointer
    let started: UnsafeMutablePointer<UInt64>
    let inFlight: UnsafeMutablePointer<Bool>
    let resend: UnsafeMutablePointer<Bool>  // the send was refused: issue again at the next sweep
    let sequence: UnsafeMutablePointer<UInt64>
    let eventData: UnsafeMutablePointer<UInt64>
    let eventFlags: UnsafeMutablePointer<UInt32>

    init(config: UDPQPSConfig, fds: [Int32], threadIndex: Int, quota: Int) {
        self.config = config
        self.fds = fds
        self.quota = quota
        self.threadIndex = threadIndex
        epfd = CSystemShims_epoll_create()
        let n = fds.count
        send = .allocate(byteCount: n * config.size, alignment: 64)
        recv = .allocate(byteCount: 65536, alignment: 64)
        started = .allocate(capacity: n)
        inFlight = .allocate(capacity: n)
        inFlight.initialize(repeating: false, count: n)
        resend = .allocate(capacity: n)
        resend.initialize(repeating: false, count: n)
        sequence = .allocate(capacity: n)
        sequence.initialize(repeating: 0, count: n)
        eventData = .allocate(capacity: 256)
        eventFlags = .allocate(capacity: 256)
        Self.prepare(fds, epfd: epfd, payloads: send, size: config.size, threadIndex: threadIndex)
    }

    /// Fills each socket's payload (a pattern that differs per byte, socket and thread), makes the
    /// sockets non-blocking and registers them with `epfd`, token = socket index.
    static func prepare(_ fds: [Int32], epfd: Int32, payloads: UnsafeMutableRawPointer, size: Int, threadIndex: Int) {
        for i in 0..<fds.count {
            for j in 0..<size {
                payloads.storeBytes(of: UInt8(truncatingIfNeeded: j &* 131 &+ i &* 7 &+ threadIndex &* 13), toByteOffset: i * size + j, as: UInt8.self)
            }
            let fl = fcntl(fds[i], F_GETFL)
            _ = fcntl(fds[i], F_SETFL, fl | O_NONBLOCK)
            _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_ADD, fds[i], CSystemShims_EPOLLIN, UInt64(i))
        }
    }

    @inline(__always)
    func issue(_ i: Int) {
        guard issued < quota else { return }
        issued += 1
        sequence[i] &+= 1
        let base = send + i * config.size
        base.storeBytes(of: (UInt64(threadIndex) << 48 | UInt64(i) << 32 | (sequence[i] & 0xffff_ffff)).littleEndian, as: UInt64.self)
        started[i] = MonotonicClock.now()
        inFlight[i] = true
        if Glibc.send(fds[i], base, config.size, 0) < 0 {
            if errno == ECONNREFUSED {
                // An ICMP port unreachable for an earlier datagram: this one never left.
                result.refused += 1
                resend[i] = true
            } else {
                result.sendErrors += 1   // ENOBUFS...: the timeout moves on
            }
        }
    }

    func run(stop: StopSignal) -> UDPQPSResult {
        for i in 0..<fds.count { issue(i) }
        var now = MonotonicClock.now()
        let deadline = config.maxTimeNanoseconds > 0 ? now + config.maxTimeNanoseconds : UInt64.max
        var lastSweep = now
        while true {
            var busy = false
            for i in 0..<fds.count where inFlight[i] { busy = true; break }
            if !busy { break }
            if stop.requested || StopLatch.requested || now >= deadline { result.interrupted = true; break }
            let n = CSystemShims_epoll_wait(epfd, eventData, eventFlags, 256, 5)
            now = MonotonicClock.now()
            if n > 0 {
                for e in 0..<Int(n) {
                    let i = Int(eventData[e])
                    while true {
                        let got = Glibc.recv(fds[i], recv, 65536, 0)
                        if got < 0 {
                            // ICMP port unreachable: the request will never be answered.
                            guard errno == ECONNREFUSED else { break }
                            result.refused += 1
                            if inFlight[i] { inFlight[i] = false; issue(i) }
                            continue
                        }
                        let base = send + i * config.size
                        if got == config.size && memcmp(recv, base, 8) != 0 { result.stale += 1; continue }
                        guard inFlight[i] else { result.stale += 1; continue }
                        if got != config.size || memcmp(recv, base, config.size) != 0 {
                            result.corrupt += 1
                        } else {
                            let t = MonotonicClock.now()
                            result.latency.record(t - started[i])
                            result.success += 1
                        }
                        inFlight[i] = false
                        issue(i)
                    }
                }
            }
            if now - lastSweep >= 5_000_000 {
                lastSweep = now
                for i in 0..<fds.count where resend[i] {
                    resend[i] = false
                    inFlight[i] = false
                    issue(i)
                }
                for i in 0..<fds.count where inFlight[i] && !resend[i] && now > started[i] && now - started[i] > config.timeoutNanoseconds {
                    result.lost += 1
                    inFlight[i] = false
                    issue(i)
                }
            }
        }
        for i in 0..<fds.count where inFlight[i] { result.notSent += 1 }
        result.notSent += UInt64(quota - issued)
        return result
    }

    func close() {
        for fd in fds { Syscalls.close(fd) }
        Syscalls.close(epfd)
        send.deallocate(); recv.deallocate(); started.deallocate()
        inFlight.deallocate(); resend.deallocate(); sequence.deallocate(); eventData.deallocate(); eventFlags.deallocate()
    }
}
