import Foundation
import Testing
@testable import UringBench
@testable import UringCore
import TestSupport

@Suite(.waits) struct CompareTests {
    let psync = CaseKey(engine: .psync, iodepth: 32, blockSize: 4096)
    let uring = CaseKey(engine: .io_uring, iodepth: 32, blockSize: 4096)
    let sqpoll = CaseKey(engine: .io_uring_sqpoll, iodepth: 32, blockSize: 4096)

    @Test func crossProductInterleavedAndSyncEnginesOncePerBlockSize() {
        let plan = ComparisonPlan(base: JobSpec(), engines: [.psync, .libaio, .io_uring], iodepths: [1, 8, 32],
                                  blockSizes: [4096, 65536], rounds: 2)
        let cases = plan.cases
        // psync is depth 1 at every depth: once per block size. libaio/io_uring at each depth.
        #expect(cases.filter { $0.engine == .psync }.count == 2)
        #expect(cases.filter { $0.engine == .libaio }.map(\.iodepth) == [1, 8, 32, 1, 8, 32])
        #expect(cases.count == 2 + 6 + 6)
        #expect(cases.first == CaseKey(engine: .psync, iodepth: 1, blockSize: 4096))
        #expect(plan.job(for: cases[1], round: 2).name == "libaio-qd1-4k-r2")
    }

