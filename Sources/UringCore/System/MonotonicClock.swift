import CSystemShims
import Glibc

/// CLOCK_MONOTONIC in nanoseconds. Through the vDSO this measured ~20 ns a call, no syscall,
/// cheap enough to stamp every IO the way fio does.
@usableFromInline package enum MonotonicClock {
    @inlinable @inline(__always)
    package static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
