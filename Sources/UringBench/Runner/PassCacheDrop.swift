import UringCore

/// fio's loop_cache_invalidate: a buffered file's cached pages are dropped each time a
/// time-based job starts a new pass over it, so a long run never ends up measuring memory.
struct PassCacheDrop {
    let fd: Int32
    private var passesSeen: UInt64 = 0

    init(fd: Int32) { self.fd = fd }

    @inline(__always)
    mutating func check(passes: UInt64) {
        guard passes != passesSeen else { return }
        passesSeen = passes
        Syscalls.dropCache(fd)
    }
}
