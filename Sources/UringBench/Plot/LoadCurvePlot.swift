import Foundation
import UringCore

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
        let lats = steps.flatMap { [$0.clatP50, $0.clatP99, $0.clatP999] }.filter { $0 > 0 }
        let frame = PlotFrame(left: 70, top: 40, width: 600, height: 360,
                              x: .linear(max: steps.map(\.iops).max() ?? 1, label: ComparisonTable.count),
                              y: .decades(lats.min() ?? 1000, lats.max() ?? 1e6, label: PlotAxis.nanosecondDecade))
        var c = SVGCanvas(width: frame.right + 220, height: frame.bottom + 50)
        let x = frame.px, y = frame.py
        c.text(frame.left, 22, "Completion latency against achieved IOPS (each engine capped at fractions of its own peak)", size: 14, weight: "bold")
        frame.drawAxes(on: &c, xTitle: "achieved IOPS", yTitle: "clat (log scale)")
        var legendRow = 0
        for key in keys {
            let color = EngineKind.allCases.firstIndex(of: key.engine).map { PlotPage.palette[$0 % PlotPage.palette.count] } ?? "#555"
            let points = steps.filter { $0.key == key }.sorted { $0.iops < $1.iops }
            for (p, name, dash) in Self.percentiles {
                c.polyline(points.map { (x($0.iops), y($0.latency(p))) }, stroke: color, width: 2, dash: dash, cls: "load-curve",
                           title: "\(key) clat \(name) against IOPS")
                for s in points {
                    c.circle(x(s.iops), y(s.latency(p)), r: 2.5, fill: color,
                             title: "\(key) \(s.fraction.map { String(format: "%g%%", $0 * 100) } ?? "peak"): \(ComparisonTable.count(s.iops)) IOPS, clat \(name) \(ComparisonTable.latency(s.latency(p)))")
                }
                frame.legend(on: &c, row: legendRow, color: color, dash: dash, label: "\(key.engine.rawValue) QD\(key.iodepth) \(name)")
                legendRow += 1
            }
        }
        return c.svg(id: "chart-load", title: "Completion latency against achieved IOPS")
    }

    public func renderHTML(title: String = "uringbench latency against load") -> String {
        let e = SVGCanvas.escape
        let f = curve.file
        let rows = PlotPage.tableRows(headers: LoadCurveReport.headers, rows: LoadCurveReport.ordered(curve).map(LoadCurveReport.cells))
        let targets = f.latencyTargets.map { "<li>\(e(LoadCurveReport.targetLine($0)))</li>" }.joined(separator: "\n")
        return """
        \(PlotPage.pageHead(title: title))
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
