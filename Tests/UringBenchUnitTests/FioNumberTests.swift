import Testing
@testable import UringBench
@testable import UringCore

/// Expected strings are what fio 3.33's num2str prints for the same inputs.
@Suite struct FioNumberTests {
    @Test(arguments: [
        (UInt64(87341), "87.3k"), (13628, "13.6k"), (480123, "480k"), (480500, "481k"),
        (999, "999"), (1000, "1000"), (9999, "9999"), (10000, "10.0k"), (99950, "99.9k"),
        (99999, "100.0k"), (1_000_000, "1000k"), (12_345_678, "12.3M"),
    ])
    func iops(_ value: UInt64, _ expected: String) {
        #expect(FioNumber.string(value, maxLength: 4, base: 1000, unit: .none) == expected)
    }

    @Test func bandwidthAndSizes() {
        #expect(FioNumber.string(UInt64(357_913_941), maxLength: 4, base: 1024, unit: .bytesPerSecond) == "341MiB/s")
        #expect(FioNumber.string(UInt64(357_913_941), maxLength: 4, base: 1000, unit: .bytesPerSecond) == "358MB/s")
        #expect(FioNumber.string(UInt64(85_723_916), maxLength: 4, base: 1024, unit: .bytesPerSecond) == "81.8MiB/s")
        #expect(FioNumber.string(UInt64(85_723_916), maxLength: 4, base: 1000, unit: .bytesPerSecond) == "85.7MB/s")
        #expect(FioNumber.string(UInt64(67_108_864), maxLength: 4, base: 1024, unit: .bytes) == "64.0MiB")
        #expect(FioNumber.string(UInt64(1_048_575), maxLength: 4, base: 1024, unit: .bytes) == "1024KiB")
        #expect(FioNumber.string(UInt64(11_240), maxLength: 4, base: 1024, unit: .bytes) == "11.0KiB")
        #expect(FioNumber.string(UInt64(10_200), maxLength: 4, base: 1024, unit: .bytes) == "9.96KiB")
        #expect(FioNumber.string(UInt64(4096), maxLength: 4, base: 1024, unit: .bytes) == "4096B")
    }

    @Test func latencyWidthSix() {
        #expect(FioNumber.string(UInt64(2421), maxLength: 6, base: 1000, unit: .none) == "2421")
        #expect(FioNumber.string(UInt64(1_457_464), maxLength: 6, base: 1000, unit: .none) == "1457.5k")
        #expect(FioNumber.string(UInt64(123_456_789), maxLength: 6, base: 1000, unit: .none) == "123457k")
    }
}
