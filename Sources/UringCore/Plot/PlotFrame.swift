import Foundation

/// The plot area of an x–y chart: where it sits on the canvas, its two axes, and the one way
/// every chart draws them (grid lines, tick labels, axis lines and titles).
package struct PlotFrame {
    package let left: Double
    package let top: Double
    package let width: Double
    package let height: Double
    package let x: PlotAxis
    package let y: PlotAxis

    package init(left: Double, top: Double, width: Double, height: Double, x: PlotAxis, y: PlotAxis) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.x = x
        self.y = y
    }

    package var bottom: Double { top + height }
    package var right: Double { left + width }

    /// Canvas coordinates of a value on each axis.
    package func px(_ v: Double) -> Double { left + x.fraction(v) * width }
    package func py(_ v: Double) -> Double { top + height - y.fraction(v) * height }

    /// Grid lines and labels at every tick, the two axis lines, and the axis titles
    /// (`xTitle` under the plot, `yTitle` turned along the left edge; nil draws none).
    package func drawAxes(on c: inout SVGCanvas, xTitle: String?, yTitle: String?, xGrid: Bool = true) {
        for t in y.ticks {
            c.line(left, py(t.value), right, py(t.value), stroke: "#e4e4e4")
            c.text(left - 6, py(t.value) + 4, t.label, anchor: .end, size: 11, fill: "#555")
        }
        for t in x.ticks {
            if xGrid { c.line(px(t.value), top, px(t.value), bottom, stroke: "#e4e4e4") }
            c.text(px(t.value), bottom + 16, t.label, anchor: .middle, size: 11, fill: "#555")
        }
        if let xTitle { c.text(left + width / 2, bottom + 38, xTitle, anchor: .middle, size: 11) }
        if let yTitle { c.text(16, top + height / 2, yTitle, anchor: .middle, size: 11, rotate: -90) }
        c.line(left, bottom, right, bottom, stroke: "#333")
        c.line(left, top, left, bottom, stroke: "#333")
    }

    /// A legend entry to the right of the plot: a line sample in the series' style, then its name.
    package func legend(on c: inout SVGCanvas, row: Int, color: String, dash: String?, label: String) {
        let yy = top + 6 + Double(row) * 18
        c.line(right + 16, yy, right + 42, yy, stroke: color, width: 2.5, dash: dash)
        c.text(right + 48, yy + 4, label, size: 11)
    }
}
