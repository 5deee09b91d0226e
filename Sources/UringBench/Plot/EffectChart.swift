import Foundation
import UringCore

/// The verdicts as a picture: per metric, each case's ratio to the baseline engine as a dot
/// with its 95% CI as a whisker, on a log axis (×0.5 and ×2 equally far from ×1), coloured by
/// verdict: green better, red worse, grey no detectable difference.
extension ComparisonPlot {
    static let verdictColors: [Effect.Verdict: String] = [.better: "#2e7d32", .worse: "#c62828", .noDetectableDifference: "#777"]

    func effectChart() -> String? {
        let effects = CaseEffects.of(results)
        guard !effects.isEmpty else { return nil }
        let metrics = Effect.metrics.filter { m in effects.contains { $0.metric == m } }
        let keys = results.cases.map(\.key).filter { k in effects.contains { $0.key == k } }
        let left = 190.0, right = 260.0, top = 40.0, plotW = 420.0, rowH = 22.0, panelGap = 34.0
        let panelH = Double(keys.count) * rowH + 8
        let height = top + Double(metrics.count) * (panelH + panelGap) + 10
        var c = SVGCanvas(width: left + plotW + right, height: height)
        let lows = effects.map(\.ratio.lower) + [1], highs = effects.map(\.ratio.upper) + [1]
        // Widen the range a little so dots at the edge stay inside.
        let lo = log((lows.min() ?? 1) / 1.05), hi = log((highs.max() ?? 1) * 1.05)
        let x = { (r: Double) in left + (log(r) - lo) / max(hi - lo, 1e-9) * plotW }
        let base = effects[0].baseline.engine.rawValue
        c.text(12, 22, "Against \(base): ratio per round, geometric mean with 95% CI (t-interval on log ratios, \(effects[0].ratio.pairs) paired rounds)", size: 14, weight: "bold")
        let candidates: [Double] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.67, 0.8, 0.9, 0.95, 1, 1.05, 1.1, 1.25, 1.5, 2, 3, 4, 5, 10, 20, 50, 100]
        // ×1 always, then each candidate at least 48 px from every tick already placed.
        var ticks: [Double] = [1]
        for t in candidates where log(t) >= lo && log(t) <= hi && ticks.allSatisfy({ abs(x($0) - x(t)) >= 48 }) { ticks.append(t) }
        for (m, metric) in metrics.enumerated() {
            let y0 = top + Double(m) * (panelH + panelGap)
            let name = metric == .cpuPerIO ? "CPU per IO (lower is better)" : metric == .iops ? "IOPS (higher is better)" : "\(metric.label) (lower is better)"
            c.text(12, y0 + 12, name, size: 12, weight: "bold")
            let py = y0 + 20
            for t in ticks {
                c.line(x(t), py, x(t), py + panelH, stroke: t == 1 ? "#333" : "#e4e4e4", width: t == 1 ? 1.2 : 1)
                c.text(x(t), py + panelH + 13, String(format: "×%g", t), anchor: .middle, size: 10, fill: "#555")
            }
            for (i, key) in keys.enumerated() {
                guard let e = effects.first(where: { $0.key == key && $0.metric == metric }) else { continue }
                let cy = py + 4 + (Double(i) + 0.5) * rowH
                let color = Self.verdictColors[e.verdict] ?? "#777"
                c.text(left - 10, cy + 4, key.description, anchor: .end, size: 11)
                c.line(x(e.ratio.lower), cy, x(e.ratio.upper), cy, stroke: color, width: 2, cls: "ci-whisker")
                c.line(x(e.ratio.lower), cy - 5, x(e.ratio.lower), cy + 5, stroke: color, width: 2)
                c.line(x(e.ratio.upper), cy - 5, x(e.ratio.upper), cy + 5, stroke: color, width: 2)
                c.circle(x(e.ratio.estimate), cy, r: 4, fill: color, cls: "effect", title: e.sentence)
                c.text(left + plotW + 10, cy + 4, String(format: "×%.3g (%.3g–%.3g) ", e.ratio.estimate, e.ratio.lower, e.ratio.upper) + e.word, size: 11, fill: color)
            }
        }
        return c.svg(id: "chart-effects", title: "Effects against \(base) with 95% confidence intervals")
    }
}

extension ComparisonPlot {
    /// The verdict sentences and their chart, for the HTML page; empty with one engine.
    func effectSection() -> String {
        let effects = CaseEffects.of(results)
        guard let chart = effectChart() else { return "" }
        let items = effects.map { "<li><b>\(SVGCanvas.escape($0.word))</b>: \(SVGCanvas.escape($0.sentence))</li>" }.joined(separator: "\n")
        return "<section id=\"verdicts\"><ul>\n\(items)\n</ul>\n\(chart)</section>"
    }
}
