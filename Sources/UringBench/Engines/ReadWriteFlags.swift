import CSystemShims
import Glibc
import UringCore

/// The per-IO flags of preadv2/pwritev2 (linux/fs.h RWF_*), which io_uring takes unchanged in
/// an SQE's rw_flags, with the engine options that set them (fio's pvsync2 and io_uring
/// options of the same names) and the probes that tell, before a run, whether the file's
/// device and file system act on them.
public enum ReadWriteFlags {
    static let hipri: Int32 = 0x01        // RWF_HIPRI: poll for the completion
    static let nowait: Int32 = 0x08       // RWF_NOWAIT: EAGAIN instead of blocking
    static let dontcache: Int32 = 0x80    // RWF_DONTCACHE (Linux 6.14): drop the pages once done

    public static let hipriOption = EngineOption(
        name: "hipri", fioName: "hipri", isFlag: true,
        help: "pvsync2: RWF_HIPRI; io_uring: IORING_SETUP_IOPOLL. Polls the device for completions (needs O_DIRECT and a device with poll queues).")
    public static let nowaitOption = EngineOption(
        name: "nowait", fioName: "nowait", isFlag: true,
        help: "pvsync2: RWF_NOWAIT, an IO that would block fails with EAGAIN (fio's nowait).")
    public static let uncachedOption = EngineOption(
        name: "uncached", fioName: "uncached", isFlag: true,
        help: "pvsync2, io_uring: RWF_DONTCACHE (Linux 6.14), buffered IO whose pages leave the page cache once done (fio's uncached=1; needs --direct 0).")

    /// The queue/io_poll setting of the disk holding `fd`'s file: whether its driver has poll
    /// queues. nil when the disk is not found in sysfs.
    public struct PollQueues: Sendable, Equatable {
        let device: String
        /// queue/io_poll as read ("0", "1").
        let ioPoll: String
        public var available: Bool { ioPoll == "1" }
        public var description: String {
            "\(device) queue/io_poll=\(ioPoll)\(available ? " (poll queues)" : " (no poll queues)")"
        }
    }

    static func pollQueues(fd: Int32) -> PollQueues? {
        guard let st = try? Syscalls.fstat(fd) else { return nil }
        let isBlockDevice = st.st_mode & S_IFMT == S_IFBLK
        guard let device = BlockDevice.holding(st, isBlockDevice: isBlockDevice) else { return nil }
        return pollQueues(device: device.name)
    }

