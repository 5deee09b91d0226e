import Foundation
import UringCore

/// min/max/mean/stddev/N of one latency, the numbers fio prints on its slat/clat/lat lines.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var min: UInt64
    public var max: UInt64
    public var mean: Double
    var stddev: Double
    public var count: UInt64

    public init(_ h: LatencyHistogram) {
        min = h.observedMin; max = h.max; mean = h.mean; stddev = h.standardDeviation; count = h.count
    }
}

/// CPU time over the measured interval: the whole process (which includes the SQPOLL kernel
/// thread on current kernels, an io-thread of this process) and the submitting thread alone
/// (what fio 3.x reports).
public struct CPUUsage: Codable, Sendable, Equatable {
    var processUserSeconds: Double = 0
    var processSystemSeconds: Double = 0
    var threadUserSeconds: Double = 0
    var threadSystemSeconds: Double = 0
    var contextSwitches: UInt64 = 0
    var majorFaults: UInt64 = 0
    var minorFaults: UInt64 = 0

    var processSeconds: Double { processUserSeconds + processSystemSeconds }
    var threadSeconds: Double { threadUserSeconds + threadSystemSeconds }
}

public struct DiskUtilization: Codable, Sendable, Equatable {
    var device: String
    var counters: DiskCounters
    /// Share of the interval with at least one IO in flight (io_ticks), 0–100.
    var utilPercent: Double
}

/// Depth, submit and complete distributions, bucketed like fio's `IO depths` lines.
public struct DepthDistributions: Codable, Sendable, Equatable {
    /// IOs by depth in flight when they were submitted: 1, 2-3, 4-7, 8-15, 16-31, 32-63, >=64.
    public var depth = [UInt64](repeating: 0, count: 7)
    /// Commit calls by IOs submitted: 0, 1-4, 5-8, 9-16, 17-32, 33-64, >64.
    public var submit = [UInt64](repeating: 0, count: 7)
    /// Reap calls by completions returned, same buckets as `submit`.
    public var complete = [UInt64](repeating: 0, count: 7)

    static let depthLabels = ["1", "2", "4", "8", "16", "32", ">=64"]
    static let batchLabels = ["0", "4", "8", "16", "32", "64", ">=64"]

    @inline(__always)
    static func depthBucket(_ d: Int) -> Int {
        // fio's io_u_mark_depth: 1, 2-3, 4-7, 8-15, 16-31, 32-63, >=64.
        d >= 64 ? 6 : d >= 32 ? 5 : d >= 16 ? 4 : d >= 8 ? 3 : d >= 4 ? 2 : d >= 2 ? 1 : 0
    }

    @inline(__always)
    static func batchBucket(_ n: Int) -> Int {
        n == 0 ? 0 : n <= 4 ? 1 : n <= 8 ? 2 : n <= 16 ? 3 : n <= 32 ? 4 : n <= 64 ? 5 : 6
    }
}

public struct VerifySummary: Codable, Sendable, Equatable {
    var enabled: Bool
    /// Reads checked during the run.
    var checkedIOs: UInt64
    var checkedBytes: UInt64
    /// Blocks written and read back after the run (fio's do_verify); nil when nothing was.
    var readBackBlocks: UInt64? = nil
    /// Nil with `readBackComplete` false: Ctrl-C stopped the run before the read-back began.
    var readBackNanoseconds: UInt64? = nil
    /// False when Ctrl-C stopped the read-back, or the run before it.
    var readBackComplete: Bool? = nil
    /// The blocks the run wrote, when the read-back did not check them all (Ctrl-C); nil when
    /// it did.
    var writtenBlocks: UInt64? = nil
    /// The generation of the run's first write (its writes are numbered on from there).
    var firstGeneration: UInt64? = nil
}

