import Foundation
import Testing
import TestSupport
@testable import UringBench

/// --verify on a mixed job: no IO overlaps a write in flight to its block (fio's
/// serialize_overlap), so a read never finds a block half-written and a mismatch always means
/// the data is wrong. Buffered io_uring at depth 64 on 16 blocks used to fail "corrupt".
@Suite(.waits) struct VerifyOverlapTests {
    static func job(_ engine: EngineKind, depth: Int, milliseconds: UInt64) throws -> JobSpec {
        var job = JobSpec()
        job.engine = engine
        job.filename = TestFiles.path("overlap")
        job.size = 64 << 10
        job.rw = .randrw
        job.verify = true
        job.direct = false
        job.iodepth = depth
        job.runtimeNanoseconds = milliseconds * 1_000_000
        return job
    }

    /// The loop, with an engine that sees every overlap: none.
    @Test func underVerifyNoIOOverlapsAWriteInFlight() throws {
        let job = try Self.job(.io_uring, depth: 16, milliseconds: 200)
        let (r, overlaps) = try OverlapWatchingEngine.run(job)
        #expect(overlaps == 0, "\(overlaps) IOs queued over a write in flight to their block")
        let reads = try #require(r.mixed?.read.ios)
        #expect(reads > 100 && (r.mixed?.write.ios ?? 0) > 100)
        #expect(r.verify.checkedIOs == reads)
        #expect(r.verify.readBackBlocks == 16 && r.verify.readBackComplete == true)
        // The file holds the pattern in every block, each at one generation of this run's.
        let data = try Data(contentsOf: URL(fileURLWithPath: job.filename))
        let pattern = SectorPattern(seed: job.randSeed, flags: 0)
        defer { pattern.deallocate() }
        let first = try #require(r.verify.firstGeneration)
        data.withUnsafeBytes { raw in
            for b in 0..<16 {
                let block = raw.baseAddress! + b * job.blockSize
                let window = GenerationWindow(before: 0, lowest: first, highest: .max)
                if let bad = pattern.verify(block, length: job.blockSize, fileOffset: UInt64(b * job.blockSize), generations: window) {
                    Issue.record("block \(b): \(bad)")
                }
            }
        }
    }

    /// The real case: buffered io_uring, depth 64, 16 blocks, reads racing writes in io-wq.
    @Test func bufferedRandrwVerifyOnIOUringFindsNoTornSector() throws {
        let availability = EngineProbe.check(.io_uring)
        try #require(availability.available, "io_uring unavailable here: \(availability.reason ?? "")")
        let job = try Self.job(.io_uring, depth: 64, milliseconds: 1000)
        let r = try Runner.run(job)
        let reads = try #require(r.mixed?.read.ios)
        #expect(reads > 0 && r.verify.checkedIOs == reads)
        #expect(r.verify.readBackComplete == true)
    }
}
