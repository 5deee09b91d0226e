import Glibc

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
    /// random_generator=tausworthe was given: fio keeps its 32-bit generator then, even where
    /// it would otherwise switch to tausworthe64.
    var tauswortheAsked = false
    /// fio's randrepeat (default 1: the offsets of every run drawn from randseed).
    var randRepeat = true
    /// randseed= was given: fio then seeds from it even under randrepeat=0 (init.c setup_random_seeds).
    var randSeedGiven = false
    /// fio's directory=: prefixed to the file name of the same or a later section.
    var directory: String?
    /// The job's section name: fio names the files of a job without filename= after it (not after name=).
    var sectionName: String
    /// fio's filename_format: the names of those files (FioJobFiles).
    var filenameFormat: String?
    /// filesize= as given, for the check against a later size=.
    var filesizeGiven: UInt64?
    /// bsrange= or bssplit= set the block size: fio then ignores bs= wherever it stands (both set
    /// min_bs/max_bs, the later one winning; init.c fixup_options takes bs only when they are unset).
    var blockSizeFromRange = false
    /// loops, number_ios or io_size was given: options that end a job that is not time_based.
    var sizeLimited = false
    /// fio's log files (write_lat_log and the options around it).
    var logs = FioLogOptions()

    init(name: String) {
        spec.name = name
        sectionName = name
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

    mutating func apply(_ written: JobFileSyntax.Entry, path: String) throws(JobFileError) {
        let key = JobFile.aliases[written.key] ?? written.key
        func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: written.line, message) }
        let entry = try Self.withKeywordsExpanded(written, path: path)
        if let noOp = FioDefaultOption.named(key) {
            if let problem = noOp.problem(entry.value) { throw fail(problem) }
            return
        }
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
        /// `read:-8k` → ("read", -8192), as fio's str_rw_cb reads the part after ':' (a size, signed).
        func rwModifier(_ text: String) throws(JobFileError) -> (String, Int64?) {
            guard let colon = text.firstIndex(of: ":") else { return (text, nil) }
            var number = String(text[text.index(after: colon)...])
            let negative = number.hasPrefix("-")
            if negative || number.hasPrefix("+") { number.removeFirst() }
            let parsed: FioValue.Size
            do { parsed = try FioValue.size(number, kbBase: kbBase) } catch { throw fail("'rw=\(text)': the offset modifier \(error.reason)") }
            guard case .bytes(let n) = parsed, n > 0 else { throw fail("'rw=\(text)': the offset modifier must be a nonzero size, e.g. rw=read:-8k") }
            let step = Int64(n)    // FioValue sizes are below 2^63
            return (String(text[..<colon]), negative ? -step : step)
        }
        func sizeOrPercent() throws(JobFileError) -> FioValue.Size {
            let v = try required()
            do { return try FioValue.size(v, kbBase: kbBase) } catch { throw fail("'\(entry.key)=\(v)' \(error.reason)") }
        }
        /// The one path of a filename= or directory= value; a list is refused by name.
        func onePath(_ v: String, _ what: String) throws(JobFileError) -> String {
            let names = Self.fioFileNames(v)
            guard names.count == 1 else {
                throw fail("\(entry.key)=\(v) lists \(names.count) \(what) (':' separates them); uringbench reads one file per job: give one, and write a ':' in a name as '\\:'")
            }
            return names[0]
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
            let name = try onePath(v, "files")
            // fio adds each filename= to the files the job already has (str_filename_cb), so a
            // job's own filename= under a [global] one gives the job two files.
            guard !hasFilename else {
                throw fail("filename=\(v) adds a second file to the job (fio keeps the one named earlier, in [global] or this section, and uses both); uringbench reads one file per job: name the file once, in [global] or in each job")
            }
            // fio's add_file: directory, '/', then the name (even an absolute one).
            spec.filename = directory.map { $0 + "/" + name } ?? name; hasFilename = true
        case "directory":
            let name = try onePath(try required(), "directories")
            // fio resolves a file name when it reads it; a later directory= does not move it.
            guard !hasFilename else {
                throw fail("directory= comes after the filename= of an earlier section, and fio does not apply it to that file; put directory= with filename= or before it")
            }
            directory = name
        case "filename_format": filenameFormat = try required()
        case "buffered": spec.direct = !(try flag())     // fio: the negation of direct
        case "gtod_reduce":
            guard !(try flag()) else {
                throw fail("gtod_reduce=1 turns off fio's latency figures (clat, slat, lat and their percentiles), which uringbench always measures; remove it")
            }
        case "create_on_open":
            guard !(try flag()) else {
                throw fail("create_on_open=1 makes fio skip laying out a missing or short file, so it would read holes; uringbench always lays the file out: remove it")
            }
        case "filesize":
            let v = try size()
            // One file per job: fio's size is then the file's size unless size= says otherwise.
            if hasSize && spec.size != v {
                throw fail("filesize=\(entry.value ?? "") differs from size= (\(spec.size) bytes); with one file per job give one size (uringbench reads one file of size= bytes)")
            }
            spec.size = v; hasSize = true; filesizeGiven = v
        case "offset":
            guard case .bytes(0) = try sizeOrPercent() else {
                throw fail("offset=\(entry.value ?? "") moves the IOs away from the start of the file, which uringbench does not do (its IOs start at offset 0); remove it or run the file with fio")
            }
        case "startdelay":
            guard try duration() == 0 else {
                throw fail("startdelay=\(entry.value ?? "") delays the job's start, which uringbench does not do; remove it (it changes no figure) or run the file with fio")
            }
        case "loops", "number_ios", "io_size":
            // fio ignores all three in a time_based job (backend.c keep_running returns at
            // time_based; checked with fio 3.33: the job runs for runtime over the same offsets).
            // uringbench requires time_based, so they are read, checked and have no effect.
            if key == "io_size", case .percent(let p) = try sizeOrPercent(), p > 100 {
                throw fail("'io_size=\(entry.value ?? "")' is more than 100%, which fio refuses; give at most 100%")
            } else if key == "loops" {
                _ = try integer(0...Int(Int32.max))
            } else if key == "number_ios" {
                _ = try integer(0...Int.max)
            }
            sizeLimited = true
        case "bsrange":
            let v = try required()
            let ends = v.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            let sizes = ends.count == 2 ? ends.compactMap { try? FioValue.integer($0, kbBase: kbBase) } : []
            guard sizes.count == 2, sizes[0] == sizes[1], sizes[0] > 0, sizes[0] <= UInt64(JobSpec.maxBlockSize) else {
                throw fail("bsrange=\(v) mixes block sizes, which uringbench does not do (every IO of a job is one size); give one size, as bs= or bsrange=4k-4k")
            }
            spec.blockSize = Int(sizes[0]); blockSizeFromRange = true
        case "bssplit":
            let v = try required()
            let parts = v.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let size = parts.count == 2 && parts[1] == "100" ? try? FioValue.integer(parts[0], kbBase: kbBase) : nil
            guard let size, size > 0, size <= UInt64(JobSpec.maxBlockSize) else {
                throw fail("bssplit=\(v) mixes block sizes, which uringbench does not do (every IO of a job is one size); give one size, as bs= or bssplit=4k/100")
            }
            spec.blockSize = Int(size); blockSizeFromRange = true
        case "size":
            let v = try size()
            if let f = filesizeGiven, f != v {
                throw fail("size=\(entry.value ?? "") differs from filesize= (\(f) bytes); with one file per job give one size (uringbench reads one file of size= bytes)")
            }
            spec.size = v; hasSize = true
        case "bs":
            let v = try size()
            guard v <= 64 << 20 else { throw fail("'bs=\(entry.value ?? "")' is larger than 64M; use a smaller block size") }
            if !blockSizeFromRange { spec.blockSize = Int(v) }
        case "rw":
            let written = try required()
            let (v, skip) = try rwModifier(written)
            guard let mode = RWMode(fioName: v) else {
                throw fail("rw=\(v) is not supported: uringbench runs \(RWMode.allCases.map(\.rawValue).joined(separator: ", ")) (and readwrite); use one of them")
            }
            if mode.isRandom && skip != nil {
                throw fail("rw=\(written): fio reads ':N' after a random mode as N sequential IOs before each random one (ddir_seq_nr), which uringbench does not do; drop ':N' or run the file with fio")
            }
            spec.rw = mode
            spec.sequentialSkip = skip ?? 0
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
            let v = Self.fioEngineName(try required())
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
            randSeedGiven = true
        case "randrepeat": randRepeat = try flag()
        case "norandommap":
            // fio reads any whole number here: nonzero sets it, 0 keeps the map (the default).
            guard let v = entry.value else { spec.randomMap = false; break }
            guard let n = Int(v) else { throw fail("'norandommap=\(v)' must be 0 or 1 (or bare norandommap)") }
            spec.randomMap = n == 0
        case "random_generator":
            let v = try required()
            guard let g = RandomGenerator(rawValue: v) else {
                throw fail("'random_generator=\(v)' is not one of fio's: tausworthe, lfsr, tausworthe64")
            }
            spec.randomGenerator = g
            tauswortheAsked = g == .tausworthe
        case "random_distribution":
            let v = try required()
            do { spec.randomDistribution = try RandomDistribution(fioSpelling: v) } catch {
                throw fail(error.description)
            }
        case "fadvise_hint":
            let v = try required()
            guard let hint = FadviseHint(rawValue: v), hint != .normal else {
                throw fail("'fadvise_hint=\(v)' is not one of fio's: 0, 1, random, sequential" + (v == "normal" ? " (fio has no normal; 0 gives no advice, which leaves the kernel's normal readahead)" : ""))
            }
            spec.fadviseHint = hint
        case "numjobs": spec.numjobs = try integer(1...JobSpec.maxNumjobs)
        case "group_reporting": spec.groupReporting = try flag()
        case "cpus_allowed":
            let v = try required()
            guard let cpus = CPUList(v) else { throw fail("'cpus_allowed=\(v)' is not a CPU list; write CPU numbers and ranges from 0 to \(CPUList.maxCPU), e.g. cpus_allowed=0-3,6") }
            spec.cpusAllowed = cpus
        case "cpus_allowed_policy":
            let v = try required()
            guard let policy = CPUsAllowedPolicy(rawValue: v) else { throw fail("'cpus_allowed_policy=\(v)' must be shared or split") }
            spec.cpusAllowedPolicy = policy
        case "thread":
            guard try flag() else { throw fail("thread=0 asks for a process per job; uringbench runs every job as a thread (fio's thread mode); remove the line or set thread=1") }
        case "stonewall": stonewall = try flag()
        case "rate_iops":
            let v = try required()
            do {
                let (read, write) = try FioValue.perDirection(v, kbBase: kbBase)
                spec.rateIOPS = read
                spec.writeRateIOPS = write == read ? nil : write
            } catch { throw fail("'rate_iops=\(v)' \(error.reason)") }
        // 0 is fio's "the depth" for a submit batch (init.c fixup_options) and "at least one"
        // for a reap (backend.c wait_for_completions): resolved in finish and here.
        case "iodepth_batch_submit": spec.batchSubmit = try integer(0...32768); batchSubmitSet = true
        case "iodepth_batch_complete_min": spec.batchCompleteMin = max(1, try integer(0...32768))
        case "iodepth_batch_complete_max": spec.batchCompleteMax = try integer(1...32768)
        case "write_lat_log": logs.latency = try required()
        case "write_bw_log": logs.bandwidth = try required()
        case "write_iops_log": logs.iops = try required()
        case "write_hist_log": logs.histogram = try required()
        case "log_avg_msec": logs.averageMilliseconds = UInt64(try integer(0...Int(FioLogOptions.maxMilliseconds)))
        case "log_hist_msec": logs.histogramMilliseconds = UInt64(try integer(0...Int(FioLogOptions.maxMilliseconds)))
        case "per_job_logs": logs.perJobLogs = try flag()
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

    /// The files fio gives a job without filename= (init.c add_job): a file, directory or device
    /// named after the job where fio runs, if one exists and is not a regular file, is read by
    /// every job of the group (exists_and_not_regfile); otherwise each job of the group gets
    /// its own (FioJobFiles), laid out like any file.
    func fioFiles(numjobs: Int, fail: (String) -> JobFileError) throws(JobFileError) -> (filename: String, jobFiles: FioJobFiles?) {
        var status = stat()
        if lstat(sectionName, &status) == 0 && status.st_mode & S_IFMT != S_IFREG {
            return (directory.map { $0 + "/" + sectionName } ?? sectionName, nil)
        }
        let files = FioJobFiles(jobName: sectionName, format: filenameFormat, directory: directory)
        guard files.separatesJobs(numjobs) else {
            throw fail("filename_format=\(filenameFormat ?? "") has no $jobnum, so the \(numjobs) jobs of numjobs get one file name and fio runs only the first (the others find no file and do no IO); add $jobnum to it, or give filename= to share one file")
        }
        return (files.path(forJob: 0), files)
    }

    /// fio's ioengine for `written`: names starting `linuxaio` or `aio` are libaio's aliases
    /// (ioengines.c `__load_ioengine`).
    static func fioEngineName(_ written: String) -> String {
        written.hasPrefix("linuxaio") || written.hasPrefix("aio") ? "libaio" : written
    }

    /// `entry` with fio's `$pagesize`, `$mb_memory` and `$ncpus` put in (FioKeywords).
    static func withKeywordsExpanded(_ entry: JobFileSyntax.Entry, path: String) throws(JobFileError) -> JobFileSyntax.Entry {
        guard let v = entry.value, v.contains("$") else { return entry }
        var expanded = entry
        do { expanded.value = try FioKeywords.expand(v) } catch {
            throw JobFileError(path: path, line: entry.line, "'\(entry.key)=\(v)' \(error.reason)")
        }
        return expanded
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

    /// fio's size for a job without `size=`: the whole of the file or device `filename=` names
    /// (filesetup.c get_file_sizes). Without one fio stops: "you need to specify size=".
    private func sizeOfExistingFile(fail: (String) -> JobFileError) throws(JobFileError) -> UInt64 {
        let name = spec.filename
        let size: UInt64?
        do { size = hasFilename ? try DataFileTarget.existingSize(name) : nil } catch { throw fail(error.description) }
        guard let size else {
            let which = hasFilename ? "'\(name)' is not an existing file or block device" : "it names no filename="
            throw fail("no size=, and \(which) whose size fio would take (fio: \"you need to specify size=\"); add the bytes to use, e.g. size=1G")
        }
        guard size > 0 else { throw fail("no size=, and '\(name)' is empty (fio: \"you need to specify size=\"); add size=, e.g. size=1G") }
        return size
    }

    func finish(path: String, line: Int, isFirst: Bool) throws(JobFileError) -> JobFile.Job {
        func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: line, "job '\(spec.name)': " + message) }
        var spec = self.spec
        if !timeBased {
            let limit = sizeLimited ? "after its loops, number_ios or io_size" : "after reading 'size' bytes once"
            throw fail("no time_based: fio would stop \(limit), uringbench always runs for 'runtime'; add time_based")
        }
        if !hasRuntime { throw fail("no runtime=; add e.g. runtime=10s") }
        if spec.runtimeNanoseconds == 0 {
            // fio: runtime=0 is no time limit, and time_based without one is dropped ("time_based
            // requires a runtime/timeout setting"), so fio reads 'size' bytes once and stops.
            throw fail("runtime=0 means no time limit to fio, which then drops time_based and stops after reading 'size' bytes once; uringbench always runs for a set time: give one, e.g. runtime=10s")
        }
        if !hasSize { spec.size = try sizeOfExistingFile(fail: fail) }
        // fio seeds a job under randrepeat=0 from the system's random source (init.c
        // setup_random_seeds), so every run draws other offsets; the report's randseed says which.
        if !randRepeat && !randSeedGiven { spec.randSeed = UInt64.random(in: 0...UInt64.max) }
        if !hasFilename { (spec.filename, spec.jobFiles) = try fioFiles(numjobs: spec.numjobs, fail: fail) }
        if tauswortheAsked && spec.rw.isRandom && spec.size / UInt64(max(1, spec.blockSize)) > 1 << 32 {
            throw fail("random_generator=tausworthe is fio's 32-bit generator, which cannot address more than 2^32 blocks (fio warns and draws coarsely); use random_generator=tausworthe64")
        }
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
        spec.batchSubmit = spec.batchSubmit == 0 ? spec.effectiveDepth : min(spec.batchSubmit, spec.effectiveDepth)
        spec.batchCompleteMin = min(spec.batchCompleteMin, spec.effectiveDepth)
        if let maxBatch = spec.batchCompleteMax { spec.batchCompleteMax = min(max(maxBatch, spec.batchCompleteMin), spec.effectiveDepth) }
        do { try spec.validate() } catch { throw fail(error.description) }
        if let problem = logs.problem() { throw fail(problem) }
        return JobFile.Job(spec: spec, description: description, line: line, logs: logs)
    }
}
