import ArgumentParser
import Foundation
import UringBench

extension UringBenchCommand.Compare {
    /// `--load` and `--latency-target`: the latency-against-load sweep instead of rounds of
    /// uncapped runs. Options that make no sense with it are refused by name.
    /// `inputs` are the files --output must not be (the data file, a job file).
    func runLoad(_ plan: ComparisonPlan, inputs: [(path: String, role: String)]) throws {
        let fractions = try load.map { text in
            try CompareCLI.list(text, option: "--load", example: "10,25,50,75,90,100") { item -> Double? in
                guard let v = Double(item.hasSuffix("%") ? String(item.dropLast()) : item), v > 0, v <= 100 else { return nil }
                return v / 100
            }
        } ?? []
        var target: LatencyTarget? = nil
        if let latencyTarget {
            guard let t = LatencyTarget.parse(latencyTarget) else {
                throw CompareCLI.fail("--latency-target '\(latencyTarget)' is not a percentile and a time; write e.g. --latency-target p99=1ms (p50, p99, p99.9 or p99.99; the time in ns, us, ms, s or m, m being minutes as in --runtime)")
            }
            target = t
        }
        if against != nil || untilConfident != nil || plan.base.rateIOPS != 0 || updateBaseline {
            throw CompareCLI.fail("--load and --latency-target set rate_iops themselves and measure a curve, not rounds to gate; drop --against, --update-baseline, --until-confident and --rate-iops, or drop --load/--latency-target")
        }
        let report = try openOutput(reading: inputs)
        let steps = plan.cases.count * plan.rounds * (1 + fractions.count) + (target == nil ? 0 : plan.cases.count * (target?.steps ?? 0))
        Terminal.error("compare --load: \(plan.cases.count) case\(plan.cases.count == 1 ? "" : "s"): peak first, then \(fractions.map { String(format: "%g%%", $0 * 100) }.joined(separator: ", "))\(target.map { "; bisection for \($0.label)" } ?? ""), \(plan.rounds) round\(plan.rounds == 1 ? "" : "s") per step: up to \(steps) runs, about \(Int((Double(steps) * Double(plan.base.runtimeNanoseconds + plan.base.rampNanoseconds) / 1e9).rounded(.up)))s")
        var curve: LoadCurve? = nil
        try Terminal.run {
            curve = try LoadCurve.run(plan, fractions: fractions, latencyTarget: target, command: CompareCLI.commandLine,
                                      layoutProgress: Terminal.layoutProgress, progress: Terminal.progressLine(for: plan.base)) { event in
                Terminal.finishProgress()
                let r = event.result
                Terminal.error("\(event.key.description.padding(toLength: 26, withPad: " ", startingAt: 0))  \(event.label.padding(toLength: 20, withPad: " ", startingAt: 0))  \(ComparisonTable.count(r.iops)) IOPS  p99 \(ComparisonTable.latency(Double(r.clat.valueAt(percentile: 99))))")
            }
        }
        let result = curve!
        Terminal.write(1, markdown ? LoadCurveReport.renderMarkdown(result) : LoadCurveReport.renderText(result))
        // The pairs left out of the plan (mmap at direct=1), named as under compare's table.
        let skipped = ComparisonTable.skippedNote(plan)
        if !skipped.isEmpty { Terminal.write(1, skipped) }
        if let report {
            let text: String
            do { text = try result.render() } catch { throw CompareCLI.fail("cannot encode the load curve: \(error)") }
            try Terminal.emit(text, to: report)
            Terminal.error("wrote the load curve to \(report.path)")
        }
    }
}
