import Testing
@testable import UringBench

/// Reclaim under a cgroup limit, which /proc/vmstat does not count: read from the limiting
/// cgroup's memory.stat (captured v1 and v2 text), its window, and its report line.
struct CgroupReclaimTests {
    static let v2Stat = "anon 1048576\nfile 2147483648\npgscan 900\npgsteal 850\npgscan_kswapd 0\nworkingset_refault_file 40\n"
    static let v1Stat = "cache 237965312\npgpgin 10\npgpgout 4\nworkingset_refault_file 1\ntotal_pgpgin 157016\ntotal_pgpgout 98919\ntotal_workingset_refault_file 27087\n"

    @Test func theLimitingCgroupsMemoryStatIsRead() {
        let v2 = CgroupReclaim.parse(Self.v2Stat, statFile: "/sys/fs/cgroup/run.scope/memory.stat", isV1: false)
        #expect(v2.pgscan == 900 && v2.pgsteal == 850 && v2.workingsetRefaultFile == 40)
        #expect(v2.pagesCharged == nil && v2.pagesUncharged == nil)
        // v1: the hierarchy's totals, and no scan counts to give.
        let v1 = CgroupReclaim.parse(Self.v1Stat, statFile: "/sys/fs/cgroup/memory/g/memory.stat", isV1: true)
        #expect(v1.pagesCharged == 157016 && v1.pagesUncharged == 98919 && v1.workingsetRefaultFile == 27087)
        #expect(v1.pgscan == nil && v1.pgsteal == nil)
        // Without a cgroup limit there is nothing to read.
        #expect(CgroupReclaim.read(limit: PageCacheMemory(bytes: 1 << 30, source: "MemTotal")) == nil)
        #expect(CgroupReclaim.read(limit: nil) == nil)
    }

    @Test func theWindowIsTheDifferenceAndTheReportNamesIt() throws {
        let file = "/sys/fs/cgroup/run.scope/memory.stat"
        var start = MemoryCounters(), end = MemoryCounters()
        start.cgroup = CgroupReclaim.parse(Self.v2Stat, statFile: file, isV1: false)
        end.cgroup = CgroupReclaim.parse("pgscan 1900\npgsteal 1350\nworkingset_refault_file 45\n", statFile: file, isV1: false)
        let window = try #require(end.since(start).cgroup)
        #expect(window.pgscan == 1000 && window.pgsteal == 500 && window.workingsetRefaultFile == 5)
        // Read from two cgroups (the process moved): no figure rather than a wrong one.
        end.cgroup?.statFile = "/sys/fs/cgroup/other/memory.stat"
        #expect(end.since(start).cgroup == nil)
        let figures = MemoryFigures(counters: MemoryCounters(), pageCache: nil, workingSetBytes: 1 << 20, bytesReadAsked: 0,
                                    bytesWrittenAsked: 0, ios: 0, device: nil)
        #expect(!FioTextReport.memoryLines(figures).contains("cgroup"))
        var limited = figures
        limited.counters.cgroup = window
        #expect(FioTextReport.memoryLines(limited).contains("  cgroup       : pgscan=1000, pgsteal=500, workingset_refault_file=5 (\(file))\n"))
    }
}
