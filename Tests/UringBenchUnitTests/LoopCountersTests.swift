import Testing
@testable import UringBench
@testable import UringCore

/// The loop counts into `LatencyRecorder` and `DepthCounters`; the report reads the values taken
/// from them. Each must equal what the value types count from the same IOs.
@Suite struct LoopCountersTests {
    @Test func recorderGivesTheHistogramOfTheSameValues() {
        var generator = Xoshiro256StarStar(seed: 7)
        let recorder = LatencyRecorder()
        var histogram = LatencyHistogram()
        for i in 0..<20_000 {
            // Every range: exact values, microseconds, seconds, and the top of UInt64.
            let value = i % 997 == 0 ? UInt64.max - UInt64(i) : generator.next() >> (generator.next() % 64)
            recorder.record(value)
            histogram.record(value)
        }
        #expect(recorder.count == 20_000)
        #expect(recorder.histogram == histogram)
        #expect(recorder.histogram.valueAt(percentile: 99) == histogram.valueAt(percentile: 99))
    }

    @Test func resetRecorderIsEmpty() {
        let recorder = LatencyRecorder()
        for v: UInt64 in [1, 500, 70_000] { recorder.record(v) }
        recorder.reset()
        #expect(recorder.histogram == LatencyHistogram())
        recorder.record(42)
        var one = LatencyHistogram()
        one.record(42)
        #expect(recorder.histogram == one)
    }

    @Test func depthCountersGiveFiosBuckets() {
        let counters = DepthCounters()
        var expected = DepthDistributions()
        // (submitted, in flight after) per commit, and the completions of each reap.
        let commits = [(1, 1), (4, 5), (8, 13), (3, 16), (32, 32), (1, 64), (70, 70)]
        let reaps = [0, 1, 5, 9, 17, 33, 65]
        for (submitted, inFlight) in commits {
            counters.countCommit(submitted: submitted, inFlight: inFlight)
            expected.submit[DepthDistributions.batchBucket(submitted)] += 1
            expected.depth[DepthDistributions.depthBucket(inFlight)] += UInt64(submitted)
        }
        for reaped in reaps {
            counters.countReap(reaped)
            expected.complete[DepthDistributions.batchBucket(reaped)] += 1
        }
        #expect(counters.distributions == expected)
        #expect(counters.distributions.complete == [1, 1, 1, 1, 1, 1, 1])
        counters.reset()
        #expect(counters.distributions == DepthDistributions())
    }
}
