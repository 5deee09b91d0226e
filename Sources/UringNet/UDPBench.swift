import CSystemShims
import Foundation
import UringBench

/// `uringbench udp`: the seed's UDP models in one table. Servers run in this process on pinned
/// threads (CPU from their own RUSAGE_THREAD), the client on another core; models are
/// interleaved over rounds like `echo`.
public enum UDPModel: String, CaseIterable, Sendable, Codable {
    case shared       // recvfrom/sendto, one socket, every server thread on it
    case reuseport    // recvfrom/sendto, a socket per thread (SO_REUSEPORT)
    case recvmmsg     // recvmmsg/sendmmsg batches, a socket per thread
    case io_uring     // a window of recvmsg/sendmsg SQEs, a socket per thread

    public func serverConfig(threads: Int, batch: Int) -> UDPServerConfig {
        var c = UDPServerConfig(engine: self == .recvmmsg ? .recvmmsg : self == .io_uring ? .io_uring : .recvfrom)
        c.threads = threads
        c.reusePort = self != .shared
        c.batch = batch
        return c
    }
}

public struct UDPBenchPlan: Sendable {
    public var models: [UDPModel] = UDPModel.allCases
    public var size = 64
    public var rounds = 5
    public var requests = 100_000
    public var serverThreads = 2
    public var clientThreads = 1
    public var socketsPerThread = 32
    public var batch = 32
    public var serverCPUs: [Int] = [0]
    public var clientCPUs: [Int] = [1]
    public var timeoutNanoseconds: UInt64 = 200_000_000
    public init() {}
}

public struct UDPCell: Sendable, Codable {
    public var model: String, round: Int
    public var qps: Double, p50Ns: UInt64, p99Ns: UInt64
    public var lossPercent: Double, lost: UInt64, corrupt: UInt64
    public var serverCPUMicrosecondsPerRequest: Double
}

public enum UDPBench {
    public static func run(_ plan: UDPBenchPlan, progress: (UDPCell, Int, Int) -> Void) throws(NetError) -> [UDPCell] {
        var cells: [UDPCell] = []
        let total = plan.rounds * plan.models.count
        for round in 0..<plan.rounds {
            for k in 0..<plan.models.count {
                if CSystemShims_stop_requested() != 0 { return cells }
                let model = plan.models[(k + round) % plan.models.count]
                var sc = model.serverConfig(threads: plan.serverThreads, batch: plan.batch)
                sc.cpus = plan.serverCPUs
                let server = try UDPServer.start(sc)
                var job = UDPQPSConfig(port: server.port)
                job.threads = plan.clientThreads
                job.socketsPerThread = plan.socketsPerThread
                job.size = plan.size
                job.timeoutNanoseconds = plan.timeoutNanoseconds
                job.cpus = plan.clientCPUs
                job.requests = max(1000, plan.requests / 10)
                let r: UDPQPSResult
                do {
                    _ = try UDPQPSClient.run(job)   // warm-up
                    job.requests = plan.requests
                    r = try UDPQPSClient.run(job)
                } catch {
                    server.stop()
                    throw error
                }
                // Server CPU covers warm-up too: it is charged per request served over both runs.
                let s = server.stop()
                let served = max(1, s.datagrams)
                let cell = UDPCell(model: model.rawValue, round: round, qps: r.qps,
                                   p50Ns: r.latency.valueAt(percentile: 50), p99Ns: r.latency.valueAt(percentile: 99),
                                   lossPercent: r.lossPercent, lost: r.lost, corrupt: r.corrupt,
                                   serverCPUMicrosecondsPerRequest: Double(s.cpuMicroseconds) / Double(served))
                cells.append(cell)
                progress(cell, cells.count, total)
            }
        }
        return cells
    }

    public static func render(_ cells: [UDPCell], models: [UDPModel]) -> String {
        let p = EchoTable.pad
        var out = p("model", 10, false) + " " + p("QPS median (min-max)", 23, false) + " " + p("p50 us", 8, true) + " " + p("p99 us", 8, true)
            + " " + p("loss %", 7, true) + " " + p("CPU us/req", 10, true) + " " + p("QPS/shared", 10, true) + "\n"
        let base = cells.filter { $0.model == UDPModel.shared.rawValue }
        let baseQPS = EchoTable.median(base.map(\.qps))
        for m in models {
            let c = cells.filter { $0.model == m.rawValue }
            guard !c.isEmpty else { continue }
            let q = EchoTable.median(c.map(\.qps)) ?? 0
            let qps = "\(EchoTable.k(q)) (\(EchoTable.k(c.map(\.qps).min() ?? 0))-\(EchoTable.k(c.map(\.qps).max() ?? 0)))"
            out += p(m.rawValue, 10, false) + " " + p(qps, 23, false)
                + " " + p(EchoTable.fixed(EchoTable.median(c.map { Double($0.p50Ns) / 1000 }), "%.1f"), 8, true)
                + " " + p(EchoTable.fixed(EchoTable.median(c.map { Double($0.p99Ns) / 1000 }), "%.1f"), 8, true)
                + " " + p(EchoTable.fixed(EchoTable.median(c.map(\.lossPercent))), 7, true)
                + " " + p(EchoTable.fixed(EchoTable.median(c.map(\.serverCPUMicrosecondsPerRequest))), 10, true) + " "
                + p(EchoTable.fixed(EchoTable.ratio(q, baseQPS), "%.2fx"), 10, true)
                + (c.contains { $0.corrupt > 0 } ? "  (corrupt replies!)" : "") + "\n"
        }
        return out
    }
}
