import Foundation
import Glibc
import Testing
import TestSupport

/// Messages name the real cause and a fix that works: the signal that stopped a run, a
/// negative value as out of range, a too-small file without impossible advice, the open-file
/// limit on EMFILE. Every test runs the built binary.
@Suite(.waits) struct MessageTests {
    static let data = ["--filename", CLITests.dataFile, "--size", "16M", "--direct", "0"]

    /// SIGTERM and SIGHUP were reported as "Ctrl-C".
    @Test(arguments: [(SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")])
    func aStopSignalIsNamed(signal: Int32, name: String) throws {
        let run = try SpawnedRun(["randread", "--engine", "psync", "--runtime", "60s"] + Self.data, in: CLITests.dataDirectory)
        run.waitUntilCatching(signal, file: CLITests.dataFile)
        Thread.sleep(forTimeInterval: 1)
        run.signal(signal)
        let r = run.finish()
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("note         : interrupted (\(name)): figures cover the"), "stdout: \(r.stdout)")
        #expect(!r.stdout.contains("Ctrl-C") && !r.stderr.contains("Ctrl-C"), "stdout: \(r.stdout)")
    }

    /// `--iodepth -1` said "Missing value for '--iodepth <iodepth>'".
    @Test func aNegativeValueIsOutOfRangeNotMissing() throws {
        for (args, option) in [(["randread", "--iodepth", "-1"], "--iodepth"), (["randread", "--numjobs", "-4"], "--numjobs"),
                               (["compare", "--rounds", "-3"], "--rounds")] {
            let r = try CLITests.run(args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr == "uringbench: error: \(option) \(args[2]) is out of range: \(option) takes no negative value (see --help for its range)\n")
        }
    }

    /// An existing file smaller than a block was told "pass --size 0 or less", which is refused.
    @Test func aFileTooSmallForAnySizeGetsAdviceThatWorks() throws {
        let path = CLITests.dataDirectory + "/tiny-\(UUID().uuidString.prefix(8)).dat"
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: path))
        let r = try CLITests.run(["randread", "--engine", "psync", "--filename", path, "--size", "16M"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("less than one 4k block") && r.stderr.contains("pass a new --filename"), "\(r.stderr)")
        #expect(!r.stderr.contains("--size 100 or less") && !r.stderr.contains("--size 0"), "\(r.stderr)")
        #expect(FileManager.default.contents(atPath: path) == Data(repeating: 7, count: 100))
    }

    /// Many jobs against a low open-file limit: EMFILE, with the limit and how to raise it.
    @Test func tooManyOpenFilesSaysWhichLimit() throws {
        let r = try CLITests.run(["--nofile=24", CLITests.uringbench, "randread", "--engine", "psync", "--numjobs", "64",
                                  "--runtime", "100ms"] + Self.data, executable: "/usr/bin/prlimit")
        #expect(r.status == 1)
        #expect(r.stderr.contains("EMFILE") && r.stderr.contains("ulimit -n, now 24") && r.stderr.contains("fewer --numjobs"), "\(r.stderr)")
    }

    /// `echo --rate 1 -n 300` printed nothing for minutes: a plan that cannot finish in its
    /// bounds is refused by name at once, before any server starts.
    @Test func anOpenLoopEchoPlanBeyondItsBoundsIsRefused() throws {
        let total = try CLITests.run(["echo", "--rate", "1", "-n", "300"])
        #expect(total.status == 64, "\(total.stderr)")
        #expect(total.stderr.hasPrefix("uringbench: error: --rate 1 with -n 300 takes 300 s per measurement, and ") && total.stderr.contains("more than the 60 min an echo run may take"), "\(total.stderr)")
        let each = try CLITests.run(["echo", "--rate", "1", "-n", "301", "--engines", "epoll", "--rounds", "1"])
        #expect(each.status == 64)
        #expect(each.stderr.contains("takes 301 s per measurement, longer than the 300 s a measurement may run"), "\(each.stderr)")
        #expect(total.stdout.isEmpty && each.stdout.isEmpty)
    }
}
