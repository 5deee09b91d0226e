import UringCore

/// One data direction's figures (fio's `read` or `write` block).
public struct DirectionResult: Codable, Sendable {
    public var ios: UInt64
    public var bytes: UInt64
    var slat: LatencyHistogram?           // nil for synchronous engines: no submit step
    public var clat: LatencyHistogram
    public var lat: LatencyHistogram
    /// IOPS and KiB/s of each 500 ms interval.
    var iopsSamples: [Double]
    var bandwidthSamples: [Double]

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

    /// Several parts together (the jobs of a group, or reads and writes): counts added,
    /// histograms merged, each 500 ms sample the sum of the parts' samples over the intervals
    /// all of them have.
    static func sum(_ parts: [DirectionResult]) -> DirectionResult {
        guard var out = parts.first else {
            return DirectionResult(ios: 0, bytes: 0, slat: nil, clat: LatencyHistogram(), lat: LatencyHistogram(),
                                   iopsSamples: [], bandwidthSamples: [])
        }
        for p in parts.dropFirst() {
            out.ios += p.ios
            out.bytes += p.bytes
            if let s = p.slat { out.slat?.merge(s) }
            out.clat.merge(p.clat)
            out.lat.merge(p.lat)
            let n = min(out.iopsSamples.count, p.iopsSamples.count)
            out.iopsSamples = (0..<n).map { out.iopsSamples[$0] + p.iopsSamples[$0] }
            out.bandwidthSamples = (0..<n).map { out.bandwidthSamples[$0] + p.bandwidthSamples[$0] }
        }
        return out
    }
}
