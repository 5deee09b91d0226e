import Foundation
import Testing
import TestSupport
@testable import UringBench

/// Results files are input to `compare --from`, `--against` and `plot`: a real file from a short
/// compare run, corrupted the ways a hand edit or a crafted file can. Each must be one line
/// naming the file and the field, exit 1 — never a trap (bucket counts near 2^64 were SIGILL).
@Suite(.serialized, .waits) struct ResultsFileInputTests {
    /// A results file measured now: psync and libaio, one round of 100 ms, buffered.
    static let measured: String? = {
        let dir = CLITests.path("results")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try? SpawnedRun.run(executable: CLITests.uringbench, ["compare", "--engines", "psync,libaio", "--iodepth", "4", "--runtime", "100ms",
                                                 "--rounds", "1", "--size", "4M", "--direct", "0", "--filename", dir + "/d.dat",
                                                 "--output", dir + "/r.json"])
        return r?.status == 0 ? dir + "/r.json" : nil
    }()

    typealias Edit = @Sendable (inout [String: Any]) -> Void

    /// The first run's `uringbench` object, edited in place.
    static func run(_ edit: @escaping @Sendable (inout [String: Any]) -> Void) -> Edit {
        { top in
            var jobs = top["jobs"] as! [[String: Any]]
            var r = jobs[0]["uringbench"] as! [String: Any]
            edit(&r)
            jobs[0]["uringbench"] = r
            top["jobs"] = jobs
        }
    }
    static func histogram(_ name: String, _ edit: @escaping @Sendable (inout [String: Any]) -> Void) -> Edit {
        run { r in
            var h = r[name] as! [String: Any]
            edit(&h)
            r[name] = h
        }
    }

