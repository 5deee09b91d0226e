/// What rides on an IO that moves data, fio's populate_verify_io_u and verify_io_u: a write's
/// buffer gets the file's pattern with this run's next generation, and (with --verify) a read
/// is checked against what its block may hold — what was last written there, or any write in
/// flight to it (`BlockGenerations`, kept when the job also writes). Blocks are the job's
/// `blockSize` (its smallest size when IOs have several): an IO of n blocks is each of them.
///
/// Plain memory allocated once; the owner calls `deallocate()`.
struct PatternHook {
    let pattern: SectorPattern
    let buffers: AlignedBuffers
    let blockSize: Int
    /// Where the job's region starts: the tracker numbers blocks from there.
    let regionStart: UInt64
    let kind: EngineKind
    /// Reads are checked (--verify); without it the hook only fills writes.
    let checksReads: Bool
    let tracker: BlockGenerations?
    /// Checks the read-back after the run: its mismatches say so.
    var readingBack = false
    /// The generation of the run's first write (its writes are numbered on from there).
    let firstGeneration: UInt64
    /// The generation of the last write queued.
    private(set) var generation: UInt64
    /// Per buffer (AlignedBuffers' index, spares too): the variant of the first sector whose
    /// payloads it holds (a write left them there), or -1 after a read into it.
    private let payloadVariants: UnsafeMutablePointer<Int>
    /// Per buffer: how many bytes of it hold those payloads (IOs of several sizes share slots).
    private let payloadBytes: UnsafeMutablePointer<Int>
    /// The spare buffers by the variant they hold (`SparesByVariant`): a write whose slot's
    /// buffer holds another variant takes a spare that holds its own, and skips the copy.
    private let spares: SparesByVariant?
    /// Per slot: what its read's block held for sure when the read was queued.
    private let readFloors: UnsafeMutablePointer<UInt64>

    init(pattern: SectorPattern, buffers: AlignedBuffers, blockSize: Int, regionStart: UInt64 = 0, depth: Int, kind: EngineKind,
         checksReads: Bool, tracker: BlockGenerations?, generationBase: UInt64) {
        self.pattern = pattern
        self.buffers = buffers
        self.blockSize = blockSize
        self.regionStart = regionStart
        self.kind = kind
        self.checksReads = checksReads
        self.tracker = tracker
        generation = generationBase
        firstGeneration = generationBase &+ 1
        payloadVariants = .allocate(capacity: buffers.total)
        payloadVariants.initialize(repeating: -1, count: buffers.total)
        payloadBytes = .allocate(capacity: buffers.total)
        payloadBytes.initialize(repeating: 0, count: buffers.total)
        spares = buffers.total > buffers.count ? SparesByVariant(buffers: buffers) : nil
        readFloors = .allocate(capacity: depth)
        readFloors.initialize(repeating: 0, count: depth)
    }

    func deallocate() {
        payloadVariants.deallocate()
        payloadBytes.deallocate()
        readFloors.deallocate()
        spares?.deallocate()
        tracker?.deallocate()
        pattern.deallocate()
    }

    @inline(__always)
    private func block(_ offset: UInt64) -> Int { Int(truncatingIfNeeded: (offset &- regionStart) / UInt64(blockSize)) }

    /// The blocks an IO of `length` bytes at `offset` covers.
    @inline(__always)
    private func blocks(_ offset: UInt64, _ length: Int) -> Range<Int> {
        let first = block(offset)
        return first..<(first &+ max(1, length / blockSize))
    }

    /// Before the IO's queue timestamp: a write's buffer is filled; a read notes its floor.
    /// Returns whether a write's payloads had to be copied (its buffer held other ones).
    @inline(__always) @discardableResult
    func prepare(slot: Int, _ io: StreamIO) -> Bool {
        if io.direction == .write {
            let variant = SectorPattern.variant(io.offset)
            var index = Int(buffers.index(slot))
            var inPlace = payloadVariants[index] == variant && payloadBytes[index] >= io.length
            if !inPlace, let spares, let spare = spares.take(variant: variant, bytes: io.length, payloadBytes: payloadBytes) {
                let old = buffers.exchange(slot: slot, for: spare.index)
                spares.put(old, variant: payloadVariants[Int(old)])
                index = Int(spare.index)
                inPlace = spare.holdsPayload
            }
            pattern.fill(buffers.buffer(slot), length: io.length, fileOffset: io.offset, generation: generation &+ 1,
                         payloadInPlace: inPlace)
            payloadVariants[index] = variant
            payloadBytes[index] = inPlace ? payloadBytes[index] : io.length
            return !inPlace
        } else if io.direction == .read {
            payloadVariants[Int(buffers.index(slot))] = -1
            // The oldest of the blocks' floors: each block's own is at least this.
            if let tracker { readFloors[slot] = blocks(io.offset, io.length).reduce(UInt64.max) { min($0, tracker.floor(block: $1)) } }
        }
        return false
    }

    /// fio's serialize_overlap, which --verify needs: a write waits while its block is read or
    /// written, a read while it is written. A read that overlaps a buffered write in flight can
    /// see some sectors torn (half old, half new), which is no fault of the file.
    @inline(__always)
    func mustWait(_ io: StreamIO) -> Bool {
        guard let tracker else { return false }
        switch io.direction {
        case .write: return blocks(io.offset, io.length).contains { tracker.isInFlight(block: $0) }
        case .read: return blocks(io.offset, io.length).contains { tracker.isBeingWritten(block: $0) }
        case .sync, .datasync: return false
        }
    }

