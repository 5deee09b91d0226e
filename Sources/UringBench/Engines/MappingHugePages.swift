import UringCore

/// How much of one mapping the kernel backs with huge pages, from its /proc/self/smaps entry:
/// FilePmdMapped (file pages mapped by PMD, a shared file mapping's huge pages) and
/// AnonHugePages (anonymous or copied-on-write ones).
public struct MappingHugePages: Sendable, Equatable, Codable {
    var sizeKiB: UInt64
    var filePmdMappedKiB: UInt64
    var anonHugePagesKiB: UInt64

    var hugeKiB: UInt64 { filePmdMappedKiB &+ anonHugePagesKiB }

    /// The entry of the mapping that starts at `start`; nil when smaps has none.
    public static func parse(smaps: String, start: UInt) -> MappingHugePages? {
        let prefix = String(start, radix: 16) + "-"
        var found: MappingHugePages? = nil
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            if found == nil {
                if line.hasPrefix(prefix) { found = MappingHugePages(sizeKiB: 0, filePmdMappedKiB: 0, anonHugePagesKiB: 0) }
                continue
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // The next mapping's header ("start-end perms offset dev inode path") ends the entry.
            guard let key = fields.first, key.hasSuffix(":") else { break }
            let value = fields.count > 1 ? UInt64(fields[1]) ?? 0 : 0
            switch key {
            case "Size:": found?.sizeKiB = value
            case "FilePmdMapped:": found?.filePmdMappedKiB = value
            case "AnonHugePages:": found?.anonHugePagesKiB = value
            default: break
            }
        }
        return found
    }

    /// The mapping at `start` as the kernel has it now.
    static func read(start: UInt) -> MappingHugePages? {
        Syscalls.readTextFile("/proc/self/smaps").flatMap { parse(smaps: $0, start: start) }
    }

    public var description: String {
        "\(hugeKiB) KiB of the \(sizeKiB) KiB mapping in huge pages (FilePmdMapped \(filePmdMappedKiB) KiB, AnonHugePages \(anonHugePagesKiB) KiB, /proc/self/smaps)"
    }
}
