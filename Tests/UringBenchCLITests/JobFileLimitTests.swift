import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// Job files as hostile input to the binary: huge files, more jobs than fio runs, a device that
/// never ends.
@Suite(.waits) struct JobFileLimitTests {
    static let global = "[global]\nfilename=data.bin\nsize=1M\nrw=randread\ntime_based\nruntime=1s\nstonewall\n"

    /// `count` job sections of `[jNNNNNNN]` and one option each (about 20 bytes a job).
    static func jobFile(jobs count: Int) throws -> String {
        var text = global
        text.reserveCapacity(count * 24 + global.utf8.count)
        for i in 0..<count { text += "[j\(i)]\nbs=4k\n" }
        let path = CLITests.path("jobs-\(count)") + ".fio"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    @Test func fourHundredThousandSectionsAreRefusedAtTheLimit() throws {
        let path = try Self.jobFile(jobs: 400_000)
        defer { unlink(path) }
        let r = try Self.run(["run", "--parse-only", path])
        #expect(!r.hung, "run --parse-only did not finish")
        #expect(r.status == 1, "\(r.err)")
        // The 4097th job's header: line 8 + 2 × 4096.
        #expect(r.err == "uringbench: error: \(path):\(8 + 2 * 4096): more than 4096 jobs, the most uringbench runs from one file (fio's default max_jobs is the same); split the file\n")
    }

    @Test func exactlyTheLimitParses() throws {
        let path = try Self.jobFile(jobs: JobFile.maxJobs)
        defer { unlink(path) }
        let r = try Self.run(["run", "--parse-only", path])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == JobFile.maxJobs)
        #expect(lines.last?.hasPrefix("j\(JobFile.maxJobs - 1): ioengine=psync iodepth=1 bs=4096 size=1048576") == true)
    }

    @Test func oversizedFileIsRefusedUnread() throws {
        let path = CLITests.path("big") + ".fio"
        defer { unlink(path) }
        // A valid job, then comment lines past the size limit.
        let comment = String(repeating: "; padding padding padding padding padding padding padding\n", count: JobFile.maxFileBytes / 58 + 2)
        try (Self.global + "[j]\n" + comment).write(toFile: path, atomically: false, encoding: .utf8)
        let r = try Self.run(["run", "--parse-only", path])
        #expect(r.status == 1)
        #expect(r.err == "uringbench: error: \(path): is larger than 16 MiB, the most uringbench reads as a job file; pass a fio job file (a few KiB) or split it\n")
        // A character device never ends: read no more than the limit, and refuse it.
        let dev = try Self.run(["run", "--parse-only", "/dev/zero"])
        #expect(dev.status == 1 && dev.err.contains("/dev/zero: is larger than 16 MiB"), "\(dev.err)")
    }

    /// Runs the binary with a hang guard (120 s, then SIGKILL): never a timing assertion.
    static func run(_ args: [String]) throws -> (status: Int32, out: String, err: String, hung: Bool) {
        let r = try SpawnedRun.run(executable: CLITests.uringbench, args, timeout: 120)
        return (r.status, r.stdout, r.stderr, r.hung)
    }
}
