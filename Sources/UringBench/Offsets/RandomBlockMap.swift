/// fio's random map (its `axmap`): which blocks this pass has already used, so that random IO
/// touches every block once before any block twice. Level 0 has one bit per block; a set bit at
/// level k+1 says that word of level k is full. Finding the next free block therefore reads one
/// word per level (at most 11 for 2^64 blocks), whatever the size or how full the map is.
///
/// A value type with one array: each stream (each job of a run) owns its own map.
public struct RandomBlockMap: Sendable {
    let blockCount: UInt64
    /// All levels, level 0 first.
    private var words: [UInt64]
    /// Where each level starts in `words`, and how many words it has.
    private let levelStart: [Int]
    private let levelWords: [Int]

    /// The most blocks a map is kept for: 2^32 bits take 512 MiB (16 TiB of 4 KiB blocks).
    static let maxBlocks: UInt64 = 1 << 32

    public init(blockCount: UInt64) {
        precondition(blockCount > 0 && blockCount <= Self.maxBlocks)
        self.blockCount = blockCount
        var starts: [Int] = [], counts: [Int] = []
        var bits = Int(blockCount), total = 0
        repeat {
            let n = (bits + 63) >> 6
            starts.append(total); counts.append(n)
            total += n
            bits = n
        } while bits > 1
        levelStart = starts
        levelWords = counts
        words = [UInt64](repeating: 0, count: total)
        reset()
    }

    /// Every block of the pass is used: the next draw starts a new pass.
    @inline(__always)
    public var isFull: Bool { words[words.count - 1] == ~0 }

    /// Empties the map. Bits past the last block (and past the last word of each level) are
    /// set, so a search never lands there and a full map shows as one all-ones top word.
    mutating func reset() {
        for i in words.indices { words[i] = 0 }
        var bits = Int(blockCount)
        for level in levelStart.indices {
            let last = levelStart[level] + levelWords[level] - 1
            let used = bits & 63
            if used != 0 { words[last] = ~0 << UInt64(used) }
            bits = levelWords[level]
        }
    }

    @inline(__always)
    public func contains(_ block: UInt64) -> Bool {
        words[Int(block >> 6)] & (1 << (block & 63)) != 0
    }

    /// Marks `block` used, and each level's word above it once the word below is full.
    @inline(__always)
    public mutating func insert(_ block: UInt64) {
        var index = Int(block >> 6)
        var bit = block & 63
        var level = 0
        while true {
            let i = levelStart[level] + index
            words[i] |= 1 << bit
            if words[i] != ~0 || level + 1 == levelStart.count { return }
            bit = UInt64(index & 63)
            index >>= 6
            level += 1
        }
    }

    /// The first free block after `block`, wrapping to 0 at the end (fio's axmap_next_free);
    /// nil only when the map is full.
    func nextFree(after block: UInt64) -> UInt64? {
        let start = block + 1 < blockCount ? block + 1 : 0
        if let b = firstFree(from: start) { return b }
        return start == 0 ? nil : firstFree(from: 0)
    }

    /// The first free block at or after `position`: up the levels until a word has a free bit
    /// at or after the position, then down, taking the lowest free bit of each word.
    private func firstFree(from position: UInt64) -> UInt64? {
        var level = 0
        var pos = position
        while true {
            let w = Int(pos >> 6)
            if w >= levelWords[level] { return nil }
            let free = ~words[levelStart[level] + w] & (~0 << (pos & 63))
            if free != 0 {
                pos = UInt64(w) << 6 | UInt64(free.trailingZeroBitCount)
                break
            }
            if level + 1 == levelStart.count { return nil }
            pos = UInt64(w + 1)
            level += 1
        }
        while level > 0 {
            level -= 1
            let w = Int(pos)
            pos = UInt64(w) << 6 | UInt64((~words[levelStart[level] + w]).trailingZeroBitCount)
        }
        return pos
    }
}
