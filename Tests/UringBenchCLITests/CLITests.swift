import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// The command line as a user meets it: the built binary, its exit codes and its one-line errors.
@Suite(.waits) struct CLITests {
    static let binDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    static let uringbench = binDirectory + "/uringbench"
    static let denyIOUring = binDirectory + "/deny-io-uring"

    /// A directory that is not tmpfs (O_DIRECT must reach a disk): the package's .build.
    static let dataDirectory: String = {
        let dir = binDirectory + "/uringbench-cli-test-data-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: CLITests.dataDirectory) }
        return dir
    }()
    static let dataFile = dataDirectory + "/cli.dat"

    /// A fresh path in the data directory (nothing exists there yet).
    static func path(_ name: String) -> String { dataDirectory + "/\(name)-\(UUID().uuidString.prefix(8))" }

    typealias Outcome = SpawnedRun.Outcome

    /// uringbench (or `executable`) run in the data directory; with `interruptAfter`, sent
    /// SIGINT that many seconds after its work began (its stop handler installed and its
    /// --filename laid out).
    static func run(_ args: [String], executable: String = uringbench, interruptAfter: Double? = nil) throws -> Outcome {
        // Help text wraps at $COLUMNS when set: pin the width so snapshots do not depend on it.
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = nil
        environment["LINES"] = nil
        let run = try SpawnedRun(executable: executable, args, in: dataDirectory, environment: environment)
        if let delay = interruptAfter {
            let file = args.firstIndex(of: "--filename").flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil }
            run.waitUntilCatching(SIGINT, file: file.map { $0.hasPrefix("/") ? $0 : dataDirectory + "/" + $0 })
            Thread.sleep(forTimeInterval: delay)
            run.signal(SIGINT)
        }
        return run.finish()
    }

    static let small = ["--filename", dataFile, "--size", "16M"]

    @Test func helpListsSubcommandsAndEngines() throws {
        let top = try Self.run(["--help"])
        #expect(top.status == 0)
        #expect(top.stdout.contains("randread") && top.stdout.contains("engines"))
        let rr = try Self.run(["randread", "--help"])
        #expect(rr.status == 0)
        for flag in ["--engine", "--iodepth", "--bs", "--size", "--runtime", "--ramp-time", "--filename", "--direct",
                     "--verify", "--fixedbufs", "--registerfiles", "--sqthread-idle", "--sqpoll-cpu",
                     "--iodepth-batch-submit", "--iodepth-batch-complete-min", "--output-format", "--output", "--randseed"] {
            #expect(rr.stdout.contains(flag), "randread --help lacks \(flag)")
        }
        #expect(rr.stdout.contains("psync, libaio, io_uring, io_uring_sqpoll"))
    }

    @Test(arguments: [
        (["randread", "--engine", "spdk"], "spdk"),
        (["randread", "--iodepth", "0"], "--iodepth must be a whole number from 1 to 65536 (got 0)"),
        (["randread", "--bs", "4x"], "--bs"),
        (["randread", "--runtime", "soon"], "--runtime"),
        (["randread", "--direct", "2"], "--direct"),
        (["randread", "--no-such-flag"], "--no-such-flag"),
    ])
    func badFlagsAreRejected(_ args: [String], _ mention: String) throws {
        let r = try Self.run(args)
        #expect(r.status != 0)
        #expect(r.stderr.contains(mention), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func runtimeErrorsAreOneLineWithExitOne() throws {
        let r = try Self.run(["randread", "--engine", "psync", "--bs", "1000", "--runtime", "1"] + Self.small)
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.hasPrefix("uringbench: error: --bs 1000 is not a multiple of 512"))
    }

    /// --sqpoll-shared acts only on io_uring_sqpoll with several jobs; anything else is
    /// refused by name, in one line, before a file is laid out.
    @Test(arguments: [
        (["--engine", "io_uring", "--numjobs", "2", "--sqpoll-shared"],
         "--sqpoll-shared is an option of io_uring_sqpoll, not of io_uring; use --engine io_uring_sqpoll or drop --sqpoll-shared"),
        (["--engine", "io_uring_sqpoll", "--sqpoll-shared"],
         "--sqpoll-shared shares the first job's SQ thread with the other jobs' rings, and --numjobs 1 has no other job"),
    ])
    func sqpollSharedIsRefusedWhereItCannotAct(_ args: [String], _ message: String) throws {
        let path = Self.dataDirectory + "/never-\(UUID().uuidString.prefix(8)).dat"
        let r = try Self.run(["randread", "--filename", path, "--size", "16M", "--runtime", "300ms"] + args)
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(message), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path), "refused before any work")
    }

    /// Two jobs on one SQ thread, as the report says and the merged figures show.
    @Test func sqpollSharedRunReportsOneSQThreadForTheGroup() throws {
        let r = try Self.run(["randread", "--engine", "io_uring_sqpoll", "--iodepth", "8", "--numjobs", "2", "--sqpoll-shared",
                              "--group-reporting", "--sqthread-idle", "50", "--runtime", "200ms", "--verify"] + Self.small)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("  cpu (sqpoll) : usr="), "\(r.stdout)")
        #expect(r.stdout.contains(") for 2 rings, shared (--sqpoll-shared)"), "\(r.stdout)")
        #expect(r.stdout.contains("SQ thread shared"))
    }

    @Test func normalRunPrintsFioLayoutAndJsonParses() throws {
        let text = try Self.run(["randread", "--engine", "libaio", "--iodepth", "8", "--runtime", "200ms", "--verify"] + Self.small)
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("ioengine=libaio, iodepth=8"))
        #expect(text.stdout.contains("  read: IOPS="))
        #expect(text.stdout.contains("    clat percentiles (usec):") || text.stdout.contains("    clat percentiles (nsec):"))
        #expect(text.stdout.contains("Run status group 0 (all jobs):"))
        #expect(text.stdout.contains("checked byte for byte"))
        let out = Self.dataDirectory + "/r.json"
        let json = try Self.run(["randread", "--engine", "psync", "--runtime", "300ms", "--output-format", "json", "--output", out] + Self.small)
        #expect(json.status == 0 && json.stdout.isEmpty)
        let doc = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        let jobs = doc?["jobs"] as? [[String: Any]]
        #expect((jobs?.first?["read"] as? [String: Any])?["total_ios"] as? Int ?? 0 > 0)
    }

    @Test func ctrlCPrintsWhatWasMeasured() throws {
        // The 1.5 s count from the end of the layout (see run): a Ctrl-C during the layout
        // rightly measures nothing.
        let r = try Self.run(["randread", "--engine", "psync", "--runtime", "60s"] + Self.small, interruptAfter: 1.5)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("  read: IOPS="))
        #expect(r.stdout.contains("interrupted (Ctrl-C)"))
    }

    @Test(arguments: ["ENOSYS", "EPERM"])
    func blockedIOUringIsExplained(_ errno: String) throws {
        // Lay the file out first so the engine, not the layout, is what fails.
        _ = try Self.run(["randread", "--engine", "psync", "--runtime", "100ms"] + Self.small)
        let r = try Self.run([errno, Self.uringbench, "randread", "--engine", "io_uring", "--runtime", "1"] + Self.small, executable: Self.denyIOUring)
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("io_uring is not usable here"))
        #expect(r.stderr.contains(errno))
        #expect(r.stderr.contains("--engine libaio"))
        let engines = try Self.run([errno, Self.uringbench, "engines"], executable: Self.denyIOUring)
        #expect(engines.stdout.contains("io_uring         UNAVAILABLE"))
        #expect(engines.stdout.contains("libaio           available"))
    }
}

