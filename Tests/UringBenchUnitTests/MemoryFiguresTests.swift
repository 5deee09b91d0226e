import Testing
@testable import UringBench

/// The memory figures, parsed from captured /proc and /sys text.
struct MemoryFiguresTests {
    static let interrupts = """
               CPU0       CPU1       CPU2
      0:         44          0          0   IO-APIC    2-edge      timer
    NMI:          0          0          0   Non-maskable interrupts
    TLB:      12763      11046          7   TLB shootdowns
    TRM:          0          0          0   Thermal event interrupts
    """
    static let vmstat = """
    nr_free_pages 5853403
    pgscan_kswapd 120
    pgscan_direct 7
    pgscan_direct_throttle 0
    pgsteal_kswapd 100
    pgsteal_direct 5
    workingset_refault_anon 3
    workingset_refault_file 414773
    """
    static let diskstats = """
     254       0 vda 3079771 82168 45995114 401035 1026564 115324 37130288 311942 0 116924 743874 63129 6 116174088 22281 35754 8615
     254       1 vda1 3079000 82168 45990000 401000 1026000 115324 37130000 311900 0 116900 743800 0 0 0 0 0 0
    """

    @Test func countersAreReadFromTheirLines() throws {
        #expect(MemoryCounters.parseTLBShootdowns(Self.interrupts) == 12763 + 11046 + 7)
        #expect(MemoryCounters.parseTLBShootdowns("           CPU0\n  0:  4  IO-APIC timer\n") == nil)
        var c = MemoryCounters()
        c.apply(vmstat: Self.vmstat)
        #expect([c.pgscanKswapd, c.pgscanDirect, c.pgstealKswapd, c.pgstealDirect, c.workingsetRefaultFile] == [120, 7, 100, 5, 414773])
        let sectors = try #require(MemoryCounters.parseDiskSectors(Self.diskstats, device: "vda"))
        #expect(sectors.read == 45995114 && sectors.written == 37130288)
        #expect(MemoryCounters.parseDiskSectors(Self.diskstats, device: "vdb") == nil)
    }

    @Test func theWindowIsTheDifferenceAndRatiosFollow() {
        var start = MemoryCounters(), end = MemoryCounters()
        start.deviceBytesRead = 1000; end.deviceBytesRead = 1000 + 4096 * 25
        start.majorFaults = 3; end.majorFaults = 53
        end.tlbShootdowns = 9
        let f = MemoryFigures(counters: end.since(start), pageCache: PageCacheMemory(bytes: 1 << 30, source: "MemTotal"),
                              workingSetBytes: 3 << 29, bytesReadAsked: 4096 * 100, bytesWrittenAsked: 0, ios: 100, device: "vda")
        #expect(f.counters.deviceBytesRead == 4096 * 25 && f.counters.majorFaults == 50 && f.counters.tlbShootdowns == 9)
        #expect(f.pageCacheHitRatio == 0.75)
        #expect(f.workingSetRatio == 1.5)
        #expect(f.perIO(f.counters.majorFaults) == 0.5)
    }

    /// The lowest limit on the way to the cgroup root wins; an unlimited v1 group (the kernel's
    /// page-rounded LONG_MAX) leaves MemTotal.
    @Test func pageCacheMemoryIsTheLowestLimit() throws {
        let meminfo = "MemTotal:       24683792 kB\nMemFree:        23413612 kB\n"
        let v1 = "9:name=systemd:/\n4:memory:/process_api/088f\n0::/\n"
        let unlimited: [String: String] = ["/sys/fs/cgroup/memory/process_api/088f/memory.limit_in_bytes": "9223372036854771712\n"]
        #expect(PageCacheMemory.parse(meminfo: meminfo, cgroup: v1, readFile: { unlimited[$0] }) == PageCacheMemory(bytes: 24683792 * 1024, source: "MemTotal"))
        let v2 = "0::/user.slice/run-u7.scope\n"
        let limits = ["/sys/fs/cgroup/user.slice/run-u7.scope/memory.max": "max\n", "/sys/fs/cgroup/user.slice/memory.max": "2147483648\n"]
        #expect(PageCacheMemory.parse(meminfo: meminfo, cgroup: v2, readFile: { limits[$0] }) == PageCacheMemory(bytes: 2 << 30, source: "/sys/fs/cgroup/user.slice/memory.max"))
        #expect(PageCacheMemory.parse(meminfo: "", cgroup: v2, readFile: { limits[$0] }) == nil)
    }
}
