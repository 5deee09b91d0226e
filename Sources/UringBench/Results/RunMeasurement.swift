import UringCore

/// Everything the IO loop measures while measuring: reads and writes apart, sync latencies,
/// fio's depth distributions and the verified reads. Forgotten as a whole when the ramp ends.
struct RunMeasurement {
    var reads: DirectionMeasurement
    var writes: DirectionMeasurement
    let syncLatency = LatencyRecorder()
    let depthCounters = DepthCounters()
    var verifiedIOs: UInt64 = 0
    var verifiedBytes: UInt64 = 0
    /// What fio's log files get, when the job writes any: a pointer, so that without logs this
    /// stays small and the loop pays one nil check per IO (the runner owns the memory).
    var logs: UnsafeMutablePointer<FioLogRecorder>? = nil
    private let sampleWrites: Bool

    init(expectedSamples: Int, writes: Bool) {
        reads = DirectionMeasurement(expectedSamples: expectedSamples)
        self.writes = DirectionMeasurement(expectedSamples: writes ? expectedSamples : 0)
        sampleWrites = writes
    }

    /// Reads and writes completed so far.
    var dataIOs: UInt64 { reads.ios &+ writes.ios }
    /// Their bytes, each IO its own length.
    var dataBytes: UInt64 { reads.bytes &+ writes.bytes }

    @inline(__always)
    mutating func recordSubmit(_ direction: IODirection, _ nanoseconds: UInt64, bytes: Int, at t: UInt64) {
        switch direction {
        case .read: reads.recordSubmit(nanoseconds)
        case .write: writes.recordSubmit(nanoseconds)
        case .sync, .datasync: break      // fio keeps no slat for syncs
        }
        if let logs { logs.pointee.submitted(direction, slat: nanoseconds, bytes: bytes, at: t) }
    }

    /// fio's sync latency is issue to completion: the clat.
    @inline(__always)
    mutating func recordCompletion(_ direction: IODirection, clat: UInt64, lat: UInt64, bytes: Int, at t: UInt64) {
        switch direction {
        case .read: reads.recordCompletion(clat: clat, lat: lat, bytes: bytes)
        case .write: writes.recordCompletion(clat: clat, lat: lat, bytes: bytes)
        case .sync, .datasync: syncLatency.record(clat)
        }
        if let logs, logs.pointee.completed(direction, clat: clat, lat: lat, bytes: bytes, at: t) {
            logs.pointee.copyHistogram(direction, at: t, histogram: (direction == .write ? writes.clat : reads.clat).histogram)
        }
    }

    /// gtod_reduce: the IO and its bytes are counted, with no latency (fio's disable_lat/clat;
    /// syncs are refused with it, so only data IOs come here).
    @inline(__always)
    mutating func countCompletion(_ direction: IODirection, bytes: Int) {
        if direction == .write {
            writes.ios &+= 1
            writes.bytes &+= UInt64(truncatingIfNeeded: bytes)
        } else {
            reads.ios &+= 1
            reads.bytes &+= UInt64(truncatingIfNeeded: bytes)
        }
    }

    mutating func sample(seconds: Double) {
        reads.sample(seconds: seconds)
        if sampleWrites { writes.sample(seconds: seconds) }
    }

    /// Measuring starts at `t` (the ramp ended): everything so far is forgotten.
    mutating func reset(at t: UInt64) {
        logs?.pointee.restart(at: t)
        reads.reset(); writes.reset(); syncLatency.reset()
        depthCounters.reset()
        verifiedIOs = 0
        verifiedBytes = 0
    }
}
