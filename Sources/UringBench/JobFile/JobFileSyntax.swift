import Foundation

/// The INI layer of a fio job file, before any option is interpreted: `[section]` headers,
/// `key=value` and bare `key` lines, `;` and `#` comments. Kept apart from option handling so
/// each can be tested alone.
///
/// Comments are fio's (init.c `__parse_jobs_ini`, parse.c `strip_blank_end`): every line is cut
/// at its first `;` and at its first `#`, wherever they stand, so `runtime=3600  # one hour` is
/// `runtime=3600` and a `#` inside a value ends the value, as it does under fio.
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
        var entries: [Entry]
        var isGlobal: Bool { name == "global" }
    }

    public var path: String
    public var sections: [Section]

    /// Splits `text` into sections. Errors name the file and line. At most `maxJobs` job
    /// sections: the next one is refused where it starts, so a huge file costs little.
    public static func parse(_ text: String, path: String, maxJobs: Int = JobFile.maxJobs) throws(JobFileError) -> JobFileSyntax {
        var sections: [Section] = []
        var jobLines: [String: Int] = [:]       // job name → line of its header
        var lineNumber = 0
        // Line by line as the loop goes (not split up front), so a refusal costs only the lines
        // before it. "\r\n" is one Character in Swift: match every line-ending form explicitly.
        var rest = Substring(text)
        var atEnd = false
        while !atEnd {
            let line: Substring
            if let end = rest.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                line = rest[..<end]
                rest = rest[rest.index(after: end)...]
            } else {
                line = rest
                atEnd = true
            }
            lineNumber += 1
            let trimmed = Self.strippingComment(line).trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }

            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw JobFileError(path: path, line: lineNumber, "malformed section header '\(trimmed)'; write it as [name]")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains("["), !name.contains("]") else {
                    throw JobFileError(path: path, line: lineNumber, "malformed section header '\(trimmed)'; write it as [name]")
                }
                if name != "global" {
                    if let previous = jobLines[name] {
                        throw JobFileError(path: path, line: lineNumber, "job '\(name)' is already defined at line \(previous); give each job section its own name")
                    }
                    guard jobLines.count < maxJobs else {
                        throw JobFileError(path: path, line: lineNumber, "more than \(maxJobs) jobs, the most uringbench runs from one file (fio's default max_jobs is the same); split the file")
                    }
                    jobLines[name] = lineNumber
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
                // Everything after '=' up to a comment is the value.
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

    /// `line` up to its first `;` or `#`, as fio cuts it (no quoting or escape protects either).
    static func strippingComment(_ line: Substring) -> Substring {
        guard let cut = line.firstIndex(where: { $0 == ";" || $0 == "#" }) else { return line }
        return line[..<cut]
    }
}
