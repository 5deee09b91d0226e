import Testing
@testable import UringBench

@Suite struct UnitsTests {
    @Test(arguments: [
        // As fio reads them (kb_base=1024): fio 3.33 `--bs=4kB` did 4096-byte IOs, `--bs=4KiB` 4000-byte ones.
        ("4k", UInt64(4096)), ("4K", 4096), ("4KiB", 4000), ("1G", 1 << 30), ("1g", 1 << 30), ("512M", 512 << 20),
        ("512", 512), ("4kB", 4096), ("1MB", 1 << 20), ("1MiB", 1_000_000), ("2T", 2 << 40), ("0", 0),
    ])
    func sizes(_ text: String, _ bytes: UInt64) {
        #expect(Units.parseSize(text) == bytes)
    }

    /// fio would read these otherwise than written (1.5k is 1 byte to fio, 4Ki is 4k).
    @Test(arguments: ["", "k", "4x", "-1", "1.1", "4 k k", "1e3", "1.5k", "4Ki", "50%"])
    func badSizes(_ text: String) {
        #expect(Units.parseSize(text) == nil)
    }

    @Test(arguments: [
        ("10s", UInt64(10_000_000_000)), ("10", 10_000_000_000), ("500ms", 500_000_000), ("250us", 250_000),
        ("2m", 120_000_000_000), ("1h", 3_600_000_000_000), ("1.5s", 1_500_000_000),
    ])
    func durations(_ text: String, _ ns: UInt64) {
        #expect(Units.parseDuration(text) == ns)
    }

    @Test(arguments: ["", "soon", "5y", "s"])
    func badDurations(_ text: String) {
        #expect(Units.parseDuration(text) == nil)
    }
}
