import Testing
@testable import UringBench

/// fio's runtime=0 in a job file: no time limit, so time_based is dropped.
@Suite struct JobFileRuntimeZeroTests {
    static let global = "[global]\nfilename=data.bin\nsize=1M\nrw=randread\ntime_based\nruntime=1s\nstonewall\n"

    /// fio reads runtime=0 as "no time limit" and then drops time_based ("time_based requires a
    /// runtime/timeout setting"): the job ends after its size, with no cap.
    @Test func runtimeZeroDropsTimeBasedAsFioDoes() throws {
        let dropped = try JobFile.parse(Self.global + "[j]\nruntime=0\n", path: "t.fio").jobs[0].spec
        #expect(!dropped.timeBased && dropped.runtimeNanoseconds == 0)
        // A job's own runtime overrides a global runtime=0, as in fio.
        let file = try JobFile.parse(Self.global.replacingOccurrences(of: "runtime=1s", with: "runtime=0") + "[j]\nruntime=2s\n", path: "t.fio")
        #expect(file.jobs.map(\.spec.runtimeNanoseconds) == [2_000_000_000])
        #expect(file.jobs.map(\.spec.timeBased) == [true])
    }
}
