/// fio's `random_distribution=zoned:` and `zoned_abs:` (options.c `zone_split_ddir`): a list of
/// `access/size` pairs, each sending `access` percent of the random IOs to the next `size` of the
/// file — a percentage of the job's size (`zoned`) or bytes (`zoned_abs`) — uniformly within that
/// zone. Zones follow one another from offset 0. Reads and writes may have their own lists,
/// separated by ',' (`zoned:50/5:50/95,90/10:10/90`); a single list applies to both.
///
/// As in fio, the access percentages must add up to 100; a `zoned` size left out (`20/`) or 0
/// shares what the others leave of 100 percent; sizes must not add up to more than 100 percent.
public struct ZoneSplit: Sendable, Equatable {
    public struct Zone: Sendable, Equatable {
        /// Percent of the IOs that go to this zone.
        public let access: UInt64
        /// Percent of the job's size (`zoned`) or bytes (`zoned_abs`).
        public let size: UInt64
    }

    public let absolute: Bool
    public let read: [Zone]
    public let write: [Zone]
    /// The text after `zoned:` or `zoned_abs:`, as written.
    public let spelling: String

    /// `text` is what follows `zoned:` (or `zoned_abs:` when `absolute`). The error names the
    /// cause; the caller adds the option.
    public init(_ text: String, absolute: Bool) throws(ZoneSplitError) {
        let lists = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard lists.count <= 3 else { throw ZoneSplitError("gives more than read,write,trim lists") }
        read = try Self.zones(lists[0], absolute: absolute)
        write = lists.count > 1 ? try Self.zones(lists[1], absolute: absolute) : read
        self.absolute = absolute
        spelling = text
    }

    /// One direction's list, as fio's `split_parse_ddir` and `zone_split_ddir` read it.
    static func zones(_ list: String, absolute: Bool) throws(ZoneSplitError) -> [Zone] {
        var pairs: [(access: UInt64, size: UInt64?)] = []
        // fio stops at the first empty entry.
        for entry in list.split(separator: ":", omittingEmptySubsequences: false) {
            if entry.isEmpty { break }
            let halves = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let access = UInt64(halves[0]), access <= 100 else {
                throw ZoneSplitError("'\(halves[0])' in '\(entry)' is not an access percentage from 0 to 100")
            }
            var size: UInt64? = nil
            if halves.count == 2 && !halves[1].isEmpty {
                if absolute {
                    guard let bytes = Units.parseSize(halves[1]), bytes > 0 else {
                        throw ZoneSplitError("'\(halves[1])' in '\(entry)' is not a zone size; write e.g. 50/10G")
                    }
                    size = bytes
                } else {
                    guard let percent = UInt64(halves[1]), percent <= 100 else {
                        throw ZoneSplitError("'\(halves[1])' in '\(entry)' is not a size percentage from 0 to 100")
                    }
                    // fio reads a size of 0 percent as one left out.
                    size = percent == 0 ? nil : percent
                }
            }
            if absolute && size == nil { throw ZoneSplitError("'\(entry)' gives no zone size; write access/size, e.g. 50/10G") }
            pairs.append((access, size))
        }
        guard !pairs.isEmpty else { throw ZoneSplitError("gives no zones; write e.g. zoned:60/10:40/90") }
        let accessTotal = pairs.reduce(0) { $0 + $1.access }
        guard accessTotal == 100 else {
            throw ZoneSplitError("the access percentages add up to \(accessTotal), and fio needs 100")
        }
        if absolute { return pairs.map { Zone(access: $0.access, size: $0.size ?? 0) } }
        let sizeTotal = pairs.reduce(0) { $0 + ($1.size ?? 0) }
        guard sizeTotal <= 100 else { throw ZoneSplitError("the size percentages add up to \(sizeTotal), more than 100") }
        let missing = UInt64(pairs.count { $0.size == nil })
        // fio gives a lone zone without a size 0 percent; uringbench refuses every empty zone.
        let share = missing == 0 || pairs.count == 1 ? 0 : (100 - sizeTotal) / missing
        let zones = pairs.map { Zone(access: $0.access, size: $0.size ?? share) }
        if let empty = zones.firstIndex(where: { $0.size == 0 && $0.access > 0 }) {
            throw ZoneSplitError("zone \(empty + 1) gets 0 percent of the file (fio would send its IOs to one offset); give each zone a size")
        }
        return zones
    }

    /// Bytes the `zoned_abs` zones of both directions cover, at most (0 for `zoned`).
    var absoluteEnd: UInt64 {
        guard absolute else { return 0 }
        func end(_ zones: [Zone]) -> UInt64 {
            zones.reduce(0) { total, zone in
                let (sum, overflow) = total.addingReportingOverflow(zone.size)
                return overflow ? .max : sum
            }
        }
        return max(end(read), end(write))
    }
}

/// Why a zoned distribution is refused.
public struct ZoneSplitError: Error, Sendable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}
