import Testing
@testable import UringBench
import TestSupport

/// The round a `--fio-plot-dir` file holds is the median of the IOPS the files print (fio's:
/// IOs over whole milliseconds), not of the exact rate, which can order close rounds otherwise.
@Suite struct FioPlotMedianTests {
    private func run(ios: UInt64, nanoseconds: UInt64) -> RunResult {
        var r = CompareFixtures.run(CaseKey(engine: .psync, iodepth: 1, blockSize: 4096), ios: ios, clatNs: 80_000)
        r.runtimeNanoseconds = nanoseconds
        return r
    }

    @Test func theMedianIsOfTheIOPSTheFilesPrint() throws {
        let a = run(ios: 3531, nanoseconds: 299_600_000)   // exact 11,785.7; printed 11,770.0 (300 ms)
        let b = run(ios: 3535, nanoseconds: 300_400_000)   // exact 11,767.6; printed 11,783.3 (300 ms)
        let c = run(ios: 2600, nanoseconds: 300_000_000)   // 8,666.7 either way
        #expect(b.iops < a.iops && a.reportedIOPS < b.reportedIOPS)
        for order in [[a, b, c], [c, b, a], [b, c, a]] {
            #expect(FioPlotDirectory.medianRun(order)?.totalIOs == 3531)
        }
        // An even count takes the lower middle one; none, no file.
        #expect(FioPlotDirectory.medianRun([b, a])?.totalIOs == 3531)
        #expect(FioPlotDirectory.medianRun([]) == nil)
    }
}
