import Glibc
import UringCore

/// `sync` (fio's sync engine): read(2)/write(2) at the file position, moved with lseek(2) only
/// when the IO does not start where the last one ended (fio's fio_syncio_prep keeps
/// last_pos per direction; one position per descriptor is what the kernel keeps). The lseek is
/// made in `prepare`, before the IO's start time, as fio's prep hook runs before start_time:
/// neither tool's latency counts it.
public final class SyncEngine: SynchronousEngine {
    static let descriptor = EngineDescriptor(
        kind: .sync, summary: "lseek + read/write(2), one IO at a time", fioEngine: "sync", isSynchronous: true,
        probe: { EngineAvailability(engine: .sync, available: true, reason: nil, detail: "lseek(2) + read(2)/write(2)") },
        start: { context, driver throws(BenchError) in try driver.drive(SyncEngine(context)) })

    private let fd: Int32
    private let buffers: AlignedBuffers
    /// Where the descriptor's position is; -1 before the first IO.
    @exclusivity(unchecked) private var position: Int64 = -1
    public let setup: EngineSetup

    public init(_ context: EngineContext) {
        fd = context.fd
        buffers = context.buffers
        var setup = EngineSetup(engine: .sync, description: "lseek + read/write(2), fsync/fdatasync(2), synchronous, depth 1; lseek only when the IO does not start at the file position")
        if let note = Self.depthNote(.sync, iodepth: context.job.iodepth) { setup.notes.append(note) }
        self.setup = setup
    }

    @inline(__always)
    private func seek(_ offset: UInt64) throws(Errno) {
        let target = Int64(bitPattern: offset)
        if target == position { return }
        position = -1
        if lseek(fd, off_t(target), SEEK_SET) < 0 { throw Errno.current }
        position = target
    }

    @inline(__always)
    public func prepare(offset: UInt64, direction: IODirection) throws(Errno) {
        if direction.isData { try seek(offset) }
    }

    /// The descriptor's position is the IO's offset: `prepare` moved it there.
    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        switch direction {
        case .read:
            let n = try Syscalls.retryingOnInterrupt { read(fd, buffers.buffer(slot), length) }
            position &+= Int64(n)
            return .completed(n)
        case .write:
            let n = try Syscalls.retryingOnInterrupt { write(fd, buffers.buffer(slot), length) }
            position &+= Int64(n)
            return .completed(n)
        case .sync, .datasync: return try Self.syncFile(fd, direction)
        }
    }
}

extension EngineKind {
    public static let sync = EngineKind(declaring: "sync")       // lseek(2) + read(2)
}
