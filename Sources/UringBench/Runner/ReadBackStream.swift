/// The --verify read-back's IOs: a read of every block the run wrote, in fio's do_verify order
/// (`BlockGenerations.nextToReadBack`).
struct ReadBackStream: SubmitStream {
    static var isMeasured: Bool { false }
    let tracker: BlockGenerations
    let blockSize: UInt64
    /// Where the job's region starts: block numbers count from there.
    let regionStart: UInt64
    /// Where the next block to read back is found.
    private var position = 0
    private(set) var ended = false

    init(tracker: BlockGenerations, blockSize: Int, regionStart: UInt64 = 0) {
        self.tracker = tracker
        self.blockSize = UInt64(blockSize)
        self.regionStart = regionStart
    }

    mutating func next() -> StreamIO? {
        guard !ended, let (block, after) = tracker.nextToReadBack(from: position) else { ended = true; return nil }
        position = after
        return (.read, regionStart &+ UInt64(block) * blockSize, Int(truncatingIfNeeded: blockSize))
    }

    /// The read-back is not rate-limited.
    mutating func next(at now: UInt64, rate: inout IssueRate) -> StreamIO? { next() }

    func completed(_ direction: IODirection) {}

    var passes: UInt64 { 0 }
}
