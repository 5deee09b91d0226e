import CSystemShims
import Foundation
import Glibc

/// A snapshot for the live progress line, delivered about once a second.
public struct ProgressSnapshot: Sendable {
    public var elapsedNanoseconds: UInt64
    public var totalNanoseconds: UInt64
    public var iops: Double
    public var bytesPerSecond: Double
    public var ramping: Bool
}

/// Runs a job: opens (or lays out) the file, starts the engine, drives the IO loop for the
/// configured time and returns what was measured. The loop is written once, here, generic over
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
        let file = try DataFile(job: job, progress: layoutProgress)
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

    /// One job on an open file: its buffers and engine, then the loop.
    static func runJob(_ job: JobSpec, file: DataFile, jobIndex: Int, group: JobGroupControl?, logs: FioLogFiles? = nil,
                       progress: ((ProgressSnapshot) -> Void)?, beforeReadBack: ReadBack.Hook? = nil) throws(BenchError) -> RunResult {
        let depth = job.effectiveDepth
        let buffers = try AlignedBuffers(count: depth, size: job.blockSize, alignment: max(4096, file.directAlignment))
        var context = EngineContext(fd: file.fd, buffers: buffers, blockSize: job.blockSize, depth: depth, job: job)
        context.jobIndex = jobIndex
        context.groupShare = group?.engineShare
        let blockCount = IOStream.blockCount(job: job, fileSize: file.fileSize)
        var driver = EngineDriver(job: job, file: file, buffers: buffers, blockCount: blockCount,
                                  machine: file.machine, progress: progress)
        driver.group = group
        driver.jobIndex = jobIndex
        driver.beforeReadBack = beforeReadBack
        driver.logs = logs
        var result = try job.engine.descriptor.start(context, driver)
        result.overwritten = file.overwritten
        return result
    }

    @inline(__always)
    static func check(_ c: Completion, slot: Int, offsets: UnsafeMutablePointer<UInt64>,
                      directions: UnsafeMutablePointer<IODirection>, blockSize: Int, engine: EngineKind) throws(BenchError) {
        let direction = directions[slot]
        let expected = direction.isData ? blockSize : 0
        if c.result == Int32(expected) { return }
        let offset = offsets[slot]
        if c.result < 0 { throw .ioFailed(engine: engine.rawValue, direction: direction, offset: offset, error: Errno(negated: c.result)) }
        throw .shortIO(engine: engine.rawValue, direction: direction, offset: offset, got: Int(c.result), expected: expected)
    }

    // The hot loop. Per IO: the next direction and offset from the seeded stream, two clock
    // reads (queue and, shared by each batch, submit and reap), histogram increments. No
    // allocation, no ARC. Its state lives in three small types: the slot table (the IOs in
    // flight), the measurement (what is recorded) and the schedule (ramp, deadline, samples,
    // rate); the loop itself is generic over the engine.
    static func drive<E: IOEngine>(_ engine: E, job: JobSpec, file: DataFile, buffers: AlignedBuffers,
                                   blockCount: UInt64, machine: MachineInfo,
                                   progress: ((ProgressSnapshot) -> Void)?,
                                   group: JobGroupControl? = nil, jobIndex: Int = 0,
                                   beforeReadBack: ReadBack.Hook? = nil, logs: FioLogFiles? = nil) throws(BenchError) -> RunResult {
        let depth = job.effectiveDepth
        let bs = job.blockSize
        let kind = job.engine
        let synchronous = kind.isSynchronous
        // Writes put back the file's own pattern (a new generation of it), so every read stays
        // verifiable; over a target without uringbench's header (--allow-overwrite) they say so
        // in every sector, so that writing its sector 0 does not make it uringbench's.
        let writeSeed = file.patternSeed ?? job.randSeed
        let writeFlags: UInt32 = file.patternSeed == nil ? DataPattern.overwriteFlag : 0
        // This run's writes are numbered from its start time in nanoseconds: above every
        // generation of the layout (0) and of earlier runs.
        var generation = Runner.generationBase()
        let firstGeneration = generation &+ 1
        // The pattern's fixed parts, made once: a write then sets each sector's header and checksum.
        let pattern: SectorPattern? = job.rw.writes || job.verify ? SectorPattern(seed: writeSeed, flags: writeFlags) : nil
        defer { pattern?.deallocate() }
        // Per slot: the variant of the first sector whose payloads its buffer holds (a write
        // left them there), or -1 after a read into it.
        let payloadVariants = UnsafeMutablePointer<Int>.allocate(capacity: depth)
        payloadVariants.initialize(repeating: -1, count: depth)
        defer { payloadVariants.deallocate() }
        // Per slot: what its read's block held for sure when the read was queued.
        let readFloors = UnsafeMutablePointer<UInt64>.allocate(capacity: depth)
        readFloors.initialize(repeating: 0, count: depth)
        defer { readFloors.deallocate() }
        let blockSize = UInt64(bs)
        let batchSubmit = job.batchSubmit
        let batchCompleteMin = job.batchCompleteMin
        let batchCompleteMax = job.effectiveBatchCompleteMax

        var slots = SlotTable(depth: depth)
        defer { slots.deallocate() }
        // Each job of a group its own offset stream (fio seeds each job from randseed and its number).
        var streamJob = job
        streamJob.randSeed = JobSeed.seed(job.randSeed, job: jobIndex)
        var stream = IOStream(job: streamJob, fileSize: file.fileSize)
        let tracker: BlockGenerations? = job.verify && job.rw.writes
            ? BlockGenerations(blocks: Int(blockCount), base: generation, inWriteOrder: stream.usesRandomMap) : nil
        defer { tracker?.deallocate() }
        // An IO the engine was busy for: queued again, unchanged, before the stream moves on
        // (a sync must not be dropped or reordered).
        var held: (direction: IODirection, offset: UInt64)? = nil
        // fio drops a buffered file's cached pages each time a time-based job starts a new pass
        // over it (its loop_cache_invalidate), so a long run never ends up measuring memory.
        let dropCacheEachPass = !job.direct && job.invalidate && kind.descriptor.transfersData
        var passesSeen: UInt64 = 0
        // Two samples a second; a long run grows the arrays beyond this as it goes.
        var m = RunMeasurement(expectedSamples: Int(min(job.runtimeNanoseconds / RunSchedule.sampleInterval, 1 << 16)) + 4,
                               writes: job.rw.writes)

        var inFlight = 0
        var stopping = false, interrupted = false
        // Every job of a group set up (engine, buffers, file) before any starts.
        if let group, !group.arriveAndWait(job: jobIndex) { throw .groupStopped }
        let wallStart = Date().timeIntervalSince1970
        // fio's clocksource=cpu where the kernel itself keeps time with the TSC.
        var clock = CycleClock.shared
        let loopStart = clock.now()
        var schedule = RunSchedule(start: loopStart, rampNanoseconds: job.rampNanoseconds,
                                   runtimeNanoseconds: job.runtimeNanoseconds, rateIOPS: job.rateIOPS,
                                   writeRateIOPS: job.writeRateIOPS)
        var iosAtProgress: UInt64 = 0
        let recorder = logs.map { files in
            let p = UnsafeMutablePointer<FioLogRecorder>.allocate(capacity: 1)
            p.initialize(to: FioLogRecorder(options: files.options, blockSize: bs, start: loopStart))
            return p
        }
        defer { recorder?.deinitialize(count: 1).deallocate() }
        m.logs = recorder

        var processStart = Syscalls.getrusage(RUSAGE_SELF.rawValue)
        var threadStart = Syscalls.getrusage(CSystemShims_RUSAGE_THREAD)
        // The SQPOLL thread is not this thread: its CPU is read from /proc, at the same points.
        let sqThread = engine.sqThreadID
        var sqThreadStart = sqThread.flatMap(ThreadCPUTime.read)
        var diskStart = file.blockDevice.flatMap { DiskCounters.read(device: $0.name) }
        var now = loopStart

        // Called with a fresh timestamp after every completion batch; cheap unless a tick is due.
        @inline(__always)
        func housekeeping(_ t: UInt64) {
            guard schedule.isDue(t) else { return }
            if CSystemShims_stop_requested() != 0 { stopping = true; interrupted = true }
            if let group, group.stopRequested { stopping = true }
            let tick = schedule.tick(at: t, stopping: stopping)
            if tick.rampEnded {
                // Forget everything so far, as fio does after ramp_time.
                m.reset(at: t)
                iosAtProgress = 0
                processStart = Syscalls.getrusage(RUSAGE_SELF.rawValue)
                threadStart = Syscalls.getrusage(CSystemShims_RUSAGE_THREAD)
                sqThreadStart = sqThread.flatMap(ThreadCPUTime.read)
                diskStart = file.blockDevice.flatMap { DiskCounters.read(device: $0.name) }
            }
            if tick.deadlineReached { stopping = true }
            if let seconds = tick.sampleSeconds { m.sample(seconds: seconds, blockSize: bs) }
            if let progress, let seconds = tick.progressSeconds {
                let rate = Double(m.dataIOs &- iosAtProgress) / seconds
                progress(ProgressSnapshot(elapsedNanoseconds: t - loopStart,
                                          totalNanoseconds: job.rampNanoseconds + job.runtimeNanoseconds,
                                          iops: rate, bytesPerSecond: rate * Double(bs), ramping: !schedule.measuring))
                iosAtProgress = m.dataIOs
            }
        }

        // After the timestamp: verification time stays out of every latency figure. A read is
        // checked against what was last written to its block (or any write in flight to it).
        @inline(__always)
        func verifyCompleted(slot: Int) throws(BenchError) {
            let direction = slots.directions[slot]
            if let tracker, direction == .write { tracker.writeCompleted(block: Int(slots.offsets[slot] / blockSize)) }
            guard job.verify, direction == .read, let pattern else { return }
            let offset = slots.offsets[slot]
            let window = tracker.map { $0.window(block: Int(offset / blockSize), floor: readFloors[slot]) } ?? .any
            if let bad = pattern.verify(buffers.buffer(slot), length: bs, fileOffset: offset, generations: window) {
                throw .verifyFailed(engine: kind.rawValue, offset: offset, length: bs, detail: bad.description)
            }
            m.verifiedIOs &+= 1
        }

        @inline(__always)
        func complete(slot: Int, at t: UInt64) throws(BenchError) {
            if schedule.measuring {
                m.recordCompletion(slots.directions[slot], clat: t &- slots.issueTimes[slot], lat: t &- slots.startTimes[slot], at: t)
            }
            try verifyCompleted(slot: slot)
            stream.completed(slots.directions[slot])
            slots.release(slot)
        }

        @inline(__always)
        func commit() throws(BenchError) {
            let submitted: Int
            do { submitted = try engine.commit() } catch {
                throw .system(context: "\(kind.rawValue) submit", error: error)
            }
            precondition(submitted <= slots.queued, "engine reported \(submitted) submitted of \(slots.queued) queued")
            let t = clock.now()
            for i in 0..<submitted {
                let slot = slots.pending[i]
                slots.issueTimes[slot] = t
                if schedule.measuring { m.recordSubmit(slots.directions[slot], t &- slots.startTimes[slot], at: t) }
            }
            slots.submitted(submitted)
            inFlight += submitted
            if schedule.measuring {
                m.distributions.submit[DepthDistributions.batchBucket(submitted)] &+= 1
                m.distributions.depth[DepthDistributions.depthBucket(inFlight)] &+= UInt64(submitted)
            }
        }

        while true {
            // Fill the queue up to the depth (fio's default: commit each IO as it is queued).
            fill: while !stopping && inFlight + slots.queued < depth {
                if engine.isFull { break fill }
                guard let io = held ?? stream.next(at: now, rate: &schedule.rate) else { break fill }
                let slot = slots.take()
                held = nil
                if dropCacheEachPass && stream.passes != passesSeen {
                    passesSeen = stream.passes
                    file.invalidateCache(job)
                }
                slots.offsets[slot] = io.offset
                slots.directions[slot] = io.direction
                if io.direction == .write, let pattern {
                    // Off the clock: the buffer (pattern, generation, checksums) is ready before
                    // the queue timestamp.
                    let variant = SectorPattern.variant(io.offset)
                    pattern.fill(buffers.buffer(slot), length: bs, fileOffset: io.offset, generation: generation &+ 1,
                                 payloadInPlace: payloadVariants[slot] == variant)
                    payloadVariants[slot] = variant
                } else if io.direction == .read {
                    payloadVariants[slot] = -1
                    if let tracker { readFloors[slot] = tracker.floor(block: Int(io.offset / blockSize)) }
                }
                let t0 = clock.now()
                slots.startTimes[slot] = t0
                let status: QueueResult
                do { status = try engine.queue(slot: slot, offset: io.offset, direction: io.direction) } catch {
                    throw .ioFailed(engine: kind.rawValue, direction: io.direction, offset: io.offset, error: error)
                }
                if io.direction == .write, status.accepted {
                    generation &+= 1
                    tracker?.writeQueued(block: Int(io.offset / blockSize), generation: generation)
                }
                switch status {
                case .queued:
                    slots.markQueued(slot)
                    if slots.queued >= batchSubmit { try commit() }
                case .busy:
                    held = io
                    slots.release(slot)
                    break fill
                case .completed(let n):
                    // Done inside queue (a sync engine, or a sync on libaio): lat is clat. For a
                    // sync engine the depth/submit/complete distributions are all "one"; they
                    // are filled in once at the end instead of per IO.
                    let t1 = clock.now()
                    let expected = io.direction.isData ? bs : 0
                    if n != expected {
                        throw .shortIO(engine: kind.rawValue, direction: io.direction, offset: io.offset, got: n, expected: expected)
                    }
                    if schedule.measuring { m.recordCompletion(io.direction, clat: t1 &- t0, lat: t1 &- t0, at: t1) }
                    try verifyCompleted(slot: slot)
                    stream.completed(io.direction)
                    slots.release(slot)
                    now = t1
                    housekeeping(t1)
                }
            }
            if slots.queued > 0 { try commit() }

            if inFlight == 0 {
                if stopping { break }
                if slots.queued > 0 { throw .system(context: "\(kind.rawValue) accepted no IO with nothing in flight", error: .tryAgain) }
                // Rate-limited and idle: sleep until the next IO is due.
                now = clock.now()
                let wait = schedule.idleWait(at: now)
                if wait > 0 {
                    var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
                    nanosleep(&ts, nil)
                    now = clock.now()
                }
                housekeeping(now)
                continue
            }

            // Reap at least batchCompleteMin (one when draining) and at most batchCompleteMax:
            // fio's default takes one completion and refills its slot before taking the next.
            let minimum = min(stopping ? 1 : batchCompleteMin, inFlight)
            let maximum = stopping ? inFlight : batchCompleteMax
            let reaped: Int
            do { reaped = try engine.reap(minimum: minimum, maximum: maximum) } catch {
                if error == .interrupted {
                    now = clock.now()
                    schedule.tickNow()
                    housekeeping(now)
                    continue
                }
                throw .system(context: "\(kind.rawValue) reap", error: error)
            }
            let t = clock.now()
            if schedule.measuring { m.distributions.complete[DepthDistributions.batchBucket(reaped)] &+= 1 }
            for i in 0..<reaped {
                let c = engine.completion(at: i)
                guard c.slot >= 0 && Int(c.slot) < depth else {
                    throw .system(context: "\(kind.rawValue) completed an IO uringbench did not queue (slot \(c.slot))", error: Errno(rawValue: EIO))
                }
                let slot = Int(c.slot)
                try check(c, slot: slot, offsets: slots.offsets, directions: slots.directions, blockSize: bs, engine: kind)
                try complete(slot: slot, at: t)
            }
            inFlight -= reaped
            now = t
            housekeeping(t)
        }

        let end = clock.now()
        if schedule.measuring, let recorder {
            recorder.pointee.finish(at: end)
            logs?.recorded = recorder.pointee       // shares the samples' chunks, copies none
        }
        let processEnd = Syscalls.getrusage(RUSAGE_SELF.rawValue)
        let threadEnd = Syscalls.getrusage(CSystemShims_RUSAGE_THREAD)
        // Read while this job's ring still holds its SQ thread (it exits with the last ring).
        let sqThreadEnd = sqThread.flatMap(ThreadCPUTime.read)
        // fio's do_verify: every block written is read back through the engine and checked,
        // after every figure above was taken.
        var readBack: ReadBack.Outcome? = nil
        if let tracker, let pattern, job.verify, !interrupted {
            if let beforeReadBack {
                var order: [UInt64] = []
                var next = tracker.nextToReadBack(from: 0)
                while let (block, after) = next {
                    order.append(UInt64(block) * blockSize)
                    next = tracker.nextToReadBack(from: after)
                }
                beforeReadBack(order)
            }
            readBack = try ReadBack.run(engine, tracker: tracker, slots: &slots, buffers: buffers, blockSize: bs,
                                        depth: depth, pattern: pattern, kind: kind)
        }
        // Interrupted during the ramp: nothing was measured, so nothing is reported — not the
        // ramp's CPU, disk or verified reads, and no runtime (RunResult.measuredNothing).
        let measuring = schedule.measuring
        let measureStart = measuring ? schedule.measureStart : end
        if !measuring { m.verifiedIOs = 0 }
        var disk: DiskUtilization? = nil
        if measuring, let device = file.blockDevice, let before = diskStart, let after = DiskCounters.read(device: device.name) {
            let delta = after - before
            let elapsedMs = Double(end - measureStart) / 1e6
            disk = DiskUtilization(device: device.name, counters: delta,
                                   utilPercent: elapsedMs > 0 ? min(100, Double(delta.ioTicks) / elapsedMs * 100) : 0)
        }
        var setup = engine.setup
        var sqThreads: SQThreadUsage? = nil
        if measuring, let sqThread {
            if let start = sqThreadStart, let end = sqThreadEnd {
                sqThreads = SQThreadUsage(threads: [end - start], rings: 1)
            } else {
                setup.notes.append("the SQ thread (thread \(sqThread)) could not be read at the \(sqThreadStart == nil ? "start" : "end") of the run, so its CPU is only in the process line")
            }
        }
        let syncs = m.syncLatency.count
        if synchronous {
            let all = m.dataIOs &+ syncs
            m.distributions.depth[0] = all
            m.distributions.submit[1] = all
            m.distributions.complete[1] = all
        }

        let readResult = m.reads.result(blockSize: bs, synchronous: synchronous)
        let writeResult = m.writes.result(blockSize: bs, synchronous: synchronous)
        let total = job.rw.isMixed ? DirectionMeasurement.combined(readResult, writeResult)
                                   : job.rw.reads ? readResult : writeResult
        return RunResult(
            job: job, setup: setup, machine: machine, startedAt: wallStart,
            runtimeNanoseconds: end - measureStart, totalIOs: total.ios, bytes: total.bytes,
            slat: total.slat, clat: total.clat, lat: total.lat,
            iopsSamples: total.iopsSamples, bandwidthSamples: total.bandwidthSamples,
            mixed: job.rw.isMixed ? MixedDirections(read: readResult, write: writeResult) : nil,
            syncLatency: syncs > 0 || job.fsyncEvery > 0 || job.fdatasyncEvery > 0 ? m.syncLatency : nil,
            cpu: measuring ? cpuDelta(processStart, processEnd, threadStart, threadEnd) : CPUUsage(),
            distributions: m.distributions, disk: disk,
            verify: VerifySummary(enabled: job.verify, checkedIOs: m.verifiedIOs, checkedBytes: m.verifiedIOs * UInt64(bs),
                                  readBackBlocks: readBack?.blocks, readBackNanoseconds: readBack?.nanoseconds,
                                  readBackComplete: readBack?.complete, firstGeneration: job.rw.writes ? firstGeneration : nil),
            sqThreadWakeups: nil, sqThreads: sqThreads, interrupted: interrupted, uringbenchVersion: UringBenchVersion.current,
            threadID: group == nil ? nil : Syscalls.threadID)
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
