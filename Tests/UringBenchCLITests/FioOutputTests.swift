import Foundation
import Glibc
import Testing
import TestSupport

/// Output fio's own tools read: uringbench's JSON beside a stored real fio 3.33 JSON of the same
/// job (key paths, order and types), and json+ through fio's `fio_jsonplus_clat2csv`.
@Suite(.waits) struct FioOutputTests {
    /// fio 3.33's `--output-format=json+` of the job below, unedited. Made with:
    ///   fio --name=randrw --filename=fio-fixture.dat --size=8M --rw=randrw --bs=4k \
    ///       --ioengine=io_uring --iodepth=4 --direct=1 --runtime=1s --time_based --norandommap \
    ///       --fsync=8 --output-format=json+ --output=fio-3.33-randrw-jsonplus.json
    static let fioFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots/fio-3.33-randrw-jsonplus.json").path

    static let directory: String = {
        let dir = CLITests.dataDirectory + "/fio-output"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static let clat2csv = ["/usr/bin/fio_jsonplus_clat2csv", "/usr/local/bin/fio_jsonplus_clat2csv"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The fixture's job under uringbench, json+ (the run is real: io_uring, O_DIRECT).
    static let ours: Result<(path: String, text: String), Error> = Result {
        let out = directory + "/randrw.json"
        let r = try CLITests.run(["randrw", "--engine", "io_uring", "--iodepth", "4", "--bs", "4k", "--fsync", "8",
                                  "--filename", directory + "/randrw.dat", "--size", "8M", "--runtime", "1s",
                                  "--output-format", "json+", "--output", out])
        guard r.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return (out, try String(contentsOfFile: out, encoding: .utf8))
    }

    /// Keys whose names are data, not schema (bin values, the options given), and uringbench's
    /// own keys beside fio's.
    static func dataOrOurs(_ path: String) -> Bool {
        path.contains(".bins.") || path.contains("job options.") || path.hasPrefix("global options")
            || path.contains("uringbench")
    }

    @Test func jsonPlusHasFioKeysInFioOrderWithFioTypes() throws {
        let ours = try Self.ours.get()
        let theirs = FioJSONLayout(text: try String(contentsOfFile: Self.fioFixture, encoding: .utf8)).filtered(Self.dataOrOurs)
        let mine = FioJSONLayout(text: ours.text).filtered(Self.dataOrOurs)
        #expect(theirs.count > 250, "the fixture has fio's whole layout")
        for (i, (a, b)) in zip(theirs, mine).enumerated() where a != b {
            Issue.record("entry \(i): fio writes \(a), uringbench \(b)")
            break
        }
        #expect(theirs.count == mine.count, "fio has \(theirs.count) entries, uringbench \(mine.count)")
        // Spot checks of the types item by item, so a failure reads plainly.
        let types = Dictionary(mine.map { ($0.path, $0.type) }, uniquingKeysWith: { a, _ in a })
        for key in ["read.bw_mean", "read.bw_agg", "read.iops_mean", "read.iops_stddev", "read.iops", "read.clat_ns.mean"] {
            #expect(types["jobs.[]." + key] == "float", "\(key)")
        }
        #expect(types["jobs.[].latency_percentile"] == "float")
        #expect(types["jobs.[].read.bw_min"] == "int" && types["jobs.[].read.total_ios"] == "int")
    }

    /// json+ bins: each key is the value fio gives its bucket, the counts add up to the IOs, and
    /// `fio_jsonplus_clat2csv` reads them.
    @Test func jsonPlusBinsAddUpToTheIOs() throws {
        let ours = try Self.ours.get()
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(ours.text.utf8)) as? [String: Any])
        let job = try #require((doc["jobs"] as? [[String: Any]])?.first)
        let fio = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fioFixture))) as? [String: Any])
        let fioJob = try #require((fio["jobs"] as? [[String: Any]])?.first)
        for (direction, key) in [("read", "clat_ns"), ("write", "clat_ns"), ("sync", "lat_ns")] {
            let block = try #require(job[direction] as? [String: Any])
            let lat = try #require(block[key] as? [String: Any])
            let bins = try #require(lat["bins"] as? [String: Int], "\(direction).\(key).bins")
            let total = try #require(block["total_ios"] as? Int)
            #expect(total > 0 && bins.values.reduce(0, +) == total, "\(direction): bins add up to \(bins.values.reduce(0, +)), total_ios \(total)")
            #expect(bins.keys.allSatisfy { UInt64($0) != nil })
            // fio writes no bins for slat and lat unless slat_percentiles/lat_percentiles is set.
            let fioBlock = try #require(fioJob[direction] as? [String: Any])
            for other in ["slat_ns", "lat_ns"] where other != key {
                #expect(((block[other] as? [String: Any])?["bins"] == nil) == ((fioBlock[other] as? [String: Any])?["bins"] == nil), "\(direction).\(other)")
            }
        }
    }

    @Test(.enabled(if: clat2csv != nil, "fio_jsonplus_clat2csv is not installed (Debian package fio)"))
    func clat2csvReadsJsonPlusAsItReadsFios() throws {
        let ours = try Self.ours.get()
        func csv(_ json: String, _ name: String) throws -> [String] {
            let prefix = Self.directory + "/\(name)"
            let r = try SpawnedRun.run(executable: try #require(Self.clat2csv), [json, prefix])
            #expect(r.status == 0, "\(r.stderr)")
            return try String(contentsOfFile: prefix + "_job0", encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let theirs = try csv(Self.fioFixture, "fio-csv")
        let mine = try csv(ours.path, "ub-csv")
        #expect(mine.first == theirs.first, "same columns")
        #expect(mine.count > 2, "rows of data, not only the header")
        // Column 4 is read_clat_ns_count, 13 write_clat_ns_count: their sums are the IOs.
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(ours.text.utf8)) as? [String: Any])
        let job = try #require((doc["jobs"] as? [[String: Any]])?.first)
        for (column, direction) in [(4, "read"), (13, "write")] {
            let sum = mine.dropFirst().compactMap { line -> Int? in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return fields.count > column ? Int(fields[column].trimmingCharacters(in: .whitespaces)) : nil
            }.reduce(0, +)
            #expect(sum == (job[direction] as? [String: Any])?["total_ios"] as? Int, "\(direction) counts in the CSV")
        }
    }
}
