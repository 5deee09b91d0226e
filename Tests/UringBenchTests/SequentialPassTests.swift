import Testing
import TestSupport
@testable import UringBench

/// A sequential job whose size is not a multiple of bs, as fio 3.33 walks it (io_u.c
/// get_next_seq_offset wraps once the position reaches size): measured here with
/// `fio --debug=io seq.fio` (size=10k, bs=4k, rw=read, time_based, runtime=1, rate_iops=20) on a
/// 16 MiB file, offsets 0, 4k, 8k, 0, 4k, 8k, … — three blocks a pass, the last ending 2k past
/// size; on a 10 KiB file 0, 4k, 0, 4k, … (fio fails the IO that would end past the file).
@Suite(.waits) struct SequentialPassTests {
    static func job(_ rw: RWMode, size: UInt64) -> JobSpec {
        var job = JobSpec()
        job.rw = rw
        job.size = size
        job.blockSize = 4096
        return job
    }

    @Test func aPassEndsAtTheFirstBlockStartingAtOrPastSize() {
        let job = Self.job(.read, size: 10 << 10)
        var onBigFile = IOStream(job: job, fileSize: 16 << 20)
        #expect((0..<7).map { _ in onBigFile.next().offset } == [0, 4096, 8192, 0, 4096, 8192, 0])
        var onItsOwnFile = IOStream(job: job, fileSize: 10 << 10)
        #expect((0..<5).map { _ in onItsOwnFile.next().offset } == [0, 4096, 0, 4096, 0])
        #expect(IOStream.blockCount(job: job, fileSize: 12 << 10) == 3)
        #expect(IOStream.blockCount(job: job, fileSize: 12 << 10 - 1) == 2)
        // A multiple of bs, and random modes (fio's last_block: whole blocks in size), unchanged.
        #expect(IOStream.blockCount(job: Self.job(.read, size: 8 << 10), fileSize: 16 << 20) == 2)
        #expect(IOStream.blockCount(job: Self.job(.randread, size: 10 << 10), fileSize: 16 << 20) == 2)
    }

    /// By the file: a sequential write job of size=10k on a larger file writes blocks 0 to 2 and
    /// nothing after (before: blocks 0 and 1 only).
    @Test(arguments: [EngineKind.psync, .io_uring])
    func aWriteJobWritesTheBlockThatCrossesSize(engine: EngineKind) throws {
        let (path, seed) = try WorkloadTests.zeroedFile()
        var job = TestFiles.job(engine, file: path, size: 10 << 10, depth: 2, milliseconds: 100)
        job.rw = .write
        job.verify = false
        job.allowOverwrite = true
        let r = try Runner.run(job)
        #expect(r.totalIOs >= 3)
        let blocks = try WorkloadTests.patternBlocks(path, seed: seed)
        #expect(Array(blocks.prefix(4)) == [true, true, true, false])
        // The last block holds the zeroed file's mark (the data file's last sector), written or not.
        #expect(!blocks.dropFirst(3).dropLast().contains(true))
    }
}
