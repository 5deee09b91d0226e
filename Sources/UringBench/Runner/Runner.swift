import CSystemShims
import Foundation
import Glibc
import UringCore

/// A snapshot for the live progress line, delivered about once a second.
public struct ProgressSnapshot: Sendable {
    public var elapsedNanoseconds: UInt64
    public var totalNanoseconds: UInt64
    public var iops: Double
    public var bytesPerSecond: Double
    public var ramping: Bool
    /// A size-bound job's share of its IOs issued (0...1); nil for a time-based one, whose
    /// progress is its time.
    public var issuedFraction: Double? = nil
}

/// Runs a job: opens (or lays out) the file, starts the engine, drives the IO loop for the
/// configured time and returns what was measured. The loop itself is `Submitter`, generic over
/// the engine so each engine gets a specialised copy with no dynamic dispatch per IO.
public enum Runner {
    /// `logs`: the job's fio log files, opened by the caller before the run; they receive what
    /// the loop recorded (`FioLogFileSet.writeRecorded()` writes them).
    public static func run(_ job: JobSpec,
                           logs: FioLogFileSet? = nil,
                           layoutProgress: DataFile.Progress? = nil,
                           progress: ((ProgressSnapshot) -> Void)? = nil) throws(BenchError) -> RunResult {
        try run(job, logs: logs, layoutProgress: layoutProgress, progress: progress, beforeReadBack: nil)
    }

    /// `beforeReadBack` (tests) sees the offsets of the blocks written, in the order --verify
    /// will read them back, after the run and before it does.
    static func run(_ job: JobSpec, logs: FioLogFileSet? = nil, layoutProgress: DataFile.Progress? = nil, progress: ((ProgressSnapshot) -> Void)? = nil,
                    beforeReadBack: ReadBack.Hook?) throws(BenchError) -> RunResult {
        // A numjobs group: its jobs merged, as fio's group_reporting reports them.
        // Pinned jobs run on threads of their own, so pinning never outlives the job.
        if job.numjobs > 1 || job.cpusAllowed != nil { return try runGroup(job, logs: logs, layoutProgress: layoutProgress, progress: progress).merged }
        // The engine and the file are checked before a file is laid out for an engine that cannot run.
        try Preflight.check([job])
        let file = try DataFile.opened(for: job, progress: layoutProgress)
        try file.refuseUnverifiableReads(job)
        var result = try runJob(job, file: file, jobIndex: 0, group: nil, logs: logs?.thread(0), progress: progress, beforeReadBack: beforeReadBack)
        if job.endFsync && !result.interrupted {
            // fio's end_fsync: once, after the measured run, in no figure.
            let t0 = MonotonicClock.now()
            do { try Syscalls.fsync(file.fd) } catch {
                throw .ioFailed(engine: job.engine.rawValue, direction: .sync, offset: 0, error: error)
            }
            result.endFsyncNanoseconds = MonotonicClock.now() - t0
        }
        return result
    }

