import Testing
@testable import UringBench

/// `--size 1.5xmem`: a multiple of the memory the page cache may use, in whole MiB.
struct MemoryMultipleSizeTests {
    @Test func aMultipleIsRoundedDownToWholeMiB() {
        let memory = PageCacheMemory(bytes: 24683792 * 1024, source: "MemTotal")
        #expect(memory.size(forMultiple: "1.5xmem") == UInt64((Double(24683792 * 1024) * 1.5 / 1_048_576).rounded(.down)) << 20)
        #expect(memory.size(forMultiple: "1xmem") == 24105 << 20)
        for bad in ["xmem", "1.5", "0xmem", "-1xmem", "nanxmem", "infxmem", "1e30xmem", "0.00000001xmem", "1.5xmemx"] {
            #expect(memory.size(forMultiple: bad) == nil, "\(bad)")
        }
    }
}
