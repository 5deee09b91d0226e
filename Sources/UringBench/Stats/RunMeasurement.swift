/// Everything the IO loop measures while measuring: reads and writes apart, sync latencies,
/// fio's depth distributions and the verified reads. Forgotten as a whole when the ramp ends.
struct RunMeasurement {
    var reads: DirectionMeasurement
    var writes: DirectionMeasurement
    var syncLatency = LatencyHistogram()
    var distributions = DepthDistributions()
    var verifiedIOs: UInt64 = 0
    private let sampleWrites: Bool

    init(expectedSamples: Int, writes: Bool) {
        reads = DirectionMeasurement(expectedSamples: expectedSamples)
        self.writes = DirectionMeasurement(expectedSamples: writes ? expectedSamples : 0)
        sampleWrites = writes
    }

    /// Reads and writes completed so far.
    var dataIOs: UInt64 { reads.ios &+ writes.ios }

    @inline(__always)
    mutating func recordSubmit(_ direction: IODirection, _ nanoseconds: UInt64) {
        switch direction {
        case .read: reads.recordSubmit(nanoseconds)
        case .write: writes.recordSubmit(nanoseconds)
        case .sync, .datasync: break      // fio keeps no slat for syncs
        }
    }

    /// fio's sync latency is issue to completion: the clat.
    @inline(__always)
    mutating func recordCompletion(_ direction: IODirection, clat: UInt64, lat: UInt64) {
        switch direction {
        case .read: reads.recordCompletion(clat: clat, lat: lat)
        case .write: writes.recordCompletion(clat: clat, lat: lat)
        case .sync, .datasync: syncLatency.record(clat)
        }
    }

    mutating func sample(seconds: Double, blockSize: Int) {
        reads.sample(seconds: seconds, blockSize: blockSize)
        if sampleWrites { writes.sample(seconds: seconds, blockSize: blockSize) }
    }

    mutating func reset() {
        reads.reset(); writes.reset(); syncLatency.reset()
        distributions = DepthDistributions()
        verifiedIOs = 0
    }
}
