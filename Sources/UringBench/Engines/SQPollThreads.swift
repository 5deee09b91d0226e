import Foundation
import Glibc
import UringCore

/// The SQPOLL kernel threads of this process. Since Linux 5.12 each is an io thread of the
/// process that made the ring, named `iou-sqp-<id of the thread that called io_uring_setup>`
/// (io_uring/sqpoll.c), so it is listed in /proc/self/task with its own CPU figures.
enum SQPollThreads {
    static let namePrefix = "iou-sqp-"

    /// Every SQ thread of the process now, by thread id, with its name.
    static func current() -> [Int32: String] {
        var threads: [Int32: String] = [:]
        for entry in Syscalls.directoryEntries("/proc/self/task") ?? [] {
            guard let id = Int32(entry),
                  let name = Syscalls.readTextFile("/proc/self/task/\(entry)/comm")?.trimmingCharacters(in: .newlines),
                  name.hasPrefix(namePrefix) else { continue }
            threads[id] = name
        }
        return threads
    }

    /// Every thread of the process now, named or not. A ring's SQ thread is created inside
    /// io_uring_setup, so the threads listed before it are never the new ring's, even one that
    /// the kernel names `iou-sqp-<creator>` only later: the thread of a ring the same thread
    /// closed a moment ago (the engine probe's) can get that name after this list was taken.
    static func allThreads() -> Set<Int32> {
        Set((Syscalls.directoryEntries("/proc/self/task") ?? []).compactMap { Int32($0) })
    }

    /// The SQ thread a ring just set up by thread `creator` started: the one named after
    /// `creator` that is not among `before` (a ring closed a moment ago, e.g. the probe's, may
    /// leave its thread behind for a while under the same name). The kernel names the thread
    /// when it first runs, so this waits up to `timeoutNanoseconds` for it; nil when none shows
    /// (a kernel before 5.12, whose SQ threads are not the process's).
    static func started(by creator: Int32, notAmong before: Set<Int32>, timeoutNanoseconds: UInt64 = 2_000_000_000) -> Int32? {
        let name = namePrefix + String(creator)
        let deadline = MonotonicClock.now() + timeoutNanoseconds
        while true {
            if let id = current().first(where: { $0.value == name && !before.contains($0.key) })?.key { return id }
            if MonotonicClock.now() >= deadline { return nil }
            var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&pause, nil)
        }
    }
}

