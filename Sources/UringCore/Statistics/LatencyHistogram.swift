/// Log-linear histogram of nanosecond values (the HdrHistogram layout, sized for latencies).
///
/// Values below 128 ns get a bucket each; above that every power-of-two range [2^e, 2^(e+1))
/// is cut into 64 equal buckets, so a bucket is at most 1/64 of its lower edge wide and its
/// midpoint is within 0.79% of any value in it. Recording is a count-leading-zeros, a shift and
/// an increment into a preallocated table: no allocation, no division.
public struct LatencyHistogram: Sendable, Equatable {
    // Inlined into the IO loop in another module: the storage and the bucket arithmetic are
    // @usableFromInline, the public view of them read-only.
    @usableFromInline static let linearLimit: UInt64 = 128   // values below this are exact
    @usableFromInline static let subBucketBits = 6           // 64 buckets per power of two above that
    @usableFromInline static let subBuckets = 1 << subBucketBits
    static let bucketCount = Int(linearLimit) + (63 - 7 + 1) * subBuckets

    /// Worst-case relative error of `valueAt(percentile:)` against the true sample value.
    public static let maxRelativeError = 1.0 / Double(2 * subBuckets)

    @usableFromInline var storedCounts: [UInt64]
    @usableFromInline var totals = LatencyTotals()

    public var counts: [UInt64] { storedCounts }
    public var count: UInt64 { totals.count }
    public var min: UInt64 { totals.min }
    public var max: UInt64 { totals.max }
    var sum: Double { totals.sum }
    var sumOfSquares: Double { totals.sumOfSquares }

    public init() {
        storedCounts = [UInt64](repeating: 0, count: Self.bucketCount)
    }

    /// A histogram of counts taken elsewhere (`LatencyRecorder`), in this layout.
    package init(counts: [UInt64], totals: LatencyTotals) {
        precondition(counts.count == Self.bucketCount)
        storedCounts = counts
        self.totals = totals
    }

    @inlinable @inline(__always)
    static func bucketIndex(_ value: UInt64) -> Int {
        if value < linearLimit { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount                 // >= 7
        let shift = exponent - subBucketBits
        let sub = Int(truncatingIfNeeded: value >> UInt64(shift)) - subBuckets   // 0..<64
        return Int(linearLimit) + (exponent - 7) * subBuckets + sub
    }

    /// Smallest and largest value that land in bucket `index`.
    static func bucketRange(_ index: Int) -> ClosedRange<UInt64> {
        if index < Int(linearLimit) { return UInt64(index)...UInt64(index) }
        let rest = index - Int(linearLimit)
        let exponent = rest / subBuckets + 7
        let sub = UInt64(rest % subBuckets + subBuckets)
        let shift = UInt64(exponent - subBucketBits)
        let low = sub << shift
        return low...(low + (1 << shift) - 1)
    }

    @inlinable @inline(__always)
    public mutating func record(_ value: UInt64) {
        storedCounts.withUnsafeMutableBufferPointer { $0[Self.bucketIndex(value)] &+= 1 }
        totals.add(value)
    }

    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        for i in storedCounts.indices { storedCounts[i] &+= other.storedCounts[i] }
        totals.merge(other.totals)
    }

    public mutating func reset() { self = LatencyHistogram() }

