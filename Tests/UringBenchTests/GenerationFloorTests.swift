import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// A run's write generations start above every generation the file holds, whatever the wall
/// clock says: blocks written while the clock was a day ahead do not make a later
/// randrw --verify fail "stale".
@Suite(.waits) struct GenerationFloorTests {
    @Test func blocksWrittenWhileTheClockWasAheadVerify() throws {
        var job = JobSpec()
        job.engine = .psync
        job.filename = TestFiles.path("future")
        job.size = 1 << 20
        job.rw = .randrw
        job.verify = true
        job.direct = false
        job.runtimeNanoseconds = 200_000_000
        _ = try DataFile(job: job)
        // Every block as a run a day ahead of this clock would have left it.
        let future = Runner.generationBase() + 86_400 * 1_000_000_000
        let length = Int(job.size)
        let image = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 4096)
        defer { image.deallocate() }
        DataPattern.fill(image, length: length, fileOffset: 0, seed: job.randSeed, generation: future)
        let fd = open(job.filename, O_WRONLY)
        #expect(pwrite(fd, image, length, 0) == length)
        close(fd)
        let opened = try DataFile(job: job)
        #expect(try GenerationFloor.highest(fd: opened.fd, length: job.size, alignment: 4096) == future)

        let r = try Runner.run(job)
        let reads = try #require(r.mixed?.read.ios)
        #expect(reads > 0 && r.verify.checkedIOs == reads)
        #expect(r.verify.readBackComplete == true)
        let first = try #require(r.verify.firstGeneration)
        #expect(first > future)
        // Each block now holds either the future generation or one of this run's, every sector intact.
        let data = try Data(contentsOf: URL(fileURLWithPath: job.filename))
        data.withUnsafeBytes { raw in
            for b in 0..<(length / job.blockSize) {
                let block = raw.baseAddress! + b * job.blockSize
                let window = GenerationWindow(before: 0, lowest: future, highest: .max)
                if let bad = DataPattern.verify(block, length: job.blockSize, fileOffset: UInt64(b * job.blockSize), seed: job.randSeed, generations: window) {
                    Issue.record("block \(b): \(bad)")
                }
            }
        }
    }
}
