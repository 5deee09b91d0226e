import Foundation

/// How far each metric's median may move the wrong way before the gate fails, as a fraction
/// (0.10 = 10%). A metric without a threshold is reported but never fails the gate.
public struct GateThresholds: Codable, Sendable, Equatable {
    public var limits: [GateMetric: Double]

    public init(_ limits: [GateMetric: Double] = [:]) { self.limits = limits }

    /// The defaults of `--against` when no threshold flag is given: 10% fewer IOPS, 20% higher p99.
    public static let defaults = GateThresholds([.iops: 0.10, .clatP99: 0.20])

    /// "10%", "10", "0.5%" → 0.10, 0.10, 0.005. nil for anything else or a negative value.
    public static func parsePercent(_ text: String) -> Double? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        if s.hasSuffix("%") { s = s.dropLast() }
        guard let v = Double(s), v >= 0, v.isFinite else { return nil }
        return v / 100
    }
}
