import Testing
@testable import UringBench

/// The order of IOs, fio's: sequential walks and wraps, random matches the offsets randread
/// has always drawn, mixes follow rwmixread, and syncs come after every N writes.
struct IOStreamTests {
    static func job(_ rw: RWMode, size: UInt64 = 16 * 4096) -> JobSpec {
        var job = JobSpec()
        job.rw = rw
        job.size = size
        return job
    }

    @Test func sequentialWalksFromZeroAndWrapsAtSize() {
        var s = IOStream(job: Self.job(.write))
        let offsets = (0..<40).map { _ in s.next() }
        #expect(offsets.allSatisfy { $0.direction == .write })
        let walk: [UInt64] = (0..<40).map { (i: Int) -> UInt64 in UInt64(i % 16) * 4096 }
        #expect(offsets.map(\.offset) == walk)
    }

    /// Without the random map (fio's norandommap) the draws are those randread always made.
    @Test func randomReadsWithoutTheMapAreTheOffsetsRandreadAlwaysDrew() {
        var job = Self.job(.randread, size: 1 << 30)
        job.randomMap = false
        var s = IOStream(job: job)
        var old = RandomOffsets(blockSize: 4096, blockCount: (1 << 30) / 4096, seed: job.randSeed)
        for _ in 0..<1000 {
            let io = s.next()
            #expect(io.direction == .read && io.offset == old.next())
        }
    }

    @Test func mixFollowsRwmixreadAndEachDirectionWalksOnItsOwn() {
        var job = Self.job(.rw)
        job.rwMixRead = 70
        var s = IOStream(job: job)
        var reads: [UInt64] = [], writes: [UInt64] = []
        for _ in 0..<100_000 {
            let io = s.next()
            if io.direction == .read { reads.append(io.offset) } else { writes.append(io.offset) }
        }
        let share = Double(reads.count) / 100_000
        #expect(abs(share - 0.70) < 0.01, "read share \(share)")
        let walk: [UInt64] = (0..<20).map { (i: Int) -> UInt64 in UInt64(i % 16) * 4096 }
        #expect(Array(reads.prefix(20)) == walk)
        #expect(Array(writes.prefix(20)) == walk)
    }

    @Test(arguments: [(1, IODirection.sync), (4, .sync), (3, .datasync)])
    func aSyncFollowsEveryNWrites(every: Int, direction: IODirection) {
        var job = Self.job(.randrw)
        if direction == .sync { job.fsyncEvery = every } else { job.fdatasyncEvery = every }
        var s = IOStream(job: job)
        // fio's rule (SyncCadenceTests): a sync whenever the writes so far are a nonzero multiple
        // of N and the last IO was not a sync, so a read after a sync is followed by another.
        var writes = 0, writesSinceSync = 0, syncs = 0
        var previous: IODirection? = nil
        for _ in 0..<10_000 {
            let io = s.next()
            switch io.direction {
            case .write: writes += 1; writesSinceSync += 1; #expect(writesSinceSync <= every)
            case .sync, .datasync:
                #expect(io.direction == direction && writes > 0 && writes % every == 0 && previous != direction)
                writesSinceSync = 0; syncs += 1
            case .read: break
            }
            previous = io.direction
        }
        #expect(syncs > 10_000 / (2 * every + 2))
    }
}

/// fio's `rw=read:N` offset modifier (ddir_seq_add), offsets compared with fio 3.33's write_iolog
/// on the same jobs (4 KiB blocks, a 64 KiB file).
struct SequentialSkipTests {
    static func offsets(_ rw: RWMode, skip: Int64, size: UInt64 = 64 << 10, count: Int) throws -> [UInt64] {
        var job = JobSpec()
        job.rw = rw
        job.size = size
        job.blockSize = 4096
        job.sequentialSkip = skip
        try job.validate()
        var s = IOStream(job: job)
        return (0..<count).map { _ in s.next().offset / 1024 }
    }

    /// backwards-read.fio's walk: fio 3.33 read 0 56 52 … 8 4, then 0 56 … again.
    @Test func readBackwardsWrapsToTheEnd() throws {
        let pass: [UInt64] = [0] + stride(from: 56, through: 4, by: -4).map { UInt64($0) }
        #expect(try Self.offsets(.read, skip: -8192, count: 30) == Array((pass + pass).prefix(30)))
    }

    /// fio 3.33, rw=write:12k time_based: 0 16 32 48 0 16 …
    @Test func writeWithAHoleSkipsAndWrapsToTheStart() throws {
        #expect(try Self.offsets(.write, skip: 12288, count: 9) == [0, 16, 32, 48, 0, 16, 32, 48, 0])
    }

    @Test func mixedJobsWalkEachDirectionWithTheSkip() throws {
        var job = JobSpec()
        job.rw = .rw
        job.size = 64 << 10
        job.sequentialSkip = 4096
        try job.validate()
        var s = IOStream(job: job)
        var reads: [UInt64] = [], writes: [UInt64] = []
        for _ in 0..<40 {
            let io = s.next()
            if io.direction == .read { reads.append(io.offset / 1024) } else { writes.append(io.offset / 1024) }
        }
        let walk: [UInt64] = [0, 8, 16, 24, 32, 40, 48, 56]
        #expect(reads.enumerated().allSatisfy { $0.element == walk[$0.offset % 8] })
        #expect(writes.enumerated().allSatisfy { $0.element == walk[$0.offset % 8] })
    }

    @Test func modifiersFioWouldWalkOddlyAreRefused() {
        for (rw, skip) in [(RWMode.randread, Int64(4096)), (.read, -2048), (.read, 64 << 10), (.write, -(64 << 10))] {
            #expect(throws: BenchError.self, "\(rw):\(skip)") { _ = try Self.offsets(rw, skip: skip, count: 1) }
        }
    }
}
