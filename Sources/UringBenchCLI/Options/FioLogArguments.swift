import ArgumentParser
import UringBench

/// fio's log files on the command line, spelled as fio's options with dashes.
struct FioLogArguments: ParsableArguments {
    @Option(name: .customLong("write-lat-log"), help: ArgumentHelp(JobOption.writeLatLog))
    var writeLatLog: String?

    @Option(name: .customLong("write-bw-log"), help: ArgumentHelp(JobOption.writeBWLog))
    var writeBWLog: String?

    @Option(name: .customLong("write-iops-log"), help: ArgumentHelp(JobOption.writeIOPSLog))
    var writeIOPSLog: String?

    @Option(name: .customLong("write-hist-log"), help: ArgumentHelp(JobOption.writeHistLog))
    var writeHistLog: String?

    @Option(name: .customLong("log-avg-msec"), help: ArgumentHelp(JobOption.logAvgMsec))
    var logAvgMsec: UInt64 = 0

    @Option(name: .customLong("log-hist-msec"), help: ArgumentHelp(JobOption.logHistMsec))
    var logHistMsec: UInt64 = 0

    @Option(name: .customLong("per-job-logs"), help: ArgumentHelp(JobOption.perJobLogs))
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

    /// A fio option's name as this command line spells it (write_lat_log: --write-lat-log).
    static func flagName(_ fioName: String) -> String { "--" + fioName.replacingOccurrences(of: "_", with: "-") }

    func validate() throws {
        if let problem = options.problem(Self.flagName) {
            throw ValidationError(problem.replacingOccurrences(of: "=", with: " "))
        }
    }
}
