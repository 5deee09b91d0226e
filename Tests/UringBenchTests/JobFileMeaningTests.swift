import Foundation
import Testing
import TestSupport
@testable import UringBench

/// A job file means what it means under fio: its size suffixes and kb_base, its comments after a
/// value, `\:` in filename=, and job names. Checked against the installed fio where it can be.
@Suite(.waits) struct JobFileMeaningTests {
    static let header = "[global]\nfilename=data.bin\nsize=64M\nrw=randread\ntime_based\nruntime=2s\nstonewall\n"
    /// The same without a file: a job's filename= under a [global] one would be a second file.
    static let noFile = "[global]\nsize=64M\nrw=randread\ntime_based\nruntime=2s\nstonewall\n"

    func specs(_ text: String) throws -> [JobSpec] { try JobFile.parse(text, path: "t.fio").jobs.map(\.spec) }

    func error(_ text: String) -> JobFileError? {
        do { _ = try JobFile.parse(text, path: "t.fio"); return nil } catch { return error }
    }

    /// uncached=1 is RWF_DONTCACHE on buffered IO (fio 3.40's meaning; fio 3.33 passes 0x40,
    /// which Linux refuses: docs/memory.md). fio ignores it under direct=1; uringbench refuses
    /// the pair by the job file's names, whichever line comes first.
    @Test func uncachedActsOnBufferedIOAndIsRefusedWithDirect() throws {
        for engine in ["ioengine=pvsync2", "ioengine=io_uring"] {
            let buffered = try specs(Self.header + "[a]\n\(engine)\ndirect=0\nuncached=1\n")
            #expect(buffered[0].engineOptions.isSet(ReadWriteFlags.uncachedOption))
            for order in ["direct=1\nuncached=1\n", "uncached=1\ndirect=1\n"] {
                let refusal = error(Self.header + "[a]\n\(engine)\n" + order)?.description ?? ""
                #expect(refusal.contains("uncached=1 drops the pages buffered IO leaves in the page cache, and direct=1 leaves none"), "\(refusal)")
                #expect(refusal.contains("set direct=0 or remove uncached=1"))
            }
        }
    }

    @Test func sizeSuffixesFollowKBBase() throws {
        let s = try specs(Self.header + "[a]\nbs=4KB\n[b]\nbs=4KiB\n[c]\nkb_base=1000\nbs=4KiB\n[d]\nbs=4k\nkb_base=1000\n[e]\nbs=8k\n")
        // kb_base acts on its whole section wherever it stands (fio sorts it first), and not on
        // the sections after it.
        #expect(s.map(\.blockSize) == [4096, 4000, 4096, 4000, 8192])
        let g = try specs("[global]\nkb_base=1000\nfilename=f\nsize=1M\ntime_based\nruntime=1s\nstonewall\n[a]\nbs=4k\n[b]\nkb_base=1024\nbs=4k\n")
        // A job's kb_base does not re-read sizes that [global] already set (fio copies the values).
        #expect(g.map(\.size) == [1_000_000, 1_000_000])
        #expect(g.map(\.blockSize) == [4000, 4096])
        #expect(error(Self.header + "[a]\nkb_base=1001\n")?.description.contains("must be 1024") == true)
    }

    @Test func integersAndTimesTakeFioSuffixes() throws {
        let s = try specs(Self.header + "[a]\nioengine=libaio\niodepth=1k\nruntime=1m\nramp_time=250msec\nrate_iops=2k\n")
        #expect(s[0].iodepth == 1024 && s[0].runtimeNanoseconds == 60_000_000_000 && s[0].rampNanoseconds == 250_000_000 && s[0].rateIOPS == 2048)
        #expect(error(Self.header + "[a]\nruntime=10sec\n")?.description.contains("t.fio:9: 'runtime=10sec' has the time suffix 'sec', which fio reads as microseconds") == true)
        #expect(error(Self.header + "[a]\nsize=1.5G\n")?.description.contains("only the whole part") == true)
        #expect(error(Self.header + "[a]\nsize=50%\n")?.description.contains("share of the file's size") == true)
    }

