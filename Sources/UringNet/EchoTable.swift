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
        /// nil (JSON null, "-" in text) where no round produced the figure (e.g. /proc unreadable).
        public var cpuUsPerRequest: Double?
        public var userUsPerRequest: Double?
        public var systemUsPerRequest: Double?
        public var clientUsPerRequest: Double?
        /// Busy share of the server's and the client's core (CPU per request x QPS); near 100%
        /// on the client's side means the client, not the server, set the QPS.
        public var serverBusyPercent: Double?
        public var clientBusyPercent: Double?
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
            let baseQPS = Self.median(base.map(\.qps))
            let baseCPU = Self.median(base.compactMap(\.serverCPUMicrosecondsPerRequest))
            for engine in engines {
                let c = cells.filter { $0.engine == engine && $0.size == size }
                guard !c.isEmpty else { continue }
                let qps = Self.median(c.map(\.qps)) ?? 0
                let cpu = Self.median(c.compactMap(\.serverCPUMicrosecondsPerRequest))
                rows.append(Row(engine: engine, size: size, rounds: c.count,
                                qpsMedian: qps, qpsMin: c.map(\.qps).min() ?? 0, qpsMax: c.map(\.qps).max() ?? 0,
                                p50Us: Self.median(c.map { Double($0.p50Ns) / 1000 }) ?? 0,
                                p99Us: Self.median(c.map { Double($0.p99Ns) / 1000 }) ?? 0,
                                cpuUsPerRequest: cpu,
                                userUsPerRequest: Self.median(c.compactMap(\.serverUserMicrosecondsPerRequest)),
                                systemUsPerRequest: Self.median(c.compactMap(\.serverSystemMicrosecondsPerRequest)),
                                clientUsPerRequest: Self.median(c.compactMap(\.clientCPUMicrosecondsPerRequest)),
                                serverBusyPercent: Self.median(c.compactMap { cell in cell.serverCPUMicrosecondsPerRequest.map { $0 * cell.qps / 1e4 } }),
                                clientBusyPercent: Self.median(c.compactMap { cell in cell.clientCPUMicrosecondsPerRequest.map { $0 * cell.qps / 1e4 } }),
                                qpsRatioToEpoll: Self.ratio(qps, baseQPS),
                                pairedRatioToEpoll: Self.pairedRatio(c, base),
                                cpuRatioToEpoll: Self.ratio(cpu, baseCPU),
                                failed: c.reduce(0) { $0 + $1.failed }))
            }
        }
        self.rows = rows
    }

    static func pairedRatio(_ cells: [EchoCell], _ base: [EchoCell]) -> Double? {
        median(cells.compactMap { c in base.first { $0.round == c.round }.flatMap { ratio(c.qps, $0.qps) } })
    }

    /// a / b, or nil when either is missing or b is not a positive number (no 0/0, no inf).
    static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, a.isFinite, b.isFinite, b > 0 else { return nil }
        return a / b
    }

    /// Median of the finite samples; nil if there are none.
    static func median(_ v: [Double]) -> Double? {
        Spread(v.filter(\.isFinite))?.median
    }

    /// "%.2f" of a figure, "-" where there is none.
    public static func fixed(_ v: Double?, _ format: String = "%.2f") -> String {
        v.map { String(format: format, $0) } ?? "-"
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
            out += Self.pad(r.engine, 19) + " " + Self.pad("\(r.size) B", 7, right: true) + " " + Self.pad(qps, 23)
                + String(format: " %8.1f %8.1f ", r.p50Us, r.p99Us)
                + Self.pad("\(Self.fixed(r.cpuUsPerRequest)) (\(Self.fixed(r.userUsPerRequest))+\(Self.fixed(r.systemUsPerRequest)))", 20, right: true) + " "
                + Self.pad(Self.fixed(r.qpsRatioToEpoll, "%.2fx"), 9, right: true) + " " + Self.pad(Self.fixed(r.pairedRatioToEpoll, "%.2fx"), 7, right: true)
                + " " + Self.pad(Self.fixed(r.cpuRatioToEpoll, "%.2fx"), 9, right: true)
                + " " + Self.pad("\(Self.fixed(r.serverBusyPercent, "%.0f%%"))/\(Self.fixed(r.clientBusyPercent, "%.0f%%"))", 12, right: true)
                + (r.failed > 0 ? "  (\(r.failed) failed)" : "") + "\n"
        }
        return out
    }

    public func renderJSON() throws -> String {
        struct Doc: Encodable { var rows: [Row]; var cells: [EchoCell] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Doc(rows: rows, cells: cells)), as: UTF8.self) + "\n"
    }
}
