import Foundation

/// The check every results format (compare, load curve, fleet, echo, udp) gets before a figure
/// is computed or drawn from it: each number of the decoded JSON, walked field by field, is
/// finite and within what a run can produce, and the first that is not is named by its path
/// ("rows[2].qpsMedian is 1e+30, outside 0-1e+15"). The formats' own checks (rounds, runtimes,
/// orderings) come after this one.
public struct ResultsFieldBounds: Sendable {
    /// The largest figure believed anywhere: 10^15 (IOPS, QPS, bytes per second, nanoseconds
    /// of latency); counts of IOs stay below 2^53 within it.
    public static let maxFigure = 1e15   // "1e+15" in messages

    /// Keys whose numbers may be negative (robust z-scores).
    public var signed: Set<String> = []
    /// Keys whose numbers may reach 2^64 (seeds, byte sizes), compared to nothing else.
    public var wide: Set<String> = []

    public init(signed: Set<String> = [], wide: Set<String> = []) {
        self.signed = signed
        self.wide = wide
    }

    /// The first out-of-range number under `value`, as "path is N, outside LOW-HIGH"; nil if none.
    public func problem(in value: Any, path: String = "") -> String? {
        switch value {
        case let dict as [String: Any]:
            for key in dict.keys.sorted() {
                guard let child = dict[key] else { continue }
                if wide.contains(key) { continue }
                let childPath = path.isEmpty ? key : path + "." + key
                if signed.contains(key), let n = child as? NSNumber {
                    let v = n.doubleValue
                    if !(v.isFinite && abs(v) <= Self.maxFigure) { return "\(childPath) is \(n), outside ±1e+15" }
                    continue
                }
                if let found = problem(in: child, path: childPath) { return found }
            }
        case let list as [Any]:
            for (i, item) in list.enumerated() { if let found = problem(in: item, path: "\(path)[\(i)]") { return found } }
        case let n as NSNumber:
            let v = n.doubleValue
            if !(v.isFinite && v >= 0 && v <= Self.maxFigure) { return "\(path) is \(n), outside 0-1e+15" }
        default: break
        }
        return nil
    }

    /// A decoding error as a results file's path to the bad field: "missing 'clat' at jobs[0].uringbench".
    public static func describe(_ error: Error) -> String {
        // jobs[0].uringbench.clat, not "jobs.Index 0.uringbench.clat".
        func path(_ keys: [CodingKey]) -> String {
            keys.reduce("") { text, key in key.intValue.map { text + "[\($0)]" } ?? (text.isEmpty ? key.stringValue : text + "." + key.stringValue) }
        }
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing '\(key.stringValue)' at \(path(ctx.codingPath))"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx), DecodingError.dataCorrupted(let ctx):
            return "bad value at \(path(ctx.codingPath)): \(ctx.debugDescription)"
        default:
            return "\(error)"
        }
    }
}
