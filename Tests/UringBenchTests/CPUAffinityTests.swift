import Foundation
import Testing
@testable import UringBench
@testable import UringCore

/// cpus_allowed and cpus_allowed_policy: fio's CPU lists, and job threads really pinned.
@Suite struct CPUAffinityTests {
    @Test func cpuListsReadAsFioWritesThem() {
        #expect(CPUList("0-3,6")?.cpus == [0, 1, 2, 3, 6])
        #expect(CPUList("3,1-2")?.description == "1-3")
        #expect(CPUList("5")?.description == "5")
        for bad in ["", "a", "3-1", "-1", "1024", "0,,1", "0-", "1-2-3", "99999999999999999999"] {
            #expect(CPUList(bad) == nil, "'\(bad)' was accepted")
        }
        let two = CPUList(cpus: [0, 1])
        #expect((0..<3).map { two.forJob($0, policy: .split).cpus } == [[0], [1], [0]])
        #expect(two.forJob(2, policy: .shared) == two)
    }

    @Test func aCPUTheMachineLacksIsRefused() {
        var job = JobSpec()
        job.cpusAllowed = CPUList(cpus: [Syscalls.configuredCPUs])
        #expect(throws: BenchError.self) { try job.validate() }
    }

    @Test func jobFileKeys() throws {
        let text = "[global]\nfilename=data.bin\nsize=64M\nrw=randread\ntime_based\nruntime=2s\n[a]\nnumjobs=2\ncpus_allowed=0-1\ncpus_allowed_policy=split\n"
        let spec = try #require(try JobFile.parse(text, path: "t.fio").jobs.first?.spec)
        #expect(spec.cpusAllowed == CPUList(cpus: [0, 1]))
        #expect(spec.cpusAllowedPolicy == .split)
    }

    /// Real runs: the kernel's affinity of each job thread, read back inside the thread.
    @Test(arguments: [CPUsAllowedPolicy.split, .shared])
    func jobThreadsArePinned(policy: CPUsAllowedPolicy) throws {
        let cpus = CPUList(cpus: Array(0..<min(2, Syscalls.configuredCPUs)))
        let file = try TestFiles.laidOut(size: NumjobsTests.size)
        var job = TestFiles.job(.psync, file: file, size: NumjobsTests.size, depth: 1, milliseconds: 200)
        job.numjobs = 2
        job.cpusAllowed = cpus
        job.cpusAllowedPolicy = policy
        let group = try Runner.runGroup(job)
        #expect(group.jobs.map(\.cpus) == (0..<2).map { cpus.forJob($0, policy: policy) })
        #expect(group.jobs.allSatisfy { $0.verify.checkedIOs == $0.totalIOs && $0.totalIOs > 0 })
        // The calling thread is left as it was.
        #expect(Syscalls.threadAffinity.count >= cpus.cpus.count)
        let text = FioTextReport(groups: [group]).render()
        #expect(text.contains("cpus_allowed : "))
        // Without group_reporting each job's block is one thread's.
        #expect(text.components(separatedBy: "as the kernel reports the job thread's affinity)").count == 3)
    }
}
