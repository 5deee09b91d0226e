/// What a result merged from a numjobs group keeps of its jobs, for the figures fio derives
/// from all of them: its CPU percentages divide the jobs' summed CPU time by their summed
/// runtime (fio's `job_runtime`).
public struct GroupFigures: Codable, Sendable, Equatable {
    public var jobs: Int
    /// The jobs' runtimes added up.
    var jobRuntimeNanoseconds: UInt64
}
