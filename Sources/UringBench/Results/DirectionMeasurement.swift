import UringCore

/// What the IO loop accumulates for one data direction while it measures: the latency
/// histograms, the IOs and bytes (each IO's own length) and the 500 ms samples.
struct DirectionMeasurement {
    let slat = LatencyRecorder()
    let clat = LatencyRecorder()
    let lat = LatencyRecorder()
    var ios: UInt64 = 0
    var bytes: UInt64 = 0
    private var iosAtSample: UInt64 = 0
    private var bytesAtSample: UInt64 = 0
    private(set) var iopsSamples: [Double] = []
    private(set) var bandwidthSamples: [Double] = []

    init(expectedSamples: Int) {
        iopsSamples.reserveCapacity(expectedSamples)
        bandwidthSamples.reserveCapacity(expectedSamples)
    }

    @inline(__always)
    mutating func recordSubmit(_ nanoseconds: UInt64) { slat.record(nanoseconds) }

    @inline(__always)
    mutating func recordCompletion(clat c: UInt64, lat l: UInt64, bytes n: Int) {
        clat.record(c)
        lat.record(l)
        ios &+= 1
        bytes &+= UInt64(truncatingIfNeeded: n)
    }

    /// One IOPS/bandwidth sample over the `seconds` since the previous one.
    mutating func sample(seconds: Double) {
        let done = ios - iosAtSample
        let moved = bytes - bytesAtSample
        iosAtSample = ios
        bytesAtSample = bytes
        iopsSamples.append(Double(done) / seconds)
        bandwidthSamples.append(Double(moved) / 1024 / seconds)
    }

    /// Forget everything (the ramp ended), keeping the sample arrays' capacity.
    mutating func reset() {
        slat.reset(); clat.reset(); lat.reset()
        ios = 0; iosAtSample = 0; bytes = 0; bytesAtSample = 0
        iopsSamples.removeAll(keepingCapacity: true)
        bandwidthSamples.removeAll(keepingCapacity: true)
    }

    /// The figures; a synchronous engine has no submit step, and its lat is its clat.
    func result(synchronous: Bool) -> DirectionResult {
        let clat = clat.histogram
        return DirectionResult(ios: ios, bytes: bytes, slat: synchronous ? nil : slat.histogram, clat: clat,
                               lat: synchronous ? clat : lat.histogram, iopsSamples: iopsSamples, bandwidthSamples: bandwidthSamples)
    }

    /// Reads and writes together: the run's headline figures.
    static func combined(_ a: DirectionResult, _ b: DirectionResult) -> DirectionResult { DirectionResult.sum([a, b]) }
}
