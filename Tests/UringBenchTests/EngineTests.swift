import CLiburing
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// io_uring is probed once: a kernel that refuses it skips those tests with the reason.
let ioUringAvailability = EngineProbe.check(.io_uring)
let sqpollAvailability = EngineProbe.check(.io_uring_sqpoll)

@Suite(.waits) struct EngineTests {
    static let size: UInt64 = 32 << 20

    static func runVerified(_ job: JobSpec) throws -> RunResult {
        let result = try Runner.run(job)
        // Every completed read was compared byte for byte against the pattern at its offset.
        #expect(result.totalIOs > 0)
        #expect(result.verify.enabled)
        #expect(result.verify.checkedIOs == result.totalIOs)
        #expect(result.verify.checkedBytes == result.totalIOs * UInt64(job.blockSize))
        #expect(result.clat.count == result.totalIOs)
        #expect(result.lat.count == result.totalIOs)
        #expect(result.bytes == result.totalIOs * UInt64(job.blockSize))
        return result
    }

    @Test func psyncReadsTheRightBytes() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        let r = try Self.runVerified(TestFiles.job(.psync, file: file, size: Self.size, depth: 4))
        #expect(r.slat == nil, "a sync engine has no submission step")
        #expect(r.distributions.depth[0] == r.totalIOs, "psync runs at depth 1 whatever --iodepth says")
        #expect(r.setup.notes.contains { $0.contains("depth 1") })
    }

    @Test func libaioReadsTheRightBytes() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        let r = try Self.runVerified(TestFiles.job(.libaio, file: file, size: Self.size, depth: 16))
        #expect(r.slat?.count == r.totalIOs)
        #expect(r.distributions.depth[4] > 0, "16 in flight lands in fio's 16 bucket")
    }

    /// glibc's pool, not kernel AIO: every read checked byte for byte, and the report says
    /// where the IO ran and that one descriptor's requests run one at a time.
    @Test func posixaioReadsTheRightBytes() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        let r = try Self.runVerified(TestFiles.job(.posixaio, file: file, size: Self.size, depth: 16))
        #expect(r.slat?.count == r.totalIOs)
        #expect(r.setup.description.contains("user-space thread pool (not kernel AIO)"))
        #expect(r.setup.notes.contains { $0.contains("one request at a time per file descriptor") })
        #expect(r.job.engine.descriptor.helperThreads?.contains("glibc") == true)
    }

    /// A fio job file's ioengine=posixaio runs the same engine, reads verified.
    @Test func posixaioFromAJobFile() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        let text = "[j]\nioengine=posixaio\nrw=randread\niodepth=8\ndirect=1\nsize=32M\ntime_based\nruntime=300ms\nfilename=\(file)\n"
        var spec = try #require(try JobFile.parse(text, path: "posixaio.fio").jobs.first).spec
        #expect(spec.engine == .posixaio && spec.iodepth == 8)
        spec.verify = true
        let r = try Self.runVerified(spec)
        #expect(r.setup.engine == .posixaio)
    }

    @Test(.enabled(if: ioUringAvailability.available, "io_uring unavailable: \(ioUringAvailability.reason ?? "")"),
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func ioUringReadsTheRightBytes(fixedBuffers: Bool, registerFiles: Bool) throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(.io_uring, file: file, size: Self.size, depth: 16)
        if fixedBuffers { job.engineOptions[IORingEngine.fixedBuffersOption] = 1 }
        if registerFiles { job.engineOptions[IORingEngine.registerFilesOption] = 1 }
        let r = try Self.runVerified(job)
        #expect(r.setup.fixedBuffers == fixedBuffers)
        #expect(r.setup.registeredFiles == registerFiles)
        #expect(r.setup.description.contains(fixedBuffers ? "READ_FIXED" : "READ"))
        #expect(!r.setup.ringFlags.contains("SQPOLL"))
    }

    @Test(.enabled(if: sqpollAvailability.available, "SQPOLL unavailable: \(sqpollAvailability.reason ?? "")"))
    func sqpollReadsTheRightBytesWithPlausibleLatency() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(.io_uring_sqpoll, file: file, size: Self.size, depth: 16)
        job.engineOptions[IORingEngine.sqThreadIdleOption] = 50
        let r = try Self.runVerified(job)
        #expect(r.setup.ringFlags.contains("SQPOLL"), "the kernel accepted and reports IORING_SETUP_SQPOLL")
        #expect(r.sqThreadWakeups != nil)
        // fio 3.33 reports clat in the seconds under SQPOLL; ours is bounded by the run itself.
        #expect(r.clat.max < r.runtimeNanoseconds + 100_000_000)
        #expect(r.lat.max >= r.clat.observedMin)
    }

    @Test(.enabled(if: sqpollAvailability.available, "SQPOLL unavailable: \(sqpollAvailability.reason ?? "")"))
    func sqpollSpinningReaperReadsTheRightBytes() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(.io_uring_sqpoll, file: file, size: Self.size, depth: 16)
        job.engineOptions[IORingEngine.sqPollSpinOption] = 1
        let r = try Self.runVerified(job)
        #expect(r.setup.description.contains("completions polled in user space (spin)"))
    }

    @Test func batchedSubmissionAndCompletion() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(.libaio, file: file, size: Self.size, depth: 16)
        job.batchSubmit = 8
        job.batchCompleteMin = 8
        let r = try Self.runVerified(job)
        let submits = r.distributions.submit
        // Every commit but the ramp-up/drain ones carries 8 IOs: fio's 5-8 bucket.
        #expect(submits[2] > submits[1], "submit distribution \(submits)")
        // complete-max defaults to complete-min (fio): each reap returns exactly 8.
        #expect(r.distributions.complete[2] > 0 && r.distributions.complete[3] == 0, "\(r.distributions.complete)")
    }

    @Test func fioDefaultReapsOneCompletionPerCall() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(.libaio, file: file, size: Self.size, depth: 16)
        let r = try Self.runVerified(job)
        // Only the final drain of the 16 in flight may take more than one at a time: at most 8
        // such calls, against thousands of one-completion calls.
        let complete = r.distributions.complete
        #expect(complete[1] > 100 && complete[2...].reduce(0, +) <= 8, "\(complete)")
        job.batchCompleteMax = 16
        #expect(try Runner.run(job).totalIOs > 0)
    }

    @Test func sameSeedGivesSameOffsets() {
        var a = RandomOffsets(blockSize: 4096, blockCount: 1000, seed: 42)
        var b = RandomOffsets(blockSize: 4096, blockCount: 1000, seed: 42)
        var c = RandomOffsets(blockSize: 4096, blockCount: 1000, seed: 43)
        var seen = Set<UInt64>()
        var differs = false
        for _ in 0..<5000 {
            let x = a.next()
            #expect(x == b.next())
            if x != c.next() { differs = true }
            #expect(x % 4096 == 0 && x < 4096 * 1000)
            seen.insert(x)
        }
        #expect(differs)
        // Uniform with replacement: 5000 draws over 1000 blocks touch nearly all of them.
        #expect(seen.count > 980)
    }

    @Test func verifyCatchesACorruptedBlock() throws {
        // A private file of 4 blocks with one corrupted byte: random reads hit it quickly.
        let path = TestFiles.path("corrupt")
        var job = TestFiles.job(.psync, file: path, size: 16384, depth: 1, milliseconds: 2000)
        _ = try DataFile(job: job)
        let fd = open(path, O_WRONLY)
        #expect(fd >= 0)
        var garbage: UInt8 = 0xAB
        #expect(pwrite(fd, &garbage, 1, 8192 + 700) == 1)
        close(fd)
        job.direct = true
        #expect {
            _ = try Runner.run(job)
        } throws: { error in
            guard case BenchError.verifyFailed(let engine, let offset, _, let detail) = error else { return false }
            return engine == "psync" && offset == 8192 && detail.contains("\(8192 + 700)")
        }
    }

    @Test func shortReadAtEndOfFileIsAnError() throws {
        // A read past EOF returns 0 bytes, not an error: the runner must call it a short read.
        let file = try TestFiles.laidOut(size: Self.size)
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        let buffers = try AlignedBuffers(count: 1, size: 4096)
        var job = JobSpec()
        job.engine = .libaio
        let ctx = EngineContext(fd: fd, buffers: buffers, bufferSize: 4096, depth: 1, job: job)
        let engines: [any IOEngine] = [try LibaioEngine(ctx)] + (ioUringAvailability.available ? [try IORingEngine(ctx)] : [])
        for engine in engines {
            _ = try engine.queue(slot: 0, offset: Self.size, length: 4096, direction: .read)
            #expect(try engine.commit() == 1)
            #expect(try engine.reap(minimum: 1, maximum: 1) == 1)
            let c = engine.completion(at: 0)
            #expect(c.slot == 0 && c.result == 0)
            let slots = SlotTable(depth: 1)
            defer { slots.deallocate() }
            slots.offsets[0] = Self.size
            slots.directions[0] = .read
            slots.lengths[0] = 4096
            #expect(throws: BenchError.shortIO(engine: "libaio", direction: .read, offset: Self.size, got: 0, expected: 4096)) {
                try Runner.check(c, slot: 0, slots: slots, engine: .libaio)
            }
        }
        let psync = PsyncEngine(ctx)
        guard case .completed(let n) = try psync.queue(slot: 0, offset: Self.size, length: 4096, direction: .read) else {
            Issue.record("psync must complete inside queue")
            return
        }
        #expect(n == 0)
    }

    @Test func bufferedPageCacheRun() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(.psync, file: file, size: Self.size, depth: 1)
        job.direct = false
        job.invalidate = false
        job.blockSize = 1536   // buffered IO takes any size; --verify checks whole 512-byte sectors
        _ = try Self.runVerified(job)
    }
}
