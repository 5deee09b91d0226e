import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import UringBench
import TestSupport

/// `compare --concurrency`: every engine at the same number of IOs in flight, synchronous ones
/// as that many jobs at depth 1, asynchronous ones deep; ratios and the table at equal
/// concurrency; the sweep's chart.
@Suite(.waits) struct ConcurrencyTests {
    static func plan(_ levels: [Int], numjobs: Int = 1) -> ComparisonPlan {
        var p = ComparisonPlan(base: JobSpec(), engines: [.psync, .libaio, .io_uring], iodepths: levels, blockSizes: [4096], rounds: 1)
        p.concurrency = levels
        p.numjobs = [numjobs]
        return p
    }

    @Test func synchronousEnginesRunAsJobsAsynchronousOnesDeep() throws {
        let cases = Self.plan([32]).cases
        #expect(cases.map(\.runAs) == ["32 jobs × QD1", "1 job × QD32", "1 job × QD32"])
        #expect(cases.allSatisfy { $0.concurrency == 32 })
        // --numjobs K: K asynchronous jobs share the depth.
        let split = Self.plan([32], numjobs: 4).cases
        #expect(split.map(\.runAs) == ["32 jobs × QD1", "4 jobs × QD8", "4 jobs × QD8"])
        // The jobs the runner gets are those of the case, merged into one figure.
        let job = Self.plan([32]).job(for: cases[0], round: 1)
        #expect(job.numjobs == 32 && job.effectiveDepth == 1 && job.groupReporting)
        // A sweep: one case per engine and level.
        #expect(Self.plan([1, 4, 16, 64]).cases.count == 12)
    }

    @Test func unevenSplitsAndBadLevelsAreRefused() {
        #expect(throws: CompareError.self) { try Self.plan([32], numjobs: 3).validate() }
        #expect(throws: CompareError.self) { try Self.plan([0]).validate() }
        #expect(throws: CompareError.self) { try Self.plan([2048]).validate() }
        var two = Self.plan([32])
        two.numjobs = [1, 2]
        #expect(throws: CompareError.self) { try two.validate() }
        #expect((try? Self.plan([1, 4, 16, 64]).validate()) != nil)
    }

    /// Ratios divide by the baseline engine at the same IOs in flight, though its jobs and
    /// depth differ; the table says how each ran and IOPS per core is 1 / CPU per IO.
    @Test func ratiosAndTableAtEqualConcurrency() throws {
        let keys = Self.plan([4, 32]).cases
        // Three rounds: an effect's interval needs more than one pair.
        var results = CompareFixtures.results(keys.enumerated().map { i, k in (k, [0, 300, 700].map { UInt64(10_000 * (i + 1) + $0) }, 100_000) })
        results.plan = Self.plan([4, 32])
        results.plan.rounds = 3
        let cases = results.cases
        let psync32 = try #require(cases.first { $0.key.engine == .psync && $0.key.concurrency == 32 })
        let uring32 = try #require(cases.first { $0.key.engine == .io_uring && $0.key.concurrency == 32 })
        #expect(uring32.ratioToBaseline == uring32.iops.median / psync32.iops.median)
        #expect(abs(uring32.iopsPerBusyCore - 1e6 / uring32.cpuPerIO.median) < 1e-6)
        let table = ComparisonTable(results: results)
        #expect(table.byConcurrency)
        #expect(Array(table.headers.prefix(7)) == ["engine", "in flight", "run as", "bs", "IOPS", "CPU µs/IO", "IOPS/core"])
        let text = table.renderText()
        #expect(text.contains("32 jobs × QD1") && text.contains("1 job × QD32"))
        // Effects pair each case with psync at its own concurrency.
        let effects = CaseEffects.of(results)
        #expect(effects.contains { $0.key == uring32.key && $0.baseline == psync32.key })
        #expect(ComparisonTable.caption(results).contains("equal concurrency 4,32 IOs in flight"))
        // The caption names the plan's rw modes, not always randread.
        #expect(ComparisonTable.caption(results).hasPrefix("randread O_DIRECT"))
        results.plan.modes = [.randread, .randwrite]
        #expect(ComparisonTable.caption(results).hasPrefix("randread,randwrite O_DIRECT"))
    }

