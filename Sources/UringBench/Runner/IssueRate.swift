/// fio's rate_iops, which caps reads and writes separately (rate_iops=N caps each at N, and
/// rate_iops=r,w each at its own). As in fio (backend.c `usec_for_io`), the k-th IO of a direction
/// may issue k/N seconds after the start, so a late IO is caught up on rather than lost; and as in
/// io_u.c `rate_ddir`, a mixed job whose drawn direction is not yet due issues the other one if
/// that is due, so at rate_iops=1000 a randrw job does 1000 reads and 1000 writes a second
/// whatever its rwmixread. Pure: the caller passes the time in.
struct IssueRate: Equatable {
    /// IOs per second of each direction, 0 for no cap.
    let readIOPS: UInt64
    let writeIOPS: UInt64
    private(set) var start: UInt64
    private var reads: UInt64 = 0
    private var writes: UInt64 = 0
    /// When the IO last refused may issue (0: none refused since the last one issued).
    private var blockedUntil: UInt64 = 0

    init(readIOPS: UInt64, writeIOPS: UInt64, start: UInt64) {
        self.readIOPS = readIOPS
        self.writeIOPS = writeIOPS
        self.start = start
    }

    var isLimited: Bool { readIOPS > 0 || writeIOPS > 0 }

    /// Counts from `t` afresh, as fio does when its ramp ends (libfio.c `reset_io_counters`).
    mutating func restart(at t: UInt64) {
        start = t
        reads = 0
        writes = 0
        blockedUntil = 0
    }

    /// When the next IO of `direction` may issue (`start` when it is not capped).
    @inline(__always)
    func due(_ direction: IODirection) -> UInt64 {
        let (iops, issued) = direction == .write ? (writeIOPS, writes) : (readIOPS, reads)
        guard iops > 0 else { return start }
        // Whole seconds, then the rest: no overflow however long the run (fio's secs/remainder).
        let offset = (issued / iops).multipliedReportingOverflow(by: 1_000_000_000)
        let rest = (issued % iops) &* 1_000_000_000 / iops
        return offset.overflow ? .max : start &+ offset.partialValue &+ rest
    }

    /// The direction to issue at `now` for a drawn read or write, and counts it; nil when
    /// neither it nor (with `canSwitch`: a mixed job that issues both) the other is due yet.
    @inline(__always)
    mutating func take(_ drawn: IODirection, at now: UInt64, canSwitch: Bool) -> IODirection? {
        var chosen: IODirection? = nil
        let other: IODirection = drawn == .write ? .read : .write
        if due(drawn) <= now {
            chosen = drawn
        } else if canSwitch && due(other) <= now {
            chosen = other
        }
        guard let chosen else {
            blockedUntil = canSwitch ? min(due(drawn), due(other)) : due(drawn)
            return nil
        }
        if chosen == .write { writes &+= 1 } else { reads &+= 1 }
        blockedUntil = 0
        return chosen
    }

    /// How long an idle loop should sleep before the IO last refused is due (0: none refused).
    func idleWait(at now: UInt64) -> UInt64 {
        blockedUntil > now ? blockedUntil - now : 0
    }
}
