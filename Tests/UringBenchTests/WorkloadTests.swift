import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// Every rw mode on every engine, checked by the bytes on disk: written blocks hold the pattern
/// exactly where the seeded stream says they were written, reads are verified, and nothing
/// but uringbench's own file is ever written.
@Suite(.waits) struct WorkloadTests {
    static let size: UInt64 = 4 << 20
    static let bs = 4096

    /// A fresh laid-out file whose blocks between the first and the last are zeroed, so a write
    /// shows where it landed. The first and last keep the pattern: together they mark the file
    /// as uringbench's, which a write job needs.
    static func zeroedFile() throws -> (path: String, seed: UInt64) {
        let path = TestFiles.path("zeroed")
        var job = JobSpec()
        job.filename = path
        job.size = size
        _ = try DataFile(job: job)
        let fd = open(path, O_WRONLY)
        defer { close(fd) }
        let zeros = [UInt8](repeating: 0, count: Int(size) - 2 * bs)
        let n = zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(bs)) }
        #expect(n == zeros.count)
        fsync(fd)
        return (path, job.randSeed)
    }

    /// Per block: true if it holds the pattern for its offset, false if all zero; a block that
    /// is neither is recorded as an issue.
    static func patternBlocks(_ path: String, seed: UInt64) throws -> [Bool] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == Int(size))
        let pattern = SectorPattern(seed: seed, flags: 0)
        defer { pattern.deallocate() }
        return data.withUnsafeBytes { raw -> [Bool] in
            (0..<Int(size) / bs).map { b in
                let block = raw.baseAddress! + b * bs
                if pattern.verify(block, length: bs, fileOffset: UInt64(b * bs), generations: .any) == nil { return true }
                if !UnsafeRawBufferPointer(start: block, count: bs).contains(where: { $0 != 0 }) { return false }
                Issue.record("block \(b) is neither the pattern nor zeros")
                return false
            }
        }
    }

    /// The offsets the stream sends `writes` writes to (the runner drains every IO it issues).
    static func writtenOffsets(_ job: JobSpec, writes: UInt64) -> Set<UInt64> {
        var stream = IOStream(job: job)
        var offsets = Set<UInt64>()
        var seen: UInt64 = 0
        while seen < writes {
            let io = stream.next()
            if io.direction == .write { offsets.insert(io.offset); seen += 1 }
        }
        return offsets
    }

    /// Engines that move data (null moves none; it has its own test).
    static let dataEngines = EngineKind.allCases.filter(\.descriptor.transfersData)

    static let writeCases: [(EngineKind, RWMode)] = dataEngines.flatMap { e in [(e, RWMode.randwrite), (e, .write)] }

    @Test(arguments: writeCases)
    func writesLandWhereTheStreamSays(engine: EngineKind, mode: RWMode) throws {
        let (path, seed) = try Self.zeroedFile()
        var job = TestFiles.job(engine, file: path, size: Self.size, depth: 8, milliseconds: 300)
        job.rw = mode
        job.verify = false
        job.fsyncEvery = mode == .write ? 16 : 0
        let r = try Runner.run(job)
        let writes = try #require(r.figures(.write)).ios
        #expect(writes > 0 && r.figures(.read) == nil)
        #expect(r.totalIOs == writes && r.bytes == writes * UInt64(Self.bs))
        if job.fsyncEvery > 0 {
            // A sync after every 16 writes issued (the last may still be waiting); an engine that
            // queues syncs gets more while the first is in flight, as in fio: at most one a slot.
            let syncs = r.syncLatency?.count ?? 0
            let most = (writes / 16 + 1) * UInt64(engine.isSynchronous ? 1 : job.iodepth)
            #expect(syncs >= writes / 16 - 1 && syncs <= most, "\(syncs) syncs for \(writes) writes")
        } else {
            #expect(r.syncLatency == nil)
        }
        let expected = Self.writtenOffsets(job, writes: writes)
        let blocks = try Self.patternBlocks(path, seed: seed)
        for (b, isPattern) in blocks.enumerated().dropFirst().dropLast() {
            #expect(isPattern == expected.contains(UInt64(b * Self.bs)), "block \(b): \(isPattern ? "written" : "not written"), the stream says otherwise")
        }
        #expect(blocks[0] && blocks[blocks.count - 1], "the first and last blocks (the layout's mark) are intact")
    }

    static let mixedCases: [(EngineKind, RWMode)] = dataEngines.flatMap { e in [(e, RWMode.randrw), (e, .rw)] }

    /// Mixed jobs: every read is verified (writes put the pattern back), both directions are
    /// reported apart, and the file is intact afterwards.
    @Test(arguments: mixedCases)
    func mixedJobsVerifyEveryRead(engine: EngineKind, mode: RWMode) throws {
        let path = TestFiles.path("mixed")
        var job = TestFiles.job(engine, file: path, size: Self.size, depth: 8, milliseconds: 300)
        job.rw = mode
        job.rwMixRead = 70
        job.fdatasyncEvery = 8
        let r = try Runner.run(job)
        let reads = try #require(r.figures(.read)), writes = try #require(r.figures(.write))
        #expect(reads.ios > 0 && writes.ios > 0)
        #expect(r.verify.checkedIOs == reads.ios, "every read verified")
        #expect(reads.ios + writes.ios == r.totalIOs)
        #expect(r.clat.count == reads.clat.count + writes.clat.count)
        // 70% reads, within a wide margin for short runs.
        let share = Double(reads.ios) / Double(r.totalIOs)
        #expect(share > 0.55 && share < 0.85, "read share \(share)")
        #expect((r.syncLatency?.count ?? 0) > 0)
        #expect(try Self.patternBlocks(path, seed: job.randSeed).allSatisfy { $0 })
    }

    /// Sequential reads walk from 0 and wrap: with psync every read is verified at its offset.
    @Test(arguments: dataEngines)
    func sequentialReadsAreVerified(engine: EngineKind) throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(engine, file: file, size: Self.size, depth: 8, milliseconds: 200)
        job.rw = .read
        let r = try Runner.run(job)
        #expect(r.totalIOs > 0 && r.verify.checkedIOs == r.totalIOs && r.figures(.write) == nil)
    }

    /// null completes every IO without touching the file: IOs counted in every direction, the
    /// file's bytes unchanged, and --verify refused by name.
    @Test(arguments: RWMode.allCases)
    func nullMovesNoData(mode: RWMode) throws {
        let (path, seed) = try Self.zeroedFile()
        let before = try Self.patternBlocks(path, seed: seed)
        var job = TestFiles.job(.null, file: path, size: Self.size, depth: 32, milliseconds: 200)
        job.rw = mode
        job.verify = false
        if mode.writes { job.fsyncEvery = 4 }
        let r = try Runner.run(job)
        #expect(r.totalIOs > 0)
        // Like fio's null: no new IO until the committed one is reaped, so depth 1 at iodepth 32.
        #expect(r.distributions.depth[0] == r.distributions.depth.reduce(0, +), "\(r.distributions.depth)")
        #expect((r.figures(.read) != nil) == mode.reads && (r.figures(.write) != nil) == mode.writes)
        if mode.writes { #expect((r.syncLatency?.count ?? 0) > 0) }
        #expect(try Self.patternBlocks(path, seed: seed) == before)
        job.verify = true
        #expect(throws: BenchError.invalidOption("--verify checks the bytes an engine read, and null reads none; drop --verify")) { try job.validate() }
    }

    @Test func aFileUringbenchDidNotLayOutIsNeverWritten() throws {
        let path = TestFiles.path("users")
        let original = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try original.write(to: URL(fileURLWithPath: path))
        for mode in [RWMode.randwrite, .write, .randrw, .rw] {
            var job = TestFiles.job(.psync, file: path, size: 1 << 20)
            job.rw = mode
            job.verify = false
            #expect(throws: BenchError.writeRefused(path: path, reason: "it was not laid out by uringbench (no uringbench header in its first and last sectors)")) {
                _ = try Runner.run(job)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
    }

    @Test func writeOptionsOnAReadJobAreRefusedByName() {
        var job = JobSpec()
        job.fsyncEvery = 1
        #expect(throws: BenchError.invalidOption("--fsync, --fdatasync and --end-fsync sync written data, and randread writes nothing; use randwrite, write, randrw or rw")) { try job.validate() }
        job.rw = .randwrite
        job.fdatasyncEvery = 2
        #expect(throws: BenchError.invalidOption("--fsync 1 and --fdatasync 2 both set a sync cadence; keep one")) { try job.validate() }
        job.fsyncEvery = 0
        job.verify = true
        // --verify on a write job reads every written block back: accepted.
        #expect((try? job.validate()) != nil)
        job.blockSize = 1000
        job.direct = false
        #expect(throws: BenchError.invalidOption("--bs 1000: a write job writes whole 512-byte sectors, each with its own verify header; use --bs 512")) { try job.validate() }
        job.blockSize = 4096
        job.verify = false
        job.rwMixRead = 101
        #expect(throws: (any Error).self) { try job.validate() }
    }
}
