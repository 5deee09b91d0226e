import Foundation
import UringCore

/// The `echo` table: one row per engine, size, connection count and offered load; medians over
/// rounds with min–max, and the comparison with epoll at the same point: ratios of medians, and
/// the median (min–max) of the per-round paired ratios of QPS, server CPU per request and p99.
public struct EchoTable {
    public struct Row: Sendable, Codable {
        public var engine: String
        public var size: Int
        public var connections: Int
        public var offeredRate: Double?          // open loop: requests per second offered (median over rounds)
        public var loadPercent: Int?
        public var rounds: Int
        public var qpsMedian: Double, qpsMin: Double, qpsMax: Double
        public var p50Us: Double, p99Us: Double, p999Us: Double
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
        /// The verdict: per-round paired ratios to epoll (this round's figure / epoll's in the
        /// same round), their median with min–max, for server CPU per request and for p99.
        public var pairedCPURatio: Spread?
        public var pairedP99Ratio: Spread?
        public var failed: UInt64
    }

    public let rows: [Row]
    public let cells: [EchoCell]

    public init(cells: [EchoCell], engines: [String], sizes: [Int]) {
        self.cells = cells
        var rows: [Row] = []
        var points: [Point] = []
        for size in sizes {
            for cell in cells where cell.size == size {
                let p = Point(size: size, connections: cell.connections, loadPercent: cell.loadPercent, rated: cell.offeredRate != nil)
                if !points.contains(p) { points.append(p) }
            }
        }
        points.sort { ($0.size, $0.connections, $0.loadPercent ?? 0) < ($1.size, $1.connections, $1.loadPercent ?? 0) }
        for point in points {
            let here = cells.filter { point.holds($0) }
            let base = here.filter { $0.engine == "epoll" }
            let baseQPS = Self.median(base.map(\.qps))
            let baseCPU = Self.median(base.compactMap(\.serverCPUMicrosecondsPerRequest))
            let size = point.size
            for engine in engines {
                let c = here.filter { $0.engine == engine }
                guard !c.isEmpty else { continue }
                let qps = Self.median(c.map(\.qps)) ?? 0
                let cpu = Self.median(c.compactMap(\.serverCPUMicrosecondsPerRequest))
                rows.append(Row(engine: engine, size: size, connections: point.connections,
                                offeredRate: Self.median(c.compactMap(\.offeredRate)), loadPercent: point.loadPercent, rounds: c.count,
                                qpsMedian: qps, qpsMin: c.map(\.qps).min() ?? 0, qpsMax: c.map(\.qps).max() ?? 0,
                                p50Us: Self.median(c.map { Double($0.p50Ns) / 1000 }) ?? 0,
                                p99Us: Self.median(c.map { Double($0.p99Ns) / 1000 }) ?? 0,
                                p999Us: Self.median(c.map { Double($0.p999Ns) / 1000 }) ?? 0,
                                cpuUsPerRequest: cpu,
                                userUsPerRequest: Self.median(c.compactMap(\.serverUserMicrosecondsPerRequest)),
                                systemUsPerRequest: Self.median(c.compactMap(\.serverSystemMicrosecondsPerRequest)),
                                clientUsPerRequest: Self.median(c.compactMap(\.clientCPUMicrosecondsPerRequest)),
                                serverBusyPercent: Self.median(c.compactMap { cell in cell.serverCPUMicrosecondsPerRequest.map { $0 * cell.qps / 1e4 } }),
                                clientBusyPercent: Self.median(c.compactMap { cell in cell.clientCPUMicrosecondsPerRequest.map { $0 * cell.qps / 1e4 } }),
                                qpsRatioToEpoll: Self.ratio(qps, baseQPS),
                                pairedRatioToEpoll: Self.pairedRatio(c, base),
                                cpuRatioToEpoll: Self.ratio(cpu, baseCPU),
                                pairedCPURatio: Self.pairedSpread(c, base, round: \.round) { $0.serverCPUMicrosecondsPerRequest },
                                pairedP99Ratio: Self.pairedSpread(c, base, round: \.round) { Double($0.p99Ns) },
                                failed: c.reduce(0) { $0 + $1.failed }))
            }
        }
        self.rows = rows
    }

    /// One point of the sweep: the rows compared with each other.
    struct Point: Equatable {
        var size: Int, connections: Int, loadPercent: Int?, rated: Bool
        func holds(_ c: EchoCell) -> Bool {
            c.size == size && c.connections == connections && c.loadPercent == loadPercent && (c.offeredRate != nil) == rated
        }
    }

