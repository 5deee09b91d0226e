import Glibc

/// One thread's CPU time as `/proc/self/task/TID/stat` has it (utime and stime, fields 14 and
/// 15, in clock ticks): how the CPU of a thread uringbench did not start itself, the SQPOLL
/// kernel thread, is read. getrusage(RUSAGE_THREAD) only measures the calling thread.
public struct ThreadCPUTime: Codable, Sendable, Equatable {
    public var threadID: Int32
    public var userSeconds: Double
    public var systemSeconds: Double

    public init(threadID: Int32, userSeconds: Double, systemSeconds: Double) {
        self.threadID = threadID
        self.userSeconds = userSeconds
        self.systemSeconds = systemSeconds
    }

    public var seconds: Double { userSeconds + systemSeconds }

    /// The thread's CPU time so far; nil when it is not (or no longer) a thread of this process.
    public static func read(threadID: Int32) -> ThreadCPUTime? {
        guard let stat = Syscalls.readTextFile("/proc/self/task/\(threadID)/stat") else { return nil }
        return parse(stat: stat, threadID: threadID, ticksPerSecond: Double(max(1, sysconf(Int32(_SC_CLK_TCK)))))
    }

    /// A whole process's CPU time so far, all its threads (/proc/PID/stat, the same fields);
    /// nil once it cannot be read.
    package static func readProcess(_ processID: Int32) -> ThreadCPUTime? {
        guard let stat = Syscalls.readTextFile("/proc/\(processID)/stat") else { return nil }
        return parse(stat: stat, threadID: processID, ticksPerSecond: Double(max(1, sysconf(Int32(_SC_CLK_TCK)))))
    }

    /// User and system time in microseconds (whole clock ticks, so exact).
    package var userMicroseconds: Int64 { Int64((userSeconds * 1e6).rounded()) }
    package var systemMicroseconds: Int64 { Int64((systemSeconds * 1e6).rounded()) }

    /// fields 14 and 15 of a stat line. The name (field 2) may hold spaces and parentheses, so
    /// the fields are counted from the last ')'.
    static func parse(stat: String, threadID: Int32, ticksPerSecond: Double) -> ThreadCPUTime? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After the name: field 3 (state) is the first.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return ThreadCPUTime(threadID: threadID, userSeconds: Double(user) / ticksPerSecond,
                             systemSeconds: Double(system) / ticksPerSecond)
    }

    /// The CPU time between two readings of the same thread.
    public static func - (end: ThreadCPUTime, start: ThreadCPUTime) -> ThreadCPUTime {
        ThreadCPUTime(threadID: end.threadID, userSeconds: max(0, end.userSeconds - start.userSeconds),
                      systemSeconds: max(0, end.systemSeconds - start.systemSeconds))
    }
}
