import CSystemShims
import Glibc
import UringBench

/// Open-loop load: requests leave on a fixed schedule whatever the server does, so every engine
/// is offered the same load, and latency is measured from each request's *scheduled* send time.
/// A closed-loop client waits for each echo before it sends again, so a stalled server also
/// stalls the requests that would have queued behind the stall, and their wait is never
/// measured (coordinated omission). Here a connection keeps sending (frames pipeline on the
/// stream; echoes come back in order) and a late echo carries its full wait.
///
/// The thread's requests j = 0, 1, … are due at start + j × period on connection j mod count,
/// so connection i's k-th request is due at start + (k × count + i) × period: no queue of times
/// is kept. Payloads are regenerated from (connection, k) to check each echo byte for byte.
final class OpenLoopClientLoop: QPSClientLoop {
    struct Stream {
        var fd: Int32 = -1
        var alive = true
        var wantWrite = false
        var template: UnsafeMutableRawPointer     // the frame sent; its stamp is rewritten per request
        var expected: UnsafeMutableRawPointer     // the frame the next echo must equal
        var due = 0                               // requests due so far on this connection
        var sent = 0                              // requests fully written
        var sendOffset = 0
        var received = 0                          // echoes complete and checked
        var receiveOffset = 0
    }

    let config: TCPQPSConfig
    let epfd: Int32
    let streams: UnsafeMutablePointer<Stream>
    let count: Int
    let quota: Int
    let periodNanoseconds: Double
    let frameLength: Int
    let stampBase: UInt64
    var result = TCPQPSResult()
    private let scratch: UnsafeMutableRawPointer
    private let scratchSize = 64 * 1024
    private let eventData: UnsafeMutablePointer<UInt64>
    private let eventFlags: UnsafeMutablePointer<UInt32>
    private var start: UInt64 = 0
    private var outstanding = 0

