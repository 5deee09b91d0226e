/// The measured run's IOs: the job's seeded `IOStream`, which never ends by itself; a
/// time-based job's schedule stops the loop, a size-bound job's stream ends after the data IOs
/// its `IssueLimit` allows.
struct JobStream: SubmitStream {
    static var isMeasured: Bool { true }
    var stream: IOStream
    /// Reads and writes still to issue (`.max` for a time-based job: never reached).
    var remaining: UInt64
    let limit: UInt64

    init(stream: IOStream, limit: IssueLimit) {
        self.stream = stream
        self.limit = limit.dataIOs
        remaining = limit.dataIOs
    }

    var issuedFraction: Double? { limit == .max ? nil : Double(limit - remaining) / Double(max(1, limit)) }

    @inline(__always)
    mutating func next(at now: UInt64, rate: inout IssueRate) -> StreamIO? {
        if remaining == 0 { return nil }
        guard let io = stream.next(at: now, rate: &rate) else { return nil }
        if io.direction.isData { remaining &-= 1 }
        return io
    }

    @inline(__always)
    var ended: Bool { remaining == 0 }

    @inline(__always)
    mutating func completed(_ direction: IODirection) { stream.completed(direction) }

    @inline(__always)
    var passes: UInt64 { stream.passes }
}
