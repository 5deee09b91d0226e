import Foundation
import Glibc
import Testing
import TestSupport
@testable import UringBench

/// fio's fadvise_hint, by what the page cache holds afterwards: with RANDOM advice (fio's default
/// for random jobs) buffered 4 KiB reads bring in those pages only; without advice, or with
/// SEQUENTIAL, the kernel reads ahead. And a short buffered random run no longer pulls the whole
/// file into memory.
@Suite(.waits) struct FadviseHintTests {
    static let size: UInt64 = 8 << 20

    /// A file of this test's own: the page cache of a shared one reflects other tests' reads.
    static func privateFile() throws -> String {
        var job = JobSpec()
        job.filename = TestFiles.path("fadvise")
        job.size = size
        _ = try DataFile(job: job)
        return job.filename
    }

    /// Pages of `path` in the page cache, per 4 KiB page, from mincore over a mapping.
    static func residentPages(_ path: String, length: Int) throws -> [Bool] {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0)
        try #require(map != MAP_FAILED)
        defer { munmap(map, length) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vec = [UInt8](repeating: 0, count: (length + page - 1) / page)
        try #require(mincore(map, length, &vec) == 0)
        return vec.map { $0 & 1 != 0 }
    }

    /// Opens the file as a job does, reads 4 KiB at 1 MiB and the 4 KiB after it (two reads in a
    /// row: what the kernel's readahead answers with a window), and counts the pages cached.
    static func pagesCachedByTwoReads(_ hint: FadviseHint, mode: RWMode) throws -> Int {
        let path = try privateFile()
        var job = JobSpec()
        job.filename = path
        job.size = size
        job.rw = mode
        job.direct = false
        job.fadviseHint = hint
        let file = try DataFile(job: job)          // drops the cache, then advises
        defer { withExtendedLifetime(file) {} }
        var buffer = [UInt8](repeating: 0, count: 4096)
        #expect(pread(file.fd, &buffer, 4096, 1 << 20) == 4096)
        #expect(pread(file.fd, &buffer, 4096, (1 << 20) + 4096) == 4096)
        return try residentPages(path, length: Int(size))[256...].filter { $0 }.count
    }

    @Test func randomAdviceReadsOnlyThePagesAsked() throws {
        #expect(try Self.pagesCachedByTwoReads(.byPattern, mode: .randread) == 2)
        #expect(try Self.pagesCachedByTwoReads(.random, mode: .read) == 2)
        let none = try Self.pagesCachedByTwoReads(.none, mode: .randread)
        let sequential = try Self.pagesCachedByTwoReads(.byPattern, mode: .read)
        #expect(none > 2 && sequential > 2, "readahead brought \(none) pages without advice, \(sequential) with SEQUENTIAL")
    }

    /// fio's fio-rand-read.fio shape (buffered, libaio, QD16), short: every read is a fresh
    /// block of the pass, read alone, so the cache holds about as many pages as reads were done.
    @Test func aBufferedRandomRunCachesOnlyWhatItRead() throws {
        let path = try Self.privateFile()
        var job = TestFiles.job(.libaio, file: path, size: Self.size, depth: 16, milliseconds: 200)
        job.direct = false
        job.verify = false
        job.rateIOPS = 2_000           // about 400 reads, under one pass over 2048 blocks
        let r = try Runner.run(job)
        let cached = try Self.residentPages(path, length: Int(Self.size)).filter { $0 }.count
        #expect(r.totalIOs > 10 && r.totalIOs < 2048)
        // Each read caches its own page (block 0's pattern header is read at open, then dropped).
        #expect(cached <= Int(r.totalIOs) + 1, "\(cached) pages cached after \(r.totalIOs) reads of one page each")
    }
}
