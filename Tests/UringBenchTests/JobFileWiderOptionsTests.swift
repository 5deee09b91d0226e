import Foundation
import Testing
import TestSupport
@testable import UringBench

/// fio options beyond the core set: each works with fio's meaning or is refused by name. fio's
/// meaning is checked against the installed fio: its parser accepts every refused line (so the
/// refusal is ours, by name), and a short real run agrees with ours on bytes per IO and time.
@Suite(.waits) struct JobFileWiderOptionsTests {
    static let header = "[global]\nfilename=data.bin\nsize=4M\nrw=read\ntime_based\nruntime=2s\nstonewall\n"

    func specs(_ text: String) throws(JobFileError) -> [JobSpec] { try JobFile.parse(text, path: "t.fio").jobs.map(\.spec) }

    /// The accepted options, in a file that also runs under fio (`widerFile`).
    static func widerFile(directory: String, file: String) -> String {
        """
        [global]
        directory=\(directory.replacingOccurrences(of: ":", with: "\\:"))
        filename=\(file)
        size=4M
        rw=read
        time_based
        runtime=200ms
        stonewall
        thread
        gtod_reduce=0
        loops=3
        number_ios=10
        io_size=64k
        [range]
        bsrange=8k-8k
        bs=4k
        [split]
        bssplit=16k/100
        [splitThenRange]
        bssplit=16k/100
        bsrange=8k-8k
        [direct]
        buffered=0
        filesize=4M
        create_on_open=0
        offset=0
        startdelay=0
        """
    }

    @Test func acceptedOptionsTakeFioMeaning() throws {
        let s = try specs(Self.widerFile(directory: "/d", file: "f.bin"))
        #expect(s.map(\.blockSize) == [8192, 16384, 8192, 4096])
        #expect(s.map(\.direct) == [false, false, false, true])
        #expect(s.allSatisfy { $0.filename == "/d/f.bin" && $0.size == 4 << 20 && $0.runtimeNanoseconds == 200_000_000 })
        // fio joins directory and name with '/', even for an absolute name.
        #expect(try specs("[global]\nsize=4M\ntime_based\nruntime=1s\n[j]\ndirectory=/d\nfilename=/abs\n")[0].filename == "/d//abs")
        #expect(try specs(Self.header + "[j]\nbuffered=1\ndirect=1\n")[0].direct)      // the later one wins
        #expect(try specs("[global]\nfilename=f\nfilesize=1M\nrw=read\ntime_based\nruntime=1s\n[j]\n")[0].size == 1 << 20)
    }

    /// offset, filesize, thinktime and rate as fio reads them: thinktime's bare number is
    /// microseconds, rate's bytes per second per direction, offset a size or a share.
    @Test func regionAndPacingOptionsReadAsFioReadsThem() throws {
        let s = try specs(Self.header + "[j]\noffset=50%\noffset_increment=1M\nnumjobs=2\nfilesize=8M\nthinktime=10\nthinktime_spin=5\nthinktime_blocks=4\nthinktime_blocks_type=issue\nrate=1m,512k\nrate_process=poisson\n")[0]
        #expect(s.offsetPercent == 50 && s.offset == 0 && s.offsetIncrement == 1 << 20)
        #expect(s.fileSize == 8 << 20 && s.size == 4 << 20)
        #expect(s.thinktimeNanoseconds == 10_000 && s.thinktimeSpinNanoseconds == 5_000 && s.thinktimeBlocks == 4 && s.thinktimeCountsIssued)
        #expect(s.rateBytes == 1 << 20 && s.writeRateBytes == 512 << 10 && s.ratePoisson)
        let t = try specs(Self.header + "[j]\noffset=8k\nthinktime=2ms\nrate=100k\n")[0]
        #expect(t.offset == 8 << 10 && t.offsetPercent == 0 && t.thinktimeNanoseconds == 2_000_000 && t.rateBytes == 100 << 10 && t.writeRateBytes == nil)
    }

    static let refusals: [(String, String)] = [
        ("create_on_open=1", "create_on_open=1 makes fio skip laying out"),
        ("offset=100%", "starts the job at the file's end"),
        ("offset_increment=10%", "is a share of the file, which uringbench does not take for offset_increment"),
        ("thinktime_blocks_type=sometimes", "must be complete (fio's default) or issue"),
        ("rate_process=exponential", "must be linear (fio's default) or poisson"),
        ("startdelay=1-2", "is a range, from which fio draws a random delay"),
        ("bsrange=4k", "bsrange=4k: '4k' is not a range of block sizes"),
        ("bssplit=4k/60:8k/50:16k:32k", "the percentages add up to 110, more than 100"),
        ("directory=/a:/b", "directory=/a:/b lists 2 directories"),
        ("directory=/a", "directory= comes after the filename= of an earlier section"),
        ("io_size=150%", "more than 100%"),
        ("loops=-1", "has a sign"),
        ("filename=other.bin", "filename=other.bin adds a second file to the job"),
    ]

