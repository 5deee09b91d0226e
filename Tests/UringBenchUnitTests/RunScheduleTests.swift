import Testing
@testable import UringBench

/// Ramp, sampling and rate limiting driven by an injected clock: each decision at chosen times.
struct RunScheduleTests {
    static let ms: UInt64 = 1_000_000

    /// Ticks every 10 ms from `start` until the schedule says the deadline is reached.
    static func run(_ s: inout RunSchedule, from start: UInt64, step: UInt64 = 10 * ms) -> [(UInt64, RunSchedule.Tick)] {
        var t = start
        var out: [(UInt64, RunSchedule.Tick)] = []
        var stopping = false
        while !stopping && t < start + 60_000 * ms {
            t += step
            guard s.isDue(t) else { continue }
            let tick = s.tick(at: t, stopping: stopping)
            out.append((t, tick))
            if tick.deadlineReached { stopping = true }
        }
        return out
    }

    @Test func rampEndsOnTimeAndMeasuredTimeStartsThere() {
        let start: UInt64 = 5_000 * Self.ms
        var s = RunSchedule(start: start, rampNanoseconds: 1_000 * Self.ms, runtimeNanoseconds: 2_000 * Self.ms, rateIOPS: 0)
        #expect(!s.measuring)
        let ticks = Self.run(&s, from: start)
        let ramp = ticks.filter { $0.1.rampEnded }
        #expect(ramp.map(\.0) == [start + 1_000 * Self.ms], "the ramp ends at the first tick at or after ramp_time")
        #expect(s.measuring && s.measureStart == start + 1_000 * Self.ms)
        #expect(s.deadline == start + 3_000 * Self.ms)
        #expect(ticks.last?.0 == s.deadline && ticks.last?.1.deadlineReached == true)
        // No samples during the ramp.
        #expect(ticks.filter { $0.0 < start + 1_000 * Self.ms && $0.1.sampleSeconds != nil }.isEmpty)
    }

    @Test func samplesEvery500msNoneForTheLastWindowEachOverTheTimeReallyElapsed() {
        var s = RunSchedule(start: 0, rampNanoseconds: 0, runtimeNanoseconds: 2_000 * Self.ms, rateIOPS: 0)
        let ticks = Self.run(&s, from: 0)
        let samples = ticks.compactMap { t, tick in tick.sampleSeconds.map { (t, $0) } }
        // 2 s run: samples at 0.5, 1.0, 1.5 s; the window ending at 2.0 s is the run's end.
        #expect(samples.map(\.0) == [500, 1_000, 1_500].map { $0 * Self.ms })
        #expect(samples.allSatisfy { abs($0.1 - 0.5) < 1e-9 })
        // A late tick (a reap that blocked 300 ms) divides by the 800 ms really elapsed.
        var late = RunSchedule(start: 0, rampNanoseconds: 0, runtimeNanoseconds: 10_000 * Self.ms, rateIOPS: 0)
        #expect(late.tick(at: 800 * Self.ms, stopping: false).sampleSeconds == 0.8)
        #expect(late.nextTick == 850 * Self.ms)
        // Stopping (Ctrl-C) takes no sample.
        #expect(late.tick(at: 1_400 * Self.ms, stopping: true).sampleSeconds == nil)
    }

    @Test func wakesForTheEarliestOfTickSampleRampAndDeadline() {
        var s = RunSchedule(start: 0, rampNanoseconds: 120 * Self.ms, runtimeNanoseconds: 1_000 * Self.ms, rateIOPS: 0)
        #expect(s.nextTick == 50 * Self.ms)
        _ = s.tick(at: 100 * Self.ms, stopping: false)
        #expect(s.nextTick == 120 * Self.ms, "ramp end comes before the next 50 ms tick")
        let t = s.tick(at: 120 * Self.ms, stopping: false)
        #expect(t.rampEnded && s.nextTick == 170 * Self.ms)
        _ = s.tick(at: 1_100 * Self.ms, stopping: false)
        #expect(s.nextTick == 1_120 * Self.ms, "the deadline")
        #expect(!s.isDue(1_119 * Self.ms) && s.isDue(1_120 * Self.ms))
    }

    @Test func progressOncePerSecond() {
        var s = RunSchedule(start: 0, rampNanoseconds: 0, runtimeNanoseconds: 3_500 * Self.ms, rateIOPS: 0)
        let ticks = Self.run(&s, from: 0)
        #expect(ticks.filter { $0.1.progressSeconds != nil }.map(\.0) == [1_000, 2_000, 3_000].map { $0 * Self.ms })
    }

    @Test func rateLimitSpacesIOsEvenly() {
        var s = RunSchedule(start: 0, rampNanoseconds: 0, runtimeNanoseconds: 1_000 * Self.ms, rateIOPS: 1000)
        // 1000 IOPS: one IO per millisecond, never two in the same millisecond.
        var issued: [UInt64] = []
        for t in stride(from: UInt64(0), to: 10 * Self.ms, by: 100_000) where s.rate.take(.read, at: t, canSwitch: false) != nil { issued.append(t) }
        #expect(issued == (0..<10).map { UInt64($0) * Self.ms })
        #expect(s.rate.take(.read, at: 10 * Self.ms - 300_000, canSwitch: false) == nil)
        #expect(s.idleWait(at: 10 * Self.ms - 300_000) == 300_000)
        #expect(s.rate.take(.read, at: 10 * Self.ms, canSwitch: false) == .read && s.idleWait(at: 10 * Self.ms) == 0)
        let free = RunSchedule(start: 0, rampNanoseconds: 0, runtimeNanoseconds: 1, rateIOPS: 0)
        #expect(!free.rate.isLimited && free.idleWait(at: 0) == 0)
    }

    /// fio counts its rate from the end of the ramp (libfio.c reset_io_counters): the IOs of the
    /// ramp do not use up the measured time's turns.
    @Test func rateStartsAgainWhenTheRampEnds() {
        var s = RunSchedule(start: 0, rampNanoseconds: 150 * Self.ms, runtimeNanoseconds: 1_000 * Self.ms, rateIOPS: 10)
        // Two IOs in the ramp, at 0 and 100 ms: the third would be due at 200 ms.
        #expect(s.rate.take(.read, at: 0, canSwitch: false) == .read)
        #expect(s.rate.take(.read, at: 100 * Self.ms, canSwitch: false) == .read)
        #expect(s.rate.due(.read) == 200 * Self.ms)
        #expect(s.tick(at: 150 * Self.ms, stopping: false).rampEnded)
        #expect(s.rate.due(.read) == 150 * Self.ms)
        #expect(s.rate.take(.read, at: 150 * Self.ms, canSwitch: false) == .read)
    }
}
