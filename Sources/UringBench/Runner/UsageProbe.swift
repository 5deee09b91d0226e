import CSystemShims
import Glibc
import UringCore

/// What the loop reads at the start and end of the measured time, apart from its IOs: the
/// process's and the thread's CPU, the SQPOLL thread's CPU (it is not this thread: read from
/// /proc) and the disk's counters.
struct UsageProbe {
    let sqThread: Int32?
    let device: String?

    func mark(disk: Bool = true) -> UsageMark {
        UsageMark(process: Syscalls.getrusage(RUSAGE_SELF.rawValue),
                  thread: Syscalls.getrusage(CSystemShims_RUSAGE_THREAD),
                  sqThread: sqThread.flatMap { ThreadCPUTime.read(threadID: $0) },
                  disk: disk ? device.flatMap { DiskCounters.read(device: $0) } : nil)
    }
}