    /// Median and range of the per-round ratios of `metric` to the baseline's in the same round.
    static func pairedSpread<Cell>(_ cells: [Cell], _ base: [Cell], round: (Cell) -> Int, _ metric: (Cell) -> Double?) -> Spread? {
        Spread(cells.compactMap { c in base.first { round($0) == round(c) }.flatMap { ratio(metric(c), metric($0)) } })
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
        FioNumber.string(UInt64(saturating: v), maxLength: 4, base: 1000, unit: .none)
    }

    /// Foundation on Linux ignores widths on %@, so columns are padded here.
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }

    /// The columns: title, width in text, right-aligned.
    static let columns: [(String, Int, Bool)] = [
        ("engine", 19, false), ("size", 7, true), ("conns", 6, true), ("offered", 11, true), ("QPS median (min-max)", 23, false),
        ("p50 us", 8, true), ("p99 us", 8, true), ("p99.9 us", 9, true), ("CPU us/req (usr+sys)", 20, true),
        ("cli us/req", 10, true), ("QPS/epoll", 9, true), ("CPU/epoll paired", 19, true), ("p99/epoll paired", 19, true), ("busy srv/cli", 12, true),
    ]

    public static var headers: [String] { columns.map(\.0) }

    /// One row's cells, in the order of `headers` (the text table and the plot page's table).
    public static func cells(_ r: Row) -> [String] {
        let offered = r.loadPercent.map { "\($0)%=\(k(r.offeredRate ?? 0))" } ?? r.offeredRate.map { k($0) + "/s" } ?? "closed"
        return [
            r.engine, "\(r.size) B", "\(r.connections)", offered,
            "\(k(r.qpsMedian)) (\(k(r.qpsMin))-\(k(r.qpsMax)))",
            String(format: "%.1f", r.p50Us), String(format: "%.1f", r.p99Us), String(format: "%.1f", r.p999Us),
            "\(fixed(r.cpuUsPerRequest)) (\(fixed(r.userUsPerRequest))+\(fixed(r.systemUsPerRequest)))",
            fixed(r.clientUsPerRequest),
            fixed(r.pairedRatioToEpoll, "%.2fx"), spreadText(r.pairedCPURatio), spreadText(r.pairedP99Ratio),
            "\(fixed(r.serverBusyPercent, "%.0f%%"))/\(fixed(r.clientBusyPercent, "%.0f%%"))",
        ]
    }

    public func render() -> String {
        let columns = Self.columns
        var out = columns.map { Self.pad($0.0, $0.1, right: $0.2) }.joined(separator: " ") + "\n"
        for r in rows {
            out += zip(Self.cells(r), columns).map { Self.pad($0, $1.1, right: $1.2) }.joined(separator: " ")
                + (r.failed > 0 ? "  (\(r.failed) failed)" : "") + "\n"
        }
        return out
    }

    /// Server CPU is read from /proc/<pid>/stat in clock ticks (10 ms at USER_HZ 100): a
    /// measurement that used only a few ticks has a CPU per request quantised to a tick over
    /// its requests. A note naming how many measurements were that coarse, or nil.
    public static func tickNote(_ cells: [EchoCell], tickMicroseconds: Double = 1e6 / Double(max(1, sysconf(Int32(_SC_CLK_TCK)))),
                                fewTicks: Double = 20) -> String? {
        let coarse = cells.filter { c in
            guard let perRequest = c.serverCPUMicrosecondsPerRequest, c.success > 0 else { return false }
            return perRequest * Double(c.success) < fewTicks * tickMicroseconds
        }
        guard let worst = coarse.max(by: { tickMicroseconds / Double($0.success) < tickMicroseconds / Double($1.success) }) else { return nil }
        let step = tickMicroseconds / Double(worst.success)
        return String(format: "note: in %d of %d measurements the server used fewer than %.0f clock ticks (%.0f ms each) of CPU, so CPU us/req moves in steps of up to %.2f us/req there (one tick over the requests); raise -n for a finer figure",
                      coarse.count, cells.count, fewTicks, tickMicroseconds / 1000, step)
    }

    /// "0.85x (0.80-0.91)": a paired ratio's median and range over rounds.
    static func spreadText(_ s: Spread?) -> String {
        guard let s else { return "-" }
        return String(format: "%.2fx (%.2f-%.2f)", s.median, s.min, s.max)
    }
}
