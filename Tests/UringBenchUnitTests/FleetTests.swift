import Foundation
import Testing
@testable import UringBench
import TestSupport

/// The fleet merge and its outlier rule, on figures small enough to check by hand (its files:
/// FleetFileTests).
@Suite struct FleetTests {
    let uring = CaseKey(engine: .io_uring, iodepth: 32, blockSize: 4096)

    @Test func medianAndMADOfAnOddCount() {
        // 10 12 14 16 100: median 14; |x − 14| = 4 2 0 2 86 → sorted 0 2 2 4 86 → MAD 2.
        let v = [10.0, 12, 14, 16, 100]
        #expect(RobustZScore.median(v) == 14)
        #expect(RobustZScore.mad(v) == 2)
        let z = RobustZScore.scores(v)
        // z(100) = 86 / (1.4826 × 2) = 29.00; z(10) = −4 / 2.9652 = −1.349.
        #expect(abs(z[4]! - 86 / 2.9652) < 1e-9)
        #expect(abs(z[0]! - -4 / 2.9652) < 1e-9)
        #expect(z[2] == 0)
        #expect(z.map(RobustZScore.isOutlier) == [false, false, false, false, true])
    }

    @Test func evenCountUsesTheMeanOfTheMiddleTwo() {
        // 1 2 3 4: median 2.5; deviations 1.5 .5 .5 1.5 → MAD 1; z(4) = 1.5 / 1.4826 = 1.0117.
        let z = RobustZScore.scores([1, 2, 3, 4])
        #expect(RobustZScore.mad([1, 2, 3, 4]) == 1)
        #expect(abs(z[3]! - 1.5 / 1.4826) < 1e-9)
        #expect(!z.contains(where: RobustZScore.isOutlier))
    }

    @Test func zeroMADLeavesOffMedianScoresUndefinedAndUnflagged() {
        // 5 5 5 9: median 5, deviations 0 0 0 4 → MAD 0: 9 has no finite score.
        let z = RobustZScore.scores([5, 5, 5, 9])
        #expect(z[0] == 0 && z[1] == 0 && z[2] == 0 && z[3] == nil)
        #expect(!z.contains(where: RobustZScore.isOutlier))
    }

    @Test func thresholdIsStrictlyBeyondThreePointFive() {
        #expect(!RobustZScore.isOutlier(3.5))
        #expect(!RobustZScore.isOutlier(-3.5))
        #expect(RobustZScore.isOutlier(3.5001))
        #expect(RobustZScore.isOutlier(-3.6))
    }

    @Test func mergeOfThreeHostsFlagsTheSlowOne() {
        // IOPS 100k 98k 50k: fleet median 98k, deviations 2k 0 48k → MAD 2k;
        // z(50k) = −48000 / 2965.2 = −16.19, z(100k) = +0.674. CPU 10 11 10.5: median 10.5, MAD 0.5.
        let f = { (iops: Double, cpu: Double) in FleetSummary.Figures(iops: iops, cpuPerIO: cpu, clatP99: 100_000) }
        let c = FleetSummary.merge(key: uring, [("a", f(100_000, 10)), ("b", f(98_000, 11)), ("c", f(50_000, 10.5))])
        #expect(c.fleetMedian.iops == 98_000)
        #expect(c.fleetMedian.cpuPerIO == 10.5)
        #expect(c.iopsMAD == 2000)
        #expect(c.cpuPerIOMAD == 0.5)
        #expect(abs(c.rows[2].iopsZ! - -48_000 / 2965.2) < 1e-9)
        #expect(abs(c.rows[0].iopsZ! - 2000 / 2965.2) < 1e-9)
        #expect(abs(c.rows[2].iopsRatio! - 50_000.0 / 98_000) < 1e-12)
        #expect(abs(c.rows[1].cpuPerIORatio! - 11 / 10.5) < 1e-12)
        #expect(c.rows.map(\.outlier) == [false, false, true])
        #expect(c.rows[2].reasons == ["IOPS z=-16.2"])
    }

    @Test func cpuPerIOAloneCanFlagAHost() {
        // IOPS all within 1%; CPU 10 10.2 10.1 30: median 10.15, deviations .15 .05 .05 19.85 → MAD 0.1;
        // z(30) = 19.85 / 0.14826 = 133.9.
        let f = { (iops: Double, cpu: Double) in FleetSummary.Figures(iops: iops, cpuPerIO: cpu, clatP99: 1) }
        let c = FleetSummary.merge(key: uring, [("a", f(1000, 10)), ("b", f(1001, 10.2)), ("c", f(999, 10.1)), ("d", f(1000, 30))])
        #expect(abs(c.cpuPerIOMAD - 0.1) < 1e-12)
        #expect(c.rows.map(\.outlier) == [false, false, false, true])
        #expect(c.rows[3].reasons == ["CPU µs/IO z=+133.9"])
    }

