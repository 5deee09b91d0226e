import CSystemShims
import Glibc
import UringCore

/// `udp-qps --rate`/`udp --rate`: datagrams leave on a fixed schedule whatever the server does,
/// request j at start + j × period on socket j mod count, and each reply's latency runs from its
/// request's scheduled time (as the TCP open-loop client does; see OpenLoopClientLoop). UDP may
/// drop or reorder, so replies are matched by the sequence number each request carries: a socket
/// keeps a 64-request window (its oldest unanswered request and a bit per later one). A request
/// unanswered after the timeout is lost; when a socket already has 64 unanswered, its oldest is
/// given up (overloaded, counted lost) so the next can go.
final class UDPOpenLoopClientLoop: UDPClientLooping {
    static let window = UDPQPSConfig.openLoopWindow

    let config: UDPQPSConfig
    let fds: [Int32]
    let epfd: Int32
    let quota: Int
    let threadIndex: Int
    let periodNanoseconds: Double
    var result = UDPQPSResult()
    private let template: UnsafeMutableRawPointer     // per socket: the payload; its stamp is rewritten per request
    private let expected: UnsafeMutableRawPointer     // one payload, rebuilt to check a reply
    private let recvBuffer: UnsafeMutableRawPointer
    private let sent: UnsafeMutablePointer<Int>       // per socket: requests sent (or skipped)
    private let oldest: UnsafeMutablePointer<Int>     // per socket: the oldest request not answered or lost
    private let answered: UnsafeMutablePointer<UInt64> // per socket: bit b = request oldest + b answered
    private let eventData: UnsafeMutablePointer<UInt64>
    private let eventFlags: UnsafeMutablePointer<UInt32>
    private var start: UInt64 = 0
    private var issued = 0

    /// `rate`: this thread's datagrams per second over its sockets.
    init(config: UDPQPSConfig, fds: [Int32], threadIndex: Int, quota: Int, rate: Double) {
        self.config = config
        self.fds = fds
        self.quota = quota
        self.threadIndex = threadIndex
        periodNanoseconds = 1e9 / rate
        epfd = CSystemShims_epoll_create()
        let n = fds.count
        template = .allocate(byteCount: n * config.size, alignment: 64)
        expected = .allocate(byteCount: config.size, alignment: 64)
        recvBuffer = .allocate(byteCount: 65536, alignment: 64)
        sent = .allocate(capacity: n)
        sent.initialize(repeating: 0, count: n)
        oldest = .allocate(capacity: n)
        oldest.initialize(repeating: 0, count: n)
        answered = .allocate(capacity: n)
        answered.initialize(repeating: 0, count: n)
        eventData = .allocate(capacity: 256)
        eventFlags = .allocate(capacity: 256)
        UDPClientLoop.prepare(fds, epfd: epfd, payloads: template, size: config.size, threadIndex: threadIndex)
    }

    @inline(__always)
    private func stampValue(socket i: Int, request k: Int) -> UInt64 {
        UInt64(threadIndex) << 48 | UInt64(UInt32(truncatingIfNeeded: i)) << 32 | UInt64(UInt32(truncatingIfNeeded: k + 1))
    }

    @inline(__always)
    private func scheduled(socket i: Int, request k: Int) -> UInt64 {
        start &+ UInt64((Double(k * fds.count + i) * periodNanoseconds).rounded())
    }

    /// Sends socket i's next request. A socket whose window is full first gives up its oldest
    /// open request (lost, and counted overloaded): the schedule never waits for the server.
    @inline(__always)
    private func send(_ i: Int) {
        let k = sent[i]
        while k - oldest[i] >= Self.window {
            result.overloaded += 1
            result.lost += 1
            markDone(socket: i, request: oldest[i])
        }
        sent[i] += 1
        let base = template + i * config.size
        base.storeBytes(of: stampValue(socket: i, request: k).littleEndian, as: UInt64.self)
        if Glibc.send(fds[i], base, config.size, 0) < 0 {
            // Never left: the timeout counts it lost.
            if errno == ECONNREFUSED { result.refused += 1 } else { result.sendErrors += 1 }
        }
    }

