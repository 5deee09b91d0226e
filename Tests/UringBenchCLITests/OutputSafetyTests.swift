import Foundation
import Glibc
import Testing
import TestSupport

/// Outputs are opened like fio opens them (in place, permissions apply, devices stay devices),
/// checked before measuring, and never a file the command reads; the baseline gate never
/// replaces its baseline with a failing run; refusals come before the first IO. Every test runs
/// the built binary.
@Suite(.waits) struct OutputSafetyTests {
    static let directory: String = {
        let dir = CLITests.dataDirectory + "/output-safety"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func path(_ name: String) -> String { directory + "/\(name)-\(UUID().uuidString.prefix(8))" }

    /// A 16 MiB data file laid out by a short real run.
    static func laidOut(_ name: String) throws -> String {
        let file = path(name) + ".dat"
        let r = try CLITests.run(["randread", "--engine", "psync", "--runtime", "100ms", "--filename", file, "--size", "16M"])
        #expect(r.status == 0, "layout: \(r.stderr)")
        return file
    }

    static func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static func expectOneLineError(_ r: CLITests.Outcome, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.last?.hasPrefix("uringbench: error: ") == true, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    }

    static func jobFile(_ body: String) throws -> String {
        let file = path("jobs") + ".fio"
        try "[global]\nrw=randread\nsize=16M\nruntime=300ms\ntime_based\nstonewall\n\(body)".write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    // MARK: item 1: outputs

    @Test func outputThatIsTheDataFileIsRefusedAndTheFileKept() throws {
        let data = try Self.laidOut("victim")
        let before = Self.contents(data)
        #expect(before?.count == 16 << 20)
        let link = Self.path("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: data)
        let job = try Self.jobFile("ioengine=psync\nfilename=\(data)\n[one]\n")
        let small = ["--filename", data, "--size", "16M", "--runtime", "300ms"]
        for args in [["randread", "--engine", "psync", "--output", data] + small,
                     ["randread", "--engine", "psync", "--output", link] + small,
                     ["compare", "--engines", "psync", "--rounds", "1", "--output", link] + small,
                     ["run", job, "--output", link]] {
            let r = try CLITests.run(args)
            Self.expectOneLineError(r, "is the data file")
            #expect(r.stdout.isEmpty, "\(args): measured before refusing")
        }
        #expect(Self.contents(data) == before, "the data file changed")
        // The symlink is still a symlink to the data file.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == data)
        // The job file is an input too.
        let jobBefore = Self.contents(job)
        Self.expectOneLineError(try CLITests.run(["run", job, "--output", job]), "is the job file")
        Self.expectOneLineError(try CLITests.run(["run", job, "--parse-only", "--output", job]), "is the job file")
        #expect(Self.contents(job) == jobBefore)
        // --parse-only writes its listing where --output says.
        let listing = Self.path("listing") + ".txt"
        #expect(try CLITests.run(["run", job, "--parse-only", "--output", listing]).status == 0)
        #expect(try String(contentsOfFile: listing, encoding: .utf8).hasPrefix("one: ioengine=psync"))
    }

    @Test func outputIntoADeviceWritesTheDevice() throws {
        // Device nodes of our own (null: 1,3; full: 1,7), so the machine's /dev is never at stake.
        let null = Self.path("null"), full = Self.path("full")
        // dev_t of a small major:minor is (major << 8) | minor.
        let haveNodes = mknod(null, S_IFCHR | 0o666, 0x103) == 0 && mknod(full, S_IFCHR | 0o666, 0x107) == 0
        let (nullPath, fullPath) = haveNodes ? (null, full) : ("/dev/null", "/dev/full")
        let data = try Self.laidOut("dev")
        let ok = try CLITests.run(["randread", "--engine", "psync", "--filename", data, "--size", "16M", "--runtime", "200ms", "--output", nullPath])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        var st = stat()
        #expect(stat(nullPath, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR, "\(nullPath) is no longer a character device")
        let r = try CLITests.run(["randread", "--engine", "psync", "--filename", data, "--size", "16M", "--runtime", "200ms", "--output", fullPath])
        Self.expectOneLineError(r, "ENOSPC")
        #expect(stat(fullPath, &st) == 0 && st.st_mode & S_IFMT == S_IFCHR, "\(fullPath) is no longer a character device")
    }

    @Test(.enabled(if: getuid() == 0, "switching to nobody needs root"))
    func outputObeysPermissions() throws {
        let data = try Self.laidOut("perm")
        // A directory nobody may write, so only the file's own mode protects it (a rename over
        // it would succeed there).
        let shared = Self.path("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        #expect(chmod(shared, 0o777) == 0)
        let target = shared + "/readonly.txt"
        try "the user's file\n".write(toFile: target, atomically: false, encoding: .utf8)
        #expect(chmod(target, 0o444) == 0)
        // The test tree must be reachable by nobody (it is 0755 unless the checkout is not).
        let r = try CLITests.run(["--reuid=nobody", "--regid=nogroup", "--clear-groups", CLITests.uringbench,
                                  "randread", "--engine", "psync", "--filename", data, "--size", "16M", "--runtime", "2s",
                                  "--output", target], executable: "/usr/bin/setpriv")
        Self.expectOneLineError(r, "EACCES")
        #expect(r.stdout.isEmpty)
        var st = stat()
        #expect(stat(target, &st) == 0)
        #expect(st.st_uid == 0 && st.st_mode & 0o777 == 0o444 && st.st_mode & S_IFMT == S_IFREG)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "the user's file\n")
    }

    @Test func missingOutputDirectoryFailsBeforeAnyIO() throws {
        let data = Self.path("never") + ".dat"
        let out = Self.directory + "/no/such/dir/report.txt"
        let cases: [[String]] = [
            ["randread", "--engine", "psync", "--filename", data, "--size", "16M", "--runtime", "5s", "--output", out],
            ["compare", "--engines", "psync", "--rounds", "1", "--filename", data, "--size", "16M", "--runtime", "5s", "--output", out],
            ["tcp-qps", "-p", "1", "-n", "10", "--output", out],
        ]
        for args in cases {
            let r = try CLITests.run(args)
            Self.expectOneLineError(r, "directory '\(Self.directory)/no/such/dir' does not exist")
        }
        // Nothing was laid out, so nothing was measured.
        #expect(!FileManager.default.fileExists(atPath: data))
    }

    @Test func outputKeepsItsContentsUntilTheRunSucceeded() throws {
        let out = Self.path("kept") + ".txt"
        try "previous report\n".write(toFile: out, atomically: false, encoding: .utf8)
        // io_uring refused by seccomp: the run fails, the old report stays.
        let r = try CLITests.run(["ENOSYS", CLITests.uringbench, "randread", "--engine", "io_uring", "--filename", Self.path("k") + ".dat",
                                  "--size", "16M", "--runtime", "1s", "--output", out], executable: CLITests.denyIOUring)
        Self.expectOneLineError(r, "io_uring is not usable here")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "previous report\n")
        // A new output is not left behind empty by a failed run.
        let fresh = Self.path("fresh") + ".txt"
        _ = try CLITests.run(["ENOSYS", CLITests.uringbench, "randread", "--engine", "io_uring", "--filename", Self.path("k") + ".dat",
                              "--size", "16M", "--runtime", "1s", "--output", fresh], executable: CLITests.denyIOUring)
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    // MARK: item 2: the baseline gate

    @Test func baselineIsOnlyReplacedByAPassingGate() throws {
        let data = try Self.laidOut("gate")
        // 4 rounds against 4: the fewest with which the gate's significance test can decide.
        let common = ["compare", "--engines", "psync", "--rounds", "4", "--filename", data, "--size", "16M", "--runtime", "150ms"]
        let baseline = Self.path("bl") + ".json"
        let made = try CLITests.run(common + ["--output", baseline])
        #expect(made.status == 0, "stderr: \(made.stderr)")
        let original = Self.contents(baseline)
        #expect(original?.isEmpty == false)
        let link = Self.path("bl-link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: baseline)

        // The same file, by name or through a link, is refused before measuring.
        for out in [baseline, link] {
            let r = try CLITests.run(common + ["--against", baseline, "--output", out])
            Self.expectOneLineError(r, "is the baseline")
            #expect(r.stdout.isEmpty)
        }
        #expect(Self.contents(baseline) == original)

        // A failing gate (IOPS capped far below the baseline's) leaves it as it was.
        let failed = try CLITests.run(common + ["--against", baseline, "--output", baseline, "--update-baseline", "--rate-iops", "200"])
        #expect(failed.status == 2, "stderr: \(failed.stderr)")
        #expect(failed.stdout.contains("gate: FAILED"))
        #expect(failed.stderr.contains("gate failed: baseline \(baseline) left unchanged"))
        #expect(Self.contents(baseline) == original)

        // A passing gate replaces it with this run, and says so.
        let passed = try CLITests.run(common + ["--against", baseline, "--output", baseline, "--update-baseline",
                                                "--max-iops-drop", "99%", "--max-p99-rise", "100000%"])
        #expect(passed.status == 0, "stderr: \(passed.stderr)")
        #expect(passed.stderr.contains("baseline \(baseline) updated"))
        let updated = try String(contentsOfFile: baseline, encoding: .utf8)
        #expect(updated.contains("--update-baseline"), "the file does not hold the new run's command")
        #expect(try CLITests.run(["compare", "--from", baseline]).status == 0)

        Self.expectOneLineError(try CLITests.run(common + ["--update-baseline", "--output", baseline]), "--update-baseline")

        // plot reads the file it would write.
        let results = Self.contents(baseline)
        Self.expectOneLineError(try CLITests.run(["plot", baseline, "-o", link]), "is the results file it plots")
        #expect(Self.contents(baseline) == results)
    }

    // MARK: item 13: refusals before the first IO

    @Test func baselineWithAnotherDirectIsRefusedBeforeMeasuring() throws {
        let data = try Self.laidOut("direct")
        let common = ["compare", "--engines", "psync", "--rounds", "4", "--filename", data, "--size", "16M"]
        let baseline = Self.path("direct-bl") + ".json"
        #expect(try CLITests.run(common + ["--runtime", "100ms", "--output", baseline]).status == 0)
        let r = try CLITests.run(common + ["--runtime", "10s", "--direct", "0", "--against", baseline])
        Self.expectOneLineError(r, "direct=1 in the baseline, 0 here")
        #expect(r.stdout.isEmpty)
    }

    @Test func compareWithIOUringDeniedFailsBeforePsyncRuns() throws {
        let data = Self.path("denied") + ".dat"
        let r = try CLITests.run(["ENOSYS", CLITests.uringbench, "compare", "--engines", "psync,io_uring", "--rounds", "1",
                                  "--filename", data, "--size", "16M", "--runtime", "2s"], executable: CLITests.denyIOUring)
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").last?.hasPrefix("uringbench: error: io_uring is not usable here") == true, "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("[1/2]"), "psync was measured first: \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: data), "the data file was laid out")
    }

    @Test func jobFileJobTwoIsCheckedBeforeJobOneRuns() throws {
        let first = Self.path("job1") + ".dat"
        let job = try Self.jobFile("ioengine=psync\n[one]\nfilename=\(first)\n[two]\nfilename=\(Self.directory)/missing/job2.dat\n")
        let r = try CLITests.run(["run", job])
        Self.expectOneLineError(r, "directory '\(Self.directory)/missing' does not exist")
        #expect(!r.stderr.contains("job 1/2"))
        #expect(!FileManager.default.fileExists(atPath: first), "job 1 laid out its file")
    }

    @Test func aJobFailingAtRunTimeKeepsTheReportsBeforeIt() throws {
        let data = try Self.laidOut("late")
        // Job 2 needs 2 MiB of locked memory for fixed buffers; the limit is 64 KiB.
        let job = try Self.jobFile("filename=\(data)\nioengine=psync\n[one]\n[two]\nioengine=io_uring\niodepth=32\nbs=64k\nfixedbufs=1\n")
        let r = try CLITests.run(["MEMLOCK=65536", CLITests.uringbench, "run", job], executable: CLITests.denyIOUring)
        #expect(r.status == 1)
        #expect(r.stdout.contains("one: (groupid=0"), "job 1's report is missing: \(r.stdout)")
        #expect(r.stdout.contains("  read: IOPS="))
        #expect(!r.stdout.contains("two: (groupid="))
        let last = r.stderr.split(separator: "\n").last ?? ""
        #expect(last.hasPrefix("uringbench: error: job 2/2 'two': registering"), "stderr: \(r.stderr)")
        #expect(last.contains("the report covers the job that finished"))
    }
}
