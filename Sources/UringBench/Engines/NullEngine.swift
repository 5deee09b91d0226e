/// `null` (fio's null engine): every IO completes at commit, with no syscall and no data
/// moved. What it measures is the harness itself: the loop, the clock reads and the histograms
/// per IO, against fio's own loop on the same job.
public final class NullEngine: IOEngine {
    public static let descriptor = EngineDescriptor(
        kind: .null, summary: "no IO at all: every IO completes at commit (the harness's own per-IO cost)",
        fioEngine: "null", isSynchronous: false, transfersData: false,
        probe: { EngineAvailability(engine: .null, available: true, reason: nil, detail: "no syscall, no data") },
        start: { context, driver throws(BenchError) in try driver.drive(NullEngine(context)) })

    private let depth: Int
    private let blockSize: Int32
    private let queued: UnsafeMutablePointer<Completion>     // queued, not committed
    private let done: UnsafeMutablePointer<Completion>       // ring of committed, not reaped
    // Touched on every IO by one thread only: skip the runtime exclusivity check.
    @exclusivity(unchecked) private var queuedCount = 0
    @exclusivity(unchecked) private var doneHead = 0
    @exclusivity(unchecked) private var doneCount = 0
    @exclusivity(unchecked) private var reapedFrom = 0
    public let setup: EngineSetup

    public init(_ context: EngineContext) {
        depth = context.depth
        blockSize = Int32(clamping: context.blockSize)
        queued = .allocate(capacity: depth)
        queued.initialize(repeating: Completion(slot: 0, result: 0), count: depth)
        done = .allocate(capacity: depth)
        done.initialize(repeating: Completion(slot: 0, result: 0), count: depth)
        setup = EngineSetup(engine: .null, description: "no IO: each IO completes at commit, no syscall, no data moved")
    }

    deinit {
        queued.deallocate()
        done.deallocate()
    }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, direction: IODirection) throws(Errno) -> QueueResult {
        if queuedCount == depth { return .busy }
        queued[queuedCount] = Completion(slot: Int32(truncatingIfNeeded: slot), result: direction.isData ? blockSize : 0)
        queuedCount &+= 1
        return .queued
    }

    @inline(__always)
    public func commit() throws(Errno) -> Int {
        let n = queuedCount
        for i in 0..<n {
            var at = doneHead &+ doneCount &+ i
            if at >= depth { at &-= depth }
            done[at] = queued[i]
        }
        doneCount &+= n
        queuedCount = 0
        return n
    }

    @inline(__always)
    public func reap(minimum: Int, maximum: Int) throws(Errno) -> Int {
        let n = min(doneCount, maximum)
        reapedFrom = doneHead
        doneHead &+= n
        if doneHead >= depth { doneHead &-= depth }
        doneCount &-= n
        return n
    }

    @inline(__always)
    public func completion(at index: Int) -> Completion {
        var at = reapedFrom &+ index
        if at >= depth { at &-= depth }
        return done[at]
    }
}

extension EngineKind {
    public static let null = EngineKind(declaring: "null")   // fio's null engine
}
