import Testing
@testable import UringBench

/// Each IO's length under fio's bssplit and bsrange (io_u.c get_next_buflen): the shares of a
/// split, what is left to its last size, sizes that do not fit before the region's end, a
/// range's alignment to its smallest size; and a job's stream of several sizes: offsets on the
/// smallest size, the random map covering each block once a pass, a sequential walk end to end.
@Suite struct IOLengthsTests {
    static func split(_ shares: [(UInt64, UInt64)]) -> BlockSizes {
        let choice = BlockSizes.Choice(shares: shares.map { BlockSizes.Share(size: $0.0, percent: $0.1) }.sorted { $0.percent < $1.percent })
        return BlockSizes(read: choice, write: choice)
    }

    static func counts(_ sizes: BlockSizes, room: UInt64 = 1 << 30, draws: Int = 100_000) -> [UInt64: Int] {
        var lengths = IOLengths(sizes, seed: 7)
        var counts: [UInt64: Int] = [:]
        for _ in 0..<draws {
            let length = lengths.next(.read, room: room)
            counts[length, default: 0] += 1
        }
        return counts
    }

    @Test func aSplitGivesEachSizeItsShare() {
        let c = Self.counts(Self.split([(4096, 50), (8192, 30), (65536, 20)]))
        #expect(Set(c.keys) == [4096, 8192, 65536])
        for (size, percent) in [(4096, 50), (8192, 30), (65536, 20)] as [(UInt64, Int)] {
            #expect(abs(c[size, default: 0] - percent * 1000) < 1000, "\(size): \(c[size, default: 0]) of 100000")
        }
    }

    /// fio's loop ends at the split's last size (the largest share) when the draw falls above
    /// every running total.
    @Test func whatTheSharesLeaveGoesToTheLargestShare() {
        let c = Self.counts(Self.split([(4096, 10), (8192, 20)]))
        #expect(abs(c[4096, default: 0] - 10_000) < 1000 && abs(c[8192, default: 0] - 90_000) < 1000, "\(c)")
    }

    /// A size that does not fit before the region's end passes its draw on to the next size.
    @Test func aSizeThatDoesNotFitPassesItsShareOn() {
        let c = Self.counts(Self.split([(4096, 50), (8192, 30), (65536, 20)]), room: 8192)
        #expect(c[65536] == nil)
        #expect(abs(c[8192, default: 0] - 50_000) < 1000 && abs(c[4096, default: 0] - 50_000) < 1000, "\(c)")
        #expect(Self.counts(Self.split([(4096, 50), (65536, 50)]), room: 4096) == [4096: 100_000])
    }

    /// A range: multiples of its smallest size (not a power of two here), from it to the largest.
    @Test func aRangeIsAlignedToItsSmallestSize() {
        let choice = BlockSizes.Choice(smallest: 3072, largest: 12288)
        let c = Self.counts(BlockSizes(read: choice, write: choice))
        #expect(Set(c.keys) == [3072, 6144, 9216, 12288], "\(c)")
        #expect(c.values.allSatisfy { abs($0 - 25_000) < 1000 }, "\(c)")
    }

    static func job(_ rw: RWMode, randomMap: Bool = true) -> JobSpec {
        var job = JobSpec()
        job.rw = rw
        job.size = 1 << 20
        job.blockSize = 4096
        job.blockSizes = split([(4096, 50), (8192, 30), (65536, 20)])
        job.randomMap = randomMap
        return job
    }

    /// One pass of the random map: IOs on 4 KiB offsets, inside the region, several sizes, and
    /// every block covered exactly once (an IO is cut where it meets a block already used).
    @Test func theRandomMapCoversEachBlockOncePerPass() {
        var stream = IOStream(job: Self.job(.randread))
        var covered = [Int](repeating: 0, count: 256)
        var bytes: UInt64 = 0
        var lengths = Set<Int>()
        while bytes < 1 << 20 {
            let io = stream.next()
            #expect(io.offset % 4096 == 0 && io.length % 4096 == 0 && io.offset + UInt64(io.length) <= 1 << 20)
            for b in Int(io.offset / 4096)..<Int(io.offset / 4096) + io.length / 4096 { covered[b] += 1 }
            bytes += UInt64(io.length)
            lengths.insert(io.length)
        }
        #expect(bytes == 1 << 20 && covered.allSatisfy { $0 == 1 } && stream.passes == 0)
        #expect(lengths.isSuperset(of: [4096, 8192, 65536]))
        _ = stream.next()
        #expect(stream.passes == 1)
    }

    /// A sequential walk: each IO where the last ended, to the region's end, then from 0.
    @Test func aSequentialWalkAdvancesByEachLength() {
        var stream = IOStream(job: Self.job(.read))
        var position: UInt64 = 0
        while position < 1 << 20 {
            let io = stream.next()
            #expect(io.offset == position)
            position += UInt64(io.length)
        }
        #expect(position == 1 << 20 && stream.next().offset == 0)
    }

    /// A size-bound job counts its bytes in blocks of the smallest size: one pass of the map
    /// (every block once) or of the walk.
    @Test func aSizeBoundPassIsTheRegionsBlocks() {
        var job = Self.job(.randread)
        job.timeBased = false
        let stream = IOStream(job: job)
        #expect(IssueLimit(job: job, passLength: IssueLimit.passLength(of: stream, job: job)).dataIOs == 256)
        job.ioSize = 3 << 20
        #expect(IssueLimit(job: job, passLength: IssueLimit.passLength(of: stream, job: job)).dataIOs == 768)
    }
}
