import CSystemShims
import Foundation
import Glibc
import UringBench

/// `uringbench echo`: each server engine in turn as its own pinned process on a free loopback
/// port, driven by the in-process QPS client pinned to another core, engines interleaved over
/// rounds (round r starts with engine r mod count) so drift on a shared machine hits all alike.
public struct EchoBenchPlan: Sendable {
    public var engines: [String]                  // EchoEngine raw values, plus "nio"
    public var sizes: [Int]
    public var rounds = 5
    public var requests = 200_000
    public var warmupRequests = 10_000
    public var connections = 100
    public var clientThreads = 1
    public var serverThreads = 1
    public var serverCPU: Int? = 0
    public var clientCPU: Int? = 1
    public var uringbenchPath: String             // the binary to run `echo-server` from
    public var nioPath: String                    // nio-echo binary
    public var raw = false
    public var clientEngine: ClientEngine = .epoll

    public init(engines: [String], sizes: [Int], uringbenchPath: String, nioPath: String) {
        self.engines = engines
        self.sizes = sizes
        self.uringbenchPath = uringbenchPath
        self.nioPath = nioPath
    }
}

/// One engine × size × round measurement.
public struct EchoCell: Sendable, Codable {
    public var engine: String
    public var size: Int
    public var round: Int
    public var qps: Double
    public var p50Ns: UInt64
    public var p99Ns: UInt64
    public var serverCPUMicrosecondsPerRequest: Double
    public var serverUserMicrosecondsPerRequest: Double = .nan
    public var serverSystemMicrosecondsPerRequest: Double = .nan
    public var clientCPUMicrosecondsPerRequest: Double = .nan
    public var success: UInt64
    public var failed: UInt64
    public var serverSetup: String                // the server's own "listening" line
    public var serverCPUs: String                 // the server process's Cpus_allowed_list
}

public enum EchoBench {
    /// /proc/loadavg's 1-minute figure: other work on the machine shows here.
    public static func loadAverage() -> String {
        Syscalls.readTextFile("/proc/loadavg")?.split(separator: " ").first.map(String.init) ?? "?"
    }

    public static func validate(_ plan: EchoBenchPlan) throws(NetError) {
        for e in plan.engines where e != "nio" && EchoEngine(rawValue: e) == nil {
            throw NetError.invalidOption("unknown engine '\(e)' in --engines: use \((EchoEngine.allCases.map(\.rawValue) + ["nio"]).joined(separator: ", "))")
        }
        if plan.engines.contains("nio") && access(plan.nioPath, X_OK) != 0 {
            throw NetError.invalidOption("--engines nio needs the SwiftNIO baseline at '\(plan.nioPath)': build it with `make nio-echo` or pass --nio-binary")
        }
        guard plan.rounds >= 1 else { throw NetError.invalidOption("--rounds must be at least 1") }
        guard !plan.sizes.isEmpty else { throw NetError.invalidOption("--size needs at least one size") }
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        for cpu in [plan.serverCPU, plan.clientCPU].compactMap({ $0 }) where cpu >= cpus {
            throw NetError.invalidOption("CPU \(cpu) does not exist (this machine has \(cpus)); pass --server-cpu/--client-cpu below \(cpus), or -1 to leave unpinned")
        }
        var probe = TCPQPSConfig(port: 1)
        probe.connections = plan.connections
        probe.threads = plan.clientThreads
        probe.requests = plan.requests
        try TCPQPSClient.validate(probe)
    }

    /// Runs the plan; `progress` sees each finished cell. Ctrl-C (or `stop`) ends it after the
    /// cell in progress, returning what was measured.
    public static func run(_ plan: EchoBenchPlan, stop: StopSignal = StopSignal(),
                           progress: (EchoCell, Int, Int) -> Void) throws(NetError) -> [EchoCell] {
        try validate(plan)
        var cells: [EchoCell] = []
        let total = plan.rounds * plan.sizes.count * plan.engines.count
        for round in 0..<plan.rounds {
            let order = (0..<plan.engines.count).map { plan.engines[($0 + round) % plan.engines.count] }
            for size in plan.sizes {
                for engine in order {
                    if stop.requested || CSystemShims_stop_requested() != 0 { return cells }
                    let cell = try measure(plan, engine: engine, size: size, round: round, stop: stop)
                    // A cell cut short by Ctrl-C is not a measurement of the engine.
                    if stop.requested || CSystemShims_stop_requested() != 0 { return cells }
                    cells.append(cell)
                    progress(cell, cells.count, total)
                }
            }
        }
        return cells
    }

