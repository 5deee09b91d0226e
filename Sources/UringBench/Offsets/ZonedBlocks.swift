/// Random blocks under fio's zoned distributions (io_u.c `__get_next_rand_offset_zoned` and
/// `_zoned_abs`): each IO draws a number from 1 to 100, which picks a zone by the access
/// percentages, then a uniform block in that zone, drawn with replacement (fio keeps no random
/// map for a non-uniform distribution). Reads and writes each have their own zones.
struct ZonedBlocks: Sendable {
    /// Zone start and length in blocks, one entry for each of the 100 draws.
    private typealias Table = [(start: UInt64, length: UInt64)]
    private let read: Table
    private let write: Table

    /// `blockSize` converts `zoned_abs` sizes to blocks; `blockCount` is fio's last block.
    init(_ split: ZoneSplit, blockCount: UInt64, blockSize: UInt64) {
        read = Self.table(split.read, absolute: split.absolute, blockCount: blockCount, blockSize: blockSize)
        write = Self.table(split.write, absolute: split.absolute, blockCount: blockCount, blockSize: blockSize)
    }

    /// fio's `td_zone_gen_index` with the zone bounds worked out: a `zoned` zone starts at
    /// start% * blocks / 100 and holds size% * blocks / 100 blocks (whole blocks, as fio divides).
    private static func table(_ zones: [ZoneSplit.Zone], absolute: Bool, blockCount: UInt64, blockSize: UInt64) -> Table {
        func percentOfBlocks(_ percent: UInt64) -> UInt64 {
            UInt64(100).dividingFullWidth(blockCount.multipliedFullWidth(by: percent)).quotient
        }
        var table: Table = []
        table.reserveCapacity(100)
        var before: UInt64 = 0
        for zone in zones {
            let start: UInt64, end: UInt64
            if absolute {
                start = before / max(1, blockSize)
                end = Self.saturated(before, zone.size) / max(1, blockSize)
            } else {
                start = percentOfBlocks(before)
                end = start + percentOfBlocks(zone.size)
            }
            // A zone past the job's blocks (refused by JobSpec for zoned_abs) is kept inside them.
            let first = min(start, blockCount - 1)
            let length = max(1, min(end, blockCount) - first)
            for _ in 0..<zone.access { table.append((first, length)) }
            before = Self.saturated(before, zone.size)
        }
        return table
    }

    private static func saturated(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    @inline(__always)
    func next(write isWrite: Bool, zone: inout Xoshiro256StarStar, block: inout Xoshiro256StarStar) -> UInt64 {
        let table = isWrite ? write : read
        let entry = table[Int(zone.next().multipliedFullWidth(by: UInt64(table.count)).high)]
        return entry.start + block.next().multipliedFullWidth(by: entry.length).high
    }
}
