/// One job section of a group of jobs that run at the same time (fio's jobs between two
/// stonewalls): the job, run as its `numjobs` threads, when it starts after the group's start
/// (fio's startdelay), and its log files.
public struct GroupJob: Sendable {
    public var spec: JobSpec
    /// fio's startdelay: the job's threads start this long after the group's barrier, and the
    /// job's ramp and runtime count from there.
    public var startDelayNanoseconds: UInt64
    public var logs: FioLogFileSet?

    public init(_ spec: JobSpec, startDelayNanoseconds: UInt64 = 0, logs: FioLogFileSet? = nil) {
        self.spec = spec
        self.startDelayNanoseconds = startDelayNanoseconds
        self.logs = logs
    }

    /// When the job stops measuring, counted from the group's start: every copy of it alike.
    var endsAfterNanoseconds: UInt64 { startDelayNanoseconds &+ spec.rampNanoseconds &+ spec.runtimeNanoseconds }
}
