import Glibc
import Testing
import UringCore
@testable import UringBench

/// io_submit_mode=offload on a device slower than the rate, in the real loop (`Runner.drive`)
/// over an engine that finishes an IO only once `hold` later IOs have been queued: nothing
/// completes while the job waits on what it has in flight. fio's offload job thread hands IOs
/// over on the rate's schedule whatever the completions do; inline, a job ahead of its rate
/// waits for a completion first. No time is measured: the engine counts how often the loop
/// blocked on a completion while IOs were still to be issued and a slot was free.
@Suite struct OffloadScheduleTests {
    final class HoldingEngine: IOEngine {
        let blockSize: Int32
        let hold: Int
        let total: Int
        var inFlight: [Int] = []
        var uncommitted = 0
        var issued = 0
        var taken: [Completion] = []
        /// Blocking reaps that nothing could satisfy while IOs were still to be issued.
        var blockedWaits = 0

        init(blockSize: Int, hold: Int, total: Int) {
            self.blockSize = Int32(blockSize)
            self.hold = hold
            self.total = total
        }

        var setup: EngineSetup { EngineSetup(engine: .libaio, description: "holds each IO until \(hold) more are queued") }

        func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
            inFlight.append(slot)
            uncommitted += 1
            issued += 1
            return .queued
        }

        func commit() throws(Errno) -> Int {
            defer { uncommitted = 0 }
            return uncommitted
        }

        /// Completes the oldest `n` IOs in flight.
        private func take(_ n: Int) -> Int {
            taken = inFlight.prefix(n).map { Completion(slot: Int32($0), result: blockSize) }
            inFlight.removeFirst(n)
            return n
        }

        private var finished: Int { max(0, inFlight.count - hold) }

        func reap(minimum: Int, maximum: Int) throws(Errno) -> Int {
            if finished < minimum && issued < total { blockedWaits += 1 }
            // The device gives in rather than hang the test.
            return take(min(max(finished, minimum), maximum, inFlight.count))
        }

        func reap(minimum: Int, maximum: Int, waitingAtMost nanoseconds: UInt64) throws(Errno) -> Int {
            if finished >= max(1, minimum) { return take(min(finished, maximum)) }
            var ts = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            nanosleep(&ts, nil)
            return 0
        }

        func completion(at index: Int) -> Completion { taken[index] }
    }

    static func run(offload: Bool) throws -> (result: RunResult, engine: HoldingEngine) {
        var job = JobSpec()
        job.engine = .libaio
        job.rw = .read
        job.blockSize = 4096
        job.size = 40 * 4096
        job.iodepth = 8
        job.rateIOPS = 4000
        job.timeBased = false
        job.runtimeNanoseconds = 0
        job.verify = false
        job.submitOffload = offload
        let engine = HoldingEngine(blockSize: job.blockSize, hold: 4, total: 40)
        let file = try DataFile(diskless: job)
        let buffers = try AlignedBuffers(count: job.iodepth, size: job.blockSize)
        let result = try Runner.drive(engine, job: job, file: file, buffers: buffers, blockCount: 40,
                                      machine: .current(), progress: nil)
        return (result, engine)
    }

    @Test func offloadSubmitsOnScheduleWhileTheDeviceHoldsItsIOs() throws {
        let (result, engine) = try Self.run(offload: true)
        #expect(result.totalIOs == 40 && engine.issued == 40)
        #expect(engine.blockedWaits == 0, "offload waited \(engine.blockedWaits) times on a completion with a slot free")
        // Every IO's latency runs from its queueing, as fio's from get_io_u.
        #expect(result.lat.count == 40)
    }

    @Test func inlineWaitsForACompletionFirst() throws {
        let (result, engine) = try Self.run(offload: false)
        #expect(result.totalIOs == 40)
        #expect(engine.blockedWaits > 0)
    }
}