    /// One job on an open file: its buffers and engine, then the loop. `jobIndex`: which copy of
    /// its job it is; `groupThread`: its index among all the threads of its group (the barrier's).
    static func runJob(_ job: JobSpec, file: DataFile, jobIndex: Int, group: JobGroupControl?, groupThread: Int = 0,
                       engineShare: (any EngineGroupShare)? = nil, startDelay: UInt64 = 0, logs: FioLogFiles? = nil,
                       progress: ((ProgressSnapshot) -> Void)?, beforeReadBack: ReadBack.Hook? = nil) throws(BenchError) -> RunResult {
        let depth = job.effectiveDepth
        var spare = PatternHook.spareBuffers(for: job)
        if let limit = job.engine.descriptor.bufferLimit(job) { spare = max(0, min(spare, limit - depth)) }
        let buffers = try AlignedBuffers(count: depth, size: job.largestBlockSize, alignment: max(4096, file.directAlignment),
                                         spare: spare)
        var context = EngineContext(fd: file.fd, buffers: buffers, bufferSize: job.largestBlockSize, depth: depth, job: job)
        context.jobIndex = jobIndex
        context.region = file.region
        context.groupShare = engineShare
        if job.direct && file.region.start % UInt64(max(1, file.directAlignment)) != 0 {
            throw .invalidOption("--offset: job \(jobIndex + 1) starts at \(file.region.start), which is not a multiple of the \(file.directAlignment)-byte alignment O_DIRECT needs on '\(job.filename)'; use an --offset and --offset-increment that are multiples of \(file.directAlignment), or --direct 0")
        }
        if file.region.length < UInt64(job.blockSize) {
            throw .invalidOption("--offset: job \(jobIndex + 1) starts at \(file.region.start), which leaves it \(file.region.length) bytes of --filesize, less than one --bs \(job.blockSize) block (fio: 'offset larger than length'); use a smaller --offset or a larger --filesize")
        }
        let blockCount = IOStream.blockCount(job: job, fileSize: file.fileSize, region: file.region)
        var driver = EngineDriver(job: job, file: file, buffers: buffers, blockCount: blockCount,
                                  machine: file.machine, progress: progress)
        driver.group = group
        driver.jobIndex = jobIndex
        driver.groupThread = groupThread
        driver.startDelay = startDelay
        driver.beforeReadBack = beforeReadBack
        driver.logs = logs
        var result = try job.engine.descriptor.start(context, driver)
        result.overwritten = file.overwritten
        // What the kernel holds for the descriptor the engine used, not what the job asked.
        let flags = fcntl(file.fd, F_GETFL)
        result.openedDirect = flags < 0 ? nil : flags & CSystemShims_O_DIRECT != 0
        return result
    }

    @inline(__always)
    static func check(_ c: Completion, slot: Int, slots: SlotTable, engine: EngineKind) throws(BenchError) {
        let direction = slots.directions[slot]
        let expected = direction.isData ? slots.lengths[slot] : 0
        if c.result == Int32(truncatingIfNeeded: expected) { return }
        let offset = slots.offsets[slot]
        if c.result < 0 { throw .ioFailed(engine: engine.rawValue, direction: direction, offset: offset, error: Errno(negated: c.result)) }
        throw .shortIO(engine: engine.rawValue, direction: direction, offset: offset, got: Int(c.result), expected: expected)
    }

