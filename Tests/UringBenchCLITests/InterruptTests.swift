import Foundation
import Testing
import TestSupport

/// Ctrl-C at the awkward moments, in real runs: during the ramp (nothing measured) and in the
/// middle of a comparison (fewer rounds than planned).
@Suite(.waits) struct InterruptTests {
    static let data = ["--filename", CLITests.dataFile, "--size", "16M", "--direct", "0"]

    /// Nothing measured prints nothing measured: no IOPS over "1msec", no Disk stats of the ramp.
    @Test func ctrlCDuringRampReportsNothingMeasured() throws {
        let r = try CLITests.run(["randread", "--engine", "psync", "--ramp-time", "120s", "--runtime", "5s"] + Self.data,
                                 interruptAfter: 0.5)
        #expect(r.status == 1, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("randread: (groupid=0, jobs=1): interrupted (Ctrl-C) during the 120s ramp-up (ramp_time): nothing was measured, so there are no figures"),
                "stdout: \(r.stdout)")
        for figure in ["IOPS=", "msec", "Disk stats", "clat", "cpu", "Run status group"] {
            #expect(!r.stdout.contains(figure), "\(figure) printed for a run that measured nothing: \(r.stdout)")
        }
        #expect(r.stderr.hasSuffix("uringbench: error: interrupted (Ctrl-C) during the ramp-up (--ramp-time): nothing was measured\n"), "stderr: \(r.stderr)")