    /// Values each line reads well, refused once the job is complete (at its section's line).
    static let refusedWhenChecked: [(String, String)] = [
        ("offset=1000", "must be multiples of 512"),
        ("thinktime=1ms\nthinktime_spin=2ms", "is longer than --thinktime 1000us"),
        ("rate=1M\nrate_iops=10", "fio refuses the pair"),
        ("rate_process=poisson", "has no --rate or --rate-iops"),
        ("filesize=4k\noffset=4k", "leaves no whole --bs 4096 block after the last job's offset"),
        ("bssplit=4k/50:8k/50\nrate=1m", "rate and rate_iops with bssplit/bsrange"),
        ("bsrange=4k-8k\nrw=read:4k", "with bssplit/bsrange: uringbench's offset modifier steps one block size"),
    ]

    @Test(arguments: refusedWhenChecked)
    func refusedByNameWhenTheJobIsChecked(line: String, message: String) throws {
        do { _ = try specs(Self.header + "[j]\n" + line + "\n"); Issue.record("accepted \(line)") } catch {
            #expect(error.description.hasPrefix("t.fio:8: job 'j': "), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test(arguments: refusals)
    func refusedByName(line: String, message: String) throws {
        do { _ = try specs(Self.header + "[j]\n" + line + "\n"); Issue.record("accepted \(line)") } catch {
            #expect(error.description.hasPrefix("t.fio:9: "), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }

    /// Without time_based the job ends after its limits, with runtime as a cap (fio's run model).
    @Test func withoutTimeBasedTheLimitEndsTheJob() throws {
        let spec = try #require(try specs("[global]\nfilename=f\nsize=1M\nruntime=1s\nnumber_ios=100\n[j]\n").first)
        #expect(!spec.timeBased && spec.numberIOs == 100 && spec.runtimeNanoseconds == 1_000_000_000)
    }

    /// fio's parser knows every option we refuse: a refusal is a decision, not an unknown option.
    /// Only the values fio refuses itself are refused by both.
    @Test(.enabled(if: JobFileTests.fio != nil, "fio is not installed (apt-get install fio)"))
    func fioParsesEveryRefusedLine() throws {
        let dir = TestFiles.path("fio-parse")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fioRefuses: Set = ["io_size=150%", "thinktime_blocks_type=sometimes", "rate_process=exponential", "bsrange=4k",
                               "bssplit=4k/60:8k/50:16k:32k"]
        for (line, _) in Self.refusals {
            let path = dir + "/t.fio"
            try ("[global]\nfilename=\(dir)/data.bin\nsize=4M\nrw=read\ntime_based\nruntime=2s\n[j]\n" + line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let r = try JobFileTests.shell(JobFileTests.fio!, ["--parse-only", path])
            #expect((r.status == 0) != fioRefuses.contains(line), "fio --parse-only on \(line): \(r.status) \(r.out) \(r.err)")
        }
    }

    /// The accepted file under fio and under uringbench: the same bytes per IO in every job, a
    /// full runtime although loops, number_ios and io_size are set (fio ignores them in a
    /// time_based job), and the file under directory= is the one both read.
    @Test(.enabled(if: JobFileTests.fio != nil, "fio is not installed (apt-get install fio)"))
    func fioAndUringbenchAgree() throws {
        let dir = TestFiles.path("wider")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var layout = JobSpec()
        layout.filename = dir + "/data.bin"
        layout.size = 4 << 20
        _ = try DataFile(job: layout)
        let path = dir + "/wider.fio"
        try Self.widerFile(directory: dir, file: "data.bin").write(toFile: path, atomically: true, encoding: .utf8)
        let ours = try JobFile.load(path: path).jobs.map(\.spec)

        let jobs = try JobFileTests.fioJobs(running: path)
        #expect(jobs.map { $0["jobname"] as? String } == ours.map(\.name))
        for (fioJob, spec) in zip(jobs, ours) {
            let read = try #require(fioJob["read"] as? [String: Any])
            let ios = read["total_ios"] as? Int ?? 0, bytes = read["io_bytes"] as? Int ?? 0
            #expect(ios > 10 && bytes == ios * spec.blockSize, "\(spec.name): fio read \(bytes) bytes in \(ios) IOs")
            #expect((read["runtime"] as? Int ?? 0) >= 190, "\(spec.name): fio stopped early")
            let result = try Runner.run(spec)
            #expect(result.totalIOs > 10 && result.job.blockSize == spec.blockSize && result.job.filename == dir + "/data.bin")
        }
        // Neither tool made a file anywhere else in the directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["data.bin", "wider.fio"])
    }
}
