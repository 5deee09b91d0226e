import Glibc
import UringCore

/// What lies under a device, at any depth: the whole disk of a partition, the devices under a
/// device-mapper or md device (sysfs `slaves/`), the backing of a loop device, and, for a
/// backing file, the device its own filesystem is on. An output that is one of these would
/// write under the input's filesystem (`--output fs.img` where fs.img backs the loop device
/// holding the data file).
struct StorageStack {
    enum Layer: Equatable {
        case device(rdev: UInt64, name: String)
        case file(dev: UInt64, ino: UInt64, path: String, backs: String)   // backs: the loop device
    }

    private(set) var layers: [Layer] = []
    private var seen: Set<UInt64> = []
    private let loops = LoopBinding.all()

    /// Everything under `input`: a block device, or the device holding a file's filesystem
    /// (that device included).
    init(under input: stat) {
        visit(UInt64(input.st_mode & S_IFMT == S_IFBLK ? input.st_rdev : input.st_dev), depth: 0)
    }

    private mutating func visit(_ dev: UInt64, depth: Int) {
        guard depth < StorageWalk.depthLimit, seen.insert(dev).inserted else { return }
        let sysfs = BlockDeviceUsers.sysfs(dev)
        guard let name = BlockDevice.resolvedName(sysfs) else { return }
        layers.append(.device(rdev: dev, name: name))
        if access(sysfs + "/partition", F_OK) == 0, let text = Syscalls.readTextFile(sysfs + "/../dev"),
           let whole = BlockDevice.parseDeviceNumber(text) {
            visit(whole, depth: depth + 1)
        }
        for slave in Syscalls.directoryEntries(sysfs + "/slaves") ?? [] where slave != "." && slave != ".." {
            if let text = Syscalls.readTextFile("\(sysfs)/slaves/\(slave)/dev"), let below = BlockDevice.parseDeviceNumber(text) {
                visit(below, depth: depth + 1)
            }
        }
        if let loop = LoopBinding.bound(to: dev, in: loops), let backing = loop.backing {
            if backing.st_mode & S_IFMT == S_IFBLK {
                visit(UInt64(backing.st_rdev), depth: depth + 1)
            } else {
                layers.append(.file(dev: UInt64(backing.st_dev), ino: UInt64(backing.st_ino), path: loop.backingPath, backs: loop.name))
                visit(UInt64(backing.st_dev), depth: depth + 1)
            }
        }
    }

    /// What `output` is in this stack, in words ("the file that backs loop3"), or nil.
    func role(of output: stat) -> String? {
        for layer in layers {
            switch layer {
            case .device(let rdev, let name):
                if output.st_mode & S_IFMT == S_IFBLK && UInt64(output.st_rdev) == rdev { return "the device \(name)" }
            case .file(let dev, let ino, _, let backs):
                if output.st_mode & S_IFMT == S_IFREG && UInt64(output.st_dev) == dev && UInt64(output.st_ino) == ino {
                    return "the file that backs \(backs)"
                }
            }
        }
        return nil
    }
}
