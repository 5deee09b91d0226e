import Glibc
import UringCore
@testable import UringBench

/// A test engine that holds every IO until a reap, then does it with pread/pwrite, newest
/// first (so an older IO to a block completes after a newer one), and counts the IOs queued
/// while a write to the same block was in flight, or a write while its block was read: what
/// fio's serialize_overlap forbids under --verify. Arrays per IO: a test engine, not a fast one.
final class OverlapWatchingEngine: IOEngine {
    private let fd: Int32
    private let buffers: AlignedBuffers
    private var queued: [(slot: Int, offset: UInt64, length: Int, direction: IODirection)] = []
    private var inFlight: [(slot: Int, offset: UInt64, length: Int, direction: IODirection)] = []
    private var done: [Completion] = []
    private(set) var overlaps = 0

    init(fd: Int32, buffers: AlignedBuffers) {
        self.fd = fd
        self.buffers = buffers
    }

    /// Lays out `job`'s file and runs the job through the loop with this engine: the result,
    /// and how many IOs were queued over a write in flight to one of their blocks.
    static func run(_ job: JobSpec) throws -> (result: RunResult, overlaps: Int) {
        let file = try DataFile(job: job)
        let buffers = try AlignedBuffers(count: job.effectiveDepth, size: job.largestBlockSize)
        let engine = OverlapWatchingEngine(fd: file.fd, buffers: buffers)
        let result = try Runner.drive(engine, job: job, file: file, buffers: buffers, blockCount: job.size / UInt64(job.blockSize),
                                      machine: file.machine, progress: nil)
        return (result, engine.overlaps)
    }

    func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        let end = offset + UInt64(length)
        if direction.isData, (queued + inFlight).contains(where: {
            $0.offset < end && offset < $0.offset + UInt64($0.length) && ($0.direction == .write || direction == .write)
        }) {
            overlaps += 1
        }
        queued.append((slot, offset, length, direction))
        return .queued
    }

    func commit() throws(Errno) -> Int {
        let n = queued.count
        inFlight += queued
        queued = []
        return n
    }

    func reap(minimum: Int, maximum: Int) throws(Errno) -> Int {
        done = []
        while done.count < maximum, let io = inFlight.popLast() {
            let buffer = buffers.buffer(io.slot)
            let n: Int
            switch io.direction {
            case .read: n = pread(fd, buffer, io.length, off_t(io.offset))
            case .write: n = pwrite(fd, buffer, io.length, off_t(io.offset))
            case .sync, .datasync: n = 0
            }
            done.append(Completion(slot: Int32(io.slot), result: Int32(n)))
        }
        return done.count
    }

    func completion(at index: Int) -> Completion { done[index] }

    var setup: EngineSetup { EngineSetup(engine: .io_uring, description: "overlap-watching test engine") }
}
