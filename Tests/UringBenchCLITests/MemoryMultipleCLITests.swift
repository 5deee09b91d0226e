import Foundation
import Testing
import TestSupport

/// `--size Nxmem` from the command line: the size run is the multiple of the memory the run
/// reports, and the working set line says which multiple.
@Suite(.waits) struct MemoryMultipleCLITests {
    @Test func sizeAsAMultipleOfMemory() throws {
        let dir = try DataFileCLITests.freshDirectory("xmem")
        let out = dir + "/r.json"
        let r = try SpawnedRun.run(["randread", "--engine", "psync", "--filename", "xmem.dat", "--size", "0.0002xmem", "--runtime", "100ms",
                                    "--output-format", "json", "--output", out], in: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let job = try #require((doc?["jobs"] as? [[String: Any]])?.first)
        let memory = try #require((job["uringbench"] as? [String: Any])?["memory"] as? [String: Any])
        let cache = try #require((memory["pageCache"] as? [String: Any])?["bytes"] as? UInt64)
        let memTotal = try #require(try String(contentsOfFile: "/proc/meminfo", encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("MemTotal:") }.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { UInt64($0) })
        #expect(cache <= memTotal * 1024)
        let expected = UInt64((Double(cache) * 0.0002 / 1_048_576).rounded(.down)) << 20
        #expect(memory["workingSetBytes"] as? UInt64 == expected)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/xmem.dat")
        #expect((attributes[.size] as? NSNumber)?.uint64Value == expected)
        let bad = try SpawnedRun.run(["randread", "--size", "1.5xmemx", "--filename", "xmem.dat"], in: dir)
        #expect(bad.status != 0 && bad.stderr.contains("or a multiple of the memory the page cache may use, e.g. 1.5xmem"), "stderr: \(bad.stderr)")
    }
}
