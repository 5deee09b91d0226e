import Foundation

/// The pieces of fio's text output that every report prints alike: the disk job's, the QPS
/// client's (its time line, latency line and percentile block).
package enum FioText {
    package static func ctime(_ seconds: Double) -> String {
        var t = time_t(seconds)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "%a %b %e %H:%M:%S %Y", &tmv)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// fio's display_lat: the unit changes only when min, max and stdev all pass its thresholds.
    package static func latencyLine(_ name: String, _ h: LatencyHistogram) -> String {
        var minV = h.observedMin, maxV = h.max
        var mean = h.mean, dev = h.standardDeviation
        var unit = "nsec"
        if minV > 2_000_000 && maxV > 99_999_999 && dev > 1_000_000 {
            unit = "msec"; minV /= 1_000_000; maxV /= 1_000_000; mean /= 1e6; dev /= 1e6
        } else if minV > 2000 && maxV > 99_999 && dev > 1000 {
            unit = "usec"; minV /= 1000; maxV /= 1000; mean /= 1e3; dev /= 1e3
        }
        return String(format: "    %@ (%@): min=%@, max=%@, avg=%5.02f, stdev=%5.02f\n", name, unit,
                      FioNumber.string(minV, maxLength: 6, base: 1000, unit: .none),
                      FioNumber.string(maxV, maxLength: 6, base: 1000, unit: .none), mean, dev)
    }

    package static let percentiles: [Double] = [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99]

    package static func percentileBlock(_ name: String, _ h: LatencyHistogram) -> String {
        let values = percentiles.map { h.valueAt(percentile: $0) }
        let minV = values.min() ?? 0, maxV = values.max() ?? 0
        var unit = "nsec", divisor: UInt64 = 1, scaleDown = 0
        if minV > 2_000_000 && maxV > 99_999_999 { unit = "msec"; divisor = 1_000_000; scaleDown = 2 }
        else if minV > 2000 && maxV > 99_999 { unit = "usec"; divisor = 1000; scaleDown = 1 }
        let scaledMax = maxV / divisor
        let width = max(5, scaledMax > 0 ? Int(log10(Double(scaledMax))) + 1 : 1)
        let perLine = (80 - 7) / (2 + 10 + width)
        var out = "    \(name) percentiles (\(unit)):\n     |"
        for (j, p) in percentiles.enumerated() {
            if j != 0 && j % perLine == 0 { out += "     |" }
            var v = values[j]
            for _ in 0..<scaleDown { v = (v + 999) / 1000 }
            let last = j == percentiles.count - 1
            out += String(format: " %5.2fth=[%*llu]%@", p, width, v, last ? "\n" : ",")
            if last { break }
            if j % perLine == perLine - 1 { out += "\n" }
        }
        return out
    }
}
