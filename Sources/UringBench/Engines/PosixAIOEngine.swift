import Glibc
import UringCore

/// `posixaio` (fio's posixaio engine): glibc's POSIX AIO, aio_read/aio_write/aio_fsync reaped
/// with aio_error and aio_suspend. This is not kernel AIO: glibc hands each request to a
/// user-space thread pool whose threads call pread/pwrite/fsync, and it runs the requests of one
/// file descriptor one at a time, so on one file the effective device depth is 1 whatever
/// --iodepth says (the IO model many programs use without knowing it).
///
/// glibc's pool is left at its defaults (aio_init is not called), as fio leaves it: with one
/// file only one pool thread works at a time, so a larger pool would change nothing.
public final class PosixAIOEngine: IOEngine {
    static let descriptor = EngineDescriptor(
        kind: .posixaio, summary: "glibc POSIX AIO: aio_read/aio_write on glibc's user-space thread pool (not kernel AIO)",
        fioEngine: "posixaio", isSynchronous: false,
        helperThreads: "glibc's POSIX AIO pool threads (user space)",
        probe: probe,
        probeDetails: { ["posixaio: \(glibcVersion) aio: requests run on user-space threads calling pread/pwrite/fsync, one at a time per file descriptor"] },
        start: { context, driver throws(BenchError) in try driver.drive(PosixAIOEngine(context)) })

