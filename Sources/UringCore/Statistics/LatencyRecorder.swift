/// The IO loop's side of a `LatencyHistogram`: the same buckets, counted in memory allocated
/// once and written in place. An Array's write tests its buffer for uniqueness, a runtime call;
/// the loop records three latencies per IO. A reference: copies count into one table, so one
/// thread owns it; `histogram` is a value taken from it. Public for the reason `CycleClock` is.
public final class LatencyRecorder {
    @usableFromInline let counts: UnsafeMutablePointer<UInt64>
    @usableFromInline let totals: UnsafeMutablePointer<LatencyTotals>

    package init() {
        counts = .allocate(capacity: LatencyHistogram.bucketCount)
        counts.initialize(repeating: 0, count: LatencyHistogram.bucketCount)
        totals = .allocate(capacity: 1)
        totals.initialize(to: LatencyTotals())
    }

    deinit {
        counts.deallocate()
        totals.deallocate()
    }

    @inlinable @inline(__always)
    public func record(_ value: UInt64) {
        counts[LatencyHistogram.bucketIndex(value)] &+= 1
        totals.pointee.add(value)
    }

    package var count: UInt64 { totals.pointee.count }

    /// Forgets every value (the ramp ended).
    package func reset() {
        counts.update(repeating: 0, count: LatencyHistogram.bucketCount)
        totals.pointee = LatencyTotals()
    }

    /// What has been recorded, as a histogram value.
    package var histogram: LatencyHistogram {
        LatencyHistogram(counts: Array(UnsafeBufferPointer(start: counts, count: LatencyHistogram.bucketCount)),
                         totals: totals.pointee)
    }
}