/// Everything one run measured. Histograms are kept whole so that reports, comparisons and
/// plots can derive any percentile later without re-running.
public struct RunResult: Codable, Sendable {
    public var job: JobSpec
    public var setup: EngineSetup
    public var machine: MachineInfo
    /// Wall-clock start (seconds since the epoch), for fio's `timestamp` and `time`.
    public var startedAt: Double
    public var runtimeNanoseconds: UInt64
    /// The fields from here to `bandwidthSamples` cover reads and writes together (a job that
    /// does one direction: that direction). A mixed job also keeps each apart, in `mixed`.
    var totalIOs: UInt64
    public var bytes: UInt64
    var slat: LatencyHistogram?           // nil for synchronous engines: no submit step
    public var clat: LatencyHistogram
    public var lat: LatencyHistogram
    /// IOPS and KiB/s of each 500 ms interval (fio's iops_avg_time/bw_avg_time default).
    var iopsSamples: [Double]
    var bandwidthSamples: [Double]
    /// A mixed job's reads and writes apart; nil for a job that does one direction.
    public var mixed: MixedDirections? = nil
    /// Latency of each fsync/fdatasync (fio's `sync` figures); nil when the job issued none.
    var syncLatency: LatencyHistogram? = nil
    /// How long end_fsync took, after the measured run.
    var endFsyncNanoseconds: UInt64? = nil
    public var cpu: CPUUsage
    var distributions: DepthDistributions
    public var disk: DiskUtilization?
    public var verify: VerifySummary
    var sqThreadWakeups: UInt64?
    /// gtod_reduce only: how many times the loop's IO steps read the clock (fio's gtod_reduce
    /// reads it once every 64 IOs); nil for a job that times every IO.
    public var clockReads: UInt64? = nil
    /// The SQPOLL threads' CPU over the measured interval, read apart (nil for other engines,
    /// or when the SQ thread could not be read; a note then says so).
    var sqThreads: SQThreadUsage? = nil
    /// Set when Ctrl-C (or SIGTERM) ended the run before --runtime.
    public var interrupted: Bool
    /// What ended the measured run (nil in results written before size-bound jobs existed).
    public var ending: JobEnding? = nil
    /// What the run wrote over that uringbench did not lay out (--allow-overwrite), in words.
    public var overwritten: String? = nil
    var uringbenchVersion: String
    /// The job's thread (fio prints it as a thread job's pid); nil for a job run on its own.
    var threadID: Int32? = nil
    /// The CPUs the job's thread was allowed on, read back from the kernel once pinned
    /// (cpus_allowed); nil when the job was not pinned.
    public var cpus: CPUList? = nil
    /// Set when this result merges the jobs of a numjobs group (group_reporting).
    public var group: GroupFigures? = nil
    /// Faults, disk bytes against bytes asked, reclaim and TLB shootdowns over the measured
    /// window; nil when nothing was measured (and in results written before they existed).
    public var memory: MemoryFigures? = nil
    /// Whether the data file's descriptor had O_DIRECT, read back from the kernel (fcntl
    /// F_GETFL) once the run ended; nil in results written before it was read.
    var openedDirect: Bool? = nil
    /// IOPS of each second (`compare` records it for every run); nil for runs without it.
    var iopsTimeSeries: IOPSTimeSeries? = nil
    /// IOPS in the first and last third of the run and their ratio, derived from the time
    /// series (or the 500 ms samples) when a report is written; a file's value is not read back.
    var iopsThirds: IOPSThirds? = nil

    /// Stopped (Ctrl-C) before the ramp ended, or a size-bound job done within its ramp: no IO
    /// was measured, and no figure is reported.
    public var measuredNothing: Bool { (interrupted || ending == .ioLimit) && runtimeNanoseconds == 0 && totalIOs == 0 }

    /// One direction's figures, as fio's read or write block shows them; nil when the job did
    /// not issue that direction.
    public func figures(_ direction: IODirection) -> DirectionResult? {
        if let mixed { return direction == .read ? mixed.read : direction == .write ? mixed.write : nil }
        guard direction == .read && job.rw.reads || direction == .write && job.rw.writes else { return nil }
        return total
    }

    /// Reads and writes together, the shape of one direction's figures.
    public var total: DirectionResult {
        DirectionResult(ios: totalIOs, bytes: bytes, slat: slat, clat: clat, lat: lat,
                        iopsSamples: iopsSamples, bandwidthSamples: bandwidthSamples)
    }

    var runtimeSeconds: Double { Double(runtimeNanoseconds) / 1e9 }
    public var iops: Double { runtimeNanoseconds == 0 ? 0 : Double(totalIOs) / runtimeSeconds }
    /// IOPS as fio's reports print them: IOs over the runtime in whole milliseconds.
    var reportedIOPS: Double {
        let milliseconds = (Double(runtimeNanoseconds) / 1e6).rounded()
        return milliseconds == 0 ? 0 : Double(totalIOs) * 1000 / milliseconds
    }
    public var bytesPerSecond: Double { runtimeNanoseconds == 0 ? 0 : Double(bytes) / runtimeSeconds }
    /// CPU microseconds per IO, the whole process.
    var cpuMicrosecondsPerIO: Double {
        totalIOs == 0 ? 0 : cpu.processSeconds * 1e6 / Double(totalIOs)
    }
}

public enum UringBenchVersion {
    public static let current = BuildInfo.version
}
