import ArgumentParser
import Foundation
import UringBench

/// Shared by compare, run and plot: one-line errors with exit status 1, list parsing.
enum CompareCLI {
    /// Prints `uringbench: error: <message>` and exits 1.
    static func fail(_ message: CustomStringConvertible) -> ExitCode {
        Terminal.failure(message)
    }

    static func engines(_ text: String, option: String) throws -> [EngineKind] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if names.allSatisfy(\.isEmpty) {
            throw fail("\(option) is empty; pass e.g. \(option) \(EngineKind.allCases.map(\.rawValue).joined(separator: ","))")
        }
        return try names.map { name in
            guard let e = EngineKind(rawValue: name) else {
                throw fail("unknown engine '\(name)' in \(option); choose from \(EngineKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return e
        }
    }

    static func list<T>(_ text: String, option: String, example: String, _ parse: (String) -> T?) throws -> [T] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if items.allSatisfy(\.isEmpty) { throw fail("\(option) is empty; pass e.g. \(option) \(example)") }
        return try items.map { item in
            guard let v = parse(item) else { throw fail("'\(item)' in \(option) is not valid; pass e.g. \(option) \(example)") }
            return v
        }
    }

    /// The command line as typed, quoted where needed, recorded in results files.
    static var commandLine: String {
        (["uringbench"] + CommandLine.arguments.dropFirst()).map { arg in
            arg.contains(where: { " \"'$".contains($0) }) ? "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'" : arg
        }.joined(separator: " ")
    }
}
