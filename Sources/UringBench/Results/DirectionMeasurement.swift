import UringCore

/// What the IO loop accumulates for one data direction while it measures: the latency
/// histograms, the IO count and the 500 ms samples.
struct DirectionMeasurement {
    var slat = LatencyHistogram()
    var clat = LatencyHistogram()
    var lat = LatencyHistogram()
    var ios: UInt64 = 0
    private var iosAtSample: UInt64 = 0
    private(set) var iopsSamples: [Double] = []
    private(set) var bandwidthSamples: [Double] = []

    init(expectedSamples: Int) {
        iopsSamples.reserveCapacity(expectedSamples)
        bandwidthSamples.reserveCapacity(expectedSamples)
    }

    @inline(__always)
    mutating func recordSubmit(_ nanoseconds: UInt64) { slat.record(nanoseconds) }

    @inline(__always)
    mutating func recordCompletion(clat c: UInt64, lat l: UInt64) {
        clat.record(c)
        lat.record(l)
        ios &+= 1
    }

    /// One IOPS/bandwidth sample over the `seconds` since the previous one.
    mutating func sample(seconds: Double, blockSize: Int) {
        let done = ios - iosAtSample
        iosAtSample = ios
        iopsSamples.append(Double(done) / seconds)
        bandwidthSamples.append(Double(done) * Double(blockSize) / 1024 / seconds)
    }

    /// Forget everything (the ramp ended), keeping the sample arrays' capacity.
    mutating func reset() {
        slat.reset(); clat.reset(); lat.reset()
        ios = 0; iosAtSample = 0
        iopsSamples.removeAll(keepingCapacity: true)
        bandwidthSamples.removeAll(keepingCapacity: true)
    }

    /// The figures; a synchronous engine has no submit step, and its lat is its clat.
    func result(blockSize: Int, synchronous: Bool) -> DirectionResult {
        DirectionResult(ios: ios, bytes: ios &* UInt64(blockSize), slat: synchronous ? nil : slat, clat: clat,
                        lat: synchronous ? clat : lat, iopsSamples: iopsSamples, bandwidthSamples: bandwidthSamples)
    }

    /// Reads and writes together: the run's headline figures.
    static func combined(_ a: DirectionResult, _ b: DirectionResult) -> DirectionResult { DirectionResult.sum([a, b]) }
}
