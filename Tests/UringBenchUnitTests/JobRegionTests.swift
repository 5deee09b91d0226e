import Testing
@testable import UringBench

/// Where each job's IOs go, as fio 3.33 put them (offsets from `fio --debug=io`, file sizes from
/// `ls -l` after the run): offset=8k size=16k numjobs=2 offset_increment=32k read 8k–20k and
/// 40k–52k and laid out 56 KiB; offset=50% size=16k started at 0 on a new file, 32k on a 64 KiB
/// file and 16k on a 30 KiB one (15k rounded up to a block); filesize=64k size=16k read the
/// whole 64 KiB.
struct JobRegionTests {
    static func job(size: UInt64 = 16 << 10, offset: UInt64 = 0, percent: Int = 0, increment: UInt64 = 0,
                    numjobs: Int = 1, fileSize: UInt64? = nil) -> JobSpec {
        var job = JobSpec()
        job.rw = .read
        job.size = size
        job.offset = offset
        job.offsetPercent = percent
        job.offsetIncrement = increment
        job.numjobs = numjobs
        job.fileSize = fileSize
        return job
    }

    @Test func eachJobOfAGroupStartsOneIncrementFurther() {
        let job = Self.job(offset: 8 << 10, increment: 32 << 10, numjobs: 2)
        #expect(JobRegion.of(job, jobIndex: 0, foundSize: nil) == JobRegion(start: 8 << 10, length: 16 << 10))
        #expect(JobRegion.of(job, jobIndex: 1, foundSize: nil) == JobRegion(start: 40 << 10, length: 16 << 10))
        #expect(JobRegion.extent(job, foundSize: nil) == 56 << 10)
        var offsets: [UInt64] = []
        var stream = IOStream(job: job, region: JobRegion.of(job, jobIndex: 1, foundSize: nil))
        for _ in 0..<5 { offsets.append(stream.next().offset) }
        let expected: [UInt64] = [40_960, 45_056, 49_152, 53_248, 40_960]
        #expect(offsets == expected)
    }

    @Test func aPercentageIsAShareOfTheFileAsFoundRoundedUpToABlock() {
        let job = Self.job(percent: 50)
        #expect(JobRegion.of(job, jobIndex: 0, foundSize: nil).start == 0)
        #expect(JobRegion.of(job, jobIndex: 0, foundSize: 64 << 10).start == 32 << 10)
        #expect(JobRegion.of(job, jobIndex: 0, foundSize: 30 << 10).start == 16 << 10)
    }

    @Test func filesizeMakesTheRegionRunToTheFilesEnd() {
        let job = Self.job(offset: 8 << 10, fileSize: 64 << 10)
        #expect(JobRegion.of(job, jobIndex: 0, foundSize: nil) == JobRegion(start: 8 << 10, length: 56 << 10))
        #expect(JobRegion.extent(job, foundSize: nil) == 64 << 10)
        var random = job
        random.rw = .randread
        var stream = IOStream(job: random, region: JobRegion.of(random, jobIndex: 0, foundSize: nil))
        var seen = Set<UInt64>()
        for _ in 0..<14 { seen.insert(stream.next().offset) }
        #expect(seen == Set((2..<16).map { UInt64($0) << 12 }))
    }

    @Test func badRegionsAreRefusedByName() {
        #expect(throws: BenchError.self) { try Self.job(offset: 1000).validate() }
        #expect(throws: BenchError.self) { try Self.job(offset: 62 << 10, fileSize: 64 << 10).validate() }
        #expect(throws: BenchError.self) { try Self.job(offset: UInt64(Int64.max), increment: 1 << 62, numjobs: 3).validate() }
        #expect(throws: Never.self) { try Self.job(offset: 8 << 10, increment: 32 << 10, numjobs: 2).validate() }
    }
}
