import Foundation

/// A fio job file read into uringbench jobs.
///
/// The subset of fio's format and options that uringbench runs is deliberately small and every
/// option outside it is an error that names the option, the file and the line, never silently
/// ignored: a job file that runs here must mean the same job under fio (docs/compare.md).
/// Semantics follow fio where they differ from uringbench's command line: `direct` defaults to
/// 0, `ioengine` to psync, options in a `[global]` section apply to the jobs after it, and io_uring
/// options are only valid once `ioengine=io_uring` is in effect, and `sqthread_poll=1` reaps
/// completions by polling the CQ ring in user space, as fio's io_uring engine does.
public struct JobFile: Sendable {
    public struct Job: Sendable, Equatable {
        public var spec: JobSpec
        /// fio's `description=`, shown in plots.
        public var description: String?
        /// Line of the job's `[section]` header.
        public var line: Int
        /// fio's log files for the job (write_lat_log, write_bw_log, write_iops_log, write_hist_log).
        public var logs = FioLogOptions()
        /// fio's groupid: 0 for the first job, one more at each job with stonewall; the jobs of
        /// one group run at the same time.
        public var group = 0
        /// fio's startdelay, counted from the start of the run (fio's genesis).
        public var startDelayNanoseconds: UInt64 = 0
    }

    public var path: String
    public var jobs: [Job]
    /// The options of the file's [global] sections as fio lists them under "global options" in
    /// its JSON: fio's name for each, the value as written (reserved keywords put in), in the
    /// order fio applies them, options given without a value left out (fio 3.33 here: [global]
    /// with rw=read, time_based, runtime=1, bs=$pagesize, iodepth_batch=0 and filename= gave
    /// {"rw": "read", "runtime": "1", "bs": "4096", "iodepth_batch": "0", "filename": …}).
    public var globalOptions: [(name: String, value: String)] = []
    /// fio's exitall, set by any job: when a job ends, the others of its group stop.
    public var exitAll = false

    /// The options the reader understands, with the fio aliases it accepts: the table's keys
    /// (JobOption.all) and the engines' (EngineDescriptor). Documented in docs/compare.md; keep
    /// the two in step.
    static let supportedOptions: [String] = JobOption.fioNames + engineOptionNames

    /// The options engines declare (and the selector options that pick an engine), by fio name.
    static var engineOptionNames: [String] {
        var names: [String] = []
        for d in EngineRegistry.all {
            for key in d.fioSelector.keys.sorted() where !names.contains(key) { names.append(key) }
            for o in d.options { if let n = o.fioName, !names.contains(n) { names.append(n) } }
        }
        return names
    }

    /// fio's ioengine when a job names none.
    static let defaultEngine = "psync"

    /// The ioengines whose engines declare the job-file option `key` (empty: not an engine option).
    static func fioEnginesDeclaring(_ key: String) -> [String] {
        var engines: [String] = []
        for d in EngineRegistry.all where d.fioSelector[key] != nil || d.options.contains(where: { $0.fioName == key }) {
            if !engines.contains(d.fioEngine) { engines.append(d.fioEngine) }
        }
        return engines
    }
    static var aliases: [String: String] { JobOption.fioAliases }

    /// Limits, like fio's: fio stops at its max_jobs (FIO_MAX_JOBS, 4096 on Linux) with
    /// "maximum number of jobs (4096) reached". A job file is a few KiB; the size bound stops a
    /// device or a log passed by mistake from being read whole.
    public static let maxJobs = 4096
    static let maxFileBytes = 16 << 20

    public static func load(path: String) throws(JobFileError) -> JobFile {
        let data: Data
        do {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
            defer { try? handle.close() }
            // One byte past the limit tells "too large" from "exactly at it" without reading on.
            data = try handle.read(upToCount: maxFileBytes + 1) ?? Data()
        } catch {
            throw JobFileError(path: path, line: 0, "cannot read the job file (\(String(describing: error).split(separator: "\n").first ?? "")); check the path")
        }
        guard data.count <= maxFileBytes else {
            throw JobFileError(path: path, line: 0, "is larger than \(maxFileBytes >> 20) MiB, the most uringbench reads as a job file; pass a fio job file (a few KiB) or split it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw JobFileError(path: path, line: 0, "is not UTF-8 text; pass a fio job file")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(JobFileError) -> JobFile {
        let syntax = try JobFileSyntax.parse(text, path: path, maxJobs: maxJobs)
        // Every [global] so far, applied once: each job starts from a copy (linear in the file,
        // however many jobs follow). Applying here also reports a bad global option even if no
        // job follows.
        var globals = JobState(name: "global")
        var jobs: [Job] = []
        var group = 0
        var exitAll = false
        var globalOptions: [(name: String, value: String)] = []
        for section in syntax.sections {
            if section.isGlobal {
                for entry in JobState.inFioOrder(section.entries) {
                    try globals.apply(entry, path: path)
                    if let value = try JobState.withKeywordsExpanded(entry, path: path).value {
                        globalOptions.append((fioName(entry.key), value))
                    }
                }
                continue
            }
            var state = globals
            // fio names a job after its section even when [global] has name= (init.c get_new_job);
            // only the job's own name= renames it.
            state.spec.name = section.name
            state.sectionName = section.name
            for entry in JobState.inFioOrder(section.entries) { try state.apply(entry, path: path) }
            // fio's groupid: a stonewall starts a new group, except on the first job.
            if state.stonewall && !jobs.isEmpty { group += 1 }
            let job = try state.finish(path: path, line: section.line, group: group)
            exitAll = exitAll || state.exitAll
            jobs.append(job)
        }
        guard !jobs.isEmpty else {
            throw JobFileError(path: path, line: 0, "defines no job; add a job section such as [randread] after [global]")
        }
        return JobFile(path: path, jobs: jobs, globalOptions: globalOptions, exitAll: exitAll)
    }

    /// The name fio lists an option under (its `fio_option.name`, which an alias resolves to).
    static func fioName(_ written: String) -> String {
        let key = aliases[written] ?? written
        return key == "iodepth_batch_submit" ? "iodepth_batch" : key
    }
}
