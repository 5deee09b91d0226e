/// The measured run's IOs: the job's seeded `IOStream`, which never ends (the schedule stops
/// the loop).
struct JobStream: SubmitStream {
    static var isMeasured: Bool { true }
    var stream: IOStream

    @inline(__always)
    mutating func next() -> StreamIO? { stream.next() }

    @inline(__always)
    var passes: UInt64 { stream.passes }
}
