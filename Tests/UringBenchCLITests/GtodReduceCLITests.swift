import Foundation
import Testing
import TestSupport

/// fio's gtod_reduce (examples/null.fio): the job runs, issues what fio issues, measures no
/// latency (the JSON's latency fields are fio's zeros, the text leaves them out) and reads the
/// clock once every 64 IOs; what needs latency is refused by name.
@Suite struct GtodReduceCLITests {
    /// fio's examples/null.fio with a size a test can run (it has size=100g).
    static let nullExample = "[global]\nbs=4k\ngtod_reduce=1\n\n[null]\nioengine=null\nsize=64m\nrw=randread\nnorandommap\n"
    /// The same on psync, whose IOs complete inside queue (the loop's other clock path).
    static let psyncJob = "[global]\nbs=4k\ngtod_reduce=1\nsize=1m\nfilename=gtod.dat\n\n[p]\nioengine=psync\nrw=randread\nloops=2\n"

    /// The file under fio and under uringbench, each in a directory of its own: the first job's
    /// JSON from each.
    static func bothJSON(_ text: String, name: String) throws -> (fio: [String: Any], ours: [String: Any]) {
        try bothJSON(fio: text, ours: text, name: name)
    }

    /// fio on one text, uringbench on another (the same job where fio cannot run ours).
    static func bothJSON(fio fioText: String, ours: String, name: String) throws -> (fio: [String: Any], ours: [String: Any]) {
        let fio = try #require(ConcurrentJobsCLITests.fio, "fio is not installed (make test installs it)")
        let base = CLITests.path("gtod-\(name)")
        defer { try? FileManager.default.removeItem(atPath: base) }
        var jobs: [[String: Any]] = []
        for tool in ["fio", "ours"] {
            let text = tool == "fio" ? fioText : ours
            let dir = base + "/" + tool
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = dir + "/job.fio"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let run = tool == "fio" ? try SpawnedRun.run(executable: fio, [path, "--output-format=json"], in: dir)
                                    : try SpawnedRun.run(executable: CLITests.uringbench, ["run", path, "--output-format", "json"], in: dir)
            #expect(run.status == 0, "\(tool): \(run.stderr)")
            jobs.append(try #require(try ConcurrentJobsCLITests.jobs(run.stdout).first))
        }
        return (jobs[0], jobs[1])
    }

    @Test(arguments: ["null", "psync"])
    func runsAsFioWithNoLatencyAndFewClockReads(engine: String) throws {
        let (theirs, ours) = try Self.bothJSON(engine == "null" ? Self.nullExample : Self.psyncJob, name: engine)
        let issued = ConcurrentJobsCLITests.ios(ours, "read")
        #expect(issued == ConcurrentJobsCLITests.ios(theirs, "read") && issued == (engine == "null" ? 16384 : 512))
        for job in [theirs, ours] {
            let read = try #require(job["read"] as? [String: Any])
            for key in ["slat_ns", "clat_ns", "lat_ns"] {
                let figures = try #require(read[key] as? [String: Any])
                #expect(figures["N"] as? Int == 0 && figures["max"] as? Int == 0 && figures["percentile"] == nil, "\(key): \(figures)")
            }
            for key in ["latency_ns", "latency_us", "latency_ms"] {
                let shares = try #require(job[key] as? [String: Double])
                #expect(shares.values.allSatisfy { $0 == 0 }, "\(key): \(shares)")
            }
        }
        // fio's ts_cache_mask: one read per 64 IOs, not one or more per IO.
        let reads = try #require((ours["uringbench"] as? [String: Any])?["clockReads"] as? Int)
        #expect(reads >= 1 && reads <= issued / 64 + 1, "\(reads) clock reads for \(issued) IOs")
    }

    @Test func theTextReportLeavesLatencyOutAsFioDoes() throws {
        let path = CLITests.path("gtod-text") + ".fio"
        defer { unlink(path) }
        try Self.nullExample.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["run", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  read: IOPS=") && r.stdout.contains("issued rwts: total=16384,0,0,0"), "\(r.stdout)")
        for absent in ["slat (", "clat (", " lat (", "clat percentiles", "lat (nsec)   :", "lat (usec)   :"] {
            #expect(!r.stdout.contains(absent), "\(absent) in \(r.stdout)")
        }
    }

    @Test(arguments: [
        ("write_lat_log=x\n", "gtod_reduce measures no latency and reads the clock only every 64 IOs, so write_lat_log"),
        ("rw=randwrite\nfsync=4\n", "--gtod-reduce measures no latency, and the syncs of --fsync"),
    ])
    func whatNeedsLatencyIsRefusedByName(extra: String, message: String) throws {
        let path = CLITests.path("gtod-refused") + ".fio"
        defer { unlink(path) }
        try (Self.psyncJob + extra).write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["run", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func compareRefusesAJobFileWithoutLatency() throws {
        let path = CLITests.path("gtod-compare") + ".fio"
        defer { unlink(path) }
        try Self.psyncJob.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["compare", "--job-file", path, "--rounds", "1"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("sets gtod_reduce=1, which measures no latency, and compare's verdicts"), "\(r.stderr)")
    }

    @Test func theCommandLineFlagActsAndRefusesLogs() throws {
        let r = try CLITests.run(["randread", "--gtod-reduce", "--number-ios", "100", "--output-format", "json"] + CLITests.small)
        #expect(r.status == 0, "\(r.stderr)")
        let job = try #require(try ConcurrentJobsCLITests.jobs(r.stdout).first)
        #expect(ConcurrentJobsCLITests.ios(job, "read") == 100)
        #expect(((job["read"] as? [String: Any])?["clat_ns"] as? [String: Any])?["N"] as? Int == 0)
        #expect((job["job options"] as? [String: String])?["gtod_reduce"] == "1")
        let logged = try CLITests.run(["randread", "--gtod-reduce", "--write-lat-log", "x"] + CLITests.small)
        #expect(logged.status != 0 && logged.stderr.contains("--gtod-reduce measures no latency"), "\(logged.stderr)")
    }
}
