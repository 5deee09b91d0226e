import UringCore

/// Reclaim inside the memory cgroup whose limit bounds the page cache (PageCacheMemory). Linux
/// counts reclaim forced by a cgroup's limit only in that cgroup's memory.stat (vmscan.c adds
/// to /proc/vmstat's pgscan/pgsteal only for global reclaim), so under a limit /proc/vmstat says
/// 0 while the job's cgroup evicts page after page. cgroup v2's memory.stat has pgscan, pgsteal
/// and workingset_refault_file, over the cgroup and its children. v1's has no scan counts: its
/// total_pgpgin/total_pgpgout count pages charged to and uncharged from the hierarchy (an
/// uncharge is an eviction, a truncation or a dropped cache).
public struct CgroupReclaim: Sendable, Equatable, Codable {
    /// The memory.stat read, beside the limit file.
    var statFile: String
    var pgscan: UInt64?                  // v2 pgscan: pages scanned to reclaim
    var pgsteal: UInt64?                 // v2 pgsteal: pages reclaimed
    var pagesCharged: UInt64?            // v1 total_pgpgin
    var pagesUncharged: UInt64?          // v1 total_pgpgout
    var workingsetRefaultFile: UInt64 = 0

    /// The counters of the cgroup whose limit `limit` was read from; nil without a cgroup limit.
    static func read(limit: PageCacheMemory?) -> CgroupReclaim? {
        guard let source = limit?.source, let slash = source.lastIndex(of: "/") else { return nil }
        let isV1 = source.hasSuffix("/memory.limit_in_bytes")
        guard isV1 || source.hasSuffix("/memory.max") else { return nil }
        let statFile = String(source[..<slash]) + "/memory.stat"
        return Syscalls.readTextFile(statFile).map { parse($0, statFile: statFile, isV1: isV1) }
    }

    /// memory.stat's "name value" lines.
    static func parse(_ text: String, statFile: String, isV1: Bool) -> CgroupReclaim {
        var values: [Substring: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2, let value = UInt64(f[1]) { values[f[0]] = value }
        }
        if isV1 {
            return CgroupReclaim(statFile: statFile, pagesCharged: values["total_pgpgin"], pagesUncharged: values["total_pgpgout"],
                                 workingsetRefaultFile: values["total_workingset_refault_file"] ?? 0)
        }
        return CgroupReclaim(statFile: statFile, pgscan: values["pgscan"], pgsteal: values["pgsteal"],
                             workingsetRefaultFile: values["workingset_refault_file"] ?? 0)
    }

    /// What happened since `start`; nil when the two were read from different cgroups.
    func since(_ start: CgroupReclaim) -> CgroupReclaim? {
        guard statFile == start.statFile else { return nil }
        func d(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
            guard let a, let b else { return nil }
            return a >= b ? a - b : 0
        }
        return CgroupReclaim(statFile: statFile, pgscan: d(pgscan, start.pgscan), pgsteal: d(pgsteal, start.pgsteal),
                             pagesCharged: d(pagesCharged, start.pagesCharged), pagesUncharged: d(pagesUncharged, start.pagesUncharged),
                             workingsetRefaultFile: d(workingsetRefaultFile, start.workingsetRefaultFile) ?? 0)
    }

    /// The report's line: "pgscan=… pgsteal=… workingset_refault_file=… (FILE)".
    var summary: String {
        var parts: [String] = []
        if let pgscan { parts.append("pgscan=\(pgscan)") }
        if let pgsteal { parts.append("pgsteal=\(pgsteal)") }
        if let pagesCharged { parts.append("pages charged=\(pagesCharged)") }
        if let pagesUncharged { parts.append("uncharged=\(pagesUncharged) (evicted, truncated or dropped)") }
        parts.append("workingset_refault_file=\(workingsetRefaultFile)")
        return parts.joined(separator: ", ") + " (\(statFile))"
    }
}
