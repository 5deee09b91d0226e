import Foundation
import Glibc
import Testing
@testable import UringBench

/// --verify on IOs of several sizes (fio's bssplit): a write of n blocks puts one generation in
/// each, every read is checked block by block against what each block may hold, no IO overlaps
/// a write in flight to any of its blocks, and the read-back checks every block written. Checked
/// by the bytes on disk after the run.
@Suite struct MixedSizeVerifyTests {
    static let size: UInt64 = 1 << 20
    static let bs = 4096

    static func job(_ engine: EngineKind, file: String, milliseconds: UInt64 = 300) -> JobSpec {
        var job = TestFiles.job(engine, file: file, size: size, depth: 8, milliseconds: milliseconds)
        job.rw = .randrw
        let choice = BlockSizes.Choice(shares: [BlockSizes.Share(size: 65536, percent: 20), BlockSizes.Share(size: 8192, percent: 30),
                                                BlockSizes.Share(size: 4096, percent: 50)])
        job.blockSizes = BlockSizes(read: choice, write: choice)
        return job
    }

    @Test(arguments: [EngineKind.psync, .io_uring, .libaio, .mmap])
    func mixedSizesVerifyBlockByBlock(engine: EngineKind) throws {
        let path = TestFiles.path("mixed-verify")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let job = Self.job(engine, file: path)
        let r = try Runner.run(job)
        let mixed = try #require(r.mixed)
        #expect(mixed.read.ios > 0 && mixed.write.ios > 0)
        // Bytes are each IO's length: more than one block an IO on average, never 64 KiB each.
        for d in [mixed.read, mixed.write] { #expect(d.bytes > d.ios * 4096 && d.bytes < d.ios * 65536) }
        #expect(r.verify.checkedIOs == mixed.read.ios && r.verify.checkedBytes == mixed.read.bytes)
        let first = try #require(r.verify.firstGeneration)
        let generations = try VerifyTests.generations(path, seed: job.randSeed, size: Self.size)
        let written = generations.filter { $0 >= first }
        #expect(generations.allSatisfy { $0 == 0 || $0 >= first })
        #expect(r.verify.readBackBlocks == UInt64(written.count) && r.verify.readBackComplete == true)
        // A write of several blocks left one generation in all of them (each write has its own).
        let shared = zip(generations, generations.dropFirst()).filter { $0 >= first && $0 == $1 }.count
        #expect(shared > 0, "no two neighbouring blocks hold one write")
    }

    /// The loop with an engine that completes the newest IO first and sees every overlap of
    /// byte ranges: none, with IOs of one to sixteen blocks.
    @Test func noIOOverlapsAWriteInFlightToAnyOfItsBlocks() throws {
        let path = TestFiles.path("mixed-overlap")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var job = Self.job(.io_uring, file: path, milliseconds: 200)
        job.size = 256 << 10
        job.iodepth = 16
        let (r, overlaps) = try OverlapWatchingEngine.run(job)
        #expect(overlaps == 0, "\(overlaps) IOs queued over a write in flight to one of their blocks")
        let reads = try #require(r.mixed?.read.ios)
        #expect(reads > 50 && r.verify.checkedIOs == reads && r.verify.readBackComplete == true)
    }

    /// A byte flipped in a written block between the run and the read-back is named.
    @Test func theReadBackFindsAFlippedByte() throws {
        let path = TestFiles.path("mixed-corrupt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var job = Self.job(.psync, file: path, milliseconds: 200)
        job.rw = .randwrite
        var victim: UInt64? = nil
        let damage: ReadBack.Hook = { written in
            guard let first = written.first else { return }
            victim = first
            let fd = open(path, O_RDWR)
            defer { close(fd) }
            var byte: UInt8 = 0
            _ = pread(fd, &byte, 1, off_t(first + 1000))
            byte ^= 0x10
            _ = pwrite(fd, &byte, 1, off_t(first + 1000))
            fsync(fd)
        }
        do {
            _ = try Runner.run(job, beforeReadBack: damage)
            Issue.record("the read-back found nothing")
        } catch {
            guard case .verifyFailed(_, let offset, let length, let detail) = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(offset == victim && length == Self.bs)
            #expect(detail.contains("the sector at offset \((victim ?? 0) + 512) is corrupt"), "\(detail)")
        }
    }
}
