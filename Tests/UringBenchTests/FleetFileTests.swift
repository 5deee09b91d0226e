import Foundation
import Testing
@testable import UringBench
import TestSupport

/// The fleet summary's file: it round-trips, and what is not a results file is one line.
@Suite struct FleetFileTests {
    let uring = CaseKey(engine: .io_uring, iodepth: 32, blockSize: 4096)

    @Test func summaryFileRoundTrips() throws {
        let hosts = [("a", 1000), ("b", 1200), ("c", 1100)].map { name, iops in
            FleetHost(name: name, path: "results/fleet/\(name).json", results: CompareFixtures.results([(uring, [UInt64(iops)], 50_000)]))
        }
        let s = try FleetSummary.merge(hosts)
        let path = NSTemporaryDirectory() + "fleet-test-\(getpid()).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try s.render().write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try FleetSummary.loadIfFleet(path: path) == s)
    }

    @Test func notAResultsFileIsOneLine() throws {
        let path = NSTemporaryDirectory() + "fleet-bad-\(getpid()).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "hello".write(toFile: path, atomically: false, encoding: .utf8)
        do {
            _ = try FleetHost.load(path: path)
            Issue.record("a text file was accepted")
        } catch {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("is not a uringbench compare results file (not JSON)"))
        }
    }
}
