/// fio's thinktime (backend.c `handle_thinktime`, fio 3.33): once `thinktime_blocks` more IOs
/// have completed (or, with thinktime_blocks_type=issue, been issued) since the last pause, the
/// job lets every IO in flight complete (`io_u_quiesce`), spins for thinktime_spin, then sleeps
/// the rest of thinktime. The counts run on through the ramp, as fio's. The loop holds this as
/// an optional: a job without thinktime pays one nil check per IO.
struct ThinkTime {
    /// IOs between two pauses (thinktime_blocks).
    let every: UInt64
    /// The spinning part of a pause and the whole pause, in nanoseconds.
    let spinNanoseconds: UInt64
    let pauseNanoseconds: UInt64
    /// thinktime_blocks_type=issue: count IOs issued, not completed.
    let countsIssued: Bool
    private var issued: UInt64 = 0
    private var completed: UInt64 = 0
    /// The count when the last pause was taken (fio's last_thinktime_blocks).
    private var countAtPause: UInt64 = 0

    /// nil for a job that never pauses (thinktime=0, fio's default).
    init?(_ job: JobSpec) {
        guard job.thinktimeNanoseconds > 0 else { return nil }
        every = UInt64(max(1, job.thinktimeBlocks))
        spinNanoseconds = min(job.thinktimeSpinNanoseconds, job.thinktimeNanoseconds)
        pauseNanoseconds = job.thinktimeNanoseconds
        countsIssued = job.thinktimeCountsIssued
    }

    private var count: UInt64 { countsIssued ? issued : completed }

    @inline(__always)
    mutating func issuedIO() { issued &+= 1 }

    @inline(__always)
    mutating func completedIO() { completed &+= 1 }

    /// A pause is due; taking it (`paused`) starts the next count from here.
    @inline(__always)
    var isDue: Bool { count >= countAtPause &+ every }

    mutating func paused() { countAtPause = count }
}
