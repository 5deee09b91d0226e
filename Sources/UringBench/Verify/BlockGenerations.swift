/// Per block of the job, which write generations a read may return (fio keeps the same state
/// for verify): the newest write queued, the oldest that may still be on disk, and the writes
/// in flight. Kept only for --verify on a job that writes; plain memory allocated once, about
/// 32 bytes a block (36 when the read-back keeps write order), nothing per IO.
///
/// Writes to one block that overlap in flight may land in either order, so once they settle
/// the block may hold any of them: the window is then that group of writes.
///
/// The read-back after the run goes through the written blocks in fio's do_verify order: with
/// the random map, fio keeps its log of writes as a list in issue order, so the blocks are
/// read in the order of their first write (4 more bytes a block, kept only then); otherwise
/// fio sorts the log by offset (an rbtree that drops the older of two writes to one block), so
/// they are read by ascending offset.
struct BlockGenerations {
    /// The most blocks a run tracks (about 1 GiB of state; 128 GiB at 4 KiB blocks).
    static let maxBlocks = 1 << 25

    let count: Int
    /// Generations above this were written by this run (its start time in nanoseconds).
    let base: UInt64
    private let oldest: UnsafeMutablePointer<UInt64>      // 0: nothing of this run settled yet
    private let newest: UnsafeMutablePointer<UInt64>      // 0: not written by this run
    private let groupStart: UnsafeMutablePointer<UInt64>  // first write of the overlapping group in flight
    private let writesInFlight: UnsafeMutablePointer<UInt32>
    private let readsInFlight: UnsafeMutablePointer<UInt32>
    /// With `inWriteOrder`: the blocks in the order of their first write.
    private let firstWrites: UnsafeMutablePointer<Int32>?
    /// How many blocks this run wrote.
    private let firstWriteCount: UnsafeMutablePointer<Int>

    init(blocks: Int, base: UInt64, inWriteOrder: Bool = false) {
        count = blocks
        self.base = base
        firstWrites = inWriteOrder ? .allocate(capacity: blocks) : nil
        firstWriteCount = .allocate(capacity: 1)
        firstWriteCount.initialize(to: 0)
        oldest = .allocate(capacity: blocks)
        newest = .allocate(capacity: blocks)
        groupStart = .allocate(capacity: blocks)
        writesInFlight = .allocate(capacity: blocks)
        readsInFlight = .allocate(capacity: blocks)
        readsInFlight.initialize(repeating: 0, count: blocks)
        oldest.initialize(repeating: 0, count: blocks)
        newest.initialize(repeating: 0, count: blocks)
        groupStart.initialize(repeating: 0, count: blocks)
        writesInFlight.initialize(repeating: 0, count: blocks)
    }

    func deallocate() {
        oldest.deallocate(); newest.deallocate(); groupStart.deallocate(); writesInFlight.deallocate(); readsInFlight.deallocate()
        firstWrites?.deallocate(); firstWriteCount.deallocate()
    }

    @inline(__always)
    func writeQueued(block: Int, generation: UInt64) {
        if newest[block] == 0 {
            firstWrites?[firstWriteCount.pointee] = Int32(truncatingIfNeeded: block)
            firstWriteCount.pointee &+= 1
        }
        if writesInFlight[block] == 0 { groupStart[block] = generation }
        writesInFlight[block] &+= 1
        newest[block] = generation
    }

    @inline(__always)
    func writeCompleted(block: Int) {
        writesInFlight[block] &-= 1
        // Settled: one write, or any of a group that overlapped.
        if writesInFlight[block] == 0 { oldest[block] = groupStart[block] }
    }

    @inline(__always)
    func readQueued(block: Int) { readsInFlight[block] &+= 1 }

    @inline(__always)
    func readCompleted(block: Int) { readsInFlight[block] &-= 1 }

    /// A write to the block is in flight.
    @inline(__always)
    func isBeingWritten(block: Int) -> Bool { writesInFlight[block] != 0 }

    /// A read or a write of the block is in flight.
    @inline(__always)
    func isInFlight(block: Int) -> Bool { writesInFlight[block] != 0 || readsInFlight[block] != 0 }

    /// Taken when a read is queued: what the block held for sure then.
    @inline(__always)
    func floor(block: Int) -> UInt64 { oldest[block] }

    /// What a read queued at `floor` may find once it completes: what was settled then, or any
    /// write of this run queued since.
    @inline(__always)
    func window(block: Int, floor: UInt64) -> GenerationWindow {
        floor == 0 ? GenerationWindow(before: base &+ 1, lowest: base &+ 1, highest: newest[block])
                   : GenerationWindow(before: 0, lowest: floor, highest: newest[block])
    }

    /// How many blocks this run wrote (the blocks a read-back checks).
    var writtenBlocks: UInt64 { UInt64(firstWriteCount.pointee) }

    /// Written by this run (the blocks a read-back checks).
    @inline(__always)
    func written(block: Int) -> Bool { newest[block] != 0 }

    /// The written blocks in read-back order, from `position` (0 to begin): the block and the
    /// position after it, nil when there are no more.
    func nextToReadBack(from position: Int) -> (block: Int, next: Int)? {
        if let firstWrites {
            return position < firstWriteCount.pointee ? (Int(firstWrites[position]), position + 1) : nil
        }
        var b = position
        while b < count && !written(block: b) { b += 1 }
        return b < count ? (b, b + 1) : nil
    }
}
