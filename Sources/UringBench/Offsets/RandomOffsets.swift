/// Uniform random block-aligned offsets over `[0, blockCount * blockSize)`, with replacement:
/// the equivalent of fio's `norandommap` (a block may be read twice before another is read once).
public struct RandomOffsets: Sendable {
    public let blockSize: UInt64
    let blockCount: UInt64
    private var generator: Xoshiro256StarStar

    public init(blockSize: UInt64, blockCount: UInt64, seed: UInt64) {
        precondition(blockCount > 0 && blockSize > 0)
        self.blockSize = blockSize
        self.blockCount = blockCount
        self.generator = Xoshiro256StarStar(seed: seed)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        // Lemire's multiply-high maps 64 random bits onto [0, blockCount) without a division.
        let block = generator.next().multipliedFullWidth(by: blockCount).high
        return block &* blockSize
    }
}
