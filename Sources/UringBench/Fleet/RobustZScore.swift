import UringCore

/// The outlier rule of `uringbench fleet`: a robust z-score, (x − median) / (1.4826 × MAD), where
/// MAD is the median absolute deviation from the median. 1.4826 makes the MAD estimate the
/// standard deviation for normal data, and a median-based scale is not dragged by the outlier
/// itself the way a mean and standard deviation are. |z| > 3.5 is Iglewicz and Hoaglin's cut-off.
public enum RobustZScore {
    static let madScale = 1.4826
    public static let threshold = 3.5
    /// A flag also needs the host this far from the fleet median (5%): with few hosts the MAD
    /// rests on one or two deviations and can be tiny, so a 1% difference would score far past
    /// 3.5 and flag run-to-run noise.
    public static let defaultMinDifference = 0.05

    public static func median(_ values: [Double]) -> Double? { Spread(values)?.median }

    /// Median absolute deviation from the median; nil for no values.
    static func mad(_ values: [Double]) -> Double? {
        guard let m = median(values) else { return nil }
        return median(values.map { abs($0 - m) })
    }

    /// One score per value, in order. A score is nil where it is undefined: when the MAD is 0
    /// (half the values or more are equal) a value off the median has no finite score, and is
    /// not flagged; a value on the median scores 0.
    public static func scores(_ values: [Double]) -> [Double?] {
        guard let m = median(values), let d = mad(values) else { return [] }
        return values.map { x in
            if x == m { return 0 }
            guard d > 0 else { return nil }
            return (x - m) / (madScale * d)
        }
    }

    static func isOutlier(_ z: Double?) -> Bool { z.map { abs($0) > threshold } ?? false }

    /// Beyond the z threshold and at least `minDifference` (a fraction) off the median.
    static func isOutlier(_ z: Double?, value: Double, median: Double, minDifference: Double) -> Bool {
        guard isOutlier(z), median > 0 else { return false }
        return abs(value / median - 1) >= minDifference
    }

    /// The rule in words, for reports.
    static func rule(minDifference: Double) -> String {
        "outlier: |robust z| > 3.5 on IOPS or CPU µs/IO, z = (x − fleet median) / (1.4826 × median absolute deviation), and at least \(String(format: "%g", minDifference * 100))% off the fleet median"
    }
}
