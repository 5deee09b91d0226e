import Testing
@testable import UringBench

/// The huge-page figures of one mapping, read from a captured /proc/self/smaps.
struct MappingHugePagesTests {
    static let smaps = """
    7f1c2a000000-7f1c2b000000 r--s 00000000 fe:01 1835023                    /data/uringbench.dat
    Size:              16384 kB
    KernelPageSize:        4 kB
    Rss:               16384 kB
    AnonHugePages:         0 kB
    FilePmdMapped:     14336 kB
    VmFlags: rd sh mr mw me ms hg
    7f1c2b000000-7f1c2b200000 rw-p 00000000 00:00 0
    Size:               2048 kB
    AnonHugePages:      2048 kB
    FilePmdMapped:         0 kB
    VmFlags: rd wr mr mw me ac
    """

    @Test func theMappingsOwnEntryIsRead() throws {
        let first = try #require(MappingHugePages.parse(smaps: Self.smaps, start: 0x7f1c2a000000))
        #expect(first == MappingHugePages(sizeKiB: 16384, filePmdMappedKiB: 14336, anonHugePagesKiB: 0))
        #expect(first.hugeKiB == 14336)
        let second = try #require(MappingHugePages.parse(smaps: Self.smaps, start: 0x7f1c2b000000))
        #expect(second == MappingHugePages(sizeKiB: 2048, filePmdMappedKiB: 0, anonHugePagesKiB: 2048))
        #expect(MappingHugePages.parse(smaps: Self.smaps, start: 0x7f1c2a001000) == nil)
    }
}
