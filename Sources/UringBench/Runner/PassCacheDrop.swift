import UringCore

/// fio's loop_cache_invalidate: a buffered file's cached pages are dropped each time a
/// time-based job starts a new pass over it, so a long run never ends up measuring memory.
/// Only the job's range (`DataFile.invalidateRange`), as fio's invalidate.
struct PassCacheDrop {
    let fd: Int32
    let range: JobRegion
    private var passesSeen: UInt64 = 0

    init(fd: Int32, range: JobRegion) {
        self.fd = fd
        self.range = range
    }

    @inline(__always)
    mutating func check(passes: UInt64) {
        guard passes != passesSeen else { return }
        passesSeen = passes
        Syscalls.dropCache(fd, offset: range.start, length: range.length)
    }
}
