import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// Per-sector verify headers (fio's verify=crc32c model) on every engine that moves data and
/// every write mode, checked by the bytes on disk: after each run every block of the file is
/// read and checked — a block the run wrote holds the generation of its last write, every
/// other block the layout's 0 — and --verify's read-back names a flipped byte, a stale
/// generation and a misplaced block put into the file before it runs.
@Suite(.waits) struct VerifyTests {
    static let size: UInt64 = 4 << 20
    static let bs = 4096
    static let depth = 8
    static let dataEngines = EngineKind.allCases.filter(\.descriptor.transfersData)
    static let writeModes: [RWMode] = [.randwrite, .write, .randrw, .rw]
    static let cases: [(EngineKind, RWMode)] = dataEngines.flatMap { e in writeModes.map { (e, $0) } }

    /// Each block's generation, every sector checked (magic, offset, seed, checksum, data) and
    /// all sectors of a block agreeing; `size`: the file's.
    static func generations(_ path: String, seed: UInt64, size: UInt64 = size) throws -> [UInt64] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.count == Int(size))
        let pattern = SectorPattern(seed: seed, flags: 0)
        defer { pattern.deallocate() }
        return data.withUnsafeBytes { raw -> [UInt64] in
            (0..<Int(size) / bs).map { b in
                let block = raw.baseAddress! + b * bs
                if let bad = pattern.verify(block, length: bs, fileOffset: UInt64(b * bs), generations: .any) {
                    Issue.record("block \(b): \(bad)")
                }
                let sectors = (0..<bs / DataPattern.sectorSize).map { DataPattern.SectorHeader(block + $0 * DataPattern.sectorSize).generation }
                #expect(Set(sectors).count == 1, "block \(b) mixes generations \(sectors)")
                return sectors[0]
            }
        }
    }

    /// For each block the stream wrote: the write numbers (1-based) that may be on disk — its
    /// last write, or an earlier one issued within `depth` IOs of it (they may overlap in
    /// flight and land in either order).
    static func expectedWrites(_ job: JobSpec, writes: UInt64) -> [UInt64: Set<UInt64>] {
        var stream = IOStream(job: job)
        var history: [UInt64: [(index: Int, number: UInt64)]] = [:]
        var number: UInt64 = 0
        var index = 0
        while number < writes {
            let io = stream.next()
            if io.direction == .write {
                number += 1
                history[io.offset, default: []].append((index, number))
            }
            index += 1
        }
        return history.mapValues { list in
            let last = list[list.count - 1].index
            return Set(list.filter { last - $0.index < depth }.map(\.number))
        }
    }

    @Test(arguments: cases)
    func everyBlockVerifiesAfterTheRun(engine: EngineKind, mode: RWMode) throws {
        let path = TestFiles.path("verify")
        var job = TestFiles.job(engine, file: path, size: Self.size, depth: Self.depth, milliseconds: 300)
        job.rw = mode
        job.verify = true
        try Self.checkEveryBlock(job)
    }

    /// With --fixedbufs a write's registered buffer index is its buffer's, not its slot's: the
    /// writes hand slots spare buffers that already hold their payloads (SparesByVariant).
    @Test(.enabled(if: ioUringAvailability.available, "io_uring unavailable: \(ioUringAvailability.reason ?? "")"),
          arguments: [RWMode.randwrite, .randrw])
    func registeredBuffersWriteTheRightBytes(mode: RWMode) throws {
        let path = TestFiles.path("verify-fixed")
        var job = TestFiles.job(.io_uring, file: path, size: Self.size, depth: Self.depth, milliseconds: 300)
        job.rw = mode
        job.verify = true
        job.engineOptions[IORingEngine.fixedBuffersOption] = 1
        #expect(PatternHook.spareBuffers(for: job) > 0)
        try Self.checkEveryBlock(job)
    }

    /// Runs `job` (verify on) and checks every block of its file: what it wrote, by write number.
    static func checkEveryBlock(_ job: JobSpec) throws {
        let path = job.filename
        let mode = job.rw
        let r = try Runner.run(job)
        let writes = try #require(r.figures(.write)).ios
        #expect(writes > 0)
        let first = try #require(r.verify.firstGeneration)
        let expected = Self.expectedWrites(job, writes: writes)
        let generations = try Self.generations(path, seed: job.randSeed)
        for (b, generation) in generations.enumerated() {
            if let numbers = expected[UInt64(b * Self.bs)] {
                #expect(generation >= first && numbers.contains(generation - first + 1),
                        "block \(b) holds generation \(generation), expected write \(numbers.sorted()) from \(first)")
            } else {
                #expect(generation == 0, "block \(b) was not written but holds generation \(generation)")
            }
        }
        // Every written block was read back and checked; in a mixed job every read too.
        #expect(r.verify.readBackBlocks == UInt64(expected.count))
        #expect(r.verify.readBackComplete == true)
        if mode.reads { #expect(r.verify.checkedIOs == (r.figures(.read)?.ios ?? 0) && r.verify.checkedIOs > 0) }
    }

    enum Corruption: String, CaseIterable, CustomStringConvertible {
        case flippedByte, staleGeneration, wrongOffset
        var description: String { rawValue }
    }

    static let corruptionCases: [(EngineKind, Corruption)] = dataEngines.flatMap { e in Corruption.allCases.map { (e, $0) } }

    /// Damage one written block between the measured run and the read-back: --verify must stop
    /// with that block's offset, the engine, and what it found there.
    @Test(arguments: corruptionCases)
    func readBackNamesWhatIsWrong(engine: EngineKind, corruption: Corruption) throws {
        let path = TestFiles.path("corrupt")
        var job = TestFiles.job(engine, file: path, size: Self.size, depth: Self.depth, milliseconds: 200)
        job.rw = .randwrite
        job.verify = true
        let bs = Self.bs
        var victimAndDonor: (UInt64, UInt64)? = nil
        let damage: ReadBack.Hook = { written in
            guard written.count >= 2 else { return }
            let victim = written[0], donor = written[written.count - 1]
            victimAndDonor = (victim, donor)
            let fd = open(path, O_RDWR)
            defer { close(fd) }
            var block = [UInt8](repeating: 0, count: bs)
            block.withUnsafeMutableBytes { raw in
                let p = raw.baseAddress!
                switch corruption {
                case .flippedByte:
                    _ = pread(fd, p, bs, off_t(victim))
                    p.storeBytes(of: p.load(fromByteOffset: 1000, as: UInt8.self) ^ 0x10, toByteOffset: 1000, as: UInt8.self)
                case .staleGeneration:
                    DataPattern.fill(p, length: bs, fileOffset: victim, seed: job.randSeed, generation: 0)
                case .wrongOffset:
                    _ = pread(fd, p, bs, off_t(donor))
                }
                _ = pwrite(fd, p, bs, off_t(victim))
            }
            fsync(fd)
        }
        do {
            _ = try Runner.run(job, beforeReadBack: damage)
            Issue.record("\(engine) \(corruption): the read-back found nothing")
        } catch {
            let (victim, donor) = try #require(victimAndDonor)
            guard case .verifyFailed(let named, let offset, let length, let detail) = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(named == engine.rawValue && offset == victim && length == bs)
            #expect(detail.hasPrefix("read back after the run: the sector at offset "), "\(detail)")
            switch corruption {
            case .flippedByte:
                // Byte 1000 is in the block's second sector.
                #expect(detail.contains("the sector at offset \(victim + 512) is corrupt: found offset \(victim + 512), generation ")
                        && detail.contains("first differing byte at offset \(victim + 1000)"), "\(detail)")
            case .staleGeneration:
                #expect(detail.contains("the sector at offset \(victim) is stale: found offset \(victim), generation 0,") && detail.contains("expected offset \(victim), generation "), "\(detail)")
            case .wrongOffset:
                #expect(detail.contains("the sector at offset \(victim) holds the data of offset \(donor)") && detail.contains("found offset \(donor), generation "), "\(detail)")
            }
        }
    }

    /// The read-back goes through the written blocks in fio's do_verify order: with the random
    /// map in the order of their first write (fio's log of writes is then a list in issue
    /// order), otherwise by ascending offset (fio sorts the log in an rbtree).
    @Test(arguments: [(RWMode.randwrite, true), (.randrw, true), (.randwrite, false), (.write, true), (.rw, true)])
    func readBackFollowsFiosOrder(mode: RWMode, randomMap: Bool) throws {
        let path = TestFiles.path("order")
        var job = TestFiles.job(.io_uring, file: path, size: Self.size, depth: Self.depth, milliseconds: 200)
        job.rw = mode
        job.randomMap = randomMap
        var order: [UInt64] = []
        let r = try Runner.run(job, beforeReadBack: { order = $0 })
        let writes = try #require(r.figures(.write)).ios
        var stream = IOStream(job: job)
        var firstWrites: [UInt64] = []
        var seen = Set<UInt64>()
        var n: UInt64 = 0
        while n < writes {
            let io = stream.next()
            guard io.direction == .write else { continue }
            n += 1
            if seen.insert(io.offset).inserted { firstWrites.append(io.offset) }
        }
        let expected = mode.isRandom && randomMap ? firstWrites : firstWrites.sorted()
        #expect(order.count > 1 && order == expected, "\(mode) randommap \(randomMap): read back \(order.prefix(8))…, expected \(expected.prefix(8))…")
        if mode.isRandom && randomMap { #expect(order != order.sorted(), "the first writes of a random job are not in ascending order") }
        #expect(r.verify.readBackBlocks == UInt64(order.count))
    }
}
