/// The live progress line's source: about once a second, the rate since the last line.
struct ProgressTicker {
    let emit: (ProgressSnapshot) -> Void
    let start: UInt64
    /// Ramp and runtime together: the progress line's whole.
    let totalNanoseconds: UInt64
    let blockSize: Int
    private var iosAtLast: UInt64 = 0

    init(emit: @escaping (ProgressSnapshot) -> Void, start: UInt64, totalNanoseconds: UInt64, blockSize: Int) {
        self.emit = emit
        self.start = start
        self.totalNanoseconds = totalNanoseconds
        self.blockSize = blockSize
    }

    mutating func report(at t: UInt64, seconds: Double, dataIOs: UInt64, ramping: Bool, issuedFraction: Double? = nil) {
        let rate = Double(dataIOs &- iosAtLast) / seconds
        emit(ProgressSnapshot(elapsedNanoseconds: t - start, totalNanoseconds: totalNanoseconds,
                              iops: rate, bytesPerSecond: rate * Double(blockSize), ramping: ramping,
                              issuedFraction: issuedFraction))
        iosAtLast = dataIOs
    }

    /// The measurement was forgotten (ramp end): count from zero again.
    mutating func restart() { iosAtLast = 0 }
}
