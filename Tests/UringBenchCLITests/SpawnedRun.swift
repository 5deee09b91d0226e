import Foundation
import TestSupport

/// The built uringbench run through the tests' one process runner, in a directory of the test's
/// choosing.
extension SpawnedRun {
    /// `environment`: variables added to the test's own (a test pause, say).
    convenience init(_ args: [String], in directory: String, executable: String = CLITests.uringbench,
                     environment: [String: String] = [:]) throws {
        let merged = environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try self.init(executable: executable, args, in: directory, environment: merged)
    }

    /// Runs to the end.
    static func run(_ args: [String], in directory: String) throws -> Outcome {
        try SpawnedRun(args, in: directory).finish()
    }
}
