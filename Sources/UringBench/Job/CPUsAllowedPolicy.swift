/// How a numjobs group shares its `cpus_allowed` (fio's `cpus_allowed_policy`).
public enum CPUsAllowedPolicy: String, Codable, Sendable, CaseIterable {
    /// Every job may run on every CPU of the list.
    case shared
    /// Each job gets one CPU of the list, in order.
    case split
}
