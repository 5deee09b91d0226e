/// Numbers in a job file, read as fio reads them (parse.c: `str_to_decimal`, `get_mult_bytes`,
/// `get_mult_time`), which is not how uringbench's command line reads them (`Units`):
///
/// - Sizes follow `kb_base`. With fio's default 1024, `k`, `K`, `kB` and `KB` are 1024 and — fio's
///   compatibility quirk — `KiB` is 1000; with `kb_base=1000` the two swap. Integer options
///   (`iodepth`, `rate_iops`, …) take the same suffixes, as in fio.
/// - A time's bare number is seconds (for `runtime`, `ramp_time`, `startdelay`); its suffixes are
///   `us`/`usec`, `ms`/`msec`, `s`, `m`, `h`, `d`.
///
/// Where fio would silently read something else than the text seems to say, the value is refused
/// with what fio would read: a fraction (fio keeps the whole part: `1.5k` is 1 byte, `1.5s` is
/// 1 s), an unknown size suffix (fio multiplies by 1), an unknown time suffix such as `10sec` or
/// `2min` (fio reads it as microseconds), `4Ki` (no `B`: fio does not invert it as it does `KiB`).
enum FioValue {
    /// A size option's value: bytes, or a share of the file (`size=50%`).
    enum Size: Equatable {
        case bytes(UInt64)
        case percent(UInt64)
    }

    /// Why a value is refused; the caller adds the option and the line.
    struct Refusal: Error, Equatable {
        var reason: String
    }

    static let validKBBases = [1024, 1000]

    /// `text` as fio's size options read it under `kbBase` (1024 or 1000).
    static func size(_ text: String, kbBase: Int) throws(Refusal) -> Size {
        let s = text.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("(") {
            let n = try FioArithmetic.evaluate(s)
            guard n >= 0, UInt64(n) <= Units.maxSize else { throw Refusal(reason: "comes to \(n), not a size from 0 to 2^63 - 1; give one") }
            return .bytes(UInt64(n))
        }
        if s.contains(",") { throw Refusal(reason: "gives separate read,write values, which uringbench does not take; give one value") }
        if s.hasPrefix("-") || s.hasPrefix("+") { throw Refusal(reason: "has a sign; give a whole number of bytes") }
        if s.lowercased().hasPrefix("0x") {
            guard let n = UInt64(s.dropFirst(2), radix: 16), n <= Units.maxSize else {
                throw Refusal(reason: "is not a hexadecimal number below 2^63 (fio takes no suffix after one); write e.g. 0x1000")
            }
            return .bytes(n)
        }
        let (number, written) = try leadingNumber(s, notANumber: "is not a number below 2^63; write e.g. 4k, 512M, 1G",
                                                  fraction: "1.5k is 1 byte to fio); write a whole number with a smaller unit, e.g. 1536")
        let suffix = written.lowercased()
        if suffix == "%" { return .percent(number) }
        let multiplier: UInt64
        if suffix.isEmpty || suffix == "b" {
            multiplier = 1
        } else if let power = "kmgtp".firstIndex(of: suffix.first ?? " ").map({ "kmgtp".distance(from: "kmgtp".startIndex, to: $0) + 1 }),
                  ["", "b", "ib"].contains(suffix.dropFirst()) {
            // fio inverts only the "iB" spellings: under kb_base=1024 KiB is 1000, under 1000 it is 1024.
            let inverted = suffix.hasSuffix("ib")
            let base = UInt64(inverted ? (kbBase == 1000 ? 1024 : 1000) : kbBase)
            var m: UInt64 = 1
            for _ in 0..<power { m *= base }
            multiplier = m
        } else if suffix.count == 2 && suffix.hasSuffix("i") && "kmgtp".contains(suffix.first ?? " ") {
            throw Refusal(reason: "is read by fio as \(number)\(suffix.prefix(1)) in kb_base units, not inverted as \(suffix.prefix(1).uppercased())iB is; write \(number)\(suffix.prefix(1)) or \(number)\(suffix.prefix(1).uppercased())iB")
        } else if suffix == "z" {
            throw Refusal(reason: "is a zone count, which uringbench does not take; give bytes")
        } else {
            throw Refusal(reason: "has the suffix '\(written)', which fio does not know (it would read \(number) bytes); use k, M, G, T or P, with B or iB if you like")
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow, bytes <= Units.maxSize else { throw Refusal(reason: "is 2^63 bytes or more; give a smaller size") }
        return .bytes(bytes)
    }

    /// A whole number (`iodepth`, `rate_iops`, …): fio reads these with the size suffixes too
    /// (`iodepth=1k` is 1024), but not as a percentage.
    static func integer(_ text: String, kbBase: Int) throws(Refusal) -> UInt64 {
        switch try size(text, kbBase: kbBase) {
        case .bytes(let n): return n
        case .percent: throw Refusal(reason: "is a percentage, which this option does not take; give a whole number")
        }
    }

    /// A per-direction whole number (`rate_iops=r,w`, options.c's off1/off2): one value is both
    /// the read and the write one; `r,w` each its own, an empty one 0 (`rate_iops=,500` caps
    /// writes alone); a third value is trims', which uringbench never issues.
    static func perDirection(_ text: String, kbBase: Int) throws(Refusal) -> (read: UInt64, write: UInt64) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count <= 3 else { throw Refusal(reason: "has more than three values (fio takes read,write,trim); give one, or read,write") }
        func value(_ s: String) throws(Refusal) -> UInt64 { s.isEmpty ? 0 : try integer(s, kbBase: kbBase) }
        if parts.count == 1 {
            let n = try integer(parts[0], kbBase: kbBase)
            return (n, n)
        }
        _ = try value(parts.count == 3 ? parts[2] : "")
        return (try value(parts[0]), try value(parts[1]))
    }

