import Foundation

/// The INI layer of a fio job file, before any option is interpreted: `[section]` headers,
/// `key=value` and bare `key` lines, `;` and `#` comments. Kept apart from option handling so
/// each can be tested alone.
public struct JobFileSyntax: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: String
        /// nil for a bare option such as `time_based` (fio's "set" options).
        public var value: String?
        public var line: Int
    }

    public struct Section: Equatable, Sendable {
        public var name: String
        public var line: Int
        public var entries: [Entry]
        public var isGlobal: Bool { name == "global" }
    }

    public var path: String
    public var sections: [Section]

    /// Splits `text` into sections. Errors name the file and line.
    public static func parse(_ text: String, path: String) throws(JobFileError) -> JobFileSyntax {
        var sections: [Section] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on every line-ending form explicitly.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix(";") || trimmed.hasPrefix("#") { continue }

            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw JobFileError(path: path, line: lineNumber, "malformed section header '\(trimmed)'; write it as [name]")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains("["), !name.contains("]") else {
                    throw JobFileError(path: path, line: lineNumber, "malformed section header '\(trimmed)'; write it as [name]")
                }
                if name != "global", let previous = sections.first(where: { $0.name == name }) {
                    throw JobFileError(path: path, line: lineNumber, "job '\(name)' is already defined at line \(previous.line); give each job section its own name")
                }
                sections.append(Section(name: name, line: lineNumber, entries: []))
                continue
            }

            guard !sections.isEmpty else {
                throw JobFileError(path: path, line: lineNumber, "option '\(trimmed)' comes before any section; put it under [global] or a [job] section")
            }
            let key: String
            let value: String?
            if let eq = trimmed.firstIndex(of: "=") {
                key = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
                // Everything after '=' is the value. Comments are whole lines only: text after
                // a value stays in it and fails that option's check, so it is reported, not dropped.
                value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            } else {
                key = trimmed
                value = nil
            }
            guard !key.isEmpty else {
                throw JobFileError(path: path, line: lineNumber, "'\(trimmed)' has no option name before '='; write key=value")
            }
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw JobFileError(path: path, line: lineNumber, "'\(key)' is not an option name (letters, digits and '_' only); write key=value")
            }
            if value == "" {
                throw JobFileError(path: path, line: lineNumber, "option '\(key)' has an empty value; give a value (\(key)=...) or remove the line")
            }
            sections[sections.count - 1].entries.append(Entry(key: key.lowercased(), value: value, line: lineNumber))
        }
        return JobFileSyntax(path: path, sections: sections)
    }
}
