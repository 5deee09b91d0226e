/// What the engines of one numjobs group share, when an engine needs that (io_uring_sqpoll's
/// `--sqpoll-shared`: the first job's ring, which the others attach to). The engine's
/// descriptor makes it once per group; every job's engine finds it in its context.
public protocol EngineGroupShare: AnyObject, Sendable {
    /// Job `index` failed (possibly before it set up what the others wait for): no job may
    /// wait for it any longer.
    func jobFailed(_ index: Int)
    /// Every job has ended: release what was kept for the others.
    func groupEnded()
}
