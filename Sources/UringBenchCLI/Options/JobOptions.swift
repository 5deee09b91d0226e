import ArgumentParser
import UringBench

extension EngineKind: ExpressibleByArgument {}
extension RandomGenerator: ExpressibleByArgument {}
extension FadviseHint: ExpressibleByArgument {}
extension MmapAdvice: ExpressibleByArgument {}

/// A byte count with fio's suffixes (4k, 1G).
struct SizeArgument: ExpressibleByArgument {
    let bytes: UInt64
    init(bytes: UInt64) { self.bytes = bytes }
    init?(argument: String) {
        guard let v = Units.parseSize(argument) else { return nil }
        bytes = v
    }
    var defaultValueDescription: String { formatFlag(bytes) }
}

/// --size: a byte count with fio's suffixes, or a multiple of the memory the page cache may
/// use here (`1.5xmem`: MemTotal, or the cgroup's limit when lower).
struct FileSizeArgument: ExpressibleByArgument {
    let bytes: UInt64
    init(bytes: UInt64) { self.bytes = bytes }
    init?(argument: String) {
        if let v = Units.parseSize(argument) {
            bytes = v
        } else if argument.hasSuffix("xmem"), let v = PageCacheMemory.current()?.size(forMultiple: argument) {
            bytes = v
        } else {
            return nil
        }
    }
    var defaultValueDescription: String { SizeArgument(bytes: bytes).defaultValueDescription }
}

/// A duration with fio's suffixes (10s, 500ms); a bare number is seconds.
struct DurationArgument: ExpressibleByArgument {
    let nanoseconds: UInt64
    init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }
    init?(argument: String) {
        guard let v = Units.parseDuration(argument) else { return nil }
        nanoseconds = v
    }
    var defaultValueDescription: String { "\(nanoseconds / 1_000_000_000)s" }
}

/// A CPU list as fio writes it (0-3,6), ranges allowed.
struct FioCPUListArgument: ExpressibleByArgument {
    let list: CPUList
    init?(argument: String) {
        guard let l = CPUList(argument) else { return nil }
        list = l
    }
}

extension CPUsAllowedPolicy: ExpressibleByArgument {}

/// fio's 0/1 booleans (`--direct 1`), also accepting true/false.
struct FioBool: ExpressibleByArgument {
    let value: Bool
    init(_ value: Bool) { self.value = value }
    init?(argument: String) {
        switch argument.lowercased() {
        case "1", "true", "yes", "on": value = true
        case "0", "false", "no", "off": value = false
        default: return nil
        }
    }
    var defaultValueDescription: String { value ? "1" : "0" }
}

private func formatFlag(_ v: UInt64) -> String {
    for (shift, suffix) in [(30, "G"), (20, "M"), (10, "k")] where v >= (1 << shift) && v % (1 << shift) == 0 {
        return "\(v >> UInt64(shift))\(suffix)"
    }
    return "\(v)"
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case normal, json
}

/// The disk jobs' formats: fio's three (`--output-format=json+` adds the histograms' bins).
enum FioOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case normal, json
    case jsonPlus = "json+"
}

/// The data file and how it is read: shared by every disk subcommand, named as fio names them.
struct FileOptions: ParsableArguments {
    @Option(help: "Data file: laid out with a verifiable pattern if missing, used read-only if present.")
    var filename: String = "uringbench.dat"

    @Option(help: ArgumentHelp("Bytes of the file to read (fio suffixes: 512M, 1G), or a multiple of the memory the page cache may use here (1.5xmem: MemTotal, or the cgroup's memory limit when lower).", valueName: "size|Nxmem"))
    var size = FileSizeArgument(bytes: 1 << 30)

    @Option(help: ArgumentHelp("1: O_DIRECT, bypassing the page cache; 0: buffered.", valueName: "0|1"))
    var direct = DirectArgument(true)

