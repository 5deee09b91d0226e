import Glibc

/// SIGINT, SIGTERM and SIGHUP stop a run: the handler (StopLatch's, which only sets a flag the
/// loops poll) is installed without SA_RESTART, so a blocking io_uring_enter or io_getevents returns
/// EINTR and the loop sees the flag.
package enum StopHandler {
    /// SIGHUP (the terminal went away) is a stop like SIGTERM: clean up, report what was
    /// measured. Under nohup it arrives ignored, and the user asked for exactly that: it stays
    /// ignored. A parent may start us with these signals blocked (posix_spawn passes its mask
    /// on): they are unblocked.
    package static func install() throws(Errno) {
        StopLatch.prepare()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = StopLatch.handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for stop in [SIGINT, SIGTERM] {
            if sigaction(stop, &action, nil) != 0 { throw .current }
        }
        var hangUp = sigaction()
        if sigaction(SIGHUP, nil, &hangUp) != 0 { throw .current }
        let ignored = unsafeBitCast(hangUp.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
        if !ignored && sigaction(SIGHUP, &action, nil) != 0 { throw .current }
        var stops = sigset_t()
        sigemptyset(&stops)
        for stop in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stops, stop) }
        if sigprocmask(SIG_UNBLOCK, &stops, nil) != 0 { throw .current }
    }
}
