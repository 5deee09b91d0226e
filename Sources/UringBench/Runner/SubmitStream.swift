/// One IO a stream hands the loop: its direction and (for reads and writes) its offset and
/// length in bytes.
typealias StreamIO = (direction: IODirection, offset: UInt64, length: Int)

/// Where the loop's IOs come from: the job's seeded stream for the measured run
/// (`JobStream`), the blocks written for the --verify read-back (`ReadBackStream`).
protocol SubmitStream {
    /// Whether the loop measures what this stream issues (a static, so each specialised loop
    /// decides it at compile time).
    static var isMeasured: Bool { get }
    /// The next IO at `now` under `rate`; nil while the rate holds every direction back, or
    /// when the stream has no more (`ended`).
    mutating func next(at now: UInt64, rate: inout IssueRate) -> StreamIO?
    /// The stream has no more IOs.
    var ended: Bool { get }
    /// An IO of this stream completed (a sync's completion ends fio's sync cadence).
    mutating func completed(_ direction: IODirection)
    /// Passes over the file begun after the first (fio's cache drop follows them).
    var passes: UInt64 { get }
    /// The share of a size-bound stream's IOs issued, for the progress line; nil: unbounded.
    var issuedFraction: Double? { get }
}

extension SubmitStream {
    var issuedFraction: Double? { nil }
}
