import Foundation
import Glibc
import UringCore

/// `uringbench echo`: each server engine in turn as its own pinned process on a free loopback
/// port, driven by the in-process QPS client pinned to another core, engines interleaved over
/// rounds (round r starts with engine r mod count) so drift on a shared machine hits all alike.
public struct EchoBenchPlan: Sendable {
    public var engines: [String]                  // EchoEngine raw values, plus "nio"
    public var sizes: [Int]
    public var rounds = 5
    public var requests = 200_000
    public var warmupRequests = 10_000
    /// Client connections per measurement; several make a sweep (one row each per engine).
    public var connectionCounts = [100]
    /// Open loop at this many requests per second (nil: closed loop).
    public var rate: Double? = nil
    /// Open loop at these percentages of epoll's closed-loop peak, measured first in the same run
    /// at each size and connection count (empty: no load sweep).
    public var loads: [Int] = []
    public var clientThreads = 1
    public var serverThreads = 1
    public var serverCPU: Int? = 0
    public var clientCPU: Int? = 1
    public var uringbenchPath: String             // the binary to run `echo-server` from
    public var nioPath: String                    // nio-echo binary
    public var raw = false
    public var clientEngine: ClientEngine = .epoll
    /// The uringbench servers' --max-frame; nil: the largest payload (at least their 1 MiB default).
    public var serverMaxFrame: Int? = nil

    public init(engines: [String], sizes: [Int], uringbenchPath: String, nioPath: String) {
        self.engines = engines
        self.sizes = sizes
        self.uringbenchPath = uringbenchPath
        self.nioPath = nioPath
    }
}

