import Foundation

/// `uringbench plot` of a `compare --load` file: completion latency on a log axis against
/// achieved IOPS, one line per engine and percentile (p50 solid, p99 dashed, p99.9 dotted), the
/// "hockey stick" that shows where each I/O model's latency breaks.
public struct LoadCurvePlot {
    public let curve: LoadCurve

    public init(curve: LoadCurve) { self.curve = curve }

    static let percentiles: [(Double, String, String?)] = [(50, "p50", nil), (99, "p99", "7 4"), (99.9, "p99.9", "2 3")]

    public func chart() -> String {
        let steps = curve.file.steps
        let keys = curve.file.plan.cases.filter { k in steps.contains { $0.key == k } }
        let left = 70.0, right = 220.0, top = 40.0, bottom = 50.0, plotW = 600.0, plotH = 360.0
        var c = SVGCanvas(width: left + plotW + right, height: top + plotH + bottom)
        let xTicks = ComparisonPlot.niceTicks(steps.map(\.iops).max() ?? 1)
        let xMax = xTicks.last ?? 1
        let lats = steps.flatMap { [$0.clatP50, $0.clatP99, $0.clatP999] }.filter { $0 > 0 }
        let (lo, hi) = ComparisonPlot.decades(lats.min() ?? 1000, lats.max() ?? 1e6)
        let x = { (v: Double) in left + v / xMax * plotW }
        let y = { (ns: Double) in top + plotH - min(1, max(0, (log10(max(ns, 1)) - lo) / (hi - lo))) * plotH }
        c.text(left, 22, "Completion latency against achieved IOPS (each engine capped at fractions of its own peak)", size: 14, weight: "bold")
        for d in stride(from: lo, through: hi, by: 1) {
            c.line(left, y(pow(10, d)), left + plotW, y(pow(10, d)), stroke: "#e4e4e4")
            c.text(left - 6, y(pow(10, d)) + 4, ComparisonPlot.decadeLabel(d), anchor: .end, size: 11, fill: "#555")
        }
        for t in xTicks {
            c.line(x(t), top, x(t), top + plotH, stroke: "#e4e4e4")
            c.text(x(t), top + plotH + 16, ComparisonTable.count(t), anchor: .middle, size: 11, fill: "#555")
        }
        c.text(left + plotW / 2, top + plotH + 38, "achieved IOPS", anchor: .middle, size: 11)
        c.text(16, top + plotH / 2, "clat (log scale)", anchor: .middle, size: 11, rotate: -90)
        c.line(left, top + plotH, left + plotW, top + plotH, stroke: "#333")
        c.line(left, top, left, top + plotH, stroke: "#333")
        var legendRow = 0
        for key in keys {
            let color = EngineKind.allCases.firstIndex(of: key.engine).map { ComparisonPlot.palette[$0 % ComparisonPlot.palette.count] } ?? "#555"
            let points = steps.filter { $0.key == key }.sorted { $0.iops < $1.iops }
            for (p, name, dash) in Self.percentiles {
                c.polyline(points.map { (x($0.iops), y($0.latency(p))) }, stroke: color, width: 2, dash: dash, cls: "load-curve",
                           title: "\(key) clat \(name) against IOPS")
                for s in points {
                    c.circle(x(s.iops), y(s.latency(p)), r: 2.5, fill: color,
                             title: "\(key) \(s.fraction.map { String(format: "%g%%", $0 * 100) } ?? "peak"): \(ComparisonTable.count(s.iops)) IOPS, clat \(name) \(ComparisonTable.latency(s.latency(p)))")
                }
                let yy = top + 6 + Double(legendRow) * 16
                c.line(left + plotW + 16, yy, left + plotW + 42, yy, stroke: color, width: 2.5, dash: dash)
                c.text(left + plotW + 48, yy + 4, "\(key.engine.rawValue) QD\(key.iodepth) \(name)", size: 11)
                legendRow += 1
            }
        }
        return c.svg(id: "chart-load", title: "Completion latency against achieved IOPS")
    }

    public func renderHTML(title: String = "uringbench latency against load") -> String {
        let e = SVGCanvas.escape
        let f = curve.file
        let rows = ComparisonPlot.tableRows(headers: LoadCurveReport.headers, rows: LoadCurveReport.ordered(curve).map(LoadCurveReport.cells))
        let targets = f.latencyTargets.map { "<li>\(e(LoadCurveReport.targetLine($0)))</li>" }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(e(title))</title>
        \(ComparisonPlot.pageStyle)
        </head>
        <body>
        <h1>\(e(title))</h1>
        <p>\(e(LoadCurveReport.caption(curve)))</p>
        <p><code>\(e(f.command))</code></p>
        <section>\(chart())</section>
        \(targets.isEmpty ? "" : "<ul id=\"latency-targets\">\n\(targets)\n</ul>")
        <section id="summary"><table>
        \(rows)</table></section>
        </body>
        </html>

        """
    }
}
