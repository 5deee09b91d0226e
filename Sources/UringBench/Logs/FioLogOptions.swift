/// fio's log options: which logs a job writes (`write_lat_log`, `write_bw_log`,
/// `write_iops_log`, `write_hist_log`, each naming a prefix), how their samples are averaged
/// (`log_avg_msec`, `log_hist_msec`) and how the files are named (`per_job_logs`).
///
/// Names are fio's (init.c gen_log_name): `PREFIX_<type>.<N>.log`, N the job's thread number
/// (1, 2, … over every job of a job file in order, each numjobs copy counted; 1 on the command
/// line); with `per_job_logs=0`, `PREFIX_<type>.log`, which every job naming that prefix adds its
/// lines to (fio opens it for appending). An empty prefix is the job's name, as in fio.
public struct FioLogOptions: Sendable, Equatable {
    /// write_lat_log=PREFIX: PREFIX_lat, PREFIX_clat and PREFIX_slat.
    public var latency: String? = nil
    /// write_bw_log=PREFIX: PREFIX_bw.
    public var bandwidth: String? = nil
    /// write_iops_log=PREFIX: PREFIX_iops.
    public var iops: String? = nil
    /// write_hist_log=PREFIX: PREFIX_clat_hist.
    public var histogram: String? = nil
    /// log_avg_msec: 0 logs every IO; N logs one average per N ms window and direction.
    public var averageMilliseconds: UInt64 = 0
    /// log_hist_msec: one clat histogram line per direction every N ms.
    public var histogramMilliseconds: UInt64 = 0
    /// per_job_logs (fio's default 1): the thread number in each file name.
    public var perJobLogs = true

    public init() {}

    /// The largest log_avg_msec and log_hist_msec: a day.
    static let maxMilliseconds: UInt64 = 24 * 3600 * 1000

    public var isEmpty: Bool { latency == nil && bandwidth == nil && iops == nil && histogram == nil }

    /// The log options set, by fio name.
    public var optionNames: [String] {
        [("write_lat_log", latency != nil), ("write_bw_log", bandwidth != nil), ("write_iops_log", iops != nil),
         ("write_hist_log", histogram != nil), ("log_avg_msec", averageMilliseconds > 0),
         ("log_hist_msec", histogramMilliseconds > 0), ("per_job_logs", !perJobLogs)].filter { $0.1 }.map { $0.0 }
    }

    /// Why a job under gtod_reduce cannot write these logs, nil when it writes none: fio writes
    /// them with empty latencies and timestamps of its 64-IO clock; `name` as in `problem`.
    public func gtodReduceProblem(_ name: (String) -> String = { $0 }) -> String? {
        guard !isEmpty, let log = optionNames.first else { return nil }
        return "\(name("gtod_reduce")) measures no latency and reads the clock only every 64 IOs, so \(name(log)) would log empty or stale figures (fio writes them anyway); drop \(name("gtod_reduce")) or \(name(log))"
    }

    /// Every file these options write for thread `threadNumber` of job `jobName`, in fio's names.
    public func files(jobName: String, threadNumber: Int) -> [(kind: FioLogKind, path: String)] {
        var prefixes: [(FioLogKind, String)] = []
        if let latency { prefixes += [(.lat, latency), (.slat, latency), (.clat, latency)] }
        if let histogram { prefixes.append((.clatHistogram, histogram)) }
        if let bandwidth { prefixes.append((.bw, bandwidth)) }
        if let iops { prefixes.append((.iops, iops)) }
        return prefixes.map { kind, prefix in
            let name = prefix.isEmpty ? jobName : prefix
            return (kind, perJobLogs ? "\(name)_\(kind.rawValue).\(threadNumber).log" : "\(name)_\(kind.rawValue).log")
        }
    }

    /// Why these options cannot act, nil when they can; `name` spells an option (fio's job-file
    /// name by default, `--write-lat-log` and so on on the command line).
    public func problem(_ name: (String) -> String = { $0 }) -> String? {
        for (option, ms) in [("log_avg_msec", averageMilliseconds), ("log_hist_msec", histogramMilliseconds)] where ms > Self.maxMilliseconds {
            return "\(name(option)) must be at most \(Self.maxMilliseconds) (a day; got \(ms)); use e.g. \(name(option))=1000"
        }
        if histogram != nil && histogramMilliseconds == 0 {
            // fio accepts it and writes an empty file: it logs histograms only per interval.
            return "\(name("write_hist_log")) needs \(name("log_hist_msec")) (fio logs histograms only every log_hist_msec and writes an empty file without it); add e.g. \(name("log_hist_msec"))=1000"
        }
        if histogram == nil && histogramMilliseconds > 0 {
            return "\(name("log_hist_msec")) sets the interval of \(name("write_hist_log")), which is not given; add \(name("write_hist_log"))=NAME or drop \(name("log_hist_msec"))"
        }
        if averageMilliseconds > 0 && latency == nil && bandwidth == nil && iops == nil {
            return "\(name("log_avg_msec")) averages the lat, bw and iops logs, and none is written; add \(name("write_lat_log")), \(name("write_bw_log")) or \(name("write_iops_log")), or drop \(name("log_avg_msec"))"
        }
        if !perJobLogs && isEmpty {
            return "\(name("per_job_logs"))=0 names the log files, and none is written; add \(name("write_lat_log"))=NAME (or another log) or drop \(name("per_job_logs"))"
        }
        return nil
    }
}
