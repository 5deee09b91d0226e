/// One job's options as they accumulate, global first, then its own section.
struct JobState {
    var spec = JobSpec()
    var description: String?
    var ioengine: String?
    var timeBased = false
    /// A runtime= line was seen (runtime=0 included: fio reads it as "no time limit").
    var hasRuntime = false
    var hasSize = false
    var hasFilename = false
    /// fio options that pick one engine among those sharing an ioengine (sqthread_poll=1).
    var selections: [String: String] = [:]
    var stonewall = false
    var batchSubmitSet = false
    /// fio's kb_base: what k, M, G (and, inverted, KiB, MiB, GiB) multiply by in this job.
    var kbBase = 1024

    init(name: String) {
        spec.name = name
        spec.engine = .psync        // fio's default ioengine
        spec.direct = false         // fio's default: buffered
        spec.rw = .read             // fio's default: sequential reads
    }

    /// A section's entries in the order fio applies them: fio sorts a section's options by
    /// priority (options.c `.prio`), so `kb_base` acts on every size of its section wherever it
    /// stands, and `filename` comes after everything else.
    static func inFioOrder(_ entries: [JobFileSyntax.Entry]) -> [JobFileSyntax.Entry] {
        func priority(_ e: JobFileSyntax.Entry) -> Int {
            switch JobFile.aliases[e.key] ?? e.key {
            case "kb_base": return 1
            case "filename": return -1
            default: return 0
            }
        }
        return entries.filter { priority($0) == 1 } + entries.filter { priority($0) == 0 } + entries.filter { priority($0) == -1 }
    }