    public var isEmpty: Bool { count == 0 }
    public var observedMin: UInt64 { count == 0 ? 0 : min }
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// Sample standard deviation (n-1), as fio reports it.
    public var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let n = Double(count)
        let variance = (sumOfSquares - sum * sum / n) / (n - 1)
        return variance > 0 ? variance.squareRoot() : 0
    }

    /// The value at `percentile` (0–100]: fio's value for the bucket holding the sample of that
    /// rank (`fioBucketValue`, stat.c calc_clat_percentiles: 5216 for the bucket 5184...5247, where
    /// its midpoint rounded down was 5215), clamped into [min, max] so it is never above the
    /// largest value seen (fio #1984).
    public func valueAt(percentile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = Swift.max(1, UInt64((percentile / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                let value = Self.fioBucketValue(Swift.min(index, Self.fioBucketCount - 1))
                return Swift.min(Swift.max(value, min), max)
            }
        }
        return max
    }

    /// Share of samples (0–1) with value <= `limit`, used for fio's `lat (usec): 250=...` rows.
    /// Buckets straddling `limit` are split in proportion to their width.
    public func fraction(atOrBelow limit: UInt64) -> Double {
        guard count > 0 else { return 0 }
        var below: Double = 0
        for (index, c) in counts.enumerated() where c > 0 {
            let range = Self.bucketRange(index)
            if range.upperBound <= limit {
                below += Double(c)
            } else if range.lowerBound <= limit {
                let width = Double(range.upperBound - range.lowerBound + 1)
                below += Double(c) * Double(limit - range.lowerBound + 1) / width
            } else {
                break
            }
        }
        return below / Double(count)
    }

    /// fio's histogram (stat.h: FIO_IO_U_PLAT_BITS 6, FIO_IO_U_PLAT_GROUP_NR 29) has the same
    /// layout as this one up to its last bucket, index 1855, which fio caps every larger value
    /// into (2^34 ns, about 17 s, and above).
    package static let fioBucketCount = 29 << subBucketBits

    /// fio's `plat_idx_to_val`: the value fio reports for its bucket `index`, the bucket's
    /// midpoint rounded down (values below 128 ns are exact).
    static func fioBucketValue(_ index: Int) -> UInt64 {
        if index < Int(linearLimit) { return UInt64(index) }
        let range = bucketRange(index)
        return range.lowerBound + (range.upperBound - range.lowerBound + 1) / 2
    }

    /// The non-empty buckets as fio's json+ `bins` write them: (fio's bucket value, count), in
    /// ascending order, buckets past fio's last one counted into it as fio does.
    public var fioBins: [(value: UInt64, count: UInt64)] {
        var bins: [(value: UInt64, count: UInt64)] = []
        var last: UInt64 = 0
        for (index, c) in counts.enumerated() where c > 0 {
            if index < Self.fioBucketCount - 1 {
                bins.append((Self.fioBucketValue(index), c))
            } else {
                last &+= c
            }
        }
        if last > 0 { bins.append((Self.fioBucketValue(Self.fioBucketCount - 1), last)) }
        return bins
    }

    /// Non-empty buckets as (lower edge, upper edge, count), for export and plotting.
    public var nonEmptyBuckets: [(low: UInt64, high: UInt64, count: UInt64)] {
        counts.enumerated().compactMap { index, c in
            guard c > 0 else { return nil }
            let r = Self.bucketRange(index)
            return (r.lowerBound, r.upperBound, c)
        }
    }
}

extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey { case count, min, max, sum, sumOfSquares, buckets }

    /// Sparse form: [[bucket index, count], ...]; a whole table is 3,776 mostly-zero counts.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(observedMin, forKey: .min)
        try c.encode(max, forKey: .max)
        try c.encode(sum, forKey: .sum)
        try c.encode(sumOfSquares, forKey: .sumOfSquares)
        let sparse = counts.enumerated().filter { $0.element > 0 }.map { [UInt64($0.offset), $0.element] }
        try c.encode(sparse, forKey: .buckets)
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let n = try c.decode(UInt64.self, forKey: .count)
        let sparse = try c.decode([[UInt64]].self, forKey: .buckets)
        var total: UInt64 = 0
        for pair in sparse {
            guard pair.count == 2, pair[0] < UInt64(Self.bucketCount) else {
                throw DecodingError.dataCorruptedError(forKey: .buckets, in: c, debugDescription: "bucket index out of range")
            }
            storedCounts[Int(pair[0])] = pair[1]
            let (next, overflow) = total.addingReportingOverflow(pair[1])
            guard !overflow else {
                throw DecodingError.dataCorruptedError(forKey: .buckets, in: c, debugDescription: "bucket counts add up past 2^64")
            }
            total = next
        }
        guard total == n else {
            throw DecodingError.dataCorruptedError(forKey: .count, in: c, debugDescription: "bucket counts add up to \(total), not \(n)")
        }
        totals.count = n
        totals.min = n == 0 ? .max : try c.decode(UInt64.self, forKey: .min)
        totals.max = try c.decode(UInt64.self, forKey: .max)
        if n > 0 && min > max {
            throw DecodingError.dataCorruptedError(forKey: .min, in: c, debugDescription: "min \(min) is above max \(max)")
        }
        totals.sum = try c.decode(Double.self, forKey: .sum)
        totals.sumOfSquares = try c.decode(Double.self, forKey: .sumOfSquares)
        // JSON has no NaN; a number beyond Double's range would be the only way to get one.
        guard sum.isFinite && sum >= 0 && sumOfSquares.isFinite && sumOfSquares >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .sum, in: c, debugDescription: "sum and sumOfSquares must be finite and not negative")
        }
    }
}

/// A histogram's running totals beside its buckets: count, extremes, and the sums the mean and
/// standard deviation come from. `LatencyHistogram` and `LatencyRecorder` both keep them.
public struct LatencyTotals: Sendable, Equatable {
    public var count: UInt64 = 0
    public var min: UInt64 = .max
    public var max: UInt64 = 0
    public var sum: Double = 0
    public var sumOfSquares: Double = 0

    public init() {}

    @inlinable @inline(__always)
    public mutating func add(_ value: UInt64) {
        count &+= 1
        if value < min { min = value }
        if value > max { max = value }
        let v = Double(value)
        sum += v
        sumOfSquares += v * v
    }

    /// Adds another histogram's totals (the values of both, as if recorded here).
    public mutating func merge(_ other: LatencyTotals) {
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }
}
