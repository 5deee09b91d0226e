import Foundation
import Testing

/// Ctrl-C at the awkward moments, in real runs: during the ramp (nothing measured).
@Suite struct InterruptTests {
    static let data = ["--filename", CLITests.dataFile, "--size", "16M", "--direct", "0"]

    /// Nothing measured prints nothing measured: no IOPS over "1msec", no Disk stats of the ramp.
    @Test func ctrlCDuringRampReportsNothingMeasured() throws {
        let r = try CLITests.run(["randread", "--engine", "psync", "--ramp-time", "120s", "--runtime", "5s"] + Self.data,
                                 interruptAfter: 2)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("randread: (groupid=0, jobs=1): interrupted (Ctrl-C) during the 120s ramp-up (ramp_time): nothing was measured, so there are no figures"),
                "stdout: \(r.stdout)")
        for figure in ["IOPS=", "msec", "Disk stats", "clat", "cpu", "Run status group"] {
            #expect(!r.stdout.contains(figure), "\(figure) printed for a run that measured nothing: \(r.stdout)")
        }
        #expect(r.stderr.hasSuffix("uringbench: error: interrupted (Ctrl-C) during the ramp-up (--ramp-time): nothing was measured\n"), "stderr: \(r.stderr)")

        // JSON: no job block (no zero runtime dressed as a figure), one line saying why.
        let json = try CLITests.run(["randread", "--engine", "psync", "--ramp-time", "120s", "--runtime", "5s", "--output-format", "json"] + Self.data,
                                    interruptAfter: 2)
        #expect(json.status == 1)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((doc["jobs"] as? [Any])?.isEmpty == true)
        #expect((doc["disk_util"] as? [Any])?.isEmpty == true)
        #expect(doc["uringbench_not_measured"] as? [String] == ["randread: interrupted (Ctrl-C) during the 120s ramp-up; nothing was measured"])
    }

    /// A job file whose second job is stopped during its ramp: job 1's report stands, job 2 has
    /// no figures and no row in the table, and the exit status is 0 (something was measured).
    @Test func ctrlCDuringALaterJobsRampKeepsTheFinishedJob() throws {
        let file = CLITests.dataDirectory + "/ramp.fio"
        try """
        [global]
        filename=\(CLITests.dataFile)
        size=16M
        rw=randread
        time_based
        stonewall
        [first]
        runtime=200ms
        [second]
        ioengine=libaio
        runtime=5s
        ramp_time=120s

        """.write(toFile: file, atomically: false, encoding: .utf8)
        let r = try CLITests.run(["run", file], interruptAfter: 5)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("first: (groupid=0, jobs=1): err= 0"), "stdout: \(r.stdout)")
        #expect(r.stdout.contains("second: (groupid=1, jobs=1): interrupted (Ctrl-C) during the 120s ramp-up"), "stdout: \(r.stdout)")
        #expect(r.stdout.components(separatedBy: "  read: IOPS=").count == 2, "one measured job: \(r.stdout)")
        #expect(!r.stdout.contains("× psync"), "a table for one measured job: \(r.stdout)")
    }
}
