import Foundation
import Glibc
import UringCore

/// A server child process: started pinned (the child inherits this thread's CPU mask, and
/// uringbench's own server also pins each of its threads with --cpu), then asked for its port.
final class ServerProcess {
    let process: Process
    let pid: pid_t
    let port: Int
    let banner: String
    let allowedCPUs: String
    private let output: FileHandle

    private init(process: Process, port: Int, banner: String, output: FileHandle) {
        self.process = process
        self.pid = process.processIdentifier
        self.port = port
        self.banner = banner
        self.output = output
        let status = Syscalls.readTextFile("/proc/\(process.processIdentifier)/status") ?? ""
        allowedCPUs = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
            .map { $0.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "?"
    }

    static func launch(_ plan: EchoBenchPlan, engine: String) throws(NetError) -> ServerProcess {
        if engine == "nio" {
            return try launch(executable: plan.nioPath, arguments: ["--port", "0", "--threads", "\(plan.serverThreads)"],
                              name: engine, cpu: plan.serverCPU)
        }
        let maxFrame = plan.serverMaxFrame ?? max(1 << 20, plan.sizes.max() ?? 0)
        let arguments = ["echo-server", "--engine", engine, "--port", "0", "--threads", "\(plan.serverThreads)", "--max-frame", "\(maxFrame)"]
            + (plan.serverCPU.map { ["--cpu", "\($0)"] } ?? []) + (plan.raw ? ["--raw"] : [])
        return try launch(executable: plan.uringbenchPath, arguments: arguments, name: engine, cpu: plan.serverCPU)
    }

    private static func start(_ p: Process, executable: String) throws(NetError) {
        do {
            try p.run()
        } catch {
            throw NetError.invalidOption("cannot start '\(executable)': \(error.localizedDescription)")
        }
    }

    /// Starts `executable` and waits (up to 10 s) for its first line, "... listening on HOST:PORT ...".
    static func launch(executable: String, arguments: [String], name: String, cpu: Int?) throws(NetError) -> ServerProcess {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.standardError
        // The child inherits the CPU mask of the thread that spawns it; the thread gets its own
        // mask back (a taskset or cpuset limit included) once the child has started or failed.
        if let cpu {
            let saved = Syscalls.threadAffinity.map(Int32.init)
            try? Syscalls.setThreadAffinity([Int32(cpu)])
            defer { if !saved.isEmpty { try? Syscalls.setThreadAffinity(saved) } }
            try start(p, executable: executable)
        } else {
            try start(p, executable: executable)
        }
        let fd = out.fileHandleForReading.fileDescriptor
        var line = [UInt8]()
        let deadline = MonotonicClock.now() + 10_000_000_000
        while MonotonicClock.now() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 100) <= 0 { if !p.isRunning { break }; continue }
            var byte: UInt8 = 0
            if read(fd, &byte, 1) != 1 { break }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        let banner = String(decoding: line, as: UTF8.self)
        guard let range = banner.range(of: "listening on "),
              let portText = banner[range.upperBound...].split(separator: " ").first?.split(separator: ":").last,
              let port = Int(portText) else {
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
            throw NetError.invalidOption("the \(name) server did not report its port (got '\(banner)'); run it alone to see why")
        }
        return ServerProcess(process: p, port: port, banner: banner, output: out.fileHandleForReading)
    }

    /// user+system CPU of the process so far, in microseconds (nil once /proc cannot be read).
    var cpuMicroseconds: Int64? {
        ThreadCPUTime.readProcess(pid).map { $0.userMicroseconds + $0.systemMicroseconds }
    }

    /// Resident set size from /proc/<pid>/status (VmRSS), in KiB.
    var residentKiB: Int? {
        let status = Syscalls.readTextFile("/proc/\(pid)/status") ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    /// SIGINT (uringbench servers print their summary), SIGKILL after 5 s; with `collectOutput`,
    /// returns what the server wrote to stdout after its first line.
    @discardableResult
    func terminate(collectOutput: Bool = false) -> String {
        if process.isRunning {
            kill(pid, SIGINT)
            let deadline = MonotonicClock.now() + 5_000_000_000
            while process.isRunning && MonotonicClock.now() < deadline { usleep(10_000) }
            if process.isRunning { kill(pid, SIGKILL) }
        }
        process.waitUntilExit()
        guard collectOutput else { return "" }
        // Poll with a deadline rather than read to EOF: a child spawned meanwhile elsewhere in
        // this process may have inherited the pipe's write end.
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        let fd = output.fileDescriptor
        let deadline = MonotonicClock.now() + 2_000_000_000
        while MonotonicClock.now() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) <= 0 { if bytes.isEmpty { continue } else { break } }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
