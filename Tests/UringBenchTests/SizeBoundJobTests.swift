import Foundation
import Testing
import TestSupport
@testable import UringBench

/// Size-bound jobs read from job files as fio reads them, run beside fio on the same file, in a
/// numjobs group and with --verify.
@Suite(.serialized, .waits)
struct SizeBoundJobTests {
    static let fileSize: UInt64 = 8 << 20

    static func spec(_ text: String) throws -> JobSpec {
        try JobFile.parse("[global]\nfilename=f\nsize=1M\nbs=4k\n" + text, path: "t.fio").jobs[0].spec
    }

    static func refusal(_ text: String) -> String? {
        do { _ = try spec(text); return nil } catch { return "\(error)" }
    }

    @Test func jobFilesWithoutTimeBasedAreSizeBound() throws {
        let once = try Self.spec("[j]\nrw=randread\n")
        #expect(!once.timeBased && once.runtimeNanoseconds == 0 && once.ioSize == nil && once.loops == 1)
        let capped = try Self.spec("[j]\nruntime=2s\nio_size=50%\nloops=3\nnumber_ios=100\n")
        #expect(!capped.timeBased && capped.runtimeNanoseconds == 2_000_000_000)
        #expect(capped.ioSize == 512 << 10 && capped.loops == 3 && capped.numberIOs == 100)
        // loops=0 runs once and io_size=0 is unset, as in fio.
        let zero = try Self.spec("[j]\nloops=0\nio_size=0\n")
        #expect(zero.loops == 1 && zero.ioSize == nil)
        // time_based without a runtime is dropped (fio: "time_based requires a runtime/timeout setting").
        #expect(try !Self.spec("[j]\ntime_based\n").timeBased)
        // fio ignores io_size, number_ios and loops in a time_based job.
        let timed = try Self.spec("[j]\ntime_based\nruntime=1s\nio_size=3M\nloops=2\nnumber_ios=5\n")
        #expect(timed.timeBased && timed.ioSize == nil && timed.loops == 1 && timed.numberIOs == 0)
    }

    @Test func combinationsFioRunsDifferentlyAreRefusedByName() {
        #expect(Self.refusal("[j]\nrw=rw\nio_size=3M\n")?.contains("rw (sequential reads and writes mixed) with --io-size above --size") == true)
        #expect(Self.refusal("[j]\nrw=randread\nnumber_ios=5\nramp_time=1s\n")?.contains("--number-ios with --ramp-time") == true)
        #expect(Self.refusal("[j]\nloops=-1\n")?.contains("loops") == true)
    }

    /// The JSON's job options say what the job file said: no time_based, the io limit.
    @Test func jobOptionsShowTheLimit() throws {
        let options = FioJSON.jobOptions(try Self.spec("[j]\nio_size=3M\nloops=2\n"))
        let keys = options.entries.map(\.0)
        #expect(!keys.contains("time_based") && !keys.contains("runtime"))
        #expect(options["io_size"] == "3M" && options["loops"] == "2")
    }

    /// One job file, run by fio and by uringbench: the same IOs and bytes, per job of a numjobs
    /// group (each job does its own size), and the group's runtime is its last job's.
    @Test func aNumjobsGroupIssuesWhatFioIssues() throws {
        let data = try TestFiles.laidOut(size: Self.fileSize)
        let text = "[global]\nfilename=\(data)\nsize=1M\nbs=4k\nioengine=psync\ndirect=1\nthread\nnumjobs=2\n[g]\nrw=randread\nio_size=1536k\n"
        let path = TestFiles.path("size-bound") + ".fio"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        defer { unlink(path) }
        _ = try #require(FioProcess.path, "fio is not installed; make test installs it")
        let fio = try #require(try FioProcess.json([path]))
        let theirs = try #require(fio["jobs"] as? [[String: Any]]).compactMap { ($0["read"] as? [String: Any])?["total_ios"] as? Int }
        let group = try Runner.runGroup(try JobFile.parse(text, path: path).jobs[0].spec)
        #expect(group.jobs.map { Int($0.totalIOs) } == theirs)
        #expect(group.jobs.allSatisfy { $0.ending == .ioLimit })
        #expect(group.merged.runtimeNanoseconds == group.jobs.map(\.runtimeNanoseconds).max())
        #expect(group.merged.totalIOs == 2 * 384)
    }

    /// A size-bound random write job with --verify: one pass of the map, then every block read
    /// back and checked byte for byte (fio 3.33 writes 256 and reads 256 back on this job).
    @Test func verifyReadsBackEveryBlockWritten() throws {
        var job = TestFiles.job(.io_uring, file: TestFiles.path("size-bound-verify"), size: 1 << 20, depth: 8)
        defer { try? FileManager.default.removeItem(atPath: job.filename) }
        job.rw = .randwrite
        job.timeBased = false
        job.runtimeNanoseconds = 0
        let r = try Runner.run(job)
        #expect(r.ending == .ioLimit && r.totalIOs == 256)
        #expect(r.verify.readBackBlocks == 256 && r.verify.readBackComplete == true)
        // fio verifies after each pass and counts those reads toward io_size: refused by name.
        job.ioSize = 2 << 20
        #expect(throws: BenchError.self) { try job.validate() }
    }

    /// A runtime cap shorter than the io limit ends the job first, and says so.
    @Test func aRuntimeCapEndsTheJob() throws {
        var job = TestFiles.job(.psync, file: try TestFiles.laidOut(size: Self.fileSize), size: Self.fileSize, depth: 1)
        job.verify = false
        job.timeBased = false
        job.ioSize = 1 << 40
        job.rateIOPS = 200
        job.runtimeNanoseconds = 300_000_000
        let r = try Runner.run(job)
        #expect(r.ending == .runtimeCap)
        #expect(r.totalIOs > 0 && r.totalIOs < 1 << 28)
    }
}
