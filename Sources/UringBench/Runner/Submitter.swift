import CSystemShims
import Glibc
import UringCore

/// One thread's IO loop, in the shape of t/io_uring's `struct submitter`: the loop's state in
/// one value — the engine, the slots in flight, the stream of IOs, what is measured, the
/// schedule and the clock — with a short method per step (fill, commit, reap, complete,
/// housekeeping). What rides on an IO hooks in apart: the data pattern and its check
/// (`PatternHook`, fio's populate_verify_io_u/verify_io_u), fio's log recording (inside the
/// measurement) and the per-pass cache drop (`PassCacheDrop`). The measured run and the
/// --verify read-back are this loop over different streams.
///
/// Generic over the engine and the stream, so each engine gets a specialised copy: per IO the
/// loop reads the clock, moves the stream and records, with no allocation, ARC or dynamic
/// dispatch; each hook is an optional checked once per IO.
struct Submitter<Engine: IOEngine, Stream: SubmitStream> {
    let engine: Engine
    let kind: EngineKind
    let depth: Int
    /// fio's iodepth_batch_submit, iodepth_batch_complete_min and _max; `completeMax` 0 reaps
    /// whatever is in flight (the read-back's way).
    let batchSubmit: Int
    let completeMin: Int
    let completeMax: Int
    var slots: SlotTable
    var stream: Stream
    var pattern: PatternHook?
    var cacheDrop: PassCacheDrop?
    /// fio's thinktime: pauses after every so many IOs (nil: none).
    var think: ThinkTime? = nil
    /// Whether a pattern or think time rides on the IOs, read once when the loop starts: the
    /// per-IO steps test these plain flags, not the optionals (whose test is an outlined call).
    var hasPattern = false
    var hasHooks = false
    /// fio's gtod_reduce: no latency recorded, the clock read every 64 IOs (nil: per IO).
    var reduced: ReducedClock? = nil
    /// fio's io_submit_mode=offload: a job ahead of its rate waits for completions only until
    /// its next IO is due, so IOs go out on the rate's schedule while a slot is free.
    var offload = false
    var m: RunMeasurement
    var schedule: RunSchedule
    var clock: CycleClock
    /// The time the loop last read; the rate limit decides from it.
    var now: UInt64
    let group: JobGroupControl?
    var progress: ProgressTicker?
    let usage: UsageProbe
    /// CPU, SQ thread and disk counters where the measured time began (again at ramp end).
    var usageStart: UsageMark
    /// An IO held back — the engine was busy, or (--verify) it overlaps a write in flight to
    /// its block — queued again, unchanged, before the stream moves on (a sync must not be
    /// dropped or reordered).
    var held: StreamIO? = nil
    var inFlight = 0
    /// No more IOs are issued: the deadline, Ctrl-C, the group's end, or the stream's end (a
    /// size-bound job's last IO issued).
    var stopping = false
    var interrupted = false

    /// IOs are recorded: the measured run after its ramp (never the read-back).
    @inline(__always)
    var recording: Bool { Stream.isMeasured && schedule.measuring }

    /// The time for an IO step that has seen `ios` IOs: read from the clock, or under
    /// gtod_reduce the last time read until 64 IOs have passed.
    @inline(__always)
    mutating func stamp(ios: Int) -> UInt64 {
        if reduced == nil || reduced?.readsClock(after: ios) == true { return clock.now() }
        return now
    }

    /// Runs until the stream ends or the run stops, and every IO issued has completed.
    mutating func run() throws(BenchError) {
        hasPattern = pattern != nil
        hasHooks = hasPattern || think != nil
        while true {
            try fill()
            if slots.queued > 0 { try commit() }
            if inFlight == 0 {
                if stopping { return }
                if slots.queued > 0 { throw .system(context: "\(kind.rawValue) accepted no IO with nothing in flight", error: .tryAgain) }
                idle()
                continue
            }
            try reap(waitingAtMost: offload ? dueWait() : nil)
        }
    }

    /// io_submit_mode=offload: how long the loop may wait for completions before its next IO
    /// is due; nil when no IO waits on the rate (every slot busy, the engine full, an IO held,
    /// or the run stopping), and the loop waits for a completion as fio's job thread waits for
    /// a free io_u.
    mutating func dueWait() -> UInt64? {
        guard !stopping && held == nil && inFlight + slots.queued < depth && !engine.isFull else { return nil }
        let wait = schedule.idleWait(at: now)
        return wait > 0 ? wait : nil
    }

    /// Fills the queue up to the depth (fio's default: commit each IO as it is queued).
    @inline(__always)
    mutating func fill() throws(BenchError) {
        while !stopping && inFlight + slots.queued < depth {
            if engine.isFull { return }
            guard let io = held ?? stream.next(at: now, rate: &schedule.rate) else {
                if stream.ended { stopping = true }
                return
            }
            held = nil
            // fio's serialize_overlap under --verify: an IO that overlaps a write in flight to
            // its block waits for it (the loop reaps, then tries it again).
            if hasPattern, pattern.unsafelyUnwrapped.mustWait(io) { held = io; return }
            if try !queue(io) { return }
            if think?.isDue == true && io.direction.isData { try pauseToThink() }
        }
    }

