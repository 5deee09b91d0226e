import CLiburing
import Glibc
import UringCore

/// Whether an engine can run on this machine, and if not, why — asked of the kernel itself
/// by creating (and closing) a minimal ring or AIO context.
public struct EngineAvailability: Sendable, Codable, Equatable {
    public let engine: EngineKind
    public let available: Bool
    public let reason: String?
    public let detail: String?
}

public enum IORingProbe {
    /// Why io_uring_setup said EPERM: the sysctl first, then a sandbox.
    static func permissionReason(
        sysctl setting: String? = Syscalls.readTextFile("/proc/sys/kernel/io_uring_disabled")?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    ) -> String {
        switch setting {
        case "2":
            return "disabled by sysctl kernel.io_uring_disabled=2 (EPERM); enable it with sysctl -w kernel.io_uring_disabled=0, or use --engine libaio or psync"
        case "1":
            return "restricted by sysctl kernel.io_uring_disabled=1 to members of kernel.io_uring_group (EPERM); run as root or in that group, or use --engine libaio"
        default:
            return "io_uring_setup returned EPERM although kernel.io_uring_disabled=\(setting ?? "?"): a seccomp or LSM policy blocks it; allow it in the sandbox or use --engine libaio or psync"
        }
    }

    /// liburing 2.3's `enum io_uring_op`, in order: the names this binary's headers know.
    static let opcodeNames = [
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
        "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ",
        "WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE",
        "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT",
        "SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET",
        "URING_CMD", "SEND_ZC", "SENDMSG_ZC",
    ]

    /// Every opcode the kernel supports (io_uring_get_probe), by name where liburing's headers
    /// know it and as "op<N>" for newer ones; nil when the probe fails.
    static func supportedOpcodes() -> (supported: [String], kernelLastOp: Int)? {
        guard let probe = io_uring_get_probe() else { return nil }
        defer { io_uring_free_probe(probe) }
        let last = Int(probe.pointee.last_op)
        let supported = (0...last).filter { io_uring_opcode_supported(probe, Int32($0)) != 0 }.map {
            $0 < opcodeNames.count ? opcodeNames[$0] : "op\($0)"
        }
        return (supported, last)
    }

    /// Setup flags this kernel accepts, each tried on a tiny ring (alone, or with the flag it
    /// requires: SQ_AFF with SQPOLL, TASKRUN_FLAG with COOP_TASKRUN, DEFER_TASKRUN with
    /// SINGLE_ISSUER).
    static func acceptedSetupFlags() -> [String] {
        IORingSetupFlags.known.filter { entry in
            guard let companions = entry.probeWith else { return false }
            var params = io_uring_params()
            params.flags = entry.flag | companions
            params.sq_thread_cpu = 0
            return (try? IORing(entries: 2, params: params, completionBatch: 1)) != nil
        }.map(\.name)
    }

    /// kernel.io_uring_disabled and what it means for this process; nil on kernels before 6.6,
    /// which lack the sysctl.
    static func sysctlSummary() -> String? {
        guard let value = Syscalls.readTextFile("/proc/sys/kernel/io_uring_disabled")?
            .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        let meaning = switch value {
        case "0": "every process may create rings"
        case "1": "only members of kernel.io_uring_group (and root) may create rings"
        case "2": "no process may create rings"
        default: "unknown setting"
        }
        return "kernel.io_uring_disabled=\(value) (\(meaning))"
    }

    /// Ring features reported by the kernel for a plain ring.
    static func features() -> [String] {
        guard let ring = try? IORing(entries: 2, params: io_uring_params(), completionBatch: 1) else { return [] }
        return IORingEngine.featureNames(ring.params.features)
    }
}

public enum EngineProbe {
    /// fs.aio-max-nr and fs.aio-nr: the events all AIO contexts may hold, and hold now (an
    /// io_setup beyond the limit fails with EAGAIN).
    static func aioLimits() -> String? {
        guard let max = Syscalls.readTextFile("/proc/sys/fs/aio-max-nr")?.trimmingCharacters(in: .whitespacesAndNewlines),
              let used = Syscalls.readTextFile("/proc/sys/fs/aio-nr")?.trimmingCharacters(in: .whitespacesAndNewlines)
        else { return nil }
        return "fs.aio-max-nr=\(max), fs.aio-nr=\(used) (AIO events allowed system-wide, in use now)"
    }

    public static func check(_ engine: EngineKind) -> EngineAvailability { engine.descriptor.probe() }

    /// Refuses an engine that cannot run here before anything is laid out or measured; the
    /// message is the probe's, the same the engine itself would give.
    static func require(_ engine: EngineKind) throws(BenchError) {
        let availability = check(engine)
        guard !availability.available else { return }
        throw .engineUnavailable(reason: availability.reason ?? "\(engine.rawValue) is not usable here: its probe failed; use --engine psync")
    }
}
