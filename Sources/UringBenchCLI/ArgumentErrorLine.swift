import UringBench

/// One line for an ArgumentParser error: its first line (it adds the option's help and the
/// usage below), and, when a value did not parse, what that kind of value looks like.
enum ArgumentErrorLine {
    /// What a value of each value name looks like, with one that works.
    static let rules: [String: String] = [
        "size": "write a size with fio's suffixes, e.g. 4k, 512M or 1G",
        "size|Nxmem": "write a size with fio's suffixes, e.g. 512M or 1G, or a multiple of the memory the page cache may use, e.g. 1.5xmem",
        "bytes": "write a whole number of bytes, e.g. 64",
        "size|min-max": "write bytes as N or MIN-MAX, e.g. 512 or 64-4k",
        "time": "write a time such as 10s, 500ms or 2m (at most \(Units.maxDurationText))",
        "ms": "write whole milliseconds from 0 to 4294967295, e.g. 1000",
        "cpus": "write CPU numbers such as 0 or 0,1",
        "list": "write a CPU list such as 0-3,6 (numbers and ranges, comma-separated)",
        "0|1": "write 0 or 1",
    ]

    static func render(_ message: String, arguments: [String] = CommandLine.arguments) -> String {
        let first = message.split(separator: "\n").first.map(String.init) ?? message
        if let negative = negativeValue(first, arguments: arguments) { return negative }
        // "The value 'x' is invalid for '--opt <name>'" (enums add their choices after a '.').
        guard first.hasPrefix("The value '"), !first.contains("Please provide one of"),
              let open = first.lastIndex(of: "<"), let close = first.lastIndex(of: ">"), open < close else {
            return first
        }
        let valueName = String(first[first.index(after: open)..<close])
        return first + "; " + (rules[valueName] ?? "write a whole number, e.g. 1")
    }

    /// ArgumentParser reads `--iodepth -1` as a flag "-1" and says the value is missing; the
    /// value is there, and out of range: say so.
    static func negativeValue(_ first: String, arguments: [String]) -> String? {
        guard first.hasPrefix("Missing value for '"), let name = first.dropFirst("Missing value for '".count).split(separator: " ").first else { return nil }
        let option = String(name.filter { $0 != "'" })
        guard let i = arguments.firstIndex(of: option), i + 1 < arguments.count else { return nil }
        let value = arguments[i + 1]
        guard value.hasPrefix("-"), let number = Double(value), number < 0 else { return nil }
        return "\(option) \(value) is out of range: \(option) takes no negative value (see --help for its range)"
    }
}
