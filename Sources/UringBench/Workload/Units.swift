/// fio's size and time suffixes, shared by the command line and job files.
///
/// Both parsers reject what the rest of the program cannot hold, so no caller has to: a size
/// fits in `off_t` (below 2^63 bytes) and a duration is at most `maxDurationNanoseconds`, so
/// adding a runtime to a clock reading or multiplying it into a buffer count cannot overflow.
public enum Units {
    /// The largest size accepted: off_t's maximum, what lseek and fallocate can address.
    public static let maxSize = UInt64(Int64.max)
    /// The longest duration accepted: 365 days. Longer runs, ramps and timeouts are typing
    /// mistakes, and the bound keeps every deadline far from UInt64's range.
    public static let maxDurationNanoseconds: UInt64 = 365 * 86_400 * 1_000_000_000
    public static let maxDurationText = "365d"

    /// "4k" → 4096, "1G" → 2^30, "512" → 512, "4KiB" → 4096. Like fio's default kb_base=1024,
    /// k/m/g/t are powers of 1024; "kB"/"MB" style (1000s) are accepted when spelled with "B".
    /// Whole numbers are exact (no detour through Double); nil above `maxSize`.
    public static func parseSize(_ text: String) -> UInt64? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !digits.isEmpty else { return nil }
        let multiplier: UInt64
        switch s.dropFirst(digits.count).lowercased() {
        case "", "b": multiplier = 1
        case "k", "kib", "ki": multiplier = 1 << 10
        case "m", "mib", "mi": multiplier = 1 << 20
        case "g", "gib", "gi": multiplier = 1 << 30
        case "t", "tib", "ti": multiplier = 1 << 40
        case "p", "pib", "pi": multiplier = 1 << 50
        case "kb": multiplier = 1000
        case "mb": multiplier = 1_000_000
        case "gb": multiplier = 1_000_000_000
        case "tb": multiplier = 1_000_000_000_000
        case "pb": multiplier = 1_000_000_000_000_000
        default: return nil
        }
        if let whole = UInt64(digits) {
            let (bytes, overflow) = whole.multipliedReportingOverflow(by: multiplier)
            return overflow || bytes > maxSize ? nil : bytes
        }
        // A fraction ("1.5k") must come out whole.
        guard let number = Double(digits), number.isFinite else { return nil }
        let value = number * Double(multiplier)
        guard value >= 0, value < 0x1p63, value == value.rounded() else { return nil }
        return UInt64(value)
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
