/// The IO loop's clock-driven decisions, apart from the loop: when the ramp ends, when the run
/// ends, when a 500 ms sample and a progress line are due, and the rate limit (`IssueRate`),
/// which starts afresh when the ramp ends. It holds only times and counts; the caller passes the
/// time in, so tests drive it with any clock.
struct RunSchedule {
    static let tickInterval: UInt64 = 50_000_000              // stop flag, deadlines, progress
    static let sampleInterval: UInt64 = 500_000_000           // fio's iops_avg_time/bw_avg_time
    static let progressInterval: UInt64 = 1_000_000_000

    /// 0: no deadline (a size-bound job without a runtime cap).
    let runtimeNanoseconds: UInt64
    let rampEnd: UInt64
    /// fio's rate_iops, per direction; the IO stream asks it before each read or write.
    var rate: IssueRate
    private(set) var measuring: Bool
    private(set) var measureStart: UInt64
    private(set) var deadline: UInt64
    /// When `tick` next has something to do; the loop checks this alone per completion batch.
    private(set) var nextTick: UInt64
    private var nextSample: UInt64
    private var lastSample: UInt64
    private var nextProgress: UInt64
    private var lastProgress: UInt64

    /// A group's window: the measured time starts at start + ramp and ends at start + ramp +
    /// runtime for every job, however late a job's loop sees the ramp end (a tick, or a thread
    /// that waited for a CPU), so the jobs measure the same time.
    let sharedWindow: Bool

    /// `rateIOPS` caps reads and writes each (fio's rate_iops=N); `writeRateIOPS`, when given,
    /// caps writes instead (rate_iops=r,w).
    init(start: UInt64, rampNanoseconds: UInt64, runtimeNanoseconds: UInt64, rateIOPS: UInt64, writeRateIOPS: UInt64? = nil, sharedWindow: Bool = false) {
        self.init(start: start, rampNanoseconds: rampNanoseconds, runtimeNanoseconds: runtimeNanoseconds,
                  rate: IssueRate(readIOPS: rateIOPS, writeIOPS: writeRateIOPS ?? rateIOPS, start: start), sharedWindow: sharedWindow)
    }

    /// `rate`: the job's caps (`IssueRate.of`), started at `start`.
    init(start: UInt64, rampNanoseconds: UInt64, runtimeNanoseconds: UInt64, rate: IssueRate, sharedWindow: Bool = false) {
        self.runtimeNanoseconds = runtimeNanoseconds
        self.sharedWindow = sharedWindow
        rampEnd = start + rampNanoseconds
        self.rate = rate
        measuring = rampNanoseconds == 0
        measureStart = start
        deadline = Self.deadline(after: rampEnd, runtimeNanoseconds)
        nextTick = start + Self.tickInterval
        nextSample = start + Self.sampleInterval
        lastSample = start
        nextProgress = start + Self.progressInterval
        lastProgress = start
    }

    /// The measured time's end; a size-bound job's runtime 0 is no cap (fio's runtime=0).
    static func deadline(after start: UInt64, _ runtimeNanoseconds: UInt64) -> UInt64 {
        runtimeNanoseconds == 0 ? .max : start &+ runtimeNanoseconds
    }

    /// What one tick found; the loop acts on each.
    struct Tick: Equatable {
        /// The ramp ended at this tick: measuring starts now, everything so far is forgotten.
        var rampEnded = false
        /// The measured time is over: stop issuing, drain, report.
        var deadlineReached = false
        /// A 500 ms sample is due, over this many seconds really elapsed since the previous one.
        var sampleSeconds: Double? = nil
        /// A progress line is due, over this many seconds since the previous one.
        var progressSeconds: Double? = nil
    }

    @inline(__always)
    func isDue(_ t: UInt64) -> Bool { t >= nextTick }

    /// A group's ramp is over at `t`: the IOs reaped at `t` are the first counted, so the loop
    /// ticks before recording them (a single job's ramp ends after its batch, at the tick).
    @inline(__always)
    func endsSharedRamp(at t: UInt64) -> Bool { sharedWindow && !measuring && t >= rampEnd }

    /// Advances to time `t` (call when `isDue(t)`). `stopping`: the run is already stopping
    /// (Ctrl-C, or the deadline passed earlier).
    mutating func tick(at t: UInt64, stopping: Bool) -> Tick {
        var result = Tick()
        if !measuring && t >= rampEnd {
            // Ramp over: the measured time starts now, as fio does after ramp_time (a group's
            // at the ramp's end itself).
            measuring = true
            measureStart = sharedWindow ? rampEnd : t
            if !sharedWindow { deadline = Self.deadline(after: t, runtimeNanoseconds) }
            nextSample = measureStart + Self.sampleInterval
            lastSample = measureStart
            rate.restart(at: measureStart)
            result.rampEnded = true
        }
        if t >= deadline { result.deadlineReached = true }
        // Like fio, no sample for the window the run ends in. Each sample divides by the time
        // really elapsed since the previous one (fio's "spent"), so a late tick — a slow device
        // blocking the reap — cannot inflate it.
        if measuring && !stopping && !result.deadlineReached && t >= nextSample {
            result.sampleSeconds = Double(t - lastSample) / 1e9
            lastSample = t
            nextSample = t + Self.sampleInterval
        }
        if t >= nextProgress {
            result.progressSeconds = Double(t - lastProgress) / 1e9
            lastProgress = t
            nextProgress = t + Self.progressInterval
        }
        // Wake for whichever comes first: the tick, the deadline, the next sample, ramp end.
        var next = min(t + Self.tickInterval, deadline)
        next = measuring ? min(next, nextSample) : min(next, rampEnd)
        nextTick = next
        return result
    }

    /// Forces the next `isDue` (after a signal interrupted a wait).
    mutating func tickNow() { nextTick = 0 }

    /// How long an idle loop should sleep before the next rate-limited IO is due (0: none).
    func idleWait(at now: UInt64) -> UInt64 { rate.idleWait(at: now) }
}
