import ArgumentParser
import UringBench

/// fio's log files on the command line, spelled as fio's options with dashes.
struct FioLogArguments: ParsableArguments {
    @Option(name: .customLong("write-lat-log"), help: ArgumentHelp("fio's write_lat_log: each IO's lat, slat and clat in NAME_lat.N.log, NAME_slat.N.log, NAME_clat.N.log (N: the job's thread, 1 to --numjobs).", valueName: "name"))
    var writeLatLog: String?

    @Option(name: .customLong("write-bw-log"), help: ArgumentHelp("fio's write_bw_log: bandwidth in NAME_bw.N.log.", valueName: "name"))
    var writeBWLog: String?

    @Option(name: .customLong("write-iops-log"), help: ArgumentHelp("fio's write_iops_log: IOPS in NAME_iops.N.log.", valueName: "name"))
    var writeIOPSLog: String?

    @Option(name: .customLong("write-hist-log"), help: ArgumentHelp("fio's write_hist_log: clat histograms in NAME_clat_hist.N.log, one per --log-hist-msec.", valueName: "name"))
    var writeHistLog: String?

    @Option(name: .customLong("log-avg-msec"), help: ArgumentHelp("fio's log_avg_msec: one averaged line per N ms window instead of one per IO (0).", valueName: "ms"))
    var logAvgMsec: UInt64 = 0

    @Option(name: .customLong("log-hist-msec"), help: ArgumentHelp("fio's log_hist_msec: the interval of the --write-hist-log histograms.", valueName: "ms"))
    var logHistMsec: UInt64 = 0

    @Option(name: .customLong("per-job-logs"), help: ArgumentHelp("fio's per_job_logs: 1 numbers each thread's files; 0 writes NAME_lat.log and so on, every thread adding its lines at the end.", valueName: "0|1"))
    var perJobLogs = FioBool(true)

    var options: FioLogOptions {
        var o = FioLogOptions()
        o.latency = writeLatLog
        o.bandwidth = writeBWLog
        o.iops = writeIOPSLog
        o.histogram = writeHistLog
        o.averageMilliseconds = logAvgMsec
        o.histogramMilliseconds = logHistMsec
        o.perJobLogs = perJobLogs.value
        return o
    }

    func validate() throws {
        if let problem = options.problem({ "--" + $0.replacingOccurrences(of: "_", with: "-") }) {
            throw ValidationError(problem.replacingOccurrences(of: "=", with: " "))
        }
    }
}
