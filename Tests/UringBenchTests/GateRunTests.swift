import Foundation
import Testing
@testable import UringBench

/// The baseline gate on real runs: asserts only what a rate cap forces.
@Suite struct GateRunTests {
    func gate(_ current: ComparisonResults, _ baseline: ComparisonResults, _ t: GateThresholds) throws(CompareError) -> GateReport {
        try BaselineGate.evaluate(current: current, baseline: baseline, baselinePath: "base.json", thresholds: t, force: false)
    }

    /// A real run capped with rate_iops at a tenth of an honest run's IOPS must be named as a
    /// regression; the honest run against itself passes. The cap is derived from the honest
    /// run, so nothing here depends on how fast this machine is.
    @Test func throttledRunFailsHonestRunPasses() throws {
        let file = try TestFiles.laidOut(size: 16 << 20)
        var base = JobSpec()
        base.filename = file
        base.size = 16 << 20
        base.runtimeNanoseconds = 100_000_000
        // 4 vs 4 rounds: the fewest at which the significance test can say anything.
        let honestPlan = ComparisonPlan(base: base, engines: [.psync], iodepths: [1], blockSizes: [4096], rounds: 4)
        let honest = try ComparisonRunner.run(honestPlan, command: "honest")
        let cap = max(1, UInt64(honest.cases[0].iops.median / 10))
        var throttledPlan = honestPlan
        throttledPlan.base.rateIOPS = cap
        let throttled = try ComparisonRunner.run(throttledPlan, command: "throttled")
        #expect(throttled.cases[0].iops.median <= Double(cap) * 1.05)

        let report = try gate(throttled, honest, GateThresholds([.iops: 0.50]))
        #expect(report.regressions.map(\.key) == [CaseKey(engine: .psync, iodepth: 1, blockSize: 4096)])
        #expect(report.exitCode() == 2)
        #expect(report.notes.contains { $0.contains("rate_iops") })
        #expect(try gate(honest, honest, GateThresholds([.iops: 0.50])).exitCode() == 0)
    }
}
