import Foundation
import Testing
@testable import UringBench
import TestSupport
@testable import UringCore

/// numjobs: jobs as threads with their own engines and offset streams, started together, and
/// reported job by job or merged as fio does.
@Suite(.waits) struct NumjobsTests {
    static let size: UInt64 = 32 << 20

    /// Every engine that moves data, three jobs at once: each job's every read compared byte for
    /// byte with the file's pattern at its offset.
    @Test(arguments: EngineKind.allCases.filter { $0.descriptor.transfersData })
    func everyJobsReadsAreVerified(engine: EngineKind) throws {
        let availability = EngineProbe.check(engine)
        try #require(availability.available, "\(engine.rawValue) unavailable here: \(availability.reason ?? "")")
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(engine, file: file, size: Self.size, depth: engine.descriptor.isSynchronous ? 1 : 4)
        job.numjobs = 3
        let group = try Runner.runGroup(job)
        #expect(group.jobs.count == 3)
        for r in group.jobs {
            #expect(r.totalIOs > 0)
            #expect(r.verify.checkedIOs == r.totalIOs, "job \(r.threadID ?? 0): \(r.verify.checkedIOs) of \(r.totalIOs) reads checked")
            #expect(r.verify.checkedBytes == r.totalIOs * UInt64(job.blockSize))
            #expect(r.clat.count == r.totalIOs)
        }
        #expect(Set(group.jobs.compactMap(\.threadID)).count == 3, "each job ran on a thread of its own")
        let merged = group.merged
        #expect(merged.totalIOs == group.jobs.map(\.totalIOs).reduce(0, +))
        #expect(merged.verify.checkedIOs == merged.totalIOs)
        #expect(merged.group?.jobs == 3)
    }

    /// The group's percentiles are those of all its IOs: merging the jobs' histograms gives the
    /// histogram of every sample together, not an average of the jobs' percentiles.
    @Test func mergedPercentilesEqualOneHistogramOfAllSamples() {
        var rng = Xoshiro256StarStar(seed: 42)
        // Three jobs with different latency shapes: a fast one, a slow one, one with a long tail.
        let samples: [[UInt64]] = [
            (0..<5000).map { _ in 20_000 + rng.next() % 10_000 },
            (0..<3000).map { _ in 200_000 + rng.next() % 100_000 },
            (0..<2000).map { i in i % 50 == 0 ? 5_000_000 + rng.next() % 1_000_000 : 50_000 + rng.next() % 5_000 },
        ]
        let jobs = samples.map { ReportFixtures.result(clat: $0, ios: UInt64($0.count)) }
        let merged = JobGroupResult(jobs: jobs).merged
        let single = ReportFixtures.histogram(samples.flatMap { $0 })
        for p in FioText.percentiles + [0.5, 100] {
            #expect(merged.clat.valueAt(percentile: p) == single.valueAt(percentile: p), "p\(p)")
        }
        #expect(merged.clat.count == single.count)
        #expect(merged.clat.observedMin == single.observedMin && merged.clat.max == single.max)
        #expect(abs(merged.clat.mean - single.mean) < 1e-6 * single.mean)
        // Averaging the jobs' p50 would be far off the true median here.
        let averaged = jobs.map { Double($0.clat.valueAt(percentile: 50)) }.reduce(0, +) / 3
        #expect(abs(averaged - Double(single.valueAt(percentile: 50))) > 50_000)
        // Counts add up, samples add interval by interval.
        #expect(merged.totalIOs == 10_000)
        #expect(merged.iopsSamples == zip(zip(jobs[0].iopsSamples, jobs[1].iopsSamples), jobs[2].iopsSamples).map { $0.0 + $0.1 + $1 })
        #expect(merged.group?.jobRuntimeNanoseconds == jobs.map(\.runtimeNanoseconds).reduce(0, +))
    }

    @Test func jobFileSetsNumjobsAndGroupReporting() throws {
        let text = "[global]\nfilename=data.bin\nsize=64M\nrw=randread\ntime_based\nruntime=2s\nthread\n[a]\nnumjobs=4\ngroup_reporting\n[b]\nstonewall\nnumjobs=2\n"
        let specs = try JobFile.parse(text, path: "t.fio").jobs.map(\.spec)
        #expect(specs.map(\.numjobs) == [4, 2])
        #expect(specs.map(\.groupReporting) == [true, false])
    }