    /// The whole number `s` starts with and the suffix after it. fio's strtoll stops at a '.',
    /// so a fraction is refused rather than cut.
    private static func leadingNumber(_ s: String, notANumber: String, fraction: String) throws(Refusal) -> (UInt64, Substring) {
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = UInt64(digits) else { throw Refusal(reason: notANumber) }
        let suffix = s.dropFirst(digits.count)
        if suffix.hasPrefix(".") { throw Refusal(reason: "has a fraction, and fio reads only the whole part (" + fraction) }
        return (number, suffix)
    }

    /// A duration in nanoseconds; a bare number is in `bareUnitNanoseconds` (fio: seconds for
    /// runtime, ramp_time and startdelay). At most `Units.maxDurationNanoseconds`.
    static func time(_ text: String, bareUnitNanoseconds: UInt64 = 1_000_000_000) throws(Refusal) -> UInt64 {
        let s = text.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("(") { throw Refusal(reason: "is an arithmetic expression of a time, which fio reads in microseconds and uringbench does not evaluate; write the time out, e.g. 10s") }
        let (number, written) = try leadingNumber(s, notANumber: "is not a time; write e.g. 10s, 500ms, 2m (a bare number is seconds)",
                                                  fraction: "1.5s is 1 s to fio); use a smaller unit, e.g. 1500ms")
        let suffix = written.lowercased()
        let unit: UInt64
        switch suffix {
        case "": unit = bareUnitNanoseconds
        case "us", "usec": unit = 1_000
        case "ms", "msec": unit = 1_000_000
        case "s": unit = 1_000_000_000
        case "m": unit = 60_000_000_000
        case "h": unit = 3_600_000_000_000
        case "d": unit = 86_400_000_000_000
        default:
            throw Refusal(reason: "has the time suffix '\(written)', which fio reads as microseconds (10sec and 2min are 10 and 2 µs to fio); use us, ms, s, m, h or d")
        }
        let (ns, overflow) = number.multipliedReportingOverflow(by: unit)
        guard !overflow, ns <= Units.maxDurationNanoseconds else {
            throw Refusal(reason: "is longer than \(Units.maxDurationText); give a shorter time")
        }
        return ns
    }
}
