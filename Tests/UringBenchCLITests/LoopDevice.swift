import Foundation
import Glibc
import TestSupport

/// A loop device attached to a file for one test (`losetup -f --show FILE`), detached by
/// `detach()` (call it in a defer).
struct LoopDevice {
    let path: String          // "/dev/loop3"
    var name: String { String(path.split(separator: "/").last ?? "") }

    static let losetup = ["/usr/sbin/losetup", "/sbin/losetup"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why loop devices cannot be used here, or nil when they can (root, losetup, /dev/loop-control).
    static let unavailableReason: String? = {
        guard geteuid() == 0 else { return "attaching a loop device needs root" }
        guard let losetup else { return "losetup is not installed (Debian package mount)" }
        guard access("/dev/loop-control", F_OK) == 0 else { return "/dev/loop-control is missing (no loop driver)" }
        guard (try? shell(losetup, ["-f"])) != nil else { return "losetup -f finds no free loop device" }
        return nil
    }()

    /// `partitions`: scan the file's partition table (`losetup -P`), giving /dev/loopNpM.
    static func attach(_ file: String, partitions: Bool = false) throws -> LoopDevice {
        guard let losetup else { throw CocoaError(.executableNotLoadable) }
        let device = try shell(losetup, (partitions ? ["-P"] : []) + ["-f", "--show", file]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard device.hasPrefix("/dev/loop") else { throw CocoaError(.executableLoad) }
        return LoopDevice(path: device)
    }

    func detach() {
        if let losetup = Self.losetup { _ = try? Self.shell(losetup, ["-d", path]) }
    }

    /// Write IOs completed on the device so far (/sys/block/NAME/stat, field 5).
    var writeIOs: UInt64? {
        guard let text = try? String(contentsOfFile: "/sys/block/\(name)/stat", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        return fields.count > 4 ? UInt64(fields[4]) : nil
    }

    /// Runs a tool and returns its stdout; throws when it exits non-zero.
    @discardableResult
    static func shell(_ tool: String, _ args: [String]) throws -> String {
        let r = try SpawnedRun.run(executable: tool, args)
        guard r.status == 0 else { throw CocoaError(.executableLoad) }
        return r.stdout
    }
}