    /// rate_iops=r,w as fio reads it (HOWTO "blocksize"): one value caps both directions, a pair
    /// each its own, an empty side nothing. fio 3.33, rw=randrw for 2 s: rate_iops=300,100 did
    /// 601 reads and 200 writes; rate_iops=,100 16967 reads (uncapped) and 200 writes.
    @Test func rateIOPSTakesAReadWritePair() throws {
        let s = try specs(Self.header + "[a]\nrate_iops=300,100\n[b]\nrate_iops=,100\n[c]\nrate_iops=500,\n[d]\nrate_iops=1k\n[e]\nrate_iops=7,7,9\n")
        #expect(s.map(\.rateIOPS) == [300, 0, 500, 1024, 7])
        #expect(s.map(\.writeRateIOPS) == [100, 100, 0, nil, nil])
        #expect(error(Self.header + "[a]\nrate_iops=1,x\n")?.description.contains("'rate_iops=1,x' is not a number") == true)
    }

    @Test func commentsAfterAValueAreDropped() throws {
        let s = try specs("""
            [global]   ; the shared part
            filename=/data/f ; the data file
            size=1M# no blank before it
            rw=randread
            time_based   # bare option, then a comment
            runtime=3600  # one hour
            [j] # a job
            bs=8k;
            """)
        #expect(s.count == 1 && s[0].filename == "/data/f" && s[0].size == 1 << 20 && s[0].runtimeNanoseconds == 3_600_000_000_000)
        #expect(s[0].name == "j" && s[0].blockSize == 8192)
        // fio cuts at a '#' or ';' even inside a value.
        #expect(try specs(Self.noFile + "[j]\nfilename=/data/a#b\n")[0].filename == "/data/a")
        #expect(try specs(Self.noFile + "[j]\nfilename=/data/a;b\n")[0].filename == "/data/a")
        // A line that is only a value's comment leaves the value empty: refused by name.
        #expect(error(Self.header + "[j]\nbs=# none\n")?.description.contains("option 'bs' has an empty value") == true)
    }

    @Test func filenameColonsAndEscapes() throws {
        #expect(try specs(Self.noFile + "[j]\nfilename=/dev/disk/by-path/pci-0000\\:00\\:1f.2\n")[0].filename == "/dev/disk/by-path/pci-0000:00:1f.2")
        #expect(try specs(Self.noFile + "[j]\nfilename=:only\n")[0].filename == "only")     // fio skips an empty name
        #expect(JobState.fioFileNames("a:b\\:c::d:") == ["a", "b:c", "d"])
        #expect(JobState.fioFileNames("a\\b") == ["a\\b"])
        let e = try #require(error(Self.noFile + "[j]\nfilename=a:b\\:c\n"))
        #expect(e.description == "t.fio:8: filename=a:b\\:c lists 2 files (':' separates them); uringbench reads one file per job: give one, and write a ':' in a name as '\\:'")
    }

    @Test func jobsAreNamedAfterTheirSections() throws {
        let s = try specs("[global]\nname=everyone\nfilename=f\nsize=1M\ntime_based\nruntime=1s\nstonewall\n[first]\n[second]\nname=own\n[third]\n")
        #expect(s.map(\.name) == ["first", "own", "third"])
    }

    // MARK: against fio

    /// A short real run of the same file under fio: fio's job names and bytes per IO are ours.
    @Test(.enabled(if: JobFileTests.fio != nil, "fio is not installed (apt-get install fio)"))
    func fioReadsSuffixesCommentsAndNamesAsWeDo() throws {
        let data = try TestFiles.laidOut(size: 4 << 20)
        let escaped = data.replacingOccurrences(of: ":", with: "\\:")
        let text = """
            [global]
            name=everyone
            filename=\(escaped)   ; the data file
            size=4M  # the whole file
            rw=read
            time_based
            runtime=100ms
            stonewall
            [kb]
            bs=4KB
            [kib]
            bs=4KiB # 4000 bytes to fio
            [base1000]
            kb_base=1000
            bs=4KiB
            [named]
            name=renamed
            bs=6k
            """
        let path = TestFiles.path("meaning") + ".fio"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let ours = try JobFile.load(path: path).jobs.map(\.spec)
        #expect(ours.map(\.blockSize) == [4096, 4000, 4096, 6144])
        #expect(ours.allSatisfy { $0.filename == data })

        let jobs = try JobFileTests.fioJobs(running: path)
        #expect(jobs.map { $0["jobname"] as? String } == ours.map(\.name))
        for (fioJob, spec) in zip(jobs, ours) {
            let read = try #require(fioJob["read"] as? [String: Any])
            let ios = read["total_ios"] as? Int ?? 0, bytes = read["io_bytes"] as? Int ?? 0
            #expect(ios > 0 && bytes == ios * spec.blockSize, "\(spec.name): fio read \(bytes) bytes in \(ios) IOs")
        }
        // fio read the file we named, and made no file under a name with the comment in it.
        #expect(!FileManager.default.fileExists(atPath: data + "   "))
    }
}