    /// A sweep that includes one IO in flight: libaio at 8 is compared with psync's 8 jobs, not
    /// with psync at 1 (whose key, QD1 one job, is libaio QD8's "same depth and jobs"), in the
    /// table, the verdicts, the JSON and the plot's forest chart.
    @Test func everyRatioOfASweepIsToTheBaselineAtItsOwnConcurrency() throws {
        let plan = Self.plan([1, 8, 32])
        // IOPS: psync 10k, 60k, 65k; libaio and io_uring 2× and 3× psync at each level.
        let psyncIOPS: [Int: UInt64] = [1: 10_000, 8: 60_000, 32: 65_000]
        let factor: [EngineKind: UInt64] = [.psync: 1, .libaio: 2, .io_uring: 3]
        var results = CompareFixtures.results(plan.cases.map { k in
            let iops = psyncIOPS[k.concurrency]! * factor[k.engine]!
            return (k, [iops, iops + iops / 100, iops - iops / 100], 100_000)
        })
        results.plan = plan
        results.plan.rounds = 3
        for c in results.cases {
            let ratio = try #require(c.ratioToBaseline, "\(c.key)")
            #expect(abs(ratio - Double(factor[c.key.engine]!)) < 1e-9, "\(c.key): ×\(ratio)")
        }
        let text = ComparisonTable(results: results).renderText()
        #expect(!text.contains("6.00×") && !text.contains("18.00×") && text.contains("2.00×"), "\(text)")
        let effects = CaseEffects.of(results)
        #expect(!effects.isEmpty)
        for e in effects {
            #expect(e.baseline.engine == .psync && e.baseline.concurrency == e.key.concurrency, "\(e.key) against \(e.baseline)")
            #expect(abs(e.ratio.estimate - (e.metric == .iops ? Double(factor[e.key.engine]!) : e.ratio.estimate)) < 0.05, "\(e.sentence)")
        }
        let libaio8 = try #require(effects.first { $0.key.engine == .libaio && $0.key.concurrency == 8 && $0.metric == .iops })
        #expect(libaio8.sentence.contains("psync 8 jobs QD1"), "\(libaio8.sentence)")
        // The JSON's cases and effects.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(results.render().utf8)) as? [String: Any])
        let block = try #require(json["uringbench_compare"] as? [String: Any])
        let cases = try #require(block["cases"] as? [[String: Any]])
        let ratios = cases.compactMap { $0["ratioToBaseline"] as? Double }
        #expect(ratios.count == 9 && ratios.allSatisfy { [1.0, 2.0, 3.0].contains($0) }, "\(ratios)")
        // The forest chart: every dot at ×2 or ×3 for IOPS, none at ×6 or more.
        let chart = try #require(ComparisonPlot(results: results).effectChart())
        #expect(chart.contains("psync 8 jobs QD1") && chart.contains("psync 32 jobs QD1"))
        #expect(!chart.contains("×6") && !chart.contains("×18") && !chart.contains("×19.5"))
    }

    /// --fio-plot-dir: a case of several jobs gets its own file, named with its numjobs.
    @Test func fioPlotFilesOfASweepDoNotCollide() {
        let keys = Self.plan([1, 8]).cases
        let paths = keys.map { FioPlotDirectory.relativePath($0, rwMixRead: 50) }
        #expect(Set(paths).count == keys.count, "\(paths)")
        #expect(paths.contains("psync/4k/randread-1-8.json") && paths.contains("psync/4k/randread-1-1.json"))
    }

    @Test func sweepChartHasALinePerEngineInBothPanels() throws {
        let plan = Self.plan([1, 4, 16, 64])
        var results = CompareFixtures.results(plan.cases.map { k in (k, [UInt64(1000 * k.concurrency)], 100_000) })
        results.plan = plan
        let p = ComparisonPlot(results: results)
        let chart = try #require(p.concurrencyChart())
        #expect(chart.components(separatedBy: "class=\"concurrency-line\"").count - 1 == 6)    // 3 engines × 2 panels
        #expect(chart.components(separatedBy: "class=\"concurrency-point\"").count - 1 == 24)
        #expect(p.depthChart() == nil, "psync's jobs vary here, not a depth")
        let html = p.renderHTML()
        #expect(html.contains("id=\"chart-concurrency\""))
        #expect(XMLParser(data: Data(p.renderSVG().utf8)).parse())
        // One level is no sweep.
        var one = CompareFixtures.results(Self.plan([32]).cases.map { ($0, [1000], 100_000) })
        one.plan = Self.plan([32])
        #expect(ComparisonPlot(results: one).concurrencyChart() == nil)
    }

    @Test(.enabled(if: PlotTests.chromium != nil, "chromium is not installed (apt-get install -y chromium)"))
    func chromiumShowsTheSweepChart() throws {
        let plan = Self.plan([1, 4, 16])
        var results = CompareFixtures.results(plan.cases.map { k in (k, [UInt64(1000 * k.concurrency)], 100_000) })
        results.plan = plan
        let html = TestFiles.path("concurrency") + ".html"
        try ComparisonPlot(results: results).renderHTML().write(toFile: html, atomically: true, encoding: .utf8)
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(TestFiles.path("chromium-profile"))"]
        let dom = try JobFileTests.shell(PlotTests.chromium!, flags + ["--dump-dom", "file://\(html)"])
        #expect(dom.status == 0, "chromium: \(dom.err)")
        #expect(dom.out.contains("id=\"chart-concurrency\""))
        #expect(dom.out.components(separatedBy: "class=\"concurrency-point\"").count - 1 == 18)
    }

    /// A real equal-concurrency run: psync as 4 threads at depth 1 and io_uring as one ring 4
    /// deep, each a single merged figure.
    @Test func realRunAtConcurrencyFour() throws {
        let file = try TestFiles.laidOut(size: NumjobsTests.size)
        var base = JobSpec()
        base.filename = file
        base.size = NumjobsTests.size
        base.runtimeNanoseconds = 100_000_000
        var plan = ComparisonPlan(base: base, engines: [.psync, .io_uring], iodepths: [4], blockSizes: [4096], rounds: 1)
        plan.concurrency = [4]
        try plan.validate()
        let results = try ComparisonRunner.run(plan, command: "test")
        let psync = try #require(results.runs.first { $0.job.engine == .psync })
        let uring = try #require(results.runs.first { $0.job.engine == .io_uring })
        #expect(psync.group?.jobs == 4 && psync.job.effectiveDepth == 1)
        #expect(uring.group == nil && uring.job.iodepth == 4 && uring.distributions.depth[2] > 0)
        #expect(psync.totalIOs > 0 && uring.totalIOs > 0)
    }
}
