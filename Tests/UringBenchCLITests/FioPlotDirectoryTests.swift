import Foundation
import Glibc
import Testing
import TestSupport

/// `compare --fio-plot-dir`: one fio JSON per case in bench-fio's layout, each the case's
/// median round, read by fio-plot itself where it is installed (pip install fio-plot).
@Suite(.waits) struct FioPlotDirectoryTests {
    static let directory: String = {
        let dir = CLITests.dataDirectory + "/fio-plot"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static let fioPlot = ProcessInfo.processInfo.environment["PATH"].flatMap { path in
        path.split(separator: ":").map { "\($0)/fio-plot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// A real comparison: psync and io_uring, two depths, three rounds; --output keeps every run.
    static let comparison: Result<(dir: String, results: String), Error> = Result {
        let dir = directory + "/cases-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let results = dir + ".results.json"
        let r = try CLITests.run(["compare", "--engines", "psync,io_uring", "--iodepth", "1,4", "--rounds", "3", "--runtime", "300ms",
                                  "--filename", directory + "/plot.dat", "--size", "16M", "--output", results, "--fio-plot-dir", dir])
        guard r.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return (dir, results)
    }

    @Test func oneFilePerCaseInBenchFiosLayoutHoldingTheMedianRound() throws {
        let (dir, resultsPath) = try Self.comparison.get()
        // psync runs at depth 1 whatever --iodepth says: one case, not two.
        let expected = ["io_uring/4k/randread-1-1.json", "io_uring/4k/randread-4-1.json", "psync/4k/randread-1-1.json"]
        let found = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
        #expect(found == expected)
        let all = try #require(try Self.json(resultsPath)["jobs"] as? [[String: Any]])
        for relative in expected {
            let doc = try Self.json(dir + "/" + relative)
            let jobs = try #require(doc["jobs"] as? [[String: Any]])
            #expect(jobs.count == 1, "\(relative): fio-plot adds up the jobs of a file")
            let options = try #require(jobs[0]["job options"] as? [String: String])
            let parts = relative.split(separator: "/")
            #expect(options["bs"] == "4k" && options["rw"] == "randread" && options["numjobs"] == "1")
            #expect("randread-\(options["iodepth"] ?? "?")-1.json" == String(parts[2]))
            // The file's job is the round with the median IOPS among this case's rounds.
            let engine = String(parts[0]), depth = options["iodepth"]
            let rounds = all.filter { ($0["job options"] as? [String: String])?["iodepth"] == depth
                && ($0["uringbench"] as? [String: Any]).flatMap { ($0["job"] as? [String: Any])?["engine"] as? String } == engine }
            #expect(rounds.count == 3, "\(relative): \(rounds.count) rounds")
            let iops = rounds.compactMap { ($0["read"] as? [String: Any])?["iops"] as? Double }.sorted()
            let mine = try #require((jobs[0]["read"] as? [String: Any])?["iops"] as? Double)
            #expect(iops.count == 3 && mine == iops[1], "\(relative): \(mine) is not the median of \(iops)")
        }
    }

    @Test(.enabled(if: fioPlot != nil, "fio-plot is not installed (pip install fio-plot)"))
    func fioPlotDrawsTheDirectory() throws {
        let (dir, _) = try Self.comparison.get()
        let png = dir + "-compare.png"
        let r = try SpawnedRun.run(executable: try #require(Self.fioPlot),
                                   ["-i", dir + "/psync/4k", dir + "/io_uring/4k", "-T", "psync vs io_uring", "-C", "-r", "randread", "-d", "1", "-n", "1", "-o", png])
        #expect(r.status == 0, "fio-plot: \(r.stderr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
        #expect(size > 10_000, "fio-plot wrote a \(size)-byte PNG")
        let header = FileManager.default.contents(atPath: png)?.prefix(4)
        #expect(header == Data([0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func missingDirectoryAndCurvesAreRefusedBeforeMeasuring() throws {
        let missing = Self.directory + "/no-such-dir"
        let r = try CLITests.run(["compare", "--engines", "psync", "--rounds", "1", "--runtime", "5s",
                                  "--filename", Self.directory + "/plot.dat", "--size", "16M", "--fio-plot-dir", missing])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.contains("--fio-plot-dir") && r.stderr.contains("does not exist") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        let curve = try CLITests.run(["compare", "--engines", "psync", "--load", "50,100", "--runtime", "5s",
                                      "--filename", Self.directory + "/plot.dat", "--size", "16M", "--fio-plot-dir", Self.directory])
        #expect(curve.status == 1 && curve.stderr.contains("--fio-plot-dir writes one file per case"), "\(curve.stderr)")
    }
}