    @Option(help: ArgumentHelp("1: drop the file's cached pages before running; 0: keep them (page-cache tests).", valueName: "0|1"))
    var invalidate = FioBool(true)

    @Option(help: "Seed of the random offsets: same seed, same offsets, on every engine.")
    var randseed: UInt64 = 0x5EED_0F10

    @Flag(help: "Random modes: draw offsets with replacement (fio's norandommap) instead of using every block once per pass.")
    var norandommap = false

    @Option(name: .customLong("random-generator"), help: ArgumentHelp("Random offsets: tausworthe (fio's default; with the random map), tausworthe64, or lfsr (every block once per pass, no map).", valueName: "name"))
    var randomGenerator: RandomGenerator = .tausworthe

    @Option(name: .customLong("random-distribution"), help: ArgumentHelp("Random offsets: random (uniform), zipf:θ, pareto:h or normal:σ, each with an optional :center from 0 to 1 (fio's spelling; skewed ones keep no random map).", valueName: "dist"))
    var randomDistribution = "random"

    @Option(name: .customLong("fadvise-hint"), help: ArgumentHelp("Readahead advice at open: 1 (fio's default: random for random modes, sequential for sequential ones), 0 (none), random, sequential, normal.", valueName: "hint"))
    var fadviseHint: FadviseHint = .byPattern

    @Flag(name: .customLong("allow-tmpfs"), help: "Allow O_DIRECT on a file or device in memory: tmpfs, ramfs, zram, a RAM disk, a loop device over one (it measures memory, not a disk).")
    var allowTmpfs = false

    @Flag(name: .customLong("allow-overwrite"), help: "Let a write job write a file uringbench did not lay out, or a block device (never one that is mounted, swap or held); the report says it was overwritten.")
    var allowOverwrite = false

    func validate() throws {
        do { _ = try RandomDistribution(fioSpelling: randomDistribution) } catch {
            throw ValidationError("--random-distribution " + error.description.replacingOccurrences(of: "random_distribution=", with: ""))
        }
    }

    func apply(to job: inout JobSpec) {
        job.filename = filename
        job.size = size.bytes
        job.direct = direct.value
        job.invalidate = invalidate.value
        job.randSeed = randseed
        job.randomMap = !norandommap
        job.randomGenerator = randomGenerator
        // Checked in validate(); a bad spelling never gets here.
        job.randomDistribution = (try? RandomDistribution(fioSpelling: randomDistribution)) ?? .random
        job.fadviseHint = fadviseHint
        job.allowTmpfs = allowTmpfs
        job.allowOverwrite = allowOverwrite
    }
}

/// Engine setup and submission policy: shared by every disk subcommand.
struct EngineTuningOptions: ParsableArguments {
    // Engine options: declared by their engines, which also say what they mean; a value is
    // set only when given, and an engine that does not declare it refuses it by name.
    @Flag(name: .customLong(IORingEngine.fixedBuffersOption.name), help: ArgumentHelp(IORingEngine.fixedBuffersOption.help))
    var fixedbufs = false

    @Flag(name: .customLong(IORingEngine.registerFilesOption.name), help: ArgumentHelp(IORingEngine.registerFilesOption.help))
    var registerfiles = false

    @Option(name: .customLong(IORingEngine.sqThreadIdleOption.name), help: ArgumentHelp(IORingEngine.sqThreadIdleOption.help, valueName: "ms"))
    var sqthreadIdle: Int?

    @Option(name: .customLong(IORingEngine.sqPollCPUOption.name), help: ArgumentHelp(IORingEngine.sqPollCPUOption.help))
    var sqpollCPU: Int?

    @Flag(name: .customLong(IORingEngine.sqPollSpinOption.name), help: ArgumentHelp(IORingEngine.sqPollSpinOption.help))
    var sqpollSpin = false

    @Flag(name: .customLong(IORingEngine.sqPollSharedOption.name), help: ArgumentHelp(IORingEngine.sqPollSharedOption.help))
    var sqpollShared = false

