import Foundation
import Testing
@testable import UringBench
@testable import UringCore

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

    /// fio writes a percentile as the value of its bucket, the same value its json+ `bins` are
    /// keyed by (stat.c plat_idx_to_val): fio 3.33 here, `fio --name=p --rw=randread
    /// --time_based --runtime=1 --output-format=json+` on a 16 MiB file, had every clat
    /// percentile among its bin keys (p1 38656, p5 40704, p10 41216, p20 42240). Before, each was
    /// that value minus 1 ns (the bucket's midpoint rounded down).
    @Test func percentilesAreFiosBucketValues() {
        var h = LatencyHistogram()
        for _ in 0..<10 { h.record(5_200) }         // bucket 5184...5247
        h.record(6_000)
        #expect(h.valueAt(percentile: 50) == 5_216)
        var spread = LatencyHistogram()
        for v in stride(from: UInt64(100), through: 50_000_000, by: 997) { spread.record(v) }
        let bins = Set(spread.fioBins.map(\.value))
        let percentiles = FioText.percentiles.map { spread.valueAt(percentile: $0) }
        #expect(percentiles.allSatisfy { bins.contains($0) || $0 == spread.max }, "\(percentiles.filter { !bins.contains($0) })")
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

    /// fio's json+ bins: every bucket value in a real fio 3.33 json+ (stored beside the CLI
    /// tests) is the value uringbench gives the bucket that value falls in, so the layouts agree.
    @Test func fioBinsUseFiosBucketValues() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../UringBenchCLITests/Snapshots/fio-3.33-randrw-jsonplus.json")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any])
        let job = try #require((doc["jobs"] as? [[String: Any]])?.first)
        var values: [UInt64] = []
        for direction in ["read", "write"] {
            let bins = try #require(((job[direction] as? [String: Any])?["clat_ns"] as? [String: Any])?["bins"] as? [String: Int])
            values += bins.keys.compactMap { UInt64($0) }
        }
        #expect(values.count > 300)
        for v in values {
            var h = LatencyHistogram()
            h.record(v)
            #expect(h.fioBins.map(\.value) == [v], "fio's bucket value \(v)")
        }
        // Below 128 ns fio counts each value; the bucket [2^20, 2^20 + 2^14) is fio's 1056768.
        var h = LatencyHistogram()
        for v: UInt64 in [5, 5, 127, 1 << 20, (1 << 20) + (1 << 14) - 1] { h.record(v) }
        #expect(h.fioBins.map(\.value) == [5, 127, 1_056_768] && h.fioBins.map(\.count) == [2, 1, 2])
    }

    /// fio's last bucket (index 1855: 2^33 + 63.5 * 2^27 ns) takes every larger value.
    @Test func fioBinsCapAtFiosLastBucket() {
        var h = LatencyHistogram()
        for v: UInt64 in [(1 << 33) + 63 * (1 << 27), 1 << 40, .max] { h.record(v) }
        #expect(h.fioBins.map(\.value) == [17_112_760_320])
        #expect(h.fioBins.map(\.count) == [3])
    }
}
