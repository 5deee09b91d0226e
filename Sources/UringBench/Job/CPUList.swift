/// A CPU list as fio writes it (`cpus_allowed=0-3,6`): numbers and inclusive ranges, comma
/// separated, kept sorted and without repeats.
public struct CPUList: Codable, Sendable, Equatable, CustomStringConvertible {
    public let cpus: [Int]

    /// The kernel's cpu_set_t holds CPUs 0 to 1023.
    static let maxCPU = 1023

    public init?(_ text: String) {
        var set = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count == 1 || ends.count == 2,
                  let lo = Int(ends[0]), let hi = Int(ends[ends.count - 1]),
                  lo >= 0, hi >= lo, hi <= Self.maxCPU else { return nil }
            for c in lo...hi { set.insert(c) }
        }
        guard !set.isEmpty else { return nil }
        cpus = set.sorted()
    }

    public init(cpus: [Int]) { self.cpus = Array(Set(cpus)).sorted() }

    /// "0-3,6": runs written as ranges.
    public var description: String {
        var parts: [String] = []
        var i = 0
        while i < cpus.count {
            var j = i
            while j + 1 < cpus.count && cpus[j + 1] == cpus[j] + 1 { j += 1 }
            parts.append(i == j ? "\(cpus[i])" : "\(cpus[i])-\(cpus[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// The CPUs job `index` of a group may run on: all of them (fio's `shared`), or one each in
    /// turn (`split`, wrapping when there are more jobs than CPUs, as fio does).
    func forJob(_ index: Int, policy: CPUsAllowedPolicy) -> CPUList {
        policy == .shared ? self : CPUList(cpus: [cpus[index % cpus.count]])
    }
}
