import UringCore

/// One point of a latency-against-load curve: a case run capped at a fraction of its own peak
/// IOPS (or uncapped, the peak itself), with what it achieved. Figures are medians over rounds.
public struct LoadStep: Codable, Sendable, Equatable {
    public var key: CaseKey
    /// Fraction of the case's peak IOPS asked for; nil for the uncapped peak run.
    var fraction: Double?
    /// The rate_iops cap (0: none).
    public var rateIOPS: UInt64
    public var rounds: Int
    public var iops: Double
    /// Completion latency, nanoseconds.
    public var clatP50: Double
    public var clatP99: Double
    var clatP999: Double
    public var cpuPerIO: Double

    public init(key: CaseKey, fraction: Double?, rateIOPS: UInt64, runs: [RunResult]) {
        precondition(!runs.isEmpty, "a load step needs at least one run")
        self.key = key
        self.fraction = fraction
        self.rateIOPS = rateIOPS
        rounds = runs.count
        func median(_ f: (RunResult) -> Double) -> Double { Spread(runs.map(f))!.median }
        iops = median(\.iops)
        clatP50 = median { Double($0.clat.valueAt(percentile: 50)) }
        clatP99 = median { Double($0.clat.valueAt(percentile: 99)) }
        clatP999 = median { Double($0.clat.valueAt(percentile: 99.9)) }
        cpuPerIO = median(\.cpuMicrosecondsPerIO)
    }

    /// The latency at `percentile` (50, 99 or 99.9), nanoseconds.
    public func latency(_ percentile: Double) -> Double {
        percentile >= 99.9 ? clatP999 : percentile >= 99 ? clatP99 : clatP50
    }
}
