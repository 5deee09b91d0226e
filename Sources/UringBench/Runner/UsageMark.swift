import Glibc
import UringCore

/// One reading of `UsageProbe`: the figures a run's CPU and disk lines are differences of.
struct UsageMark {
    var process: rusage
    var thread: rusage
    var sqThread: ThreadCPUTime?
    var disk: DiskCounters?
}
