import CSystemShims
import Glibc

/// The IO loop's clock: CLOCK_MONOTONIC's nanoseconds, read from the CPU's time-stamp counter
/// when the kernel keeps its own time with it (clocksource "tsc", invariant TSC) — what fio's
/// default clocksource=cpu does — and from clock_gettime otherwise. At three clock reads per IO,
/// the vDSO's clock_gettime was about 60 % of the null engine's per-IO cost.
/// Public, where most of UringCore is `package`: Swift 6.3 does not inline a `package`
/// @inlinable method into another module: every read was a call (objdump counted 156 in the
/// release build before).
public struct CycleClock: Sendable {
    @usableFromInline let baseCycles: UInt64
    @usableFromInline let baseNanoseconds: UInt64
    /// Nanoseconds per cycle, times 2^32.
    @usableFromInline let scale: UInt64
    /// False: every read is clock_gettime(CLOCK_MONOTONIC).
    @usableFromInline let readsCycles: Bool
    /// The last value returned: a read never goes back (a thread moved to another CPU).
    @usableFromInline var last: UInt64 = 0

    /// Calibrated once per process, on first use (about 20 ms).
    package static let shared = CycleClock.calibrated()

    @inlinable @inline(__always)
    public mutating func now() -> UInt64 {
        guard readsCycles else { return MonotonicClock.now() }
        let elapsed = CSystemShims_cycles() &- baseCycles
        // Before the base (another CPU's counter a little behind): the base itself.
        let cycles = Int64(bitPattern: elapsed) < 0 ? 0 : elapsed
        let product = cycles.multipliedFullWidth(by: scale)
        var t = baseNanoseconds &+ (product.high << 32 | product.low >> 32)
        if t < last { t = last }
        last = t
        return t
    }

    private init(baseCycles: UInt64, baseNanoseconds: UInt64, scale: UInt64, readsCycles: Bool) {
        self.baseCycles = baseCycles
        self.baseNanoseconds = baseNanoseconds
        self.scale = scale
        self.readsCycles = readsCycles
    }

    static let monotonic = CycleClock(baseCycles: 0, baseNanoseconds: 0, scale: 0, readsCycles: false)

    /// The kernel's clocksource (/sys/devices/system/clocksource/clocksource0/current_clocksource).
    static func kernelClockSource() -> String? {
        Syscalls.readTextFile("/sys/devices/system/clocksource/clocksource0/current_clocksource")?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The counter's rate against CLOCK_MONOTONIC over 20 ms; each end is the tightest of five
    /// (cycles, nanoseconds) pairs, so a preemption between the two reads does not skew it.
    static func calibrated() -> CycleClock {
        guard CPUFeatures.invariantTSC, kernelClockSource() == "tsc" else { return monotonic }
        func pair() -> (cycles: UInt64, nanoseconds: UInt64) {
            var best: (gap: UInt64, cycles: UInt64, nanoseconds: UInt64) = (.max, 0, 0)
            for _ in 0..<5 {
                let c0 = CSystemShims_cycles()
                let ns = MonotonicClock.now()
                let c1 = CSystemShims_cycles()
                if c1 >= c0 && c1 - c0 < best.gap { best = (c1 - c0, c0 + (c1 - c0) / 2, ns) }
            }
            return (best.cycles, best.nanoseconds)
        }
        let a = pair()
        var pause = timespec(tv_sec: 0, tv_nsec: 20_000_000)
        nanosleep(&pause, nil)
        let b = pair()
        guard b.cycles > a.cycles, b.nanoseconds > a.nanoseconds else { return monotonic }
        let nanosecondsPerCycle = Double(b.nanoseconds - a.nanoseconds) / Double(b.cycles - a.cycles)
        // 0.1 to 20 GHz; anything else is not a usable counter.
        guard nanosecondsPerCycle > 0.05 && nanosecondsPerCycle < 10 else { return monotonic }
        return CycleClock(baseCycles: b.cycles, baseNanoseconds: b.nanoseconds,
                          scale: UInt64(nanosecondsPerCycle * 4_294_967_296), readsCycles: true)
    }
}
