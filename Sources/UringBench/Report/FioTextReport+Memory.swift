import Foundation
import UringCore

extension FioTextReport {
    /// uringbench's memory lines (fio has none): what the page cache could hold against the
    /// working set, faults and disk bytes per IO with the page-cache hit ratio, reclaim and
    /// TLB shootdowns over the measured window.
    static func memoryLines(_ m: MemoryFigures) -> String {
        func size(_ bytes: UInt64) -> String { FioNumber.string(bytes, maxLength: 4, base: 1024, unit: .bytes) }
        var out = "  memory       : working set \(size(m.workingSetBytes))"
        if let cache = m.pageCache, let ratio = m.workingSetRatio {
            let multiple = ratio >= 0.01 ? String(format: "%.2fx", ratio) : "<0.01x"
            out += " = \(multiple) the \(size(cache.bytes)) the page cache may use (\(cache.source))"
        }
        out += "\n"
        out += String(format: "  faults       : minor=%llu (%.2f/IO), major=%llu (%.3f/IO) (the whole process)\n",
                      m.counters.minorFaults, m.perIO(m.counters.minorFaults), m.counters.majorFaults, m.perIO(m.counters.majorFaults))
        if let device = m.device {
            var line = "  device bytes : \(device) read \(size(m.counters.deviceBytesRead)) for \(size(m.bytesReadAsked)) read by the job"
            if let hit = m.pageCacheHitRatio { line += String(format: " (page-cache hit ratio %.1f%%)", hit * 100) }
            line += ", wrote \(size(m.counters.deviceBytesWritten)) for \(size(m.bytesWrittenAsked)) written (all IO on the disk)\n"
            out += line
        }
        let c = m.counters
        out += "  reclaim      : pgscan kswapd=\(c.pgscanKswapd) direct=\(c.pgscanDirect), pgsteal kswapd=\(c.pgstealKswapd) direct=\(c.pgstealDirect), workingset_refault_file=\(c.workingsetRefaultFile); TLB shootdowns=\(c.tlbShootdowns) (system-wide)\n"
        // Reclaim forced by a cgroup limit shows only here (vmstat counts global reclaim).
        if let cgroup = c.cgroup { out += "  cgroup       : \(cgroup.summary)\n" }
        return out
    }
}
