import Foundation
import Testing
import TestSupport
@testable import UringBench

/// offset, offset_increment and filesize move a job's IOs into its region of the file, and
/// thinktime pauses the loop: checked on the bytes of a real file and on the IOs a run issues.
@Suite(.waits) struct JobRegionRunTests {
    static func laidOut(_ name: String, size: UInt64) throws -> JobSpec {
        var job = JobSpec()
        job.filename = TestFiles.path(name)
        job.size = size
        _ = try DataFile(job: job)
        return job
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Indices of the 512-byte sectors that differ between two copies of a file.
    static func changedSectors(_ a: [UInt8], _ b: [UInt8]) -> Set<Int> {
        Set(stride(from: 0, to: min(a.count, b.count), by: 512).filter { a[$0..<$0 + 512] != b[$0..<$0 + 512] }.map { $0 / 512 })
    }

    @Test func aGroupWritesOnlyItsJobsRegions() throws {
        var job = try Self.laidOut("regions", size: 1 << 20)
        let before = try Self.bytes(job.filename)
        job.engine = .psync
        job.rw = .write
        job.size = 64 << 10
        job.offset = 64 << 10
        job.offsetIncrement = 256 << 10
        job.numjobs = 2
        job.runtimeNanoseconds = 200_000_000
        _ = try Runner.run(job)
        let changed = Self.changedSectors(before, try Self.bytes(job.filename))
        let first = Set(128..<256), second = Set(640..<768)
        #expect(changed.subtracting(first.union(second)).isEmpty, "sectors outside both regions changed: \(changed.subtracting(first.union(second)).sorted().prefix(5))")
        // A sequential writer at 4k for 200 ms covers its 64 KiB region.
        #expect(changed.isSuperset(of: first) && changed.isSuperset(of: second))
    }

    @Test func verifyWritesAndReadsBackTheRegion() throws {
        var job = try Self.laidOut("verify-region", size: 1 << 20)
        job.engine = .psync
        job.rw = .randwrite
        job.verify = true
        job.offset = 512 << 10
        job.fileSize = 1 << 20
        job.runtimeNanoseconds = 200_000_000
        var order: [UInt64] = []
        let result = try Runner.run(job, beforeReadBack: { order = $0 })
        #expect(!order.isEmpty)
        #expect(order.allSatisfy { $0 >= 512 << 10 && $0 < 1 << 20 }, "read-back offsets outside [512k, 1M): \(order.filter { $0 < 512 << 10 }.prefix(3))")
        #expect(result.verify.readBackComplete == true && result.verify.readBackBlocks == UInt64(order.count))
    }

    @Test func thinktimePausesAfterEveryBlocksIOs() throws {
        var job = try Self.laidOut("think", size: 1 << 20)
        job.engine = .psync
        job.rw = .randread
        job.direct = false
        job.runtimeNanoseconds = 200_000_000
        job.thinktimeNanoseconds = 20_000_000
        job.thinktimeBlocks = 4
        let result = try Runner.run(job)
        // Each pause sleeps at least 20 ms, so 200 ms holds at most 10 pauses after 4 IOs each.
        #expect(result.totalIOs > 0 && result.totalIOs <= 44, "\(result.totalIOs) IOs")
    }

    @Test func aFileThatDoesNotHoldTheRegionIsRefusedNamingTheOffset() throws {
        var job = try Self.laidOut("short", size: 1 << 20)
        let before = try Self.bytes(job.filename)
        job.rw = .randwrite
        job.offset = 768 << 10
        job.size = 512 << 10
        do { _ = try Runner.run(job); Issue.record("ran past the file's end") } catch {
            #expect(error.description.contains("the job's regions (--offset, --offset-increment and --size, or --filesize) reach 1.25 MiB"), "\(error)")
        }
        #expect(try Self.bytes(job.filename) == before, "the file changed")
    }
}
