import Foundation

/// A ratio with its 95% confidence interval, from paired measurements: round i of the case
/// against round i of the baseline (interleaved rounds share the machine's state, so pairing
/// removes the drift that hits both alike).
///
/// Method: a Student-t interval on the logarithms of the per-round ratios, mapped back with exp.
/// With 3–10 rounds this is the honest choice. A bootstrap of 3 pairs has only 10 distinct
/// resamples and a percentile interval that is far too narrow; the t quantile (12.7 for 2
/// rounds, 4.30 for 3, 2.26 for 10) widens the interval for exactly the few-rounds uncertainty.
/// Logs make the interval symmetric in ratio terms (×1.05 and ÷1.05 are equally far) and keep
/// it positive; performance ratios are close to log-normal.
public struct RatioInterval: Codable, Sendable, Equatable {
    /// Geometric mean of the per-round ratios.
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    /// Pairs used.
    public var pairs: Int
    /// Half the interval's width in log space, as a fraction: exp(t·s/√n) − 1. The interval is
    /// estimate ÷ (1 + h) … estimate × (1 + h), so 0.02 means "known to within ±2%".
    public var halfWidth: Double

    public static let confidence = 0.95

    public init(estimate: Double, lower: Double, upper: Double, pairs: Int, halfWidth: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.pairs = pairs
        self.halfWidth = halfWidth
    }

    /// nil with fewer than 2 usable pairs (no spread to estimate) or any value that is not a
    /// positive finite number (a ratio of it has no meaning).
    public init?(pairs: [(value: Double, baseline: Double)]) {
        guard pairs.count >= 2,
              pairs.allSatisfy({ $0.value > 0 && $0.baseline > 0 && $0.value.isFinite && $0.baseline.isFinite }) else { return nil }
        let logs = pairs.map { log($0.value) - log($0.baseline) }
        let n = Double(logs.count)
        let mean = logs.reduce(0, +) / n
        let variance = logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let t = StudentT.quantile(1 - (1 - Self.confidence) / 2, degreesOfFreedom: n - 1)
        let h = t * (variance / n).squareRoot()
        self.init(estimate: exp(mean), lower: exp(mean - h), upper: exp(mean + h), pairs: logs.count, halfWidth: expm1(h))
    }

    /// The interval excludes 1 (no change).
    public var excludesNoChange: Bool { lower > 1 || upper < 1 }
}
