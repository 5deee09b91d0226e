import Foundation

/// What the --neighbour jobs measured beside each case of a comparison: every run's IOPS per
/// neighbour job, and the note the table ends with (each neighbour's median over the rounds).
public final class NeighbourFigures: @unchecked Sendable {
    private let lock = NSLock()
    private var order: [CaseKey] = []
    /// Per case, per neighbour job name (in the job file's order), each run's IOPS.
    private var iops: [CaseKey: [(name: String, runs: [Double])]] = [:]

    public init() {}

    public func record(_ key: CaseKey, _ neighbours: [RunResult]) {
        lock.lock()
        defer { lock.unlock() }
        if iops[key] == nil { order.append(key); iops[key] = neighbours.map { ($0.job.name, []) } }
        for (i, n) in neighbours.enumerated() where i < iops[key, default: []].count {
            iops[key]?[i].runs.append(n.iops)
        }
    }

    /// One line per case: the neighbours' median IOPS while it ran.
    public func note() -> String {
        lock.lock()
        defer { lock.unlock() }
        guard !order.isEmpty else { return "" }
        var out = "neighbour (--neighbour), median IOPS over the rounds while each case ran:\n"
        for key in order {
            let figures = (iops[key] ?? []).map { "\($0.name) \(ComparisonTable.count(Self.median($0.runs)))" }
            out += "  \(key.description): \(figures.joined(separator: ", "))\n"
        }
        return out
    }

    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
