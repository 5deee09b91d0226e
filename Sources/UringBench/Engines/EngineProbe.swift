import CLiburing
import Glibc

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

    /// Opcodes the kernel supports, by name, among the ones uringbench and its network
    /// engines use (io_uring_get_probe).
    public static func supportedOpcodes() -> [String] {
        guard let probe = io_uring_get_probe() else { return [] }
        defer { io_uring_free_probe(probe) }
        let ops: [(Int32, String)] = [
            (Int32(IORING_OP_READ.rawValue), "READ"), (Int32(IORING_OP_READ_FIXED.rawValue), "READ_FIXED"),
            (Int32(IORING_OP_READV.rawValue), "READV"), (Int32(IORING_OP_WRITE.rawValue), "WRITE"),
            (Int32(IORING_OP_ACCEPT.rawValue), "ACCEPT"), (Int32(IORING_OP_RECV.rawValue), "RECV"),
            (Int32(IORING_OP_SEND.rawValue), "SEND"), (Int32(IORING_OP_RECVMSG.rawValue), "RECVMSG"),
            (Int32(IORING_OP_SENDMSG.rawValue), "SENDMSG"), (Int32(IORING_OP_PROVIDE_BUFFERS.rawValue), "PROVIDE_BUFFERS"),
            (Int32(IORING_OP_SEND_ZC.rawValue), "SEND_ZC"),
        ]
        return ops.filter { io_uring_opcode_supported(probe, $0.0) != 0 }.map(\.1)
    }

    /// Setup flags this kernel accepts, each tried alone on a tiny ring.
    public static func acceptedSetupFlags() -> [String] {
        let flags: [(UInt32, String)] = [
            (UInt32(IORING_SETUP_SQPOLL), "SQPOLL"), (UInt32(IORING_SETUP_IOPOLL), "IOPOLL"),
            (UInt32(IORING_SETUP_SUBMIT_ALL), "SUBMIT_ALL"), (UInt32(IORING_SETUP_COOP_TASKRUN), "COOP_TASKRUN"),
            (UInt32(IORING_SETUP_SINGLE_ISSUER), "SINGLE_ISSUER"),
            (UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN), "DEFER_TASKRUN"),
        ]
        return flags.filter { flag, _ in
            var params = io_uring_params()
            params.flags = flag
            var ring = io_uring()
            guard io_uring_queue_init_params(2, &ring, &params) == 0 else { return false }
            io_uring_queue_exit(&ring)
            return true
        }.map(\.1)
    }

    /// Ring features reported by the kernel for a plain ring.
    public static func features() -> [String] {
        var params = io_uring_params()
        var ring = io_uring()
        guard io_uring_queue_init_params(2, &ring, &params) == 0 else { return [] }
        io_uring_queue_exit(&ring)
        return IORingEngine.featureNames(params.features)
    }
}

public enum EngineProbe {
    public static func check(_ engine: EngineKind) -> EngineAvailability { engine.descriptor.probe() }

    /// Refuses an engine that cannot run here before anything is laid out or measured; the
    /// message is the probe's, the same the engine itself would give.
    public static func require(_ engine: EngineKind) throws(BenchError) {
        let availability = check(engine)
        guard !availability.available else { return }
        throw .engineUnavailable(reason: availability.reason ?? "\(engine.rawValue) is not usable here: its probe failed; use --engine psync")
    }
}