    // The hot loop. Per IO: the next direction and offset from the seeded stream, two clock
    // reads (queue and, shared by each batch, submit and reap), histogram increments. No
    // allocation, no ARC. The loop is a `Submitter`, generic over the engine; here it is set
    // up, run, followed by the --verify read-back, and turned into the result.
    static func drive<E: IOEngine>(_ engine: E, job: JobSpec, file: DataFile, buffers: AlignedBuffers,
                                   blockCount: UInt64, machine: MachineInfo,
                                   progress: ((ProgressSnapshot) -> Void)?,
                                   group: JobGroupControl? = nil, jobIndex: Int = 0, groupThread: Int = 0, startDelay: UInt64 = 0,
                                   beforeReadBack: ReadBack.Hook? = nil, logs: FioLogFiles? = nil) throws(BenchError) -> RunResult {
        let depth = job.effectiveDepth
        let slots = SlotTable(depth: depth)
        defer { slots.deallocate() }
        // Each job of a group its own offset stream (fio seeds each job from randseed and its number).
        var streamJob = job
        streamJob.randSeed = JobSeed.seed(job.randSeed, job: jobIndex)
        let stream = IOStream(job: streamJob, fileSize: file.fileSize, region: file.region)
        let pattern = try patternHook(job: job, file: file, buffers: buffers, blockCount: blockCount,
                                  inWriteOrder: stream.usesRandomMap)
        defer { pattern?.deallocate() }
        // Every job of a group set up (engine, buffers, file) before any starts; then all
        // measure from one start time, toward one deadline.
        var groupStart: UInt64? = nil
        if let group {
            guard let start = group.arriveAndWait(job: groupThread) else { throw .groupStopped }
            // fio's startdelay: this job starts later than the group, and measures from then.
            groupStart = start &+ startDelay
            if startDelay > 0 { waitForStart(start &+ startDelay, group: group) }
        }
        // fio's clocksource=cpu where the kernel itself keeps time with the TSC.
        var clock = CycleClock.shared
        // Never after this thread's first reading (another CPU's counter may lag a little).
        let first = clock.now()
        let loopStart = min(groupStart ?? .max, first)
        // A group's jobs all report the wall time of their shared start, read once with it.
        let wallStart = group.map { $0.startWallTime + Double(startDelay) / 1e9 } ?? Date().timeIntervalSince1970 - Double(first - loopStart) / 1e9
        let recording = logs.map { LogRecording(files: $0, blockSize: job.blockSize, start: loopStart) }
        defer { recording?.deallocate() }
        let limit = IssueLimit(job: job, passLength: IssueLimit.passLength(of: stream, job: job))
        var loop = submitter(engine, job: job, file: file, slots: slots, stream: JobStream(stream: stream, limit: limit, job: job),
                             pattern: pattern, clock: clock, start: loopStart, group: group, progress: progress)
        loop.m.logs = recording?.recorder
        try loop.run()
        let end = loop.clock.now()
        group?.stopMeasuring()
        if loop.schedule.measuring, let recording, let logs { recording.finish(at: end, into: logs) }
        // Read while this job's ring still holds its SQ thread (it exits with the last ring).
        let usageEnd = loop.usage.mark(disk: false)
        // fio's do_verify: every block written is read back through the engine and checked,
        // after every figure above was taken.
        var readBack: ReadBack.Outcome? = nil
        if var hook = loop.pattern, let tracker = hook.tracker, job.verify {
            if loop.interrupted {
                readBack = .skipped(tracker)
            } else {
                beforeReadBack?(ReadBack.order(tracker, blockSize: job.blockSize, regionStart: hook.regionStart))
                hook.readingBack = true
                readBack = try ReadBack.run(engine, hook: hook, tracker: tracker, slots: loop.slots, job: job)
            }
        }
        return result(of: loop, job: job, file: file, machine: machine, wallStart: wallStart, end: end,
                      usageEnd: usageEnd, readBack: readBack, group: group)
    }

    /// Sleeps until `t` (CycleClock's), in ticks, so a stop (Ctrl-C, a failing job, the group's
    /// end) is seen while waiting.
    static func waitForStart(_ t: UInt64, group: JobGroupControl) {
        var clock = CycleClock.shared
        while true {
            let now = clock.now()
            if now >= t || group.stopRequested || group.windowEnded || StopLatch.requested { return }
            let ns = min(t - now, RunSchedule.tickInterval)
            var ts = timespec(tv_sec: 0, tv_nsec: Int(ns))
            nanosleep(&ts, nil)
        }
    }

    /// The data pattern a job's writes carry and its reads are checked against; nil for a job
    /// that neither writes nor verifies.
    static func patternHook(job: JobSpec, file: DataFile, buffers: AlignedBuffers, blockCount: UInt64,
                            inWriteOrder: Bool) throws(BenchError) -> PatternHook? {
        guard job.rw.writes || job.verify else { return nil }
        // Writes put back the file's own pattern (a new generation of it), so every read stays
        // verifiable; over a target without uringbench's header (--allow-overwrite) they say so
        // in every sector, so that writing its sector 0 does not make it uringbench's.
        let seed = file.patternSeed ?? job.randSeed
        let flags: UInt32 = file.patternSeed == nil ? DataPattern.overwriteFlag : 0
        // This run's writes are numbered from its start time in nanoseconds, and under --verify
        // from above every generation the file holds, whatever the clock said when it was written.
        var base = Runner.generationBase()
        if job.verify && job.rw.writes {
            base = max(base, try GenerationFloor.highest(fd: file.fd, from: file.region.start, length: blockCount * UInt64(job.blockSize),
                                                         alignment: file.directAlignment))
        }
        let tracker: BlockGenerations? = job.verify && job.rw.writes
            ? BlockGenerations(blocks: Int(blockCount), base: base, inWriteOrder: inWriteOrder) : nil
        return PatternHook(pattern: SectorPattern(seed: seed, flags: flags), buffers: buffers, blockSize: job.blockSize,
                           regionStart: file.region.start, depth: job.effectiveDepth, kind: job.engine, checksReads: job.verify, tracker: tracker,
                           generationBase: base)
    }

