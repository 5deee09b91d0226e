import Foundation
import UringCore

/// The load sweep as a table (terminal or Markdown): per case, the peak, then each step's cap,
/// achieved IOPS and clat p50/p99/p99.9; then the latency-target rows.
public enum LoadCurveReport {
    public static let headers = ["engine", "QD", "bs", "load", "rate_iops", "IOPS", "clat p50", "p99", "p99.9", "CPU µs/IO"]

    static func cells(_ s: LoadStep) -> [String] {
        [s.key.engine.rawValue, "\(s.key.iodepth)", formatBytesFlag(UInt64(s.key.blockSize)),
         s.fraction.map { String(format: "%g%%", $0 * 100) } ?? "peak", s.rateIOPS == 0 ? "–" : "\(s.rateIOPS)",
         ComparisonTable.count(s.iops), ComparisonTable.latency(s.clatP50), ComparisonTable.latency(s.clatP99),
         ComparisonTable.latency(s.clatP999), String(format: "%.2f", s.cpuPerIO)]
    }

    /// Steps grouped by case (plan order), peak first then by load.
    static func ordered(_ curve: LoadCurve) -> [LoadStep] {
        let keys = curve.file.plan.cases
        return keys.flatMap { k in curve.file.steps.filter { $0.key == k }.sorted { ($0.fraction ?? -1) < ($1.fraction ?? -1) } }
    }

    static func targetLine(_ t: LatencyTargetResult) -> String {
        let name = t.key.description
        if let iops = t.metIOPS, let latency = t.metLatency, let rate = t.metRate {
            let how = rate == 0 ? "uncapped (peak)" : "at rate_iops=\(rate)"
            let bracket = t.missedRate.map { $0 == 0 ? "; uncapped it missed (\(ComparisonTable.latency(t.missedLatency ?? 0)))" : "; rate_iops=\($0) missed (\(ComparisonTable.latency(t.missedLatency ?? 0)))" } ?? ""
            return "\(name): \(ComparisonTable.count(iops)) IOPS with \(t.target.label.split(separator: "=")[0]) \(ComparisonTable.latency(latency)) ≤ \(ComparisonTable.latency(Double(t.target.nanoseconds))), \(how)\(bracket); \(t.runs) runs"
        }
        return "\(name): no rate tried met \(t.target.label) (lowest tried rate_iops=\(t.missedRate ?? 0): \(ComparisonTable.latency(t.missedLatency ?? 0))); \(t.runs) runs"
    }

    public static func caption(_ curve: LoadCurve) -> String {
        let f = curve.file, job = f.plan.base, m = f.machine
        return "latency vs load: randread \(job.direct ? "O_DIRECT" : "buffered"), \(String(format: "%g", Double(job.runtimeNanoseconds) / 1e9))s per run, peak measured first then capped with rate_iops at each fraction of each engine's own peak, median of \(f.plan.rounds) round\(f.plan.rounds == 1 ? "" : "s") per step, \(formatBytesFlag(job.size)) \(job.filename) on \(m.cpuModel), \(m.cores) cores, kernel \(m.kernel), \(m.filesystem)/\(m.device ?? "?")"
    }

    public static func renderText(_ curve: LoadCurve) -> String {
        let rows = ordered(curve).map(cells)
        let line = TextColumns([headers] + rows).line
        var out = caption(curve) + "\n" + line(headers) + "\n"
        var last: CaseKey? = nil
        for (s, r) in zip(ordered(curve), rows) {
            if let l = last, l != s.key { out += "\n" }
            out += line(r) + "\n"
            last = s.key
        }
        if !curve.file.latencyTargets.isEmpty {
            out += "\nhighest IOPS within \(curve.file.latencyTargets[0].target.label) (bisection on rate_iops; fio's latency_target searches the queue depth instead):\n"
            for t in curve.file.latencyTargets { out += "  " + targetLine(t) + "\n" }
        }
        if curve.file.interrupted { out += "note: interrupted (\(StopCause.phrase)): the figures cover only the runs finished before the stop\n" }
        return out
    }

    public static func renderMarkdown(_ curve: LoadCurve) -> String {
        var out = "**\(caption(curve))**\n\n| " + headers.joined(separator: " | ") + " |\n|" + headers.indices.map { $0 < 4 ? ":---|" : "---:|" }.joined() + "\n"
        for s in ordered(curve) { out += "| " + cells(s).joined(separator: " | ") + " |\n" }
        if !curve.file.latencyTargets.isEmpty {
            out += "\n**Highest IOPS within \(curve.file.latencyTargets[0].target.label)** (bisection on rate_iops; fio's latency_target searches the queue depth instead)\n\n"
            for t in curve.file.latencyTargets { out += "- " + targetLine(t) + "\n" }
        }
        if curve.file.interrupted { out += "\nnote: interrupted (\(StopCause.phrase)): the figures cover only the runs finished before the stop\n" }
        return out
    }
}
