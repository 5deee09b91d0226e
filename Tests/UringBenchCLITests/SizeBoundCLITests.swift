import Foundation
import Glibc
import Testing
import TestSupport

/// Size-bound runs from the command line: --io-size, --number-ios and --loops end the run, the
/// report says how it ended, and what cannot act together is refused by name.
@Suite(.waits) struct SizeBoundCLITests {
    static let data = ["--filename", CLITests.dataDirectory + "/size-bound.dat", "--size", "1M", "--engine", "psync"]

    @Test func ioSizeEndsTheRunAndTheReportSaysSo() throws {
        let r = try CLITests.run(["randread", "--io-size", "3M"] + Self.data)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("issued rwts: total=768,0,0,0"), "\(r.stdout)")
        #expect(r.stdout.contains("  ended        : io limit reached (io_size 3072KiB), no runtime cap"), "\(r.stdout)")
        let json = try CLITests.run(["randread", "--number-ios", "10", "--loops", "3", "--output-format", "json"] + Self.data)
        #expect(json.status == 0, "stderr: \(json.stderr)")
        let job = try #require(((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["jobs"] as? [[String: Any]])?.first)
        #expect((job["read"] as? [String: Any])?["total_ios"] as? Int == 30)
        #expect((job["uringbench"] as? [String: Any])?["ending"] as? String == "io_limit")
        let options = try #require(job["job options"] as? [String: String])
        #expect(options["time_based"] == nil && options["number_ios"] == "10" && options["loops"] == "3")
    }

    @Test(arguments: [
        (["--time-based", "--io-size", "3M"], "--io-size ends a size-bound run, and --time-based runs for --runtime"),
        (["--loops", "0"], "--loops"),
        (["--number-ios", "0"], "--number-ios"),
        (["--runtime", "0"], "--runtime must be positive"),
        (["--loops", "2", "--ramp-time", "1s", "--number-ios", "5"], "--number-ios with --ramp-time"),
    ])
    func conflictsAreRefusedByName(args: [String], message: String) throws {
        let r = try CLITests.run(["randread"] + args + Self.data)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 2, "\(r.stderr)")
    }

    /// A size-bound job done within its ramp measured nothing (fio would count the ramp's IOs):
    /// the report and the exit status say so instead of showing zeros.
    @Test func aJobDoneWithinItsRampMeasuredNothing() throws {
        let r = try CLITests.run(["randread", "--loops", "1", "--ramp-time", "60s"] + Self.data)
        #expect(r.status == 1)
        #expect(r.stdout.contains("randread: (groupid=0, jobs=1): its io limit (io_size 1024KiB) was done within the 60s ramp-up (ramp_time; use a shorter one): nothing was measured"), "\(r.stdout)")
        #expect(!r.stdout.contains("IOPS="), "\(r.stdout)")
    }

    /// Ctrl-C during a slow size-bound run: what was measured is printed, and the report says
    /// the run was interrupted before its io limit.
    @Test func ctrlCPrintsWhatWasMeasured() throws {
        let r = try CLITests.run(["randread", "--io-size", "1G", "--rate-iops", "200"] + Self.data, interruptAfter: 1.5)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("  ended        : interrupted (Ctrl-C) before the io limit (io_size 1024MiB), no runtime cap"), "\(r.stdout)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.contains("issued rwts: total=") })
        let total = Int(line.split(separator: "=")[1].split(separator: ",")[0]) ?? 0
        #expect(total > 0 && total < 262_144, "\(line)")
    }
}
