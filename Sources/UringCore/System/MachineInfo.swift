import Foundation

/// The machine a result was measured on: a number is only comparable with one from the same.
public struct MachineInfo: Codable, Sendable, Equatable {
    public var hostname: String
    public var kernel: String
    public var cpuModel: String
    public var cores: Int
    public var filesystem: String
    public var device: String?

    public static func current(filesystemType: Int? = nil, device: String? = nil) -> MachineInfo {
        let cpuinfo = Syscalls.readTextFile("/proc/cpuinfo") ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return MachineInfo(hostname: Syscalls.hostName, kernel: Syscalls.kernelRelease, cpuModel: model,
                           cores: ProcessInfo.processInfo.activeProcessorCount,
                           filesystem: filesystemType.map(MachineInfo.filesystemName) ?? "unknown", device: device)
    }

    static func filesystemName(_ magic: Int) -> String {
        switch magic {
        case 0xEF53: return "ext4"
        case 0x5846_5342: return "xfs"
        case 0x9123_683E: return "btrfs"
        case 0x0102_1994: return "tmpfs"
        case 0x8584_58F6: return "ramfs"
        case 0x794C_7630: return "overlayfs"
        case 0x2FC1_2FC1: return "zfs"
        case 0x6969: return "nfs"
        case 0xF2F5_2010: return "f2fs"
        default: return String(format: "0x%llx", UInt64(magic))
        }
    }
}
