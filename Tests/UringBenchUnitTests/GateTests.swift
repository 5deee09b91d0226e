import Foundation
import Testing
@testable import UringBench
import TestSupport

/// The baseline gate: per-metric direction and thresholds, exit codes, machine checks. Figures
/// are synthetic (the gate on real runs is GateRunTests).
@Suite struct GateTests {
    let uring = CaseKey(engine: .io_uring, iodepth: 32, blockSize: 4096)
    let libaio = CaseKey(engine: .libaio, iodepth: 32, blockSize: 4096)

    func gate(_ current: ComparisonResults, _ baseline: ComparisonResults, _ t: GateThresholds = .defaults, force: Bool = false) throws(CompareError) -> GateReport {
        try BaselineGate.evaluate(current: current, baseline: baseline, baselinePath: "base.json", thresholds: t, force: force)
    }

    @Test func identicalRunPasses() throws {
        let r = CompareFixtures.results([(uring, [30_000, 31_000, 32_000, 30_500, 31_500], 50_000)])
        let report = try gate(r, r)
        #expect(report.regressions.isEmpty && report.improvements.isEmpty)
        #expect(report.exitCode() == 0)
        #expect(report.render().contains("gate: passed"))
    }

    @Test func iopsDropBeyondThresholdRegressesAndIsNamed() throws {
        let base = CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000, 30_000], 50_000), (libaio, [20_000, 20_000, 20_000, 20_000, 20_000], 50_000)])
        // io_uring median 30k → 25.5k (−15%); libaio 20k → 19k (−5%).
        let now = CompareFixtures.results([(uring, [25_000, 25_500, 26_000, 25_200, 25_800], 50_000), (libaio, [19_000, 19_000, 19_000, 19_000, 19_000], 50_000)])
        let report = try gate(now, base, GateThresholds([.iops: 0.10]))
        #expect(report.regressions.map(\.key) == [uring])
        #expect(report.regressions.first?.metric == .iops)
        #expect(report.exitCode() == GateReport.exitRegressed)
        let text = report.render()
        #expect(text.contains("REGRESSED  io_uring QD32 4k IOPS 30.0k → 25.5k (−15.0%, limit −10%, p=0.008, 5 vs 5 rounds)"))
        #expect(text.contains("ok         libaio QD32 4k"))
        #expect(text.contains("gate: FAILED, 1 regression: io_uring QD32 4k IOPS"))
    }

    @Test func latencyIsBetterLowerIOPSBetterHigher() throws {
        let base = CompareFixtures.results([(uring, [30_000, 30_100, 29_900, 30_200], 100_000)])
        // More IOPS and higher p99: IOPS improved, p99 regressed.
        let now = CompareFixtures.results([(uring, [40_000, 40_100, 39_900, 40_200], 150_000)])
        let report = try gate(now, base, GateThresholds([.iops: 0.10, .clatP99: 0.20]))
        #expect(report.regressions.map(\.metric) == [.clatP99])
        #expect(report.improvements.map(\.metric) == [.iops])
        // Fewer IOPS within the limit, lower latency: improved only.
        let better = CompareFixtures.results([(uring, [29_000, 29_100, 28_900, 29_200], 50_000)])
        let r2 = try gate(better, base, GateThresholds([.iops: 0.10, .clatP99: 0.20]))
        #expect(r2.regressions.isEmpty)
        #expect(r2.improvements.map(\.metric) == [.clatP99])
        #expect(r2.exitCode() == 0)
        #expect(r2.exitCode(failOnImprovement: true) == GateReport.exitImprovedOnly)
        #expect(r2.render().contains("improved   io_uring QD32 4k clat p99"))
    }

    @Test func baselineEditedUpwardFailsTheGate() throws {
        let honest = CompareFixtures.results([(uring, [30_000, 31_000, 32_000, 30_500, 31_500], 50_000)])
        var edited = honest
        edited.runs = edited.runs.map { r in
            var r = r
            r.totalIOs *= 2
            return r
        }
        #expect(try gate(honest, edited).exitCode() == 2)
        #expect(try gate(honest, honest).exitCode() == 0)
    }

    @Test func metricWithoutThresholdNeverFails() throws {
        let base = CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000], 50_000)])
        let now = CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000], 500_000)])
        #expect(try gate(now, base, GateThresholds([.iops: 0.10])).exitCode() == 0)
    }

    @Test func baselineMissingACaseSaysWhich() throws {
        let base = CompareFixtures.results([(uring, [30_000], 50_000)])
        let now = CompareFixtures.results([(uring, [30_000], 50_000), (libaio, [20_000], 50_000)])
        do { _ = try gate(now, base); Issue.record("gate accepted a baseline without libaio") } catch {
            #expect(error == .baselineMissingCase(path: "base.json", caseLabel: "libaio QD32 4k"))
            #expect(error.description.hasPrefix("baseline 'base.json' has no libaio QD32 4k"))
        }
        // The other way round is a note, not an error: a narrower run.
        let narrow = try gate(base, now)
        #expect(narrow.notInRun == [libaio])
    }

    @Test func otherMachineIsRefusedUnlessForced() throws {
        var other = CompareFixtures.machine
        other.cpuModel = "Other CPU"
        other.cores = 64
        let base = CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000], 50_000)], machine: other)
        let now = CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000], 50_000)])
        do { _ = try gate(now, base); Issue.record("gate accepted another machine's baseline") } catch {
            guard case .differentMachine(_, let diffs) = error else { Issue.record("\(error)"); return }
            #expect(diffs.count == 2)
            #expect(error.description.contains("pass --force"))
            #expect(!error.description.contains("\n"))
        }
        let forced = try gate(now, base, force: true)
        #expect(forced.notes.first?.hasPrefix("--force") == true)
        #expect(forced.exitCode() == 0)
    }

    @Test func kernelChangeIsNotedNotRefused() throws {
        var newer = CompareFixtures.machine
        newer.kernel = "6.9.0"
        newer.hostname = "elsewhere"
        let base = CompareFixtures.results([(uring, [30_000], 50_000)])
        let now = CompareFixtures.results([(uring, [30_000], 50_000)], machine: newer)
        let report = try gate(now, base)
        #expect(report.notes == ["baseline kernel 6.1.0, this kernel 6.9.0"])
    }

    @Test func directVersusBufferedIsRefused() throws {
        let base = CompareFixtures.results([(uring, [30_000], 50_000)])
        var now = base
        now.plan.base.direct = false
        #expect(throws: CompareError.self) { try gate(now, base) }
    }

    @Test func percentParsing() {
        #expect(GateThresholds.parsePercent("10%") == 0.10)
        #expect(GateThresholds.parsePercent("20") == 0.20)
        #expect(GateThresholds.parsePercent(" 2.5% ") == 0.025)
        #expect(GateThresholds.parsePercent("-5%") == nil)
        #expect(GateThresholds.parsePercent("ten") == nil)
    }
}

