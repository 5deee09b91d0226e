import UringCore

/// fio's do_verify for a job that wrote: after the measured run, every block the run wrote is
/// read back through the same engine, at the same depth, in fio's order (BlockGenerations:
/// first-write order with the random map, else ascending offsets), and checked against the
/// generations it may hold. It is the run's loop over another stream (`ReadBackStream`), with
/// nothing measured; the time it took is reported apart.
enum ReadBack {
    /// Called (by tests) after the measured run with the offsets of the blocks written, in
    /// read-back order, before they are read back.
    typealias Hook = ([UInt64]) -> Void

    struct Outcome {
        /// The written blocks read back and checked.
        var blocks: UInt64
        /// How long the read-back took; nil when Ctrl-C stopped the run before it began.
        var nanoseconds: UInt64?
        /// False when Ctrl-C stopped the read-back before every written block was checked.
        var complete: Bool
        /// The blocks the run wrote.
        var writtenBlocks: UInt64

        /// Ctrl-C stopped the run: no written block is read back.
        static func skipped(_ tracker: BlockGenerations) -> Outcome {
            Outcome(blocks: 0, nanoseconds: nil, complete: false, writtenBlocks: tracker.writtenBlocks)
        }
    }

    /// `slots`: the run's, every one free again.
    static func run<E: IOEngine>(_ engine: E, hook: PatternHook, tracker: BlockGenerations, slots: SlotTable,
                                 job: JobSpec) throws(BenchError) -> Outcome {
        let start = MonotonicClock.now()
        var clock = CycleClock.shared
        let now = clock.now()
        // No deadline: the stream's end stops it, or Ctrl-C (seen on the loop's 50 ms tick).
        let schedule = RunSchedule(start: now, rampNanoseconds: 0, runtimeNanoseconds: UInt64.max / 4, rateIOPS: 0)
        let usage = UsageProbe(sqThread: nil, device: nil)
        var loop = Submitter(engine: engine, kind: job.engine, depth: job.effectiveDepth,
                             batchSubmit: job.effectiveDepth, completeMin: 1, completeMax: 0, slots: slots,
                             stream: ReadBackStream(tracker: tracker, blockSize: job.blockSize, regionStart: hook.regionStart),
                             pattern: hook, cacheDrop: nil, m: RunMeasurement(expectedSamples: 0, writes: false),
                             schedule: schedule, clock: clock, now: now, group: nil, progress: nil,
                             usage: usage, usageStart: usage.mark(disk: false, memory: false))
        // A Ctrl-C that came since the run ended is seen at the first IO.
        loop.schedule.tickNow()
        try loop.run()
        return Outcome(blocks: loop.m.verifiedIOs, nanoseconds: MonotonicClock.now() - start, complete: !loop.interrupted,
                       writtenBlocks: tracker.writtenBlocks)
    }

    /// The offsets of the blocks written, in read-back order.
    static func order(_ tracker: BlockGenerations, blockSize: Int, regionStart: UInt64 = 0) -> [UInt64] {
        var order: [UInt64] = []
        var stream = ReadBackStream(tracker: tracker, blockSize: blockSize, regionStart: regionStart)
        while let io = stream.next() { order.append(io.offset) }
        return order
    }
}
