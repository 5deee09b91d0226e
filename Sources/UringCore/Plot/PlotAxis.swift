import Foundation

/// One axis of a chart: its scale, its span and its labelled ticks. Linear axes start at 0 and
/// end on a round tick; log axes span whole decades. Shared by every chart so the tick, grid and
/// label code exists once.
package struct PlotAxis {
    package enum Scale { case linear, log10 }

    package let scale: Scale
    /// The span in axis units: values for linear, exponents for log10.
    package let low: Double
    package let high: Double
    package let ticks: [(value: Double, label: String)]

    package init(scale: Scale, low: Double, high: Double, ticks: [(value: Double, label: String)]) {
        self.scale = scale
        self.low = low
        self.high = high > low ? high : low + 1
        self.ticks = ticks
    }

    /// 0 to a round value at or above `maxValue`, ticks from `niceTicks`.
    package static func linear(max maxValue: Double, label: (Double) -> String) -> PlotAxis {
        let ticks = niceTicks(maxValue)
        return PlotAxis(scale: .linear, low: 0, high: ticks.last ?? 1, ticks: ticks.map { ($0, label($0)) })
    }

    /// The whole decades around [low, high] (positive values), a tick at each power of ten.
    package static func decades(_ low: Double, _ high: Double, label: (Double) -> String) -> PlotAxis {
        let (lo, hi) = decadeSpan(low, high)
        let ticks = stride(from: lo, through: hi, by: 1).map { (pow(10, $0), label($0)) }
        return PlotAxis(scale: .log10, low: lo, high: hi, ticks: ticks)
    }

    /// Where `value` falls on the axis, 0 (low end) to 1 (high end), clamped: a value outside the
    /// span sits on the edge instead of leaving the plot.
    package func fraction(_ value: Double) -> Double {
        let v: Double
        switch scale {
        case .linear: v = value
        case .log10: v = log10(max(value, 1e-300))
        }
        return min(1, max(0, (v - low) / (high - low)))
    }

    /// 0 and 4–6 round steps up to at least `maxValue`.
    package static func niceTicks(_ maxValue: Double) -> [Double] {
        guard maxValue > 0, maxValue.isFinite else { return [0, 1] }
        let raw = maxValue / 5
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var ticks: [Double] = []
        var v = 0.0
        while v < maxValue - 1e-9 * maxValue { ticks.append(v); v += step }
        ticks.append(v)
        return ticks
    }

    /// log10 of the decades enclosing [low, high]; values below 1 count as 1.
    package static func decadeSpan(_ low: Double, _ high: Double) -> (Double, Double) {
        let lo = floor(log10(max(1, low)))
        var hi = ceil(log10(max(1, high)))
        if hi <= lo { hi = lo + 1 }
        return (lo, hi)
    }

    /// 10^d nanoseconds as "1µs", "100µs", "10ms".
    package static func nanosecondDecade(_ d: Double) -> String {
        let e = Int(saturating: d.rounded())
        let units = [(9, "s"), (6, "ms"), (3, "µs"), (0, "ns")]
        let (base, unit) = units.first { e >= $0.0 } ?? (0, "ns")
        return "\(Int(saturating: pow(10, Double(e - base))))\(unit)"
    }
}
