/// Which block each random IO goes to, as fio picks it: a uniform draw kept to one use per block
/// per pass by the random map (fio's default), drawn with replacement (`norandommap`), taken
/// from a full-period shift register (`random_generator=lfsr`, no map needed), or drawn from a
/// skewed distribution or zones (`random_distribution`; fio keeps no map for those, nor uses the
/// LFSR).
///
/// A value type: each stream (each job of a run) owns its generator, its map and its seed.
public struct RandomBlocks: Sendable {
    let blockCount: UInt64
    private let source: Source
    private var generator: Xoshiro256StarStar
    /// Empty unless `source == .mapped`: stored, not optional, so that marking a block mutates
    /// the one array in place.
    private var map: RandomBlockMap
    private var lfsr: BlockLFSR
    private let skewed: SkewedBlocks?
    private let zoned: ZonedBlocks?
    /// Picks the zone of each IO under a zoned distribution (fio's zone_state).
    private var zoneGenerator: Xoshiro256StarStar
    /// Passes begun after the first (the map was full, or the register came round).
    public private(set) var passes: UInt64 = 0

    private enum Source { case uniform, mapped, lfsr, skewed, zoned }

    /// Whether blocks come through the random map (fio's axmap: uniform draws, neither
    /// norandommap nor the LFSR).
    var usesRandomMap: Bool { source == .mapped }

    /// Whether a pass ends, every block used once (the map filled, the register came round):
    /// fio's size-bound job then starts its next loop.
    var endsPasses: Bool { source == .mapped || source == .lfsr }

    /// `blockSize` converts `zoned_abs` sizes to blocks.
    public init(blockCount: UInt64, seed: UInt64, randomMap: Bool = true,
                generator kind: RandomGenerator = .tausworthe, distribution: RandomDistribution = .random,
                blockSize: UInt64 = 1) {
        precondition(blockCount > 0)
        self.blockCount = blockCount
        var generator = Xoshiro256StarStar(seed: seed)
        var skewed: SkewedBlocks? = nil
        var zoned: ZonedBlocks? = nil
        if case .zoned(let split) = distribution {
            source = .zoned
            zoned = ZonedBlocks(split, blockCount: blockCount, blockSize: blockSize)
        } else if !distribution.isUniform {
            source = .skewed
            skewed = SkewedBlocks(distribution, blockCount: blockCount, generator: &generator)
        } else if kind == .lfsr {
            source = .lfsr
        } else {
            source = randomMap ? .mapped : .uniform
        }
        self.skewed = skewed
        self.zoned = zoned
        zoneGenerator = Xoshiro256StarStar(seed: seed ^ 0x7A6F_6E65)    // "zone"
        self.generator = generator
        map = RandomBlockMap(blockCount: source == .mapped ? blockCount : 1)
        lfsr = BlockLFSR(blockCount: source == .lfsr ? blockCount : 1, seed: seed)
    }

    /// The next block for an IO in `direction`: only zoned distributions tell the two apart.
    @inline(__always)
    public mutating func next(_ direction: IODirection) -> UInt64 {
        if source == .zoned { return zoned.unsafelyUnwrapped.next(write: direction == .write, zone: &zoneGenerator, block: &generator) }
        return next()
    }

    /// An IO that starts at `block` (just drawn) spans `count` blocks: the random map marks
    /// the ones after it up to the first already used, as fio's axmap_set_nr; returns how many
    /// blocks the IO keeps (all `count` without a map).
    @inline(__always)
    public mutating func claim(after block: UInt64, upTo count: UInt64) -> UInt64 {
        guard source == .mapped else { return count }
        var kept: UInt64 = 1
        while kept < count && block &+ kept < blockCount && !map.contains(block &+ kept) {
            map.insert(block &+ kept)
            kept &+= 1
        }
        return kept
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        switch source {
        case .zoned:
            return zoned.unsafelyUnwrapped.next(write: false, zone: &zoneGenerator, block: &generator)
        case .skewed:
            return skewed.unsafelyUnwrapped.next(&generator)
        case .lfsr:
            let (block, newPass) = lfsr.next()
            if newPass { passes &+= 1 }
            return block
        case .uniform, .mapped:
            // Lemire's multiply-high maps 64 random bits onto [0, blockCount) without a division
            // (the draw `RandomOffsets` makes, so norandommap keeps the offsets of earlier releases).
            var block = generator.next().multipliedFullWidth(by: blockCount).high
            if source == .uniform { return block }
            if map.isFull {
                map.reset()
                passes &+= 1
            }
            // A used block is replaced by the next free one after it, as in fio.
            if map.contains(block), let free = map.nextFree(after: block) { block = free }
            map.insert(block)
            return block
        }
    }
}
