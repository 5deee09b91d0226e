/// fio's size and time suffixes, shared by the command line and job files.
public enum Units {
    /// "4k" → 4096, "1G" → 2^30, "512" → 512, "4KiB" → 4096. Like fio's default kb_base=1024,
    /// k/m/g/t are powers of 1024; "kB"/"MB" style (1000s) are accepted when spelled with "B".
    public static func parseSize(_ text: String) -> UInt64? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty else { return nil }
        let digits = s.prefix { $0.isNumber || $0 == "." }
        guard !digits.isEmpty, let number = Double(digits) else { return nil }
        let suffix = s.dropFirst(digits.count).lowercased()
        let multiplier: Double
        switch suffix {
        case "", "b": multiplier = 1
        case "k", "kib", "ki": multiplier = 1024
        case "m", "mib", "mi": multiplier = 1024 * 1024
        case "g", "gib", "gi": multiplier = 1024 * 1024 * 1024
        case "t", "tib", "ti": multiplier = 1024 * 1024 * 1024 * 1024
        case "kb": multiplier = 1000
        case "mb": multiplier = 1_000_000
        case "gb": multiplier = 1_000_000_000
        case "tb": multiplier = 1_000_000_000_000
        default: return nil
        }
        let value = number * multiplier
        guard value >= 0, value < 1.8e19, value == value.rounded() else { return nil }
        return UInt64(value)
    }

    /// "10s" → 10e9 ns, "500ms", "250us", "2m", "1h"; a bare number is seconds, as in fio.
    public static func parseDuration(_ text: String) -> UInt64? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = s.prefix { $0.isNumber || $0 == "." }
        guard !digits.isEmpty, let number = Double(digits) else { return nil }
        let suffix = s.dropFirst(digits.count)
        let unit: Double
        switch suffix {
        case "", "s", "sec": unit = 1e9
        case "ms", "msec": unit = 1e6
        case "us", "usec": unit = 1e3
        case "ns", "nsec": unit = 1
        case "m", "min": unit = 60e9
        case "h": unit = 3600e9
        case "d": unit = 86400e9
        default: return nil
        }
        let value = number * unit
        guard value >= 0, value < 1.8e19 else { return nil }
        return UInt64(value.rounded())
    }
}

import Foundation
