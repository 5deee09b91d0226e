import Glibc
import Testing
import UringCore
@testable import UringBench

/// What an engine does in `prepare` (the sync engine's lseek, fio's prep hook) happens before
/// the IO's start time, as fio's td_io_prep runs before get_io_u stamps start_time: neither lat
/// nor clat counts it. The real loop (`Runner.drive`) over a synchronous engine whose prepare
/// takes 5 ms and whose IO takes none: were prepare timed, every IO's lat would be at least
/// 5 ms; it is not, so the fastest of them is far below.
@Suite struct EnginePrepareTests {
    final class SlowPrepareEngine: SynchronousEngine {
        var prepared = 0
        var setup: EngineSetup { EngineSetup(engine: .sync, description: "prepare sleeps 5 ms, the IO takes none") }

        func prepare(offset: UInt64, direction: IODirection) throws(Errno) {
            prepared += 1
            usleep(5_000)
        }

        func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
            .completed(length)
        }
    }

    @Test func prepareIsOffTheClock() throws {
        var job = JobSpec()
        job.engine = .sync
        job.rw = .read
        job.blockSize = 4096
        job.size = 20 * 4096
        job.iodepth = 1
        job.timeBased = false
        job.runtimeNanoseconds = 0
        job.verify = false
        let engine = SlowPrepareEngine()
        let file = try DataFile(diskless: job)
        let buffers = try AlignedBuffers(count: 1, size: job.blockSize)
        let result = try Runner.drive(engine, job: job, file: file, buffers: buffers, blockCount: 20,
                                      machine: .current(), progress: nil)
        #expect(result.totalIOs == 20 && engine.prepared == 20)
        #expect(result.lat.count == 20)
        #expect(result.lat.min < 5_000_000, "lat min \(result.lat.min) ns: prepare was timed")
        #expect(result.clat.min < 5_000_000, "clat min \(result.clat.min) ns: prepare was timed")
    }
}
