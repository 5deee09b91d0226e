import Testing
@testable import UringBench

/// fio's end of a size-bound job (backend.c do_io and keep_running), on the totals fio 3.33
/// issued for these jobs (bs=4k on an 8 MiB file; `SizeBoundFioTests` runs fio itself on them).
struct IssueLimitTests {
    static let k: UInt64 = 1024

    static func job(_ rw: RWMode = .read, size: UInt64, ioSize: UInt64? = nil, numberIOs: UInt64 = 0, loops: Int = 1) -> JobSpec {
        var job = JobSpec()
        job.rw = rw
        job.size = size
        job.timeBased = false
        job.ioSize = ioSize
        job.numberIOs = numberIOs
        job.loops = loops
        return job
    }

    static func ios(_ job: JobSpec, fileSize: UInt64 = 8 << 20) -> UInt64 {
        IssueLimit(job: job, passLength: IssueLimit.passLength(of: IOStream(job: job, fileSize: fileSize), job: job)).dataIOs
    }

    @Test func aTimeBasedJobHasNoLimit() {
        #expect(IssueLimit(job: JobSpec(), passLength: 256).dataIOs == .max)
    }

    @Test func oneSizeOnce() {
        #expect(Self.ios(Self.job(size: 1 << 20)) == 256)
        #expect(Self.ios(Self.job(.randrw, size: 1 << 20)) == 256)
    }

    /// size=10k: the sequential pass holds one more block where the file has it, the random map
    /// the two whole ones (fio: 3, 2; on a 10 KiB file 2).
    @Test func sizeNotAMultipleOfTheBlock() {
        #expect(Self.ios(Self.job(size: 10 * Self.k)) == 3)
        #expect(Self.ios(Self.job(.randread, size: 10 * Self.k)) == 2)
        #expect(Self.ios(Self.job(size: 10 * Self.k), fileSize: 10 * Self.k) == 2)
        #expect(Self.ios(Self.job(size: 10 * Self.k, ioSize: 100 * Self.k)) == 25)
        #expect(Self.ios(Self.job(size: 10 * Self.k, ioSize: 40 * Self.k), fileSize: 10 * Self.k) == 10)
    }

    /// io_size above size wraps over the file and stops at io_size, mid-pass.
    @Test func ioSizeWraps() {
        #expect(Self.ios(Self.job(size: 1 << 20, ioSize: 3 << 20)) == 768)
        #expect(Self.ios(Self.job(size: 1 << 20, ioSize: 2600 * Self.k)) == 650)
        #expect(Self.ios(Self.job(.randread, size: 1 << 20, ioSize: 3 << 20)) == 768)
        #expect(Self.ios(Self.job(.randread, size: 1 << 20, ioSize: 512 * Self.k)) == 128)
        // Less than a block left after the pass: fio stops (keep_running's diff < bs).
        #expect(Self.ios(Self.job(.randread, size: 1 << 20, ioSize: 1026 * Self.k)) == 256)
    }

    @Test func loops() {
        #expect(Self.ios(Self.job(.randread, size: 1 << 20, loops: 3)) == 768)
        #expect(Self.ios(Self.job(size: 1 << 20, ioSize: 512 * Self.k, loops: 3)) == 384)
        // Three passes of the file, then one more to reach io_size: fio 3.33 issued 4 MiB, not 12.
        #expect(Self.ios(Self.job(size: 1 << 20, ioSize: 4 << 20, loops: 3)) == 1024)
        var noMap = Self.job(.randread, size: 1 << 20, ioSize: 4 << 20, loops: 3)
        noMap.randomMap = false
        noMap.engine = .psync
        #expect(Self.ios(noMap) == 3072)
        // An engine that queues ends each pass at size bytes.
        noMap.engine = .io_uring
        #expect(Self.ios(noMap) == 1024)
        noMap.randomGenerator = .lfsr
        #expect(Self.ios(noMap) == 1024)
    }

    @Test func numberIOs() {
        #expect(Self.ios(Self.job(.randread, size: 1 << 20, numberIOs: 1)) == 1)
        #expect(Self.ios(Self.job(size: 1 << 20, numberIOs: 10, loops: 3)) == 30)
        #expect(Self.ios(Self.job(size: 1 << 20, numberIOs: 1000)) == 256)
    }

    /// Values near the top of their ranges saturate instead of trapping.
    @Test func hugeValuesSaturate() {
        let huge = Self.job(.randread, size: 1 << 20, ioSize: Units.maxSize, numberIOs: .max, loops: JobSpec.maxLoops)
        #expect(Self.ios(huge) > 1 << 40)
    }
}
