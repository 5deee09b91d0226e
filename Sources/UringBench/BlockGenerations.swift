/// Per block of the job, which write generations a read may return (fio keeps the same state
/// for verify): the newest write queued, the oldest that may still be on disk, and the writes
/// in flight. Kept only for --verify on a job that writes; plain memory allocated once, about
/// 28 bytes a block, nothing per IO.
///
/// Writes to one block that overlap in flight may land in either order, so once they settle
/// the block may hold any of them: the window is then that group of writes.
struct BlockGenerations {
    /// The most blocks a run tracks (about 900 MiB of state; 128 GiB at 4 KiB blocks).
    static let maxBlocks = 1 << 25

    let count: Int
    /// Generations above this were written by this run (its start time in nanoseconds).
    let base: UInt64
    private let oldest: UnsafeMutablePointer<UInt64>      // 0: nothing of this run settled yet
    private let newest: UnsafeMutablePointer<UInt64>      // 0: not written by this run
    private let groupStart: UnsafeMutablePointer<UInt64>  // first write of the overlapping group in flight
    private let writesInFlight: UnsafeMutablePointer<UInt32>

    init(blocks: Int, base: UInt64) {
        count = blocks
        self.base = base
        oldest = .allocate(capacity: blocks)
        newest = .allocate(capacity: blocks)
        groupStart = .allocate(capacity: blocks)
        writesInFlight = .allocate(capacity: blocks)
        oldest.initialize(repeating: 0, count: blocks)
        newest.initialize(repeating: 0, count: blocks)
        groupStart.initialize(repeating: 0, count: blocks)
        writesInFlight.initialize(repeating: 0, count: blocks)
    }

    func deallocate() {
        oldest.deallocate(); newest.deallocate(); groupStart.deallocate(); writesInFlight.deallocate()
    }

    @inline(__always)
    func writeQueued(block: Int, generation: UInt64) {
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

    /// Written by this run (the blocks a read-back checks).
    @inline(__always)
    func written(block: Int) -> Bool { newest[block] != 0 }
}