        // JSON: no job block (no zero runtime dressed as a figure), one line saying why.
        let json = try CLITests.run(["randread", "--engine", "psync", "--ramp-time", "120s", "--runtime", "5s", "--output-format", "json"] + Self.data,
                                    interruptAfter: 0.5)
        #expect(json.status == 1)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((doc["jobs"] as? [Any])?.isEmpty == true)
        #expect((doc["disk_util"] as? [Any])?.isEmpty == true)
        #expect(doc["uringbench_not_measured"] as? [String] == ["randread: interrupted (Ctrl-C) during the 120s ramp-up; nothing was measured"])
    }

    /// Ctrl-C in the middle of a numjobs group: every job stops, and each reports what it
    /// measured up to the stop.
    @Test func ctrlCStopsEveryJobOfAGroupAndReportsEach() throws {
        let r = try CLITests.run(["randread", "--engine", "io_uring", "--iodepth", "4", "--numjobs", "3", "--runtime", "60s"] + Self.data,
                                 interruptAfter: 2)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.components(separatedBy: "randread: (groupid=0, jobs=1): err= 0").count == 4, "stdout: \(r.stdout)")
        #expect(r.stdout.components(separatedBy: "note         : interrupted (Ctrl-C)").count == 4, "stdout: \(r.stdout)")
        #expect(r.stdout.contains("Run status group 0 (all jobs):"))
        // No job ran its 60 s: every runtime in the Run status line is short.
        let run = try #require(r.stdout.split(separator: "\n").first { $0.contains("READ: bw=") })
        let longest = try #require(run.split(separator: "-").last.flatMap { Int($0.replacingOccurrences(of: "msec", with: "")) })
        #expect(longest < 30_000, "\(run)")
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

    /// Ctrl-C during --verify's read-back (psync: every read completes inside queue) stops it
    /// within a tick, and the report says how many written blocks were checked and how many
    /// were not. The read-back is found by its reads: the run itself only writes.
    @Test func ctrlCDuringTheReadBackSaysWhatWasNotChecked() throws {
        let file = CLITests.dataDirectory + "/readback.dat"
        let args = ["randwrite", "--engine", "psync", "--verify", "--direct", "0", "--bs", "512", "--filename", file, "--size", "128M"]
        // Laid out first, so the run below starts writing at once.
        #expect(try CLITests.run(args + ["--runtime", "10ms"]).status == 0)
        let run = try SpawnedRun(executable: CLITests.uringbench, args + ["--runtime", "2s"], in: CLITests.dataDirectory)
        func counters() -> (reads: Int, writes: Int)? {
            guard let text = try? String(contentsOfFile: "/proc/\(run.pid)/io", encoding: .utf8) else { return nil }
            func field(_ name: String) -> Int? {
                text.split(separator: "\n").first { $0.hasPrefix(name + ":") }.flatMap { Int($0.split(separator: " ").last ?? "") }
            }
            guard let r = field("syscr"), let w = field("syscw") else { return nil }
            return (r, w)
        }
        var readsWhileWriting: Int? = nil
        let giveUp = Date().addingTimeInterval(60)
        while Date() < giveUp, let c = counters() {
            if readsWhileWriting == nil, c.writes > 1_000 { readsWhileWriting = c.reads }
            if let base = readsWhileWriting, c.reads > base + 200 { break }
            usleep(500)
        }
        run.signal(SIGINT)
        let r = run.finish()
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.contains("written blocks read back") }, "stdout: \(r.stdout)")
        #expect(line.contains("Ctrl-C stopped the read-back, so the other "), "\(line)")
        // "verify       : X of T written blocks read back …; … so the other U were not checked"
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let checked = try #require(numbers.first), written = try #require(numbers.dropFirst().first), unchecked = try #require(numbers.last)
        #expect(checked > 0 && checked < written && unchecked == written - checked, "\(line)")
    }

    /// Ctrl-C during the run of a randwrite --verify: no read-back, and the report says that
    /// none of the blocks written was checked after the run.
    @Test func ctrlCBeforeTheReadBackSaysNothingWasReadBack() throws {
        let r = try CLITests.run(["randwrite", "--engine", "libaio", "--iodepth", "4", "--verify", "--runtime", "60s"] + Self.data,
                                 interruptAfter: 1)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.contains("not read back") }, "stdout: \(r.stdout)")
        #expect(line.hasPrefix("  verify       : not read back: Ctrl-C stopped the run before the read-back, so none of the "), "\(line)")
        #expect(line.hasSuffix(" blocks it wrote was checked after the run"), "\(line)")
        let written = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.first ?? 0
        #expect(written > 0)
        #expect(r.stdout.contains("note         : interrupted (Ctrl-C)"))
    }

    /// A compare stopped in its second round says how many rounds each case ran, in the text
    /// table, in Markdown and in the results file — never "median of 3 interleaved rounds".
    @Test func interruptedCompareSaysRoundsPerCase() throws {
        let out = CLITests.dataDirectory + "/interrupted.json"
        let args = ["compare", "--engines", "psync,libaio", "--iodepth", "4", "--runtime", "1s", "--rounds", "3"] + Self.data
        let r = try CLITests.run(args + ["--output", out], interruptAfter: 3.5)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(!r.stdout.contains("median of 3 interleaved rounds"), "stdout: \(r.stdout)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let summary = try #require(doc["uringbench_compare"] as? [String: Any])
        #expect(summary["interrupted"] as? Bool == true)
        let cases = try #require(summary["cases"] as? [[String: Any]])
        let runs = (doc["jobs"] as? [Any])?.count ?? 0
        #expect(r.stdout.contains("median of the rounds each case ran (column rounds) of 3 planned: interrupted (Ctrl-C) with \(runs) of 6 runs measured"),
                "stdout: \(r.stdout)")
        #expect(runs < 6)
        for c in cases {
            let rounds = try #require(c["rounds"] as? Int)
            #expect(c["roundsPlanned"] as? Int == 3)
            let engine = try #require((c["key"] as? [String: Any])?["engine"] as? String)
            // The text row of this case shows the same count.
            let row = r.stdout.split(separator: "\n").first { $0.hasPrefix(engine + " ") }
            let cut = c["interrupted"] as? Bool == true ? "*" : ""
            #expect(row?.contains(" \(rounds)/3\(cut) ") == true, "row \(String(describing: row)) lacks \(rounds)/3\(cut)")
        }
        #expect(r.stdout.contains("* = its last run was cut short by Ctrl-C"))

        let md = try CLITests.run(args + ["--markdown"], interruptAfter: 3.5)
        #expect(md.status == 0, "stderr: \(md.stderr)")
        #expect(md.stdout.contains("| engine | QD | bs | rounds | IOPS |"), "stdout: \(md.stdout)")
        #expect(md.stdout.contains("of 3 planned: interrupted (Ctrl-C) with"), "stdout: \(md.stdout)")
    }
}
