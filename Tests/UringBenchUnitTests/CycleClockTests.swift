import CSystemShims
import Glibc
import Testing
@testable import UringBench
@testable import UringCore

/// The IO loop's clock keeps CLOCK_MONOTONIC's time, never goes back, and reads the TSC
/// wherever the kernel itself keeps time with it.
struct CycleClockTests {
    @Test func readsTheCounterWhereTheKernelTrustsIt() {
        let trusted = CPUFeatures.invariantTSC && CycleClock.kernelClockSource() == "tsc"
        #expect(CycleClock.shared.readsCycles == trusted,
                "kernel clocksource \(CycleClock.kernelClockSource() ?? "?"), invariant TSC \(CPUFeatures.invariantTSC)")
    }

    @Test func agreesWithTheMonotonicClock() {
        var clock = CycleClock.shared
        let c0 = clock.now(), m0 = MonotonicClock.now()
        var pause = timespec(tv_sec: 0, tv_nsec: 200_000_000)
        nanosleep(&pause, nil)
        let c1 = clock.now(), m1 = MonotonicClock.now()
        // Same origin (its calibration, up to ppm drift since) and the same rate (within 0.1 %).
        #expect(c0 > m0 - 10_000_000 && c0 < m0 + 10_000_000, "clock \(c0) vs CLOCK_MONOTONIC \(m0)")
        let ratio = Double(c1 - c0) / Double(m1 - m0)
        #expect(abs(ratio - 1) < 0.001, "200 ms by the clock is \(ratio) × CLOCK_MONOTONIC's")
    }

    @Test func neverGoesBack() {
        var clock = CycleClock.shared
        var previous = clock.now()
        var backwards = 0
        for _ in 0..<1_000_000 {
            let t = clock.now()
            if t < previous { backwards += 1 }
            previous = t
        }
        #expect(backwards == 0)
    }
}
