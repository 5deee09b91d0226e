import Foundation
import UringCore

/// `uringbench plot`: the comparison as pictures, in one self-contained HTML page (inline SVG,
/// no script, nothing fetched) or as SVG alone. The charts: IOPS per case with min–max
/// whiskers, IOPS against time (`TimeSeriesChart`), completion-latency percentile curves on fio-plot's log-percentile axis, and the
/// completion-latency histogram. Latency curves use the rounds' histograms merged.
public struct ComparisonPlot {
    public let results: ComparisonResults
    let cases: [CaseSummary]
    let merged: [CaseKey: LatencyHistogram]

    public init(results: ComparisonResults) {
        self.results = results
        cases = results.cases
        var m: [CaseKey: LatencyHistogram] = [:]
        for r in results.runs { m[CaseKey(r.job), default: LatencyHistogram()].merge(r.clat) }
        merged = m
    }

    static let dashes = ["", "6 3", "2 3", "10 3 2 3", "1 2"]

    func color(_ k: CaseKey) -> String {
        guard let i = EngineKind.allCases.firstIndex(of: k.engine) else { return "#555" }
        return PlotPage.palette[i % PlotPage.palette.count]
    }

    /// Depth/bs variants of one engine get distinct dash patterns.
    func dash(_ k: CaseKey) -> String? {
        let variants = cases.map(\.key).filter { $0.engine == k.engine }
        let i = variants.firstIndex(of: k) ?? 0
        let d = Self.dashes[i % Self.dashes.count]
        return d.isEmpty ? nil : d
    }

    // MARK: charts

