import Foundation

/// A JSON value as fio's json.c keeps one: integers and floats apart (fio prints a float
/// `100.000000` where a whole number is still a float; Python and jq read it as a float), object
/// keys in the order they were added.
public indirect enum FioJSONValue: Equatable, Sendable {
    case string(String)
    case signed(Int64)
    case unsigned(UInt64)
    case float(Double)
    case bool(Bool)
    case null
    case object([Pair])
    case array([FioJSONValue])

    public struct Pair: Equatable, Sendable {
        public var key: String
        public var value: FioJSONValue
    }

    /// fio's layout (json.c): two-space indent, `"key" : value`, floats as `%f`. Under a key in
    /// `exactFloatsUnder` (uringbench's own blocks, read back by uringbench) floats are written
    /// in their shortest exact form instead, since `%f` keeps only six decimals.
    public func render(exactFloatsUnder: Set<String> = []) -> String {
        var out = ""
        write(to: &out, level: 0, exact: false, exactKeys: exactFloatsUnder)
        return out + "\n"
    }

    private func write(to out: inout String, level: Int, exact: Bool, exactKeys: Set<String>) {
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .signed(let n): out += String(n)
        case .unsigned(let n): out += String(n)
        case .float(let x): out += exact ? Self.exactFloat(x) : String(format: "%f", x)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .object(let pairs):
            guard !pairs.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += ",\n" }
                Self.indent(level + 1, into: &out)
                Self.quote(pair.key, into: &out)
                out += " : "
                pair.value.write(to: &out, level: level + 1, exact: exact || exactKeys.contains(pair.key), exactKeys: exactKeys)
            }
            out += "\n"
            Self.indent(level, into: &out)
            out += "}"
        case .array(let values):
            guard !values.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, value) in values.enumerated() {
                if i > 0 { out += ",\n" }
                Self.indent(level + 1, into: &out)
                value.write(to: &out, level: level + 1, exact: exact, exactKeys: exactKeys)
            }
            out += "\n"
            Self.indent(level, into: &out)
            out += "]"
        }
    }

    /// Swift's shortest round-trip form, always with a `.` or exponent so it stays a float.
    static func exactFloat(_ x: Double) -> String {
        let s = "\(x)"
        return s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? s : s + ".0"
    }

    private static func indent(_ level: Int, into out: inout String) {
        for _ in 0..<level { out += "  " }
    }

    /// fio escapes only `"` and `\`; control characters are escaped too so the file stays JSON.
    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