    @Test func eachJobHasItsOwnSeedAndOffsets() {
        for seed: UInt64 in [0, 1, 0x5EED_0F10] {
            let seeds = (0..<64).map { JobSeed.seed(seed, job: $0) }
            #expect(Set(seeds).count == 64, "randseed \(seed): seeds repeat")
            #expect(seeds[0] == seed, "the first job issues what a job on its own issues")
        }
        var job = JobSpec()
        job.size = 1 << 30
        var streams = (0..<4).map { i -> IOStream in
            var j = job
            j.randSeed = JobSeed.seed(job.randSeed, job: i)
            return IOStream(job: j)
        }
        let offsets = streams.indices.map { i in (0..<64).map { _ in streams[i].next().offset } }
        for a in 0..<4 { for b in (a + 1)..<4 { #expect(offsets[a] != offsets[b], "jobs \(a) and \(b) issue the same offsets") } }
        // The same offsets overlap only by chance: 64 draws from 262144 blocks.
        #expect(Set(offsets[0]).intersection(offsets[1]).count < 4)
    }

    /// Nobody passes the barrier before the last job arrives; a failing job releases the others
    /// and none starts.
    @Test func barrierHoldsUntilTheLastJobArrives() {
        let control = JobGroupControl(jobs: 3)
        let passed = Counter()
        let done = DispatchGroup()
        for i in 0..<2 {
            DispatchQueue.global().async(group: done) { if control.arriveAndWait(job: i) != nil { passed.add() } }
        }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(passed.value == 0, "a job passed the barrier before every job arrived")
        #expect(control.arriveAndWait(job: 2) != nil)
        done.wait()
        #expect(passed.value == 2)

        let failing = JobGroupControl(jobs: 3)
        let started = Counter()
        for i in 0..<2 {
            DispatchQueue.global().async(group: done) { if failing.arriveAndWait(job: i) != nil { started.add() } }
        }
        Thread.sleep(forTimeInterval: 0.1)
        failing.fail(job: 2)
        #expect(done.wait(timeout: .now() + 5) == .success, "a failed job left the others waiting")
        #expect(started.value == 0)
        #expect(failing.stopRequested)
    }

    /// A real group starts together: every job's first IO within a few ms of the others'.
    @Test func jobsStartTogether() throws {
        let file = try TestFiles.laidOut(size: Self.size)
        var job = TestFiles.job(.psync, file: file, size: Self.size, depth: 1)
        job.numjobs = 4
        job.verify = false
        let group = try Runner.runGroup(job)
        let starts = group.jobs.map(\.startedAt)
        let spread = (starts.max() ?? 0) - (starts.min() ?? 0)
        #expect(spread < 0.05, "jobs started \(spread * 1000) ms apart")
    }

    /// A CPU-bound group measures over one window: 64 null jobs on N cores report no more IOPS
    /// than N cores' worth of one job's IOs per CPU second (with a 2x allowance for noise),
    /// every job measures from the same start to about the same end, and the group stops near
    /// its runtime. Before, each job started its clock when its thread first ran and the group
    /// divided every IO by the longest job's runtime: several times N cores' worth.
    @Test func aCPUBoundGroupMeasuresOverOneSharedWindow() throws {
        var job = JobSpec()
        job.engine = .null
        job.filename = try TestFiles.laidOut(size: Self.size)
        job.size = Self.size
        job.iodepth = 32
        job.runtimeNanoseconds = 500_000_000
        let one = try Runner.run(job)
        let perCPUSecond = Double(one.totalIOs) / max(1e-3, one.cpu.threadSeconds)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)

        job.numjobs = 64
        job.groupReporting = true
        let began = Date()
        let group = try Runner.runGroup(job)
        let wall = Date().timeIntervalSince(began)
        let merged = group.merged
        #expect(merged.iops <= cores * perCPUSecond * 2,
                "\(Int(merged.iops)) IOPS from 64 jobs on \(Int(cores)) cores; one job does \(Int(perCPUSecond)) IOs per CPU second")
        // One window: the same start for every job, and every job stopped by the shared deadline
        // (or soon after it, when its thread waited for a CPU).
        let starts = group.jobs.map(\.startedAt)
        #expect(Set(starts).count == 1, "job starts \(starts.min() ?? 0)...\(starts.max() ?? 0)")
        for r in group.jobs {
            #expect(r.runtimeNanoseconds >= job.runtimeNanoseconds)
            #expect(r.runtimeNanoseconds < 3 * job.runtimeNanoseconds, "a job measured for \(r.runtimeNanoseconds / 1_000_000) ms")
        }
        #expect(merged.runtimeNanoseconds < 3 * job.runtimeNanoseconds)
        #expect(wall < 3 * 0.5 + 5, "64 jobs of 500 ms took \(wall) s")
    }

    static func group(jobs n: Int, groupReporting: Bool) -> JobGroupResult {
        JobGroupResult(jobs: (0..<n).map { i in
            var r = ReportFixtures.result(clat: [100_000, 200_000 + UInt64(i) * 1000], ios: 1000 + UInt64(i) * 100)
            r.job.numjobs = n
            r.job.groupReporting = groupReporting
            r.threadID = 1000 + Int32(i)
            return r
        })
    }

