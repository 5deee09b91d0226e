import UringCore

/// The SQPOLL kernel threads' CPU over the measured interval, each read from
/// /proc/self/task/TID/stat at the interval's start and end. They are threads of this
/// process, so the process CPU includes them; this is their part of it, measured rather than
/// derived.
public struct SQThreadUsage: Codable, Sendable, Equatable {
    /// Each SQ thread once, with its CPU time over the interval.
    public var threads: [ThreadCPUTime]
    /// The rings they served (a job's result: 1; a group's: its jobs). More rings than
    /// threads: the rings shared their SQ thread (--sqpoll-shared).
    var rings: Int

    public init(threads: [ThreadCPUTime], rings: Int) {
        self.threads = threads
        self.rings = rings
    }

    var userSeconds: Double { threads.map(\.userSeconds).reduce(0, +) }
    var systemSeconds: Double { threads.map(\.systemSeconds).reduce(0, +) }
    public var seconds: Double { userSeconds + systemSeconds }

    /// The jobs of a group together. Jobs that shared an SQ thread each measured it over
    /// their own interval: it is counted once, over the widest of them (as the process CPU
    /// is). nil unless every job measured its thread: a sum with a job missing would be low.
    public static func merge(_ parts: [SQThreadUsage?]) -> SQThreadUsage? {
        let measured = parts.compactMap { $0 }
        guard !measured.isEmpty && measured.count == parts.count else { return nil }
        var widest: [ThreadCPUTime] = []
        for t in measured.flatMap(\.threads) {
            if let i = widest.firstIndex(where: { $0.threadID == t.threadID }) {
                if t.seconds > widest[i].seconds { widest[i] = t }
            } else {
                widest.append(t)
            }
        }
        return SQThreadUsage(threads: widest, rings: measured.map(\.rings).reduce(0, +))
    }
}
