import ArgumentParser
import Foundation
import UringBench
import UringCore

extension UringBenchCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run the jobs of a fio job file as fio does (a group at a time, its jobs at once), reported like fio.",
            discussion: """
            Example: uringbench run bench-configs/seed.fio
            Reads fio's INI format ([global] and job sections, key=value, fio's size and time \
            suffixes) and a subset of its options; any other option is an error naming the file and \
            line. The same file runs under fio (see docs/compare.md for the supported options).
            """)

        @Argument(help: "fio job file.")
        var jobFile: String

        @Option(name: .customLong("output-format"), help: "normal (fio's text), json (fio's JSON schema) or json+ (json plus fio's latency histogram bins).")
        var outputFormat: FioOutputFormat = .normal

        @Option(help: "Write the report to this file instead of standard output.")
        var output: String?

        @Option(help: ArgumentHelp("Override every job's runtime (e.g. a short smoke run; a size-bound job's cap).", valueName: "time"))
        var runtime: DurationArgument?

        // fio has no such option (it writes whatever it is given), and a job-file key of our own
        // would make the file fail under fio: the permission is given on the command line.
        @Flag(name: .customLong("allow-overwrite"), help: "Let the file's write jobs write files uringbench did not lay out, or block devices (never one that is mounted, swap or held).")
        var allowOverwrite = false

        @Flag(name: .customLong("parse-only"), help: "Check the file and list its jobs without running them (like fio --parse-only).")
        var parseOnly = false

        mutating func run() throws {
            let file: JobFile
            do { file = try JobFile.load(path: jobFile) } catch { throw CompareCLI.fail(error) }
            var jobs = file.jobs.map(\.spec)
            if let runtime {
                if runtime.nanoseconds == 0 { throw CompareCLI.fail("--runtime must be positive; use e.g. --runtime 2s") }
                for i in jobs.indices { jobs[i].runtimeNanoseconds = runtime.nanoseconds }
            }
            if allowOverwrite { for i in jobs.indices { jobs[i].allowOverwrite = true } }
            let report = try Terminal.openOutput(output)
            let inputs = [(jobFile, "the job file")] + jobs.flatMap { job in job.filenames.map { ($0, "the data file of job '\(job.name)'") } }
            try Terminal.refuse(report, ifSameAs: inputs)
            if parseOnly { return try Terminal.emit(Self.listing(jobs), to: report) }
            // Every job's log files before job 1 runs, like the report; fio numbers threads over
            // the whole file, each numjobs copy counted.
            var logs: [FioLogFileSet?] = []
            var threadNumber = 1
            for (job, spec) in zip(file.jobs, jobs) {
                logs.append(try Terminal.openLogs(job.logs, for: spec, firstThreadNumber: threadNumber, reading: inputs, report: report))
                threadNumber += spec.numjobs
            }
            let format = outputFormat
            try Terminal.run {
                // Every job's engine and file before job 1 runs: a job that cannot start must not
                // cost the ones before it.
                try Preflight.check(jobs)
                let (groups, failure) = try Self.runGroups(file, jobs: jobs, logs: logs)
                let results = groups.flatMap(\.jobs).map(\.merged)
                if let failure, results.isEmpty { throw failure.error }
                try Terminal.emit(try Self.render(groups, results: results, file: file, format: format), to: report)
                try Terminal.failIfNothingMeasured(results)
                if let failure { throw Terminal.failure(Self.failureLine(failure, jobs: jobs, finished: results.count)) }
            }
        }

        /// `--parse-only`: one line per job.
        static func listing(_ jobs: [JobSpec]) -> String {
            jobs.map { j in
                "\(j.name): ioengine=\(j.engine.rawValue) iodepth=\(j.iodepth) bs=\(j.blockSize) size=\(j.size) runtime=\(Double(j.runtimeNanoseconds) / 1e9)s direct=\(j.direct ? 1 : 0) filename=\(j.filenames.joined(separator: " "))"
                    + (j.timeBased ? "" : " size-bound: io_size=\(j.ioSize ?? j.size) number_ios=\(j.numberIOs) loops=\(j.loops)") + "\n"
            }.joined()
        }

        /// The file's groups one after another (fio's stonewall groups); a group that fails ends
        /// the run, and its error is returned beside the groups that finished.
        static func runGroups(_ file: JobFile, jobs: [JobSpec], logs: [FioLogFileSet?]) throws -> ([ConcurrentGroupResult], (group: [Int], error: BenchError)?) {
            var groups: [ConcurrentGroupResult] = []
            // fio counts startdelay from its start (genesis), so a later group's job waits only
            // for what is left of its delay.
            var runStart: UInt64? = nil
            for members in groupIndices(file) {
                let first = members[0]
                let what = members.map { "\(jobs[$0].name) (\(jobs[$0].engine.rawValue), iodepth \(jobs[$0].iodepth))" }.joined(separator: " + ")
                Terminal.error("job\(members.count > 1 ? "s" : "") \(members.map { "\($0 + 1)" }.joined(separator: ",") )/\(jobs.count): \(what)")
                let g: ConcurrentGroupResult
                do throws(BenchError) {
                    let now = MonotonicClock.now()
                    let elapsed = runStart.map { now - $0 } ?? 0
                    if runStart == nil { runStart = now }
                    let delays = members.map { file.jobs[$0].startDelayNanoseconds > elapsed ? file.jobs[$0].startDelayNanoseconds - elapsed : 0 }
                    if members.count == 1 && delays[0] == 0 {
                        g = ConcurrentGroupResult(jobs: [try Runner.runGroup(jobs[first], logs: logs[first], layoutProgress: Terminal.layoutProgress,
                                                                            progress: Terminal.progressLine(for: jobs[first]))])
                    } else {
                        let run = zip(members, delays).map { GroupJob(jobs[$0], startDelayNanoseconds: $1, logs: logs[$0]) }
                        g = try Runner.runConcurrent(run, exitAll: file.exitAll, layoutProgress: Terminal.layoutProgress,
                                                     progress: Terminal.progressLine(for: jobs[first]))
                    }
                } catch {
                    // Reported after the reports of the jobs that finished.
                    return (groups, (members, error))
                }
                Terminal.finishProgress()
                groups.append(g)
                // Written as each group ends, as fio does, so a job's samples do not wait in memory.
                for i in members { try Terminal.writeLogs(logs[i]) }
                if g.threads.contains(where: \.interrupted) { break }
            }
            return (groups, nil)
        }

        /// fio's text report (ending with the comparison table when several jobs measured) or JSON.
        static func render(_ groups: [ConcurrentGroupResult], results: [RunResult], file: JobFile, format: FioOutputFormat) throws -> String {
            switch format {
            case .normal:
                var text = FioTextReport(runGroups: groups).render()
                // A job stopped during its ramp measured nothing: it has no row.
                let measured = results.filter { !$0.measuredNothing }
                if measured.count > 1 {
                    // A multi-job file is usually a comparison: end with the table.
                    let baseline: EngineKind = measured.contains { $0.job.engine == .psync } ? .psync : measured[0].job.engine
                    let cases = CaseSummary.summarize(measured, order: measured.map { CaseKey($0.job) }, baselineEngine: baseline)
                    text += "\n" + ComparisonTable(cases: cases, baselineEngine: baseline).renderText()
                }
                return text
            case .json, .jsonPlus:
                var json = FioJSONReport(runGroups: groups, plus: format == .jsonPlus)
                json.globalOptions = file.globalOptions
                return try json.render()
            }
        }

        /// The failed job or group, after the report of those that finished.
        static func failureLine(_ failure: (group: [Int], error: BenchError), jobs: [JobSpec], finished count: Int) -> String {
            let finished = count == 1 ? "the job that finished" : "the \(count) jobs that finished"
            let which = failure.group.count == 1
                ? "job \(failure.group[0] + 1)/\(jobs.count) '\(jobs[failure.group[0]].name)'"
                : "the group of jobs \(failure.group.map { "\($0 + 1)" }.joined(separator: ","))/\(jobs.count) (\(failure.group.map { "'\(jobs[$0].name)'" }.joined(separator: ", ")))"
            return "\(which): \(failure.error) (the report covers \(finished) before it)"
        }

        /// The indices of the file's jobs, group by group (fio's stonewall groups).
        static func groupIndices(_ file: JobFile) -> [[Int]] {
            var out: [[Int]] = []
            for (i, job) in file.jobs.enumerated() {
                if i > 0, file.jobs[i - 1].group == job.group { out[out.count - 1].append(i) } else { out.append([i]) }
            }
            return out
        }
    }
}
