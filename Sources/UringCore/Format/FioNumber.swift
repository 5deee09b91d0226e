import Foundation

/// fio's `num2str`: a number shortened to `maxLength` digits with a k/M/G (or Ki/Mi/Gi) prefix,
/// reproduced exactly, quirks included, so our report reads the way fio's does:
/// 87341 → "87.3k", 480123 → "480k", 357913941 B/s → "341MiB/s", 99999 → "100.0k".
package enum FioNumber {
    package enum Unit: String {
        case none = "", bytes = "B", bytesPerSecond = "B/s", perSecond = "/s"
    }

    static let siPrefixes = ["", "k", "M", "G", "T", "P"]
    static let binaryPrefixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi"]

    /// `base` is 1000 (SI prefixes) or 1024 (binary prefixes).
    package static func string(_ value: Double, maxLength: Int, base: Int, unit: Unit) -> String {
        string(UInt64(saturating: value.rounded(.down)), maxLength: maxLength, base: base, unit: unit)
    }

    package static func string(_ value: UInt64, maxLength: Int, base: Int, unit: Unit) -> String {
        let thousand = UInt64(base == 1024 ? 1024 : 1000)
        let prefixes = base == 1024 ? binaryPrefixes : siPrefixes
        var num = value
        var post = 0
        var modulo: UInt64? = nil
        var carry = false
        while post < prefixes.count {
            if String(num).count <= maxLength { break }
            modulo = num % thousand
            num /= thousand
            carry = modulo! >= thousand / 2
            post += 1
        }
        if post >= prefixes.count { post = 0 }
        let suffix = prefixes[post] + unit.rawValue
        guard let remainder = modulo else { return "\(num)\(suffix)" }
        let room = maxLength - String(num).count
        if room <= 1 {
            if carry { num += 1 }
            return "\(num)\(suffix)"
        }
        let fraction = String(format: "%.*f", room - 1, Double(remainder) / Double(thousand))
        if fraction.hasPrefix("1") { num += 1 }
        return "\(num).\(fraction.dropFirst(2))\(suffix)"
    }
}
