import Foundation
import Testing
@testable import UringBench

/// fio's rate (bytes per second, per direction), rate_process=poisson and thinktime's counting,
/// driven without a clock. fio 3.33 on the same jobs (psync, bs=4k, time_based, runtime=2s):
/// rate=400k,200k on randrw issued 200 reads and 100 writes, as uringbench now does; rate=1m
/// rate_process=poisson 479 reads (uringbench's draws: 500; the mean is 512).
struct PacingTests {
    static let second: UInt64 = 1_000_000_000

    static func job(rate: UInt64, write: UInt64? = nil, poisson: Bool = false) -> JobSpec {
        var job = JobSpec()
        job.rw = .randrw
        job.size = 1 << 20
        job.rateBytes = rate
        job.writeRateBytes = write
        job.ratePoisson = poisson
        return job
    }

    /// IOs a job faster than its rate issues per direction in `seconds`.
    static func issued(_ job: JobSpec, seconds: UInt64) -> (reads: Int, writes: Int) {
        var stream = IOStream(job: job)
        var rate = IssueRate.of(job, start: 0)
        var reads = 0, writes = 0
        var t: UInt64 = 0
        while t < seconds * second {
            while let io = stream.next(at: t, rate: &rate) {
                if io.direction == .read { reads += 1 } else { writes += 1 }
                stream.completed(io.direction)
            }
            t += 10_000
        }
        return (reads, writes)
    }

    @Test func aByteRateCapsEachDirectionAsFioDoes() {
        let (reads, writes) = Self.issued(Self.job(rate: 400 << 10, write: 200 << 10), seconds: 2)
        #expect(reads == 200 && writes == 100, "\(reads) reads, \(writes) writes")
    }

    @Test func rateIOPSIsTheSameScheduleAsItsBytes() {
        var iops = Self.job(rate: 0)
        iops.rateIOPS = 250
        var bytes = Self.job(rate: 250 * 4096)
        bytes.rateIOPS = 0
        let a = IssueRate.of(iops, start: 7), b = IssueRate.of(bytes, start: 7)
        #expect(a.readBytesPerSecond == b.readBytesPerSecond && a.due(.read) == b.due(.read))
    }

    @Test func poissonGapsAreExponentialAroundTheMean() {
        var job = Self.job(rate: 1000 * 4096, poisson: true)
        job.rw = .randread
        var rate = IssueRate.of(job, start: 0)
        var gaps: [Double] = []
        var last: UInt64 = 0
        for _ in 0..<20_000 {
            let due = rate.due(.read)
            _ = rate.take(.read, at: due, canSwitch: false)
            gaps.append(Double(rate.due(.read) - due))
            last = due
        }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let sd = (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count)).squareRoot()
        // 1 ms mean; an exponential's standard deviation equals its mean (linear spacing: 0).
        #expect(abs(mean - 1e6) < 0.05e6, "mean gap \(mean) ns")
        #expect(abs(sd / mean - 1) < 0.05, "sd/mean \(sd / mean)")
        #expect(last > 0)
        var again = IssueRate.of(job, start: 0)
        _ = again.take(.read, at: 0, canSwitch: false)
        #expect(again.due(.read) == UInt64(gaps[0]), "the same seed draws the same gaps")
    }

    @Test func thinktimeIsDueAfterEveryBlocksIOs() throws {
        var job = JobSpec()
        job.thinktimeNanoseconds = 1_000_000
        job.thinktimeBlocks = 3
        var think = try #require(ThinkTime(job))
        var pauses = 0
        for _ in 0..<9 {
            think.issuedIO()
            think.completedIO()
            if think.isDue { pauses += 1; think.paused() }
        }
        #expect(pauses == 3)
        job.thinktimeCountsIssued = true
        var byIssue = try #require(ThinkTime(job))
        for _ in 0..<3 { byIssue.issuedIO() }
        #expect(byIssue.isDue, "three issued, none completed")
        job.thinktimeNanoseconds = 0
        #expect(ThinkTime(job) == nil)
    }
}
