import UringCore

/// `null` (fio's null engine): no syscall and no data moved. Like fio's, it takes IOs until a
/// commit, completes them all at that commit, and takes no more until they are reaped, so at
/// any --iodepth at most one commit's IOs are out (fio's null reports "IO depths: 1=100%" at
/// iodepth=32 too). What it measures is the harness itself: the loop, the clock reads and the
/// histograms per IO, against fio's own loop on the same job.
public final class NullEngine: IOEngine {
    static let descriptor = EngineDescriptor(
        kind: .null, summary: "no IO at all: every IO completes at commit (the harness's own per-IO cost)",
        fioEngine: "null", isSynchronous: false, transfersData: false,
        probe: { EngineAvailability(engine: .null, available: true, reason: nil, detail: "no syscall, no data") },
        start: { context, driver throws(BenchError) in try driver.drive(NullEngine(context)) })

    private let depth: Int
    private let queued: UnsafeMutablePointer<Completion>     // queued, then committed, until reaped
    // Touched on every IO by one thread only: skip the runtime exclusivity check.
    @exclusivity(unchecked) private var queuedCount = 0
    @exclusivity(unchecked) private var committed = 0        // completed at the last commit
    @exclusivity(unchecked) private var reaped = 0           // of those, reaped so far
    @exclusivity(unchecked) private var lastReap = 0         // where the last reap's IOs start
    public let setup: EngineSetup

    public init(_ context: EngineContext) {
        depth = context.depth
        queued = .allocate(capacity: depth)
        queued.initialize(repeating: Completion(slot: 0, result: 0), count: depth)
        setup = EngineSetup(engine: .null, description: "no IO: each IO completes at commit, no syscall, no data moved; no new IO until those are reaped, as in fio's null")
    }

    deinit { queued.deallocate() }

    /// fio's null_queue: busy while committed IOs wait to be reaped.
    @inline(__always)
    public var isFull: Bool { committed > 0 || queuedCount == depth }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        if isFull { return .busy }
        queued[queuedCount] = Completion(slot: Int32(truncatingIfNeeded: slot), result: direction.isData ? Int32(truncatingIfNeeded: length) : 0)
        queuedCount &+= 1
        return .queued
    }

    /// fio's null_commit: everything queued completes now, unless earlier IOs wait to be reaped.
    @inline(__always)
    public func commit() throws(Errno) -> Int {
        if committed > 0 { return 0 }
        committed = queuedCount
        queuedCount = 0
        reaped = 0
        return committed
    }

    @inline(__always)
    public func reap(minimum: Int, maximum: Int) throws(Errno) -> Int {
        let n = min(committed &- reaped, maximum)
        lastReap = reaped
        reaped &+= n
        if reaped == committed { committed = 0 }
        return n
    }

    @inline(__always)
    public func completion(at index: Int) -> Completion { queued[lastReap &+ index] }
}

extension EngineKind {
    static let null = EngineKind(declaring: "null")   // fio's null engine
}
