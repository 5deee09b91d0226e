import CLiburing
import Glibc
import UringCore

/// What the two io_uring echo servers (URingEchoLoop, MultishotEchoLoop) ask of their ring in
/// the same words: waiting, arming the listener and waiting out the in-flight operations at shutdown.
extension IORing {
    /// Submits what is queued, waits up to 100 ms for a completion, and returns the time read
    /// after the wait (the echo loop's clock).
    func waitForCompletions() -> UInt64 {
        submitAndWait(timeoutNs: 100_000_000)
        return MonotonicClock.now()
    }

    /// A one-shot poll that completes when `listener` is readable again (after the accept limit
    /// paused accepting).
    func armListenerPoll(_ listener: Int32) {
        let s = sqe()
        io_uring_prep_poll_add(s, listener, UInt32(POLLIN))
        io_uring_sqe_set_data64(s, RingOp.listenerPoll.token(0))
    }

    /// An accept on `listener`: one connection, or (multishot) every one until it is cancelled.
    func armAccept(_ listener: Int32, multishot: Bool) {
        let s = sqe()
        if multishot {
            io_uring_prep_multishot_accept(s, listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
        } else {
            io_uring_prep_accept(s, listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
        }
        io_uring_sqe_set_data64(s, RingOp.accept.token(0))
    }

    /// Lets every in-flight operation complete (the kernel may still write into a buffer until
    /// its recv completes) before the ring and the buffers go: up to 2 s while `table` has
    /// live connections, `drain` handling what completed.
    func awaitClosing(_ table: ConnectionTable, drain: () -> Void) {
        let deadline = MonotonicClock.now() + 2_000_000_000
        while table.liveCount > 0 && MonotonicClock.now() < deadline {
            submitAndWait(timeoutNs: 50_000_000)
            drain()
        }
    }
}
