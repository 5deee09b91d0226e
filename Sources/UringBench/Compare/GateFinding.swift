import Foundation

/// One metric of one case against the baseline.
public struct GateFinding: Sendable, Equatable {
    public enum Verdict: String, Sendable { case regressed, improved, within }

    public var key: CaseKey
    public var metric: GateMetric
    public var baseline: Double
    public var current: Double
    /// The allowed move in the worse direction, as a fraction.
    public var limit: Double
    public var verdict: Verdict

    /// Signed relative change, current against baseline (+0.25 = 25% higher).
    public var change: Double { baseline == 0 ? (current == 0 ? 0 : .infinity) : (current - baseline) / baseline }

    public var line: String {
        let sign = change >= 0 ? "+" : "−"
        let worse = metric.higherIsBetter ? "−" : "+"
        return "\(key) \(metric.label) \(metric.format(baseline)) → \(metric.format(current)) (\(sign)\(String(format: "%.1f", abs(change) * 100))%, limit \(worse)\(String(format: "%g", limit * 100))%)"
    }
}
