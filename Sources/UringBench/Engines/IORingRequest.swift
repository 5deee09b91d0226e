import CLiburing
import Glibc
import UringCore

/// What a job asks of its io_uring, read from the job's engine options once: the setup flags,
/// the registrations, and how completions are reaped. `IORingEngine.init` sets the ring up
/// from it, and its setup line says what was asked.
struct IORingRequest {
    let fixedBuffers: Bool
    let fixedFile: Bool
    let ioPoll: Bool
    let sqPoll: Bool
    let spinReap: Bool
    /// Every read and write SQE's rw_flags: RWF_DONTCACHE under --uncached, else 0.
    let rwFlags: Int32
    let sqThreadIdle: UInt32
    let sqPollCPU: Int?
    /// --sqpoll-shared: what the group's jobs share, nil without it.
    let share: SQThreadShare?
    /// The first job's ring, which a later job of a shared group attaches to.
    let firstRing: SQThreadShare.FirstRing?

    /// Reads the options and refuses what the file cannot do (--hipri, --uncached); a later job
    /// of an --sqpoll-shared group waits here for the first job's ring.
    init(_ ctx: EngineContext) throws(BenchError) {
        let options = ctx.job.engineOptions
        fixedBuffers = options.isSet(IORingEngine.fixedBuffersOption)
        fixedFile = options.isSet(IORingEngine.registerFilesOption)
        sqPoll = ctx.job.engine == .io_uring_sqpoll
        spinReap = sqPoll && options.isSet(IORingEngine.sqPollSpinOption)
        ioPoll = options.isSet(ReadWriteFlags.hipriOption)
        if ioPoll { try ReadWriteFlags.requireIOPoll(job: ctx.job, fd: ctx.fd) }
        if options.isSet(ReadWriteFlags.uncachedOption) {
            try ReadWriteFlags.requireUncached(job: ctx.job, fd: ctx.fd, buffer: ctx.buffers.buffer(0), length: ctx.job.blockSize)
            rwFlags = ReadWriteFlags.dontcache
        } else {
            rwFlags = 0
        }
        // Validated against the options' ranges before any engine starts.
        sqThreadIdle = UInt32(clamping: options[IORingEngine.sqThreadIdleOption] ?? 0)
        sqPollCPU = options[IORingEngine.sqPollCPUOption]
        // --sqpoll-shared: the first job makes the SQ thread, the others wait for its ring and
        // attach to it.
        share = sqPoll ? ctx.groupShare as? SQThreadShare : nil
        if let share, ctx.jobIndex > 0 {
            guard let first = share.waitForFirstRing() else { throw .groupStopped }
            firstRing = first
        } else {
            firstRing = nil
        }
    }

    /// io_uring_setup's parameters for this request.
    var params: io_uring_params {
        var params = io_uring_params()
        if ioPoll { params.flags |= UInt32(IORING_SETUP_IOPOLL) }
        guard sqPoll else { return params }
        params.flags |= UInt32(IORING_SETUP_SQPOLL)
        params.sq_thread_idle = sqThreadIdle
        if let cpu = sqPollCPU {
            params.flags |= UInt32(IORING_SETUP_SQ_AFF)
            params.sq_thread_cpu = UInt32(cpu)
        }
        if let firstRing {
            params.flags |= UInt32(IORING_SETUP_ATTACH_WQ)
            params.wq_fd = UInt32(bitPattern: firstRing.fd)
        }
        return params
    }

    /// The ring with `depth` entries, the kernel's refusal turned into what the user can do.
    func makeRing(depth: Int) throws(BenchError) -> IORing {
        do {
            return try IORing(entries: UInt32(depth), params: params, completionBatch: depth)
        } catch {
            if error == .invalidArgument, let cpu = sqPollCPU, depth <= 32768 {
                throw BenchError.invalidOption("--sqpoll-cpu \(cpu) was refused by the kernel (EINVAL): it is not an online CPU; this machine has CPUs 0-\(sysconf(Int32(_SC_NPROCESSORS_ONLN)) - 1)")
            }
            throw IORingEngine.setupError(error, entries: depth, sqPoll: sqPoll)
        }
    }

    /// The SQ thread serving the ring: the first job's when attached, else the one that
    /// appeared among the process's threads (nil without SQPOLL or when it was not found).
    func sqThreadID(notAmong threadsBefore: Set<Int32>) -> Int32? {
        guard sqPoll else { return nil }
        if let firstRing { return firstRing.sqThread }
        return SQPollThreads.started(by: Syscalls.threadID, notAmong: threadsBefore)
    }

