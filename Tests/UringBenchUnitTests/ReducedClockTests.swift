import Testing
@testable import UringBench

/// fio's gtod_reduce in the loop: one clock read per 64 IOs (ts_cache_mask 63), every step when
/// a rate paces the job.
@Suite struct ReducedClockTests {
    @Test func readsOncePerSixtyFourIOs() {
        var clock = ReducedClock(job: JobSpec())
        let reads = (0..<640).filter { _ in clock.readsClock(after: 1) }.count
        #expect(reads == 10 && clock.reads == 10)
        // A batch of completions counts each of its IOs.
        var batched = ReducedClock(job: JobSpec())
        #expect(!batched.readsClock(after: 63) && batched.readsClock(after: 1) && batched.readsClock(after: 200))
    }

    @Test func aRateLimitedJobReadsAtEveryStep() {
        var job = JobSpec()
        job.rateIOPS = 1000
        var clock = ReducedClock(job: job)
        #expect((0..<10).allSatisfy { _ in clock.readsClock(after: 1) } && clock.reads == 10)
        var bytes = JobSpec()
        bytes.writeRateBytes = 1 << 20
        #expect(!ReducedClock(job: bytes).skipsReads)
    }
}
