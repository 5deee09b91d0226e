import Glibc
import UringCore

/// The memory counters a run is judged by, read at the start and end of the measured window
/// (their difference is what the window did): page faults of this process, bytes the file's
/// disk read and wrote, reclaim from /proc/vmstat (and from the memory.stat of the cgroup whose
/// limit the process runs under) and TLB shootdowns from /proc/interrupts. The vmstat, disk and
/// TLB figures are system-wide: other work on the machine adds to them.
public struct MemoryCounters: Sendable, Equatable, Codable {
    var minorFaults: UInt64 = 0            // getrusage(RUSAGE_SELF) ru_minflt
    var majorFaults: UInt64 = 0            // ru_majflt: a fault that read the disk
    var deviceBytesRead: UInt64 = 0        // /proc/diskstats sectors read × 512
    var deviceBytesWritten: UInt64 = 0     // sectors written × 512
    var pgscanKswapd: UInt64 = 0           // pages kswapd scanned to reclaim
    var pgscanDirect: UInt64 = 0           // pages allocating tasks scanned themselves
    var pgstealKswapd: UInt64 = 0          // pages kswapd reclaimed
    var pgstealDirect: UInt64 = 0          // pages direct reclaim reclaimed
    var workingsetRefaultFile: UInt64 = 0  // file pages read again soon after eviction
    var tlbShootdowns: UInt64 = 0          // TLB-flush IPIs, summed over CPUs
    /// Reclaim forced by the cgroup limit the process runs under, which the vmstat counters
    /// above do not count; nil without a limit.
    public var cgroup: CgroupReclaim? = nil

    public init() {}

    /// The counters now; `device` is the file's disk as /proc/diskstats names it (nil: none).
    public static func read(device: String?) -> MemoryCounters {
        var c = MemoryCounters()
        let usage = Syscalls.getrusage(RUSAGE_SELF.rawValue)
        c.minorFaults = UInt64(max(0, usage.ru_minflt))
        c.majorFaults = UInt64(max(0, usage.ru_majflt))
        if let device, let text = Syscalls.readTextFile("/proc/diskstats"), let sectors = parseDiskSectors(text, device: device) {
            c.deviceBytesRead = sectors.read &* 512
            c.deviceBytesWritten = sectors.written &* 512
        }
        if let text = Syscalls.readTextFile("/proc/vmstat") { c.apply(vmstat: text) }
        if let text = Syscalls.readTextFile("/proc/interrupts") { c.tlbShootdowns = parseTLBShootdowns(text) ?? 0 }
        c.cgroup = CgroupReclaim.read(limit: PageCacheMemory.current())
        return c
    }

    /// Sets the reclaim counters from /proc/vmstat's "name value" lines.
    mutating func apply(vmstat: String) {
        for line in vmstat.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count == 2, let value = UInt64(f[1]) else { continue }
            switch f[0] {
            case "pgscan_kswapd": pgscanKswapd = value
            case "pgscan_direct": pgscanDirect = value
            case "pgsteal_kswapd": pgstealKswapd = value
            case "pgsteal_direct": pgstealDirect = value
            case "workingset_refault_file": workingsetRefaultFile = value
            default: break
            }
        }
    }

    /// The "TLB:" line of /proc/interrupts, its per-CPU counts summed; nil without one (not x86).
    static func parseTLBShootdowns(_ interrupts: String) -> UInt64? {
        guard let line = interrupts.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("TLB:") }) else { return nil }
        // "TLB:  12763  11046  TLB shootdowns": the counts run until the description.
        return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst()
            .prefix { UInt64($0) != nil }.reduce(0) { $0 &+ (UInt64($1) ?? 0) }
    }

    /// Sectors read and written by `device` (fields 6 and 10 of its /proc/diskstats line).
    static func parseDiskSectors(_ diskstats: String, device: String) -> (read: UInt64, written: UInt64)? {
        for line in diskstats.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 10, f[2] == device, let read = UInt64(f[5]), let written = UInt64(f[9]) else { continue }
            return (read, written)
        }
        return nil
    }

    /// What happened between `start` and `self` (counters that went back count as 0).
    func since(_ start: MemoryCounters) -> MemoryCounters {
        func d(_ a: UInt64, _ b: UInt64) -> UInt64 { a >= b ? a - b : 0 }
        var c = MemoryCounters()
        c.minorFaults = d(minorFaults, start.minorFaults)
        c.majorFaults = d(majorFaults, start.majorFaults)
        c.deviceBytesRead = d(deviceBytesRead, start.deviceBytesRead)
        c.deviceBytesWritten = d(deviceBytesWritten, start.deviceBytesWritten)
        c.pgscanKswapd = d(pgscanKswapd, start.pgscanKswapd)
        c.pgscanDirect = d(pgscanDirect, start.pgscanDirect)
        c.pgstealKswapd = d(pgstealKswapd, start.pgstealKswapd)
        c.pgstealDirect = d(pgstealDirect, start.pgstealDirect)
        c.workingsetRefaultFile = d(workingsetRefaultFile, start.workingsetRefaultFile)
        c.tlbShootdowns = d(tlbShootdowns, start.tlbShootdowns)
        if let end = cgroup, let begin = start.cgroup { c.cgroup = end.since(begin) }
        return c
    }
}
