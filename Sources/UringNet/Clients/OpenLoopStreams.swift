import CSystemShims
import Glibc
import UringCore

/// What the open-loop clients share whatever their I/O model: the schedule, the frames and the
/// checking of echoes.
///
/// The thread's requests j = 0, 1, … are due at start + j × period on connection j mod count,
/// so connection i's k-th request is due at start + (k × count + i) × period: no queue of times
/// is kept. Payloads are regenerated from (connection, k) to check each echo byte for byte, and
/// each latency runs from the request's scheduled time (see OpenLoopClientLoop).
final class OpenLoopStreams {
    struct Stream {
        var fd: Int32 = -1
        var alive = true
        var template: UnsafeMutableRawPointer     // the frame sent; its stamp is rewritten per request
        var expected: UnsafeMutableRawPointer     // the frame the next echo must equal
        var due = 0                               // requests due so far on this connection
        var sent = 0                              // requests fully written (or handed to the kernel)
        var received = 0                          // echoes complete and checked
        var receiveOffset = 0
    }

    let config: TCPQPSConfig
    let streams: UnsafeMutablePointer<Stream>
    let count: Int
    let quota: Int
    let periodNanoseconds: Double
    let frameLength: Int
    let stampBase: UInt64
    var result = TCPQPSResult()
    private(set) var start: UInt64 = 0
    /// Requests taken off the schedule so far (sent, or skipped as overloaded).
    private(set) var issued = 0
    /// Requests sent and not yet answered or lost, over all connections.
    private(set) var outstanding = 0