extension GateTests {
    @Test func thresholdInsideBaselineNoiseIsPointedOut() throws {
        // Baseline IOPS range 24k–36k around a 30k median: 40% spread against a 10% threshold.
        let base = CompareFixtures.results([(uring, [24_000, 30_000, 36_000], 50_000)])
        let report = try gate(base, base, GateThresholds([.iops: 0.10]))
        #expect(report.notes.contains { $0.contains("io_uring QD32 4k IOPS varied 40.0% between the baseline's rounds") })
        let quiet = CompareFixtures.results([(uring, [29_900, 30_000, 30_100], 50_000)])
        #expect(try gate(quiet, quiet, GateThresholds([.iops: 0.10])).notes.isEmpty)
    }
}

extension GateTests {
    @Test func moveThatTheRoundsCannotTellFromNoiseIsNoise() throws {
        // Baseline IOPS 24k–36k (median 30k). The run's median 26.5k is −11.7% against a 10%
        // limit, but its rounds interleave with the baseline's (Mann–Whitney p = 0.31): noise,
        // reported as such, and the gate passes. Rounds all below the baseline's: regression.
        let base = CompareFixtures.results([(uring, [24_000, 30_000, 36_000, 27_000, 33_000], 50_000)])
        let inside = try gate(CompareFixtures.results([(uring, [26_000, 26_500, 27_500, 25_000, 28_000], 50_000)]), base, GateThresholds([.iops: 0.10]))
        #expect(inside.regressions.isEmpty)
        #expect(inside.noise.map(\.metric) == [.iops])
        #expect(abs(inside.noise[0].pValue! - 78.0 / 252) < 1e-12)
        #expect(inside.exitCode() == 0)
        #expect(inside.render().contains("noise      io_uring QD32 4k IOPS 30.0k → 26.5k (−11.7%, limit −10%, p=0.310, 5 vs 5 rounds): past the threshold, not significant"))
        let outside = try gate(CompareFixtures.results([(uring, [20_000, 21_000, 22_000, 23_000, 22_500], 50_000)]), base, GateThresholds([.iops: 0.10]))
        #expect(outside.regressions.map(\.metric) == [.iops])
        // A significant move inside the threshold is not a regression either.
        let small = try gate(CompareFixtures.results([(uring, [29_000, 29_100, 28_900, 29_200, 29_050], 50_000)]),
                             CompareFixtures.results([(uring, [30_000, 30_100, 29_900, 30_200, 30_050], 50_000)]), GateThresholds([.iops: 0.10]))
        #expect(small.findings.map(\.verdict) == [.within])
        #expect(small.findings[0].pValue! < 0.01)
    }

