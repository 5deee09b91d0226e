import Testing
@testable import UringBench

/// The options table itself: names unique, every job-file key and alias reaches its row, and the
/// limits rows declare are the ones job files and JobSpec.validate apply.
@Suite struct JobOptionTableTests {
    @Test func namesAreUniqueAndEveryRowIsReachable() {
        let fio = JobOption.all.compactMap(\.fioName)
        let cli = JobOption.all.compactMap(\.cliName)
        #expect(Set(fio).count == fio.count)
        #expect(Set(cli).count == cli.count)
        #expect(JobOption.all.allSatisfy { $0.fioName != nil || $0.cliName != nil })
        for row in JobOption.all {
            if let name = row.fioName { #expect(JobFile.supportedOptions.contains(name)) }
            for alias in row.aliases { #expect(JobFile.aliases[alias] == row.fioName) }
        }
    }

    @Test func aRowsRangeIsWhatJobSpecValidateRefuses() {
        let cases: [(JobOption, WritableKeyPath<JobSpec, Int>)] = [
            (.iodepth, \.iodepth), (.numjobs, \.numjobs), (.rwmixread, \.rwMixRead), (.fsync, \.fsyncEvery), (.fdatasync, \.fdatasyncEvery),
        ]
        for (row, field) in cases {
            guard let range = row.range else { Issue.record("\(row.flag) has no range"); continue }
            for value in [range.lowerBound - 1, range.upperBound + 1] {
                var spec = JobSpec()
                spec.engine = .libaio; spec.rw = .randrw; spec.iodepth = 8
                spec[keyPath: field] = value
                if row.fioName == "fdatasync" { spec.fsyncEvery = 0 }
                #expect(throws: BenchError.invalidOption(row.problem(value) ?? "")) { try spec.validate() }
            }
        }
    }

    /// bs had three messages (command line, JobSpec, job files); the row's bounds give one rule.
    @Test func theBlockSizeBoundIsOneRule() {
        var spec = JobSpec()
        spec.blockSize = (64 << 20) + 1
        #expect(throws: BenchError.invalidOption("--bs must be from 1 byte to 64M (got 67108865); use e.g. --bs 4k")) { try spec.validate() }
        #expect(JobOption.bs.problem(bytes: 0) == "--bs must be from 1 byte to 64M (got 0); use e.g. --bs 4k")
        #expect(JobOption.bs.problem(bytes: 64 << 20) == nil)
        for (line, accepted) in [("bs=64M", true), ("blocksize=65M", false)] {
            do {
                let job = try JobFile.parse("[j]\n\(line)\nfilename=x\nsize=1G\ntime_based\nruntime=1\n", path: "t.fio")
                #expect(accepted && job.jobs.first?.spec.blockSize == 64 << 20)
            } catch {
                #expect(!accepted && error.description == "t.fio:2: 'blocksize=65M' must be from 1 byte to 64M; use e.g. blocksize=4k")
            }
        }
    }

    @Test func aGenericRowSetsTheJobFromAJobFile() throws {
        let text = "[j]\nioengine=libaio\nrw=randrw\nrwmixwrite=30\nfsync=2\niodepth=1k\nramp_time=2s\nnumjobs=2\ngroup_reporting\nbuffered=1\nfilename=x\nsize=1M\ntime_based\nruntime=1\n"
        let spec = try #require(JobFile.parse(text, path: "t.fio").jobs.first).spec
        #expect(spec.rwMixRead == 70 && spec.fsyncEvery == 2 && spec.iodepth == 1024 && spec.rampNanoseconds == 2_000_000_000)
        #expect(spec.numjobs == 2 && spec.groupReporting && !spec.direct)
    }
}

/// fio's "job options" echo, read from the table's rows: the same keys, values and order as
/// before the table (written out here from the earlier hand-written list).
@Suite struct JobOptionEchoTests {
    @Test func everyEchoedOptionInFiosOrder() throws {
        var spec = JobSpec()
        spec.name = "j"; spec.filename = "f"; spec.size = 1 << 20; spec.blockSize = 8192
        spec.engine = .libaio; spec.rw = .randrw; spec.iodepth = 16; spec.runtimeNanoseconds = 2_000_000_000
        spec.numjobs = 2; spec.randomMap = false; spec.randomGenerator = .lfsr; spec.fadviseHint = .random
        spec.cpusAllowed = CPUList("0-1"); spec.cpusAllowedPolicy = .split; spec.rampNanoseconds = 500_000_000
        spec.batchSubmit = 4; spec.batchCompleteMin = 2; spec.batchCompleteMax = 8; spec.rateIOPS = 300; spec.writeRateIOPS = 100
        spec.verify = true; spec.invalidate = false; spec.rwMixRead = 70; spec.fsyncEvery = 3; spec.endFsync = true; spec.openSync = .dsync
        let echoed = FioJSON.jobOptions(spec).entries.map { "\($0.key)=\($0.value)" }
        #expect(echoed == [
            "name=j", "filename=f", "size=1M", "rw=randrw", "bs=8k", "ioengine=libaio", "iodepth=16", "direct=1",
            "runtime=2000ms", "time_based=1", "numjobs=2", "randseed=1592594192", "norandommap=1", "random_generator=lfsr",
            "fadvise_hint=random", "thread=1", "cpus_allowed=0-1", "cpus_allowed_policy=split", "ramp_time=500ms",
            "iodepth_batch_submit=4", "iodepth_batch_complete_min=2", "iodepth_batch_complete_max=8", "rate_iops=300,100",
            "verify=crc32c", "invalidate=0", "rwmixread=70", "fsync=3", "end_fsync=1", "sync=dsync",
        ])
    }

    @Test func theDefaultJobEchoesOnlyWhatFioAlwaysLists() {
        var spec = JobSpec()
        spec.engine = .io_uring_sqpoll
        spec.engineOptions[IORingEngine.sqThreadIdleOption] = 50
        let echoed = FioJSON.jobOptions(spec).entries.map { "\($0.key)=\($0.value)" }
        #expect(echoed == [
            "name=randread", "filename=uringbench.dat", "size=1G", "rw=randread", "bs=4k", "ioengine=io_uring", "iodepth=1",
            "direct=1", "runtime=10000ms", "time_based=1", "numjobs=1", "randseed=1592594192", "group_reporting=1",
            "sqthread_poll=1", "uringbench_sqthread_idle=50",
        ])
    }
}
