import Foundation
import Testing
@testable import UringBench
import TestSupport

/// The built `uringbench` binary end to end: exit codes and one-line errors of compare, run and
/// plot. Results files are synthetic (CompareFixtures), so nothing here depends on speed.
@Suite(.waits) struct CompareCLITests {

    let uring = CaseKey(engine: .io_uring, iodepth: 32, blockSize: 4096)
    let psync = CaseKey(engine: .psync, iodepth: 1, blockSize: 4096)

    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try CLITests.run(args)
        return (r.status, r.stdout, r.stderr)
    }

    func write(_ r: ComparisonResults, _ name: String) throws -> String {
        let path = CLITests.path(name) + ".json"
        try r.write(to: path)
        return path
    }

    func expectOneLineError(_ r: (status: Int32, out: String, err: String), _ fragment: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1, "exit \(r.status): \(r.err)", sourceLocation: sourceLocation)
        #expect(r.err.hasPrefix("uringbench: error: "), sourceLocation: sourceLocation)
        #expect(r.err.contains(fragment), "\(r.err)", sourceLocation: sourceLocation)
        #expect(r.err.split(separator: "\n").count == 1, "\(r.err)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        (["compare", "--engines", "psync,fast"], "unknown engine 'fast' in --engines"),
        (["compare", "--engines", ""], "--engines is empty"),
        (["compare", "--engines", "psync", "--rounds", "0"], "--rounds must be from 1 to 1000"),
        (["compare", "--iodepth", "8,x"], "'x' in --iodepth is not valid"),
        (["compare", "--engines", "libaio", "--baseline-engine", "psync"], "--baseline-engine psync is not in --engines"),
        (["compare", "--max-rounds", "9"], "--max-rounds and --max-time limit --until-confident"),
        (["compare", "--latency-target", "p99<1ms"], "--latency-target 'p99<1ms' is not a percentile and a time"),
        (["compare", "--load", "10,0"], "'0' in --load is not valid"),
        (["compare", "--load", "50", "--rate-iops", "1000"], "--load and --latency-target set rate_iops themselves"),
        (["compare", "--until-confident", "tight"], "--until-confident 'tight' is not a positive percentage"),
        (["compare", "--until-confident", "0%"], "is not a positive percentage"),
        (["compare", "--until-confident", "2%", "--rounds", "5", "--max-rounds", "4"], "--max-rounds 4 is below --rounds 5"),
        (["compare", "--until-confident", "2%", "--engines", "libaio"], "--until-confident needs a case to compare with the baseline engine libaio"),
        (["plot", "/nonexistent/r.json"], "no such file"),
        (["run", "/nonexistent/x.fio"], "cannot read the job file"),
    ])
    func badArgumentsAreOneLine(args: [String], fragment: String) throws {
        expectOneLineError(try run(args), fragment)
    }

    @Test func badFilesAreOneLine() throws {
        let good = try write(CompareFixtures.results([(uring, [30_000], 50_000)]), "good")
        let text = try String(contentsOfFile: good, encoding: .utf8)
        let truncated = CLITests.path("trunc") + ".json"
        try String(text.prefix(text.count / 3)).write(toFile: truncated, atomically: true, encoding: .utf8)
        expectOneLineError(try run(["plot", truncated]), "is truncated or corrupt")
        let fio = CLITests.path("fio") + ".json"
        try "{\"fio version\": \"fio-3.33\", \"jobs\": []}".write(toFile: fio, atomically: true, encoding: .utf8)
        expectOneLineError(try run(["compare", "--from", fio]), "not a uringbench compare results file")
        let job = CLITests.path("bad") + ".fio"
        try "[global]\nrw=randread\n[j]\niodepth 4\nverify=md5\n".write(toFile: job, atomically: true, encoding: .utf8)
        expectOneLineError(try run(["run", job]), "\(job):4: 'iodepth 4' is not an option name")
        try "[global]\nrw=randread\n[j]\niodepth=4\nverify=md5\n".write(toFile: job, atomically: true, encoding: .utf8)
        expectOneLineError(try run(["run", job]), "\(job):5: unsupported option 'verify'")
        expectOneLineError(try run(["compare", "--job-file", job]), "\(job):5: unsupported option 'verify'")
    }

    @Test func gateExitCodes() throws {
        let base = try write(CompareFixtures.results([(psync, [10_000, 10_000, 10_000, 10_000, 10_000], 90_000), (uring, [30_000, 30_000, 30_000, 30_000, 30_000], 50_000)]), "base")
        let same = try run(["compare", "--from", base, "--against", base])
        #expect(same.status == 0, "\(same.err)")
        #expect(same.out.contains("gate: passed"))

        let slower = try write(CompareFixtures.results([(psync, [10_000, 10_000, 10_000, 10_000, 10_000], 90_000), (uring, [20_000, 21_000, 22_000, 20_500, 21_500], 50_000)]), "slower")
        let failed = try run(["compare", "--from", slower, "--against", base, "--max-iops-drop", "10%"])
        #expect(failed.status == 2)
        #expect(failed.out.contains("REGRESSED  io_uring QD32 4k IOPS 30.0k → 21.0k"))
        #expect(failed.out.contains("gate: FAILED, 1 regression: io_uring QD32 4k IOPS"))
        // Markdown for a CI summary, the gate report fenced below the table.
        let md = try run(["compare", "--from", slower, "--against", base, "--markdown"])
        #expect(md.status == 2)
        #expect(md.out.contains("| engine | QD | bs |"))
        #expect(md.out.contains("```\ngate against"))

        let faster = try write(CompareFixtures.results([(psync, [10_000, 10_000, 10_000, 10_000, 10_000], 90_000), (uring, [40_000, 40_000, 40_000, 40_000, 40_000], 50_000)]), "faster")
        #expect(try run(["compare", "--from", faster, "--against", base]).status == 0)
        #expect(try run(["compare", "--from", faster, "--against", base, "--fail-on-improvement"]).status == 4)

        // The same figures from a comparison that was stopped (Ctrl-C, a CI job's timeout): not a pass.
        var stoppedResults = CompareFixtures.results([(psync, [10_000, 10_000, 10_000, 10_000, 10_000], 90_000), (uring, [30_000, 30_000, 30_000, 30_000, 30_000], 50_000)])
        stoppedResults.interrupted = true
        let stopped = try run(["compare", "--from", try write(stoppedResults, "stopped"), "--against", base])
        #expect(stopped.status == 3, "\(stopped.err)")
        #expect(stopped.out.contains("gate: UNDECIDED, the comparison did not run its plan (interrupted (a stop signal), 10 of 15 planned runs measured); run it whole to decide"), "\(stopped.out)")

        let narrow = try write(CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000, 30_000], 50_000)]), "narrow")
        expectOneLineError(try run(["compare", "--from", base, "--against", narrow]), "has no psync QD1 4k")
        expectOneLineError(try run(["compare", "--from", base, "--against", base, "--max-p99-rise", "lots"]), "is not a percentage")
        // 3 vs 3 rounds can never be significant: refused before anything is measured, with the fix.
        let three = try write(CompareFixtures.results([(psync, [10_000, 10_000, 10_000], 90_000), (uring, [30_000, 30_000, 30_000], 50_000)]), "three")
        expectOneLineError(try run(["compare", "--from", three, "--against", three]), "3 rounds here and 3 in")
        expectOneLineError(try run(["compare", "--engines", "psync,io_uring", "--rounds", "3", "--against", three, "--filename", CLITests.path("never")]),
                           "pass --rounds 5 or more")
    }

    @Test func otherMachineNeedsForce() throws {
        var elsewhere = CompareFixtures.machine
        elsewhere.cpuModel = "Elsewhere CPU"
        let base = try write(CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000], 50_000)], machine: elsewhere), "elsewhere")
        let here = try write(CompareFixtures.results([(uring, [30_000, 30_000, 30_000, 30_000], 50_000)]), "here")
        expectOneLineError(try run(["compare", "--from", here, "--against", base]), "was measured on another machine")
        let forced = try run(["compare", "--from", here, "--against", base, "--force"])
        #expect(forced.status == 0)
        #expect(forced.out.contains("note: --force: comparing across machines"))
    }

    @Test func plotWritesHTMLAndSVG() throws {
        let results = try write(CompareFixtures.results([(psync, [10_000], 90_000), (uring, [30_000], 50_000)]), "plot")
        let html = CLITests.path("plot") + ".html"
        #expect(try run(["plot", results, "-o", html]).status == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("id=\"chart-percentiles\""))
        let svg = try run(["plot", results, "--format", "svg"])
        #expect(svg.status == 0)
        #expect(svg.out.hasPrefix("<?xml"))
    }

    /// `--until-confident` on a real adaptive run: it adds rounds and says what stopped it.
    @Test func adaptiveRunAddsRoundsAndSaysWhatStoppedIt() throws {
        let file = CLITests.path("confident") + ".dat"
        let out = CLITests.path("confident") + ".json"
        // A target no run on a shared machine meets: it runs to --max-rounds.
        let r = try run(["compare", "--engines", "psync,libaio", "--runtime", "100ms", "--size", "16M",
                         "--filename", file, "--rounds", "2", "--until-confident", "0.001%",
                         "--max-rounds", "4", "--output", out])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("after 2 rounds: widest 95% CI ±"))
        #expect(r.err.contains("after 3 rounds: widest 95% CI ±"))
        #expect(r.out.contains("until-confident: stopped by --max-rounds 4 with the widest 95% CI ±"))
        #expect(r.out.contains("median of 4 interleaved rounds"))
        let results = try ComparisonResults.load(path: out)
        #expect(results.plan.rounds == 4)
        #expect(results.runRounds == [1, 1, 2, 2, 3, 3, 4, 4])
        #expect(CaseEffects.of(results).allSatisfy { $0.ratio.pairs == 4 })
    }
}
