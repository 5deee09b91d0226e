/// IOPS in the first and the last third of a run, and last ÷ first: on a working set larger
/// than memory, before and after the page cache filled. From the run's per-second series when
/// it has 3 points or more (compare), else from its 500 ms samples; each third is the mean of its whole
/// intervals (a third of the points, rounded down; a run of fewer than 3 has none).
public struct IOPSThirds: Codable, Sendable, Equatable {
    public var first: Double
    public var last: Double
    /// nil when the first third did no IO.
    var lastToFirst: Double?
    /// The interval the points cover: 1000 (the time series) or 500 (the samples).
    var intervalMilliseconds: UInt64
    /// Points averaged in each third.
    var pointsPerThird: Int

    public init?(points: [Double], intervalMilliseconds: UInt64) {
        let k = points.count / 3
        guard k >= 1 else { return nil }
        first = points.prefix(k).reduce(0, +) / Double(k)
        last = points.suffix(k).reduce(0, +) / Double(k)
        lastToFirst = first > 0 ? last / first : nil
        self.intervalMilliseconds = intervalMilliseconds
        pointsPerThird = k
    }

    public init?(_ r: RunResult) {
        if let series = r.iopsTimeSeries, series.iops.count >= 3 {
            self.init(points: series.iops.map { Double($0) }, intervalMilliseconds: series.intervalMilliseconds)
        } else {
            self.init(points: r.iopsSamples, intervalMilliseconds: RunSchedule.sampleInterval / 1_000_000)
        }
    }

    /// "first third 12.3k IOPS, last third 10.1k (last/first 0.82; 1 s points, 3 per third)"
    public var description: String {
        let ratio = lastToFirst.map { String(format: "%.2f", $0) } ?? "–"
        let unit = intervalMilliseconds % 1000 == 0 ? "\(intervalMilliseconds / 1000) s" : "\(intervalMilliseconds) ms"
        return "first third \(ComparisonTable.count(first)), last third \(ComparisonTable.count(last)) (last/first \(ratio); \(unit) points, \(pointsPerThird) per third)"
    }
}