    /// `rate`: this thread's requests per second over its connections.
    init(config: TCPQPSConfig, fds: [Int32], firstIndex: Int, threadIndex: Int, quota: Int, rate: Double) {
        self.config = config
        self.quota = quota
        count = fds.count
        periodNanoseconds = 1e9 / rate
        frameLength = config.frameLength(config.sizeMin)
        stampBase = UInt64(threadIndex) << 48
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
        }
    }

    /// The loop every transport runs: the clock starts (request 0 is due now); then, until all
    /// are answered or lost (or Ctrl-C, or --max-time), the requests due go to `send`, `poll`
    /// waits for I/O at most the given nanoseconds (the next due time), handles what came and
    /// returns the time, and every 10 ms a connection whose oldest request is overdue goes to
    /// `drop` (after being counted a timeout).
    @inline(__always)
    func drive(stop: StopSignal, send: (Int) -> Void, poll: (Int64) -> UInt64, drop: (Int) -> Void) -> TCPQPSResult {
        _ = CSystemShims_set_timer_slack(1)
        start = MonotonicClock.now()
        var lastSweep = start
        let deadline = config.maxTimeNanoseconds > 0 ? start + config.maxTimeNanoseconds : UInt64.max
        while true {
            let now = MonotonicClock.now()
            admitDue(now: now, send: send)
            if finished { break }
            if stop.requested || StopLatch.requested { result.interrupted = true; break }
            if now >= deadline { result.timedOut = true; break }
            let after = poll(wait(now: now, cap: 10_000_000))
            if after - lastSweep >= 10_000_000 {
                lastSweep = after
                for i in 0..<count where overdue(connection: i, now: after) {
                    result.timeouts += 1
                    drop(i)
                }
            }
        }
        return finish()
    }

    /// Stamps request k of connection i (its sequence number) into `frame`.
    @inline(__always)
    func stamp(_ frame: UnsafeMutableRawPointer, connection i: Int, request k: Int) {
        var value = (stampBase | UInt64(UInt32(truncatingIfNeeded: i)) << 32 | UInt64(UInt32(truncatingIfNeeded: k + 1))).littleEndian
        let header = config.raw ? 0 : 4
        withUnsafeBytes(of: &value) { (frame + header).copyMemory(from: $0.baseAddress!, byteCount: min(8, config.sizeMin)) }
    }

    /// Writes the frame of connection i's next unsent request to `destination`.
    @inline(__always)
    func writeNextFrame(connection i: Int, to destination: UnsafeMutableRawPointer) {
        let s = streams + i
        stamp(s.pointee.template, connection: i, request: s.pointee.sent)
        destination.copyMemory(from: s.pointee.template, byteCount: frameLength)
        s.pointee.sent += 1
    }

    @inline(__always)
    func scheduled(connection i: Int, request k: Int) -> UInt64 {
        start &+ UInt64((Double(k * count + i) * periodNanoseconds).rounded())
    }

    /// Takes every request due by `now` off the schedule: `send(i)` for each one admitted on
    /// connection i. A connection already `maxOutstandingPerConnection` behind (or lost) does not
    /// get it: it is counted overloaded and failed, and the schedule moves on.
    @inline(__always)
    func admitDue(now: UInt64, send: (Int) -> Void) {
        let due = min(quota, Int(Double(now &- start) / periodNanoseconds) + 1)
        while issued < due {
            let i = issued % count
            issued += 1
            let s = streams + i
            guard s.pointee.alive, s.pointee.due - s.pointee.received < config.maxOutstandingPerConnection else {
                result.overloaded += 1
                result.failed += 1
                continue
            }
            s.pointee.due += 1
            outstanding += 1
            send(i)
        }
    }

    var finished: Bool { issued == quota && outstanding == 0 }

    /// Nanoseconds from `now` to the next request's due time (capped at `cap`; `cap` once all are issued).
    @inline(__always)
    func wait(now: UInt64, cap: Int64) -> Int64 {
        guard issued < quota else { return cap }
        return min(cap, max(0, Int64(start &+ UInt64(Double(issued) * periodNanoseconds)) - Int64(now)))
    }

    /// Checks `n` echoed bytes of connection i against the frames it is owed, recording each
    /// completed echo's latency from its scheduled time. False: bytes differ, or nothing was
    /// owed (the caller counts it corrupt and drops the connection).
    @inline(__always)
    func consume(connection i: Int, _ bytes: UnsafeRawPointer, count n: Int, now: UInt64) -> Bool {
        let s = streams + i
        var pos = 0
        while pos < n {
            guard s.pointee.received < s.pointee.due else { return false }
            if s.pointee.receiveOffset == 0 { stamp(s.pointee.expected, connection: i, request: s.pointee.received) }
            let take = min(frameLength - s.pointee.receiveOffset, n - pos)
            if memcmp(bytes + pos, s.pointee.expected + s.pointee.receiveOffset, take) != 0 { return false }
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
        return true
    }

    /// Whether connection i's oldest unanswered request has waited past the request timeout.
    @inline(__always)
    func overdue(connection i: Int, now: UInt64) -> Bool {
        let s = streams[i]
        guard s.alive, s.received < s.due else { return false }
        return Int64(bitPattern: now &- scheduled(connection: i, request: s.received)) > Int64(config.requestTimeoutNanoseconds)
    }

    /// Connection i is lost: its unanswered requests fail (the schedule moves on without it).
    func lose(connection i: Int) {
        let s = streams + i
        let lost = s.pointee.due - s.pointee.received
        result.failed += UInt64(lost)
        outstanding -= lost
        s.pointee.received = s.pointee.due
        s.pointee.alive = false
    }

    /// The run is over (finished, stopped or timed out): what was sent and not answered is in
    /// flight at the end, what was never issued not sent; neither is success nor failure.
    func finish() -> TCPQPSResult {
        for i in 0..<count where streams[i].alive { result.inFlightAtEnd += UInt64(streams[i].due - streams[i].received) }
        result.notRun += UInt64(quota - issued)
        return result
    }

    func deallocate() {
        for i in 0..<count {
            streams[i].template.deallocate()
            streams[i].expected.deallocate()
        }
        streams.deallocate()
    }
}
