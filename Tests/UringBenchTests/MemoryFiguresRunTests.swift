import Foundation
import Testing
import TestSupport
@testable import UringBench

/// The memory figures of a real run, in the result, the text report and the JSON.
@Suite(.waits) struct MemoryFiguresRunTests {
    /// A real buffered run: its figures are in the result, the text report and the JSON.
    @Test func aRunReportsItsMemoryFigures() throws {
        let size: UInt64 = 16 << 20
        let file = try TestFiles.laidOut(size: size)
        var job = TestFiles.job(.mmap, file: file, size: size, depth: 1, milliseconds: 200)
        job.direct = false
        let r = try EngineTests.runVerified(job)
        let m = try #require(r.memory)
        #expect(m.workingSetBytes == size && m.bytesReadAsked == r.bytes && m.ios == r.totalIOs)
        #expect(m.pageCache.map { $0.bytes > 0 } == true)
        // mmap's reads are page faults of this process: the mapping starts with no page mapped.
        #expect(m.counters.minorFaults + m.counters.majorFaults > 0)
        let text = FioTextReport(results: [r]).render()
        #expect(text.contains("  memory       : working set 16.0MiB = "))
        #expect(text.contains("  reclaim      : pgscan kswapd="))
        let json = try JSONSerialization.jsonObject(with: Data(try FioJSONReport(results: [r]).render().utf8)) as? [String: Any]
        let jobs = try #require(json?["jobs"] as? [[String: Any]])
        let memory = try #require((jobs.first?["uringbench"] as? [String: Any])?["memory"] as? [String: Any])
        #expect(memory["workingSetBytes"] as? UInt64 == size)
        #expect((memory["counters"] as? [String: Any])?["majorFaults"] as? UInt64 == m.counters.majorFaults)
    }
}