    /// fio's handle_thinktime: every IO in flight completes, then the loop spins and sleeps
    /// (never past the deadline, and seeing Ctrl-C and the group's end at each 50 ms tick).
    mutating func pauseToThink() throws(BenchError) {
        guard let pause = think else { return }
        think?.paused()
        while inFlight > 0 || slots.queued > 0 {
            if slots.queued > 0 { try commit() }
            if inFlight > 0 { try reap() }
        }
        now = clock.now()
        let end = min(now &+ pause.pauseNanoseconds, schedule.deadline)
        let spinEnd = min(now &+ pause.spinNanoseconds, end)
        while now < spinEnd { now = clock.now() }
        while !stopping && now < end {
            let wait = min(end - now, RunSchedule.tickInterval)
            var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            nanosleep(&ts, nil)
            now = clock.now()
            housekeeping(now)
        }
        housekeeping(now)
    }

    /// Queues one IO; false when the engine was busy (the IO is held for the next fill).
    @inline(__always)
    mutating func queue(_ io: StreamIO) throws(BenchError) -> Bool {
        if cacheDrop != nil { dropCacheOnNewPass() }
        let slot = slots.take()
        slots.offsets[slot] = io.offset
        slots.lengths[slot] = io.length
        slots.directions[slot] = io.direction
        // Off the clock: a write's buffer (pattern, generation, checksums) is ready before the
        // queue timestamp.
        if hasPattern { preparePattern(slot: slot, io) }
        let status: QueueResult
        let t0: UInt64
        do {
            try engine.prepare(offset: io.offset, direction: io.direction)
            t0 = reduced == nil ? clock.now() : now
            slots.startTimes[slot] = t0
            status = try engine.queue(slot: slot, offset: io.offset, length: io.length, direction: io.direction)
        } catch {
            throw .ioFailed(engine: kind.rawValue, direction: io.direction, offset: io.offset, error: error)
        }
        if status.accepted && hasHooks { queuedHooks(io) }
        switch status {
        case .queued:
            slots.markQueued(slot)
            if slots.queued >= batchSubmit { try commit() }
            return true
        case .busy:
            held = io
            slots.release(slot)
            return false
        case .completed(let n):
            try completedInQueue(slot: slot, io, result: n, queuedAt: t0)
            return true
        }
    }

    /// An IO done inside queue (a sync engine, or a sync on libaio): lat is clat. For a sync
    /// engine the depth/submit/complete distributions are all "one"; they are filled in once
    /// at the end instead of per IO. Out of line, so that queue stays small for the engines
    /// that never complete there (a call is nothing beside a syscall).
    @inline(never)
    mutating func completedInQueue(slot: Int, _ io: StreamIO, result n: Int, queuedAt t0: UInt64) throws(BenchError) {
        let t1 = stamp(ios: 1)
        if schedule.endsSharedRamp(at: t1) { tick(t1) }
        let expected = io.direction.isData ? io.length : 0
        if n != expected {
            throw .shortIO(engine: kind.rawValue, direction: io.direction, offset: io.offset, got: n, expected: expected)
        }
        slots.issueTimes[slot] = t0
        try complete(slot: slot, at: t1)
        now = t1
        housekeeping(t1)
    }

    @inline(never)
    mutating func dropCacheOnNewPass() {
        let passes = stream.passes
        cacheDrop?.check(passes: passes)
    }

    @inline(never)
    mutating func preparePattern(slot: Int, _ io: StreamIO) {
        pattern?.prepare(slot: slot, io)
    }

    /// Hands the queued IOs to the kernel and stamps their submit time.
    @inline(__always)
    mutating func commit() throws(BenchError) {
        let submitted: Int
        do { submitted = try engine.commit() } catch {
            throw .system(context: "\(kind.rawValue) submit", error: error)
        }
        precondition(submitted <= slots.queued, "engine reported \(submitted) submitted of \(slots.queued) queued")
        // Under gtod_reduce there is no slat to take, and the clock is not read.
        let t = reduced == nil ? clock.now() : now
        let recording = self.recording
        let timed = recording && reduced == nil
        for i in 0..<submitted {
            let slot = slots.pending[i]
            slots.issueTimes[slot] = t
            if timed { m.recordSubmit(slots.directions[slot], t &- slots.startTimes[slot], bytes: slots.lengths[slot], at: t) }
        }
        slots.submitted(submitted)
        inFlight += submitted
        if recording { m.depthCounters.countCommit(submitted: submitted, inFlight: inFlight) }
    }

