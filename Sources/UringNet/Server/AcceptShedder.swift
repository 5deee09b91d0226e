import CSystemShims
import Glibc
import UringCore

/// What a server does when accept fails with EMFILE or ENFILE. The waiting connection stays in
/// the backlog, so the listener stays readable (epoll) and a re-armed accept fails again at once
/// (io_uring): without this the loop spins at 100% CPU for as long as clients wait. The reserve
/// descriptor trick: one descriptor is held open for this moment; it is closed, each waiting
/// connection is accepted and closed at once (the client sees EOF: refused, and counted), then
/// the reserve is taken back. When even that fails, the caller stops accepting for `backoff`.
struct AcceptShedder {
    private var reserve: Int32
    /// Non-zero while accepting is paused: when it resumes.
    private var pausedUntil: UInt64 = 0
    static let backoffNanoseconds: UInt64 = 100_000_000

    init() {
        reserve = Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    static func isDescriptorLimit(_ negatedErrno: Int32) -> Bool {
        negatedErrno == -EMFILE || negatedErrno == -ENFILE
    }

    /// Accepts and closes every connection waiting on `listener` (blocking or not: it polls
    /// before each accept). Returns how many it refused, or nil when no descriptor could be
    /// freed for it (the caller then backs off).
    mutating func refuseWaiting(on listener: Int32) -> Int? {
        guard reserve >= 0 else {
            reserve = Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC)
            return nil
        }
        Syscalls.close(reserve)
        reserve = -1
        var refused = 0
        var stillAtLimit = false
        while true {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 0) <= 0 { break }
            let fd = Socket.acceptNonBlocking(listener)
            if fd < 0 { stillAtLimit = Self.isDescriptorLimit(fd); break }
            Syscalls.close(fd)
            refused += 1
        }
        reserve = Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC)
        // ENFILE (the whole system is out) survives the freed reserve: back off then.
        return stillAtLimit && refused == 0 ? nil : refused
    }

    /// The engines' reaction to EMFILE/ENFILE: refuse and count what waits, and accept again
    /// now (false), or pause accepting for `backoffNanoseconds` (true).
    mutating func handleLimit(on listener: Int32, now: UInt64, stats: inout EchoServerStats) -> Bool {
        guard let refused = refuseWaiting(on: listener) else {
            pausedUntil = now + Self.backoffNanoseconds
            return true
        }
        stats.refused += UInt64(refused)
        pausedUntil = 0
        return false
    }

    /// True once, when a pause `handleLimit` began has run out at `now` (accept again); it ends.
    mutating func pauseEnds(at now: UInt64) -> Bool {
        guard pausedUntil != 0 && now >= pausedUntil else { return false }
        pausedUntil = 0
        return true
    }

    mutating func close() {
        if reserve >= 0 { Syscalls.close(reserve) }
        reserve = -1
    }
}
