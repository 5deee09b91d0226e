import UringCore

/// What an engine's descriptor hands its freshly made engine to: the runner's loop, called with
/// the engine's concrete type so each engine gets its own specialised copy (no dynamic
/// dispatch per IO).
public struct EngineDriver {
    let job: JobSpec
    let file: DataFile
    let buffers: AlignedBuffers
    let blockCount: UInt64
    let machine: MachineInfo
    let progress: ((ProgressSnapshot) -> Void)?
    /// Job `jobIndex` of a numjobs group (nil: a job on its own).
    var group: JobGroupControl? = nil
    var jobIndex = 0
    /// Its index among every thread of its group, and its job's startdelay.
    var groupThread = 0
    var startDelay: UInt64 = 0
    var beforeReadBack: ReadBack.Hook? = nil
    /// The thread's fio log files, which receive what the loop recorded for them.
    var logs: FioLogFiles? = nil

    func drive<E: IOEngine>(_ engine: E) throws(BenchError) -> RunResult {
        try Runner.drive(engine, job: job, file: file, buffers: buffers, blockCount: blockCount,
                         machine: machine, progress: progress, group: group, jobIndex: jobIndex, groupThread: groupThread, startDelay: startDelay, beforeReadBack: beforeReadBack, logs: logs)
    }
}