    func iopsChart() -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 70.0, plotH = 300.0
        let width = max(640, left + right + 78 * Double(cases.count))
        let slot = (width - left - right) / Double(max(1, cases.count))
        var c = SVGCanvas(width: width, height: top + plotH + bottom)
        let maxV = cases.map(\.iops.max).max() ?? 1
        let ticks = PlotAxis.niceTicks(maxV)
        let top_ = ticks.last ?? maxV
        let y = { (v: Double) in top + plotH - v / top_ * plotH }
        c.text(left, 22, "IOPS, median of \(results.plan.rounds) round\(results.plan.rounds == 1 ? "" : "s") (whiskers: min–max)", size: 14, weight: "bold")
        for t in ticks {
            c.line(left, y(t), width - right, y(t), stroke: "#e4e4e4")
            c.text(left - 6, y(t) + 4, ComparisonTable.count(t), anchor: .end, size: 11, fill: "#555")
        }
        c.line(left, top + plotH, width - right, top + plotH, stroke: "#333")
        for (i, s) in cases.enumerated() {
            let w = min(slot - 28, 64), cx = left + slot * (Double(i) + 0.5), x0 = cx - w / 2
            c.rect(x0, y(s.iops.median), w, top + plotH - y(s.iops.median), fill: color(s.key), cls: "bar",
                   title: "\(s.key): median \(ComparisonTable.count(s.iops.median)) IOPS, min \(ComparisonTable.count(s.iops.min)), max \(ComparisonTable.count(s.iops.max))")
            c.line(cx, y(s.iops.min), cx, y(s.iops.max), stroke: "#111", width: 1.5, cls: "whisker")
            c.line(cx - 7, y(s.iops.min), cx + 7, y(s.iops.min), stroke: "#111", width: 1.5)
            c.line(cx - 7, y(s.iops.max), cx + 7, y(s.iops.max), stroke: "#111", width: 1.5)
            c.text(cx, y(s.iops.max) - 6, ComparisonTable.count(s.iops.median), anchor: .middle, size: 11, weight: "bold")
            c.text(cx, top + plotH + 16, s.key.engine.rawValue.replacingOccurrences(of: "io_uring_sqpoll", with: "uring+sqpoll"), anchor: .middle, size: 11)
            let jobs = s.key.numjobs > 1 ? "\(s.key.numjobs)×" : ""
            c.text(cx, top + plotH + 30, "\(jobs)QD\(s.key.iodepth) \(formatBytesFlag(UInt64(s.key.blockSize)))\(s.key.direct ? "" : " buffered")", anchor: .middle, size: 10, fill: "#555")
            if let r = s.ratioToBaseline {
                c.text(cx, top + plotH + 44, String(format: "%.2f×", r), anchor: .middle, size: 10, fill: "#555")
            }
        }
        return c.svg(id: "chart-iops", title: "IOPS per engine")
    }

    /// IOPS against queue depth, one line per engine and block size, when the plan sweeps
    /// depths: where each engine stops scaling. Sync engines, depth 1 only, are a dashed level.
    func depthChart() -> String? {
        // Only a sweep: an async engine at two depths or more (psync is always depth 1). An
        // equal-concurrency sweep has its own chart, where psync's jobs vary instead.
        guard results.plan.concurrency == nil else { return nil }
        let swept = Set(cases.filter { !$0.key.engine.isSynchronous }.map(\.key.iodepth))
        guard swept.count > 1 else { return nil }
        let depths = Array(swept.union(cases.contains { $0.key.engine.isSynchronous } ? [1] : [])).sorted()
        let depthAxis = PlotAxis(scale: .log10, low: log10(Double(depths[0])), high: log10(Double(depths[depths.count - 1])),
                                 ticks: depths.map { (Double($0), "\($0)") })
        let frame = PlotFrame(left: 70, top: 40, width: 560, height: 300, x: depthAxis,
                              y: .linear(max: cases.map(\.iops.max).max() ?? 1, label: ComparisonTable.count))
        var c = SVGCanvas(width: frame.right + 190, height: frame.bottom + 50)
        let left = frame.left, plotW = frame.width
        let x = { (d: Int) in frame.px(Double(d)) }
        let y = frame.py
        c.text(left, 22, "IOPS by queue depth (median, whiskers min–max)", size: 14, weight: "bold")
        frame.drawAxes(on: &c, xTitle: "iodepth (log scale)", yTitle: nil)
        var seriesKeys: [(EngineKind, Int)] = []
        for s in cases where !seriesKeys.contains(where: { $0 == (s.key.engine, s.key.blockSize) }) {
            seriesKeys.append((s.key.engine, s.key.blockSize))
        }
        for (i, (engine, bs)) in seriesKeys.enumerated() {
            let points = cases.filter { $0.key.engine == engine && $0.key.blockSize == bs }.sorted { $0.key.iodepth < $1.key.iodepth }
            let key = points[0].key
            if engine.isSynchronous {
                c.line(left, y(points[0].iops.median), left + plotW, y(points[0].iops.median), stroke: color(key), width: 1.5, dash: "5 4", cls: "depth-line")
            } else {
                c.polyline(points.map { (x($0.key.iodepth), y($0.iops.median)) }, stroke: color(key), width: 2, dash: dash(key), cls: "depth-line")
            }
            for p in points {
                let px = engine.isSynchronous ? left : x(p.key.iodepth)
                c.line(px, y(p.iops.min), px, y(p.iops.max), stroke: color(key), width: 1.2)
                c.circle(px, y(p.iops.median), r: 3.5, fill: color(key), cls: "depth-point",
                         title: "\(p.key): median \(ComparisonTable.count(p.iops.median)) IOPS")
            }
            frame.legend(on: &c, row: i, color: color(key), dash: engine.isSynchronous ? "5 4" : dash(key), label: "\(engine.rawValue) \(formatBytesFlag(UInt64(bs)))")
        }
        return c.svg(id: "chart-depth", title: "IOPS by queue depth")
    }

    /// fio-plot's axis: x = log10(1 / (1 - p)), so 90, 99, 99.9, 99.99 are evenly spaced.
    static func percentileX(_ p: Double) -> Double { log10(1 / (1 - p / 100)) }

    func percentileChart() -> String {
        let maxCount = merged.values.map(\.count).max() ?? 1
        // No point beyond the rank a run can resolve: 1 / count of the tail.
        let xMax = min(5, max(2, floor(log10(Double(max(maxCount, 10))))))
        let lows = merged.values.map { Double(max(1, $0.valueAt(percentile: 1))) }
        let highs = merged.values.map { Double(max(1, $0.max)) }
        let ticks: [(Double, String)] = [(0, "0"), (50, "50"), (90, "90"), (99, "99"), (99.9, "99.9"), (99.99, "99.99"), (99.999, "99.999")]
        let percentileAxis = PlotAxis(scale: .linear, low: 0, high: xMax,
                                      ticks: ticks.filter { Self.percentileX($0.0) <= xMax + 1e-9 }.map { (Self.percentileX($0.0), $0.1) })
        // Clamped to the plot: the first percentiles can sit below the lowest decade shown.
        let frame = PlotFrame(left: 70, top: 40, width: 560, height: 320, x: percentileAxis,
                              y: .decades(lows.min() ?? 1000, highs.max() ?? 1e6, label: PlotAxis.nanosecondDecade))
        var c = SVGCanvas(width: frame.right + 190, height: frame.bottom + 50)
        let x = frame.px, y = { (ns: Double) in frame.py(max(ns, 1)) }
        c.text(frame.left, 22, "Completion latency (clat) by percentile, all rounds", size: 14, weight: "bold")
        frame.drawAxes(on: &c, xTitle: "percentile (log scale of 1 / (1 − p))", yTitle: nil)
        for (i, s) in cases.enumerated() {
            guard let h = merged[s.key], h.count > 0 else { continue }
            let limit = min(xMax, log10(Double(h.count)))
            var points: [(Double, Double)] = []
            for step in 0...Int(saturating: max(0, limit) * 40) {
                let xv = Double(step) / 40
                let p = min(100 * (1 - pow(10, -xv)), 100)
                points.append((x(xv), y(Double(h.valueAt(percentile: max(p, 0.01))))))
            }
            c.polyline(points, stroke: color(s.key), width: 2, dash: dash(s.key), cls: "curve", title: "\(s.key) clat percentiles")
            frame.legend(on: &c, row: i, color: color(s.key), dash: dash(s.key), label: s.key.description)
        }
        return c.svg(id: "chart-percentiles", title: "Completion latency percentiles")
    }

    func histogramChart() -> String {
        let lows = merged.values.map { Double(max(1, $0.valueAt(percentile: 1))) }
        let highs = merged.values.map { Double(max(1, $0.valueAt(percentile: 99.99))) }
        let latencyAxis = PlotAxis.decades(lows.min() ?? 1000, highs.max() ?? 1e6, label: PlotAxis.nanosecondDecade)
        let lo = latencyAxis.low, hi = latencyAxis.high
        let binsPerDecade = 20.0
        let edges = stride(from: lo, through: hi, by: 1 / binsPerDecade).map { pow(10, $0) }
        var series: [(CaseKey, [Double])] = []
        for s in cases {
            guard let h = merged[s.key], h.count > 0 else { continue }
            let shares = zip(edges, edges.dropFirst()).map { a, b in
                max(0, h.fraction(atOrBelow: UInt64(saturating: b)) - h.fraction(atOrBelow: UInt64(saturating: a))) * 100
            }
            series.append((s.key, shares))
        }
        let frame = PlotFrame(left: 70, top: 40, width: 560, height: 260, x: latencyAxis,
                              y: .linear(max: series.flatMap(\.1).max() ?? 1, label: { String(format: "%g%%", $0) }))
        var c = SVGCanvas(width: frame.right + 190, height: frame.bottom + 50)
        let x = frame.px, y = frame.py
        c.text(frame.left, 22, "Completion latency histogram (% of IOs, \(Int(binsPerDecade)) bins per decade; axis spans p1 to p99.99)", size: 14, weight: "bold")
        frame.drawAxes(on: &c, xTitle: "completion latency (log scale)", yTitle: nil)
        for (i, (key, shares)) in series.enumerated() {
            // A step outline per case: flat across each bin.
            var points: [(Double, Double)] = [(x(edges[0]), y(0))]
            for (j, share) in shares.enumerated() {
                points.append((x(edges[j]), y(share)))
                points.append((x(edges[j + 1]), y(share)))
            }
            points.append((x(edges[edges.count - 1]), y(0)))
            c.polyline(points, stroke: color(key), width: 1.6, dash: dash(key), cls: "histogram", title: "\(key) clat histogram")
            frame.legend(on: &c, row: i, color: color(key), dash: dash(key), label: key.description)
        }
        return c.svg(id: "chart-histogram", title: "Completion latency histogram")
    }

    // MARK: documents

    /// The charts stacked in one SVG document (`--format svg`).
    public func renderSVG() -> String {
        PlotPage.stackedSVG([effectChart(), iopsChart(), timeSeriesChart(), concurrencyChart(), depthChart(), percentileChart(), histogramChart()].compactMap { $0 },
                        title: "uringbench engine comparison")
    }

    public func renderHTML(title: String = "uringbench engine comparison") -> String {
        let m = results.machine
        let job = results.plan.base
        let e = SVGCanvas.escape
        let started = results.runs.map(\.startedAt).min() ?? 0
        let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: started))
        let table = ComparisonTable(results: results)
        let rows = PlotPage.tableRows(headers: table.headers, rows: cases.map(table.cells))
        let jobLine = "rw=randread, bs=\(results.plan.blockSizes.map { formatBytesFlag(UInt64($0)) }.joined(separator: ",")), iodepth=\(results.plan.iodepths.map(String.init).joined(separator: ",")), direct=\(results.plan.directList.map { $0 ? "1" : "0" }.joined(separator: ",")), runtime=\(String(format: "%g", Double(job.runtimeNanoseconds) / 1e9))s per run" + (job.rampNanoseconds > 0 ? " after \(String(format: "%g", Double(job.rampNanoseconds) / 1e9))s ramp" : "") + ", \(results.roundsDescription), file \(job.filename) (\(formatBytesFlag(job.size)))" + (job.rateIOPS > 0 ? ", rate_iops=\(job.rateIOPS)" : "")
        return """
        \(PlotPage.pageHead(title: title))
        <header id="header">
        <h1>\(e(title))</h1>
        <dl>
        <dt>machine</dt><dd>\(e(m.cpuModel)), \(m.cores) cores, kernel \(e(m.kernel)), \(e(m.filesystem)) on \(e(m.device ?? "unknown device")), host \(e(m.hostname))</dd>
        <dt>job</dt><dd>\(e(jobLine))</dd>
        <dt>measured</dt><dd>\(e(date)), \(results.runs.count) runs\(results.interrupted ? " (interrupted: some rounds missing)" : "")</dd>
        <dt>command</dt><dd><code>\(e(results.command))</code></dd>
        </dl>
        </header>
        <section id="summary"><table>
        \(rows)</table></section>
        \(effectSection())
        <section>\(iopsChart())</section>
        \(timeSeriesChart().map { "<section>\($0)</section>" } ?? "")
        \(concurrencyChart().map { "<section>\($0)</section>" } ?? "")
        \(depthChart().map { "<section>\($0)</section>" } ?? "")
        <section>\(percentileChart())</section>
        <section>\(histogramChart())</section>
        </body>
        </html>

        """
    }
}
