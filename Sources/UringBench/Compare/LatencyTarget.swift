import Foundation

/// `--latency-target p99=1ms`: the highest IOPS each case sustains with that completion-latency
/// percentile within the target, found by bisection on rate_iops between 0 and the case's peak.
/// fio's latency_target searches the queue depth instead (at a fixed depth we ask how much
/// load the engine carries, not how deep it may queue).
public struct LatencyTarget: Codable, Sendable, Equatable {
    /// 50, 99, 99.9 or 99.99.
    public var percentile: Double
    public var nanoseconds: UInt64
    /// Bisection steps after the peak run (each halves the bracket: 7 steps → within 1/128 of peak).
    public var steps: Int = 7

    public init(percentile: Double, nanoseconds: UInt64, steps: Int = 7) {
        self.percentile = percentile
        self.nanoseconds = nanoseconds
        self.steps = steps
    }

    /// "p99=1ms", "p99.9=500us", "p50=200µs"; nil for anything else. The time is read by the
    /// one duration grammar of every option (`Units.parseDuration`, fio's suffixes: m is
    /// minutes, as in --runtime 2m), with its unit written out: a bare number is refused.
    public static func parse(_ text: String) -> LatencyTarget? {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts[0].hasPrefix("p"), let p = Double(parts[0].dropFirst()),
              [50, 99, 99.9, 99.99].contains(p) else { return nil }
        let time = parts[1].replacingOccurrences(of: "µs", with: "us")
        guard let last = time.last, last.isLetter, let ns = Units.parseDuration(time), ns > 0, ns < 1_000_000_000_000_000 else { return nil }
        return LatencyTarget(percentile: p, nanoseconds: ns)
    }

    public var label: String { "p\(String(format: "%g", percentile))=\(ComparisonTable.latency(Double(nanoseconds)))" }

    public func latency(of r: RunResult) -> UInt64 { r.clat.valueAt(percentile: percentile) }
}
