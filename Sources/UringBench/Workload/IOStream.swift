/// The sequence of IOs a job issues: direction and offset of each, fio's order. Random modes
/// take blocks from `RandomBlocks` (fio's random map by default: every block once per pass;
/// with norandommap the offsets `RandomOffsets` draws for the same seed); sequential modes walk
/// from offset 0 and wrap at the job's size, each direction with its own position as in fio;
/// mixed modes pick the direction of each IO with a second seeded generator (`rwmixread` percent
/// reads) and share one map, as fio keeps one per file; and after every `syncEvery` writes the
/// next IO is a sync (fio's fsync=N / fdatasync=N).
public struct IOStream: Sendable {
    public let mode: RWMode
    private var blocks: RandomBlocks
    private var mix: Xoshiro256StarStar
    private let blockSize: UInt64
    private let end: UInt64
    private let readPercent: UInt64
    private var nextRead: UInt64 = 0
    private var nextWrite: UInt64 = 0
    private let syncEvery: Int
    private let syncDirection: IODirection
    private var writesSinceSync = 0
    /// Times a sequential walk wrapped to offset 0.
    private var wraps: UInt64 = 0

    /// Passes over the file begun after the first: the random map filled up, or a sequential walk
    /// wrapped. fio drops a buffered job's cached pages at each (with `invalidate`).
    @inline(__always)
    public var passes: UInt64 { blocks.passes &+ wraps }

    /// A random mode whose blocks come through the random map: fio then logs a job's writes
    /// for verification in the order they were issued, not sorted by offset.
    public var usesRandomMap: Bool { mode.isRandom && blocks.usesRandomMap }

    public init(job: JobSpec) {
        mode = job.rw
        blockSize = UInt64(job.blockSize)
        let blocks = max(1, job.size / UInt64(job.blockSize))
        end = blocks * blockSize
        self.blocks = RandomBlocks(blockCount: blocks, seed: job.randSeed, randomMap: job.randomMap,
                                   generator: job.randomGenerator, distribution: job.randomDistribution)
        mix = Xoshiro256StarStar(seed: job.randSeed ^ 0x6D69_7872_6561_64)    // "mixread"
        readPercent = UInt64(job.rwMixRead)
        if job.fdatasyncEvery > 0 {
            syncEvery = job.fdatasyncEvery; syncDirection = .datasync
        } else {
            syncEvery = job.fsyncEvery; syncDirection = .sync
        }
    }

    /// The next IO: its direction and (for reads and writes) its offset.
    @inline(__always)
    public mutating func next() -> (direction: IODirection, offset: UInt64) {
        if syncEvery > 0 && writesSinceSync >= syncEvery {
            writesSinceSync = 0
            return (syncDirection, 0)
        }
        let direction: IODirection
        switch mode {
        case .randread, .read: direction = .read
        case .randwrite, .write: direction = .write
        case .randrw, .rw:
            // Multiply-high maps 64 random bits onto 0..<100 without a division.
            direction = mix.next().multipliedFullWidth(by: 100).high < readPercent ? .read : .write
        }
        if direction == .write { writesSinceSync &+= 1 }
        if mode.isRandom { return (direction, blocks.next() &* blockSize) }
        if direction == .read {
            let o = nextRead
            nextRead = o + blockSize >= end ? 0 : o + blockSize
            if nextRead == 0 { wraps &+= 1 }
            return (.read, o)
        }
        let o = nextWrite
        nextWrite = o + blockSize >= end ? 0 : o + blockSize
        if nextWrite == 0 { wraps &+= 1 }
        return (.write, o)
    }
}