    @Test func planFromTheSeedJobFile() throws {
        let seed = try JobFile.load(path: JobFileTests.packageRoot + "/bench-configs/seed.fio")
        let plan = try ComparisonPlan.fromJobs(seed.jobs.map(\.spec), rounds: 3)
        #expect(plan.cases == [CaseKey(engine: .psync, iodepth: 1, blockSize: 4096),
                               CaseKey(engine: .libaio, iodepth: 32, blockSize: 4096),
                               CaseKey(engine: .io_uring_sqpoll, iodepth: 32, blockSize: 4096)])
        #expect(plan.baselineEngine == .psync)
        #expect(plan.job(for: plan.cases[2], round: 2).name == "io_uring-sqpoll-qd32-r2")
        #expect(plan.job(for: plan.cases[2], round: 2).engine == .io_uring_sqpoll)
        try plan.validate()
    }

    @Test func planFromJobsRefusesTwoFilesAndDuplicateCases() throws {
        var a = JobSpec(), b = JobSpec()
        a.name = "a"; b.name = "b"
        b.filename = "other.dat"
        #expect(throws: CompareError.self) { try ComparisonPlan.fromJobs([a, b], rounds: 1) }
        b.filename = a.filename
        do { _ = try ComparisonPlan.fromJobs([a, b], rounds: 1); Issue.record("accepted two identical cases") } catch {
            #expect(error.description.contains("jobs 'a' and 'b' are both io_uring QD1 4k"))
        }
        #expect(throws: CompareError.self) { try ComparisonPlan.fromJobs([], rounds: 1) }
    }

    @Test func batchOptionsClampedPerDepth() {
        var base = JobSpec()
        base.batchSubmit = 16
        base.batchCompleteMin = 8
        let plan = ComparisonPlan(base: base, engines: [.io_uring], iodepths: [4, 32], blockSizes: [4096], rounds: 1)
        let jobs = plan.cases.map { plan.job(for: $0, round: 1) }
        #expect(jobs.map(\.batchSubmit) == [4, 16])
        #expect(jobs.map(\.batchCompleteMin) == [4, 8])
    }

    @Test(arguments: [
        (ComparisonPlan(base: JobSpec(), engines: [], iodepths: [1], blockSizes: [4096], rounds: 1), "engine list is empty"),
        (ComparisonPlan(base: JobSpec(), engines: [.psync], iodepths: [1], blockSizes: [4096], rounds: 0), "--rounds must be from 1 to 1000"),
        (ComparisonPlan(base: JobSpec(), engines: [.psync, .psync], iodepths: [1], blockSizes: [4096], rounds: 1), "listed twice"),
        (ComparisonPlan(base: JobSpec(), engines: [.libaio], iodepths: [], blockSizes: [4096], rounds: 1), "--iodepth list is empty"),
        (ComparisonPlan(base: JobSpec(), engines: [.libaio], iodepths: [8], blockSizes: [1000], rounds: 1), "512"),
        (ComparisonPlan(base: { var j = JobSpec(); j.engineOptions[IORingEngine.sqPollCPUOption] = 1; return j }(),
                        engines: [.psync, .io_uring], iodepths: [8], blockSizes: [4096], rounds: 1),
         "--sqpoll-cpu is an option of io_uring_sqpoll, and no engine in --engines takes it; add io_uring_sqpoll to --engines or drop --sqpoll-cpu"),
        (ComparisonPlan(base: { var j = JobSpec(); j.numjobs = 2; j.engineOptions[IORingEngine.sqPollSharedOption] = 1; return j }(),
                        engines: [.io_uring], iodepths: [8], blockSizes: [4096], rounds: 1),
         "--sqpoll-shared is an option of io_uring_sqpoll, and no engine in --engines takes it"),
    ])
    func badPlansAreRefused(plan: ComparisonPlan, message: String) {
        do { try plan.validate(); Issue.record("accepted a bad plan") } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func spreadMedianMinMax() {
        #expect(Spread([3, 1, 2]) == Spread(median: 2, min: 1, max: 3))
        #expect(Spread([4, 1, 2, 3]) == Spread(median: 2.5, min: 1, max: 4))
        #expect(Spread([]) == nil)
    }

    @Test func summaryMediansRatiosAndSQThreadShare() {
        let runs = [
            CompareFixtures.run(psync, ios: 10_000, clatNs: 100_000),
            CompareFixtures.run(uring, ios: 30_000, clatNs: 50_000),
            CompareFixtures.run(sqpoll, ios: 40_000, clatNs: 40_000, cpuSeconds: 1.0, threadSeconds: 0.2),
            CompareFixtures.run(psync, ios: 12_000, clatNs: 100_000),
            CompareFixtures.run(uring, ios: 36_000, clatNs: 50_000),
            CompareFixtures.run(sqpoll, ios: 40_000, clatNs: 40_000, cpuSeconds: 1.0, threadSeconds: 0.2),
            CompareFixtures.run(psync, ios: 11_000, clatNs: 100_000),
            CompareFixtures.run(uring, ios: 33_000, clatNs: 50_000),
            CompareFixtures.run(sqpoll, ios: 40_000, clatNs: 40_000, cpuSeconds: 1.0, threadSeconds: 0.2),
        ]
        let s = CaseSummary.summarize(runs, order: [psync, uring, sqpoll], baselineEngine: .psync)
        #expect(s.map(\.key) == [psync, uring, sqpoll])
        #expect(s[0].key.iodepth == 1)
        #expect(s[0].iops == Spread(median: 11_000, min: 10_000, max: 12_000))
        #expect(s[1].ratioToBaseline == 3.0)
        #expect(s[0].ratioToBaseline == 1.0)
        #expect(s[1].rounds == 3)
        // Latency within the histogram's stated error of the recorded 50 µs.
        #expect(abs(s[1].clatP50.median - 50_000) <= 50_006 * LatencyHistogram.maxRelativeError)
        #expect(s[1].sqThreadCPUPerIO == nil)
        // 1 s process, 0.2 s submitting thread, 40k IOs: 25 µs/IO total, 20 µs of it the SQ thread.
        #expect(abs(s[2].cpuPerIO.median - 25) < 1e-9)
        #expect(abs(s[2].sqThreadCPUPerIO!.median - 20) < 1e-9)
    }

    /// Where the SQ thread's CPU was read apart, the column is that figure, not the process's
    /// CPU minus the job threads' (which also holds every other thread of the process).
    @Test func sqThreadColumnIsTheMeasuredFigureWhenThereIsOne() {
        var runs = (0..<3).map { _ in CompareFixtures.run(sqpoll, ios: 40_000, clatNs: 40_000, cpuSeconds: 1.0, threadSeconds: 0.2) }
        for i in runs.indices {
            runs[i].sqThreads = SQThreadUsage(threads: [ThreadCPUTime(threadID: 7, userSeconds: 0, systemSeconds: 0.6)], rings: 1)
        }
        runs[2].sqThreads = nil    // not read: the derived figure stands in for that round
        let s = CaseSummary.summarize(runs, order: [sqpoll], baselineEngine: .psync)
        // 0.6 s / 40k IOs = 15 µs/IO measured; 20 µs/IO derived.
        #expect(s[0].sqThreadCPUPerIO == Spread(median: 15, min: 15, max: 20))
        // CPU per IO stays the whole process's, SQ thread included.
        #expect(abs(s[0].cpuPerIO.median - 25) < 1e-9)
    }

    @Test func tableHasRatiosBarsAndMarkdown() {
        let r = CompareFixtures.results([(psync, [10_000, 10_000], 100_000), (uring, [36_000, 36_000], 50_000)])
        let table = ComparisonTable(cases: r.cases, baselineEngine: .psync)
        let text = table.renderText()
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("× psync"))
        #expect(lines[2].contains("3.60×"))
        #expect(lines[2].hasSuffix(String(repeating: "█", count: 24)))       // the best row: full bar
        #expect(lines[1].contains(ComparisonTable.bar(10_000, of: 36_000, width: 24)))
        let md = table.renderMarkdown().split(separator: "\n")
        #expect(md[0].hasPrefix("| engine | QD | bs | IOPS |"))
        #expect(md[1].hasPrefix("|:---|"))
        #expect(md[3].contains("| 3.60× |"))
    }

    @Test func countsRoundAtTheEdges() {
        #expect(ComparisonTable.count(950) == "950")
        #expect(ComparisonTable.count(9_999.7) == "10.0k")
        #expect(ComparisonTable.count(12_345) == "12.3k")
        #expect(ComparisonTable.count(999_999) == "1.00M")
        // Beyond M and GiB: fio's prefixes, never millions of M.
        #expect(ComparisonTable.count(5_111_500e6) == "5.11T")
        #expect(ComparisonTable.count(999_999_999) == "1.00G")
        #expect(ComparisonTable.bandwidth(19_498_825.07 * 1_073_741_824) == "18.60PiB/s")
        #expect(ComparisonTable.bandwidth(2.5 * 1_099_511_627_776) == "2.50TiB/s")
        #expect(ComparisonTable.bandwidth(1.5 * 1_073_741_824) == "1.50GiB/s")
        #expect(ComparisonTable.latency(85_200) == "85.2µs")
        #expect(ComparisonTable.latency(1_200_000) == "1.20ms")
    }

    @Test func barsInEighths() {
        #expect(ComparisonTable.bar(1, of: 1, width: 4) == "████")
        #expect(ComparisonTable.bar(1, of: 2, width: 4) == "██")
        #expect(ComparisonTable.bar(1, of: 8, width: 2) == "▎")
        #expect(ComparisonTable.bar(0, of: 8, width: 2) == "")
    }

    // MARK: results file

    @Test func resultsFileRoundTripsThroughFioSchema() throws {
        let r = CompareFixtures.results([(psync, [10_000, 11_000, 12_000], 100_000), (uring, [30_000, 33_000, 36_000], 50_000)])
        let text = try r.render()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        // fio's keys at the top level, one fio job per run, and our block beside them.
        #expect(json["fio version"] != nil)
        #expect((json["jobs"] as? [Any])?.count == 6)
        #expect((json["uringbench_compare"] as? [String: Any])?["format"] as? String == "uringbench-compare")
        let back = try ComparisonResults.decode(Data(text.utf8), path: "r.json")
        #expect(back.cases == r.cases)
        #expect(back.runRounds == [1, 1, 2, 2, 3, 3])
        #expect(back.machine == r.machine)
        #expect(back.plan == r.plan)
    }

    /// A file written before a JobSpec field existed still loads, with that field's default.
    @Test func olderFilesWithoutANewerJobFieldStillLoad() throws {
        let r = CompareFixtures.results([(psync, [10_000, 11_000], 100_000)])
        let text = try r.render()
        let older = text.split(separator: "\n").filter { !$0.contains("\"batchCompleteMin\"") }.joined(separator: "\n")
        #expect(older.count < text.count)
        let back = try ComparisonResults.decode(Data(older.utf8), path: "old.json")
        #expect(back.runs.allSatisfy { $0.job.batchCompleteMin == JobSpec().batchCompleteMin })
        #expect(back.cases == r.cases)
    }

    /// The committed baseline stays readable as the code grows.
    @Test func committedBaselineLoads() throws {
        let path = JobFileTests.packageRoot + "/results/baseline.json"
        let baseline = try ComparisonResults.load(path: path)
        // The engines of the Makefile's BASELINE_CMD, the command that made it.
        let makefile = try String(contentsOfFile: JobFileTests.packageRoot + "/Makefile", encoding: .utf8)
        let command = try #require(makefile.split(separator: "\n").first { $0.hasPrefix("BASELINE_CMD") })
        let words = command.split(separator: " ")
        let engines = try #require(words.firstIndex(of: "--engines").map { words[$0 + 1] })
        #expect(Set(baseline.cases.map(\.key.engine.rawValue)) == Set(engines.split(separator: ",").map(String.init)))
        #expect(baseline.cases.allSatisfy { $0.rounds == baseline.plan.rounds })
        #expect(baseline.machine.cores > 0 && !baseline.machine.cpuModel.isEmpty)
    }

    @Test func resultsFileErrorsAreOneLineAndSpecific() throws {
        let r = CompareFixtures.results([(psync, [10_000], 100_000)])
        let text = try r.render()
        func load(_ s: String) -> CompareError? {
            do { _ = try ComparisonResults.decode(Data(s.utf8), path: "x.json"); return nil } catch { return error }
        }
        if case .truncatedResults? = load(String(text.prefix(text.count / 2))) {} else { Issue.record("half a file is not reported as truncated") }
        if case .truncatedResults? = load("") {} else { Issue.record("empty file") }
        if case .notOurResults? = load("hello") {} else { Issue.record("text file") }
        if case .notOurResults? = load("[1,2]") {} else { Issue.record("JSON array") }
        if case .notOurResults(_, let why)? = load("{\"fio version\": \"fio-3.33\", \"jobs\": []}") {
            #expect(why.contains("fio JSON output"))
        } else { Issue.record("plain fio output") }
        // Our block present, but a job lost its uringbench results.
        let stripped = text.replacingOccurrences(of: "\"uringbench\" : {", with: "\"uringbench_x\" : {")
        if case .truncatedResults(_, let why)? = load(stripped) { #expect(why.contains("lack")) } else { Issue.record("stripped runs") }
        let newer = text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 99")
        if case .notOurResults(_, let why)? = load(newer) { #expect(why.contains("99")) } else { Issue.record("future version") }
        for e in [load(""), load("hello"), load(String(text.prefix(100)))] {
            #expect(e.map { !$0.description.contains("\n") } == true)
        }
    }

    // MARK: a real interleaved run

    @Test func interleavesRoundByRoundOnOneFile() throws {
        let file = try TestFiles.laidOut(size: 16 << 20)
        var base = JobSpec()
        base.filename = file
        base.size = 16 << 20
        base.runtimeNanoseconds = 100_000_000
        let plan = ComparisonPlan(base: base, engines: [.psync, .io_uring], iodepths: [4], blockSizes: [4096], rounds: 2)
        var order: [String] = []
        let results = try ComparisonRunner.run(plan, command: "test", events: { event in
            if event.result == nil { order.append("\(event.round):\(event.key.engine.rawValue)") }
        })
        #expect(order == ["1:psync", "1:io_uring", "2:psync", "2:io_uring"])
        #expect(results.runRounds == [1, 1, 2, 2])
        #expect(results.runs.allSatisfy { $0.totalIOs > 0 && $0.job.filename == file })
        #expect(results.cases.count == 2)
        #expect(results.cases.allSatisfy { $0.rounds == 2 })
        #expect(results.cases[1].ratioToBaseline != nil)
        #expect(results.machine.filesystem != "unknown")
        let path = TestFiles.path("compare") + ".json"
        try results.write(to: path)
        let back = try ComparisonResults.load(path: path)
        #expect(back.cases == results.cases)
    }
}

extension CompareTests {
    /// Verdict sentences from per-round paired ratios: the figures are the fixture's, the
    /// expected intervals SciPy's (t.interval on the log ratios, 4 rounds).
    @Test func verdictsFromPairedRounds() throws {
        let libaio = CaseKey(engine: .libaio, iodepth: 32, blockSize: 4096)
        let r = CompareFixtures.results([(psync, [10_000, 10_200, 9_800, 10_100], 50_000),
                                         (libaio, [10_400, 10_620, 10_180, 10_500], 50_000),
                                         (uring, [30_000, 30_900, 29_000, 30_600], 40_000)])
        let effects = CaseEffects.of(r)
        #expect(effects.map(\.metric) == [.cpuPerIO, .iops, .clatP99, .cpuPerIO, .iops, .clatP99])
        let iops = try #require(effects.first { $0.key == libaio && $0.metric == .iops })
        // SciPy: 1.0398886258187054 (1.0383011885449636–1.0414784900925564)
        #expect(abs(iops.ratio.estimate - 1.0398886258187054) < 1e-12)
        #expect(abs(iops.ratio.lower - 1.0383011885449636) < 1e-9 && abs(iops.ratio.upper - 1.0414784900925564) < 1e-9)
        #expect(iops.verdict == .better && iops.word == "faster")
        #expect(iops.sentence == "libaio is 4.0% faster than psync (95% CI 3.8–4.1%)")
        // CPU per IO here is a fixed CPU time over the IOs: the inverse ratio, lower is better.
        let cpu = try #require(effects.first { $0.key == libaio && $0.metric == .cpuPerIO })
        #expect(cpu.sentence == "libaio uses 3.8% less CPU per IO than psync (95% CI 3.7–4.0%)")
        #expect(cpu.word == "less CPU")
        // The same latency every round: no difference, and the interval says how little.
        let p99 = try #require(effects.first { $0.key == libaio && $0.metric == .clatP99 })
        #expect(p99.verdict == .noDetectableDifference)
        #expect(p99.sentence == "libaio vs psync, clat p99: no difference this run can detect (±0.0%)")
        // Large ratios read as multiples; lower latency is better.
        let uringIOPS = try #require(effects.first { $0.key == uring && $0.metric == .iops })
        #expect(uringIOPS.sentence.hasPrefix("io_uring runs at 3.00× psync's IOPS (95% CI "))
        let uringP99 = try #require(effects.first { $0.key == uring && $0.metric == .clatP99 })
        #expect(uringP99.verdict == .better && uringP99.sentence.hasPrefix("io_uring's clat p99 is 20% lower than psync's"))
        // Under the table, in Markdown, in the results file and in the HTML report.
        #expect(CaseEffects.renderText(effects).contains("  faster                    libaio is 4.0% faster than psync (95% CI 3.8–4.1%)\n"))
        #expect(CaseEffects.renderMarkdown(effects).contains("- **faster**: libaio is 4.0% faster than psync (95% CI 3.8–4.1%)\n"))
        let json = try r.render()
        #expect(json.contains("\"sentence\" : \"libaio is 4.0% faster than psync (95% CI 3.8–4.1%)\""))
        #expect(json.contains("\"verdict\" : \"no_detectable_difference\""))
        let html = ComparisonPlot(results: r).renderHTML()
        #expect(html.contains("id=\"chart-effects\""))
        #expect(html.components(separatedBy: "class=\"ci-whisker\"").count - 1 == effects.count)
        #expect(html.contains("<li><b>faster</b>: libaio is 4.0% faster than psync (95% CI 3.8–4.1%)</li>"))
        // One engine: nothing to compare, no verdicts.
        #expect(CaseEffects.of(CompareFixtures.results([(uring, [1, 2, 3], 50_000)])).isEmpty)
    }
}