    static func pollQueues(device: String) -> PollQueues? {
        guard let text = Syscalls.readTextFile("/sys/block/\(device)/queue/io_poll") else { return nil }
        return PollQueues(device: device, ioPoll: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// One preadv2 of `length` bytes at offset 0 of `fd` into `buffer` with `flags`: nil when
    /// it succeeds, else its errno. Reads only, so it can touch any file.
    static func probeRead(fd: Int32, buffer: UnsafeMutableRawPointer, length: Int, flags: Int32) -> Errno? {
        var vec = iovec(iov_base: buffer, iov_len: length)
        do throws(Errno) {
            _ = try Syscalls.retryingNegatedOnInterrupt { CSystemShims_preadv2(fd, &vec, 1, 0, flags) }
            return nil
        } catch {
            return error
        }
    }

    /// Why RWF_DONTCACHE cannot be used on `fd`, in words; nil when a probe read succeeded.
    static func dontcacheRefusal(fd: Int32, buffer: UnsafeMutableRawPointer, length: Int) -> String? {
        guard let error = probeRead(fd: fd, buffer: buffer, length: length, flags: dontcache) else { return nil }
        let why = switch error.rawValue {
        case EOPNOTSUPP: "the file system does not support it (EOPNOTSUPP)"
        case EINVAL: "this kernel does not know the flag (EINVAL; RWF_DONTCACHE is Linux 6.14)"
        default: "\(error.name) (\(error))"
        }
        return "--uncached: a preadv2 of one block with RWF_DONTCACHE failed: \(why); drop --uncached"
    }

    /// The refusals that follow from the job alone, so Preflight gives them before any file is
    /// laid out; the engines' own checks (a probe on the opened file) come later.
    static func refuseByJob(_ job: JobSpec) throws(BenchError) {
        let options = job.engineOptions
        if options.isSet(uncachedOption) { try refuseUncached(job) }
        if options.isSet(hipriOption), job.engine == .io_uring || job.engine == .io_uring_sqpoll { try refuseIOPoll(job) }
    }

    private static func refuseUncached(_ job: JobSpec) throws(BenchError) {
        if job.direct {
            throw .invalidOption("--uncached (RWF_DONTCACHE) drops the pages buffered IO leaves in the page cache, and --direct 1 leaves none; use --direct 0 or drop --uncached")
        }
    }

    private static func refuseIOPoll(_ job: JobSpec) throws(BenchError) {
        if !job.direct {
            throw .invalidOption("--hipri (IORING_SETUP_IOPOLL) polls the device for completions, and buffered IO has none to poll; use --direct 1 or drop --hipri")
        }
        if job.fsyncEvery > 0 || job.fdatasyncEvery > 0 {
            throw .invalidOption("--hipri (IORING_SETUP_IOPOLL): an IOPOLL ring takes only reads and writes, not the fsyncs --fsync/--fdatasync ask for; drop one of them")
        }
    }

    /// Refuses --uncached where it cannot act: with O_DIRECT (nothing enters the page cache), or
    /// on a file system or kernel whose probe read fails.
    static func requireUncached(job: JobSpec, fd: Int32, buffer: UnsafeMutableRawPointer, length: Int) throws(BenchError) {
        try refuseUncached(job)
        if let refusal = dontcacheRefusal(fd: fd, buffer: buffer, length: length) {
            throw .engineUnavailable(reason: refusal)
        }
    }

    /// Refuses io_uring's --hipri (IORING_SETUP_IOPOLL) where the kernel would fail its IOs:
    /// buffered IO, syncs (an IOPOLL ring takes only reads and writes), a disk without poll
    /// queues (every IO would complete with EOPNOTSUPP, as fio's io_u errors show).
    static func requireIOPoll(job: JobSpec, fd: Int32) throws(BenchError) {
        try refuseIOPoll(job)
        guard let queues = pollQueues(fd: fd) else {
            throw .engineUnavailable(reason: "io_uring --hipri (IORING_SETUP_IOPOLL): the file's disk was not found in sysfs, so whether it has poll queues is unknown; drop --hipri")
        }
        if !queues.available {
            throw .engineUnavailable(reason: "io_uring --hipri (IORING_SETUP_IOPOLL): \(queues.description): every IO would fail with EOPNOTSUPP; use a disk with poll queues (nvme.poll_queues=N) or drop --hipri")
        }
    }

    /// Whether uncached buffered IO works on the file system holding `directory`: one preadv2
    /// with RWF_DONTCACHE of a temporary (unnamed) file there. For `uringbench engines`.
    static func dontcacheSummary(directory: String) -> String {
        var template = Array("\(directory)/.uringbench-probe-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { return "RWF_DONTCACHE not probed: no temporary file in \(directory) (\(Errno.current))" }
        // Unnamed at once: nothing is left behind whatever happens next.
        unlink(String(cString: template))
        defer { close(fd) }
        var block = [UInt8](repeating: 0, count: 4096)
        let written = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == 4096 else { return "RWF_DONTCACHE not probed: writing a temporary file in \(directory) failed" }
        let fs = (try? Syscalls.filesystemType(directory)).map(MachineInfo.filesystemName) ?? "?"
        let refusal: String? = block.withUnsafeMutableBytes { raw in
            guard let buffer = raw.baseAddress else { return "--uncached: not probed" }
            return dontcacheRefusal(fd: fd, buffer: buffer, length: raw.count)
        }
        return refusal.map { "\($0) (\(fs) in \(directory))" }
            ?? "RWF_DONTCACHE: a preadv2 with the flag succeeded on \(fs) in \(directory), so --uncached acts there"
    }

    /// Every disk's queue/io_poll, for `uringbench engines`: IOPOLL and HIPRI act only where it is 1.
    static func pollQueueSummary() -> String {
        let disks = (Syscalls.directoryEntries("/sys/block") ?? []).sorted()
        let queues = disks.compactMap { pollQueues(device: $0) }
        let states = queues.map { "\($0.device)=\($0.ioPoll)" }
        let polled = queues.filter(\.available).map(\.device)
        return "queue/io_poll: \(states.isEmpty ? "no disks found" : states.joined(separator: " "))"
            + (polled.isEmpty
                ? " — no disk has poll queues: io_uring --hipri (IOPOLL) is refused, pvsync2 --hipri is ignored by the kernel"
                : " — poll queues on \(polled.joined(separator: ", ")): io_uring --hipri (IOPOLL) and pvsync2 --hipri poll there with O_DIRECT")
    }
}
