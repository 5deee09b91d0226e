// The fixtures build the library's values through internal initialisers (@testable), which
// only a debug build allows; `swift build -c release` compiles this target empty, and the
// tests that use it build in debug (`swift test`, `make test`).
#if DEBUG
import Foundation
@testable import UringBench
@testable import UringCore

/// Run results from known histograms, for the report tests: every figure is an input.
public enum ReportFixtures {
    public static func histogram(_ values: [UInt64]) -> LatencyHistogram {
        var h = LatencyHistogram()
        for v in values { h.record(v) }
        return h
    }

    public static func result(clat: [UInt64], engine: EngineKind = .io_uring, ios: UInt64 = 174_689, runtimeMs: UInt64 = 2001) -> RunResult {
        var job = JobSpec()
        job.name = "t"
        job.engine = engine
        job.iodepth = 32
        let c = histogram(clat)
        var dist = DepthDistributions()
        dist.depth[5] = ios
        dist.submit[1] = ios
        dist.complete[1] = ios / 4
        return RunResult(
            job: job, setup: EngineSetup(engine: engine, description: "test"),
            machine: MachineInfo(hostname: "h", kernel: "6.x", cpuModel: "cpu", cores: 2, filesystem: "ext4", device: "vda"),
            startedAt: 1_795_750_073, runtimeNanoseconds: runtimeMs * 1_000_000, totalIOs: ios, bytes: ios * 4096,
            slat: engine.isSynchronous ? nil : histogram([3315, 3800, 985_070]), clat: c, lat: c,
            iopsSamples: [87398, 88868, 87836], bandwidthSamples: [349_592, 355_472, 351_344],
            cpu: CPUUsage(processUserSeconds: 0.1, processSystemSeconds: 0.8, threadUserSeconds: 0.1, threadSystemSeconds: 0.8,
                          contextSwitches: 5468, majorFaults: 0, minorFaults: 43),
            distributions: dist, disk: nil, verify: VerifySummary(enabled: false, checkedIOs: 0, checkedBytes: 0),
            sqThreadWakeups: nil, interrupted: false, uringbenchVersion: "test")
    }
}
#endif
