import Foundation
import Glibc

/// A run of a built binary in a directory of the test's choosing, with stdout and stderr going
/// to files outside that directory (so its listing is the test's to check) and signals sent
/// while it runs.
final class SpawnedRun {
    let process = Process()
    private let outPath: String
    private let errPath: String

    /// Where the output files live: beside the CLI tests' data, never in a directory under test.
    static let logDirectory: String = {
        let dir = CLITests.dataDirectory + "/spawned-logs"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// `environment`: variables added to the test's own (a test pause, say).
    init(_ args: [String], in directory: String, executable: String = CLITests.uringbench, environment: [String: String] = [:]) throws {
        let id = UUID().uuidString
        outPath = Self.logDirectory + "/out-\(id)"
        errPath = Self.logDirectory + "/err-\(id)"
        guard FileManager.default.createFile(atPath: outPath, contents: nil),
              FileManager.default.createFile(atPath: errPath, contents: nil),
              let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            throw CocoaError(.fileWriteUnknown)
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        try out.close()
        try err.close()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        unlink(outPath)
        unlink(errPath)
    }

    var pid: Int32 { process.processIdentifier }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit; the outcome as `CLITests.run` gives it. A killed run's status is
    /// 128 + the signal, as a shell shows it.
    func finish() -> CLITests.Outcome {
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CLITests.Outcome(status: status,
                                stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
                                stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
    }

    /// Runs to the end.
    static func run(_ args: [String], in directory: String) throws -> CLITests.Outcome {
        try SpawnedRun(args, in: directory).finish()
    }
}
