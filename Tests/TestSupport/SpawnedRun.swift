import Foundation
import Glibc

/// The tests' one way to run a program. stdout and stderr go to files outside the program's
/// working directory, so neither pipe can fill up and block the child while the test waits on the
/// other, and the directory's listing stays the test's to check. Signals can be sent while it
/// runs; `finish(timeout:)` is a hang guard (SIGTERM, then SIGKILL), never a timing assertion.
public final class SpawnedRun {
    /// How a run ended: the exit status (a killed run's is 128 + the signal, as a shell shows
    /// it, and `signal` names the signal), what it printed, and whether the hang guard fired.
    public struct Outcome {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var signal: Int32?
        public var hung: Bool

        public init(status: Int32, stdout: String, stderr: String, signal: Int32? = nil, hung: Bool = false) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
            self.signal = signal
            self.hung = hung
        }
    }

    public let process = Process()
    private let outPath: String
    private let errPath: String

    /// Where the output files live: a directory of this test process's own, removed at exit.
    static let logDirectory: String = {
        let dir = NSTemporaryDirectory() + "uringbench-test-output-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: SpawnedRun.logDirectory) }
        return dir
    }()

    /// Starts `executable` with `arguments` in `directory` (the test's own when nil), with
    /// `environment` (the test's when nil).
    public init(executable: String, _ arguments: [String], in directory: String? = nil,
                environment: [String: String]? = nil) throws {
        let id = UUID().uuidString
        outPath = Self.logDirectory + "/out-\(id)"
        errPath = Self.logDirectory + "/err-\(id)"
        guard FileManager.default.createFile(atPath: outPath, contents: nil),
              FileManager.default.createFile(atPath: errPath, contents: nil),
              let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            throw CocoaError(.fileWriteUnknown)
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        process.standardOutput = out
        process.standardError = err
        defer { try? out.close(); try? err.close() }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        unlink(outPath)
        unlink(errPath)
    }

    public var pid: Int32 { process.processIdentifier }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit. With a timeout, a run still going after it gets SIGTERM (uringbench
    /// then stops what it started, as on Ctrl-C), 5 s later SIGKILL, and `hung` is set.
    public func finish(timeout: Double? = nil) -> Outcome {
        var hung = false
        if let timeout {
            hung = !waitForExit(seconds: timeout)
            if hung {
                signal(SIGTERM)
                if !waitForExit(seconds: 5) { signal(SIGKILL) }
            }
        }
        process.waitUntilExit()
        let killed = process.terminationReason == .uncaughtSignal
        return Outcome(status: killed ? 128 + process.terminationStatus : process.terminationStatus,
                       stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
                       stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
                       signal: killed ? process.terminationStatus : nil, hung: hung)
    }

    /// Waits until the program catches `number` (uringbench installs its stop handler once its
    /// arguments are parsed, as its work begins) and, when `file` is given, until that path exists
    /// (a data file is renamed into place once laid out). A signal sent after this reaches the
    /// run, not its argument parsing or layout, however slow a loaded machine makes those. A
    /// bound against a hang only (`seconds`), never a timing assertion.
    public func waitUntilCatching(_ number: Int32, file: String? = nil, seconds: Double = 120) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline
                && !(catches(number) && file.map { access($0, F_OK) == 0 } ?? true) {
            usleep(10_000)
        }
    }

    /// Whether the program has a handler for `number`: its bit in SigCgt of /proc/PID/status.
    private func catches(_ number: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << UInt64(number - 1)) != 0
    }

    /// Runs to the end (or to the hang guard).
    public static func run(executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil, timeout: Double? = nil) throws -> Outcome {
        try SpawnedRun(executable: executable, arguments, in: directory, environment: environment).finish(timeout: timeout)
    }

    /// Polls for the exit; false when the process still runs after `seconds`.
    private func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        return !process.isRunning
    }
}
