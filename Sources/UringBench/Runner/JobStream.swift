/// The measured run's IOs: the job's seeded `IOStream`, which never ends by itself; a
/// time-based job's schedule stops the loop, a size-bound job's stream ends after the data IOs
/// its `IssueLimit` allows.
struct JobStream: SubmitStream {
    static var isMeasured: Bool { true }
    var stream: IOStream
    /// Reads and writes still to issue (`.max` for a time-based job: never reached); for a job
    /// of several sizes, blocks of its smallest size, and the IOs number_ios leaves apart.
    var remaining: UInt64
    var remainingIOs: UInt64
    let limit: UInt64
    /// A job of several sizes: its smallest size, what `remaining` counts in (0: one size).
    let grain: UInt64

    init(stream: IOStream, limit: IssueLimit, job: JobSpec) {
        self.stream = stream
        self.limit = limit.dataIOs
        remaining = limit.dataIOs
        remainingIOs = limit.numberIOs
        grain = job.blockSizes == nil ? 0 : UInt64(max(1, job.blockSize))
    }

    var issuedFraction: Double? { limit == .max ? nil : Double(limit - remaining) / Double(max(1, limit)) }

    @inline(__always)
    mutating func next(at now: UInt64, rate: inout IssueRate) -> StreamIO? {
        if ended { return nil }
        guard let io = stream.next(at: now, rate: &rate) else { return nil }
        guard io.direction.isData else { return io }
        if grain == 0 {
            remaining &-= 1
        } else {
            let blocks = UInt64(truncatingIfNeeded: io.length) / grain
            remaining = remaining > blocks ? remaining &- blocks : 0
            remainingIOs &-= 1
        }
        return io
    }

    @inline(__always)
    var ended: Bool { remaining == 0 || remainingIOs == 0 }

    @inline(__always)
    mutating func completed(_ direction: IODirection) { stream.completed(direction) }

    @inline(__always)
    var passes: UInt64 { stream.passes }
}
