import Glibc

/// fio's rate and rate_iops, which cap reads and writes separately (rate=N or rate_iops=N caps
/// each at N, and r,w each at its own; a direction with rate= in bytes ignores its rate_iops,
/// init.c `__setup_rate`, which turns IOPS into bytes at the block size). As in fio (backend.c
/// `usec_for_io`), the IO after b bytes of a direction may issue b/rate seconds after the start,
/// so a late IO is caught up on rather than lost; and as in io_u.c `rate_ddir`, a mixed job whose
/// drawn direction is not yet due issues the other one if that is due, so at rate_iops=1000 a
/// randrw job does 1000 reads and 1000 writes a second whatever its rwmixread. With
/// rate_process=poisson each direction's IOs come at exponential gaps around the mean one IO's
/// share of the rate (fio draws -ln(U) times that mean after each IO), seeded. Pure: the caller
/// passes the time in.
struct IssueRate {
    /// Bytes per second of each direction, 0 for no cap.
    let readBytesPerSecond: UInt64
    let writeBytesPerSecond: UInt64
    /// Bytes each IO counts for (the job's block size).
    let bytesPerIO: UInt64
    private(set) var start: UInt64
    private var reads: UInt64 = 0
    private var writes: UInt64 = 0
    /// When the IO last refused may issue (0: none refused since the last one issued).
    private var blockedUntil: UInt64 = 0
    /// rate_process=poisson: each direction's draws and when its next IO is due after `start`.
    private var poisson: (read: Xoshiro256StarStar, write: Xoshiro256StarStar)?
    private var readNext: UInt64 = 0
    private var writeNext: UInt64 = 0

    /// IOs per second (fio's rate_iops): bytes at a block size of one.
    init(readIOPS: UInt64, writeIOPS: UInt64, start: UInt64) {
        self.init(readBytesPerSecond: readIOPS, writeBytesPerSecond: writeIOPS, bytesPerIO: 1, start: start)
    }

    /// `poissonSeed`: rate_process=poisson, drawn from this seed (nil: linear, fio's default).
    init(readBytesPerSecond: UInt64, writeBytesPerSecond: UInt64, bytesPerIO: UInt64, start: UInt64, poissonSeed: UInt64? = nil) {
        self.readBytesPerSecond = readBytesPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
        self.bytesPerIO = max(1, bytesPerIO)
        self.start = start
        poisson = poissonSeed.map { (Xoshiro256StarStar(seed: $0 ^ 0x7265_6164), Xoshiro256StarStar(seed: $0 ^ 0x7772_6974_65)) }
    }

    /// The job's caps: rate= where given, else rate_iops at the block size.
    static func of(_ job: JobSpec, start: UInt64) -> IssueRate {
        let bs = UInt64(max(1, job.blockSize))
        let readIOPS = job.rateIOPS, writeIOPS = job.writeRateIOPS ?? job.rateIOPS
        let readBytes = job.rateBytes, writeBytes = job.writeRateBytes ?? job.rateBytes
        return IssueRate(readBytesPerSecond: readBytes > 0 ? readBytes : readIOPS &* bs,
                         writeBytesPerSecond: writeBytes > 0 ? writeBytes : writeIOPS &* bs,
                         bytesPerIO: bs, start: start, poissonSeed: job.ratePoisson ? job.randSeed : nil)
    }

    var isLimited: Bool { readBytesPerSecond > 0 || writeBytesPerSecond > 0 }

    /// Counts from `t` afresh, as fio does when its ramp ends (libfio.c `reset_io_counters`).
    mutating func restart(at t: UInt64) {
        start = t
        reads = 0
        writes = 0
        blockedUntil = 0
        readNext = 0
        writeNext = 0
    }

    /// When the next IO of `direction` may issue (`start` when it is not capped).
    @inline(__always)
    func due(_ direction: IODirection) -> UInt64 {
        let (rate, issued) = direction == .write ? (writeBytesPerSecond, writes) : (readBytesPerSecond, reads)
        guard rate > 0 else { return start }
        if poisson != nil { return start &+ (direction == .write ? writeNext : readNext) }
        let bytes = issued.multipliedReportingOverflow(by: bytesPerIO)
        if bytes.overflow { return .max }
        // Whole seconds, then the rest: no overflow however long the run (fio's secs/remainder).
        let offset = (bytes.partialValue / rate).multipliedReportingOverflow(by: 1_000_000_000)
        let rest = rate.dividingFullWidth((bytes.partialValue % rate).multipliedFullWidth(by: 1_000_000_000)).quotient
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
        if poisson != nil { drawGap(chosen) }
        blockedUntil = 0
        return chosen
    }

    /// fio's poisson step: the next IO of `direction` comes -ln(U) mean gaps after this one's due
    /// time (a late IO does not move the ones after it).
    private mutating func drawGap(_ direction: IODirection) {
        let rate = direction == .write ? writeBytesPerSecond : readBytesPerSecond
        let iops = rate / bytesPerIO
        guard iops > 0, let bits = direction == .write ? poisson?.write.next() : poisson?.read.next() else { return }
        // U in (0, 1]: -ln(U) is then finite and at least 0.
        let u = (Double(bits >> 11) + 1) * 0x1p-53
        let gap = Double(1_000_000_000 / iops) * -log(u)
        let step = gap < 0x1p62 ? UInt64(gap) : 1 << 62
        if direction == .write { writeNext &+= step } else { readNext &+= step }
    }

    /// How long an idle loop should sleep before the IO last refused is due (0: none refused).
    func idleWait(at now: UInt64) -> UInt64 {
        blockedUntil > now ? blockedUntil - now : 0
    }
}
