import Testing
@testable import UringNet

@Suite struct EchoTableTests {
    func cell(_ engine: String, _ size: Int, _ round: Int, qps: Double, cpu: Double) -> EchoCell {
        EchoCell(engine: engine, size: size, round: round, qps: qps, p50Ns: 1000 * UInt64(round + 1), p99Ns: 5000,
                 serverCPUMicrosecondsPerRequest: cpu, success: 10, failed: 0, serverSetup: "", serverCPUs: "0")
    }

    @Test func mediansMinMaxAndRatiosPerSize() {
        let cells = [
            cell("epoll", 64, 0, qps: 100, cpu: 5), cell("epoll", 64, 1, qps: 300, cpu: 4), cell("epoll", 64, 2, qps: 200, cpu: 6),
            cell("io_uring_multishot", 64, 0, qps: 260, cpu: 4), cell("io_uring_multishot", 64, 1, qps: 240, cpu: 4.5),
            cell("io_uring_multishot", 64, 2, qps: 250, cpu: 3.5),
            cell("epoll", 512, 0, qps: 50, cpu: 8),
        ]
        let t = EchoTable(cells: cells, engines: ["epoll", "io_uring_multishot"], sizes: [64, 512])
        #expect(t.rows.count == 3)
        let e = t.rows[0], m = t.rows[1]
        #expect(e.engine == "epoll" && e.qpsMedian == 200 && e.qpsMin == 100 && e.qpsMax == 300 && e.cpuUsPerRequest == 5)
        #expect(e.p50Us == 2)
        #expect(m.qpsMedian == 250 && m.qpsRatioToEpoll == 1.25 && m.cpuRatioToEpoll == 0.8)
        // Per-round ratios 2.6, 0.8, 1.25: their median.
        #expect(m.pairedRatioToEpoll == 1.25)
        #expect(e.pairedRatioToEpoll == 1.0)
        #expect(t.rows[2].size == 512 && t.rows[2].rounds == 1)
        let text = t.render()
        #expect(text.contains("1.25x"))
        #expect(text.contains("200 (100-300)"))
    }

    @Test func evenCountMedianAveragesTheMiddlePair() {
        #expect(EchoTable.median([4, 1, 3, 2]) == 2.5)
        #expect(EchoTable.median([Double.nan, 7]) == 7)
    }

    /// Small -n: the server's CPU is a few 10 ms ticks, and the note says so with the step size.
    @Test func cpuOfAFewTicksIsCalledQuantised() throws {
        var few = cell("epoll", 64, 0, qps: 100, cpu: 10_000)        // 10 requests × 10 ms = 100 ms: 10 ticks
        few.success = 10
        var many = cell("epoll", 64, 1, qps: 100, cpu: 100)
        many.success = 1_000_000                                      // 100 s of CPU: 10,000 ticks
        let note = try #require(EchoTable.tickNote([few, many], tickMicroseconds: 10_000))
        #expect(note.contains("in 1 of 2 measurements") && note.contains("steps of up to 1000.00 us/req"), "\(note)")
        #expect(EchoTable.tickNote([many], tickMicroseconds: 10_000) == nil)
    }

    @Test("the echo table prints no NaN, and its JSON leaves out a figure that is missing")
    func noNaNInEchoTable() throws {
        var a = EchoCell(engine: "epoll", size: 64, round: 0, qps: 1000, p50Ns: 10_000, p99Ns: 20_000,
                         serverCPUMicrosecondsPerRequest: nil, success: 10, failed: 0, serverSetup: "", serverCPUs: "0")
        a.clientCPUMicrosecondsPerRequest = 3
        var b = a
        b.engine = "io_uring"
        b.serverCPUMicrosecondsPerRequest = 0
        let t = EchoTable(cells: [a, b], engines: ["epoll", "io_uring"], sizes: [64])
        let text = t.render()
        let json = try EchoResults(table: t, command: nil, machine: nil, startedAt: nil, loadAverageBefore: nil, loadAverageAfter: nil, setup: nil).encoded()
        #expect(!text.lowercased().contains("nan") && !text.contains("inf"), "\(text)")
        #expect(!json.lowercased().contains("nan") && !json.contains("inf"), "\(json)")
        #expect(t.rows[0].cpuUsPerRequest == nil && text.contains("- (-+-)"), "\(text)")
        // 0 / missing is not a ratio.
        #expect(t.rows[1].cpuRatioToEpoll == nil)
        #expect(EchoTable.ratio(0, 0) == nil && EchoTable.ratio(1, 0) == nil && EchoTable.ratio(.nan, 1) == nil)
    }
}
