import Foundation
import Glibc
import UringCore

/// `--sqpoll-shared`: the first job's ring, which every other ring of the group attaches to
/// (IORING_SETUP_ATTACH_WQ with `wq_fd`), so one SQ thread serves them all. The first job
/// publishes its ring once its engine is fully set up, and the others wait for that before
/// they create theirs: the order is fixed whatever order the job threads run in. The share
/// keeps its own copy of the ring's fd until the group ends, so a ring that attaches late
/// never finds the first one closed, or its fd number reused.
final class SQThreadShare: EngineGroupShare, @unchecked Sendable {
    /// The first job's ring as the others attach to it.
    struct FirstRing {
        /// A duplicate of the ring's fd, owned by the share.
        let fd: Int32
        /// Its SQ thread, nil when it was not found in /proc/self/task.
        let sqThread: Int32?
    }

    private let condition = NSCondition()
    private var first: FirstRing? = nil
    private var failed = false

    /// The first job's engine, once set up.
    func publish(ringFD: Int32, sqThread: Int32?) throws(BenchError) {
        let copy = fcntl(ringFD, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw .system(context: "keeping the first ring for --sqpoll-shared (dup)", error: .current) }
        condition.lock()
        defer { condition.unlock() }
        first = FirstRing(fd: copy, sqThread: sqThread)
        condition.broadcast()
    }

    /// Waits until the first job's ring is set up; nil when the first job failed instead.
    func waitForFirstRing() -> FirstRing? {
        condition.lock()
        defer { condition.unlock() }
        while first == nil && !failed { condition.wait() }
        return first
    }

    func jobFailed(_ index: Int) {
        guard index == 0 else { return }
        condition.lock()
        failed = true
        condition.broadcast()
        condition.unlock()
    }

    func groupEnded() {
        condition.lock()
        if let first { Syscalls.close(first.fd) }
        first = nil
        failed = true
        condition.unlock()
    }

    deinit { if let first { Syscalls.close(first.fd) } }
}