    /// One aio_read of /dev/null through glibc's pool: it starts a pool thread and completes.
    @Sendable static func probe() -> EngineAvailability {
        func unavailable(_ why: String) -> EngineAvailability {
            EngineAvailability(engine: .posixaio, available: false,
                               reason: "glibc POSIX AIO does not work here: \(why); use --engine psync or libaio", detail: nil)
        }
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return unavailable("open /dev/null failed: \(Errno.current)") }
        defer { close(fd) }
        var byte: UInt8 = 0
        return withUnsafeMutablePointer(to: &byte) { buffer in
            var cb = aiocb()
            cb.aio_fildes = fd
            cb.aio_buf = UnsafeMutableRawPointer(buffer)
            cb.aio_nbytes = 1
            cb.aio_sigevent.sigev_notify = Int32(SIGEV_NONE)
            guard aio_read(&cb) == 0 else { return unavailable("aio_read failed: \(Errno.current)") }
            while aio_error(&cb) == EINPROGRESS {
                withUnsafePointer(to: &cb) { p in
                    var list: UnsafePointer<aiocb>? = p
                    _ = aio_suspend(&list, 1, nil)
                }
            }
            let error = aio_error(&cb), n = aio_return(&cb)
            guard error == 0 && n == 0 else { return unavailable("aio_read of /dev/null returned \(n), error \(Errno(rawValue: error))") }
            return EngineAvailability(engine: .posixaio, available: true, reason: nil,
                                      detail: "aio_read/aio_write/aio_fsync + aio_suspend (glibc user-space threads)")
        }
    }

    /// "glibc 2.36", from confstr(_CS_GNU_LIBC_VERSION).
    static let glibcVersion: String = {
        var text = [UInt8](repeating: 0, count: 64)
        let n = text.withUnsafeMutableBufferPointer { confstr(Int32(_CS_GNU_LIBC_VERSION), $0.baseAddress, $0.count) }
        guard n > 1 && n <= text.count else { return "glibc" }
        return String(decoding: text[..<(n - 1)], as: UTF8.self)
    }()

    /// fio waits in aio_suspend on at most this many of the IOs still in progress.
    static let suspendEntries = 8

    private let fd: Int32
    private let buffers: AlignedBuffers
    private let depth: Int
    private let cbs: UnsafeMutablePointer<aiocb>                 // one per slot
    private let inFlight: UnsafeMutablePointer<Bool>             // per slot: handed to glibc, not yet reaped
    private let done: UnsafeMutablePointer<Completion>           // the last reap's completions
    private let suspendList: UnsafeMutablePointer<UnsafePointer<aiocb>?>
    // Touched on every IO by one thread only: skip the runtime exclusivity check.
    @exclusivity(unchecked) private var inFlightCount = 0
    @exclusivity(unchecked) private var uncommitted = 0
    public let setup: EngineSetup

    public init(_ context: EngineContext) {
        fd = context.fd
        buffers = context.buffers
        depth = context.depth
        cbs = .allocate(capacity: depth)
        cbs.initialize(repeating: aiocb(), count: depth)
        inFlight = .allocate(capacity: depth)
        inFlight.initialize(repeating: false, count: depth)
        done = .allocate(capacity: depth)
        done.initialize(repeating: Completion(slot: 0, result: 0), count: depth)
        suspendList = .allocate(capacity: Self.suspendEntries)
        suspendList.initialize(repeating: nil, count: Self.suspendEntries)
        var setup = EngineSetup(engine: .posixaio, description: "aio_read/aio_write/aio_fsync + aio_error/aio_suspend on glibc's user-space thread pool (not kernel AIO)")
        setup.library = "\(Self.glibcVersion) POSIX AIO, default pool (aio_init not called)"
        if context.depth > 1 {
            setup.notes.append("posixaio: glibc runs one request at a time per file descriptor on its pool threads, so the device sees depth 1 whatever --iodepth says (as with fio's posixaio)")
        }
        self.setup = setup
    }

    deinit {
        // glibc's threads may still hold a pointer into cbs: wait for what is in flight.
        for slot in 0..<depth where inFlight[slot] {
            let cb = cbs + slot
            while aio_error(cb) == EINPROGRESS {
                var list: UnsafePointer<aiocb>? = UnsafePointer(cb)
                _ = aio_suspend(&list, 1, nil)
            }
            _ = aio_return(cb)
        }
        cbs.deallocate()
        inFlight.deallocate()
        done.deallocate()
        suspendList.deallocate()
    }

    /// Hands the IO to glibc at once (glibc has no separate submit step); commit only counts.
    @inline(__always)
    public func queue(slot: Int, offset: UInt64, length: Int, direction: IODirection) throws(Errno) -> QueueResult {
        let cb = cbs + slot
        cb.pointee.aio_fildes = fd
        cb.pointee.aio_buf = buffers.buffer(slot)
        cb.pointee.aio_nbytes = length
        cb.pointee.aio_offset = Int(bitPattern: UInt(offset))
        cb.pointee.aio_sigevent.sigev_notify = Int32(SIGEV_NONE)
        let rc: Int32
        switch direction {
        case .read: rc = aio_read(cb)
        case .write: rc = aio_write(cb)
        // fio 3.33 asks aio_fsync(O_SYNC) for both; O_DSYNC is what fdatasync means, and glibc
        // runs it as fdatasync(2) on the pool thread.
        case .sync: rc = aio_fsync(O_SYNC, cb)
        case .datasync: rc = aio_fsync(O_DSYNC, cb)
        }
        if rc != 0 {
            let error = Errno.current
            // glibc could not take another request now (fio's FIO_Q_BUSY): reap, then retry.
            if error.rawValue == EAGAIN { return .busy }
            throw error
        }
        inFlight[slot] = true
        inFlightCount &+= 1
        uncommitted &+= 1
        return .queued
    }

    @inline(__always)
    public func commit() throws(Errno) -> Int {
        let n = uncommitted
        uncommitted = 0
        return n
    }

    /// fio's getevents (engines/posixaio.c): go through the IOs in slot order (fio's io_u_all
    /// order) and take every one that finished — all of them, as fio does whatever its max;
    /// if fewer than `minimum`, wait in aio_suspend on the first 8 still in progress in that
    /// order (fio's SUSPEND_ENTRIES, which need not hold the oldest: more may finish meanwhile
    /// and are taken together) and go through them again.
    @inline(__always)
    public func reap(minimum: Int, maximum: Int) throws(Errno) -> Int {
        var reaped = 0
        while true {
            var waiting = 0
            var left = inFlightCount
            var slot = 0
            while left > 0 {
                if inFlight[slot] {
                    left &-= 1
                    let cb = cbs + slot
                    let error = aio_error(cb)
                    if error == EINPROGRESS {
                        if waiting < Self.suspendEntries {
                            suspendList[waiting] = UnsafePointer(cb)
                            waiting &+= 1
                        }
                    } else {
                        // aio_return frees glibc's record of the request; call it exactly once.
                        let n = aio_return(cb)
                        done[reaped] = Completion(slot: Int32(truncatingIfNeeded: slot), result: error == 0 ? Int32(truncatingIfNeeded: n) : -error)
                        reaped &+= 1
                        inFlight[slot] = false
                        inFlightCount &-= 1
                    }
                }
                slot &+= 1
            }
            if reaped >= minimum || inFlightCount == 0 { return reaped }
            if aio_suspend(suspendList, Int32(waiting), nil) != 0 {
                let error = Errno.current
                // A signal: hand back what is already taken, or let the runner look at its flags.
                if error.rawValue == EINTR {
                    if reaped > 0 { return reaped }
                    throw .interrupted
                }
                // EAGAIN is a timeout, and there is none; anything else is real.
                if error.rawValue != EAGAIN { throw error }
            }
        }
    }

    @inline(__always)
    public func completion(at index: Int) -> Completion { done[index] }
}

extension EngineKind {
    static let posixaio = EngineKind(declaring: "posixaio")   // glibc aio_read/aio_write
}
