import ArgumentParser
import Foundation
import UringBench

/// Range checks for whole-number options: one line naming the option, its range and a value
/// that works. Every whole-number option has an upper bound, so no value reaches a conversion,
/// an allocation or a loop count that cannot hold it.
enum OptionRange {
    static let maxThreads = 1024
    /// The plan's limit, which every results file is checked against when read back.
    static let maxRounds = ComparisonPlan.maxRounds
    static let maxRequests = 1_000_000_000
    static let maxConnections = 100_000

    static func check(_ value: Int, _ range: ClosedRange<Int>, _ option: String, example: Int) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be from \(range.lowerBound) to \(range.upperBound) (got \(value)); use e.g. \(option) \(example)")
        }
    }

    /// CPUs this machine has online, numbered 0..<count.
    static var onlineCPUs: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// A CPU number of this machine; `allowUnpinned` also takes -1 ("not pinned").
    static func cpu(_ value: Int, _ option: String, allowUnpinned: Bool = false) throws {
        let n = onlineCPUs
        guard (allowUnpinned ? -1 : 0) <= value && value < n else {
            throw ValidationError("\(option) \(value) is not a CPU of this machine: use 0 to \(n - 1)\(allowUnpinned ? " (or -1: not pinned)" : ""), e.g. \(option) 0")
        }
    }
}
