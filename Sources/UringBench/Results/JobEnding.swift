/// What ended a job's measured run. fio ends a time-based job at its runtime and a size-bound
/// one once its io_size, number_ios and loops are done, with runtime as a cap; the report says
/// which (fio's own JSON has no such key, so it goes in uringbench's section).
public enum JobEnding: String, Codable, Sendable {
    /// A time-based job ran its runtime (or its group's window ended).
    case runtime
    /// A size-bound job issued what io_size, number_ios and loops ask, and it completed.
    case ioLimit = "io_limit"
    /// A size-bound job reached its runtime cap first (or its group's window ended).
    case runtimeCap = "runtime_cap"
    /// Ctrl-C or SIGTERM.
    case interrupted

    init(timeBased: Bool, interrupted: Bool, issuedAll: Bool) {
        if interrupted { self = .interrupted } else if issuedAll { self = .ioLimit } else { self = timeBased ? .runtime : .runtimeCap }
    }
}
