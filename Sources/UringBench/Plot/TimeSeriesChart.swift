import Foundation
import UringCore

/// Throughput against time: each case's IOPS per second over its run (compare's iops log,
/// log_avg_msec=1000), one line per case, the view in which a page cache filling up shows as
/// a fall. Each second's point is the median over the rounds that have it.
extension ComparisonPlot {
    /// Per case, the median over rounds of each interval's IOPS; cases without a series left out.
    var timeSeries: [(key: CaseKey, intervalMilliseconds: UInt64, iops: [Double])] {
        cases.compactMap { s in
            let series = results.runs(of: s.key).compactMap(\.iopsTimeSeries)
            guard let interval = series.first?.intervalMilliseconds, series.allSatisfy({ $0.intervalMilliseconds == interval }),
                  let longest = series.map(\.iops.count).max(), longest > 0 else { return nil }
            let medians = (0..<longest).map { i in Spread(series.compactMap { i < $0.iops.count ? Double($0.iops[i]) : nil })?.median ?? 0 }
            return (s.key, interval, medians)
        }
    }

    /// nil when no run of the results has a time series (files written before compare kept one).
    func timeSeriesChart() -> String? {
        let lines = timeSeries
        guard !lines.isEmpty else { return nil }
        let seconds = lines.map { Double($0.iops.count) * Double($0.intervalMilliseconds) / 1000 }.max() ?? 1
        let timeAxis = PlotAxis.linear(max: seconds, label: { String(format: "%gs", $0) })
        let frame = PlotFrame(left: 70, top: 40, width: 560, height: 300, x: timeAxis,
                              y: .linear(max: lines.flatMap(\.iops).max() ?? 1, label: ComparisonTable.count))
        var c = SVGCanvas(width: frame.right + 230, height: frame.bottom + 50)
        c.text(frame.left, 22, "IOPS against time (each second's median over the rounds)", size: 14, weight: "bold")
        frame.drawAxes(on: &c, xTitle: "seconds since measuring began", yTitle: nil)
        for (row, line) in lines.enumerated() {
            let step = Double(line.intervalMilliseconds) / 1000
            // Each point at its interval's end, as fio's iops log stamps it.
            let points = line.iops.enumerated().map { (frame.px(Double($0.offset + 1) * step), frame.py($0.element)) }
            if points.count == 1 {
                c.circle(points[0].0, points[0].1, r: 3.5, fill: color(line.key), cls: "timeseries-point", title: "\(line.key) IOPS per second")
            } else {
                c.polyline(points, stroke: color(line.key), width: 2, dash: dash(line.key), cls: "timeseries-line", title: "\(line.key) IOPS per second")
            }
            frame.legend(on: &c, row: row, color: color(line.key), dash: dash(line.key), label: line.key.description)
        }
        return c.svg(id: "chart-timeseries", title: "IOPS against time")
    }
}