    /// The measured run's loop, at its start.
    static func submitter<E: IOEngine>(_ engine: E, job: JobSpec, file: DataFile, slots: SlotTable, stream: JobStream,
                                       pattern: PatternHook?, clock: CycleClock, start: UInt64, group: JobGroupControl?,
                                       progress: ((ProgressSnapshot) -> Void)?) -> Submitter<E, JobStream> {
        let schedule = RunSchedule(start: start, rampNanoseconds: job.rampNanoseconds,
                                   runtimeNanoseconds: job.runtimeNanoseconds, rate: IssueRate.of(job, start: start),
                                   sharedWindow: group != nil)
        let ticker = progress.map {
            ProgressTicker(emit: $0, start: start, totalNanoseconds: job.rampNanoseconds + job.runtimeNanoseconds)
        }
        // Two samples a second; a long run grows the arrays beyond this as it goes.
        let m = RunMeasurement(expectedSamples: Int(min(job.runtimeNanoseconds / RunSchedule.sampleInterval, 1 << 16)) + 4,
                               writes: job.rw.writes)
        let dropsCache = !job.direct && job.invalidate && job.engine.descriptor.transfersData
        let usage = UsageProbe(sqThread: engine.sqThreadID, device: file.blockDevice?.name)
        return Submitter(engine: engine, kind: job.engine, depth: job.effectiveDepth,
                         batchSubmit: job.batchSubmit, completeMin: job.batchCompleteMin, completeMax: job.effectiveBatchCompleteMax,
                         slots: slots, stream: stream, pattern: pattern, cacheDrop: dropsCache ? PassCacheDrop(fd: file.fd, range: file.invalidateRange) : nil,
                         think: ThinkTime(job), reduced: job.gtodReduce ? ReducedClock(job: job) : nil, offload: job.submitOffload,
                         m: m, schedule: schedule, clock: clock, now: start, group: group, progress: ticker,
                         usage: usage, usageStart: usage.mark())
    }

