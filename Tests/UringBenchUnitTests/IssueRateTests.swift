import Testing
@testable import UringBench

/// fio's rate_iops per direction, driven by an injected clock. fio 3.33 is the reference, measured
/// here with `fio rate.fio` (rw=randrw, bs=4k, time_based, runtime=2, rate_iops=1000, psync, on a
/// 16 MiB file): 2000 reads and 1996 writes at rwmixread=50, and still 2000 + 2000 at
/// rwmixread=70 — each direction is capped on its own, and a direction that is not due gives way
/// to the other (io_u.c rate_ddir).
struct IssueRateTests {
    static let second: UInt64 = 1_000_000_000

    /// Directions issued over `seconds` by a stream asked every `step` ns, up to four IOs each
    /// time (a job faster than its rate), as the loop asks it: nil means wait.
    static func issued(_ job: JobSpec, seconds: UInt64, step: UInt64 = 10_000) -> (reads: Int, writes: Int) {
        var stream = IOStream(job: job)
        var rate = IssueRate(readIOPS: job.rateIOPS, writeIOPS: job.writeRateIOPS ?? job.rateIOPS, start: 0)
        var reads = 0, writes = 0
        var t: UInt64 = 0
        while t < seconds * second {
            for _ in 0..<4 {
                guard let io = stream.next(at: t, rate: &rate) else { break }
                if io.direction == .read { reads += 1 } else if io.direction == .write { writes += 1 }
                stream.completed(io.direction)
            }
            t += step
        }
        return (reads, writes)
    }

    static func job(_ rw: RWMode, read: UInt64, write: UInt64? = nil, mix: Int = 50) -> JobSpec {
        var job = JobSpec()
        job.rw = rw
        job.size = 1 << 20
        job.rwMixRead = mix
        job.rateIOPS = read
        job.writeRateIOPS = write
        return job
    }

    @Test func eachDirectionIsCappedOnItsOwn() {
        // Before: one cap on the total, 1009 reads + 991 writes in 2 s.
        let even = Self.issued(Self.job(.randrw, read: 1000), seconds: 2)
        #expect(even.reads == 2000 && even.writes == 2000)
        // The mix gives way to the rate: fio 3.33, rwmixread=70, 2000 + 2000.
        let skewed = Self.issued(Self.job(.randrw, read: 1000, mix: 70), seconds: 2)
        #expect(skewed.reads == 2000 && skewed.writes == 2000)
        let sequential = Self.issued(Self.job(.rw, read: 1000, mix: 90), seconds: 2)
        #expect(sequential.reads == 2000 && sequential.writes == 2000)
    }

    @Test func pairsCapReadsAndWritesApart() {
        let pair = Self.issued(Self.job(.randrw, read: 300, write: 100), seconds: 2)
        #expect(pair.reads == 600 && pair.writes == 200)
        // rate_iops=,100: reads uncapped, so every drawn write that is not due becomes a read.
        let writesOnly = Self.issued(Self.job(.randrw, read: 0, write: 100), seconds: 1, step: 1_000_000)
        #expect(writesOnly.writes == 100 && writesOnly.reads > 800)
        // A read job takes the read figure alone.
        let readJob = Self.issued(Self.job(.randread, read: 50, write: 1000), seconds: 2)
        #expect(readJob.reads == 100 && readJob.writes == 0)
    }

    /// A job that does only one direction never switches: rwmixread=100 in randrw is reads only.
    @Test func aOneSidedMixDoesNotSwitch() {
        let reads = Self.issued(Self.job(.randrw, read: 1000, mix: 100), seconds: 1)
        #expect(reads.reads == 1000 && reads.writes == 0)
    }

    /// The k-th IO of a direction is due k/N s after the start, exactly, and a late loop catches
    /// up on the IOs it missed (fio's usec_for_io counts from the start, not from the last IO).
    @Test func dueTimesCountFromTheStart() {
        var rate = IssueRate(readIOPS: 3, writeIOPS: 0, start: 5)
        #expect(rate.take(.read, at: 5, canSwitch: false) == .read)
        #expect(rate.due(.read) == 5 + 333_333_333)
        #expect(rate.take(.read, at: 6, canSwitch: false) == nil)
        #expect(rate.idleWait(at: 6) == 333_333_332)
        // Two seconds in: the six IOs due by then (at 1/3 s … 2 s) go at once, the seventh waits.
        let caughtUp = (0..<7).filter { _ in rate.take(.read, at: 5 + 2 * Self.second, canSwitch: false) != nil }.count
        #expect(caughtUp == 6)
        // Writes are not capped here: always due.
        #expect(rate.take(.write, at: 5, canSwitch: false) == .write)
        // A rate near UInt64's range cannot overflow the due time.
        var fast = IssueRate(readIOPS: 1_000_000_000, writeIOPS: 1, start: 0)
        for _ in 0..<3 { _ = fast.take(.read, at: .max, canSwitch: false) }
        #expect(fast.due(.read) == 3)
    }

    /// While both directions wait, the loop sleeps until the earlier one, which then issues.
    @Test func bothAheadWaitsForTheEarlier() {
        var rate = IssueRate(readIOPS: 10, writeIOPS: 4, start: 0)
        #expect(rate.take(.write, at: 0, canSwitch: true) == .write)
        #expect(rate.take(.read, at: 0, canSwitch: true) == .read)
        #expect(rate.take(.write, at: 1, canSwitch: true) == nil)
        #expect(rate.idleWait(at: 1) == Self.second / 10 - 1)
        #expect(rate.take(.write, at: Self.second / 10, canSwitch: true) == .read)
    }
}