/// One engine × size × connection count × offered load × round measurement.
public struct EchoCell: Sendable, Codable {
    public var engine: String
    public var size: Int
    public var round: Int
    public var connections = 100
    public var offeredRate: Double? = nil         // open loop: requests per second offered; nil: closed loop
    public var loadPercent: Int? = nil            // --load: the share of epoll's peak offered
    public var qps: Double
    public var p50Ns: UInt64
    public var p99Ns: UInt64
    public var p999Ns: UInt64 = 0
    /// nil when the server's /proc/<pid>/stat could not be read (never NaN: JSON gets null).
    public var serverCPUMicrosecondsPerRequest: Double?
    public var serverUserMicrosecondsPerRequest: Double? = nil
    public var serverSystemMicrosecondsPerRequest: Double? = nil
    public var clientCPUMicrosecondsPerRequest: Double? = nil
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
        guard !plan.connectionCounts.isEmpty, plan.connectionCounts.allSatisfy({ $0 >= 1 }) else {
            throw NetError.invalidOption("-c needs connection counts of at least 1, such as 100 or 10,100,1000")
        }
        guard plan.rate == nil || plan.loads.isEmpty else { throw NetError.invalidOption("--rate and --load both set the offered load: pass one of them") }
        guard plan.loads.allSatisfy({ (1...100).contains($0) }) else { throw NetError.invalidOption("--load takes percentages of epoll's peak from 1 to 100, such as 25,50,75,90") }
        guard plan.loads.isEmpty || plan.engines.contains("epoll") else { throw NetError.invalidOption("--load is relative to epoll's peak: add epoll to --engines") }
        var probe = TCPQPSConfig(port: 1)
        probe.connections = 1
        probe.threads = plan.clientThreads
        probe.requests = plan.requests
        probe.engine = plan.clientEngine
        probe.sizeMin = plan.sizes.max() ?? 0
        probe.sizeMax = probe.sizeMin
        probe.rate = plan.rate ?? (plan.loads.isEmpty ? 0 : 1)
        try TCPQPSClient.validate(probe)
    }

    /// The open-file limit a plan needs (the largest connection count, plus room for the
    /// process's own descriptors): the soft limit is raised to it within the hard limit, and a
    /// count above the hard limit is refused. The server children inherit the raised limit.
    public static func raiseDescriptorLimit(for plan: EchoBenchPlan) throws(NetError) -> DescriptorLimit {
        try DescriptorLimit.raise(toFit: plan.connectionCounts.max() ?? 0, option: "-c")
    }

    /// Runs the plan; `progress` sees each finished cell. Ctrl-C (or `stop`) ends it after the
    /// cell in progress, returning what was measured.
    public static func run(_ plan: EchoBenchPlan, stop: StopSignal = StopSignal(),
                           progress: (EchoCell, Int, Int) -> Void) throws(NetError) -> [EchoCell] {
        try validate(plan)
        var cells: [EchoCell] = []
        let loads: [Int?] = plan.loads.isEmpty ? [nil] : plan.loads
        let total = plan.rounds * plan.sizes.count * plan.connectionCounts.count * loads.count * plan.engines.count
        // --load: epoll's closed-loop peak at each size and connection count, before any round.
        var peaks: [String: Double] = [:]
        if !plan.loads.isEmpty {
            for size in plan.sizes {
                for connections in plan.connectionCounts {
                    guard let peak = try measure(plan, engine: "epoll", size: size, connections: connections, rate: nil,
                                                 round: -1, stop: stop) else { return cells }
                    peaks["\(size)/\(connections)"] = peak.qps
                }
            }
        }
        for round in 0..<plan.rounds {
            let order = (0..<plan.engines.count).map { plan.engines[($0 + round) % plan.engines.count] }
            for size in plan.sizes {
                for connections in plan.connectionCounts {
                    for load in loads {
                        let rate = load.map { Double($0) / 100 * (peaks["\(size)/\(connections)"] ?? 0) } ?? plan.rate
                        for engine in order {
                            if stop.requested || StopLatch.requested { return cells }
                            // A cell cut short by Ctrl-C (nil) is not a measurement of the engine.
                            guard var cell = try measure(plan, engine: engine, size: size, connections: connections, rate: rate,
                                                         round: round, stop: stop) else { return cells }
                            cell.loadPercent = load
                            cells.append(cell)
                            progress(cell, cells.count, total)
                        }
                    }
                }
            }
        }
        return cells
    }

    static func measure(_ plan: EchoBenchPlan, engine: String, size: Int, connections: Int, rate: Double?,
                        round: Int, stop: StopSignal) throws(NetError) -> EchoCell? {
        let server = try ServerProcess.launch(plan, engine: engine)
        defer { server.terminate() }
        var job = TCPQPSConfig(port: server.port)
        job.threads = plan.clientThreads
        job.connections = connections
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
        job.rate = rate ?? 0
        let before = ThreadCPUTime.readProcess(server.pid)
        let r = try TCPQPSClient.run(job, stop: stop)
        let after = ThreadCPUTime.readProcess(server.pid)
        if stop.requested || StopLatch.requested { return nil }
        try requireSuccess(r, what: "echo: the \(engine) server at \(size) B, \(connections) connections", raw: plan.raw)
        let ok = before != nil && after != nil
        let (u0, s0) = (before?.userMicroseconds ?? 0, before?.systemMicroseconds ?? 0)
        let (u1, s1) = (after?.userMicroseconds ?? 0, after?.systemMicroseconds ?? 0)
        let n = Double(r.success)
        var cell = EchoCell(engine: engine, size: size, round: round, qps: r.qps,
                            p50Ns: r.latency.valueAt(percentile: 50), p99Ns: r.latency.valueAt(percentile: 99),
                            serverCPUMicrosecondsPerRequest: ok ? Double(u1 + s1 - u0 - s0) / n : nil,
                            success: r.success, failed: r.failed,
                            serverSetup: server.banner, serverCPUs: server.allowedCPUs)
        cell.connections = connections
        cell.offeredRate = rate
        cell.p999Ns = r.latency.valueAt(percentile: 99.9)
        cell.serverUserMicrosecondsPerRequest = ok ? Double(u1 - u0) / n : nil
        cell.serverSystemMicrosecondsPerRequest = ok ? Double(s1 - s0) / n : nil
        cell.clientCPUMicrosecondsPerRequest = Double(r.clientCPUMicroseconds) / n
        return cell
    }

    /// A measurement in which no request succeeded measured nothing: it stops the run with the
    /// failures' breakdown instead of becoming a row of zeros.
    public static func requireSuccess(_ r: TCPQPSResult, what: String, raw: Bool) throws(NetError) {
        guard r.success == 0 && !r.interrupted else { return }
        let failed = r.failed + r.notRun + r.inFlightAtEnd
        throw NetError.allRequestsFailed(
            what: what, failed: failed,
            breakdown: "timeout=\(r.timeouts), corrupt=\(r.corrupt), conn_error=\(r.connectionErrors), in_flight_at_end=\(r.inFlightAtEnd), not_sent=\(r.notRun)",
            hint: r.connectionErrors > 0 && !raw
                ? "the server closed the connections: a frame above its --max-frame, or it stopped; run it alone (uringbench echo-server) to see its summary"
                : "the server did not answer in time; run it alone (uringbench echo-server) and check it with tcp-qps")
    }
}