    @Test func aComparisonCutShortIsUndecidedNotPassed() throws {
        // The figures of a passing run, but the comparison was stopped (Ctrl-C, or SIGTERM from
        // a CI job's timeout): the gate does not pass on a plan it did not run.
        let base = CompareFixtures.results([(uring, [30_000, 31_000, 32_000, 30_500, 31_500], 50_000)])
        var stopped = base
        stopped.interrupted = true
        let report = try gate(stopped, base)
        #expect(report.regressions.isEmpty && report.undecided.isEmpty)
        #expect(report.exitCode() == GateReport.exitTooFewRounds)
        let text = report.render()
        #expect(text.contains("gate: UNDECIDED, the comparison did not run its plan (interrupted ("), "\(text)")
        #expect(text.contains("5 of 5 planned runs measured); run it whole to decide"), "\(text)")
        #expect(!text.contains("gate: passed"))
        // A regression already significant before the stop still fails the gate.
        var dropped = CompareFixtures.results([(uring, [25_000, 25_500, 26_000, 25_200, 25_800], 50_000)])
        dropped.interrupted = true
        #expect(try gate(dropped, base, GateThresholds([.iops: 0.10])).exitCode() == GateReport.exitRegressed)
    }

    @Test func tooFewRoundsIsUndecidedNotPassed() throws {
        // 3 vs 3: even a halving cannot be significant (smallest p 0.1). The gate says so and
        // exits 3 rather than pass or fail on a guess.
        let base = CompareFixtures.results([(uring, [30_000, 30_000, 30_000], 50_000)])
        let half = CompareFixtures.results([(uring, [15_000, 15_000, 15_000], 50_000)])
        let report = try gate(half, base, GateThresholds([.iops: 0.10]))
        #expect(report.undecided.count == 1 && report.regressions.isEmpty)
        #expect(report.exitCode() == GateReport.exitTooFewRounds)
        #expect(report.render().contains("3 vs 3 rounds can never be significant; run 5 or more rounds"))
        #expect(report.render().contains("gate: UNDECIDED"))
        #expect(GateSignificance.minimumRounds(against: 3) == 5)
        #expect(GateSignificance.minimumRounds(against: 4) == 4)
        #expect(GateSignificance.minimumRounds(against: 5) == 3)
        #expect(!GateSignificance.canDecide(rounds: 3, baselineRounds: 4))
    }
}
