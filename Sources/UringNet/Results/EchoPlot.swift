import Foundation
import UringCore

/// `uringbench plot` of an `echo` results file: server CPU per request and p99 round trip
/// against the connection count (closed-loop sweep) and against the offered load (open loop,
/// `--rate`/`--load`), one line per engine (colour) and payload size or connection count (dash).
/// Points are the medians over rounds; each point's tooltip gives the figure and epoll's paired
/// ratio.
public struct EchoPlot {
    public let results: EchoResults

    public init(results: EchoResults) { self.results = results }

    /// Closed-loop rows: the connection sweep.
    var sweepRows: [EchoTable.Row] { results.rows.filter { $0.offeredRate == nil && $0.loadPercent == nil } }
    /// Open-loop rows: a fixed offered rate each.
    var loadRows: [EchoTable.Row] { results.rows.filter { $0.offeredRate != nil } }

    /// Engines in a fixed colour order, so epoll is the same colour on every page.
    static let knownEngines = EchoEngine.allCases.map(\.rawValue) + ["nio"]
    static let dashes: [String?] = [nil, "7 4", "2 3", "10 3 2 3", "1 2"]

    func color(_ engine: String) -> String {
        let order = Self.knownEngines + results.rows.map(\.engine).filter { !Self.knownEngines.contains($0) }
        let i = order.firstIndex(of: engine) ?? 0
        return PlotPage.palette[i % PlotPage.palette.count]
    }

    /// 10^d connections as "10", "1k", "10k".
    static func countDecade(_ d: Double) -> String {
        let v = pow(10, d.rounded())
        return v >= 1e6 ? "\(Int(saturating: v / 1e6))M" : v >= 1e3 ? "\(Int(saturating: v / 1e3))k" : "\(Int(saturating: v))"
    }

    /// One chart: a line per series through its points, sorted by x; nil when there is nothing
    /// to draw against (fewer than two x values).
    struct Series { var engine: String; var variant: Int; var label: String; var points: [(x: Double, y: Double, tip: String)] }

    func chart(id: String, title: String, series: [Series], x: PlotAxis, y: PlotAxis, xTitle: String, yTitle: String) -> String {
        let frame = PlotFrame(left: 74, top: 40, width: 560, height: 300, x: x, y: y)
        var c = SVGCanvas(width: frame.right + 230, height: frame.bottom + 50)
        c.text(frame.left, 22, title, size: 14, weight: "bold")
        frame.drawAxes(on: &c, xTitle: xTitle, yTitle: yTitle)
        for (row, s) in series.enumerated() {
            let color = color(s.engine)
            let dash = Self.dashes[s.variant % Self.dashes.count]
            let points = s.points.sorted { $0.x < $1.x }
            c.polyline(points.map { (frame.px($0.x), frame.py($0.y)) }, stroke: color, width: 2, dash: dash, cls: "echo-line",
                       title: "\(s.label): \(title)")
            for p in points {
                c.circle(frame.px(p.x), frame.py(p.y), r: 3, fill: color, cls: "echo-point", title: p.tip)
            }
            frame.legend(on: &c, row: row, color: color, dash: dash, label: s.label)
        }
        return c.svg(id: id, title: title)
    }

    static func ratioText(_ s: Spread?, _ what: String) -> String {
        s.map { String(format: "; %@/epoll paired %.2fx (%.2f-%.2f)", what, $0.median, $0.min, $0.max) } ?? ""
    }

