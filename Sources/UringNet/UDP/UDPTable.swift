import Foundation
import UringCore

/// The `udp` table, shaped like `echo`'s: one row per model and socket count (at the offered
/// load, if open loop); medians over rounds with min–max; server and client CPU per request; and
/// against the shared-socket model at the same point, the per-round paired ratios of QPS, server
/// CPU per request and p99 (median, min–max).
public struct UDPTable {
    public struct Row: Sendable, Codable {
        public var model: String
        public var sockets: Int
        public var offeredRate: Double?
        public var rounds: Int
        public var qpsMedian: Double, qpsMin: Double, qpsMax: Double
        public var p50Us: Double, p99Us: Double, p999Us: Double
        public var lossPercent: Double?
        public var cpuUsPerRequest: Double?
        public var clientUsPerRequest: Double?
        public var pairedQPSRatio: Spread?
        public var pairedCPURatio: Spread?
        public var pairedP99Ratio: Spread?
        public var corrupt: UInt64
    }

    public let rows: [Row]
    static let baseline = UDPModel.shared.rawValue

    public init(cells: [UDPCell], models: [UDPModel]) {
        var rows: [Row] = []
        let sockets = cells.map(\.sockets).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
        for n in sockets {
            let here = cells.filter { $0.sockets == n }
            let base = here.filter { $0.model == Self.baseline }
            for m in models {
                let c = here.filter { $0.model == m.rawValue }
                guard !c.isEmpty else { continue }
                func paired(_ metric: (UDPCell) -> Double?) -> Spread? {
                    EchoTable.pairedSpread(c, base, round: \.round, metric)
                }
                rows.append(Row(model: m.rawValue, sockets: n, offeredRate: EchoTable.median(c.compactMap(\.offeredRate)), rounds: c.count,
                                qpsMedian: EchoTable.median(c.map(\.qps)) ?? 0, qpsMin: c.map(\.qps).min() ?? 0, qpsMax: c.map(\.qps).max() ?? 0,
                                p50Us: EchoTable.median(c.map { Double($0.p50Ns) / 1000 }) ?? 0,
                                p99Us: EchoTable.median(c.map { Double($0.p99Ns) / 1000 }) ?? 0,
                                p999Us: EchoTable.median(c.map { Double($0.p999Ns) / 1000 }) ?? 0,
                                lossPercent: EchoTable.median(c.map(\.lossPercent)),
                                cpuUsPerRequest: EchoTable.median(c.map(\.serverCPUMicrosecondsPerRequest)),
                                clientUsPerRequest: EchoTable.median(c.compactMap(\.clientCPUMicrosecondsPerRequest)),
                                pairedQPSRatio: paired(\.qps), pairedCPURatio: paired(\.serverCPUMicrosecondsPerRequest),
                                pairedP99Ratio: paired { Double($0.p99Ns) },
                                corrupt: c.reduce(0) { $0 + $1.corrupt }))
            }
        }
        self.rows = rows
    }

    static let columns: [(String, Int, Bool)] = [
        ("model", 10, false), ("sockets", 7, true), ("offered", 9, true), ("QPS median (min-max)", 23, false),
        ("p50 us", 8, true), ("p99 us", 8, true), ("p99.9 us", 9, true), ("loss %", 7, true), ("CPU us/req", 10, true),
        ("cli us/req", 10, true), ("QPS/shared", 10, true), ("CPU/shared paired", 19, true), ("p99/shared paired", 19, true),
    ]

    public func render() -> String {
        var out = Self.columns.map { EchoTable.pad($0.0, $0.1, right: $0.2) }.joined(separator: " ") + "\n"
        for r in rows {
            let fields = [
                r.model, "\(r.sockets)", r.offeredRate.map { EchoTable.k($0) + "/s" } ?? "closed",
                "\(EchoTable.k(r.qpsMedian)) (\(EchoTable.k(r.qpsMin))-\(EchoTable.k(r.qpsMax)))",
                String(format: "%.1f", r.p50Us), String(format: "%.1f", r.p99Us), String(format: "%.1f", r.p999Us),
                EchoTable.fixed(r.lossPercent), EchoTable.fixed(r.cpuUsPerRequest), EchoTable.fixed(r.clientUsPerRequest),
                EchoTable.fixed(r.pairedQPSRatio?.median, "%.2fx"), EchoTable.spreadText(r.pairedCPURatio), EchoTable.spreadText(r.pairedP99Ratio),
            ]
            out += zip(fields, Self.columns).map { EchoTable.pad($0, $1.1, right: $1.2) }.joined(separator: " ")
                + (r.corrupt > 0 ? "  (corrupt replies!)" : "") + "\n"
        }
        return out
    }
}
