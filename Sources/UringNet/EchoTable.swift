import Foundation
import UringBench

/// The `echo` table: one row per engine and size, medians over rounds with min–max, and the
/// ratio of the median QPS (and server CPU per request) to epoll's at the same size.
public struct EchoTable {
    public struct Row: Sendable, Codable {
        public var engine: String
        public var size: Int
        public var rounds: Int
        public var qpsMedian: Double, qpsMin: Double, qpsMax: Double
        public var p50Us: Double, p99Us: Double
        public var cpuUsPerRequest: Double
        public var userUsPerRequest: Double
        public var systemUsPerRequest: Double
        public var clientUsPerRequest: Double
        /// Busy share of the server's and the client's core (CPU per request x QPS); near 100%
        /// on the client's side means the client, not the server, set the QPS.
        public var serverBusyPercent: Double
        public var clientBusyPercent: Double
        public var qpsRatioToEpoll: Double?
        /// Median over rounds of this round's QPS / epoll's QPS in the same round: the cells of a
        /// round run back to back, so a burst of outside load hits both sides of each ratio.
        public var pairedRatioToEpoll: Double?
        public var cpuRatioToEpoll: Double?
        public var failed: UInt64
    }

    public let rows: [Row]
    public let cells: [EchoCell]

    public init(cells: [EchoCell], engines: [String], sizes: [Int]) {
        self.cells = cells
        var rows: [Row] = []
        for size in sizes {
            let base = cells.filter { $0.engine == "epoll" && $0.size == size }
            let baseQPS = base.isEmpty ? nil : Self.median(base.map(\.qps))
            let baseCPU = base.isEmpty ? nil : Self.median(base.map(\.serverCPUMicrosecondsPerRequest))
            for engine in engines {
                let c = cells.filter { $0.engine == engine && $0.size == size }
                guard !c.isEmpty else { continue }
                let qps = Self.median(c.map(\.qps))
                let cpu = Self.median(c.map(\.serverCPUMicrosecondsPerRequest))
                rows.append(Row(engine: engine, size: size, rounds: c.count,
                                qpsMedian: qps, qpsMin: c.map(\.qps).min() ?? 0, qpsMax: c.map(\.qps).max() ?? 0,
                                p50Us: Self.median(c.map { Double($0.p50Ns) / 1000 }),
                                p99Us: Self.median(c.map { Double($0.p99Ns) / 1000 }),
                                cpuUsPerRequest: cpu,
                                userUsPerRequest: Self.median(c.map(\.serverUserMicrosecondsPerRequest)),
                                systemUsPerRequest: Self.median(c.map(\.serverSystemMicrosecondsPerRequest)),
                                clientUsPerRequest: Self.median(c.map(\.clientCPUMicrosecondsPerRequest)),
                                serverBusyPercent: Self.median(c.map { $0.serverCPUMicrosecondsPerRequest * $0.qps / 1e4 }),
                                clientBusyPercent: Self.median(c.map { $0.clientCPUMicrosecondsPerRequest * $0.qps / 1e4 }),
                                qpsRatioToEpoll: baseQPS.map { qps / $0 },
                                pairedRatioToEpoll: Self.pairedRatio(c, base),
                                cpuRatioToEpoll: baseCPU.map { cpu / $0 },
                                failed: c.reduce(0) { $0 + $1.failed }))
            }
        }
        self.rows = rows
    }

    static func pairedRatio(_ cells: [EchoCell], _ base: [EchoCell]) -> Double? {
        let ratios = cells.compactMap { c in base.first { $0.round == c.round }.map { c.qps / $0.qps } }
        return ratios.isEmpty ? nil : median(ratios)
    }

    /// Median of the finite samples (NaN marks a round that produced no figure); NaN if none.
    static func median(_ v: [Double]) -> Double {
        Spread(v.filter { !$0.isNaN })?.median ?? .nan
    }

    static func k(_ v: Double) -> String {
        FioNumber.string(UInt64(max(0, v)), maxLength: 4, base: 1000, unit: .none)
    }

    /// Foundation on Linux ignores widths on %@, so columns are padded here.
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }

    public func render() -> String {
        var out = Self.pad("engine", 19) + " " + Self.pad("size", 7, right: true) + " " + Self.pad("QPS median (min-max)", 23)
            + " " + Self.pad("p50 us", 8, right: true) + " " + Self.pad("p99 us", 8, right: true) + " " + Self.pad("CPU us/req (usr+sys)", 20, right: true)
            + " " + Self.pad("QPS/epoll", 9, right: true) + " " + Self.pad("paired", 7, right: true) + " " + Self.pad("CPU/epoll", 9, right: true)
            + " " + Self.pad("busy srv/cli", 12, right: true) + "\n"
        for r in rows {
            let qps = "\(Self.k(r.qpsMedian)) (\(Self.k(r.qpsMin))-\(Self.k(r.qpsMax)))"
            let ratio = r.qpsRatioToEpoll.map { String(format: "%.2fx", $0) } ?? "-"
            let cpuRatio = r.cpuRatioToEpoll.map { $0.isNaN ? "-" : String(format: "%.2fx", $0) } ?? "-"
            out += Self.pad(r.engine, 19) + " " + Self.pad("\(r.size) B", 7, right: true) + " " + Self.pad(qps, 23)
                + String(format: " %8.1f %8.1f ", r.p50Us, r.p99Us)
                + Self.pad(String(format: "%.2f (%.2f+%.2f)", r.cpuUsPerRequest, r.userUsPerRequest, r.systemUsPerRequest), 20, right: true) + " "
                + Self.pad(ratio, 9, right: true) + " " + Self.pad(r.pairedRatioToEpoll.map { String(format: "%.2fx", $0) } ?? "-", 7, right: true)
                + " " + Self.pad(cpuRatio, 9, right: true)
                + " " + Self.pad(String(format: "%.0f%%/%.0f%%", r.serverBusyPercent, r.clientBusyPercent), 12, right: true)
                + (r.failed > 0 ? "  (\(r.failed) failed)" : "") + "\n"
        }
        return out
    }

    public func renderJSON() throws -> String {
        struct Doc: Encodable { var rows: [Row]; var cells: [EchoCell] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(Doc(rows: rows, cells: cells)), as: UTF8.self) + "\n"
    }
}