    @Flag(name: .customLong(ReadWriteFlags.hipriOption.name), help: ArgumentHelp(ReadWriteFlags.hipriOption.help))
    var hipri = false

    @Flag(name: .customLong(ReadWriteFlags.nowaitOption.name), help: ArgumentHelp(ReadWriteFlags.nowaitOption.help))
    var nowait = false

    @Flag(name: .customLong(ReadWriteFlags.uncachedOption.name), help: ArgumentHelp(ReadWriteFlags.uncachedOption.help))
    var uncached = false

    @Option(name: .customLong(MmapEngine.madviseOption.name), help: ArgumentHelp(MmapEngine.madviseOption.help, valueName: "advice"))
    var madvise: MmapAdvice?

    @Option(name: .customLong("iodepth-batch-submit"), help: "Submit once this many IOs are queued (fio's default: 1).")
    var iodepthBatchSubmit: Int = 1

    @Option(name: .customLong("iodepth-batch-complete-min"), help: "Reap at least this many completions when the queue is full (fio's default: 1).")
    var iodepthBatchCompleteMin: Int = 1

    @Option(name: .customLong("iodepth-batch-complete-max"), help: "Reap at most this many completions per call (fio's default: the complete-min value, so 1).")
    var iodepthBatchCompleteMax: Int?

    @Option(name: .customLong("rate-iops"), help: "Cap on reads and on writes per second, each, as fio's rate_iops (0: none), for throttled reference runs.")
    var rateIOPS: UInt64 = 0

    func validate() throws {
        if let cpu = sqpollCPU { try OptionRange.cpu(cpu, "--sqpoll-cpu") }
        if rateIOPS > JobSpec.maxRateIOPS {
            throw ValidationError("--rate-iops must be at most \(JobSpec.maxRateIOPS), one IO per nanosecond (got \(rateIOPS)); use 0 for no cap")
        }
    }

    func apply(to job: inout JobSpec) {
        if fixedbufs { job.engineOptions[IORingEngine.fixedBuffersOption] = 1 }
        if registerfiles { job.engineOptions[IORingEngine.registerFilesOption] = 1 }
        job.engineOptions[IORingEngine.sqThreadIdleOption] = sqthreadIdle
        job.engineOptions[IORingEngine.sqPollCPUOption] = sqpollCPU
        if sqpollSpin { job.engineOptions[IORingEngine.sqPollSpinOption] = 1 }
        if sqpollShared { job.engineOptions[IORingEngine.sqPollSharedOption] = 1 }
        if hipri { job.engineOptions[ReadWriteFlags.hipriOption] = 1 }
        if nowait { job.engineOptions[ReadWriteFlags.nowaitOption] = 1 }
        if uncached { job.engineOptions[ReadWriteFlags.uncachedOption] = 1 }
        job.engineOptions[MmapEngine.madviseOption] = madvise?.code
        job.batchSubmit = iodepthBatchSubmit
        job.batchCompleteMin = iodepthBatchCompleteMin
        job.batchCompleteMax = iodepthBatchCompleteMax
        job.rateIOPS = rateIOPS
    }
}

/// The options of one job (`randread`, `randwrite`, …): the shared groups plus a single depth,
/// size and time, and the write options.
struct JobOptions: ParsableArguments {
    @OptionGroup var file: FileOptions

    @Option(help: ArgumentHelp("Block size of each read; a multiple of the device's logical block size with O_DIRECT.", valueName: "size"))
    var bs = SizeArgument(bytes: 4096)

    @Option(help: "IOs kept in flight (sync engines run at depth 1).")
    var iodepth: Int = 1

    @Option(help: ArgumentHelp("Measured time (10s, 500ms, 2m; a bare number is seconds).", valueName: "time"))
    var runtime = DurationArgument(nanoseconds: 10_000_000_000)