    /// The engine took the IO: a write uses up its generation.
    @inline(__always)
    mutating func queued(_ io: StreamIO) {
        if io.direction == .read {
            if let tracker { for b in blocks(io.offset, io.length) { tracker.readQueued(block: b) } }
            return
        }
        guard io.direction == .write else { return }
        generation &+= 1
        if let tracker { for b in blocks(io.offset, io.length) { tracker.writeQueued(block: b, generation: generation) } }
    }

    /// The IO completed; returns whether a read was checked (it throws on a mismatch).
    @inline(__always)
    func completed(slot: Int, direction: IODirection, offset: UInt64, length: Int) throws(BenchError) -> Bool {
        if let tracker {
            if direction == .write { for b in blocks(offset, length) { tracker.writeCompleted(block: b) } }
            else if direction == .read { for b in blocks(offset, length) { tracker.readCompleted(block: b) } }
        }
        guard checksReads, direction == .read else { return false }
        guard let tracker else { return try check(slot: slot, offset: offset, length: length, window: .any) }
        // Each block may hold another write: its own window.
        for b in blocks(offset, length) {
            let skip = (b &- block(offset)) &* blockSize
            _ = try check(slot: slot, offset: offset &+ UInt64(skip), length: blockSize, skip: skip,
                          window: tracker.window(block: b, floor: readFloors[slot]))
        }
        return true
    }

    /// Checks `length` bytes of the slot's buffer from `skip`, read at `offset`.
    @inline(__always)
    private func check(slot: Int, offset: UInt64, length: Int, skip: Int = 0, window: GenerationWindow) throws(BenchError) -> Bool {
        if let bad = pattern.verify(buffers.buffer(slot) + skip, length: length, fileOffset: offset, generations: window) {
            throw .verifyFailed(engine: kind.rawValue, offset: offset, length: length,
                                detail: readingBack ? "read back after the run: \(bad)" : bad.description)
        }
        return true
    }
}

/// The spare buffers of a job that writes, in one list per payload variant (and one for those
/// holding none), so that a write finds a buffer that already holds its payloads in O(1).
/// Random 4 KiB writes start on 32 variants, so a slot's own buffer holds the right payloads
/// 1 time in 32; with 4 spares per variant 18 of 3,000 copy (SpareBuffersTests, seeded offsets),
/// the others rewrite only their 8 headers and checksums instead of copying 4 KiB.
struct SparesByVariant {
    /// Per variant (256: none), the first spare holding it, or -1.
    private let heads: UnsafeMutablePointer<Int32>
    /// Per buffer, the next spare in its list, or -1.
    private let next: UnsafeMutablePointer<Int32>

    init(buffers: AlignedBuffers) {
        heads = .allocate(capacity: SectorPattern.variants + 1)
        heads.initialize(repeating: -1, count: SectorPattern.variants + 1)
        next = .allocate(capacity: buffers.total)
        next.initialize(repeating: -1, count: buffers.total)
        for index in buffers.count..<buffers.total { put(Int32(index), variant: -1) }
    }

    func deallocate() {
        heads.deallocate()
        next.deallocate()
    }

    /// A spare holding `variant`'s payloads over at least `bytes`, or else one holding none
    /// (the slot's buffer then joins the spares with what it holds, which is how the spares
    /// come to hold variants at all), taken out of its list; nil when neither is left.
    @inline(__always)
    func take(variant: Int, bytes: Int, payloadBytes: UnsafeMutablePointer<Int>) -> (index: Int32, holdsPayload: Bool)? {
        let match = heads[variant]
        if match >= 0 && payloadBytes[Int(match)] >= bytes {
            heads[variant] = next[Int(match)]
            return (match, true)
        }
        let empty = heads[SectorPattern.variants]
        guard empty >= 0 else { return nil }
        heads[SectorPattern.variants] = next[Int(empty)]
        return (empty, false)
    }

    /// Buffer `index`, holding `variant` (-1: none), is a spare.
    @inline(__always)
    func put(_ index: Int32, variant: Int) {
        let list = variant < 0 ? SectorPattern.variants : variant
        next[Int(index)] = heads[list]
        heads[list] = index
    }
}

extension PatternHook {
    /// The spare buffers a job's writes get: 4 per payload variant its IOs can start on (offsets
    /// are multiples of its block size), at most 1 MiB of them; none when every IO starts on the
    /// same variant (128 KiB blocks and up) or when nothing is written.
    static func spareBuffers(for job: JobSpec) -> Int {
        guard job.rw.writes else { return 0 }
        // Offsets step by the block's sectors; 256 variants (a power of two) over a step with
        // 2^k in it come round every 256 / 2^k.
        let sectors = max(1, job.blockSize / DataPattern.sectorSize)
        let variants = SectorPattern.variants >> min(8, sectors.trailingZeroBitCount)
        guard variants > 1 else { return 0 }
        return min(4 * variants, (1 << 20) / max(1, job.largestBlockSize))
    }
}
