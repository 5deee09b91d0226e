/// The live progress line's source: about once a second, the rate since the last line.
struct ProgressTicker {
    let emit: (ProgressSnapshot) -> Void
    let start: UInt64
    /// Ramp and runtime together: the progress line's whole.
    let totalNanoseconds: UInt64
    private var iosAtLast: UInt64 = 0
    private var bytesAtLast: UInt64 = 0

    init(emit: @escaping (ProgressSnapshot) -> Void, start: UInt64, totalNanoseconds: UInt64) {
        self.emit = emit
        self.start = start
        self.totalNanoseconds = totalNanoseconds
    }

    mutating func report(at t: UInt64, seconds: Double, dataIOs: UInt64, dataBytes: UInt64, ramping: Bool, issuedFraction: Double? = nil) {
        let rate = Double(dataIOs &- iosAtLast) / seconds
        emit(ProgressSnapshot(elapsedNanoseconds: t - start, totalNanoseconds: totalNanoseconds,
                              iops: rate, bytesPerSecond: Double(dataBytes &- bytesAtLast) / seconds, ramping: ramping,
                              issuedFraction: issuedFraction))
        iosAtLast = dataIOs
        bytesAtLast = dataBytes
    }

    /// The measurement was forgotten (ramp end): count from zero again.
    mutating func restart() { iosAtLast = 0; bytesAtLast = 0 }
}
