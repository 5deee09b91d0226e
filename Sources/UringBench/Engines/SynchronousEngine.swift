import UringCore

/// An engine that completes every IO inside `queue` (fio's FIO_SYNCIO engines: sync, psync,
/// pvsync, pvsync2, mmap): nothing waits for commit or reap.
public protocol SynchronousEngine: IOEngine {}

extension SynchronousEngine {
    public func commit() throws(Errno) -> Int { 0 }
    public func reap(minimum: Int, maximum: Int) throws(Errno) -> Int { 0 }
    public func completion(at index: Int) -> Completion { Completion(slot: -1, result: 0) }

    /// fsync(2) or fdatasync(2) for a sync IO, as every file-descriptor engine issues them.
    @inline(__always)
    static func syncFile(_ fd: Int32, _ direction: IODirection) throws(Errno) -> QueueResult {
        if direction == .datasync { try Syscalls.fdatasync(fd) } else { try Syscalls.fsync(fd) }
        return .completed(0)
    }

    /// The note a synchronous engine's setup carries when --iodepth asks for more than 1.
    static func depthNote(_ engine: EngineKind, iodepth: Int) -> String? {
        iodepth > 1 ? "\(engine.rawValue) is synchronous: --iodepth \(iodepth) runs at depth 1, as in fio" : nil
    }
}
