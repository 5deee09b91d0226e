import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import UringBench

/// `compare --concurrency`: every engine at the same number of IOs in flight, synchronous ones
/// as that many jobs at depth 1, asynchronous ones deep; ratios and the table at equal
/// concurrency; the sweep's chart.
@Suite struct ConcurrencyTests {
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
        base.runtimeNanoseconds = 200_000_000
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
