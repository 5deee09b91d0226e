import Foundation

/// `compare --until-confident`: keep adding interleaved rounds until every verdict's 95% CI
/// half-width is at most `halfWidth`, or a round limit or time limit says stop.
public struct ConfidenceTarget: Sendable, Equatable {
    /// 0.02 = every CI within ±2%.
    public var halfWidth: Double
    public var maxRounds: Int
    /// Measuring time after which no new round starts (nil: no limit).
    public var maxNanoseconds: UInt64?

    public enum Stop: Sendable, Equatable {
        case met, maxRounds, maxTime
    }

    public static let defaultMaxRounds = 20

    public init(halfWidth: Double, maxRounds: Int = Self.defaultMaxRounds, maxNanoseconds: UInt64? = nil) {
        self.halfWidth = halfWidth
        self.maxRounds = maxRounds
        self.maxNanoseconds = maxNanoseconds
    }

    /// nil to run another round; otherwise why to stop. `elapsed` is the measuring time so far,
    /// `roundNanoseconds` what one more round costs (a round that would end past the time limit
    /// is not started).
    public func stop(after results: ComparisonResults, elapsed: UInt64, roundNanoseconds: UInt64) -> Stop? {
        let effects = CaseEffects.of(results)
        if let widest = CaseEffects.widest(effects), widest.ratio.halfWidth <= halfWidth { return .met }
        if results.plan.rounds >= maxRounds { return .maxRounds }
        if let maxNanoseconds, elapsed + roundNanoseconds > maxNanoseconds { return .maxTime }
        return nil
    }

    /// "±2.0%"
    public static func format(_ halfWidth: Double) -> String { String(format: "±%.1f%%", halfWidth * 100) }

    /// The widest verdict, named: "±3.4% (io_uring vs psync, clat p99)".
    public static func describeWidest(_ results: ComparisonResults) -> String {
        guard let w = CaseEffects.widest(CaseEffects.of(results)) else { return "no interval yet" }
        return "\(format(w.ratio.halfWidth)) (\(w.key) vs \(w.baseline.engine.rawValue), \(w.metric == .cpuPerIO ? "CPU per IO" : w.metric.label))"
    }

    /// The line under the verdicts that says which target stopped the run.
    public func summary(_ stop: Stop?, results: ComparisonResults) -> String {
        let n = results.plan.rounds
        let widest = Self.describeWidest(results)
        switch stop {
        case .met?:
            return "until-confident: target \(Self.format(halfWidth)) met after \(n) rounds (widest 95% CI \(widest))"
        case .maxRounds?:
            return "until-confident: stopped by --max-rounds \(maxRounds) with the widest 95% CI \(widest), above the \(Self.format(halfWidth)) target"
        case .maxTime?:
            return "until-confident: stopped by --max-time after \(n) rounds with the widest 95% CI \(widest), above the \(Self.format(halfWidth)) target"
        case nil:
            return "until-confident: interrupted after \(n) rounds with the widest 95% CI \(widest), target \(Self.format(halfWidth)) not reached"
        }
    }
}
