/// fio's size and time suffixes, shared by the command line and job files.
///
/// Both parsers reject what the rest of the program cannot hold, so no caller has to: a size
/// fits in `off_t` (below 2^63 bytes) and a duration is at most `maxDurationNanoseconds`, so
/// adding a runtime to a clock reading or multiplying it into a buffer count cannot overflow.
public enum Units {
    /// The largest size accepted: off_t's maximum, what lseek and fallocate can address.
    static let maxSize = UInt64(Int64.max)
    /// The longest duration accepted: 365 days. Longer runs, ramps and timeouts are typing
    /// mistakes, and the bound keeps every deadline far from UInt64's range.
    static let maxDurationNanoseconds: UInt64 = 365 * 86_400 * 1_000_000_000
    public static let maxDurationText = "365d"

    /// A size as fio reads it under its default kb_base=1024 (`FioValue.size`), so that the
    /// command line and a job file agree: "4k", "4K", "4kB" → 4096, "1G" → 2^30, and — fio's
    /// quirk — "4KiB" → 4000 (fio 3.33: `--bs=4kB` did IOs of 4096 bytes, `--bs=4KiB` of 4000).
    /// nil for what fio would read otherwise than written (a fraction, an unknown suffix) and
    /// above `maxSize`.
    public static func parseSize(_ text: String) -> UInt64? {
        guard case .bytes(let n)? = try? FioValue.size(text, kbBase: 1024) else { return nil }
        return n
    }

    /// "10s" → 10e9 ns, "500ms", "250us", "2m", "1h", "1d"; a bare number is seconds, as in fio.
    /// nil above `maxDurationNanoseconds`.
    public static func parseDuration(_ text: String) -> UInt64? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !digits.isEmpty, let number = Double(digits), number.isFinite else { return nil }
        let unit: Double
        switch s.dropFirst(digits.count) {
        case "", "s", "sec": unit = 1e9
        case "ms", "msec": unit = 1e6
        case "us", "usec": unit = 1e3
        case "ns", "nsec": unit = 1
        case "m", "min": unit = 60e9
        case "h": unit = 3600e9
        case "d": unit = 86400e9
        default: return nil
        }
        let value = (number * unit).rounded()
        guard value >= 0, value <= Double(maxDurationNanoseconds) else { return nil }
        return UInt64(value)
    }
}
