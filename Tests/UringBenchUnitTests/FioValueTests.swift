import Testing
@testable import UringBench

/// Job-file numbers read as fio reads them (parse.c), not as the command line reads them.
@Suite struct FioValueTests {
    @Test(arguments: [
        // fio's default kb_base=1024: k, K, kB, KB are 1024; the "iB" spellings are 1000.
        ("4k", 1024, UInt64(4096)), ("4K", 1024, 4096), ("4kB", 1024, 4096), ("4KB", 1024, 4096), ("4KiB", 1024, 4000),
        ("1M", 1024, 1 << 20), ("1MiB", 1024, 1_000_000), ("1g", 1024, 1 << 30), ("2GiB", 1024, 2_000_000_000), ("1t", 1024, 1 << 40),
        // kb_base=1000 swaps them.
        ("4k", 1000, 4000), ("4KB", 1000, 4000), ("4KiB", 1000, 4096), ("1MiB", 1000, 1 << 20), ("1M", 1000, 1_000_000),
        ("512", 1024, 512), ("512b", 1024, 512), ("0x1000", 1024, 4096), ("0", 1024, 0),
    ])
    func sizes(_ text: String, _ kbBase: Int, _ bytes: UInt64) throws {
        #expect(try FioValue.size(text, kbBase: kbBase) == .bytes(bytes))
    }

    @Test func percentIsASizeButNotAnInteger() throws {
        #expect(try FioValue.size("50%", kbBase: 1024) == .percent(50))
        #expect(throws: FioValue.Refusal.self) { try FioValue.integer("50%", kbBase: 1024) }
        #expect(try FioValue.integer("1k", kbBase: 1024) == 1024)     // fio: iodepth=1k is 1024
    }

    /// Each refusal says what fio would read instead.
    @Test(arguments: [
        ("1.5k", "1.5k is 1 byte to fio"), ("4x", "fio does not know (it would read 4 bytes)"), ("4 k", "fio does not know"),
        ("4Ki", "is read by fio as 4k"), ("(1+1)k", "expression uringbench cannot read"), ("4k,8k", "separate read,write values"),
        ("-4k", "has a sign"), ("k", "is not a number"), ("", "is not a number"), ("16384p", "2^63 bytes or more"),
        ("99999999999999999999", "is not a number below 2^63"), ("3z", "zone count"), ("0x1k", "hexadecimal"),
    ])
    func badSizes(_ text: String, _ reason: String) {
        do { _ = try FioValue.size(text, kbBase: 1024); Issue.record("accepted \(text)") } catch {
            #expect(error.reason.contains(reason), "\(text): \(error.reason)")
        }
    }

    @Test(arguments: [
        ("10", UInt64(10_000_000_000)), ("10s", 10_000_000_000), ("10S", 10_000_000_000), ("500ms", 500_000_000), ("500msec", 500_000_000),
        ("250us", 250_000), ("250usec", 250_000), ("2m", 120_000_000_000), ("1h", 3_600_000_000_000), ("1d", 86_400_000_000_000),
    ])
    func times(_ text: String, _ ns: UInt64) throws {
        #expect(try FioValue.time(text) == ns)
    }

    /// fio reads 10sec, 2min and 5ns as microseconds and 1.5s as 1 s (checked with fio 3.33: a
    /// time_based job with runtime=2sec or 2min ends at once, with runtime=1.5s after 1 s).
    @Test(arguments: [
        ("10sec", "reads as microseconds"), ("2min", "reads as microseconds"), ("5ns", "reads as microseconds"),
        ("1.5s", "1.5s is 1 s to fio"), ("soon", "is not a time"), ("366d", "longer than 365d"), ("(1+1)", "arithmetic"),
    ])
    func badTimes(_ text: String, _ reason: String) {
        do { _ = try FioValue.time(text); Issue.record("accepted \(text)") } catch {
            #expect(error.reason.contains(reason), "\(text): \(error.reason)")
        }
    }
}
