import ArgumentParser
import CSystemShims
import Foundation
import Glibc
import UringBench
import UringCore

/// Standard error and the live progress line. Writes go to fd 2 directly: Swift 6 does not
/// allow the global `stderr` stream from concurrent code.
enum Terminal {
    static let stderrIsTerminal = isatty(2) == 1

    static func error(_ line: String) {
        write(2, line + "\n")
    }

    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.write(fd, base + done, raw.count - done)
            }
            if n <= 0 { if errno == EINTR { continue }; return }
            done += n
        }
    }

    /// Runs a job body with Ctrl-C latched (the runner stops and reports what it measured) and
    /// turns a `BenchError` into one line on stderr and exit status 1.
    static func run(_ body: () throws -> Void) throws {
        try? StopHandler.install()
        do {
            try body()
        } catch let error as BenchError {
            finishProgress()
            Terminal.error("uringbench: error: \(error)")
            throw ExitCode(1)
        }
    }

    /// Opens a user-named output before any work is done (see `OutputFile`); nil is standard
    /// output. A bad path is one line and exit 1.
    static func openOutput(_ path: String?, option: String = "--output") throws -> OutputFile? {
        guard let path else { return nil }
        do { return try OutputFile(path: path, option: option) } catch { throw failure(error) }
    }

    /// Opens a job's fio log files before measuring (thread numbers from `firstThreadNumber`),
    /// refused when one is a file the command reads or the report.
    static func openLogs(_ options: FioLogOptions, for job: JobSpec, firstThreadNumber: Int,
                         reading inputs: [(path: String, role: String)], report: OutputFile?) throws -> FioLogFileSet? {
        let logs: FioLogFileSet?
        do { logs = try FioLogFileSet(options: options, jobName: job.name, firstThreadNumber: firstThreadNumber, numjobs: job.numjobs) } catch { throw failure(error) }
        for file in logs?.outputs ?? [] {
            try refuse(file, ifSameAs: inputs)
            if let report, report.isSame(as: file.path) {
                throw failure("the report (--output \(report.path)) is also the log file \(file.path); give the report another name")
            }
        }
        return logs
    }

    static func writeLogs(_ logs: FioLogFileSet?) throws {
        do { try logs?.writeRecorded() } catch { throw failure(error) }
    }

    /// Refuses, before measuring, an output that is a file the command reads or writes.
    static func refuse(_ output: OutputFile?, ifSameAs inputs: [(path: String, role: String)]) throws {
        guard let output else { return }
        for input in inputs {
            do { try output.refuse(ifSameAs: input.path, role: input.role) } catch { throw failure(error) }
        }
    }

    static func emit(_ text: String, to output: OutputFile?) throws {
        guard let output else {
            write(1, text)
            return
        }
        do { try output.write(text) } catch { throw failure(error) }
    }

    /// Prints `uringbench: error: <message>` and returns exit status 1 to throw.
    static func failure(_ message: CustomStringConvertible) -> ExitCode {
        finishProgress()
        error("uringbench: error: \(message)")
        return ExitCode(1)
    }

    /// A Ctrl-C during the first job's ramp leaves no figure at all: the report says so, and
    /// the exit status too, so a script does not take an empty report for a result.
    static func failIfNothingMeasured(_ results: [RunResult]) throws {
        guard !results.isEmpty, results.allSatisfy(\.measuredNothing) else { return }
        throw failure("interrupted (\(StopCause.phrase)) during the ramp-up (--ramp-time): nothing was measured")
    }

    static let layoutProgress: DataFile.Progress = { event in
        switch event {
        case .started(let line):
            Terminal.write(2, line + (stderrIsTerminal ? "" : "\n"))
            // An error or Ctrl-C now clears the line before its own.
            if stderrIsTerminal { progressShown = true }
        case .progress(let line, let log):
            // A terminal sees the count move; a log gets a line now and then.
            if stderrIsTerminal { Terminal.write(2, "\r\u{1B}[K" + line) } else if log { Terminal.write(2, line + "\n") }
        case .finished(let line):
            progressShown = false
            Terminal.write(2, (stderrIsTerminal ? "\r\u{1B}[K" : "") + line + "\n")
        case .notice(let line):
            Terminal.write(2, line + "\n")
        }
    }

    nonisolated(unsafe) static var progressShown = false

    /// fio's status line: `Jobs: 1 (f=1): [r(1)][42.0%][r=190MiB/s][r=48.7k IOPS][eta 00m:06s]`,
    /// only when stderr is a terminal.
    static func progressLine(for job: JobSpec) -> ((ProgressSnapshot) -> Void)? {
        guard stderrIsTerminal else { return nil }
        return { snap in
            let percent = min(100, Double(snap.elapsedNanoseconds) / Double(max(1, snap.totalNanoseconds)) * 100)
            let remaining = snap.totalNanoseconds > snap.elapsedNanoseconds ? (snap.totalNanoseconds - snap.elapsedNanoseconds) / 1_000_000_000 : 0
            let eta = String(format: "%02llum:%02llus", remaining / 60, remaining % 60)
            let bw = FioNumber.string(snap.bytesPerSecond, maxLength: 4, base: 1024, unit: .bytesPerSecond)
            let iops = FioNumber.string(snap.iops, maxLength: 4, base: 1000, unit: .none)
            let phase = snap.ramping ? "/" : "r"
            let line = "Jobs: 1 (f=1): [\(phase)(1)][\(String(format: "%.1f", percent))%][r=\(bw)][r=\(iops) IOPS][eta \(eta)]"
            Terminal.write(2, "\r\u{1B}[K" + line)
            progressShown = true
        }
    }

    static func finishProgress() {
        if progressShown {
            Terminal.write(2, "\r\u{1B}[K")
            progressShown = false
        }
    }
}
