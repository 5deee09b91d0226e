import Glibc
import UringCore

/// One walk over what stands on and under a device or file, for BlockDeviceUsers: each device
/// and file is visited once, so a loop stacked on a loop over the same image ends.
struct StorageWalk {
    let loops: [LoopBinding]
    var devices: Set<UInt64> = []
    var files: Set<[UInt64]> = []
    /// Stacks deeper than this are not built by hand; the bound only guards against a cycle.
    static let depthLimit = 8

    init(loops: [LoopBinding]) { self.loops = loops }

    /// The uses of device `rdev` and its partitions, then of what is stacked on it, then (a loop
    /// device) of its backing. `isTarget`: the device the run opens with O_EXCL itself, so its
    /// claim (and its partitions', which that claim blocks) is not tested here.
    mutating func device(_ rdev: UInt64, isTarget: Bool, depth: Int) -> [String] {
        guard depth < Self.depthLimit, devices.insert(rdev).inserted else { return [] }
        let name = BlockDeviceUsers.name(rdev) ?? "the device"
        var uses: [String] = []
        var stacked: [String] = []
        for (number, part) in [(rdev, name)] + BlockDeviceUsers.partitions(of: rdev) {
            let what = number == rdev ? name : "partition \(part)"
            uses += BlockDeviceUsers.mountPoints(of: number).map { "\(what) is mounted at \($0)" }
            if BlockDeviceUsers.isSwap(number) { uses.append("\(what) is used as swap") }
            uses += BlockDeviceUsers.holders(of: number).map { "\(what) is held by \($0)" }
            uses += ProcessOpeners.of(BlockDeviceUsers.deviceStatus(number)).map { "\(what) is \($0)" }
            for loop in loops where loop.isBacked(by: BlockDeviceUsers.deviceStatus(number)) {
                stacked += device(loop.rdev, isTarget: false, depth: depth + 1).map { "\(what) backs \(loop.name), and \($0)" }
            }
        }
        // A claim nothing above explains: a mount in another namespace, an O_EXCL opener. (A
        // claimed partition blocks the whole disk's O_EXCL open too, so one test covers both.)
        if uses.isEmpty && !isTarget && Self.isClaimed(node: "/dev/" + name) {
            uses.append("\(name) is claimed (mounted in another mount namespace, or held open exclusively)")
        }
        uses += stacked
        if let loop = LoopBinding.bound(to: rdev, in: loops), let backing = loop.backing {
            let below = backing.st_mode & S_IFMT == S_IFBLK
                ? device(UInt64(backing.st_rdev), isTarget: false, depth: depth + 1)
                : file(backing, label: "'\(loop.backingPath)'", openers: true, depth: depth + 1)
            uses += below.map { "\(name) is over \(loop.backingPath), and \($0)" }
        }
        return uses
    }

    /// The uses of the regular file `st`, named `label` in the result ("it", "'/img/fs.img'").
    mutating func file(_ st: stat, label: String, openers: Bool, depth: Int) -> [String] {
        guard depth < Self.depthLimit, files.insert([UInt64(st.st_dev), UInt64(st.st_ino)]).inserted else { return [] }
        var uses: [String] = []
        if BlockDeviceUsers.isSwapFile(st) { uses.append("\(label) is used as swap") }
        if openers { uses += ProcessOpeners.of(st).map { "\(label) is \($0)" } }
        for loop in loops where loop.isBacked(by: st) {
            uses += device(loop.rdev, isTarget: false, depth: depth + 1).map { "\(label) backs \(loop.name), and \($0)" }
        }
        return uses
    }

    /// Whether some user holds the device's exclusive claim: a mount in any mount namespace, a
    /// holder, an O_EXCL opener. The O_EXCL open then fails EBUSY; when it succeeds it is closed
    /// at once.
    static func isClaimed(node: String) -> Bool {
        let fd = Glibc.open(node, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK)
        if fd >= 0 {
            Syscalls.close(fd)
            return false
        }
        return errno == EBUSY
    }
}
