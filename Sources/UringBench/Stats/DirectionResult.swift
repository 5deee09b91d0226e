/// One data direction's figures (fio's `read` or `write` block).
public struct DirectionResult: Codable, Sendable {
    public var ios: UInt64
    public var bytes: UInt64
    public var slat: LatencyHistogram?           // nil for synchronous engines: no submit step
    public var clat: LatencyHistogram
    public var lat: LatencyHistogram
    /// IOPS and KiB/s of each 500 ms interval.
    public var iopsSamples: [Double]
    public var bandwidthSamples: [Double]

    public init(ios: UInt64, bytes: UInt64, slat: LatencyHistogram?, clat: LatencyHistogram, lat: LatencyHistogram,
                iopsSamples: [Double], bandwidthSamples: [Double]) {
        self.ios = ios
        self.bytes = bytes
        self.slat = slat
        self.clat = clat
        self.lat = lat
        self.iopsSamples = iopsSamples
        self.bandwidthSamples = bandwidthSamples
    }
}
