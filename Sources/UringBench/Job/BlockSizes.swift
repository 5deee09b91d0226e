/// The sizes a job's IOs take when they are not all one (fio's bssplit and bsrange): per data
/// direction, a split of sizes with the share of IOs each gets, or a range from the smallest to
/// the largest. `JobSpec.blockSize` is then the smallest size, the grain every offset is aligned
/// to and the random map counts in (fio's min_bs and default blockalign); the buffers hold the
/// largest. `IOLengths` draws each IO's length from it.
public struct BlockSizes: Codable, Sendable, Equatable {
    /// One size of a split and its share of the IOs in percent (fio's struct bssplit).
    public struct Share: Codable, Sendable, Equatable {
        public var size: UInt64
        public var percent: UInt64

        public init(size: UInt64, percent: UInt64) {
            self.size = size
            self.percent = percent
        }
    }

    /// One direction's sizes: `shares` sorted by percentage, as fio sorts them (the draw walks
    /// them in that order); empty for a range, every size from `smallest` to `largest` in
    /// steps of `smallest`.
    public struct Choice: Codable, Sendable, Equatable {
        public var shares: [Share]
        public var smallest: UInt64
        public var largest: UInt64

        public init(shares: [Share]) {
            self.shares = shares
            smallest = shares.map(\.size).min() ?? 1
            largest = shares.map(\.size).max() ?? 1
        }

        public init(smallest: UInt64, largest: UInt64) {
            shares = []
            self.smallest = smallest
            self.largest = largest
        }

        /// Every IO of the direction is one size.
        public var isSingle: Bool { smallest == largest }
    }

    public var read: Choice
    public var write: Choice

    public init(read: Choice, write: Choice) {
        self.read = read
        self.write = write
    }

    /// The smallest size of either direction (fio's rw_min_bs).
    public var smallest: UInt64 { min(read.smallest, write.smallest) }
    /// The largest size of either direction: each buffer holds this much.
    public var largest: UInt64 { max(read.largest, write.largest) }

    /// The sizes as fio's bssplit or bsrange reads them (the split's entries in the order the
    /// draw walks them), reads' list then writes' when they differ.
    public var echoText: String {
        func text(_ c: Choice) -> String {
            c.shares.isEmpty ? formatBytesFlag(c.smallest) + "-" + formatBytesFlag(c.largest)
                : c.shares.map { formatBytesFlag($0.size) + "/\($0.percent)" }.joined(separator: ":")
        }
        return read == write ? text(read) : text(read) + "," + text(write)
    }

    @inline(__always)
    func choice(_ direction: IODirection) -> Choice { direction == .write ? write : read }
}
