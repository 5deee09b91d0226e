import CLiburing

/// io_uring's setup flags by name (liburing 2.3's IORING_SETUP_*), in bit order: one table for
/// the engine's setup line, the network loops' ring flags and the `engines` probe.
package enum IORingSetupFlags {
    /// Each flag with the flags the kernel needs alongside it when it is tried alone, or nil when
    /// it cannot be tried alone (it needs a value: CQSIZE's cq_entries, ATTACH_WQ's wq_fd).
    package static let known: [(flag: UInt32, name: String, probeWith: UInt32?)] = [
        (IORING_SETUP_IOPOLL, "IOPOLL", 0), (IORING_SETUP_SQPOLL, "SQPOLL", 0),
        (IORING_SETUP_SQ_AFF, "SQ_AFF", IORING_SETUP_SQPOLL), (IORING_SETUP_CQSIZE, "CQSIZE", nil),
        (IORING_SETUP_CLAMP, "CLAMP", 0), (IORING_SETUP_ATTACH_WQ, "ATTACH_WQ", nil),
        (IORING_SETUP_R_DISABLED, "R_DISABLED", 0), (IORING_SETUP_SUBMIT_ALL, "SUBMIT_ALL", 0),
        (IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN", 0), (IORING_SETUP_TASKRUN_FLAG, "TASKRUN_FLAG", IORING_SETUP_COOP_TASKRUN),
        (IORING_SETUP_SQE128, "SQE128", 0), (IORING_SETUP_CQE32, "CQE32", 0),
        (IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER", 0), (IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN", IORING_SETUP_SINGLE_ISSUER),
    ]

    /// The names of the flags set in `flags`, in bit order.
    package static func names(_ flags: UInt32) -> [String] {
        known.filter { flags & $0.flag != 0 }.map(\.name)
    }
}
