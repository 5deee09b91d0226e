import UringCore

/// `psync`: pread(2)/pwrite(2)/fsync(2), completing inside `queue` like fio's sync engines.
public final class PsyncEngine: SynchronousEngine {
    static let descriptor = EngineDescriptor(
        kind: .psync, summary: "pread/pwrite(2), one IO at a time", fioEngine: "psync", isSynchronous: true,
        probe: { EngineAvailability(engine: .psync, available: true, reason: nil, detail: "pread(2)") },
        start: { context, driver throws(BenchError) in try driver.drive(PsyncEngine(context)) })

    private let fd: Int32
    private let buffers: AlignedBuffers
    public let setup: EngineSetup

    public init(_ context: EngineContext) {
        fd = context.fd
        buffers = context.buffers
        var setup = EngineSetup(engine: .psync, description: "pread/pwrite/fsync/fdatasync(2), synchronous, depth 1")
        if let note = Self.depthNote(.psync, iodepth: context.job.iodepth) { setup.notes.append(note) }
        self.setup = setup
    }

    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        switch direction {
        case .read: return .completed(try Syscalls.pread(fd, buffers.buffer(slot), length, offset))
        case .write: return .completed(try Syscalls.pwrite(fd, buffers.buffer(slot), length, offset))
        case .sync, .datasync: return try Self.syncFile(fd, direction)
        }
    }
}

extension EngineKind {
    public static let psync = EngineKind(declaring: "psync")     // pread(2)
}