    /// Reaps at least completeMin (one when draining) and at most completeMax: fio's default
    /// takes one completion and refills its slot before taking the next.
    /// `waitingAtMost` (offload): gives up after that long, having maybe reaped nothing.
    @inline(__always)
    mutating func reap(waitingAtMost wait: UInt64? = nil) throws(BenchError) {
        let minimum = min(stopping ? 1 : completeMin, inFlight)
        let maximum = stopping || completeMax == 0 ? inFlight : completeMax
        let reaped: Int
        do {
            if let wait {
                reaped = try engine.reap(minimum: minimum, maximum: maximum, waitingAtMost: wait)
            } else {
                reaped = try engine.reap(minimum: minimum, maximum: maximum)
            }
        } catch {
            if error == .interrupted {
                now = clock.now()
                schedule.tickNow()
                housekeeping(now)
                return
            }
            throw .system(context: "\(kind.rawValue) reap", error: error)
        }
        // Under offload a rate paces the job, so the stamp is a clock read here.
        let t = stamp(ios: reaped)
        if schedule.endsSharedRamp(at: t) { tick(t) }
        if recording && (reaped > 0 || wait == nil) { m.depthCounters.countReap(reaped) }
        for i in 0..<reaped {
            let c = engine.completion(at: i)
            guard c.slot >= 0 && Int(c.slot) < depth else {
                throw .system(context: "\(kind.rawValue) completed an IO uringbench did not queue (slot \(c.slot))", error: Errno(rawValue: EIO))
            }
            let slot = Int(c.slot)
            try Runner.check(c, slot: slot, slots: slots, engine: kind)
            try complete(slot: slot, at: t)
        }
        inFlight -= reaped
        now = t
        housekeeping(t)
    }

    /// Records a completed IO, then (after the timestamp, so verification time stays out of
    /// every latency figure) checks what it read, and frees its slot.
    @inline(__always)
    mutating func complete(slot: Int, at t: UInt64) throws(BenchError) {
        let direction = slots.directions[slot]
        if recording {
            if reduced == nil {
                m.recordCompletion(direction, clat: t &- slots.issueTimes[slot], lat: t &- slots.startTimes[slot], bytes: slots.lengths[slot], at: t)
            } else {
                m.countCompletion(direction, bytes: slots.lengths[slot])
            }
        }
        if hasHooks { try completedHooks(slot: slot, direction: direction) }
        stream.completed(direction)
        slots.release(slot)
    }

    // The hooks of a queued and a completed IO, out of line: a job without verify or think
    // time never calls them, and the per-IO steps stay small enough to be inlined whole.
    @inline(never)
    mutating func queuedHooks(_ io: StreamIO) {
        pattern?.queued(io)
        if think != nil && io.direction.isData { think?.issuedIO() }
    }

    @inline(never)
    mutating func completedHooks(slot: Int, direction: IODirection) throws(BenchError) {
        if pattern != nil, try pattern?.completed(slot: slot, direction: direction, offset: slots.offsets[slot], length: slots.lengths[slot]) == true {
            m.verifiedIOs &+= 1
            m.verifiedBytes &+= UInt64(truncatingIfNeeded: slots.lengths[slot])
        }
        if think != nil && direction.isData { think?.completedIO() }
    }

    /// Nothing in flight and nothing may issue: a rate-limited loop sleeps until its next IO.
    mutating func idle() {
        now = clock.now()
        let wait = schedule.idleWait(at: now)
        if wait > 0 {
            var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            nanosleep(&ts, nil)
            now = clock.now()
        }
        housekeeping(now)
    }

    /// Called with a fresh timestamp after every completion batch; cheap unless a tick is due.
    @inline(__always)
    mutating func housekeeping(_ t: UInt64) {
        if schedule.isDue(t) { tick(t) }
    }

    /// The 50 ms tick: the stop flags, the ramp's end, the deadline, samples and progress.
    mutating func tick(_ t: UInt64) {
        if StopLatch.requested { stopping = true; interrupted = true }
        if let group, group.windowEnded || group.stopRequested { stopping = true }
        let tick = schedule.tick(at: t, stopping: stopping)
        if tick.deadlineReached { stopping = true }
        // A job of a group that reaches the deadline or sees Ctrl-C ends the group's window for
        // every job; one that has issued its size leaves the others running (fio's group
        // runtime then runs to the last job's end).
        if let group, tick.deadlineReached || interrupted { group.endWindow() }
        guard Stream.isMeasured else { return }
        if tick.rampEnded {
            // Forget everything so far, as fio does after ramp_time.
            m.reset(at: schedule.measureStart)
            progress?.restart()
            usageStart = usage.mark()
            group?.startWindow()
        }
        if let seconds = tick.sampleSeconds { m.sample(seconds: seconds) }
        if let seconds = tick.progressSeconds {
            progress?.report(at: t, seconds: seconds, dataIOs: m.dataIOs, dataBytes: m.dataBytes, ramping: !schedule.measuring, issuedFraction: stream.issuedFraction)
        }
    }
}
