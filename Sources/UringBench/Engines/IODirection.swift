/// What one IO does (fio's `io_u->ddir`): it travels with the IO from the workload through the
/// engine to the completion, so reads, writes and syncs are queued, timed and reported apart.
public enum IODirection: UInt8, Sendable, Codable, CaseIterable {
    case read       // DDIR_READ: pread, IORING_OP_READ, io_prep_pread
    case write      // DDIR_WRITE: pwrite, IORING_OP_WRITE, io_prep_pwrite
    case sync       // DDIR_SYNC: fsync, IORING_OP_FSYNC
    case datasync   // DDIR_DATASYNC: fdatasync, IORING_OP_FSYNC with IORING_FSYNC_DATASYNC

    /// Moves data (a read or a write), as opposed to a sync of what was written.
    @inline(__always)
    var isData: Bool { self == .read || self == .write }
}
