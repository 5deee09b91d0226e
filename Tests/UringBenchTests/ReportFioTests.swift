import Foundation
import Testing
@testable import UringBench
import TestSupport

/// Our JSON beside fio's own for the same kind of job.
@Suite(.waits) struct ReportFioTests {
    @Test func jsonKeysMatchRealFio() throws {
        // Every key fio writes for a randread job is in ours too.
        let file = try TestFiles.laidOut(size: EngineTests.size)
        let theirs = try #require(try FioProcess.json(["--name=t", "--filename=\(file)", "--size=32M", "--runtime=200ms", "--time_based",
                                                       "--ioengine=psync", "--direct=1", "--rw=randread", "--bs=4k"]),
                                  "fio is not on PATH (make test installs it)")
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(try FioJSONReport(results: [ReportFixtures.result(clat: [1000, 2000])]).render().utf8)) as? [String: Any])
        let theirJob = try #require((theirs["jobs"] as? [[String: Any]])?.first)
        let ourJob = try #require((ours["jobs"] as? [[String: Any]])?.first)
        #expect(Set(theirJob.keys).subtracting(ourJob.keys).isEmpty, "missing job keys: \(Set(theirJob.keys).subtracting(ourJob.keys))")
        let theirRead = try #require(theirJob["read"] as? [String: Any])
        let ourRead = try #require(ourJob["read"] as? [String: Any])
        #expect(Set(theirRead.keys).subtracting(ourRead.keys).isEmpty, "missing read keys: \(Set(theirRead.keys).subtracting(ourRead.keys))")
        let theirDisk = try #require((theirs["disk_util"] as? [[String: Any]])?.first)
        let ourDiskKeys = Set(["name", "read_ios", "write_ios", "read_merges", "write_merges", "read_ticks", "write_ticks", "in_queue", "util"])
        #expect(Set(theirDisk.keys).subtracting(ourDiskKeys).isEmpty)
    }
}
