import Foundation
import UringCore

/// The equal-concurrency sweep (`compare --concurrency 1,4,16,64`): IOPS and CPU µs per IO
/// against IOs in flight, one line per engine, so the concurrency where one I/O model
/// overtakes another is where the lines cross.
extension ComparisonPlot {
    func concurrencyChart() -> String? {
        guard let levels = results.plan.concurrency, Set(levels).count > 1 else { return nil }
        let xs = Array(Set(cases.map(\.key.concurrency))).sorted()
        guard let first = xs.first, let last = xs.last, last > first else { return nil }
        let xAxis = PlotAxis(scale: .log10, low: log10(Double(first)), high: log10(Double(last)), ticks: xs.map { (Double($0), "\($0)") })
        let panels: [(title: String, value: (CaseSummary) -> Double, label: (Double) -> String)] = [
            ("IOPS", { $0.iops.median }, { ComparisonTable.count($0) }),
            ("CPU µs per IO (whole process)", { $0.cpuPerIO.median }, { String(format: "%g", $0) }),
        ]
        let frames = panels.enumerated().map { p, panel in
            PlotFrame(left: 70 + Double(p) * 470, top: 60, width: 380, height: 280, x: xAxis,
                      y: .linear(max: cases.map(panel.value).max() ?? 1, label: panel.label))
        }
        var c = SVGCanvas(width: frames[1].right + 230, height: frames[1].bottom + 50)
        c.text(frames[0].left, 22, "Equal concurrency: IOPS and CPU per IO against IOs in flight (median of the rounds)", size: 14, weight: "bold")
        var series: [(EngineKind, Int)] = []
        for s in cases where !series.contains(where: { $0 == (s.key.engine, s.key.blockSize) }) { series.append((s.key.engine, s.key.blockSize)) }
        for (frame, panel) in zip(frames, panels) {
            frame.drawAxes(on: &c, xTitle: "IOs in flight (log scale)", yTitle: nil)
            c.text(frame.left, frame.top - 10, panel.title, size: 12, weight: "bold")
            for (engine, bs) in series {
                let points = cases.filter { $0.key.engine == engine && $0.key.blockSize == bs }.sorted { $0.key.concurrency < $1.key.concurrency }
                guard let key = points.first?.key else { continue }
                let at = { (s: CaseSummary) in (frame.px(Double(s.key.concurrency)), frame.py(panel.value(s))) }
                c.polyline(points.map(at), stroke: color(key), width: 2, cls: "concurrency-line", title: "\(engine.rawValue) \(panel.title) against IOs in flight")
                for s in points {
                    let (px, py) = at(s)
                    c.circle(px, py, r: 3.5, fill: color(key), cls: "concurrency-point",
                             title: "\(engine.rawValue) \(s.key.runAs): \(ComparisonTable.count(s.iops.median)) IOPS, \(String(format: "%.2f", s.cpuPerIO.median)) CPU µs/IO")
                }
            }
        }
        for (row, (engine, bs)) in series.enumerated() {
            guard let key = cases.first(where: { $0.key.engine == engine && $0.key.blockSize == bs })?.key else { continue }
            frames[1].legend(on: &c, row: row, color: color(key), dash: nil,
                             label: "\(engine.rawValue) \(formatBytesFlag(UInt64(bs)))\(engine.isSynchronous ? ", N jobs × QD1" : "")")
        }
        return c.svg(id: "chart-concurrency", title: "IOPS and CPU per IO against concurrency")
    }
}
