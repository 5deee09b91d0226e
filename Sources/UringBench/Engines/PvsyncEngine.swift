import Glibc
import UringCore

/// `pvsync` (fio's pvsync engine): preadv(2)/pwritev(2) of one iovec, completing inside `queue`.
public final class PvsyncEngine: SynchronousEngine {
    static let descriptor = EngineDescriptor(
        kind: .pvsync, summary: "preadv/pwritev(2), one IO at a time", fioEngine: "pvsync", isSynchronous: true,
        probe: { EngineAvailability(engine: .pvsync, available: true, reason: nil, detail: "preadv(2)/pwritev(2)") },
        start: { context, driver throws(BenchError) in try driver.drive(PvsyncEngine(context)) })

    private let fd: Int32
    private let buffers: AlignedBuffers
    private let vector: SingleIOVector
    public let setup: EngineSetup

    public init(_ context: EngineContext) {
        fd = context.fd
        buffers = context.buffers
        vector = SingleIOVector(length: context.bufferSize)
        var setup = EngineSetup(engine: .pvsync, description: "preadv/pwritev(2) of one iovec, fsync/fdatasync(2), synchronous, depth 1")
        if let note = Self.depthNote(.pvsync, iodepth: context.job.iodepth) { setup.notes.append(note) }
        self.setup = setup
    }

    deinit { vector.deallocate() }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        let iov = vector.covering(buffers.buffer(slot), length: length)
        let at = off_t(Int64(bitPattern: offset))
        switch direction {
        case .read: return .completed(try Syscalls.retryingOnInterrupt { preadv(fd, iov, 1, at) })
        case .write: return .completed(try Syscalls.retryingOnInterrupt { pwritev(fd, iov, 1, at) })
        case .sync, .datasync: return try Self.syncFile(fd, direction)
        }
    }
}

extension EngineKind {
    static let pvsync = EngineKind(declaring: "pvsync")   // preadv(2)
}