    /// (what, edit of the parsed file, text substitution after it, fragment the error must contain)
    static let corruptions: [(String, Edit, (String, String)?, String)] = [
        ("bucket counts summing past 2^64", histogram("clat") { h in h["buckets"] = [[300, UInt64(1) << 63], [301, UInt64(1) << 63]]; h["count"] = 0 }, nil,
         "jobs[0].uringbench.clat.buckets: bucket counts add up past 2^64"),
        ("a count near 2^64", histogram("clat") { h in h["buckets"] = [[300, UInt64.max]]; h["count"] = UInt64.max }, nil,
         "jobs[0].uringbench.clat.count is 18446744073709551615"),
        ("a negative bucket count", histogram("lat") { h in h["buckets"] = [[300, -5]]; h["count"] = 0 }, nil,
         "jobs[0].uringbench.lat.buckets[0][1] is -5"),
        ("counts that do not add up", histogram("clat") { h in h["count"] = 1 }, nil,
         "jobs[0].uringbench.clat.count: bucket counts add up to"),
        ("min above max", histogram("clat") { h in h["min"] = UInt64.max; h["max"] = 0 }, nil, "jobs[0].uringbench.clat.min: min"),
        ("a missing key", run { r in r["clat"] = nil }, nil, "missing 'clat' at jobs[0].uringbench"),
        ("a wrong type", run { r in r["totalIOs"] = "many" }, nil, "jobs[0].uringbench.totalIOs"),
        ("an infinite sample", run { r in r["iopsSamples"] = [12345.5] }, ("12345.5", "1e999"), "in 'iopsSamples'"),
        ("NaN", histogram("clat") { h in h["sum"] = 12345.5 }, ("12345.5", "NaN"), "in 'sum'"),
        ("a huge sample", run { r in r["bandwidthSamples"] = [1e300] }, nil, "jobs[0].uringbench.bandwidthSamples[0] is 1e+300"),
        ("a runtime near 2^64", run { r in r["runtimeNanoseconds"] = UInt64.max }, nil, "jobs[0].uringbench.runtimeNanoseconds is 18446744073709551615"),
        ("IOs whose bytes overflow", run { r in r["totalIOs"] = UInt64(1) << 52; r["bytes"] = 0 }, nil, "jobs[0].uringbench.bytes is 0, but totalIOs × bs"),
        ("a negative block size", run { r in var j = r["job"] as! [String: Any]; j["blockSize"] = -4096; r["job"] = j }, nil,
         "jobs[0].uringbench.job.blockSize is -4096"),
        ("an absurd depth", run { r in var j = r["job"] as! [String: Any]; j["iodepth"] = Int64(1) << 62; r["job"] = j }, nil,
         "jobs[0].uringbench.job: --iodepth must be a whole number from 1 to 65536"),
        ("a time series longer than its run", run { r in r["iopsTimeSeries"] = ["intervalMilliseconds": 1000, "iops": [UInt64](repeating: 1, count: 100_000), "iosAfterLastInterval": 0] }, nil,
         "jobs[0].uringbench.iopsTimeSeries.iops has 100000 points, more than the 1 intervals"),
        ("a negative point", run { r in r["iopsTimeSeries"] = ["intervalMilliseconds": 1000, "iops": [-5], "iosAfterLastInterval": 0] }, nil,
         "jobs[0].uringbench.iopsTimeSeries.iops[0] is -5"),
        ("a NaN point", run { r in r["iopsTimeSeries"] = ["intervalMilliseconds": 1000, "iops": [7654321], "iosAfterLastInterval": 0] }, ("7654321", "NaN"),
         "in 'iops'"),
        ("a point past any run", run { r in r["iopsTimeSeries"] = ["intervalMilliseconds": 1000, "iops": [UInt64(1) << 40], "iosAfterLastInterval": 0] }, nil,
         "jobs[0].uringbench.iopsTimeSeries.iops[0] is 1099511627776, above"),
        ("points counting more IOs than the run", run { r in r["iopsTimeSeries"] = ["intervalMilliseconds": 1000, "iops": [UInt64(1) << 30], "iosAfterLastInterval": 0] }, nil,
         "jobs[0].uringbench.iopsTimeSeries.iops counts 1073741824 IOs"),
        ("an interval of 0 ms", run { r in r["iopsTimeSeries"] = ["intervalMilliseconds": 0, "iops": [], "iosAfterLastInterval": 0] }, nil,
         "jobs[0].uringbench.iopsTimeSeries.intervalMilliseconds is 0"),
        ("a round outside the plan", { top in var b = top["uringbench_compare"] as! [String: Any]; b["rounds"] = [Int64.max, 1]; top["uringbench_compare"] = b }, nil,
         "uringbench_compare.rounds[0] is 9223372036854775807"),
        ("rounds near 2^62 in the plan", { top in
            var b = top["uringbench_compare"] as! [String: Any]; var p = b["plan"] as! [String: Any]
            p["rounds"] = Int64(1) << 62; b["plan"] = p; top["uringbench_compare"] = b }, nil,
         "uringbench_compare.plan: --rounds must be from 1 to 1000"),
    ]

    @Test func corruptFilesAreOneLineNamingFileAndField() throws {
        let measured = try #require(Self.measured, "the compare run that writes the results file failed")
        let original = try Data(contentsOf: URL(fileURLWithPath: measured))
        // The untouched file loads: what follows is the corruption, not the file.
        for command in [["compare", "--from"], ["plot"]] {
            let ok = try SpawnedRun.run(executable: CLITests.uringbench, command + [measured])
            #expect(ok.status == 0, "\(command) on the measured file: \(ok.stderr)")
        }
        for (what, edit, text, fragment) in Self.corruptions {
            var top = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
            edit(&top)
            var json = String(decoding: try JSONSerialization.data(withJSONObject: top), as: UTF8.self)
            if let (from, to) = text { json = json.replacingOccurrences(of: from, with: to) }
            let path = CLITests.path("corrupt") + ".json"
            try json.write(toFile: path, atomically: false, encoding: .utf8)
            defer { unlink(path) }
            for command in [["compare", "--from"], ["plot"]] {
                let r = try SpawnedRun.run(executable: CLITests.uringbench, command + [path])
                let label = "\(command.joined(separator: " ")) with \(what): exit \(r.status): \(r.stderr)"
                #expect(r.status == 1, "\(label)")
                #expect(r.stderr.hasPrefix("uringbench: error: '\(path)' is truncated or corrupt ("), "\(label)")
                #expect(r.stderr.contains(fragment), "\(label)")
                #expect(r.stderr.split(separator: "\n").count == 1, "\(label)")
                #expect(r.stdout.isEmpty, "\(label)")
            }
        }
    }
}
