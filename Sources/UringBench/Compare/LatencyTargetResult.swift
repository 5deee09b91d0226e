/// What `--latency-target` found for one case: the best run that met the target, if any, and
/// the lowest rate tried that missed it.
public struct LatencyTargetResult: Codable, Sendable, Equatable {
    public var key: CaseKey
    public var target: LatencyTarget
    /// The highest-IOPS run within the target: its cap (0 = uncapped peak), achieved IOPS and latency.
    var metRate: UInt64?
    var metIOPS: Double?
    var metLatency: Double?
    /// The lowest cap tried whose latency was over the target, and that latency.
    var missedRate: UInt64?
    var missedLatency: Double?
    public var runs: Int

    public init(key: CaseKey, target: LatencyTarget) {
        self.key = key
        self.target = target
        runs = 0
    }
}