    @Option(name: .customLong("ramp-time"), help: ArgumentHelp("Time run before measuring starts.", valueName: "time"))
    var rampTime = DurationArgument(nanoseconds: 0)

    @Flag(help: "Check every read's bytes against the file's pattern (time kept out of latencies).")
    var verify = false

    @Option(help: ArgumentHelp("randrw, rw: percent of IOs that are reads (default 50).", valueName: "pct"))
    var rwmixread: Int?

    @Option(help: ArgumentHelp("fsync after every N writes (fio's fsync=N).", valueName: "N"))
    var fsync: Int = 0

    @Option(help: ArgumentHelp("fdatasync after every N writes (fio's fdatasync=N).", valueName: "N"))
    var fdatasync: Int = 0

    @Flag(name: .customLong("end-fsync"), help: "fsync once after the run, outside every figure (fio's end_fsync).")
    var endFsync = false

    @Flag(help: "Open the file O_SYNC: each write returns once on stable storage (fio's sync=1).")
    var sync = false

    @Option(help: ArgumentHelp("Run N copies of the job at once, each a thread with its own engine, buffers and offset stream (fio's numjobs in its --thread mode; fio forks processes by default).", valueName: "N"))
    var numjobs: Int = 1

    @Flag(name: .customLong("group-reporting"), help: "Report the numjobs jobs as one, latency histograms merged (fio's group_reporting).")
    var groupReporting = false

    @Option(name: .customLong("cpus-allowed"), help: ArgumentHelp("Run the job threads only on these CPUs, e.g. 0-3,6 (fio's cpus_allowed).", valueName: "list"))
    var cpusAllowed: FioCPUListArgument?

    @Option(name: .customLong("cpus-allowed-policy"), help: "shared: every job on every listed CPU; split: one listed CPU per job, in turn (fio's cpus_allowed_policy).")
    var cpusAllowedPolicy: CPUsAllowedPolicy = .shared

    @OptionGroup var tuning: EngineTuningOptions

    @OptionGroup var logs: FioLogArguments

    @Option(help: "Job name shown in the report.")
    var name: String?

    func validate() throws {
        if file.direct.isList { throw ValidationError("--direct takes one value here, 0 or 1; a list (--direct 0,1) is for uringbench compare") }
        if iodepth < 1 { throw ValidationError("--iodepth must be at least 1 (got \(iodepth)); use --iodepth 1 for one IO at a time") }
        try OptionRange.check(iodepth, 1...JobSpec.maxIODepth, "--iodepth", example: 32)
        try OptionRange.check(numjobs, 1...JobSpec.maxNumjobs, "--numjobs", example: 4)
        if bs.bytes == 0 || bs.bytes > 64 << 20 { throw ValidationError("--bs must be between 1 byte and 64M (got \(bs.bytes)); use e.g. --bs 4k") }
        if runtime.nanoseconds == 0 { throw ValidationError("--runtime must be positive; use e.g. --runtime 10s") }
    }

    func jobSpec(engine: EngineKind, rw: RWMode) -> JobSpec {
        var job = JobSpec()
        job.name = name ?? rw.rawValue
        job.engine = engine
        job.rw = rw
        job.rwMixRead = rwmixread ?? 50
        job.fsyncEvery = fsync
        job.fdatasyncEvery = fdatasync
        job.endFsync = endFsync
        job.openSync = sync ? .sync : .none
        file.apply(to: &job)
        tuning.apply(to: &job)
        job.blockSize = Int(bs.bytes)
        job.iodepth = iodepth
        job.runtimeNanoseconds = runtime.nanoseconds
        job.rampNanoseconds = rampTime.nanoseconds
        job.verify = verify
        job.numjobs = numjobs
        job.groupReporting = groupReporting
        job.cpusAllowed = cpusAllowed?.list
        job.cpusAllowedPolicy = cpusAllowedPolicy
        return job
    }
}
