/// fio's `random_generator=lfsr`: a maximal-length linear feedback shift register whose states
/// run through every value of 1..<2^n once per period, so each block is drawn exactly once per
/// pass without a map. The register is n bits wide, the smallest n with 2^n - 1 >= blocks; state
/// s stands for block s - 1, and states past the last block are skipped (fewer than half of them).
/// Like fio's LFSR it is cheap and fair, not a strong random generator: every pass repeats the
/// same order.
public struct BlockLFSR: Sendable {
    let blockCount: UInt64
    private let width: Int
    private let feedback: UInt64
    private var state: UInt64
    /// Blocks drawn in this pass.
    private var drawn: UInt64 = 0

    public init(blockCount: UInt64, seed: UInt64) {
        precondition(blockCount > 0)
        self.blockCount = blockCount
        var n = max(2, 64 - blockCount.leadingZeroBitCount)
        if n < 64 && (UInt64(1) << n) - 1 < blockCount { n += 1 }
        width = n
        feedback = Self.feedback[n - 2]
        let period = n == 64 ? UInt64.max : (UInt64(1) << n) - 1
        state = seed % period + 1
    }

    /// The next block, and whether it is the first of a new pass.
    @inline(__always)
    public mutating func next() -> (block: UInt64, newPass: Bool) {
        var block: UInt64
        repeat {
            // Multiply the state by x modulo the register's primitive polynomial.
            let carry = state >> (width - 1) & 1
            state = width == 64 ? state << 1 : (state << 1) & ((1 << width) - 1)
            if carry != 0 { state ^= feedback }
            block = state &- 1
        } while block >= blockCount
        let newPass = drawn == blockCount
        drawn = newPass ? 1 : drawn + 1
        return (block, newPass)
    }

    /// For width n = 2...64, a primitive polynomial x^n + p(x) over GF(2), as the bits of p(x)
    /// (x^0 = bit 0). Found by a search (trinomials first, then pentanomials, lowest exponents
    /// first), each checked primitive: x^(2^n-1) = 1 and x^((2^n-1)/q) != 1 modulo the polynomial
    /// for every prime q dividing 2^n - 1 (factors from sympy.factorint).
    static let feedback: [UInt64] = [
        0x3, 0x3, 0x3, 0x5, 0x3, 0x3,
        0x87, 0x11, 0x9, 0x5, 0x107, 0x27,
        0x1007, 0x3, 0x100b, 0x9, 0x81, 0x27,
        0x9, 0x5, 0x3, 0x21, 0x87, 0x9,
        0x47, 0x27, 0x9, 0x5, 0x800007, 0x9,
        0x400007, 0x2001, 0x8000007, 0x5, 0x801, 0x207,
        0x200b, 0x11, 0x800000007, 0x9, 0x20000007, 0x1007,
        0x400000000b, 0x1b, 0x20b, 0x21, 0x1000000b, 0x201,
        0x10007, 0x10000007, 0x9, 0x47, 0x20007, 0x1000001,
        0x40000000007, 0x81, 0x80001, 0x1000007, 0x3, 0x27,
        0x1000000b, 0x3, 0x807,
    ]
}
