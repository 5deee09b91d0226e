/// The IO loop's side of `DepthDistributions`: fio's depth, submit and complete buckets counted
/// in memory allocated once and written in place (an Array's write tests its buffer for
/// uniqueness, a runtime call, and the loop counts three times per IO). A reference, owned by
/// one thread; `distributions` is a value taken from it.
final class DepthCounters {
    private static let buckets = 7
    /// Depth buckets, then submit, then complete.
    private let counts: UnsafeMutablePointer<UInt64>

    init() {
        counts = .allocate(capacity: 3 * Self.buckets)
        counts.initialize(repeating: 0, count: 3 * Self.buckets)
    }

    deinit { counts.deallocate() }

    /// `submitted` IOs went out in one commit, leaving `inFlight` in flight.
    @inline(__always)
    func countCommit(submitted: Int, inFlight: Int) {
        counts[Self.buckets + DepthDistributions.batchBucket(submitted)] &+= 1
        counts[DepthDistributions.depthBucket(inFlight)] &+= UInt64(truncatingIfNeeded: submitted)
    }

    /// One reap returned `reaped` completions.
    @inline(__always)
    func countReap(_ reaped: Int) {
        counts[2 * Self.buckets + DepthDistributions.batchBucket(reaped)] &+= 1
    }

    func reset() { counts.update(repeating: 0, count: 3 * Self.buckets) }

    var distributions: DepthDistributions {
        func bucket(_ part: Int) -> [UInt64] { Array(UnsafeBufferPointer(start: counts + part * Self.buckets, count: Self.buckets)) }
        var d = DepthDistributions()
        d.depth = bucket(0)
        d.submit = bucket(1)
        d.complete = bucket(2)
        return d
    }
}
