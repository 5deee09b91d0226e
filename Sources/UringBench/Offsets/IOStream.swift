/// The sequence of IOs a job issues: direction and offset of each, fio's order. Random modes
/// take blocks from `RandomBlocks` (fio's random map by default: every block once per pass;
/// with norandommap the offsets `RandomOffsets` draws for the same seed); sequential modes walk
/// from the job's region's start (fio's offset, `JobRegion`) and wrap at its end, each direction with its own position as in fio;
/// mixed modes pick the direction of each IO with a second seeded generator (`rwmixread` percent
/// reads) and share one map, as fio keeps one per file.
///
/// Syncs follow fio's rule (io_u.c `get_rw_ddir`, fio.h `should_fsync`): with fsync=N (or
/// fdatasync=N) the next IO is a sync whenever the writes issued are a nonzero multiple of N and
/// the IO that completed last was not a sync. In a write-only job at depth 1 that is one sync per
/// N writes; in a mixed job every read that completes between the Nth write and the next one is
/// followed by another sync (fio 3.33: a sync every 3.94 writes at 50/50 with fsync=8); and an
/// engine that runs syncs asynchronously issues syncs until the first completes.
public struct IOStream: Sendable {
    public let mode: RWMode
    private var blocks: RandomBlocks
    /// Each IO's length, for a job of several sizes (`sized`; otherwise every IO is `blockSize`).
    private var lengths: IOLengths
    private let sized: Bool
    private var mix: Xoshiro256StarStar
    /// The job's block size; with several sizes the smallest, the grain of every offset.
    private let blockSize: UInt64
    /// Where the job's region starts (fio's offset): every offset is from here.
    private let start: UInt64
    private let end: UInt64
    /// fio's ddir_seq_add (`rw=read:-8k`), and the sizes its walk wraps at: the job's size (a
    /// time-based pass) and the file's.
    private let skip: Int64
    private let jobSize: UInt64
    private let fileSize: UInt64
    private let readPercent: UInt64
    /// A mixed job that issues both directions: a rate-limited direction may give way to the other.
    private let canSwitch: Bool
    private var nextRead: UInt64 = 0
    private var nextWrite: UInt64 = 0
    private let syncEvery: UInt64
    private let syncDirection: IODirection
    private var writesIssued: UInt64 = 0
    /// fio's last_was_sync: the IO that completed last was a sync.
    private var lastCompletedWasSync = false
    /// A direction drawn while the rate limit held both back: issued once one is due.
    private var pending: IODirection? = nil
    /// Times a sequential walk wrapped to offset 0.
    private var wraps: UInt64 = 0

    /// Passes over the file begun after the first: the random map filled up, or a sequential walk
    /// wrapped. fio drops a buffered job's cached pages at each (with `invalidate`).
    @inline(__always)
    public var passes: UInt64 { blocks.passes &+ wraps }

    /// A random mode whose blocks come through the random map: fio then logs a job's writes
    /// for verification in the order they were issued, not sorted by offset.
    var usesRandomMap: Bool { mode.isRandom && blocks.usesRandomMap }

    /// The IOs of one pass over the file, where a pass ends: the sequential walk's blocks, or
    /// the random map's (or LFSR's) once each; nil when draws never run out (norandommap,
    /// skewed distributions). A mixed sequential walk's pass ends when either direction
    /// reaches the end, after at least this many.
    var passLength: UInt64? {
        if mode.isRandom { return blocks.endsPasses ? blocks.blockCount : nil }
        return end / blockSize
    }

    /// The blocks a pass covers. Random modes draw from the whole blocks in `size`. A sequential
    /// walk wraps once its position reaches `size` (io_u.c `get_next_seq_offset`), so a `size`
    /// that is not a multiple of `bs` gets one more block per pass, when the file holds it (fio
    /// fails the IO that would end past the file and starts the next pass: fio 3.33, size=10k
    /// bs=4k rw=read on a 16 MiB file reads 0, 4k, 8k, 0, …; on a 10 KiB file 0, 4k, 0, …).
    /// `region`: the job's part of the file (nil: `size` bytes from 0).
    static func blockCount(job: JobSpec, fileSize: UInt64, region: JobRegion? = nil) -> UInt64 {
        let bs = UInt64(max(1, job.blockSize))
        let region = region ?? JobRegion(start: 0, length: job.size)
        let whole = max(1, region.length / bs)
        guard !job.rw.isRandom, region.length % bs != 0, region.start + (whole + 1) * bs <= fileSize else { return whole }
        return whole + 1
    }

    /// `fileSize`: the size of the file the job runs on (nil: the region's end, a file laid out
    /// for the job); `region`: the job's part of it (nil: `size` bytes from 0).
    public init(job: JobSpec, fileSize: UInt64? = nil, region: JobRegion? = nil) {
        mode = job.rw
        blockSize = UInt64(job.blockSize)
        let region = region ?? JobRegion(start: 0, length: job.size)
        let blocks = Self.blockCount(job: job, fileSize: fileSize ?? region.end, region: region)
        start = region.start
        end = blocks * blockSize
        skip = job.rw.isRandom ? 0 : job.sequentialSkip
        jobSize = job.size
        self.fileSize = max(fileSize ?? job.size, blockSize)
        self.blocks = RandomBlocks(blockCount: blocks, seed: job.randSeed, randomMap: job.randomMap,
                                   generator: job.randomGenerator, distribution: job.randomDistribution,
                                   blockSize: blockSize)
        mix = Xoshiro256StarStar(seed: job.randSeed ^ 0x6D69_7872_6561_64)    // "mixread"
        let one = BlockSizes.Choice(smallest: blockSize, largest: blockSize)
        lengths = IOLengths(job.blockSizes ?? BlockSizes(read: one, write: one), seed: job.randSeed)
        sized = job.blockSizes != nil
        readPercent = UInt64(job.rwMixRead)
        canSwitch = mode.isMixed && job.rwMixRead > 0 && job.rwMixRead < 100
        if job.fdatasyncEvery > 0 {
            syncEvery = UInt64(job.fdatasyncEvery); syncDirection = .datasync
        } else {
            syncEvery = UInt64(max(0, job.fsyncEvery)); syncDirection = .sync
        }
    }

