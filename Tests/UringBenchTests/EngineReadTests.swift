import Glibc
import Testing
import TestSupport
@testable import UringBench

/// Every engine that moves data reads the right bytes, through the page cache and around it:
/// each read checked byte for byte against the file's pattern (writes are VerifyTests').
@Suite(.waits) struct EngineReadTests {
    static let size: UInt64 = 16 << 20
    static let cases: [(EngineKind, Bool)] = EngineKind.allCases.filter(\.descriptor.transfersData)
        .filter { EngineProbe.check($0).available }.flatMap { [($0, true), ($0, false)] }

    @Test(arguments: cases)
    func everyEngineReadsTheRightBytes(engine: EngineKind, direct: Bool) throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(engine, file: file, size: Self.size, depth: 4, milliseconds: 200)
        job.direct = direct
        let r = try EngineTests.runVerified(job)
        #expect(r.setup.engine == engine)
    }

    /// The flags pvsync2 and io_uring pass per IO, read back from what the engine set up.
    @Test func uncachedBufferedReadsVerifyOnEveryEngineThatTakesIt() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        for engine in ReadWriteFlags.uncachedOption.engines where EngineProbe.check(engine).available {
            var job = TestFiles.job(engine, file: file, size: Self.size, depth: 4, milliseconds: 200)
            job.direct = false
            job.engineOptions[ReadWriteFlags.uncachedOption] = 1
            let r = try EngineTests.runVerified(job)
            #expect(r.setup.description.contains("RWF_DONTCACHE"), "\(engine): \(r.setup.description)")
        }
    }

    /// Pages of `path` in the page cache now (mincore of a mapping of it).
    static func residentPages(_ path: String, size: UInt64) throws -> Int {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let mapped = mmap(nil, Int(size), PROT_READ, MAP_SHARED, fd, 0)
        let mapping = try #require(mapped == MAP_FAILED ? nil : mapped)
        defer { munmap(mapping, Int(size)) }
        var vector = [UInt8](repeating: 0, count: Int(size) / 4096)
        try #require(mincore(mapping, Int(size), &vector) == 0)
        return vector.filter { $0 & 1 != 0 }.count
    }

    /// RWF_DONTCACHE acts: a buffered uncached run leaves (almost) none of what it read in the
    /// page cache, where the same run without the flag leaves every block it read.
    @Test func uncachedReadsLeaveNoPagesBehind() throws {
        let file = TestFiles.path("uncached")
        var job = TestFiles.job(.pvsync2, file: file, size: Self.size, depth: 1, milliseconds: 200)
        job.direct = false
        job.fadviseHint = .random
        _ = try DataFile(job: job)
        let plain = try EngineTests.runVerified(job)
        let cachedByPlain = try Self.residentPages(file, size: Self.size)
        job.engineOptions[ReadWriteFlags.uncachedOption] = 1
        let uncached = try EngineTests.runVerified(job)   // invalidate drops the plain run's pages first
        let cachedByUncached = try Self.residentPages(file, size: Self.size)
        #expect(cachedByPlain >= Int(plain.totalIOs) / 2, "a plain buffered run caches what it reads")
        #expect(cachedByUncached * 10 < Int(uncached.totalIOs), "\(cachedByUncached) pages cached after \(uncached.totalIOs) uncached reads")
    }

    /// An uncached run that keeps the file's cache (invalidate=0) leaves what fio 3.42's leaves
    /// (none) but the two header sectors' pages the layout check reads. Read ahead, those reads
    /// marked pages whose uncached reads then read ahead in turn: 152 of a 4 MiB file's 1024
    /// pages stayed cached after 3840 KiB of pvsync2 reads (fio 3.42 on the same job: 0).
    @Test func uncachedReadsWithoutInvalidateLeaveOnlyTheHeaderPages() throws {
        let size: UInt64 = 4 << 20
        let file = TestFiles.path("uncached-invalidate0")
        var job = TestFiles.job(.pvsync2, file: file, size: size, depth: 1)
        _ = try DataFile(job: job)
        let fd = open(file, O_RDONLY)
        try #require(fd >= 0)
        try #require(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0)
        close(fd)
        try #require(try Self.residentPages(file, size: size) == 0)
        job.direct = false
        job.invalidate = false
        job.timeBased = false
        job.runtimeNanoseconds = 0
        job.ioSize = size / 16 * 15
        job.engineOptions[ReadWriteFlags.uncachedOption] = 1
        let r = try EngineTests.runVerified(job)
        #expect(r.totalIOs == size / 16 * 15 / 4096)
        let cached = try Self.residentPages(file, size: size)
        #expect(cached <= 2, "\(cached) pages cached after \(r.totalIOs) uncached reads from none")
    }

    /// --uncached with O_DIRECT would be accepted and do nothing: refused by name.
    @Test func uncachedWithDirectIsRefused() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        for engine in ReadWriteFlags.uncachedOption.engines where EngineProbe.check(engine).available {
            var job = TestFiles.job(engine, file: file, size: Self.size)
            job.engineOptions[ReadWriteFlags.uncachedOption] = 1
            #expect(throws: BenchError.invalidOption("--uncached (RWF_DONTCACHE) drops the pages buffered IO leaves in the page cache, and --direct 1 leaves none; use --direct 0 or drop --uncached")) {
                try Runner.run(job)
            }
        }
    }

    /// pvsync2 --hipri where the disk has no poll queues: the run goes ahead, as under fio, and
    /// the result says the kernel ignored the flag, with the setting read from sysfs.
    @Test func hipriWithoutPollQueuesIsReportedAsIgnored() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        let queues = try #require(ReadWriteFlags.pollQueues(fd: fd))
        var job = TestFiles.job(.pvsync2, file: file, size: Self.size, milliseconds: 200)
        job.engineOptions[ReadWriteFlags.hipriOption] = 1
        let r = try EngineTests.runVerified(job)
        #expect(r.setup.description.contains("RWF_HIPRI"))
        if queues.available {
            #expect(r.setup.ignored == nil)
        } else {
            #expect(r.setup.ignored == ["--hipri: RWF_HIPRI ignored by the kernel: \(queues.device) queue/io_poll=\(queues.ioPoll) (no poll queues); the IOs completed by interrupt"])
        }
    }

    /// mmap writes land in the file (VerifyTests checks every block); msync carries --fsync.
    @Test func mmapFsyncIsAnMsyncOfTheMapping() throws {
        let file = TestFiles.path("mmap-fsync")
        var job = TestFiles.job(.mmap, file: file, size: 4 << 20, milliseconds: 200)
        job.rw = .randwrite
        job.fsyncEvery = 4
        let r = try Runner.run(job)
        #expect(r.totalIOs > 0)
        // A sync follows every 4th write; the deadline may fall between a 4th write and its sync.
        let syncs = try #require(r.syncLatency?.count)
        #expect(syncs == r.totalIOs / 4 || syncs + 1 == r.totalIOs / 4, "\(syncs) syncs for \(r.totalIOs) writes")
        #expect(r.setup.description.contains("msync(MS_SYNC)"))
    }
}
