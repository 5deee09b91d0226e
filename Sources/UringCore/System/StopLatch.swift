import Glibc
import Synchronization

/// The SIGINT/SIGTERM/SIGHUP latch: the handler only stores into two lock-free atomics (no
/// allocation, no lock, no reference counting: async-signal-safe), and the loops poll
/// `requested` between IOs.
package enum StopLatch {
    private static let flag = Atomic<Bool>(false)
    /// The signal that last asked for a stop, for messages; 0 if none, never reset.
    private static let lastSignal = Atomic<Int32>(0)

    /// True once a stop signal has arrived.
    package static var requested: Bool { flag.load(ordering: .relaxed) }

    /// The signal that last asked for a stop (SIGINT, SIGTERM, SIGHUP), 0 if none.
    package static var last: Int32 { lastSignal.load(ordering: .relaxed) }

    /// The handler StopHandler.install sets up.
    static let handler: @convention(c) (Int32) -> Void = { signal in
        StopLatch.lastSignal.store(signal, ordering: .relaxed)
        StopLatch.flag.store(true, ordering: .relaxed)
    }

    /// Runs both globals' one-time initialisation now, so the handler never does (swift_once
    /// is not async-signal-safe the first time).
    static func prepare() {
        _ = flag.load(ordering: .relaxed)
        _ = lastSignal.load(ordering: .relaxed)
    }
}