    /// The next IO when each completes before the next is asked for (a depth-1 job, no rate limit).
    @inline(__always)
    public mutating func next() -> (direction: IODirection, offset: UInt64, length: Int) {
        var free = IssueRate(readIOPS: 0, writeIOPS: 0, start: 0)
        // An uncapped rate issues every direction drawn.
        let io = next(at: 0, rate: &free) ?? (.read, 0, 0)
        completed(io.direction)
        return io
    }

    /// The next IO at `now` under `rate`: its direction and (for reads and writes) its offset and
    /// length; nil while the rate limit holds back every direction the job may issue (ask again
    /// later). Syncs are not rate-limited (fio's rate_ddir sees reads and writes only).
    @inline(__always)
    mutating func next(at now: UInt64, rate: inout IssueRate) -> (direction: IODirection, offset: UInt64, length: Int)? {
        if syncEvery > 0 && !lastCompletedWasSync && writesIssued > 0 && writesIssued % syncEvery == 0 {
            return (syncDirection, 0, 0)
        }
        let drawn = pending ?? drawDirection()
        guard let direction = rate.isLimited ? rate.take(drawn, at: now, canSwitch: canSwitch) : drawn else {
            pending = drawn
            return nil
        }
        pending = nil
        if direction == .write { writesIssued &+= 1 }
        if sized { return sizedIO(direction) }
        return (direction, offset(direction), Int(truncatingIfNeeded: blockSize))
    }

    /// An IO of a job of several sizes (fio's get_next_offset, then get_next_buflen): a random
    /// IO's block is drawn as for one size, its length drawn to fit before the region's end,
    /// then cut where the random map finds a block already used this pass (fio's
    /// mark_random_map); a sequential IO starts where the last ended, and the walk wraps once
    /// less than the smallest size is left.
    @inline(__always)
    private mutating func sizedIO(_ direction: IODirection) -> (direction: IODirection, offset: UInt64, length: Int) {
        if mode.isRandom {
            let block = blocks.next(direction)
            var length = lengths.next(direction, room: end &- block &* blockSize)
            let claimed = blocks.claim(after: block, upTo: length / blockSize)
            length = min(length, claimed &* blockSize)
            return (direction, start &+ block &* blockSize, Int(truncatingIfNeeded: length))
        }
        let o = direction == .read ? nextRead : nextWrite
        let length = lengths.next(direction, room: end &- o)
        var after = o &+ length
        if end &- after < blockSize { after = 0; wraps &+= 1 }
        if direction == .read { nextRead = after } else { nextWrite = after }
        return (direction, start &+ o, Int(truncatingIfNeeded: length))
    }

    /// An IO of this stream completed (fio's io_completed sets last_was_sync from it).
    @inline(__always)
    mutating func completed(_ direction: IODirection) {
        lastCompletedWasSync = !direction.isData
    }

    @inline(__always)
    private mutating func drawDirection() -> IODirection {
        switch mode {
        case .randread, .read: return .read
        case .randwrite, .write: return .write
        case .randrw, .rw:
            // Multiply-high maps 64 random bits onto 0..<100 without a division.
            return mix.next().multipliedFullWidth(by: 100).high < readPercent ? .read : .write
        }
    }

    @inline(__always)
    private mutating func offset(_ direction: IODirection) -> UInt64 {
        if mode.isRandom { return start &+ blocks.next(direction) &* blockSize }
        if skip != 0 {
            let step = skipped(after: direction == .read ? nextRead : nextWrite)
            if step.wrapped { wraps &+= 1 }
            if direction == .read { nextRead = step.end } else { nextWrite = step.end }
            return start &+ step.offset
        }
        if direction == .read {
            let o = nextRead
            nextRead = o + blockSize >= end ? 0 : o + blockSize
            if nextRead == 0 { wraps &+= 1 }
            return start &+ o
        }
        let o = nextWrite
        nextWrite = o + blockSize >= end ? 0 : o + blockSize
        if nextWrite == 0 { wraps &+= 1 }
        return start &+ o
    }

    /// A walk with fio's offset modifier (io_u.c `get_next_seq_offset`): each IO starts `skip`
    /// bytes after the end of the last; once the last IO ends at or past the job's size the pass
    /// is over and the next starts at 0. A step past the file wraps to 0 going forwards, and to the
    /// job's size (or the file's, if smaller) plus the step going backwards. `last` is the end of
    /// the previous IO. An IO that would cross the file's end wraps too (fio would issue it short).
    @inline(__always)
    private func skipped(after previousEnd: UInt64) -> (offset: UInt64, end: UInt64, wrapped: Bool) {
        let wrapped = previousEnd >= jobSize
        var position = wrapped ? 0 : previousEnd
        if position != 0 {
            position = position &+ UInt64(bitPattern: skip)
            if position > fileSize - blockSize {
                position = skip > 0 ? 0 : min(jobSize, fileSize) &+ UInt64(bitPattern: skip)
            }
        }
        return (position, position + blockSize, wrapped)
    }
}
