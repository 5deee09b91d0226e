import UringCore

/// The memory the page cache can use here: MemTotal, or the memory limit of the cgroup this
/// process runs in when that is lower (cgroup v2 memory.max, v1 memory.limit_in_bytes, the
/// lowest along the path to the root, as the kernel enforces them).
public struct PageCacheMemory: Sendable, Equatable, Codable {
    public var bytes: UInt64
    /// Where `bytes` was read: "MemTotal" or the cgroup file.
    var source: String

    public static func current() -> PageCacheMemory? {
        parse(meminfo: Syscalls.readTextFile("/proc/meminfo") ?? "",
              cgroup: Syscalls.readTextFile("/proc/self/cgroup") ?? "",
              readFile: Syscalls.readTextFile)
    }

    /// `--size 1.5xmem`: a multiple of `bytes`, rounded down to whole MiB (a multiple of every
    /// block size up to 1 MiB). nil for text of another form, a multiple that is not a
    /// positive finite number, or a product under 1 MiB or beyond 2^60 bytes.
    public func size(forMultiple text: String) -> UInt64? {
        guard text.hasSuffix("xmem"), let multiple = Double(text.dropLast(4)), multiple.isFinite, multiple > 0 else { return nil }
        let mib = (Double(bytes) * multiple / 1_048_576).rounded(.down)
        guard mib >= 1, mib <= Double(1 << 40) else { return nil }
        return UInt64(mib) << 20
    }

    static func parse(meminfo: String, cgroup: String, readFile: (String) -> String?) -> PageCacheMemory? {
        guard let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
              let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ UInt64($0) })
        else { return nil }
        var best = PageCacheMemory(bytes: kib &* 1024, source: "MemTotal")
        for (file, path) in limitFiles(cgroup: cgroup) {
            for dir in ancestors(path) {
                let candidate = dir + "/" + file
                guard let text = readFile(candidate)?.trimmingCharacters(in: .whitespacesAndNewlines),
                      let limit = UInt64(text), limit < best.bytes else { continue }
                best = PageCacheMemory(bytes: limit, source: candidate)
            }
        }
        return best
    }

    /// The limit files to read for each hierarchy in /proc/self/cgroup, with the group's
    /// directory: "0::/path" (v2, at /sys/fs/cgroup or /sys/fs/cgroup/unified beside v1) and
    /// "N:memory:/path" (v1).
    static func limitFiles(cgroup: String) -> [(file: String, directory: String)] {
        var files: [(String, String)] = []
        for line in cgroup.split(separator: "\n") {
            let f = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard f.count == 3 else { continue }
            let path = f[2] == "/" ? "" : String(f[2])
            if f[0] == "0" && f[1].isEmpty {
                files.append(("memory.max", "/sys/fs/cgroup" + path))
                files.append(("memory.max", "/sys/fs/cgroup/unified" + path))
            } else if f[1].split(separator: ",").contains("memory") {
                files.append(("memory.limit_in_bytes", "/sys/fs/cgroup/memory" + path))
            }
        }
        return files
    }

    /// `directory` and each parent up to its hierarchy's root (/sys/fs/cgroup[/name]).
    static func ancestors(_ directory: String) -> [String] {
        var dirs = [directory]
        var current = directory
        while let slash = current.lastIndex(of: "/"), current.filter({ $0 == "/" }).count > 4 {
            current = String(current[..<slash])
            dirs.append(current)
        }
        return dirs
    }
}
