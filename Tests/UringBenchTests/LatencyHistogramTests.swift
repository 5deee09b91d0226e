import Testing
@testable import UringBench

@Suite struct LatencyHistogramTests {
    @Test func bucketsCoverValuesWithinOnePercent() {
        // Every value maps to a bucket that contains it, and the bucket is at most 1/64 wide.
        var value: UInt64 = 1
        while value < UInt64(1) << 62 {
            for v in [value, value + 1, value * 3 / 2, value * 2 - 1] {
                let range = LatencyHistogram.bucketRange(LatencyHistogram.bucketIndex(v))
                #expect(range.contains(v), "value \(v) outside its bucket \(range)")
                if v >= 128 {
                    let width = Double(range.upperBound - range.lowerBound + 1)
                    #expect(width / Double(range.lowerBound) <= 1.0 / 64 + 1e-12)
                }
            }
            value *= 3
        }
    }

    @Test func exactBelow128AndPercentileErrorBound() {
        var h = LatencyHistogram()
        for v in UInt64(1)...100 { h.record(v) }
        #expect(h.valueAt(percentile: 50) == 50)
        #expect(h.valueAt(percentile: 99) == 99)
        #expect(h.valueAt(percentile: 100) == 100)
        #expect(h.observedMin == 1 && h.max == 100 && h.count == 100)

        // 1..100000 uniformly: the p-th percentile is p*1000 within the stated error.
        var big = LatencyHistogram()
        for v in stride(from: UInt64(1_000), through: 100_000_000, by: 1_000) { big.record(v) }
        for p in [1.0, 10, 50, 90, 99, 99.9] {
            let truth = p / 100 * 100_000_000
            let got = Double(big.valueAt(percentile: p))
            #expect(abs(got - truth) / truth <= LatencyHistogram.maxRelativeError + 0.0001, "p\(p): \(got) vs \(truth)")
        }
        #expect(LatencyHistogram.maxRelativeError <= 0.01)
    }

    @Test func percentileNeverAboveObservedMax() {
        // fio #1984: the bucket midpoint can exceed the largest sample; ours is clamped.
        var h = LatencyHistogram()
        for _ in 0..<10 { h.record(8_290_147) }
        #expect(h.valueAt(percentile: 99.99) == 8_290_147)
        #expect(h.valueAt(percentile: 1) == 8_290_147)
    }

    @Test func meanAndSampleStandardDeviation() {
        var h = LatencyHistogram()
        for v: UInt64 in [2, 4, 4, 4, 5, 5, 7, 9] { h.record(v) }
        #expect(h.mean == 5)
        // sample stddev of that set is sqrt(32/7)
        #expect(abs(h.standardDeviation - (32.0 / 7).squareRoot()) < 1e-9)
    }

    @Test func mergeAndCodableRoundTrip() throws {
        var a = LatencyHistogram(), b = LatencyHistogram()
        for v in stride(from: UInt64(100), to: 50_000, by: 37) { a.record(v) }
        for v in stride(from: UInt64(40_000), to: 9_000_000, by: 1013) { b.record(v) }
        var merged = a
        merged.merge(b)
        #expect(merged.count == a.count + b.count)
        #expect(merged.observedMin == a.observedMin && merged.max == b.max)
        let data = try JSONEncoder().encode(merged)
        let back = try JSONDecoder().decode(LatencyHistogram.self, from: data)
        #expect(back == merged)
        #expect(back.valueAt(percentile: 99) == merged.valueAt(percentile: 99))
    }

    @Test func decodingRejectsInconsistentCounts() {
        let bad = #"{"count":5,"min":1,"max":9,"sum":10,"sumOfSquares":30,"buckets":[[3,2]]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LatencyHistogram.self, from: Data(bad.utf8)) }
    }

    @Test func fractionAtOrBelowSplitsStraddlingBuckets() {
        var h = LatencyHistogram()
        for v in UInt64(0)..<100 { h.record(v) }
        #expect(h.fraction(atOrBelow: 49) == 0.5)
        #expect(h.fraction(atOrBelow: 1_000) == 1)
    }
}

import Foundation
