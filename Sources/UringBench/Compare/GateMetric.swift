import Foundation
import UringCore

/// A figure the gate compares, and which way is better: package-benchmark's rule that every
/// metric declares its direction, so a rise in IOPS is an improvement and a rise in p99 is not.
public enum GateMetric: String, Codable, Sendable, CaseIterable {
    case iops
    case bandwidth
    case clatP50 = "clat_p50"
    case clatP99 = "clat_p99"
    case clatP9999 = "clat_p99.99"
    case cpuPerIO = "cpu_per_io"

    var higherIsBetter: Bool { self == .iops || self == .bandwidth }

    public var label: String {
        switch self {
        case .iops: return "IOPS"
        case .bandwidth: return "BW"
        case .clatP50: return "clat p50"
        case .clatP99: return "clat p99"
        case .clatP9999: return "clat p99.99"
        case .cpuPerIO: return "CPU µs/IO"
        }
    }

    /// The command-line flag that sets this metric's threshold.
    public var flag: String {
        switch self {
        case .iops: return "--max-iops-drop"
        case .bandwidth: return "--max-bw-drop"
        case .clatP50: return "--max-p50-rise"
        case .clatP99: return "--max-p99-rise"
        case .clatP9999: return "--max-p9999-rise"
        case .cpuPerIO: return "--max-cpu-rise"
        }
    }

    /// The median the gate compares.
    public func value(_ c: CaseSummary) -> Double { spread(c).median }

    /// This metric in one run (the unit of per-round statistics).
    public func value(of r: RunResult) -> Double {
        switch self {
        case .iops: return r.iops
        case .bandwidth: return r.bytesPerSecond
        case .clatP50: return Double(r.clat.valueAt(percentile: 50))
        case .clatP99: return Double(r.clat.valueAt(percentile: 99))
        case .clatP9999: return Double(r.clat.valueAt(percentile: 99.99))
        case .cpuPerIO: return r.cpuMicrosecondsPerIO
        }
    }

    func spread(_ c: CaseSummary) -> Spread {
        switch self {
        case .iops: return c.iops
        case .bandwidth: return c.bandwidth
        case .clatP50: return c.clatP50
        case .clatP99: return c.clatP99
        case .clatP9999: return c.clatP9999
        case .cpuPerIO: return c.cpuPerIO
        }
    }

    public func format(_ v: Double) -> String {
        switch self {
        case .iops: return ComparisonTable.count(v)
        case .bandwidth: return ComparisonTable.bandwidth(v)
        case .clatP50, .clatP99, .clatP9999: return ComparisonTable.latency(v)
        case .cpuPerIO: return String(format: "%.2fµs", v)
        }
    }
}
