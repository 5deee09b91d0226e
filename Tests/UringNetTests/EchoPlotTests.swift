import Foundation
import Testing
@testable import UringNet

/// The echo charts: a line per engine and size, each point where its figure says, and a chart
/// only where the file has something to draw it against.
@Suite struct EchoPlotTests {
    func cell(_ engine: String, conns: Int, cpu: Double, p99Us: UInt64, rate: Double? = nil, load: Int? = nil, size: Int = 64) -> EchoCell {
        var c = EchoCell(engine: engine, size: size, round: 0, qps: 10_000, p50Ns: 1000, p99Ns: p99Us * 1000,
                         serverCPUMicrosecondsPerRequest: cpu, success: 100, failed: 0, serverSetup: "", serverCPUs: "0")
        c.connections = conns
        c.offeredRate = rate
        c.loadPercent = load
        c.clientCPUMicrosecondsPerRequest = 9
        return c
    }

    /// The `echo-point` circles of one chart, in drawing order: (cx, cy, tooltip).
    func points(_ svg: String) -> [(Double, Double, String)] {
        svg.components(separatedBy: "<circle ").dropFirst().compactMap { part in
            guard part.contains("class=\"echo-point\"") else { return nil }
            func attr(_ name: String) -> Double? {
                guard let r = part.range(of: "\(name)=\"") else { return nil }
                return Double(part[r.upperBound...].prefix { $0 != "\"" })
            }
            guard let x = attr("cx"), let y = attr("cy"), let t0 = part.range(of: "<title>"), let t1 = part.range(of: "</title>") else { return nil }
            return (x, y, String(part[t0.upperBound..<t1.lowerBound]))
        }
    }

    func results(_ cells: [EchoCell], engines: [String] = ["epoll", "io_uring_multishot"], sizes: [Int] = [64]) -> EchoResults {
        EchoResults(table: EchoTable(cells: cells, engines: engines, sizes: sizes), command: "uringbench echo", machine: nil,
                    startedAt: 0, loadAverageBefore: "1.0", loadAverageAfter: "1.1", setup: "test")
    }

    @Test func sweepChartsPlaceEachEngineAtItsFigures() throws {
        let cells = [
            cell("epoll", conns: 10, cpu: 10, p99Us: 100), cell("epoll", conns: 100, cpu: 12, p99Us: 1000), cell("epoll", conns: 1000, cpu: 14, p99Us: 10_000),
            cell("io_uring_multishot", conns: 10, cpu: 10, p99Us: 100), cell("io_uring_multishot", conns: 100, cpu: 9, p99Us: 500),
            cell("io_uring_multishot", conns: 1000, cpu: 7, p99Us: 2000),
        ]
        let plot = EchoPlot(results: results(cells))
        let charts = plot.charts()
        #expect(charts.count == 2, "closed loop only: no load charts")
        let cpu = try #require(charts.first { $0.contains("id=\"chart-echo-cpu-connections\"") })
        let p99 = try #require(charts.first { $0.contains("id=\"chart-echo-p99-connections\"") })
        #expect(cpu.components(separatedBy: "class=\"echo-line\"").count - 1 == 2)
        let cpuPoints = points(cpu)
        #expect(cpuPoints.count == 6)
        // Log connection axis: 10 → 100 → 1000 are evenly spaced.
        let xs = cpuPoints.prefix(3).map(\.0)
        #expect(abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 0.2, "\(xs)")
        // Linear CPU axis from 0: epoll at 1000 conns (14 µs) is twice as far up as multishot's 7 µs.
        let base = 340.0  // the CPU axis' 0: frame top 40 + height 300
        let epoll1000 = cpuPoints[2], ms1000 = cpuPoints[5]
        #expect(epoll1000.2.contains("epoll 64 B, 1000 conns") && epoll1000.2.contains("server 14.00 us/req"))
        #expect(ms1000.2.contains("io_uring_multishot 64 B, 1000 conns") && ms1000.2.contains("CPU/epoll paired 0.50x"))
        #expect(abs((base - epoll1000.1) - 2 * (base - ms1000.1)) < 0.5, "\(epoll1000) \(ms1000)")
        // p99 on a log axis: 100 µs → 1 ms → 10 ms evenly spaced upwards.
        let ys = points(p99).prefix(3).map(\.1)
        #expect(ys[0] > ys[1] && ys[1] > ys[2] && abs((ys[0] - ys[1]) - (ys[1] - ys[2])) < 0.2, "\(ys)")
    }

    @Test func loadChartsUseTheOfferedRate() throws {
        let cells = [
            cell("epoll", conns: 100, cpu: 20, p99Us: 50, rate: 5000, load: 50), cell("epoll", conns: 100, cpu: 15, p99Us: 400, rate: 9000, load: 90),
            cell("io_uring_multishot", conns: 100, cpu: 16, p99Us: 60, rate: 5000, load: 50),
            cell("io_uring_multishot", conns: 100, cpu: 12, p99Us: 300, rate: 9000, load: 90),
        ]
        let charts = EchoPlot(results: results(cells)).charts()
        #expect(charts.count == 2, "one connection count: no sweep charts")
        let cpu = try #require(charts.first { $0.contains("id=\"chart-echo-cpu-load\"") })
        let pts = points(cpu)
        #expect(pts.count == 4)
        // The same offered rate lands at the same x for every engine.
        #expect(pts[0].0 == pts[2].0 && pts[1].0 == pts[3].0 && pts[1].0 > pts[0].0)
        #expect(pts[1].2.contains("90% of epoll's peak = 9000/s offered"))
    }

    @Test func aSinglePointHasNoChartAndThePageSaysWhy() {
        let plot = EchoPlot(results: results([cell("epoll", conns: 100, cpu: 5, p99Us: 10)], engines: ["epoll"]))
        #expect(plot.charts().isEmpty)
        #expect(plot.renderHTML().contains("id=\"no-charts\""))
    }

    @Test func anOlderFileWithRowsAndCellsOnlyLoads() throws {
        let table = EchoTable(cells: [cell("epoll", conns: 10, cpu: 5, p99Us: 10), cell("epoll", conns: 100, cpu: 6, p99Us: 20)],
                              engines: ["epoll"], sizes: [64])
        struct Old: Encodable { var rows: [EchoTable.Row]; var cells: [EchoCell] }
        let data = try JSONEncoder().encode(Old(rows: table.rows, cells: table.cells))
        #expect(EchoResults.isEchoResults(data))
        let loaded = try EchoResults.decode(data, path: "old.json")
        #expect(loaded.rows.count == 2 && loaded.machine == nil)
        #expect(EchoPlot(results: loaded).charts().count == 2)
        #expect(!EchoResults.isEchoResults(Data("{\"format\":\"uringbench_compare\",\"rows\":[],\"cells\":[]}".utf8)))
    }
}
