// The fixtures build the library's values through internal initialisers (@testable), which
// only a debug build allows; `swift build -c release` compiles this target empty, and the
// tests that use it build in debug (`swift test`, `make test`).
#if DEBUG
import Foundation
@testable import UringBench
@testable import UringCore

/// Synthetic results for tests of the summary, table, file and gate: figures are inputs here,
/// never measurements, so the tests assert arithmetic and behaviour, not speed.
public enum CompareFixtures {
    public static let machine = MachineInfo(hostname: "test", kernel: "6.1.0", cpuModel: "Test CPU", cores: 2, filesystem: "ext4", device: "vda")

    /// A run of `key` that did `ios` IOs in one second with every completion at `clatNs`.
    public static func run(_ key: CaseKey, ios: UInt64, clatNs: UInt64, cpuSeconds: Double = 0.5, threadSeconds: Double? = nil, round: Int = 1) -> RunResult {
        var job = JobSpec()
        job.engine = key.engine
        job.iodepth = key.iodepth
        job.blockSize = key.blockSize
        job.numjobs = key.numjobs
        job.name = "\(key.slug)-r\(round)"
        var clat = LatencyHistogram()
        for i in 0..<ios { clat.record(clatNs + i % 7) }
        var cpu = CPUUsage()
        cpu.processSystemSeconds = cpuSeconds
        cpu.threadSystemSeconds = threadSeconds ?? cpuSeconds
        return RunResult(job: job, setup: EngineSetup(engine: key.engine, description: "test"), machine: machine,
                         startedAt: 1_800_000_000, runtimeNanoseconds: 1_000_000_000, totalIOs: ios,
                         bytes: ios * UInt64(key.blockSize), slat: nil, clat: clat, lat: clat,
                         iopsSamples: [Double(ios)], bandwidthSamples: [Double(ios * UInt64(key.blockSize)) / 1024],
                         cpu: cpu, distributions: DepthDistributions(), disk: nil,
                         verify: VerifySummary(enabled: false, checkedIOs: 0, checkedBytes: 0),
                         sqThreadWakeups: nil, interrupted: false, uringbenchVersion: UringBenchVersion.current)
    }

    public static func plan(_ engines: [EngineKind], depths: [Int] = [32], rounds: Int = 3) -> ComparisonPlan {
        ComparisonPlan(base: JobSpec(), engines: engines, iodepths: depths, blockSizes: [4096], rounds: rounds)
    }

    /// Results with `rounds` runs per case; `iops[case]` per round.
    public static func results(_ perCase: [(CaseKey, [UInt64], UInt64)], machine: MachineInfo = machine) -> ComparisonResults {
        var runs: [RunResult] = [], rounds: [Int] = []
        let n = perCase.map(\.1.count).max() ?? 0
        for round in 0..<n {
            for (key, iops, clat) in perCase where round < iops.count {
                var r = run(key, ios: iops[round], clatNs: clat, round: round + 1)
                r.machine = machine
                runs.append(r)
                rounds.append(round + 1)
            }
        }
        let engines = perCase.map(\.0.engine)
        let plan = ComparisonPlan(base: JobSpec(), engines: engines, iodepths: Array(Set(perCase.map(\.0.iodepth))).sorted(),
                                  blockSizes: [4096], rounds: n)
        return ComparisonResults(runs: runs, runRounds: rounds, plan: plan, command: "uringbench compare (test)", machine: machine)
    }
}
#endif
