import Foundation

/// One metric of one case against the baseline.
public struct GateFinding: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        /// Past the threshold the wrong way, and significant.
        case regressed
        /// Past the threshold the right way, and significant.
        case improved
        /// Past the threshold, but the rounds cannot tell it from round-to-round noise.
        case noise
        /// Inside the threshold.
        case within
        /// So few rounds that no result could be significant (see `GateSignificance`).
        case tooFewRounds = "too_few_rounds"
    }

    public var key: CaseKey
    public var metric: GateMetric
    /// Medians over rounds.
    public var baseline: Double
    public var current: Double
    /// The allowed move in the worse direction, as a fraction.
    public var limit: Double
    public var verdict: Verdict
    /// Two-sided Mann–Whitney p of this run's rounds against the baseline's (nil: not tested).
    var pValue: Double?
    public var rounds: Int
    public var baselineRounds: Int

    public init(key: CaseKey, metric: GateMetric, baseline: Double, current: Double, limit: Double, verdict: Verdict,
                pValue: Double? = nil, rounds: Int = 1, baselineRounds: Int = 1) {
        self.key = key
        self.metric = metric
        self.baseline = baseline
        self.current = current
        self.limit = limit
        self.verdict = verdict
        self.pValue = pValue
        self.rounds = rounds
        self.baselineRounds = baselineRounds
    }

    /// Signed relative change, current against baseline (+0.25 = 25% higher).
    public var change: Double { baseline == 0 ? (current == 0 ? 0 : .infinity) : (current - baseline) / baseline }

    public var line: String {
        let sign = change >= 0 ? "+" : "−"
        let worse = metric.higherIsBetter ? "−" : "+"
        let p = pValue.map { ", p=\(String(format: $0 < 0.001 ? "%.1e" : "%.3f", $0))" } ?? ""
        return "\(key) \(metric.label) \(metric.format(baseline)) → \(metric.format(current)) (\(sign)\(String(format: "%.1f", abs(change) * 100))%, limit \(worse)\(String(format: "%g", limit * 100))%\(p), \(rounds) vs \(baselineRounds) rounds)"
    }
}
