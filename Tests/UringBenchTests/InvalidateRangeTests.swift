import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// fio's invalidate=1 drops the job's range of a file, not the whole file (filesetup.c
/// `__file_invalidate_cache`: posix_fadvise DONTNEED over [file_offset, io_size)). Measured with
/// fio 3.33 here: a 16 MiB file read whole into the cache (`cat FILE`), then `fio --name=j
/// --filename=FILE --size=4M --rw=read --invalidate=1 --fadvise_hint=0 --time_based --runtime=1
/// --rate_iops=1`: `fincore FILE` showed 3076 pages cached (the 3072 past 4 MiB and the few the
/// job read); uringbench on the same job file left 4 before, 3076 now.
@Suite(.waits) struct InvalidateRangeTests {
    static let fileSize: UInt64 = 16 << 20

    /// Pages of the file cached, per MiB, after reading all of it and opening a job of `jobSize`.
    static func cachedAfterOpening(jobSize: UInt64, invalidate: Bool) throws -> (inside: Int, outside: Int) {
        var layout = JobSpec()
        layout.filename = TestFiles.path("invalidate")
        layout.size = fileSize
        _ = try DataFile(job: layout)
        let fd = open(layout.filename, O_RDONLY)
        try #require(fd >= 0)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for mib in 0..<Int(fileSize >> 20) { _ = pread(fd, &buffer, buffer.count, off_t(mib << 20)) }
        close(fd)
        var job = layout
        job.size = jobSize
        job.direct = false
        job.invalidate = invalidate
        job.fadviseHint = .none
        let file = try DataFile(job: job)
        defer { withExtendedLifetime(file) {} }
        let pages = try FadviseHintTests.residentPages(layout.filename, length: Int(fileSize))
        let split = Int(jobSize) / 4096
        return (pages[..<split].filter { $0 }.count, pages[split...].filter { $0 }.count)
    }

    @Test func onlyTheJobsRangeIsDropped() throws {
        let (inside, outside) = try Self.cachedAfterOpening(jobSize: 4 << 20, invalidate: true)
        // Block 0's header is read again at open (one page); before, the rest was dropped too.
        #expect(inside <= 1, "\(inside) pages of the job's 4 MiB still cached")
        #expect(outside == 3 * 1024, "\(outside) of the 3072 pages past the job's range cached")
        let kept = try Self.cachedAfterOpening(jobSize: 4 << 20, invalidate: false)
        #expect(kept.inside > 1000)
    }

    /// With offset=8M size=4M, only [8M, 12M) is dropped: fio 3.33 and uringbench both left 3201
    /// of the 4096 pages of a cached 16 MiB file (`fincore`) after such a job read one block.
    @Test func onlyTheRegionAtTheJobsOffsetIsDropped() throws {
        var layout = JobSpec()
        layout.filename = TestFiles.path("invalidate-offset")
        layout.size = Self.fileSize
        _ = try DataFile(job: layout)
        let fd = open(layout.filename, O_RDONLY)
        try #require(fd >= 0)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        for mib in 0..<Int(Self.fileSize >> 20) { _ = pread(fd, &buffer, buffer.count, off_t(mib << 20)) }
        close(fd)
        var job = layout
        job.size = 4 << 20
        job.offset = 8 << 20
        job.direct = false
        job.fadviseHint = .none
        let file = try DataFile(job: job)
        defer { withExtendedLifetime(file) {} }
        let pages = try FadviseHintTests.residentPages(layout.filename, length: Int(Self.fileSize))
        let region = 2048..<3072
        #expect(pages[region].filter { $0 }.count == 0, "pages of the job's region still cached")
        #expect(pages.indices.filter { !region.contains($0) && pages[$0] }.count >= 3071, "pages outside the region dropped")
    }
}
