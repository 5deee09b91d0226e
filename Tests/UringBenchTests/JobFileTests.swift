import Foundation
import Testing
import TestSupport
@testable import UringBench

/// The fio job-file reader: INI syntax, the option subset, fio's defaults, and one-line errors
/// with file:line. The shipped bench-configs are checked against real fio where it is installed.
@Suite(.waits) struct JobFileTests {
    static let header = "[global]\nfilename=data.bin\nsize=64M\nrw=randread\ntime_based\nruntime=2s\n"

    func parse(_ text: String) throws -> JobFile { try JobFile.parse(text, path: "t.fio") }

    func error(_ text: String) -> JobFileError? {
        do { _ = try JobFile.parse(text, path: "t.fio"); return nil } catch { return error }
    }

    @Test func syntaxSectionsCommentsBareKeysAndCRLF() throws {
        let text = "; a comment\r\n# another\r\n\r\n[global]\r\n  bs = 8k \r\ntime_based\r\n[job one]\r\niodepth=4\r\n"
        let syntax = try JobFileSyntax.parse(text, path: "t.fio")
        #expect(syntax.sections.map(\.name) == ["global", "job one"])
        #expect(syntax.sections[0].entries == [
            .init(key: "bs", value: "8k", line: 5), .init(key: "time_based", value: nil, line: 6),
        ])
        #expect(syntax.sections[1].entries == [.init(key: "iodepth", value: "4", line: 8)])
    }

    @Test func syntaxErrorsNameFileAndLine() {
        #expect(error("bs=4k\n[a]\n")?.description.hasPrefix("t.fio:1: option 'bs=4k' comes before any section") == true)
        #expect(error("[global]\n[unclosed\n")?.description.hasPrefix("t.fio:2: malformed section header") == true)
        #expect(error("[a]\n=4k\n")?.line == 2)
        #expect(error("[a]\nbs=\n")?.description.contains("empty value") == true)
        #expect(error("[a]\n[b]\n[a]\n")?.description.hasPrefix("t.fio:3: job 'a' is already defined at line 1") == true)
        #expect(error("[a]\nb s=1\n")?.line == 2)
    }

    @Test func optionsSuffixesAndEngines() throws {
        let file = try parse(Self.header + """
            bs=64k
            direct=1
            ramp_time=500ms
            randseed=42
            norandommap
            group_reporting
            stonewall
            [p]
            [a]
            ioengine=libaio
            iodepth=16
            iodepth_batch_submit=4
            iodepth_batch_complete_min=2
            [u]
            name=renamed
            ioengine=io_uring
            iodepth=32
            fixedbufs
            registerfiles=1
            rate_iops=500
            [s]
            ioengine=io_uring
            iodepth=8
            sqthread_poll=1
            sqthread_poll_cpu=1
            """)
        let specs = file.jobs.map(\.spec)
        #expect(specs.map(\.name) == ["p", "a", "renamed", "s"])
        #expect(specs.map(\.engine) == [.psync, .libaio, .io_uring, .io_uring_sqpoll])
        #expect(specs.map(\.iodepth) == [1, 16, 32, 8])
        #expect(specs.allSatisfy { $0.blockSize == 65536 && $0.size == 64 << 20 && $0.direct })
        #expect(specs.allSatisfy { $0.runtimeNanoseconds == 2_000_000_000 && $0.rampNanoseconds == 500_000_000 && $0.randSeed == 42 })
        #expect(specs[1].batchSubmit == 4 && specs[1].batchCompleteMin == 2)
        #expect(specs[2].engineOptions.isSet(IORingEngine.fixedBuffersOption) && specs[2].engineOptions.isSet(IORingEngine.registerFilesOption) && specs[2].rateIOPS == 500)
        #expect(specs[3].engineOptions[IORingEngine.sqPollCPUOption] == 1)
        // fio spins on the CQ ring under sqthread_poll; the same job does here.
        #expect(specs.map { $0.engineOptions.isSet(IORingEngine.sqPollSpinOption) } == [false, false, false, true])
        #expect(file.jobs.map(\.line) == [14, 15, 20, 27])
    }

    /// fio keeps the random map unless norandommap is given (bare or nonzero); norandommap=0 is
    /// the default spelled out.
    @Test func randomMapAndGeneratorFollowFio() throws {
        let cases: [(String, Bool, RandomGenerator)] = [
            ("", true, .tausworthe), ("norandommap\n", false, .tausworthe), ("norandommap=1\n", false, .tausworthe),
            ("norandommap=0\n", true, .tausworthe), ("norandommap=2\n", false, .tausworthe),
            ("random_generator=lfsr\n", true, .lfsr), ("random_generator=tausworthe64\nnorandommap\n", false, .tausworthe64),
        ]
        for (lines, map, generator) in cases {
            let spec = try parse(Self.header + "[j]\n" + lines).jobs[0].spec
            #expect(spec.randomMap == map && spec.randomGenerator == generator, "\(lines)")
        }
    }

    /// fio's str_rw_cb: a size after ':' (signed, kb_base suffixes) moves each sequential IO.
    @Test func rwOffsetModifiersAreSignedSizes() throws {
        for (value, mode, skip) in [("read:-8k", RWMode.read, Int64(-8192)), ("write:112k", .write, 114_688), ("rw:+4k", .rw, 4096), ("read", .read, 0)] {
            let spec = try parse(Self.header + "[j]\nrw=\(value)\n").jobs[0].spec
            #expect(spec.rw == mode && spec.sequentialSkip == skip, "\(value)")
        }
    }

    @Test func randomDistributionAndFadviseHintFollowFio() throws {
        let distributions: [(String, RandomDistribution)] = [
            ("", .random), ("random_distribution=random\n", .random), ("random_distribution=zipf\n", .zipf(theta: 1.1, center: nil)),
            ("random_distribution=zipf:1.2:0.25\n", .zipf(theta: 1.2, center: 0.25)), ("random_distribution=pareto:0.3\n", .pareto(h: 0.3, center: nil)),
            ("random_distribution=normal:5\n", .normal(deviation: 5, center: nil)),
        ]
        for (lines, expected) in distributions {
            #expect(try parse(Self.header + "[j]\n" + lines).jobs[0].spec.randomDistribution == expected, "\(lines)")
        }
        let hints: [(String, FadviseHint)] = [("", .byPattern), ("fadvise_hint=0\n", .none), ("fadvise_hint=1\n", .byPattern),
                                              ("fadvise_hint=random\n", .random), ("fadvise_hint=sequential\n", .sequential)]
        for (lines, expected) in hints {
            #expect(try parse(Self.header + "[j]\n" + lines).jobs[0].spec.fadviseHint == expected, "\(lines)")
        }
    }

    @Test func fioDefaultsNotUringbenchOnes() throws {
        // fio: ioengine=psync, direct=0 unless the file says otherwise.
        let spec = try parse(Self.header + "[j]\n").jobs[0].spec
        #expect(spec.engine == .psync)
        #expect(spec.direct == false)
        #expect(spec.blockSize == 4096 && spec.iodepth == 1)
    }

    @Test func aliasesFioAccepts() throws {
        let spec = try parse(Self.header + "[j]\nreadwrite=randread\nblocksize=8k\nioengine=io_uring\niodepth=8\niodepth_batch=4\niodepth_batch_complete=2\niodepth_batch_complete_max=64\n").jobs[0].spec
        #expect(spec.blockSize == 8192 && spec.batchSubmit == 4 && spec.batchCompleteMin == 2)
        #expect(spec.batchCompleteMax == 8)   // clamped to the depth, as fio does
    }

    @Test func globalAppliesOnlyToJobsAfterIt() throws {
        let file = try parse(Self.header + "stonewall\n[a]\n[global]\nbs=16k\n[b]\n")
        #expect(file.jobs.map(\.spec.blockSize) == [4096, 16384])
    }

    /// fio's groupid: jobs without stonewall join the group before them, a stonewall starts the
    /// next (not on the first job); startdelay is read per job, exitall by any job for the file.
    /// fio 3.33 on this file (runtime and startdelay shortened) printed g=0, g=0, g=1, g=1, g=2.
    @Test func stonewallNumbersTheGroupsAsFioDoes() throws {
        let file = try parse(Self.header + "[a]\nstonewall\n[b]\nstartdelay=1500ms\n[c]\nwait_for_previous\n[d]\nexitall\n[e]\nstonewall\n")
        #expect(file.jobs.map(\.group) == [0, 0, 1, 1, 2])
        #expect(file.jobs.map(\.startDelayNanoseconds) == [0, 1_500_000_000, 0, 0, 0])
        #expect(file.exitAll)
        #expect(try !parse(Self.header + "[a]\n[b]\n").exitAll)
    }

    @Test func jobOverridesGlobal() throws {
        let file = try parse(Self.header + "bs=16k\nstonewall\n[a]\nbs=8k\n[b]\n")
        #expect(file.jobs.map(\.spec.blockSize) == [8192, 16384])
    }

    @Test func unsupportedOptionNamesOptionFileAndLine() throws {
        let e = try #require(error(Self.header + "[j]\niodepth=4\nverify=md5\n"))
        #expect(e.line == 9)
        #expect(e.description.hasPrefix("t.fio:9: unsupported option 'verify'"))
        #expect(e.description.contains("uringbench job files accept"))
        #expect(!e.description.contains("\n"))
    }

    @Test(arguments: [
        ("[j]\nrw=trim\n", "rw=trim is not supported"),
        ("[j]\nrw=randread:8\n", "rw=randread:8: fio reads ':N' after a random mode as N sequential IOs"),
        ("[j]\nrw=read:0\n", "the offset modifier must be a nonzero size"),
        ("[j]\nrw=read:-2k\n", "a backwards one at least --bs"),
        ("[j]\nrwmixread=101\n", "must be a whole number from 0 to 100"),
        ("[j]\nsync=2\n", "must be 0, 1, none, sync or dsync"),
        ("[j]\nrw=randread\nfsync=4\n", "randread writes nothing"),
        ("[j]\nioengine=vsync\n", "ioengine=vsync is not one uringbench drives"),
        ("[j]\nioengine=io_uring_sqpoll\n", "write ioengine=io_uring and sqthread_poll=1"),
        ("[j]\nioengine=windowsaio\n", "ioengine=windowsaio is not one uringbench drives; use one of psync, libaio, io_uring"),
        ("[j]\nioengine=libaio\nfixedbufs=1\n", "only after ioengine=io_uring"),
        ("[j]\nioengine=io_uring\nsqthread_poll_cpu=9999\n", "must be a whole number from 0 to 4095"),
        ("[j]\nnumjobs=0\n", "'numjobs=0' must be a whole number from 1 to 1024"),
        ("[j]\nnumjobs=1025\n", "'numjobs=1025' must be a whole number from 1 to 1024"),
        ("[j]\nthread=0\n", "thread=0 asks for a process per job"),
        ("[j]\nbs=4q\n", "has the suffix 'q', which fio does not know"),
        ("[j]\nruntime=ten\n", "is not a time"),
        ("[j]\niodepth=0\n", "must be a whole number from 1"),
        ("[j]\ndirect=yes\n", "must be 0 or 1"),
        ("[j]\nfilename=${DEV}\n", "environment variable"),
        ("[j]\nfilename=a:b\n", "lists 2 files"),
        ("[j]\nsqthread_poll=1\n", "only after ioengine=io_uring"),
        ("[j]\nsqthread_poll=1\nioengine=io_uring\n", "only after ioengine=io_uring"),
        ("[j]\nioengine=io_uring\nsqthread_poll_cpu=0\n", "sqthread_poll_cpu needs sqthread_poll=1"),
        ("[j]\nioengine=libaio\nrate_iops=1,2,3,4\n", "more than three values"),
        ("[j]\nbs=4k,8k\n", "separate read,write values"),
        ("[j]\nstartdelay=1-2\n", "is a range, from which fio draws a random delay"),
        ("[j]\nnorandommap=x\n", "'norandommap=x' must be 0 or 1"),
        ("[j]\nrandom_generator=mt\n", "'random_generator=mt' is not one of fio's: tausworthe, lfsr, tausworthe64"),
        ("[j]\nrandom_distribution=zoned:60/10:30/20:8/70\n", "the access percentages add up to 98, and fio needs 100"),
        ("[j]\nrandom_distribution=zoned_abs:60/1G:40/2G\n", "the zones cover 3G, more than the job's 64M"),
        ("[j]\nrandom_distribution=gauss\n", "fio names this distribution normal"),
        ("[j]\nrandom_distribution=zipf:1\n", "fio refuses a zipf theta of 1.0"),
        ("[j]\nfadvise_hint=normal\n", "fio has no normal"),
        ("[j]\nfadvise_hint=2\n", "'fadvise_hint=2' is not one of fio's: 0, 1, random, sequential"),
    ])
    func badOptionsAreOneLineErrors(tail: String, message: String) throws {
        let e = try #require(error(Self.header + tail))
        #expect(e.description.contains(message), "\(e)")
        #expect(e.line > 0 && !e.description.contains("\n"))
    }

    /// fio's write options land on the job as fio means them; no rw= is fio's default, read.
    @Test func modesAndSyncOptions() throws {
        let text = "[global]\nfilename=f\nsize=1M\ntime_based\nruntime=1s\nstonewall\n"
            + "[a]\n"
            + "[b]\nrw=randrw\nrwmixwrite=30\nfdatasync=1\nsync=dsync\n"
            + "[c]\nreadwrite=readwrite\nfsync=8\nend_fsync=1\nsync=1\n"
        let specs = try JobFile.parse(text, path: "t.fio").jobs.map(\.spec)
        #expect(specs.map(\.rw) == [.read, .randrw, .rw])
        #expect(specs[1].rwMixRead == 70 && specs[1].fdatasyncEvery == 1 && specs[1].openSync == .dsync)
        #expect(specs[2].fsyncEvery == 8 && specs[2].endFsync && specs[2].openSync == .sync)
    }

    @Test(arguments: [
        ("filename=f\nrw=randread\ntime_based\nruntime=1s\n", "size=1G"),
    ])
    func missingRequiredOptionsPointAtTheJob(global: String, message: String) throws {
        let e = try #require(error("[global]\n" + global + "[j]\n"))
        #expect(e.description.contains(message), "\(e)")
        #expect(e.line == global.split(separator: "\n").count + 2)
    }

    /// fio 3.33 without size= reads the whole existing file (96 KiB: 24 reads of 4 KiB) and stops
    /// on a missing one with "you need to specify size=".
    @Test func noSizeTakesTheExistingFilesSize() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nosize-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ex.dat").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(count: 96 << 10)))
        let job = "[j]\nfilename=\(path)\nrw=read\ntime_based\nruntime=1s\n"
        #expect(try parse(job).jobs[0].spec.size == 96 << 10)
        let missing = try #require(error(job.replacingOccurrences(of: "ex.dat", with: "missing.dat")))
        #expect(missing.description.contains("is not an existing file or block device") && missing.description.contains("you need to specify size="), "\(missing)")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(error(job)?.description.contains("is empty") == true)
    }

    @Test func emptyFileAndGlobalOnly() {
        #expect(error("")?.description.contains("defines no job") == true)
        #expect(error(Self.header)?.description.contains("defines no job") == true)
        #expect(error(Self.header + "bogus=1\n")?.line == 7)
    }

    @Test func specValidationBecomesAJobError() throws {
        let e = try #require(error(Self.header + "[j]\ndirect=1\nbs=1000\n"))
        #expect(e.description.hasPrefix("t.fio:7: job 'j':"))
        #expect(e.description.contains("512"))
    }

    @Test func missingFileIsOneLine() {
        do { _ = try JobFile.load(path: "/nonexistent/x.fio"); Issue.record("loaded a missing file") } catch {
            #expect(error.description.hasPrefix("/nonexistent/x.fio: cannot read the job file"))
        }
    }

    // MARK: shipped bench-configs, under both readers

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let configs = ["seed.fio", "all-engines.fio", "qd-sweep.fio"]

    @Test func benchConfigsParse() throws {
        let seed = try JobFile.load(path: Self.packageRoot + "/bench-configs/seed.fio")
        #expect(seed.jobs.map(\.spec.engine) == [.psync, .libaio, .io_uring_sqpoll])
        #expect(seed.jobs.map(\.spec.iodepth) == [1, 32, 32])
        #expect(seed.jobs.allSatisfy { $0.spec.direct && $0.spec.blockSize == 4096 && $0.spec.filename == "uringbench.dat" })
        let all = try JobFile.load(path: Self.packageRoot + "/bench-configs/all-engines.fio")
        #expect(Set(all.jobs.map(\.spec.engine)) == Set(EngineKind.allCases.filter(\.descriptor.transfersData)))
        let sweep = try JobFile.load(path: Self.packageRoot + "/bench-configs/qd-sweep.fio")
        #expect(Set(sweep.jobs.map(\.spec.iodepth)) == [1, 4, 16, 32, 64, 128])
    }

    static var fio: String? { FioProcess.path }

    static func shell(_ executable: String, _ args: [String], cwd: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let r = try SpawnedRun.run(executable: executable, args, in: cwd)
        return (r.status, r.stdout, r.stderr)
    }

    /// The "jobs" of fio's JSON for a run of the job file at `path`.
    static func fioJobs(running path: String) throws -> [[String: Any]] {
        let run = try shell(fio!, ["--output-format=json", path])
        #expect(run.status == 0, "fio: \(run.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        return try #require(json["jobs"] as? [[String: Any]])
    }

    /// fio's own parser accepts each shipped file, and `fio --showcmd` (fio's reading of the file,
    /// printed as options) read back by our reader gives the same jobs: same job, both tools.
    @Test(.enabled(if: fio != nil, "fio is not installed (apt-get install fio)"), arguments: configs)
    func fioReadsTheSameJobs(config: String) throws {
        let path = Self.packageRoot + "/bench-configs/" + config
        let parse = try Self.shell(Self.fio!, ["--parse-only", path])
        #expect(parse.status == 0, "fio --parse-only \(config): \(parse.err)")
        let show = try Self.shell(Self.fio!, ["--showcmd", path])
        #expect(show.status == 0)
        // "fio --a=1 --name=x --b=2 ..." → [global] a=1, [x] b=2.
        // Tokens are split on blanks outside double quotes (fio quotes values with spaces).
        var tokens: [String] = [], current = "", quoted = false
        for ch in show.out {
            if ch == "\"" { quoted.toggle() } else if ch.isWhitespace && !quoted {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else { current.append(ch) }
        }
        if !current.isEmpty { tokens.append(current) }
        var text = "[global]\n"
        for token in tokens.dropFirst() {
            let option = token.dropFirst(2)
            if option.hasPrefix("name=") { text += "[\(option.dropFirst(5))]\n" } else { text += option + "\n" }
        }
        let viaFio = try JobFile.parse(text, path: "fio --showcmd \(config)")
        let ours = try JobFile.load(path: path)
        #expect(viaFio.jobs.map(\.spec) == ours.jobs.map(\.spec))
    }

    /// A real run under both tools of a job file with the options we support: fio's JSON names
    /// the same engines and depths, and every job did IO, in both.
    @Test(.enabled(if: fio != nil, "fio is not installed (apt-get install fio)"))
    func fioAndUringbenchRunTheSameFile() throws {
        let data = try TestFiles.laidOut(size: 16 << 20)
        let text = """
            [global]
            filename=\(data)
            size=16M
            rw=randread
            bs=4k
            direct=1
            time_based
            runtime=300ms
            norandommap
            randseed=7
            group_reporting
            stonewall
            [psync]
            ioengine=psync
            [libaio]
            ioengine=libaio
            iodepth=8
            iodepth_batch_submit=2
            [uring]
            ioengine=io_uring
            iodepth=8
            fixedbufs=1
            registerfiles
            [sqpoll]
            ioengine=io_uring
            iodepth=4
            sqthread_poll=1
            """
        let path = TestFiles.path("both") + ".fio"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let ours = try JobFile.load(path: path)
        let results = try ours.jobs.map { try Runner.run($0.spec) }
        #expect(results.allSatisfy { $0.totalIOs > 0 })

        let run = try Self.shell(Self.fio!, ["--output-format=json", path])
        #expect(run.status == 0, "fio: \(run.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let jobs = try #require(json["jobs"] as? [[String: Any]])
        #expect(jobs.count == ours.jobs.count)
        for (fioJob, job) in zip(jobs, ours.jobs) {
            let options = fioJob["job options"] as? [String: String] ?? [:]
            #expect(fioJob["jobname"] as? String == job.spec.name)
            #expect(options["ioengine"] == job.spec.engine.fioEngine)
            #expect((options["sqthread_poll"] != nil) == (job.spec.engine == .io_uring_sqpoll))
            let read = fioJob["read"] as? [String: Any] ?? [:]
            #expect((read["total_ios"] as? Int ?? 0) > 0, "fio did no IO in \(job.spec.name)")
        }
        // fio's depth distribution shows it kept the same depth in flight as the file asks.
        let uringLevels = jobs[2]["iodepth_level"] as? [String: Double] ?? [:]
        #expect((uringLevels["8"] ?? 0) > 50)
    }
}