    /// --fixedbufs and --registerfiles: the slots' buffers and the file registered with the ring.
    func register(on ring: UnsafeMutablePointer<io_uring>, buffers: AlignedBuffers, blockSize: Int, fd: Int32) throws(BenchError) {
        if fixedBuffers {
            // Every buffer, spares too: a slot's registered index is its buffer's (index(_:)).
            let iovecs = UnsafeMutablePointer<iovec>.allocate(capacity: buffers.total)
            defer { iovecs.deallocate() }
            for i in 0..<buffers.total {
                iovecs[i] = iovec(iov_base: buffers.buffer(atIndex: i), iov_len: blockSize)
            }
            let rc = io_uring_register_buffers(ring, iovecs, UInt32(buffers.total))
            if rc < 0 {
                let error = Errno(negated: rc)
                if error == .noMemory {
                    throw .memlockTooLow(bytes: buffers.total * blockSize, limit: ResourceLimits.lockedMemory)
                }
                throw .system(context: "io_uring_register_buffers (--fixedbufs)", error: error)
            }
        }
        if fixedFile {
            var files: [Int32] = [fd]
            let rc = io_uring_register_files(ring, &files, 1)
            if rc < 0 {
                throw .system(context: "io_uring_register_files (--registerfiles)", error: Errno(negated: rc))
            }
        }
    }

    /// What the kernel set up for `job` on `ring`, for the report: flags, features, the SQ
    /// thread, the registrations and the setup line.
    func setup(of ring: IORing, job: JobSpec, depth: Int, sqThreadID: Int32?) -> EngineSetup {
        var setup = EngineSetup(engine: job.engine, description: "")
        setup.ringFlags = IORingSetupFlags.names(ring.ring.pointee.flags)
        setup.ringFeatures = IORingEngine.featureNames(ring.params.features)
        setup.library = IORingEngine.libraryDescription
        if sqPoll {
            setup.sqThreadIdleMilliseconds = sqThreadIdle
            setup.sqPollCPU = sqPollCPU
            setup.sqThreadID = sqThreadID
            if share != nil { setup.sqThreadShared = true }
            if sqThreadID == nil {
                setup.notes.append("the SQ thread was not found in /proc/self/task (named iou-sqp-<tid> since Linux 5.12), so its CPU is only in the process line")
            }
        }
        if fixedBuffers { setup.fixedBuffers = true }
        if fixedFile { setup.registeredFiles = true }
        setup.description = description(job: job, depth: depth, ringFlags: setup.ringFlags)
        return setup
    }

    /// The setup line: io_uring_setup's flags, the SQ thread's settings, the opcodes issued.
    private func description(job: JobSpec, depth: Int, ringFlags: [String]) -> String {
        var parts = ["io_uring_setup(\(depth)) flags=\(ringFlags.isEmpty ? "0" : ringFlags.joined(separator: "|"))"]
        if sqPoll {
            parts.append("sq_thread_idle=\(sqThreadIdle == 0 ? "kernel default (1000ms)" : "\(sqThreadIdle)ms")")
            parts.append("sq_thread_cpu=\(sqPollCPU.map(String.init) ?? "any")")
            if share != nil {
                parts.append(firstRing == nil ? "SQ thread shared: the other \(job.numjobs - 1) job(s) attach to this ring" : "SQ thread shared: attached to job 1's ring (wq_fd)")
            }
            parts.append(spinReap ? "completions polled in user space (spin)" : "completions waited for in io_uring_enter")
        }
        // The opcodes this job issues.
        var ops: [String] = []
        if job.rw.reads { ops.append(fixedBuffers ? "READ_FIXED" : "READ") }
        if job.rw.writes { ops.append(fixedBuffers ? "WRITE_FIXED" : "WRITE") }
        if job.fsyncEvery > 0 { ops.append("FSYNC") }
        if job.fdatasyncEvery > 0 { ops.append("FSYNC(DATASYNC)") }
        parts.append(ops.joined(separator: "+") + (fixedBuffers ? " (registered buffers)" : ""))
        if fixedFile { parts.append("IOSQE_FIXED_FILE") }
        if rwFlags != 0 { parts.append("rw_flags=RWF_DONTCACHE") }
        return parts.joined(separator: ", ")
    }
}
