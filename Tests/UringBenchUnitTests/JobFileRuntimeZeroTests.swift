import Testing
@testable import UringBench

/// fio's runtime=0 in a job file: refused, saying what fio would do with it.
@Suite struct JobFileRuntimeZeroTests {
    static let global = "[global]\nfilename=data.bin\nsize=1M\nrw=randread\ntime_based\nruntime=1s\nstonewall\n"

    /// fio reads runtime=0 as "no time limit" and then drops time_based; the refusal says so.
    @Test func runtimeZeroSaysWhatFioDoes() throws {
        do {
            _ = try JobFile.parse(Self.global + "[j]\nruntime=0\n", path: "t.fio")
            Issue.record("runtime=0 was accepted")
        } catch {
            #expect(error.description == "t.fio:8: job 'j': runtime=0 means no time limit to fio, which then drops time_based and stops after reading 'size' bytes once; uringbench always runs for a set time: give one, e.g. runtime=10s")
        }
        // A job's own runtime overrides a global runtime=0, as in fio.
        let file = try JobFile.parse(Self.global.replacingOccurrences(of: "runtime=1s", with: "runtime=0") + "[j]\nruntime=2s\n", path: "t.fio")
        #expect(file.jobs.map(\.spec.runtimeNanoseconds) == [2_000_000_000])
    }
}
