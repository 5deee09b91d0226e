import Foundation
import Testing
import TestSupport

/// fio's io_submit_mode=offload (examples/fixed-rate-submission.fio and
/// poisson-rate-submission.fio): with a rate, each IO goes out when it is due while a slot is
/// free. fio 3.33 hangs in offload mode on these files here (its workqueue never drains), so the
/// issued totals are held against fio's on the same file in inline mode: a size-bound job issues
/// the same IOs whoever submits them.
@Suite struct SubmitOffloadCLITests {
    /// The examples as written, at sizes a test runs in well under a second.
    static func example(poisson: Bool, size: String) -> String {
        let name = poisson ? "poisson-rate-submit" : "fixed-rate-submit"
        var text = "[\(name)]\nsize=\(size)\nrw=\(poisson ? "randread" : "read")\nioengine=libaio\niodepth=32\ndirect=1\n"
        text += "io_submit_mode=offload\nrate_iops=\(poisson ? 50 : 1000)\n"
        if poisson { text += "rate_process=poisson\n" }
        return text
    }

    @Test(arguments: [false, true])
    func theExamplesRunWithFiosIssuedTotals(poisson: Bool) throws {
        let text = Self.example(poisson: poisson, size: poisson ? "64k" : "1m")
        let inline = text.replacingOccurrences(of: "io_submit_mode=offload\n", with: "")
        let (theirs, ours) = try GtodReduceCLITests.bothJSON(fio: inline, ours: text, name: "offload")
        let issued = ConcurrentJobsCLITests.ios(ours, "read")
        #expect(issued == ConcurrentJobsCLITests.ios(theirs, "read") && issued == (poisson ? 16 : 256))
        let options = try #require(ours["job options"] as? [String: String])
        #expect(options["io_submit_mode"] == "offload" && options["rate_iops"] == (poisson ? "50" : "1000"))
        // Latency is measured from each IO's queueing, as fio's from get_io_u.
        let read = try #require(ours["read"] as? [String: Any])
        let lat = try #require(read["lat_ns"] as? [String: Any])
        #expect(lat["N"] as? Int == issued)
        // The IOs went out on the rate's schedule, not as fast as slots came free: 256 IOs at
        // 1,000 IOPS take at least 255 ms (a busy machine only makes the run longer). Unpaced,
        // they took 4 ms here. Poisson gaps are random, so only the fixed rate is bounded.
        if !poisson {
            let runtime = try #require(read["runtime"] as? Int)
            #expect(runtime >= 250, "\(runtime) ms for 256 IOs at rate_iops=1000")
        }
    }

    @Test(arguments: [false, true])
    func theFullSizeExamplesParse(poisson: Bool) throws {
        let path = CLITests.path("offload-parse") + ".fio"
        defer { unlink(path) }
        try Self.example(poisson: poisson, size: "128m").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["run", "--parse-only", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ioengine=libaio iodepth=32 bs=4096 size=134217728") && r.stdout.contains("size-bound: io_size=134217728"), "\(r.stdout)")
    }

    @Test(arguments: [
        ("rate_iops=1000\n", "rate_iops=1000\nio_submit_mode=sometimes\n", "'io_submit_mode=sometimes' must be inline (fio's default) or offload"),
        ("rate_iops=1000\n", "", "--io-submit-mode offload submits each IO when a rate says it is due, and the job has no --rate-iops or --rate"),
        ("ioengine=libaio\n", "ioengine=psync\n", "--io-submit-mode offload waits for completions only until the next IO is due, which psync cannot"),
        ("direct=1\n", "direct=1\nthinktime=1ms\n", "--io-submit-mode offload keeps the rate's schedule, and --thinktime pauses it"),
    ])
    func whatOffloadCannotMeanIsRefusedByName(line: String, replacement: String, message: String) throws {
        let path = CLITests.path("offload-refused") + ".fio"
        defer { unlink(path) }
        try Self.example(poisson: false, size: "1m").replacingOccurrences(of: line, with: replacement)
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLITests.run(["run", "--parse-only", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func theCommandLineTakesIt() throws {
        let r = try CLITests.run(["randread", "--engine", "io_uring", "--iodepth", "8", "--io-submit-mode", "offload", "--rate-iops", "2000",
                                  "--number-ios", "64", "--output-format", "json"] + CLITests.small)
        #expect(r.status == 0, "\(r.stderr)")
        let job = try #require(try ConcurrentJobsCLITests.jobs(r.stdout).first)
        #expect(ConcurrentJobsCLITests.ios(job, "read") == 64)
        #expect((job["job options"] as? [String: String])?["io_submit_mode"] == "offload")
    }
}
