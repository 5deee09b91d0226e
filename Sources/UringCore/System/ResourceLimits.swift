import Glibc

/// getrlimit/setrlimit for the limits uringbench reports or raises; RLIM_INFINITY reads as
/// UInt64.max.
package enum ResourceLimits {
    /// RLIMIT_MEMLOCK's soft limit in bytes (what --fixedbufs may register); glibc's macro
    /// names the enum case __RLIMIT_MEMLOCK, which is what Swift sees.
    package static var lockedMemory: UInt64 { soft(__RLIMIT_MEMLOCK.rawValue) ?? .max }

    /// RLIMIT_NOFILE's soft limit (`ulimit -n`); 0 when it cannot be read.
    package static var openFiles: UInt64 { soft(RLIMIT_NOFILE.rawValue) ?? 0 }

    /// RLIMIT_NOFILE's hard limit; 0 when it cannot be read.
    package static var openFilesHard: UInt64 {
        var limit = rlimit()
        return getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 ? UInt64(limit.rlim_max) : 0
    }

    /// Raises (or lowers) RLIMIT_NOFILE's soft limit: 0 or -errno.
    package static func setOpenFiles(_ soft: UInt64) -> Int32 {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        if getrlimit(resource, &limit) != 0 { return -errno }
        limit.rlim_cur = rlim_t(soft)
        return setrlimit(resource, &limit) == 0 ? 0 : -errno
    }

    private static func soft(_ resource: UInt32) -> UInt64? {
        var limit = rlimit()
        return getrlimit(__rlimit_resource_t(resource), &limit) == 0 ? UInt64(limit.rlim_cur) : nil
    }
}
