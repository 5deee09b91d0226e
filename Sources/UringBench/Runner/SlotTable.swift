/// The IOs in flight, one slot each (slot `i` uses buffer `i`): when each was queued and
/// submitted, where, how long and which way it goes, which slots are free, and which are queued but not
/// yet submitted. Plain memory allocated once; nothing per IO.
struct SlotTable {
    let depth: Int
    let startTimes: UnsafeMutablePointer<UInt64>    // queue time
    let issueTimes: UnsafeMutablePointer<UInt64>    // submit returned
    let offsets: UnsafeMutablePointer<UInt64>
    let lengths: UnsafeMutablePointer<Int>
    let directions: UnsafeMutablePointer<IODirection>
    private let free: UnsafeMutablePointer<Int>
    private(set) var freeCount: Int
    /// Queued and not yet submitted, in queue order.
    let pending: UnsafeMutablePointer<Int>
    private(set) var queued = 0

    init(depth: Int) {
        self.depth = depth
        startTimes = .allocate(capacity: depth)
        issueTimes = .allocate(capacity: depth)
        offsets = .allocate(capacity: depth)
        lengths = .allocate(capacity: depth)
        directions = .allocate(capacity: depth)
        free = .allocate(capacity: depth)
        pending = .allocate(capacity: depth)
        startTimes.initialize(repeating: 0, count: depth)
        issueTimes.initialize(repeating: 0, count: depth)
        offsets.initialize(repeating: 0, count: depth)
        lengths.initialize(repeating: 0, count: depth)
        directions.initialize(repeating: .read, count: depth)
        for i in 0..<depth { free[i] = depth - 1 - i }
        pending.initialize(repeating: 0, count: depth)
        freeCount = depth
    }

    func deallocate() {
        startTimes.deallocate(); issueTimes.deallocate(); offsets.deallocate(); lengths.deallocate(); directions.deallocate()
        free.deallocate(); pending.deallocate()
    }

    /// A free slot for the next IO (there is one whenever fewer than `depth` are out).
    @inline(__always)
    mutating func take() -> Int {
        freeCount &-= 1
        return free[freeCount]
    }

    @inline(__always)
    mutating func release(_ slot: Int) {
        free[freeCount] = slot
        freeCount &+= 1
    }

    @inline(__always)
    mutating func markQueued(_ slot: Int) {
        pending[queued] = slot
        queued &+= 1
    }

    /// The first `count` queued slots were submitted; the rest stay queued, in order.
    @inline(__always)
    mutating func submitted(_ count: Int) {
        if count < queued { pending.update(from: pending + count, count: queued - count) }
        queued -= count
    }
}