    /// Request k of socket i is settled (answered, lost or skipped): the window slides past every
    /// settled request at its front.
    @inline(__always)
    private func markDone(socket i: Int, request k: Int) {
        let bit = k - oldest[i]
        guard bit >= 0 && bit < 64 else { return }
        answered[i] |= 1 << UInt64(bit)
        while answered[i] & 1 != 0 {
            answered[i] >>= 1
            oldest[i] += 1
        }
    }

    func run(stop: StopSignal) -> UDPQPSResult {
        _ = CSystemShims_set_timer_slack(1)
        start = MonotonicClock.now()
        var lastSweep = start
        let deadline = config.maxTimeNanoseconds > 0 ? start + config.maxTimeNanoseconds : UInt64.max
        let count = fds.count
        while true {
            var now = MonotonicClock.now()
            let due = min(quota, Int(Double(now &- start) / periodNanoseconds) + 1)
            while issued < due {
                send(issued % count)
                issued += 1
            }
            var open = false
            for i in 0..<count where oldest[i] < sent[i] { open = true; break }
            if issued == quota && !open { break }
            if stop.requested || StopLatch.requested || now >= deadline { result.interrupted = true; break }
            let wait: Int64 = issued < quota
                ? max(0, Int64(start &+ UInt64(Double(issued) * periodNanoseconds)) - Int64(now)) : 5_000_000
            let n = CSystemShims_epoll_wait_ns(epfd, eventData, eventFlags, 256, min(wait, 5_000_000))
            now = MonotonicClock.now()
            if n > 0 {
                for e in 0..<Int(n) { receive(Int(eventData[e]), now: now) }
            }
            if now - lastSweep >= 5_000_000 {
                lastSweep = now
                for i in 0..<count {
                    while oldest[i] < sent[i] && Int64(bitPattern: now &- scheduled(socket: i, request: oldest[i])) > Int64(config.timeoutNanoseconds) {
                        result.lost += 1
                        markDone(socket: i, request: oldest[i])
                    }
                }
            }
        }
        for i in 0..<count { result.notSent += UInt64(sent[i] - oldest[i]) - UInt64((answered[i]).nonzeroBitCount) }
        result.notSent += UInt64(quota - issued)
        return result
    }

    /// Every datagram waiting on socket i: a reply to an open request in the window is checked
    /// byte for byte and its latency recorded; one to a settled request is stale.
    @inline(__always)
    private func receive(_ i: Int, now: UInt64) {
        while true {
            let got = Glibc.recv(fds[i], recvBuffer, 65536, 0)
            if got < 0 {
                guard errno == ECONNREFUSED else { return }
                result.refused += 1
                continue
            }
            guard got >= 8 else { result.corrupt += 1; continue }
            let stamp = UInt64(littleEndian: recvBuffer.loadUnaligned(as: UInt64.self))
            let k = Int(stamp & 0xffff_ffff) - 1
            let expectedStamp = stampValue(socket: i, request: k)
            // Not one of this socket's requests, or not yet sent: corrupt. Already settled: stale.
            guard k >= 0, stamp == expectedStamp, k < sent[i] else { result.corrupt += 1; continue }
            let bit = k - oldest[i]
            guard bit >= 0, answered[i] & (1 << UInt64(bit)) == 0 else { result.stale += 1; continue }
            expected.copyMemory(from: template + i * config.size, byteCount: config.size)
            expected.storeBytes(of: expectedStamp.littleEndian, as: UInt64.self)
            if got != config.size || memcmp(recvBuffer, expected, config.size) != 0 {
                result.corrupt += 1
            } else {
                result.latency.record(now &- scheduled(socket: i, request: k))
                result.success += 1
            }
            markDone(socket: i, request: k)
        }
    }

    func close() {
        for fd in fds { Syscalls.close(fd) }
        Syscalls.close(epfd)
        template.deallocate(); expected.deallocate(); recvBuffer.deallocate()
        sent.deallocate(); oldest.deallocate(); answered.deallocate()
        eventData.deallocate(); eventFlags.deallocate()
    }
}
