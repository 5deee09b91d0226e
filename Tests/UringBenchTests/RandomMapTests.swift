import Foundation
import Glibc
import Testing
@testable import UringBench

/// fio's random map and its alternatives, by the blocks actually drawn and written: with the map
/// every block is used once per pass before any is used twice (reads and writes of a mixed job
/// share the pass, as they share fio's one map per file); norandommap draws with replacement;
/// the LFSR runs through every block once per period with no map.
struct RandomMapTests {
    /// Sizes around the map's word and level boundaries (64 bits a word, 64 words a level-1 word).
    static let blockCounts: [UInt64] = [1, 2, 3, 63, 64, 65, 127, 4095, 4096, 4097, 262_143, 262_145]

    @Test(arguments: blockCounts)
    func theMapFindsEveryFreeBlockAndReportsFull(blocks: UInt64) {
        var map = RandomBlockMap(blockCount: blocks)
        var rng = Xoshiro256StarStar(seed: blocks)
        var used = [Bool](repeating: false, count: Int(blocks))
        // Faults are counted, the first few kept, and expected once: four #expects per block
        // were most of this test's time.
        var faults = 0, firstFaults: [String] = []
        func fault(_ what: @autoclosure () -> String) {
            faults += 1
            if firstFaults.count < 10 { firstFaults.append(what()) }
        }
        for i in 0..<blocks {
            if map.isFull { fault("full before draw \(i)") }
            let drawn = rng.next() % blocks
            var b = drawn
            if map.contains(b) { b = try! #require(map.nextFree(after: drawn)) }
            if used[Int(b)] { fault("block \(b) handed out twice (draw \(i))") }
            // fio's next free: the first unused block after the drawn one, wrapping at the end.
            var expected = drawn
            while used[Int(expected)] { expected = expected + 1 == blocks ? 0 : expected + 1 }
            if b != expected { fault("after \(drawn): got \(b), the first free is \(expected)") }
            used[Int(b)] = true
            map.insert(b)
            if !map.contains(b) { fault("block \(b) not in the map once inserted") }
        }
        #expect(faults == 0, "\(faults) faults, the first: \(firstFaults)")
        #expect(map.isFull)
        #expect(map.nextFree(after: 0) == nil)
        map.reset()
        #expect(!map.isFull && (0..<blocks).allSatisfy { !map.contains($0) })
    }

    static func job(_ rw: RWMode, blocks: UInt64, _ change: (inout JobSpec) -> Void = { _ in }) -> JobSpec {
        var job = JobSpec()
        job.rw = rw
        job.size = blocks * 4096
        change(&job)
        return job
    }

    /// The offsets of `count` data IOs (syncs left out), in the order the stream issues them.
    static func offsets(_ job: JobSpec, count: Int) -> [UInt64] {
        var stream = IOStream(job: job)
        var out: [UInt64] = []
        out.reserveCapacity(count)
        while out.count < count {
            let io = stream.next()
            if io.direction.isData { out.append(io.offset / 4096) }
        }
        return out
    }

    /// Splits the draws into passes of `blocks` and checks each is a permutation of 0..<blocks.
    static func expectEachPassCoversEveryBlockOnce(_ drawn: [UInt64], blocks: UInt64) {
        for pass in stride(from: 0, to: drawn.count, by: Int(blocks)) {
            let slice = drawn[pass..<min(pass + Int(blocks), drawn.count)]
            var seen = [Bool](repeating: false, count: Int(blocks))
            for b in slice {
                #expect(b < blocks)
                #expect(!seen[Int(b)], "pass \(pass / Int(blocks)): block \(b) drawn twice")
                seen[Int(b)] = true
            }
        }
    }

    @Test(arguments: [RWMode.randread, .randwrite, .randrw])
    func eachPassUsesEveryBlockOnce(mode: RWMode) {
        for blocks: UInt64 in [1, 100, 4096, 10_007] {
            let job = Self.job(mode, blocks: blocks) { $0.fdatasyncEvery = mode.writes ? 3 : 0 }
            Self.expectEachPassCoversEveryBlockOnce(Self.offsets(job, count: Int(blocks) * 3 + 17), blocks: blocks)
        }
    }

    @Test func passesAreCountedAsTheMapRefills() {
        var stream = IOStream(job: Self.job(.randread, blocks: 100))
        for _ in 0..<100 { _ = stream.next() }
        #expect(stream.passes == 0)
        _ = stream.next()
        #expect(stream.passes == 1)
        for _ in 0..<199 { _ = stream.next() }
        #expect(stream.passes == 2)
    }

    @Test func norandommapDrawsWithReplacementAsBefore() {
        let blocks: UInt64 = 4096
        let job = Self.job(.randread, blocks: blocks) { $0.randomMap = false }
        let drawn = Self.offsets(job, count: Int(blocks))
        // With replacement, 4096 draws from 4096 blocks leave about 1/e of them unread.
        let distinct = Set(drawn).count
        #expect(distinct < Int(blocks) * 7 / 10 && distinct > Int(blocks) * 6 / 10, "\(distinct) distinct")
        var old = RandomOffsets(blockSize: 4096, blockCount: blocks, seed: job.randSeed)
        #expect(drawn == (0..<drawn.count).map { _ in old.next() / 4096 })
        // The map's first draw is the same uniform draw; later ones differ once a block repeats.
        let mapped = Self.offsets(Self.job(.randread, blocks: blocks), count: Int(blocks))
        #expect(mapped[0] == drawn[0] && mapped != drawn)
    }

    static let lfsrBlockCounts: [UInt64] = Array(1...70) + [127, 128, 129, 1000, 4095, 4096, 4097, 65_535, 65_536, 65_537, 1 << 20, (1 << 20) + 3]

    @Test func theLFSRCoversItsFullPeriodAndRepeatsIt() {
        for blocks in Self.lfsrBlockCounts {
            for seed: UInt64 in [0, 1, 0xDEAD_BEEF] {
                var g = BlockLFSR(blockCount: blocks, seed: seed)
                var seen = [Bool](repeating: false, count: Int(blocks))
                var first: [UInt64] = []
                var newPasses = 0   // expected once after the period: an #expect per draw is slow
                for i in 0..<blocks {
                    let (b, newPass) = g.next()
                    if newPass { newPasses += 1 }
                    guard b < blocks, !seen[Int(b)] else {
                        Issue.record("\(blocks) blocks, seed \(seed): block \(b) at draw \(i)"); break
                    }
                    seen[Int(b)] = true
                    if first.count < 64 { first.append(b) }
                }
                #expect(newPasses == 0, "\(blocks) blocks, seed \(seed): a new pass within the first period")
                // The next period starts over in the same order.
                for (i, b) in first.enumerated() {
                    let (again, newPass) = g.next()
                    #expect(again == b && newPass == (i == 0), "\(blocks) blocks: period 2 draw \(i)")
                }
            }
        }
    }

    @Test func everyRegisterWidthHasAFullPeriod() {
        // Width n runs through all 2^n - 1 nonzero states before it repeats; walked in full up to 2^24.
        for n in 2...24 {
            let states = (UInt64(1) << n) - 1
            var g = BlockLFSR(blockCount: states, seed: 5)
            var seen = [UInt64](repeating: 0, count: Int((states + 63) / 64))
            // One #expect per width, not per state: 2^25 of them cost most of this test.
            var repeats = 0, firstRepeat: UInt64? = nil
            for _ in 0..<states {
                let b = g.next().block
                if seen[Int(b >> 6)] & (1 << (b & 63)) != 0 { repeats += 1; firstRepeat = firstRepeat ?? b }
                seen[Int(b >> 6)] |= 1 << (b & 63)
            }
            #expect(repeats == 0, "width \(n): \(repeats) states drawn twice, the first \(firstRepeat.map(String.init) ?? "")")
        }
    }

    @Test func theLFSRStreamIsUsedForRandomJobs() {
        let job = Self.job(.randrw, blocks: 5000) { $0.randomGenerator = .lfsr; $0.randomMap = true }
        let drawn = Self.offsets(job, count: 15_000)
        Self.expectEachPassCoversEveryBlockOnce(drawn, blocks: 5000)
        #expect(Array(drawn[0..<5000]) == Array(drawn[5000..<10000]), "fio's LFSR repeats its order each pass")
    }

    // MARK: real runs

    /// Reads on every engine: the run's reads are verified block by block, and the offsets it
    /// issued (the stream replayed for the run's IO count) use every block once per pass.
    @Test(arguments: EngineKind.allCases.filter(\.descriptor.transfersData))
    func randomReadsOnEveryEngineUseEachBlockOncePerPass(engine: EngineKind) throws {
        let size: UInt64 = 64 << 10
        let file = try TestFiles.laidOut(size: size)
        var job = TestFiles.job(engine, file: file, size: size, depth: 8, milliseconds: 300)
        job.direct = false
        job.invalidate = false
        let r = try Runner.run(job)
        #expect(r.totalIOs > 16 * 2, "at least two passes over 16 blocks")
        #expect(r.verify.checkedIOs == r.totalIOs)
        Self.expectEachPassCoversEveryBlockOnce(Self.offsets(job, count: Int(r.totalIOs)), blocks: 16)
    }

    /// Writes on every engine, by the file: blocks zeroed first, so each write shows. Within a
    /// pass the number of blocks holding data is exactly the number of writes (with replacement
    /// it would be fewer); once a pass is complete, all of them.
    @Test(arguments: WorkloadTests.dataEngines.flatMap { e in [(e, RWMode.randwrite), (e, .randrw)] })
    func randomWritesOnEveryEngineLandOncePerPass(engine: EngineKind, mode: RWMode) throws {
        let (path, seed) = try WorkloadTests.zeroedFile()
        let blocks = Int(WorkloadTests.size) / WorkloadTests.bs
        var job = TestFiles.job(engine, file: path, size: WorkloadTests.size, depth: 4, milliseconds: 300)
        job.rw = mode
        job.verify = false
        job.rwMixRead = 50
        job.rateIOPS = 1_000      // each direction: at most about 600 IOs, less than one pass over the file's 1024 blocks
        let r = try Runner.run(job)
        let writes = Int(try #require(r.figures(.write)).ios)
        let written = try WorkloadTests.patternBlocks(path, seed: seed).dropFirst().dropLast().filter { $0 }.count
        if r.totalIOs < UInt64(blocks) {
            #expect(writes > 10)
            // The first and last blocks hold their pattern whether written or not (the zeroed
            // file's mark), so they are left out of the count.
            if mode == .randwrite {
                let last = UInt64((blocks - 1) * WorkloadTests.bs)
                let edges = WorkloadTests.writtenOffsets(job, writes: UInt64(writes)).filter { $0 == 0 || $0 == last }.count
                #expect(written + edges == writes, "\(writes) writes landed on \(written) blocks besides the first and last")
            } else {
                // randrw: when one direction's rate is not yet due the stream issues the other
                // (fio's rate per direction), so a replay without the clock cannot say which
                // IOs were writes, nor whether the edge blocks were among them. Drawn with
                // replacement, ~600 writes over 1024 blocks would share ~150 blocks.
                #expect(written <= writes && written + 2 >= writes, "\(writes) writes landed on \(written) blocks besides the first and last")
            }
        } else {
            #expect(written == blocks - 2)
        }
    }
}
