import Foundation

/// The shape of a JSON file in fio's layout (json.c: one key or array element per line, two
/// spaces per level): every key path in document order with the type of its value as written,
/// `int` and `float` apart. Foundation's JSON reader keeps neither the order nor that difference.
struct FioJSONLayout {
    struct Entry: Equatable, CustomStringConvertible {
        var path: String
        var type: String
        var description: String { "\(path): \(type)" }
    }

    let entries: [Entry]

    init(text: String) {
        var entries: [Entry] = []
        var stack: [String] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine)
            let body = line.drop(while: { $0 == " " })
            let level = (line.count - body.count) / 2
            if body.isEmpty || body.hasPrefix("}") || body.hasPrefix("]") { continue }
            var key = "[]"
            var value = Substring(body)
            if body.hasPrefix("\""), let end = Self.closingQuote(body), body[end...].hasPrefix("\" : ") {
                key = String(body[body.index(after: body.startIndex)..<end])
                value = body[body.index(end, offsetBy: 4)...]
            }
            if value.hasSuffix(",") { value = value.dropLast() }
            stack = Array(stack.prefix(max(0, level - 1)))
            let path = (stack + [key]).joined(separator: ".")
            let type: String
            switch value.first {
            case "{": type = "object"
            case "[": type = "array"
            case "\"": type = "string"
            case "t", "f": type = "bool"
            case "n": type = "null"
            default: type = value.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? "float" : "int"
            }
            entries.append(Entry(path: path, type: type))
            if value == "{" || value == "[" { stack.append(key) }
        }
        self.entries = entries
    }

    /// The quote ending a key that starts at `s`'s first character (escaped quotes skipped).
    private static func closingQuote(_ s: Substring) -> String.Index? {
        var i = s.index(after: s.startIndex)
        while i < s.endIndex {
            if s[i] == "\\" { i = s.index(i, offsetBy: 2, limitedBy: s.endIndex) ?? s.endIndex; continue }
            if s[i] == "\"" { return i }
            i = s.index(after: i)
        }
        return nil
    }

    /// The entries without those whose path matches `skip` (data-dependent keys).
    func filtered(_ skip: (String) -> Bool) -> [Entry] { entries.filter { !skip($0.path) } }
}
