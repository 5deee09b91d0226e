import Glibc

/// What stopped a run early, in the words a report uses: "Ctrl-C" for SIGINT, the signal's
/// name for SIGTERM and SIGHUP (a service manager or a closed terminal, not a key press), and
/// "a stop signal" when this process saw none (a results file read back).
public enum StopCause {
    public static var phrase: String {
        switch StopLatch.last {
        case SIGINT: return "Ctrl-C"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "a stop signal"
        }
    }
}
