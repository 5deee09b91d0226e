import Glibc
import UringCore

/// The listener of the two io_uring echo servers: URingEchoLoop's accept is single-shot (re-armed
/// after each connection), MultishotEchoLoop's multishot (re-armed only when the kernel ends it).
/// At the open-file limit the waiting clients are refused (AcceptShedder), then a poll waits for
/// the next one, or, when even refusing failed, accepting pauses and resumes later.
struct RingAcceptor {
    let listener: Int32
    let multishot: Bool
    private let ring: IORing
    private var shedder = AcceptShedder()

    /// Arms the first accept.
    init(listener: Int32, multishot: Bool, ring: IORing) {
        self.listener = listener
        self.multishot = multishot
        self.ring = ring
        ring.armAccept(listener, multishot: multishot)
    }

    /// The connection an accept completed with, ready to serve; nil when it failed, or when the
    /// server is stopping (the connection is closed at once).
    @inline(__always)
    static func connection(_ res: Int32, stopping: Bool) -> Int32? {
        guard res >= 0 else { return nil }
        if stopping { Syscalls.close(res); return nil }
        _ = Socket.setNoDelay(res)
        return res
    }

    /// After an accept's completion (`more`: the multishot accept is still armed): keeps
    /// accepting unless the server is stopping.
    @inline(__always)
    mutating func rearm(after res: Int32, more: Bool, now: UInt64, stopping: Bool, stats: inout EchoServerStats) {
        if AcceptShedder.isDescriptorLimit(res) {
            // io_uring's accept takes a descriptor before it waits, so one re-armed now would
            // fail now: refuse what waits, then wait for the next client with a poll.
            let paused = shedder.handleLimit(on: listener, now: now, stats: &stats)
            if !paused && !stopping && !more { ring.armListenerPoll(listener) }
            return
        }
        if !more && !stopping { ring.armAccept(listener, multishot: multishot) }
    }

    /// The poll armed after a refusal completed: a client waits, accept again.
    func listenerReadable(stopping: Bool) {
        if !stopping { ring.armAccept(listener, multishot: multishot) }
    }

    /// Accepts again when a pause begun at the limit has run out at `now`.
    @inline(__always)
    mutating func resumeIfPauseEnded(now: UInt64, stopping: Bool) {
        if !stopping && shedder.pauseEnds(at: now) { ring.armAccept(listener, multishot: multishot) }
    }

    mutating func close() {
        shedder.close()
    }
}