    static func measure(_ plan: EchoBenchPlan, engine: String, size: Int, round: Int, stop: StopSignal) throws(NetError) -> EchoCell {
        let server = try ServerProcess.launch(plan, engine: engine)
        defer { server.terminate() }
        var job = TCPQPSConfig(port: server.port)
        job.threads = plan.clientThreads
        job.connections = plan.connections
        job.sizeMin = size
        job.sizeMax = size
        job.raw = plan.raw
        job.engine = plan.clientEngine
        job.cpus = plan.clientCPU.map { [$0] } ?? []
        job.maxTimeNanoseconds = 300_000_000_000
        if plan.warmupRequests > 0 {
            job.requests = plan.warmupRequests
            _ = try TCPQPSClient.run(job, stop: stop)
        }
        job.requests = plan.requests
        var u0: Int64 = 0, s0: Int64 = 0, u1: Int64 = 0, s1: Int64 = 0
        let before = CSystemShims_process_cpu_split(server.pid, &u0, &s0)
        let r = try TCPQPSClient.run(job, stop: stop)
        let after = CSystemShims_process_cpu_split(server.pid, &u1, &s1)
        let ok = before == 0 && after == 0 && r.success > 0
        let n = Double(max(1, r.success))
        var cell = EchoCell(engine: engine, size: size, round: round, qps: r.qps,
                            p50Ns: r.latency.valueAt(percentile: 50), p99Ns: r.latency.valueAt(percentile: 99),
                            serverCPUMicrosecondsPerRequest: ok ? Double(u1 + s1 - u0 - s0) / n : .nan,
                            success: r.success, failed: r.failed,
                            serverSetup: server.banner, serverCPUs: server.allowedCPUs)
        cell.serverUserMicrosecondsPerRequest = ok ? Double(u1 - u0) / n : .nan
        cell.serverSystemMicrosecondsPerRequest = ok ? Double(s1 - s0) / n : .nan
        cell.clientCPUMicrosecondsPerRequest = r.success > 0 ? Double(r.clientCPUMicroseconds) / n : .nan
        return cell
    }
}

/// A server child process: started pinned (the child inherits this thread's CPU mask, and
/// uringbench's own server also pins each of its threads with --cpu), then asked for its port.
final class ServerProcess {
    let process: Process
    let pid: pid_t
    let port: Int
    let banner: String
    let allowedCPUs: String

    private init(process: Process, port: Int, banner: String) {
        self.process = process
        self.pid = process.processIdentifier
        self.port = port
        self.banner = banner
        let status = Syscalls.readTextFile("/proc/\(process.processIdentifier)/status") ?? ""
        allowedCPUs = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
            .map { $0.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?" } ?? "?"
    }

    static func launch(_ plan: EchoBenchPlan, engine: String) throws(NetError) -> ServerProcess {
        let p = Process()
        if engine == "nio" {
            p.executableURL = URL(fileURLWithPath: plan.nioPath)
            p.arguments = ["--port", "0", "--threads", "\(plan.serverThreads)"]
        } else {
            p.executableURL = URL(fileURLWithPath: plan.uringbenchPath)
            p.arguments = ["echo-server", "--engine", engine, "--port", "0", "--threads", "\(plan.serverThreads)"]
                + (plan.serverCPU.map { ["--cpu", "\($0)"] } ?? []) + (plan.raw ? ["--raw"] : [])
        }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.standardError
        // The child inherits the CPU mask of the thread that spawns it.
        if let cpu = plan.serverCPU { _ = CSystemShims_sched_setaffinity_one(0, Int32(cpu)) }
        do {
            try p.run()
        } catch {
            throw NetError.invalidOption("cannot start '\(p.executableURL?.path ?? "?")': \(error.localizedDescription)")
        }
        if plan.serverCPU != nil { _ = CSystemShims_sched_setaffinity_all() }
        // First line: "... listening on HOST:PORT ...", within 10 s.
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
            throw NetError.invalidOption("the \(engine) server did not report its port (got '\(banner)'); run it alone to see why")
        }
        return ServerProcess(process: p, port: port, banner: banner)
    }

    func terminate() {
        guard process.isRunning else { return }
        kill(pid, SIGINT)
        let deadline = MonotonicClock.now() + 5_000_000_000
        while process.isRunning && MonotonicClock.now() < deadline { usleep(10_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }
}
