/// IOPS of each whole interval of a run, from the start of measuring: fio's iops log at
/// `log_avg_msec` (compare records it at 1000 ms for every case), reads and writes summed and
/// the jobs of a numjobs group summed. The view of throughput against time: where the page
/// cache fills, the line falls.
public struct IOPSTimeSeries: Codable, Sendable, Equatable {
    /// compare's interval: one point per second, fio's log_avg_msec=1000.
    static let compareIntervalMilliseconds: UInt64 = 1000

    var intervalMilliseconds: UInt64
    /// IO/s over each whole interval, as fio's iops log line for it (IOs · 1000 / interval).
    public var iops: [UInt64]
    /// IOs completed after the last whole interval, which no point counts (fio logs no partial
    /// interval): with a 1000 ms interval, the points' sum plus these is the run's IOs.
    var iosAfterLastInterval: UInt64

    public init(intervalMilliseconds: UInt64, iops: [UInt64], iosAfterLastInterval: UInt64) {
        self.intervalMilliseconds = intervalMilliseconds
        self.iops = iops
        self.iosAfterLastInterval = iosAfterLastInterval
    }

    /// The log options compare records every run with: the iops log alone, averaged per second,
    /// kept in memory.
    static var compareLogOptions: FioLogOptions {
        var options = FioLogOptions()
        options.iops = ""
        options.averageMilliseconds = compareIntervalMilliseconds
        return options
    }

    /// A recording for a run of `job`: one in-memory iops log per job thread.
    static func recording(for job: JobSpec) -> FioLogFileSet {
        FioLogFileSet(recordingOnly: compareLogOptions, numjobs: job.numjobs)
    }

    /// What the threads of `set` recorded, summed per interval; nil when a thread recorded
    /// nothing (the run was stopped before measuring). The series ends with the thread whose
    /// intervals ended first, so every point holds every thread; later lines count as after it.
    init?(recorded set: FioLogFileSet) {
        let recorders = set.threads.compactMap(\.recorded)
        guard let first = set.threads.first, recorders.count == set.threads.count,
              let whole = recorders.map(\.wholeRateIntervals).min() else { return nil }
        let interval = max(1, first.options.averageMilliseconds)
        var points = [UInt64](repeating: 0, count: Int(clamping: whole))
        var after: UInt64 = 0
        for recorder in recorders {
            after &+= recorder.iosAfterLastInterval
            recorder.averaged[.iops]?.forEach { line in
                // A line is logged at its interval's end.
                let index = line.milliseconds / interval
                if index >= 1 && index <= UInt64(points.count) {
                    points[Int(index - 1)] &+= line.value
                } else {
                    after &+= line.value &* interval / 1000
                }
            }
        }
        self.init(intervalMilliseconds: interval, iops: points, iosAfterLastInterval: after)
    }

    /// IOs the points count (each IO/s × the interval).
    var loggedIOs: Double { iops.reduce(0.0) { $0 + Double($1) } * Double(intervalMilliseconds) / 1000 }
}
