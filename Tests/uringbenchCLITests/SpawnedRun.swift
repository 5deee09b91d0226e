import TestSupport

/// The built uringbench run through the tests' one process runner, in a directory of the test's
/// choosing.
extension SpawnedRun {
    convenience init(_ args: [String], in directory: String, executable: String = CLITests.uringbench) throws {
        try self.init(executable: executable, args, in: directory)
    }

    /// Runs to the end.
    static func run(_ args: [String], in directory: String) throws -> Outcome {
        try SpawnedRun(args, in: directory).finish()
    }
}
