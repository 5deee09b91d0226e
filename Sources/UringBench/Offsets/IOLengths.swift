/// Draws the length of each IO from the job's `BlockSizes`, as fio's `get_next_buflen` (io_u.c)
/// does: a split picks the first size (in the split's order, by percentage) whose running total
/// of percentages the draw falls under and that fits before the region's end; a range takes
/// `smallest + largest × u` (u uniform in [0, 1)). The length is then aligned down to the
/// smallest size and kept at most the largest, and drawn again until it fits. Percentages that
/// add up to less than 100 leave the rest to the last size of the split (fio's loop ends there).
///
/// A value type with its own seeded generator: the same seed gives the same lengths on every
/// engine.
public struct IOLengths: Sendable {
    public let sizes: BlockSizes
    private var generator: Xoshiro256StarStar

    public init(_ sizes: BlockSizes, seed: UInt64) {
        self.sizes = sizes
        generator = Xoshiro256StarStar(seed: seed ^ 0x6273_7261_6E67_65)    // "bsrange"
    }

    /// The next length of an IO in `direction` with `room` bytes left before the region's end
    /// (at least the direction's smallest size: the offsets leave that much).
    @inline(__always)
    public mutating func next(_ direction: IODirection, room: UInt64) -> UInt64 {
        let choice = sizes.choice(direction)
        if choice.isSingle { return choice.smallest }
        // fio draws until a length fits; a split whose only fitting sizes have no share would
        // draw for ever, so after many tries the largest size that fits is taken.
        for _ in 0..<64 {
            let length = Self.aligned(draw(choice, room: room), to: choice)
            if length <= room { return length }
        }
        let fitting = choice.shares.filter { $0.size <= room }.map(\.size).max() ?? choice.smallest
        return Self.aligned(fitting, to: choice)
    }

    @inline(__always)
    private mutating func draw(_ choice: BlockSizes.Choice, room: UInt64) -> UInt64 {
        let r = generator.next()
        guard !choice.shares.isEmpty else {
            // buflen = minbs + maxbs × (r / (rand_max + 1.0)); 2^64 is rand_max + 1 here.
            let u = Double(r) * 0x1p-64
            return choice.smallest &+ UInt64(min(Double(choice.largest) * u, Double(choice.largest)))
        }
        var length = choice.smallest
        var total: UInt64 = 0
        for share in choice.shares where share.percent > 0 {
            length = share.size
            total &+= share.percent
            // fio's `r / perc <= frand_max / 100`: the draw falls under this running share.
            if r / total <= UInt64.max / 100 && share.size <= room { break }
        }
        return length
    }

    /// fio's alignment of a drawn length: down to a multiple of the smallest size (a mask when
    /// it is a power of two), and at most the largest.
    @inline(__always)
    static func aligned(_ length: UInt64, to choice: BlockSizes.Choice) -> UInt64 {
        let minimum = max(1, choice.smallest)
        let down = minimum & (minimum - 1) == 0 ? length & ~(minimum - 1) : length - length % minimum
        return min(down, choice.largest)
    }
}
