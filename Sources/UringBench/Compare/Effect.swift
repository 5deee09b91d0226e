import Foundation
import UringCore

/// One case against the baseline engine on one metric: the per-round paired ratio with its 95%
/// confidence interval, and the verdict a reader can act on ("io_uring is 4.1% faster than
/// libaio (95% CI 2.3–5.8%)"). The interval is `RatioInterval`'s t-interval on log ratios.
public struct Effect: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable {
        case better, worse
        case noDetectableDifference = "no_detectable_difference"
    }

    public var key: CaseKey
    public var baseline: CaseKey
    public var metric: GateMetric
    /// case ÷ baseline, round by round.
    public var ratio: RatioInterval
    public var verdict: Verdict
    /// The sentence, with the names the comparison uses for the two cases.
    var sentence: String

    /// The metrics a verdict is given for, in the order shown: CPU per IO first, since it is the
    /// steady one when other work shares the machine (it holds within a few percent while IOPS
    /// swings), then IOPS, then the tail.
    static let metrics: [GateMetric] = [.cpuPerIO, .iops, .clatP99]

    public init(key: CaseKey, baseline: CaseKey, metric: GateMetric, ratio: RatioInterval, name: String, baselineName: String) {
        self.key = key
        self.baseline = baseline
        self.metric = metric
        self.ratio = ratio
        let up = ratio.lower > 1, down = ratio.upper < 1
        verdict = !(up || down) ? .noDetectableDifference : (up == metric.higherIsBetter ? .better : .worse)
        sentence = Self.sentence(metric: metric, ratio: ratio, name: name, baselineName: baselineName)
    }

    /// The verdict word of the table: faster / slower, less CPU / more CPU, lower / higher p99.
    var word: String {
        switch (verdict, metric) {
        case (.noDetectableDifference, _): return "no detectable difference"
        case (.better, .iops), (.better, .bandwidth): return "faster"
        case (.worse, .iops), (.worse, .bandwidth): return "slower"
        case (.better, .cpuPerIO): return "less CPU"
        case (.worse, .cpuPerIO): return "more CPU"
        case (.better, _): return "lower \(metric.label)"
        case (.worse, _): return "higher \(metric.label)"
        }
    }

    static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        return String(format: abs(p) >= 10 ? "%.0f" : "%.1f", p)
    }

    static func times(_ r: Double) -> String { String(format: r >= 10 ? "%.1f" : "%.2f", r) }

    static func sentence(metric: GateMetric, ratio ci: RatioInterval, name: String, baselineName: String) -> String {
        let r = ci.estimate
        let confidence = "95% CI"
        // Within a factor of 2 a change reads best in percent; beyond it, as a multiple.
        let asMultiple = r >= 2 || r <= 0.5
        let rangeTimes = "(\(confidence) \(times(ci.lower))–\(times(ci.upper))×)"
        guard ci.excludesNoChange else {
            let reach = max(ci.upper - 1, 1 - ci.lower)
            return "\(name) vs \(baselineName), \(metric == .cpuPerIO ? "CPU per IO" : metric.label): no difference this run can detect (±\(percent(reach))%)"
        }
        let up = ci.lower > 1
        // Percent changes and their interval, ordered low–high.
        let change = up ? r - 1 : 1 - r
        let range = up ? "(\(confidence) \(percent(ci.lower - 1))–\(percent(ci.upper - 1))%)"
                       : "(\(confidence) \(percent(1 - ci.upper))–\(percent(1 - ci.lower))%)"
        switch metric {
        case .iops, .bandwidth:
            if asMultiple { return "\(name) runs at \(times(r))× \(baselineName)'s \(metric.label) \(rangeTimes)" }
            return "\(name) is \(percent(change))% \(up ? "faster" : "slower") than \(baselineName) \(range)"
        case .cpuPerIO:
            if asMultiple { return "\(name) uses \(times(r))× \(baselineName)'s CPU per IO \(rangeTimes)" }
            return "\(name) uses \(percent(change))% \(up ? "more" : "less") CPU per IO than \(baselineName) \(range)"
        case .clatP50, .clatP99, .clatP9999:
            if asMultiple { return "\(name)'s \(metric.label) is \(times(r))× \(baselineName)'s \(rangeTimes)" }
            return "\(name)'s \(metric.label) is \(percent(change))% \(up ? "higher" : "lower") than \(baselineName)'s \(range)"
        }
    }
}
