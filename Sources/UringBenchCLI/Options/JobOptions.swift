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

extension ArgumentHelp {
    /// The help a row of the options table (JobOption) gives.
    init(_ row: JobOption) { self.init(row.help, valueName: row.valueName) }
}

extension JobOption {
    /// The table's limit as the command line's refusal.
    func check(_ value: Int) throws {
        if let problem = problem(value) { throw ValidationError(problem) }
    }
}

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
    @Option(help: ArgumentHelp(JobOption.filename))
    var filename: String = "uringbench.dat"

    @Option(help: ArgumentHelp(JobOption.size))
    var size = FileSizeArgument(bytes: 1 << 30)

    @Option(help: ArgumentHelp(JobOption.direct))
    var direct = DirectArgument(true)

    @Option(help: ArgumentHelp(JobOption.invalidate))
    var invalidate = FioBool(true)

    @Option(help: ArgumentHelp(JobOption.randseed))
    var randseed: UInt64 = 0x5EED_0F10

    @Flag(help: ArgumentHelp(JobOption.norandommap))
    var norandommap = false

    @Option(name: .customLong("random-generator"), help: ArgumentHelp(JobOption.randomGenerator))
    var randomGenerator: RandomGenerator = .tausworthe

    @Option(name: .customLong("random-distribution"), help: ArgumentHelp(JobOption.randomDistribution))
    var randomDistribution = "random"

    @Option(name: .customLong("fadvise-hint"), help: ArgumentHelp(JobOption.fadviseHint))
    var fadviseHint: FadviseHint = .byPattern

    @Flag(name: .customLong("allow-tmpfs"), help: ArgumentHelp(JobOption.allowTmpfs))
    var allowTmpfs = false

    @Flag(name: .customLong("allow-overwrite"), help: ArgumentHelp(JobOption.allowOverwrite))
    var allowOverwrite = false

    func validate() throws {
        do { _ = try RandomDistribution(fioSpelling: randomDistribution) } catch {
            throw ValidationError("--random-distribution " + error.description.replacingOccurrences(of: "random_distribution=", with: ""))
        }
    }

    func apply(to job: inout JobSpec) {
        job.filename = filename
        job.size = size.bytes
        JobOption.direct.set(direct.value, on: &job)
        JobOption.invalidate.set(invalidate.value, on: &job)
        job.randSeed = randseed
        job.randomMap = !norandommap
        job.randomGenerator = randomGenerator
        // Checked in validate(); a bad spelling never gets here.
        job.randomDistribution = (try? RandomDistribution(fioSpelling: randomDistribution)) ?? .random
        job.fadviseHint = fadviseHint
        JobOption.allowTmpfs.set(allowTmpfs, on: &job)
        JobOption.allowOverwrite.set(allowOverwrite, on: &job)
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

    @Option(name: .customLong("iodepth-batch-submit"), help: ArgumentHelp(JobOption.iodepthBatchSubmit))
    var iodepthBatchSubmit: Int = 1

    @Option(name: .customLong("iodepth-batch-complete-min"), help: ArgumentHelp(JobOption.iodepthBatchCompleteMin))
    var iodepthBatchCompleteMin: Int = 1

    @Option(name: .customLong("iodepth-batch-complete-max"), help: ArgumentHelp(JobOption.iodepthBatchCompleteMax))
    var iodepthBatchCompleteMax: Int?

    @Option(name: .customLong("rate-iops"), help: ArgumentHelp(JobOption.rateIOPS))
    var rateIOPS: UInt64 = 0

    func validate() throws {
        if let cpu = sqpollCPU { try OptionRange.cpu(cpu, "--sqpoll-cpu") }
        if let problem = JobSpec.rateIOPSProblem(rateIOPS) { throw ValidationError(problem) }
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

    @Option(help: ArgumentHelp(JobOption.bs))
    var bs = SizeArgument(bytes: 4096)

    @Option(help: ArgumentHelp(JobOption.iodepth))
    var iodepth: Int = 1

    @Option(help: ArgumentHelp(JobOption.runtime))
    var runtime: DurationArgument?

    @Flag(name: .customLong("time-based"), help: ArgumentHelp(JobOption.timeBased))
    var timeBased = false

    @Option(name: .customLong("io-size"), help: ArgumentHelp(JobOption.ioSize))
    var ioSize: SizeArgument?

    @Option(name: .customLong("number-ios"), help: ArgumentHelp(JobOption.numberIOs))
    var numberIOs: Int?

    @Option(help: ArgumentHelp(JobOption.loops))
    var loops: Int?

    @Option(name: .customLong("ramp-time"), help: ArgumentHelp(JobOption.rampTime))
    var rampTime = DurationArgument(nanoseconds: 0)

    @Flag(help: ArgumentHelp(JobOption.verify))
    var verify = false

    @Option(help: ArgumentHelp(JobOption.rwmixread))
    var rwmixread: Int?

    @Option(help: ArgumentHelp(JobOption.fsync))
    var fsync: Int = 0

    @Option(help: ArgumentHelp(JobOption.fdatasync))
    var fdatasync: Int = 0

    @Flag(name: .customLong("end-fsync"), help: ArgumentHelp(JobOption.endFsync))
    var endFsync = false

    @Flag(help: ArgumentHelp(JobOption.sync))
    var sync = false

    @Option(help: ArgumentHelp(JobOption.numjobs))
    var numjobs: Int = 1

    @Flag(name: .customLong("group-reporting"), help: ArgumentHelp(JobOption.groupReporting))
    var groupReporting = false

    @Flag(name: .customLong("gtod-reduce"), help: ArgumentHelp(JobOption.gtodReduce))
    var gtodReduce = false

    @Option(name: .customLong("cpus-allowed"), help: ArgumentHelp(JobOption.cpusAllowed))
    var cpusAllowed: FioCPUListArgument?

    @Option(name: .customLong("cpus-allowed-policy"), help: ArgumentHelp(JobOption.cpusAllowedPolicy))
    var cpusAllowedPolicy: CPUsAllowedPolicy = .shared

    @OptionGroup var tuning: EngineTuningOptions

    @OptionGroup var pacing: RegionPacingOptions

    @OptionGroup var logs: FioLogArguments

    @Option(help: ArgumentHelp(JobOption.name))
    var name: String?

    func validate() throws {
        if file.direct.isList { throw ValidationError("--direct takes one value here, 0 or 1; a list (--direct 0,1) is for uringbench compare") }
        try JobOption.iodepth.check(iodepth)
        try JobOption.numjobs.check(numjobs)
        try JobOption.fsync.check(fsync)
        try JobOption.fdatasync.check(fdatasync)
        if let rwmixread { try JobOption.rwmixread.check(rwmixread) }
        if let problem = JobOption.bs.problem(bytes: bs.bytes) { throw ValidationError(problem) }
        if timeBased, let given = [ioSize.map { _ in "--io-size" }, numberIOs.map { _ in "--number-ios" }, loops.map { _ in "--loops" }].compactMap({ $0 }).first {
            throw ValidationError("\(given) ends a size-bound run, and --time-based runs for --runtime (fio ignores \(given) then); drop one of them")
        }
        if let numberIOs { try OptionRange.check(numberIOs, 1...Int.max, "--number-ios", example: 1000) }
        if let loops { try OptionRange.check(loops, 1...JobSpec.maxLoops, "--loops", example: 3) }
        if let ioSize, ioSize.bytes == 0 { throw ValidationError("--io-size must be at least 1 byte; use e.g. --io-size 1G") }
        if gtodReduce, let problem = logs.options.gtodReduceProblem(FioLogArguments.flagName) {
            throw ValidationError(problem)
        }
        if !sizeBound, runtime?.nanoseconds == 0 { throw ValidationError("--runtime must be positive; use e.g. --runtime 10s (0 is no cap only for a run with --io-size, --number-ios or --loops)") }
    }

    /// --io-size, --number-ios or --loops make the run end after its IOs (fio's job without
    /// time_based); --runtime is then a cap.
    var sizeBound: Bool { !timeBased && (ioSize != nil || numberIOs != nil || loops != nil) }

    func applyEnd(to job: inout JobSpec) {
        job.timeBased = !sizeBound
        job.runtimeNanoseconds = runtime?.nanoseconds ?? (sizeBound ? 0 : 10_000_000_000)
        job.ioSize = ioSize?.bytes
        job.numberIOs = UInt64(numberIOs ?? 0)
        job.loops = loops ?? 1
    }

    func jobSpec(engine: EngineKind, rw: RWMode) -> JobSpec {
        var job = JobSpec()
        job.name = name ?? rw.rawValue
        job.engine = engine
        job.rw = rw
        if let rwmixread { JobOption.rwmixread.set(rwmixread, on: &job) }
        JobOption.fsync.set(fsync, on: &job)
        JobOption.fdatasync.set(fdatasync, on: &job)
        JobOption.endFsync.set(endFsync, on: &job)
        job.openSync = sync ? .sync : .none
        file.apply(to: &job)
        tuning.apply(to: &job)
        pacing.apply(to: &job)
        JobOption.bs.set(bytes: bs.bytes, on: &job)
        JobOption.iodepth.set(iodepth, on: &job)
        applyEnd(to: &job)
        JobOption.rampTime.set(nanoseconds: rampTime.nanoseconds, on: &job)
        JobOption.verify.set(verify, on: &job)
        JobOption.numjobs.set(numjobs, on: &job)
        JobOption.groupReporting.set(groupReporting, on: &job)
        JobOption.gtodReduce.set(gtodReduce, on: &job)
        job.cpusAllowed = cpusAllowed?.list
        job.cpusAllowedPolicy = cpusAllowedPolicy
        return job
    }
}
