import Foundation
import UringCore

/// `uringbench plot` of a fleet file (`fleet --output`): per case, one bar per host for IOPS and
/// for CPU µs/IO, the fleet median as a dashed line across the group, outliers in red.
public struct FleetPlot {
    public let summary: FleetSummary

    public init(summary: FleetSummary) { self.summary = summary }

    static let hostColor = "#4e79a7", outlierColor = "#e15759"

    /// One grouped bar chart; `value` picks the figure, `zOf` the score shown in the tooltip.
    func chart(id: String, title: String, value: (FleetSummary.Figures) -> Double,
               format: (Double) -> String, zOf: (FleetSummary.Row) -> Double?) -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 90.0, plotH = 280.0
        let hosts = summary.hosts.count
        let groupW = max(90, 26 * Double(hosts) + 30)
        let width = max(640, left + right + groupW * Double(summary.cases.count))
        var c = SVGCanvas(width: width, height: top + plotH + bottom)
        let maxV = summary.cases.flatMap { $0.rows.map { value($0.figures) } }.max() ?? 1
        let ticks = PlotAxis.niceTicks(maxV)
        let topV = ticks.last ?? maxV
        let y = { (v: Double) in top + plotH - (topV > 0 ? v / topV : 0) * plotH }
        c.text(left, 22, title, size: 14, weight: "bold")
        for t in ticks {
            c.line(left, y(t), width - right, y(t), stroke: "#e4e4e4")
            c.text(left - 6, y(t) + 4, format(t), anchor: .end, size: 11, fill: "#555")
        }
        c.line(left, top + plotH, width - right, top + plotH, stroke: "#333")
        for (g, cs) in summary.cases.enumerated() {
            let x0 = left + groupW * Double(g) + 15
            let barW = (groupW - 30) / Double(max(1, cs.rows.count))
            for (i, r) in cs.rows.enumerated() {
                let v = value(r.figures)
                let zText = zOf(r).map { String(format: "%+.1f", $0) } ?? "undefined (MAD 0)"
                c.rect(x0 + barW * Double(i) + 1, y(v), barW - 2, top + plotH - y(v),
                       fill: r.outlier ? Self.outlierColor : Self.hostColor, cls: r.outlier ? "bar outlier" : "bar",
                       title: "\(r.host) \(cs.key): \(format(v)), robust z \(zText)\(r.outlier ? ", OUTLIER" : "")")
                c.text(x0 + barW * (Double(i) + 0.5), top + plotH + 12, r.host, anchor: .end, size: 10,
                       fill: r.outlier ? Self.outlierColor : "#333", rotate: -45)
            }
            let m = value(cs.fleetMedian)
            c.line(x0 - 4, y(m), x0 + groupW - 26, y(m), stroke: "#111", width: 1.5, dash: "5 3", cls: "fleet-median")
            c.text(x0 + (groupW - 30) / 2, top + plotH + 70, cs.key.description, anchor: .middle, size: 11, weight: "bold")
        }
        return c.svg(id: id, title: title)
    }

    func iopsChart() -> String {
        chart(id: "fleet-iops", title: "IOPS per host, median of \(summary.rounds) round\(summary.rounds == 1 ? "" : "s") (dashed: fleet median; red: outlier)",
              value: \.iops, format: ComparisonTable.count, zOf: \.iopsZ)
    }

    func cpuChart() -> String {
        chart(id: "fleet-cpu", title: "CPU µs per IO per host (dashed: fleet median; red: outlier)",
              value: \.cpuPerIO, format: { String(format: "%.2f", $0) }, zOf: \.cpuPerIOZ)
    }

    public func renderSVG() -> String {
        PlotPage.stackedSVG([iopsChart(), cpuChart()], title: "uringbench fleet")
    }

    public func renderHTML() -> String {
        let e = SVGCanvas.escape
        var rows = "<tr>" + FleetTable.headers.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for r in FleetTable(summary: summary).rows() {
            rows += "<tr\(r[9].isEmpty ? "" : " class=\"outlier\"")>" + r.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
        }
        let hosts = summary.hosts.map { h in
            "<li>\(e(h.name)): \(e(h.machine.cpuModel)), \(h.machine.cores) cores, kernel \(e(h.machine.kernel)), \(e(h.machine.filesystem)) on \(e(h.machine.device ?? "unknown device")), uringbench \(e(h.uringbenchVersion))</li>"
        }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>uringbench fleet</title>
        <style>
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }
        h1 { font-size: 20px; margin: 0 0 8px; }
        p, li { font-size: 13px; }
        table { border-collapse: collapse; font-size: 12px; }
        th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; }
        th:nth-child(-n+2), td:nth-child(-n+2), td:last-child { text-align: left; }
        tr.outlier td { color: \(Self.outlierColor); font-weight: bold; }
        </style>
        </head>
        <body>
        <header id="header">
        <h1>uringbench fleet: \(summary.hosts.count) hosts</h1>
        <p>\(e(summary.job))</p>
        <ul>\(hosts)</ul>
        <p>\(e(summary.outlierRule)); merged by uringbench \(e(summary.uringbench))</p>
        </header>
        <section id="summary"><table>
        \(rows)</table></section>
        <section>\(iopsChart())</section>
        <section>\(cpuChart())</section>
        </body>
        </html>

        """
    }
}
