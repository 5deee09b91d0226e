/// fio's gtod_reduce in the loop: no latency is recorded, and the clock is read once every 64
/// IOs (fio's `ts_cache_mask` 63, backend.c `update_ts_cache`) for the deadline, the ramp's end
/// and the 50 ms tick; between reads the loop goes on with the last time read. A rate-limited
/// job still reads the clock per IO, as fio's pacing does (`usec_for_io` against the time now).
struct ReducedClock {
    /// fio's ts_cache_mask + 1.
    static let interval: UInt64 = 64
    /// false: a rate caps the job, so the pacing reads the clock at every step.
    let skipsReads: Bool
    private var iosSinceRead: UInt64 = 0
    /// The clock reads the loop made in its IO steps (queue, commit, reap), for the report.
    private(set) var reads: UInt64 = 0

    init(job: JobSpec) {
        skipsReads = !job.hasRate
    }

    /// Whether the step that has just seen `ios` more IOs reads the clock.
    @inline(__always)
    mutating func readsClock(after ios: Int) -> Bool {
        if skipsReads {
            iosSinceRead &+= UInt64(ios)
            guard iosSinceRead >= Self.interval else { return false }
            iosSinceRead = 0
        }
        reads &+= 1
        return true
    }
}