    /// `rate`: this thread's requests per second over its connections.
    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int, rate: Double) throws(NetError) {
        self.config = config
        self.quota = quota
        count = fds.count
        periodNanoseconds = 1e9 / rate
        frameLength = config.frameLength(config.sizeMin)
        stampBase = UInt64(threadIndex) << 48
        let fd = CSystemShims_epoll_create()
        guard fd >= 0 else { throw NetError.system(context: "epoll_create1", error: Errno(negated: fd)) }
        epfd = fd
        eventData = .allocate(capacity: 256)
        eventFlags = .allocate(capacity: 256)
        scratch = .allocate(byteCount: scratchSize, alignment: 64)
        streams = .allocate(capacity: fds.count)
        let header = config.raw ? 0 : 4
        for (i, sock) in fds.enumerated() {
            let template = UnsafeMutableRawPointer.allocate(byteCount: frameLength + 8, alignment: 64)
            if !config.raw { template.storeBytes(of: UInt32(config.sizeMin).bigEndian, as: UInt32.self) }
            for j in 0..<config.sizeMin {
                template.storeBytes(of: UInt8(truncatingIfNeeded: j &* 131 &+ (firstIndex + i) &* 7 &+ 1), toByteOffset: header + j, as: UInt8.self)
            }
            let expected = UnsafeMutableRawPointer.allocate(byteCount: frameLength + 8, alignment: 64)
            expected.copyMemory(from: template, byteCount: frameLength)
            streams.advanced(by: i).initialize(to: Stream(fd: sock, template: template, expected: expected))
            if CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_ADD, sock, CSystemShims_EPOLLIN, UInt64(i)) < 0 {
                throw NetError.system(context: "epoll_ctl(client)", error: Errno.current)
            }
        }
    }

    /// Stamps request k of connection i (its sequence number) into `frame`.
    @inline(__always)
    private func stamp(_ frame: UnsafeMutableRawPointer, connection i: Int, request k: Int) {
        var value = (stampBase | UInt64(UInt32(truncatingIfNeeded: i)) << 32 | UInt64(UInt32(truncatingIfNeeded: k + 1))).littleEndian
        let header = config.raw ? 0 : 4
        withUnsafeBytes(of: &value) { (frame + header).copyMemory(from: $0.baseAddress!, byteCount: min(8, config.sizeMin)) }
    }

    @inline(__always)
    private func scheduled(connection i: Int, request k: Int) -> UInt64 {
        start &+ UInt64((Double(k * count + i) * periodNanoseconds).rounded())
    }

    func run(stop: StopSignal) -> TCPQPSResult {
        _ = CSystemShims_set_timer_slack(1)
        start = MonotonicClock.now()
        var issued = 0
        var lastSweep = start
        let deadline = config.maxTimeNanoseconds > 0 ? start + config.maxTimeNanoseconds : UInt64.max
        while true {
            var now = MonotonicClock.now()
            let due = min(quota, Int(Double(now - start) / periodNanoseconds) + 1)
            while issued < due {
                let i = issued % count
                issued += 1
                let s = streams + i
                // A connection already this far behind is overloaded: the request is not sent.
                guard s.pointee.alive, s.pointee.due - s.pointee.received < config.maxOutstandingPerConnection else {
                    result.overloaded += 1
                    result.failed += 1
                    continue
                }
                s.pointee.due += 1
                outstanding += 1
                flush(i)
            }
            if issued == quota && outstanding == 0 { break }
            if stop.requested || CSystemShims_stop_requested() != 0 { result.interrupted = true; break }
            if now >= deadline { result.timedOut = true; break }
            let wait: Int64 = issued < quota
                ? max(0, Int64(start &+ UInt64(Double(issued) * periodNanoseconds)) - Int64(now))
                : 10_000_000
            let n = CSystemShims_epoll_wait_ns(epfd, eventData, eventFlags, 256, min(wait, 10_000_000))
            now = MonotonicClock.now()
            if n > 0 {
                for e in 0..<Int(n) {
                    let i = Int(eventData[e])
                    guard streams[i].alive else { continue }
                    if eventFlags[e] & CSystemShims_EPOLLOUT != 0 && streams[i].wantWrite { flush(i) }
                    if streams[i].alive && eventFlags[e] & ~CSystemShims_EPOLLOUT != 0 { receive(i, now: now) }
                }
            }
            if now - lastSweep >= 10_000_000 {
                lastSweep = now
                for i in 0..<count where streams[i].alive && streams[i].received < streams[i].due {
                    let waited = now &- scheduled(connection: i, request: streams[i].received)
                    if Int64(bitPattern: waited) > Int64(config.requestTimeoutNanoseconds) {
                        result.timeouts += 1
                        fail(i)
                    }
                }
            }
        }
        for i in 0..<count where streams[i].alive { result.notRun += UInt64(streams[i].due - streams[i].received) }
        result.notRun += UInt64(quota - issued)
        return result
    }

    @inline(__always)
    private func flush(_ i: Int) {
        let s = streams + i
        while s.pointee.sent < s.pointee.due {
            if s.pointee.sendOffset == 0 { stamp(s.pointee.template, connection: i, request: s.pointee.sent) }
            let n = send(s.pointee.fd, s.pointee.template + s.pointee.sendOffset, frameLength - s.pointee.sendOffset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                if e == EAGAIN {
                    if !s.pointee.wantWrite {
                        s.pointee.wantWrite = true
                        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_MOD, s.pointee.fd, CSystemShims_EPOLLIN | CSystemShims_EPOLLOUT, UInt64(i))
                    }
                    return
                }
                result.connectionErrors += 1
                fail(i)
                return
            }
            s.pointee.sendOffset += n
            if s.pointee.sendOffset == frameLength { s.pointee.sendOffset = 0; s.pointee.sent += 1 }
        }
        if s.pointee.wantWrite {
            s.pointee.wantWrite = false
            _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_MOD, s.pointee.fd, CSystemShims_EPOLLIN, UInt64(i))
        }
    }

    @inline(__always)
    private func receive(_ i: Int, now: UInt64) {
        let s = streams + i
        let n = recv(s.pointee.fd, scratch, scratchSize, 0)
        if n < 0 {
            let e = errno
            if e == EAGAIN || e == EINTR { return }
            result.connectionErrors += 1
            fail(i)
            return
        }
        if n == 0 { result.connectionErrors += 1; fail(i); return }
        var pos = 0
        while pos < n {
            // Bytes nobody asked for (an echo of a request not yet due) are corrupt too.
            guard s.pointee.received < s.pointee.due else { result.corrupt += 1; fail(i); return }
            if s.pointee.receiveOffset == 0 { stamp(s.pointee.expected, connection: i, request: s.pointee.received) }
            let take = min(frameLength - s.pointee.receiveOffset, n - pos)
            if memcmp(scratch + pos, s.pointee.expected + s.pointee.receiveOffset, take) != 0 {
                result.corrupt += 1
                fail(i)
                return
            }
            pos += take
            s.pointee.receiveOffset += take
            if s.pointee.receiveOffset == frameLength {
                s.pointee.receiveOffset = 0
                result.latency.record(now &- scheduled(connection: i, request: s.pointee.received))
                result.success += 1
                result.bytes += UInt64(config.sizeMin)
                s.pointee.received += 1
                outstanding -= 1
            }
        }
    }

    /// The connection is closed; its unanswered requests fail (the schedule moves on without it).
    private func fail(_ i: Int) {
        let s = streams + i
        let lost = s.pointee.due - s.pointee.received
        result.failed += UInt64(lost)
        outstanding -= lost
        s.pointee.received = s.pointee.due
        _ = CSystemShims_epoll_ctl(epfd, CSystemShims_EPOLL_CTL_DEL, s.pointee.fd, 0, 0)
        Syscalls.close(s.pointee.fd)
        s.pointee.alive = false
    }

    func close() {
        for i in 0..<count {
            if streams[i].alive { Syscalls.close(streams[i].fd) }
            streams[i].template.deallocate()
            streams[i].expected.deallocate()
        }
        streams.deallocate()
        scratch.deallocate()
        Syscalls.close(epfd)
        eventData.deallocate()
        eventFlags.deallocate()
    }
}
