/// The measured run's IOs: the job's seeded `IOStream`, which never ends (the schedule stops
/// the loop).
struct JobStream: SubmitStream {
    static var isMeasured: Bool { true }
    var stream: IOStream

    @inline(__always)
    mutating func next(at now: UInt64, rate: inout IssueRate) -> StreamIO? { stream.next(at: now, rate: &rate) }

    var ended: Bool { false }

    @inline(__always)
    mutating func completed(_ direction: IODirection) { stream.completed(direction) }

    @inline(__always)
    var passes: UInt64 { stream.passes }
}