    @Test func textReportIsOneBlockPerJobOrOneForTheGroup() {
        let perJob = FioTextReport(groups: [Self.group(jobs: 3, groupReporting: false)]).render()
        #expect(perJob.components(separatedBy: "(groupid=0, jobs=1): err= 0: pid=").count == 4)
        #expect(perJob.contains("pid=1001:") && perJob.contains("pid=1002:"))
        #expect(perJob.components(separatedBy: "Run status group 0 (all jobs):").count == 2)
        #expect(perJob.contains("Starting 3 threads\n"))
        #expect(perJob.contains("iodepth=32\n...\n"))
        // Run status: aggregate 3300 IOs × 4 KiB over 2001 ms, slowest and fastest job apart.
        #expect(perJob.contains("   READ: bw=6597KiB/s (6755kB/s), 1999KiB/s-2399KiB/s (2047kB/s-2456kB/s), io=12.9MiB (13.5MB), run=2001-2001msec"))
        let grouped = FioTextReport(groups: [Self.group(jobs: 3, groupReporting: true)]).render()
        #expect(grouped.components(separatedBy: ": (groupid=0, jobs=").count == 2)
        #expect(grouped.contains("(groupid=0, jobs=3)"))
        #expect(grouped.contains("issued rwts: total=3300,0,0,0"))
        #expect(grouped.contains("   READ: bw=6597KiB/s (6755kB/s), 6597KiB/s-6597KiB/s (6755kB/s-6755kB/s)"))
    }

    @Test func jsonIsOneEntryPerJobOrOneForTheGroup() throws {
        func jobs(_ g: JobGroupResult) throws -> [[String: Any]] {
            let json = try JSONSerialization.jsonObject(with: Data(try FioJSONReport(groups: [g]).render().utf8)) as? [String: Any]
            return try #require(json?["jobs"] as? [[String: Any]])
        }
        let perJob = try jobs(Self.group(jobs: 3, groupReporting: false))
        #expect(perJob.count == 3)
        for j in perJob {
            #expect(j["groupid"] as? Int == 0)
            #expect((j["job options"] as? [String: String])?["numjobs"] == "3")
            #expect((j["job options"] as? [String: String])?["group_reporting"] == nil)
        }
        // bw_agg: each job's share of the group's bandwidth, as fio's; the shares add to 100.
        let shares = perJob.compactMap { ($0["read"] as? [String: Any])?["bw_agg"] as? Double }
        #expect(abs(shares.reduce(0, +) - 100) < 0.5)
        let grouped = try jobs(Self.group(jobs: 3, groupReporting: true))
        #expect(grouped.count == 1)
        let read = try #require(grouped[0]["read"] as? [String: Any])
        #expect(read["total_ios"] as? Int == 3300)
        #expect(grouped[0]["job_runtime"] as? Int == 3 * 2001, "fio's job_runtime of a group adds its jobs' runtimes")
        #expect((grouped[0]["job options"] as? [String: String])?["group_reporting"] == "1")
    }

    /// fio itself on the same tiny job, `--thread --numjobs=2`: the same number of entries and
    /// the same keys, per job and with group_reporting.
    @Test(arguments: [false, true])
    func jsonKeysMatchFiosForTwoThreads(groupReporting: Bool) throws {
        let file = try TestFiles.laidOut(size: Self.size)
        guard let json = try FioProcess.json(["--name=t", "--filename=\(file)", "--size=32M", "--runtime=200ms", "--time_based",
                                              "--ioengine=psync", "--direct=1", "--rw=randread", "--bs=4k", "--thread", "--numjobs=2"]
                                             + (groupReporting ? ["--group_reporting"] : [])) else {
            return   // fio absent: the shape tests above still hold
        }
        let theirs = try #require(json["jobs"] as? [[String: Any]])
        var job = TestFiles.job(.psync, file: file, size: Self.size, depth: 1, milliseconds: 200)
        job.numjobs = 2
        job.groupReporting = groupReporting
        let ourData = Data(try FioJSONReport(groups: [try Runner.runGroup(job)]).render().utf8)
        let ours = try #require((try JSONSerialization.jsonObject(with: ourData) as? [String: Any])?["jobs"] as? [[String: Any]])
        #expect(ours.count == theirs.count)
        for (o, t) in zip(ours, theirs) {
            #expect(Set(t.keys).subtracting(o.keys).isEmpty, "missing job keys: \(Set(t.keys).subtracting(o.keys))")
            #expect(o["groupid"] as? Int == t["groupid"] as? Int)
            let or = try #require(o["read"] as? [String: Any]), tr = try #require(t["read"] as? [String: Any])
            #expect(Set(tr.keys).subtracting(or.keys).isEmpty)
        }
    }
}

/// A counter threads add to.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
