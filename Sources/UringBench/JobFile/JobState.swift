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
    /// fio's startdelay, and exitall (one job ending ends the others of its group).
    var startDelay: UInt64 = 0
    var exitAll = false
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
    /// The sizes bsrange= or bssplit= gave, reads' and writes' (nil: that direction keeps bs=):
    /// fio then ignores bs= wherever it stands (both set min_bs/max_bs, the later one winning;
    /// init.c fixup_options takes bs only when they are unset), so they replace bs= in finish.
    var givenSizes: (read: BlockSizes.Choice?, write: BlockSizes.Choice?)?
    /// io_size=N%: a share of size=, which may come later.
    var ioSizePercent: UInt64?
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
        let entry = try JobEntry(written, path: path, kbBase: kbBase)
        if let noOp = FioDefaultOption.named(entry.key) {
            if let problem = noOp.problem(entry.value) { throw entry.fail(problem) }
            return
        }
        try checkAccepted(entry)
        if let row = JobOption.withFioName(entry.key), try entry.apply(row, to: &spec) { return }
        try applySpecial(entry)
    }

    /// Refuses a key uringbench does not take, an environment variable, and an engine's option
    /// before its ioengine.
    private func checkAccepted(_ entry: JobEntry) throws(JobFileError) {
        guard JobFile.supportedOptions.contains(entry.key) else {
            throw entry.fail("unsupported option '\(entry.written)': uringbench job files accept \(JobFile.supportedOptions.joined(separator: ", ")); remove it or run the file with fio")
        }
        if let v = entry.value, v.contains("${") {
            throw entry.fail("'\(entry.written)=\(v)' uses an environment variable, which this reader does not expand; write the value out")
        }
        // An engine's options are valid once its ioengine is in effect, as in fio.
        let owners = JobFile.fioEnginesDeclaring(entry.key)
        if !owners.isEmpty && !owners.contains(ioengine ?? JobFile.defaultEngine) {
            let names = owners.joined(separator: " or ")
            throw entry.fail("'\(entry.written)' is an \(names) option and fio accepts it only after ioengine=\(owners[0]); set ioengine=\(owners[0]) above it")
        }
    }

    /// The options with reading of their own (the table's `.special` rows), each in a short
    /// function of its subject's file.
    private mutating func applySpecial(_ e: JobEntry) throws(JobFileError) {
        switch e.key {
        case "description": description = try e.required()
        case "kb_base": try applyKBBase(e)
        case "filename": try applyFilename(e)
        case "directory": try applyDirectory(e)
        case "filename_format": filenameFormat = try e.required()
        case "size": try applySize(e)
        case "filesize": try applyFilesize(e)
        case "bsrange": try applyBlockSizeRange(e)
        case "bssplit": try applyBlockSizeSplit(e)
        case "rw": try applyRW(e)
        case "sync": try applySync(e)
        case "ioengine": try applyIOEngine(e)
        case "runtime": spec.runtimeNanoseconds = try e.duration(); hasRuntime = true
        case "time_based": timeBased = try e.flag()
        case "stonewall": stonewall = try e.flag()
        case "thread": try refuseProcesses(e)
        case "randseed": try applyRandSeed(e)
        case "randrepeat": randRepeat = try e.flag()
        case "norandommap": try applyNoRandomMap(e)
        case "random_generator": try applyRandomGenerator(e)
        case "random_distribution": try applyRandomDistribution(e)
        case "fadvise_hint": try applyFadviseHint(e)
        case "cpus_allowed": try applyCPUsAllowed(e)
        case "cpus_allowed_policy": try applyCPUsAllowedPolicy(e)
        case "rate_iops": try applyRateIOPS(e)
        case "io_submit_mode": try applySubmitMode(e)
        case "create_on_open", "allow_mounted_write": try refuseNonDefault(e)
        case "startdelay":
            // fio's a-b draws a delay at random between the two; one fixed delay here.
            if let v = e.value, v.dropFirst().contains("-") {
                throw e.fail("startdelay=\(v) is a range, from which fio draws a random delay; uringbench takes one fixed delay: give one, e.g. startdelay=2s")
            }
            startDelay = try e.duration()
        case "exitall": exitAll = try e.flag()
        case "offset", "offset_increment": try applyOffset(e)
        case "thinktime", "thinktime_spin", "thinktime_blocks", "thinktime_blocks_type": try applyThinkTime(e)
        case "rate", "rate_process": try applyRate(e)
        case "loops", "number_ios", "io_size": try applySizeLimit(e)
        case "write_lat_log", "write_bw_log", "write_iops_log", "write_hist_log", "log_avg_msec", "log_hist_msec", "per_job_logs":
            try applyLog(e)
        default: try applyEngineOption(e)
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

    func finish(path: String, line: Int, group: Int) throws(JobFileError) -> JobFile.Job {
        func fail(_ message: String) -> JobFileError { JobFileError(path: path, line: line, "job '\(spec.name)': " + message) }
        var spec = self.spec
        if let given = try blockSizes(of: spec, fail: fail) { (spec.blockSize, spec.blockSizes) = given }
        // No runtime= (or runtime=0) is no time limit; fio drops time_based without one ("time_based
        // requires a runtime/timeout setting"), and the job ends after its size.
        if !hasRuntime { spec.runtimeNanoseconds = 0 }
        spec.timeBased = timeBased && spec.runtimeNanoseconds > 0
        if !hasSize { spec.size = try sizeOfExistingFile(fail: fail) }
        if spec.timeBased {
            // fio ignores what ends a size-bound job in a time_based one (backend.c keep_running
            // returns at time_based; fio 3.33 runs for runtime over the same offsets).
            spec.ioSize = nil; spec.numberIOs = 0; spec.loops = 1
        } else if let p = ioSizePercent {
            spec.ioSize = max(1, spec.size / 100 * p + spec.size % 100 * p / 100)
        }
        // fio seeds a job under randrepeat=0 from the system's random source (init.c
        // setup_random_seeds), so every run draws other offsets; the report's randseed says which.
        if !randRepeat && !randSeedGiven { spec.randSeed = UInt64.random(in: 0...UInt64.max) }
        if !hasFilename { (spec.filename, spec.jobFiles) = try fioFiles(numjobs: spec.numjobs, fail: fail) }
        if tauswortheAsked && spec.rw.isRandom && spec.size / UInt64(max(1, spec.blockSize)) > 1 << 32 {
            throw fail("random_generator=tausworthe is fio's 32-bit generator, which cannot address more than 2^32 blocks (fio warns and draws coarsely); use random_generator=tausworthe64")
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
        // fio sets its flag only on buffered IO (`!td->o.odirect && o->uncached`) and runs the
        // job O_DIRECT without a word; uringbench does not drop an option silently.
        if spec.direct && spec.engineOptions.isSet(ReadWriteFlags.uncachedOption) {
            throw fail("uncached=1 drops the pages buffered IO leaves in the page cache, and direct=1 leaves none (fio ignores uncached=1 under direct=1); set direct=0 or remove uncached=1")
        }
        // fio clamps the batch sizes to the depth; do the same rather than refuse a valid file.
        spec.batchSubmit = spec.batchSubmit == 0 ? spec.effectiveDepth : min(spec.batchSubmit, spec.effectiveDepth)
        spec.batchCompleteMin = min(spec.batchCompleteMin, spec.effectiveDepth)
        if let maxBatch = spec.batchCompleteMax { spec.batchCompleteMax = min(max(maxBatch, spec.batchCompleteMin), spec.effectiveDepth) }
        do { try spec.validate() } catch { throw fail(error.description) }
        if let problem = logs.problem() { throw fail(problem) }
        if spec.gtodReduce, let problem = logs.gtodReduceProblem() { throw fail(problem) }
        return JobFile.Job(spec: spec, description: description, line: line, logs: logs, group: group, startDelayNanoseconds: startDelay)
    }
}
