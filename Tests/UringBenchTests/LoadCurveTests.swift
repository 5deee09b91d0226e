import Foundation
import Testing
import TestSupport
@testable import UringBench

/// `compare --load` and `--latency-target`: parsing, and a real sweep whose capped steps must
/// respect their caps (a cap the runner ignored would make the whole curve a lie).
@Suite(.waits) struct LoadCurveTests {
    @Test func latencyTargetParsing() {
        #expect(LatencyTarget.parse("p99=1ms") == LatencyTarget(percentile: 99, nanoseconds: 1_000_000))
        #expect(LatencyTarget.parse("p99.9=500us") == LatencyTarget(percentile: 99.9, nanoseconds: 500_000))
        #expect(LatencyTarget.parse("p50=250µs") == LatencyTarget(percentile: 50, nanoseconds: 250_000))
        #expect(LatencyTarget.parse("p99.99 = 2s")?.nanoseconds == 2_000_000_000)
        // One duration grammar: m is minutes here as in --runtime 2m (fio's time suffixes).
        #expect(LatencyTarget.parse("p99=1m")?.nanoseconds == Units.parseDuration("1m"))
        #expect(LatencyTarget.parse("p99=1m")?.nanoseconds == 60_000_000_000)
        #expect(LatencyTarget.parse("p99=2msec")?.nanoseconds == 2_000_000)
        for bad in ["p99", "99=1ms", "p98=1ms", "p99=1", "p99=-1ms", "p99=0ms", "p99=fastms", "p99=1e30s"] {
            #expect(LatencyTarget.parse(bad) == nil, "\(bad)")
        }
        #expect(LatencyTarget(percentile: 99, nanoseconds: 1_000_000).label == "p99=1.00ms")
    }

    @Test func sweepRespectsEachCapAndFindsATarget() throws {
        let file = try TestFiles.laidOut(size: 16 << 20)
        var base = JobSpec()
        base.filename = file
        base.size = 16 << 20
        base.runtimeNanoseconds = 200_000_000
        let plan = ComparisonPlan(base: base, engines: [.psync, .io_uring], iodepths: [8], blockSizes: [4096], rounds: 1)
        // A target every run meets (an hour): the uncapped peak is the answer, no bisection.
        let curve = try LoadCurve.run(plan, fractions: [0.5, 0.25], latencyTarget: LatencyTarget(percentile: 99, nanoseconds: 3_600_000_000_000), command: "test")
        let steps = curve.file.steps
        #expect(curve.file.fractions == [0.25, 0.5])
        #expect(steps.count == 6)
        for key in plan.cases {
            let peak = try #require(steps.first { $0.key == key && $0.fraction == nil })
            #expect(peak.rateIOPS == 0 && peak.iops > 0)
            for f in [0.25, 0.5] {
                let s = try #require(steps.first { $0.key == key && $0.fraction == f })
                #expect(s.rateIOPS == UInt64((peak.iops * f).rounded()))
                // The cap held: achieved IOPS at most the cap (5% for the rate clock's granularity).
                #expect(s.iops <= Double(s.rateIOPS) * 1.05, "\(key) at \(f): \(s.iops) IOPS over a cap of \(s.rateIOPS)")
                #expect(s.clatP50 <= s.clatP99 && s.clatP99 <= s.clatP999)
            }
        }
        #expect(curve.file.latencyTargets.count == 2)
        #expect(curve.file.latencyTargets.allSatisfy { $0.metRate == 0 && $0.runs == 1 && $0.missedRate == nil })
        // Text, file and plot carry the same steps.
        let text = LoadCurveReport.renderText(curve)
        #expect(text.contains("highest IOPS within p99=3600.00s"))
        #expect(text.contains("uncapped (peak)"))
        let path = TestFiles.path("load") + ".json"
        try curve.write(to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(LoadCurve.isLoadCurve(data))
        #expect(try LoadCurve.decode(data, path: path).file.steps == steps)
        let html = LoadCurvePlot(curve: curve).renderHTML()
        #expect(html.contains("id=\"chart-load\""))
        #expect(html.components(separatedBy: "class=\"load-curve\"").count - 1 == 2 * 3)
        // A comparison results file is not a load curve, and the other way round.
        #expect(throws: CompareError.self) { try ComparisonResults.decode(data, path: path) }
    }

    @Test func bisectionBracketsAnUnreachableTarget() throws {
        let file = try TestFiles.laidOut(size: 16 << 20)
        var base = JobSpec()
        base.filename = file
        base.size = 16 << 20
        base.runtimeNanoseconds = 100_000_000
        let plan = ComparisonPlan(base: base, engines: [.psync], iodepths: [1], blockSizes: [4096], rounds: 1)
        // 1 ns: no real IO meets it. Every bisection step misses, each at a lower cap.
        let curve = try LoadCurve.run(plan, fractions: [], latencyTarget: LatencyTarget(percentile: 99, nanoseconds: 1, steps: 3), command: "test")
        let t = try #require(curve.file.latencyTargets.first)
        #expect(t.metRate == nil && t.runs == 4)
        let peak = curve.file.steps[0].iops
        // Three halvings of [0, peak]: the last cap tried is peak / 8 (± 1 from rounding each step).
        #expect(abs(Double(t.missedRate ?? 0) - max(1, (peak / 8).rounded())) <= 1)
        #expect(LoadCurveReport.targetLine(t).contains("no rate tried met p99=1ns"))
    }
}