    mutating func apply(_ entry: JobFileSyntax.Entry, path: String) throws(JobFileError) {
        let key = JobFile.aliases[entry.key] ?? entry.key
        func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: entry.line, message) }
        guard JobFile.supportedOptions.contains(key) else {
            throw fail("unsupported option '\(entry.key)': uringbench job files accept \(JobFile.supportedOptions.joined(separator: ", ")); remove it or run the file with fio")
        }
        if let v = entry.value, v.contains("${") {
            throw fail("'\(entry.key)=\(v)' uses an environment variable, which this reader does not expand; write the value out")
        }
        // An engine's options are valid once its ioengine is in effect, as in fio.
        let owners = JobFile.fioEnginesDeclaring(key)
        if !owners.isEmpty && !owners.contains(ioengine ?? JobFile.defaultEngine) {
            let names = owners.joined(separator: " or ")
            throw fail("'\(entry.key)' is an \(names) option and fio accepts it only after ioengine=\(owners[0]); set ioengine=\(owners[0]) above it")
        }
        func required() throws(JobFileError) -> String {
            guard let v = entry.value else { throw fail("option '\(entry.key)' needs a value: \(entry.key)=...") }
            return v
        }
        func flag() throws(JobFileError) -> Bool {
            guard let v = entry.value else { return true }      // bare `time_based` sets it
            switch v {
            case "1": return true
            case "0": return false
            default: throw fail("'\(entry.key)=\(v)' must be 0 or 1")
            }
        }
        // Numbers are read as fio reads them (FioValue), under this job's kb_base.
        func integer(_ range: ClosedRange<Int>) throws(JobFileError) -> Int {
            let v = try required()
            let n: UInt64
            do { n = try FioValue.integer(v, kbBase: kbBase) } catch { throw fail("'\(entry.key)=\(v)' \(error.reason)") }
            guard n <= UInt64(range.upperBound), range.contains(Int(n)) else {
                throw fail("'\(entry.key)=\(v)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return Int(n)
        }
        func size() throws(JobFileError) -> UInt64 {
            let v = try required()
            let parsed: FioValue.Size
            do { parsed = try FioValue.size(v, kbBase: kbBase) } catch { throw fail("'\(entry.key)=\(v)' \(error.reason)") }
            switch parsed {
            case .percent:
                throw fail("'\(entry.key)=\(v)' is a share of the file's size, which uringbench does not take; give bytes, e.g. 1G")
            case .bytes(let n):
                guard n > 0 else { throw fail("'\(entry.key)=\(v)' is zero; give a size, e.g. 4k, 512M, 1G") }
                return n
            }
        }
        func duration() throws(JobFileError) -> UInt64 {
            let v = try required()
            do { return try FioValue.time(v) } catch { throw fail("'\(entry.key)=\(v)' \(error.reason)") }
        }

        switch key {
        case "name": spec.name = try required()
        case "kb_base":
            let v = try required()
            guard let base = Int(v), FioValue.validKBBases.contains(base) else {
                throw fail("'kb_base=\(v)' must be 1024 (fio's default: k is 1024, KiB 1000) or 1000 (k is 1000, KiB 1024)")
            }
            kbBase = base
        case "description": description = try required()
        case "filename":
            let v = try required()
            let names = Self.fioFileNames(v)
            guard names.count == 1 else {
                throw fail("filename=\(v) lists \(names.count) files (':' separates them); uringbench reads one file per job: give one, and write a ':' in its name as '\\:'")
            }
            spec.filename = names[0]; hasFilename = true
        case "size": spec.size = try size(); hasSize = true
        case "bs":
            let v = try size()
            guard v <= 64 << 20 else { throw fail("'bs=\(entry.value ?? "")' is larger than 64M; use a smaller block size") }
            spec.blockSize = Int(v)
        case "rw":
            let v = try required()
            guard let mode = RWMode(fioName: v) else {
                throw fail("rw=\(v) is not supported: uringbench runs \(RWMode.allCases.map(\.rawValue).joined(separator: ", ")) (and readwrite); use one of them")
            }
            spec.rw = mode
        case "rwmixread": spec.rwMixRead = try integer(0...100)
        case "rwmixwrite": spec.rwMixRead = 100 - (try integer(0...100))
        case "fsync": spec.fsyncEvery = try integer(0...Int(Int32.max))
        case "fdatasync": spec.fdatasyncEvery = try integer(0...Int(Int32.max))
        case "end_fsync": spec.endFsync = try flag()
        case "sync":
            switch try required() {
            case "0", "none": spec.openSync = .none
            case "1", "sync": spec.openSync = .sync
            case "dsync": spec.openSync = .dsync
            case let v: throw fail("'sync=\(v)' must be 0, 1, none, sync or dsync")
            }
        case "ioengine":
            let v = try required()
            guard EngineRegistry.fioEngines.contains(v) else {
                if let ours = EngineKind(rawValue: v) {
                    let d = ours.descriptor
                    throw fail("ioengine=\(v) is uringbench's name, not fio's; write ioengine=\(d.fioEngine)\(d.fioSelector.sorted { $0.key < $1.key }.map { " and \($0.key)=\($0.value)" }.joined())")
                }
                throw fail("ioengine=\(v) is not one uringbench drives; use one of \(EngineRegistry.fioEngines.joined(separator: ", "))")
            }
            ioengine = v
            // Options of the previous ioengine do not carry over to this one.
            let kept = Set(EngineRegistry.all.filter { $0.fioEngine == v }.flatMap { $0.options.map(\.name) })
            for (option, _) in spec.engineOptions.options where !kept.contains(option.name) { spec.engineOptions[option] = nil }
            let keptSelectors = Set(EngineRegistry.all.filter { $0.fioEngine == v }.flatMap(\.fioSelector.keys))
            selections = selections.filter { keptSelectors.contains($0.key) }
        case "iodepth": spec.iodepth = try integer(1...32768)
        case "runtime": spec.runtimeNanoseconds = try duration(); hasRuntime = true
        case "time_based": timeBased = try flag()
        case "ramp_time": spec.rampNanoseconds = try duration()
        case "direct": spec.direct = try flag()
        case "invalidate": spec.invalidate = try flag()
        case "randseed":
            let v = try required()
            do { spec.randSeed = try FioValue.integer(v, kbBase: kbBase) } catch { throw fail("'randseed=\(v)' \(error.reason)") }
        case "norandommap":
            // uringbench's offsets never use a random map; fio needs norandommap for the same.
            guard try flag() else { throw fail("norandommap=0 asks for fio's random map, which uringbench does not keep; remove the line or set norandommap=1") }
        case "numjobs":
            let n = try integer(1...Int.max)
            guard n == 1 else { throw fail("numjobs=\(n): uringbench runs one job process at a time; use numjobs=1") }
        case "group_reporting": _ = try flag()
        case "stonewall": stonewall = try flag()
        case "rate_iops":
            let v = try required()
            do { spec.rateIOPS = try FioValue.integer(v, kbBase: kbBase) } catch { throw fail("'rate_iops=\(v)' \(error.reason)") }
        case "iodepth_batch_submit": spec.batchSubmit = try integer(1...32768); batchSubmitSet = true
        case "iodepth_batch_complete_min": spec.batchCompleteMin = try integer(1...32768)
        case "iodepth_batch_complete_max": spec.batchCompleteMax = try integer(1...32768)
        case "allow_file_create": spec.allowFileCreate = try flag()
        case "allow_mounted_write":
            // fio's default, 0, is the only behaviour uringbench has: a device in use is never written.
            guard try !flag() else { throw fail("allow_mounted_write=1 lets fio write a mounted device; uringbench never writes a device that is mounted, swap or held: remove the line or set allow_mounted_write=0") }
        default:
            if EngineRegistry.all.contains(where: { $0.fioSelector[key] != nil }) {
                selections[key] = try flag() ? "1" : "0"
            } else if let option = EngineOption.withFioName(key) {
                if option.isFlag {
                    spec.engineOptions[option] = try flag() ? 1 : nil
                } else {
                    spec.engineOptions[option] = try integer(option.range)
                }
            } else {
                throw fail("option '\(entry.key)' is listed as supported but not handled; this is a uringbench bug")
            }
        }
    }

    /// The files a `filename=` value names, split as fio splits it (options.c `get_next_str`):
    /// `:` separates files, `\:` is a colon inside a name, an empty name is skipped.
    static func fioFileNames(_ value: String) -> [String] {
        var names: [String] = []
        var current = ""
        var rest = Substring(value)
        while let c = rest.first {
            rest = rest.dropFirst()
            if c == "\\" && rest.first == ":" {
                current.append(":"); rest = rest.dropFirst()
            } else if c == ":" {
                if !current.isEmpty { names.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { names.append(current) }
        return names
    }

    func finish(path: String, line: Int, isFirst: Bool) throws(JobFileError) -> JobFile.Job {
        func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: line, "job '\(spec.name)': " + message) }
        var spec = self.spec
        if !timeBased { throw fail("no time_based: fio would stop after reading 'size' bytes once, uringbench always runs for 'runtime'; add time_based") }
        if !hasRuntime { throw fail("no runtime=; add e.g. runtime=10s") }
        if spec.runtimeNanoseconds == 0 {
            // fio: runtime=0 is no time limit, and time_based without one is dropped ("time_based
            // requires a runtime/timeout setting"), so fio reads 'size' bytes once and stops.
            throw fail("runtime=0 means no time limit to fio, which then drops time_based and stops after reading 'size' bytes once; uringbench always runs for a set time: give one, e.g. runtime=10s")
        }
        if !hasSize { throw fail("no size=; add the bytes of the file to read, e.g. size=1G") }
        if !hasFilename { throw fail("no filename= (fio would make a file per job); add e.g. filename=uringbench.dat so every job reads the same file") }
        if !isFirst && !stonewall {
            throw fail("fio runs jobs concurrently unless told otherwise, uringbench one after another; add stonewall (in [global] or this job)")
        }
        let fioEngine = ioengine ?? JobFile.defaultEngine
        guard let engine = EngineRegistry.engine(fioEngine: fioEngine, options: selections) else {
            throw fail("ioengine=\(fioEngine) with \(selections.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) is not an engine uringbench drives; use one of \(EngineRegistry.fioEngines.joined(separator: ", "))")
        }
        spec.engine = engine
        // Same job, same behaviour: what fio's engine does on its own (e.g. its io_uring
        // engine polls the CQ ring under sqthread_poll) is set here too.
        for option in engine.descriptor.fioImplied { spec.engineOptions[option] = 1 }
        for (option, _) in spec.engineOptions.options where !engine.descriptor.options.contains(option) {
            // Another engine sharing this ioengine takes it: name what selects that engine.
            let selector = EngineRegistry.all.first { $0.fioEngine == fioEngine && $0.options.contains(option) }?.fioSelector ?? [:]
            let needs = selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " and ")
            throw fail("\(option.fioName ?? option.name) needs \(needs.isEmpty ? "another ioengine" : needs)")
        }
        // fio clamps the batch sizes to the depth; do the same rather than refuse a valid file.
        spec.batchSubmit = min(spec.batchSubmit, spec.effectiveDepth)
        spec.batchCompleteMin = min(spec.batchCompleteMin, spec.effectiveDepth)
        if let maxBatch = spec.batchCompleteMax { spec.batchCompleteMax = min(max(maxBatch, spec.batchCompleteMin), spec.effectiveDepth) }
        do { try spec.validate() } catch { throw fail(error.description) }
        return JobFile.Job(spec: spec, description: description, line: line)
    }
}
