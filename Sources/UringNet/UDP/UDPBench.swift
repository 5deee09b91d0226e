import CSystemShims
import Foundation
import UringCore

/// `uringbench udp`: the seed's UDP models in one table. Servers run in this process on pinned
/// threads (CPU from their own RUSAGE_THREAD), the client on another core; models are
/// interleaved over rounds like `echo`, at every socket count of a sweep, closed loop (one
/// datagram in flight per socket) or open loop (`rate`: a fixed schedule, as `echo --rate`).
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
    /// Client sockets per thread; several make a sweep (one row each per model).
    public var socketCounts = [32]
    /// Open loop at this many datagrams per second in all (nil: closed loop).
    public var rate: Double? = nil
    public var batch = 32
    public var serverCPUs: [Int] = [0]
    public var clientCPUs: [Int] = [1]
    public var timeoutNanoseconds: UInt64 = 200_000_000
    public init() {}
}

public struct UDPCell: Sendable, Codable {
    public var model: String, round: Int
    public var sockets = 32                        // per client thread
    public var offeredRate: Double? = nil          // open loop: datagrams per second offered
    public var qps: Double, p50Ns: UInt64, p99Ns: UInt64
    public var p999Ns: UInt64 = 0
    public var lossPercent: Double, lost: UInt64, corrupt: UInt64
    public var serverCPUMicrosecondsPerRequest: Double
    public var clientCPUMicrosecondsPerRequest: Double? = nil
}

public enum UDPBench {
    public static func run(_ plan: UDPBenchPlan, progress: (UDPCell, Int, Int) -> Void) throws(NetError) -> [UDPCell] {
        var cells: [UDPCell] = []
        let total = plan.rounds * plan.socketCounts.count * plan.models.count
        for round in 0..<plan.rounds {
            for sockets in plan.socketCounts {
                for k in 0..<plan.models.count {
                    if StopLatch.requested { return cells }
                    let model = plan.models[(k + round) % plan.models.count]
                    let cell = try measure(plan, model: model, sockets: sockets, round: round)
                    cells.append(cell)
                    progress(cell, cells.count, total)
                }
            }
        }
        return cells
    }

    static func measure(_ plan: UDPBenchPlan, model: UDPModel, sockets: Int, round: Int) throws(NetError) -> UDPCell {
        var sc = model.serverConfig(threads: plan.serverThreads, batch: plan.batch)
        sc.cpus = plan.serverCPUs
        let server = try UDPServer.start(sc)
        var job = UDPQPSConfig(port: server.port)
        job.threads = plan.clientThreads
        job.socketsPerThread = sockets
        job.size = plan.size
        job.timeoutNanoseconds = plan.timeoutNanoseconds
        job.cpus = plan.clientCPUs
        job.rate = plan.rate ?? 0
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
        var cell = UDPCell(model: model.rawValue, round: round, qps: r.qps,
                           p50Ns: r.latency.valueAt(percentile: 50), p99Ns: r.latency.valueAt(percentile: 99),
                           lossPercent: r.lossPercent, lost: r.lost, corrupt: r.corrupt,
                           serverCPUMicrosecondsPerRequest: Double(s.cpuMicroseconds) / Double(served))
        cell.sockets = sockets
        cell.offeredRate = plan.rate
        cell.p999Ns = r.latency.valueAt(percentile: 99.9)
        cell.clientCPUMicrosecondsPerRequest = r.success > 0 ? Double(r.clientCPUMicroseconds) / Double(r.success) : nil
        return cell
    }
}

extension UDPBench {
    /// The client's sockets of the largest sweep point must fit the open-file limit.
    public static func raiseDescriptorLimit(for plan: UDPBenchPlan) throws(NetError) -> DescriptorLimit {
        try DescriptorLimit.raise(toFit: (plan.socketCounts.max() ?? 0) * plan.clientThreads, option: "--sockets")
    }
}