extension CLITests {
    @Test func fixedBuffersBeyondMemlockNameUlimit() throws {
        _ = try Self.run(["randread", "--engine", "psync", "--runtime", "100ms"] + Self.small)
        // 32 registered 64 KiB buffers = 2 MiB against a 64 KiB RLIMIT_MEMLOCK, CAP_IPC_LOCK dropped.
        let r = try Self.run(["MEMLOCK=65536", Self.uringbench, "randread", "--engine", "io_uring", "--fixedbufs",
                              "--iodepth", "32", "--bs", "64k", "--runtime", "1"] + Self.small, executable: Self.denyIOUring)
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("ENOMEM") && r.stderr.contains("ulimit -l") && r.stderr.contains("64 KiB"))
        // Without --fixedbufs the same limit is no obstacle.
        let ok = try Self.run(["MEMLOCK=65536", Self.uringbench, "randread", "--engine", "io_uring",
                               "--iodepth", "32", "--bs", "64k", "--runtime", "200ms"] + Self.small, executable: Self.denyIOUring)
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
    }
}

extension CLITests {
    /// Every registered engine is named in the top-level help and in the help of the commands
    /// that take an engine, so a new engine cannot go missing from them.
    @Test(arguments: [["--help"], ["randread", "--help"], ["compare", "--help"]])
    func helpListsEveryRegisteredEngine(_ args: [String]) throws {
        let r = try Self.run(args)
        #expect(r.status == 0)
        let words = Set(r.stdout.split(whereSeparator: { $0.isWhitespace || ",.():".contains($0) }).map(String.init))
        for engine in EngineRegistry.all.map(\.kind.rawValue) {
            #expect(words.contains(engine), "uringbench \(args.joined(separator: " ")) does not name the engine \(engine)")
        }
    }

    /// Help text is the documentation most users read: a change to it must be deliberate.
    /// Regenerate with: .build/debug/uringbench randread --help > Tests/UringBenchCLITests/Snapshots/randread-help.txt
    /// Regenerate all three the same way (`uringbench --help`, `uringbench compare --help`).
    @Test(arguments: [(["randread", "--help"], "randread-help.txt"), (["--help"], "uringbench-help.txt"),
                      (["compare", "--help"], "compare-help.txt")])
    func helpMatchesSnapshot(_ args: [String], _ file: String) throws {
        let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots/\(file)")
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        let r = try Self.run(args)
        #expect(r.status == 0)
        #expect(r.stdout == expected, "help changed: regenerate Snapshots/\(file) if that was deliberate")
    }
}
