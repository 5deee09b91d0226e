import Testing
@testable import UringBench

/// The layout's progress lines (bytes, rate, time left) and how often a terminal and a log get
/// them, with the clock passed in; and the room a layout must leave on its file system.
struct LayoutProgressTests {
    static let second: UInt64 = 1_000_000_000

    @Test func aLineNamesTheBytesTheRateAndTheTimeLeft() {
        // 1 GiB of 36 GiB in 4 s: 256 MiB/s, 35 GiB left = 140 s.
        let line = LayoutProgress.line(name: "big.dat", written: 1 << 30, total: 36 << 30, elapsed: 4 * Self.second)
        #expect(line == "big.dat: laid out 1 GiB of 36 GiB (2%), 256 MiB/s, ETA 2m20s")
        #expect(LayoutProgress.line(name: "a", written: 0, total: 1 << 20, elapsed: 0) == "a: laid out 0 B of 1 MiB (0%)")
        #expect(LayoutProgress.duration(seconds: 59.2) == "1m00s")
        #expect(LayoutProgress.duration(seconds: 7322) == "2h02m")
        #expect(LayoutProgress.duration(seconds: .infinity) == "100000h00m")
    }

    @Test func aTerminalGetsALineEachSecondAndALogOneNowAndThen() {
        var progress = LayoutProgress(name: "f", total: 100 << 30, start: 0)
        var terminal = 0, logged: [UInt64] = []
        // A chunk every 100 ms for 70 s.
        for tick in UInt64(1)...700 {
            let now = tick * Self.second / 10
            guard let event = progress.event(written: tick << 20, now: now) else { continue }
            guard case .progress(_, let log) = event else { Issue.record("\(event)"); continue }
            terminal += 1
            if log { logged.append(now / Self.second) }
        }
        #expect(terminal >= 60 && terminal <= 70)
        // The first line as soon as there is one, then one per LayoutProgress.logInterval (30 s).
        #expect(logged.count == 3)
        #expect(logged.first == 1)
        #expect(zip(logged, logged.dropFirst()).allSatisfy { $1 - $0 >= 30 && $1 - $0 <= 31 })
    }

    @Test func aLayoutLeavesRoomOnItsFileSystem() {
        #expect(DataFileTarget.layoutMargin(for: 36 << 30) == 576 << 20)
        #expect(DataFileTarget.layoutMargin(for: 4 << 20) == 1 << 20)
        #expect(DataFileTarget.layoutMargin(for: .max) == UInt64.max / 64)
    }
}