    /// What a finished loop measured, as the run's result.
    static func result<E: IOEngine>(of loop: Submitter<E, JobStream>, job: JobSpec, file: DataFile, machine: MachineInfo,
                                    wallStart: Double, end: UInt64, usageEnd: UsageMark,
                                    readBack: ReadBack.Outcome?, group: JobGroupControl?) -> RunResult {
        var m = loop.m
        var distributions = m.depthCounters.distributions
        // Interrupted during the ramp: nothing was measured, so nothing is reported — not the
        // ramp's CPU, disk or verified reads, and no runtime (RunResult.measuredNothing).
        let measuring = loop.schedule.measuring
        let measureStart = measuring ? loop.schedule.measureStart : end
        if !measuring { m.verifiedIOs = 0; m.verifiedBytes = 0 }
        let start = loop.usageStart
        var disk: DiskUtilization? = nil
        if measuring, let device = loop.usage.device, let before = start.disk, let after = DiskCounters.read(device: device) {
            let delta = after - before
            let elapsedMs = Double(end - measureStart) / 1e6
            disk = DiskUtilization(device: device, counters: delta,
                                   utilPercent: elapsedMs > 0 ? min(100, Double(delta.ioTicks) / elapsedMs * 100) : 0)
        }
        var setup = loop.engine.setup
        var sqThreads: SQThreadUsage? = nil
        if measuring, let sqThread = loop.usage.sqThread {
            if let begun = start.sqThread, let ended = usageEnd.sqThread {
                sqThreads = SQThreadUsage(threads: [ended - begun], rings: 1)
            } else {
                setup.notes.append("the SQ thread (thread \(sqThread)) could not be read at the \(start.sqThread == nil ? "start" : "end") of the run, so its CPU is only in the process line")
            }
        }
        let synchronous = job.engine.isSynchronous
        let syncs = m.syncLatency.count
        if synchronous {
            let all = m.dataIOs &+ syncs
            distributions.depth[0] = all
            distributions.submit[1] = all
            distributions.complete[1] = all
        }
        let readResult = m.reads.result(synchronous: synchronous)
        let writeResult = m.writes.result(synchronous: synchronous)
        let total = job.rw.isMixed ? DirectionMeasurement.combined(readResult, writeResult)
                                   : job.rw.reads ? readResult : writeResult
        var result = RunResult(
            job: job, setup: setup, machine: machine, startedAt: wallStart,
            runtimeNanoseconds: end - measureStart, totalIOs: total.ios, bytes: total.bytes,
            slat: total.slat, clat: total.clat, lat: total.lat,
            iopsSamples: total.iopsSamples, bandwidthSamples: total.bandwidthSamples,
            mixed: job.rw.isMixed ? MixedDirections(read: readResult, write: writeResult) : nil,
            syncLatency: syncs > 0 || job.fsyncEvery > 0 || job.fdatasyncEvery > 0 ? m.syncLatency.histogram : nil,
            cpu: measuring ? cpuDelta(start.process, usageEnd.process, start.thread, usageEnd.thread) : CPUUsage(),
            distributions: distributions, disk: disk,
            verify: VerifySummary(enabled: job.verify, checkedIOs: m.verifiedIOs, checkedBytes: m.verifiedBytes,
                                  readBackBlocks: readBack?.blocks, readBackNanoseconds: readBack?.nanoseconds,
                                  readBackComplete: readBack?.complete,
                                  writtenBlocks: readBack?.complete == false ? readBack?.writtenBlocks : nil,
                                  firstGeneration: job.rw.writes ? loop.pattern.map { $0.firstGeneration } : nil),
            sqThreadWakeups: nil, sqThreads: sqThreads, interrupted: loop.interrupted,
            ending: JobEnding(timeBased: job.timeBased, interrupted: loop.interrupted, issuedAll: loop.stream.ended),
            uringbenchVersion: UringBenchVersion.current,
            threadID: group == nil ? nil : Syscalls.threadID,
            memory: memoryFigures(start: start.memory, end: usageEnd.memory, measuring: measuring, job: job, device: loop.usage.device,
                                  bytesRead: readResult.bytes, bytesWritten: writeResult.bytes, ios: readResult.ios &+ writeResult.ios))
        result.clockReads = loop.reduced?.reads
        return result
    }

    /// The measured window's memory figures; nil when nothing was measured.
    static func memoryFigures(start: MemoryCounters?, end: MemoryCounters?, measuring: Bool, job: JobSpec, device: String?,
                              bytesRead: UInt64, bytesWritten: UInt64, ios: UInt64) -> MemoryFigures? {
        guard measuring, let start, let end else { return nil }
        return MemoryFigures(window: start, end, job: job, device: device, bytesRead: bytesRead, bytesWritten: bytesWritten, ios: ios)
    }

    /// The first write generation of a run: the wall clock in nanoseconds.
    static func generationBase() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(max(0, ts.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, ts.tv_nsec))
    }

    static func seconds(_ tv: timeval) -> Double { Double(tv.tv_sec) + Double(tv.tv_usec) / 1e6 }

    static func cpuDelta(_ p0: rusage, _ p1: rusage, _ t0: rusage, _ t1: rusage) -> CPUUsage {
        CPUUsage(processUserSeconds: seconds(p1.ru_utime) - seconds(p0.ru_utime),
                 processSystemSeconds: seconds(p1.ru_stime) - seconds(p0.ru_stime),
                 threadUserSeconds: seconds(t1.ru_utime) - seconds(t0.ru_utime),
                 threadSystemSeconds: seconds(t1.ru_stime) - seconds(t0.ru_stime),
                 contextSwitches: UInt64((t1.ru_nvcsw + t1.ru_nivcsw) - (t0.ru_nvcsw + t0.ru_nivcsw)),
                 majorFaults: UInt64(t1.ru_majflt - t0.ru_majflt),
                 minorFaults: UInt64(t1.ru_minflt - t0.ru_minflt))
    }
}
