import Foundation
import Testing
import TestSupport

/// `compare --direct 0,1` end to end: one interleaved run holds buffered and O_DIRECT cases,
/// each opened as its label says, each with its IOPS per second; `plot` draws one line per case.
@Suite(.serialized, .waits) struct CompareDirectCLITests {
    static let results = CLITests.dataDirectory + "/direct-list.json"

    /// mmap and psync at direct 0 and 1, two seconds each: mmap at direct 1 is skipped by name.
    /// (exit status, stdout, stderr) of the run.
    static let measured: (status: Int32, stdout: String, stderr: String)? = {
        guard let r = try? CLITests.run([
            "compare", "--engines", "mmap,psync", "--direct", "0,1", "--runtime", "2s", "--rounds", "1",
            "--filename", CLITests.dataDirectory + "/direct-list.dat", "--size", "8M", "--output", results]) else { return nil }
        return (r.status, r.stdout, r.stderr)
    }()

    static func runs() throws -> [[String: Any]] {
        let top = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: results))) as? [String: Any])
        let jobs = try #require(top["jobs"] as? [[String: Any]])
        return try jobs.map { try #require($0["uringbench"] as? [String: Any]) }
    }

    @Test func bothDirectsRunAndEachFileIsOpenedAsItsCaseSays() throws {
        let r = try #require(Self.measured)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("skipped: mmap QD1 4k: mmap with direct=1"), "\(r.stdout)")
        var seen: [String] = []
        for run in try Self.runs() {
            let job = try #require(run["job"] as? [String: Any])
            let engine = try #require(job["engine"] as? String), direct = try #require(job["direct"] as? Bool)
            seen.append("\(engine)/\(direct ? 1 : 0)")
            // Read back from the descriptor with fcntl(F_GETFL), not from the job.
            #expect(run["openedDirect"] as? Bool == direct, "\(engine) direct=\(direct): openedDirect \(run["openedDirect"] ?? "absent")")
        }
        #expect(seen == ["mmap/0", "psync/0", "psync/1"])
    }

    @Test func theSeriesHasAPointPerSecondAndCountsEveryIO() throws {
        #expect(Self.measured?.status == 0)
        for run in try Self.runs() {
            let series = try #require(run["iopsTimeSeries"] as? [String: Any])
            let points = try #require(series["iops"] as? [UInt64])
            let runtime = try #require(run["runtimeNanoseconds"] as? UInt64)
            let total = try #require(run["totalIOs"] as? UInt64)
            #expect(series["intervalMilliseconds"] as? UInt64 == 1000)
            #expect(points.count == Int(runtime / 1_000_000_000), "\(points.count) points for \(runtime) ns")
            // A 1000 ms iops line is the interval's IOs exactly: the points and the tail are every IO.
            #expect(points.reduce(0, +) + (series["iosAfterLastInterval"] as? UInt64 ?? .max) == total)
            let thirds = try #require(run["iopsThirds"] as? [String: Any])
            #expect((thirds["first"] as? Double ?? 0) > 0 && (thirds["last"] as? Double ?? 0) > 0)
        }
    }

    @Test func thePlotHasOneTimeLinePerCaseAndTheTextTheThirds() throws {
        #expect(Self.measured?.status == 0)
        let svg = CLITests.dataDirectory + "/direct-list.svg"
        let plot = try CLITests.run(["plot", Self.results, "--format", "svg", "-o", svg])
        #expect(plot.status == 0, "\(plot.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.components(separatedBy: "class=\"timeseries-line\"").count - 1 == 3)
        for label in ["mmap buffered QD1 4k", "psync buffered QD1 4k", "psync QD1 4k"] {
            #expect(text.contains("<title>\(label) IOPS per second</title>"), "no line for \(label)")
        }
        let again = try CLITests.run(["compare", "--from", Self.results])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("over time and memory"))
        #expect(again.stdout.contains("direct"))
    }

    @Test(arguments: [
        (["randread", "--direct", "0,1"], "--direct takes one value here"),
        (["compare", "--engines", "psync", "--direct", "1,1"], "--direct lists 0 and 1 at most once each"),
        (["compare", "--engines", "mmap", "--direct", "1"], "no case left to run: mmap with direct=1"),
        (["compare", "--engines", "psync", "--direct", "0,1", "--load", "50,100"], "--load and --latency-target measure one curve"),
        (["compare", "--engines", "psync", "--direct", "0,1", "--fio-plot-dir", "."], "--fio-plot-dir lays cases out"),
    ])
    func badDirectListsAreOneLine(args: [String], fragment: String) throws {
        let r = try CLITests.run(args + ["--filename", CLITests.dataDirectory + "/direct-bad.dat", "--size", "1M", "--runtime", "100ms"])
        #expect(r.status != 0)
        #expect(r.stderr.contains(fragment), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: CLITests.dataDirectory + "/direct-bad.dat"))
    }
}