    /// Server CPU per request (linear, from 0) and p99 (log) for a set of rows, one series per
    /// engine and `variant` (size, or size and connections).
    func pair(rows: [EchoTable.Row], idPrefix: String, against: String, x: (EchoTable.Row) -> Double, xAxis: PlotAxis,
              xTitle: String, variantOf: (EchoTable.Row) -> String) -> [String] {
        var variants: [String] = []
        var keys: [(String, String)] = []
        for r in rows {
            let v = variantOf(r)
            if !variants.contains(v) { variants.append(v) }
            if !keys.contains(where: { $0 == (r.engine, v) }) { keys.append((r.engine, v)) }
        }
        func series(_ y: (EchoTable.Row) -> Double?, _ tip: (EchoTable.Row, Double) -> String) -> [Series] {
            keys.map { engine, v in
                let mine = rows.filter { $0.engine == engine && variantOf($0) == v }
                return Series(engine: engine, variant: variants.firstIndex(of: v) ?? 0, label: "\(engine) \(v)",
                              points: mine.compactMap { r in y(r).map { (x(r), $0, tip(r, $0)) } })
            }
        }
        let point = { (r: EchoTable.Row) in
            "\(r.engine) \(r.size) B, \(r.connections) conns, " + (r.loadPercent.map { "\($0)% of epoll's peak = " } ?? "")
                + (r.offeredRate.map { String(format: "%.0f/s offered", $0) } ?? "closed loop") + String(format: ", %.0f QPS", r.qpsMedian)
        }
        let cpu = series({ $0.cpuUsPerRequest }) { r, v in
            point(r) + String(format: ": server %.2f us/req, client %@ us/req", v, EchoTable.fixed(r.clientUsPerRequest)) + Self.ratioText(r.pairedCPURatio, "CPU")
        }
        let p99 = series({ $0.p99Us > 0 ? $0.p99Us * 1000 : nil }) { r, _ in
            point(r) + String(format: ": p99 %.1f us", r.p99Us) + Self.ratioText(r.pairedP99Ratio, "p99")
        }
        let cpuMax = rows.compactMap(\.cpuUsPerRequest).max() ?? 1
        let p99s = rows.map { $0.p99Us * 1000 }.filter { $0 > 0 }
        return [
            chart(id: "chart-echo-cpu-\(idPrefix)", title: "Server CPU per request against \(against)", series: cpu, x: xAxis,
                  y: .linear(max: cpuMax, label: { String(format: "%g", $0) }), xTitle: xTitle, yTitle: "server CPU µs per request (usr+sys)"),
            chart(id: "chart-echo-p99-\(idPrefix)", title: "p99 round trip against \(against)", series: p99, x: xAxis,
                  y: .decades(p99s.min() ?? 1000, p99s.max() ?? 1e6, label: PlotAxis.nanosecondDecade), xTitle: xTitle,
                  yTitle: "p99 round trip (log scale)"),
        ]
    }

    /// The charts this file has data for: against connections when the closed loop swept two
    /// counts or more, against offered load when there are open-loop rows.
    public func charts() -> [String] {
        var out: [String] = []
        let sweep = sweepRows
        let counts = Set(sweep.map(\.connections))
        if counts.count > 1 {
            let axis = PlotAxis.decades(Double(counts.min() ?? 1), Double(counts.max() ?? 10), label: Self.countDecade)
            out += pair(rows: sweep, idPrefix: "connections", against: "connections (closed loop)", x: { Double($0.connections) },
                        xAxis: axis, xTitle: "client connections (log scale)", variantOf: { "\($0.size) B" })
        }
        let load = loadRows
        if !load.isEmpty {
            let axis = PlotAxis.linear(max: load.compactMap(\.offeredRate).max() ?? 1) { v in
                v >= 1000 ? String(format: "%gk", v / 1000) : String(format: "%g", v)
            }
            out += pair(rows: load, idPrefix: "load", against: "offered load (open loop)", x: { $0.offeredRate ?? 0 },
                        xAxis: axis, xTitle: "offered requests per second (the same for every engine at each point)",
                        variantOf: { "\($0.size) B \($0.connections)c" })
        }
        return out
    }

    /// The charts stacked in one SVG document (`--format svg`).
    public func renderSVG() -> String {
        PlotPage.stackedSVG(charts(), title: "uringbench echo servers")
    }

    public func renderHTML(title: String = "uringbench echo servers") -> String {
        let e = SVGCanvas.escape
        let r = results
        let machine = r.machine.map { "\($0.cpuModel), \($0.cores) cores, kernel \($0.kernel), host \($0.hostname)" } ?? "not recorded"
        let date = r.startedAt.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: $0)) } ?? "not recorded"
        let load = "\(r.loadAverageBefore ?? "?") before, \(r.loadAverageAfter ?? "?") after (1-minute load average; other work on the machine shares the cores)"
        let charts = charts()
        let chartSections = charts.isEmpty
            ? "<p id=\"no-charts\">No chart: the file has one connection count and no open-loop rows. Sweep with -c 10,100,1000 or offer load with --load 50,90.</p>"
            : charts.map { "<section>\($0)</section>" }.joined(separator: "\n")
        return """
        \(PlotPage.pageHead(title: title, style: "\n<style>td { white-space: nowrap; }</style>"))
        <header id="header">
        <h1>\(e(title))</h1>
        <dl>
        <dt>machine</dt><dd>\(e(machine))</dd>
        <dt>measured</dt><dd>\(e(date)), load average \(e(load))</dd>
        <dt>run</dt><dd>\(e(r.setup ?? "not recorded"))</dd>
        <dt>command</dt><dd><code>\(e(r.command ?? "not recorded"))</code></dd>
        </dl>
        </header>
        <section id="summary"><table>
        \(PlotPage.tableRows(headers: EchoTable.headers, rows: r.rows.map(EchoTable.cells)))</table></section>
        \(chartSections)
        </body>
        </html>

        """
    }
}