    @Test func aTinyMADDoesNotFlagATinyDifference() {
        // CPU 10.00 10.01 10.20: median 10.01, deviations .01 0 .19 → MAD 0.01; z(10.20) =
        // 0.19 / 0.014826 = 12.8, past 3.5, but 10.20 is only 1.9% off the median: not flagged at
        // the 5% floor, flagged with no floor.
        let f = { (cpu: Double) in FleetSummary.Figures(iops: 1000, cpuPerIO: cpu, clatP99: 1) }
        let hosts = [("a", f(10.00)), ("b", f(10.01)), ("c", f(10.20))]
        let c = FleetSummary.merge(key: uring, hosts)
        #expect(abs(c.rows[2].cpuPerIOZ! - 0.19 / 0.014826) < 1e-6)
        #expect(c.rows.map(\.outlier) == [false, false, false])
        #expect(FleetSummary.merge(key: uring, hosts, minDifference: 0).rows.map(\.outlier) == [false, false, true])
    }

    func host(_ name: String, iops: UInt64, seed: UInt64? = nil, rounds: Int = 1) -> FleetHost {
        var r = CompareFixtures.results([(uring, Array(repeating: iops, count: rounds), 50_000)])
        if let seed { r.plan.base.randSeed = seed }
        return FleetHost(name: name, path: "results/fleet/\(name).json", results: r)
    }

    @Test func mergeFromResultsFilesUsesEachHostsMedian() throws {
        let s = try FleetSummary.merge([host("a", iops: 1000), host("b", iops: 1200), host("c", iops: 1100)])
        #expect(s.hosts.map(\.name) == ["a", "b", "c"])
        #expect(s.cases.count == 1)
        #expect(s.cases[0].fleetMedian.iops == 1100)
        #expect(s.cases[0].rows.map(\.figures.iops) == [1000, 1200, 1100])
    }

    @Test func differentJobsAreRefusedNamingTheDifference() {
        #expect(throws: FleetError.differentJobs(first: "results/fleet/a.json", other: "results/fleet/b.json",
                                                 differences: ["randseed 1592594192 in a vs 7 in b"])) {
            try FleetSummary.merge([host("a", iops: 1000), host("b", iops: 1000, seed: 7)])
        }
        #expect(throws: FleetError.differentJobs(first: "results/fleet/a.json", other: "results/fleet/b.json",
                                                 differences: ["rounds 1 in a vs 3 in b"])) {
            try FleetSummary.merge([host("a", iops: 1000), host("b", iops: 1000, rounds: 3)])
        }
    }

    @Test func whereTheDataFileLivesIsNotADifference() throws {
        var b = host("b", iops: 1000)
        b.results.plan.base.filename = "/mnt/nvme1/uringbench.dat"
        #expect(try FleetSummary.merge([host("a", iops: 1000), b]).hosts.count == 2)
    }

    @Test func oneHostOrTheSameHostTwiceIsRefused() {
        #expect(throws: FleetError.tooFewHosts(count: 1)) { try FleetSummary.merge([host("a", iops: 1)]) }
        #expect(throws: FleetError.duplicateHost(name: "a", first: "results/fleet/a.json", second: "results/fleet/a.json")) {
            try FleetSummary.merge([host("a", iops: 1), host("a", iops: 2)])
        }
    }

    @Test func hostIsTheFileNameWithoutJSON() {
        #expect(FleetHost.name(ofPath: "results/fleet/db-1.json") == "db-1")
        #expect(FleetHost.name(ofPath: "db-2") == "db-2")
    }

    @Test func tableShowsEveryHostTheFleetMedianAndTheFlag() throws {
        let f = { (iops: Double) in FleetSummary.Figures(iops: iops, cpuPerIO: 5, clatP99: 80_000) }
        let c = FleetSummary.merge(key: uring, [("a", f(100_000)), ("b", f(98_000)), ("c", f(50_000))])
        let s = FleetSummary(format: FleetSummary.format, version: 1, uringbench: "test", outlierRule: RobustZScore.rule(minDifference: 0.05),
                             job: "test job", rounds: 1, hosts: [], cases: [c])
        let text = FleetTable(summary: s).renderText()
        let lines = text.split(separator: "\n").map(String.init)
        let row = { (host: String) in lines.first { $0.contains("  \(host)  ") } ?? "" }
        #expect(row("c").contains("50.0k") && row("c").contains("0.51×") && row("c").contains("-16.2") && row("c").contains("OUTLIER"))
        #expect(row("a").contains("1.02×") && !row("a").contains("OUTLIER"))
        #expect(lines.contains { $0.contains("fleet median") && $0.contains("98.0k") })
        let md = FleetTable(summary: s).renderMarkdown()
        #expect(md.contains("| io_uring QD32 4k | c | 50.0k | 0.51× |"))
        #expect(md.contains("**OUTLIER (IOPS z=-16.2)**"))
        let svg = FleetPlot(summary: s).renderSVG()
        #expect(svg.contains("id=\"fleet-iops\"") && svg.contains("class=\"bar outlier\""))
    }
}
