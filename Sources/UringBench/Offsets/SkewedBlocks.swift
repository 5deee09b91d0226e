import Foundation

/// fio's non-uniform random offsets (lib/zipf.c, lib/gauss.c): a rank drawn from the
/// distribution (0 = the most frequently used), scattered over the file by a multiplicative hash
/// so that hot blocks are not neighbours, then shifted by a fixed offset (the distribution's
/// center, or a random one). Each draw is a few floating-point operations and one division.
public struct SkewedBlocks: Sendable {
    let blockCount: UInt64
    private let shape: Shape
    /// Where rank 0 lands: added to every block, modulo the block count.
    private let offset: UInt64
    /// fio hashes the rank (tools that plot the raw shape turn this off, and so do the tests).
    private let scatter: Bool
    // Zipf (Gray et al.'s approximation, as fio draws it).
    private let theta: Double, zetan: Double, halfPowTheta: Double, alpha: Double, eta: Double
    // Pareto.
    private let power: Double
    // Normal: the spread added to the bell, in blocks.
    private let spread: UInt64

    private enum Shape { case zipf, pareto, normal }

    /// fio sums the Zipf normalisation over at most this many ranks (its ZIPF_MAX_GEN).
    static let zipfTerms: UInt64 = 10_000_000
    /// The normal shape sums 12 draws of up to this many blocks in 64 bits.
    static let maxNormalBlocks: UInt64 = 1 << 59

    /// `generator` gives the random offset when the distribution names no center.
    public init(_ distribution: RandomDistribution, blockCount: UInt64,
                generator: inout Xoshiro256StarStar, scatter: Bool = true) {
        precondition(blockCount > 0 && !distribution.isUniform)
        self.blockCount = blockCount
        self.scatter = scatter
        let n = Double(blockCount)
        var theta = 0.0, zetan = 0.0, half = 0.0, alpha = 0.0, eta = 0.0, power = 0.0
        var spread: UInt64 = 0
        var center: Double?
        var shift: UInt64 = 0
        switch distribution {
        case .random, .zoned:
            preconditionFailure("uniform and zoned draws are not skewed")
        case .zipf(let t, let c):
            shape = .zipf
            center = c
            theta = t
            for i in 0..<min(blockCount, Self.zipfTerms) { zetan += 1 / Foundation.pow(Double(i + 1), t) }
            half = Foundation.pow(0.5, t)
            alpha = 1 / (1 - t)
            eta = (1 - Foundation.pow(2 / n, 1 - t)) / (1 - (1 + half) / zetan)
        case .pareto(let h, let c):
            shape = .pareto
            center = c
            power = Foundation.log(h) / Foundation.log(1 - h)
        case .normal(let deviation, let c):
            shape = .normal
            if deviation > 0 { spread = min(UInt64((n * deviation / 100).rounded(.up)), blockCount / 2) }
            // fio's normal is centred on the middle of the file; a center moves it.
            shift = c.map { Self.blocks(n * ($0 - 0.5), modulo: blockCount) } ?? 0
        }
        if shape != .normal {
            shift = center.map { Self.blocks(n * $0, modulo: blockCount) } ?? generator.next() % blockCount
        }
        offset = shift
        self.theta = theta; self.zetan = zetan; self.halfPowTheta = half; self.alpha = alpha; self.eta = eta
        self.power = power; self.spread = spread
    }

    /// `x` blocks (possibly negative or past the end) as a block number in 0..<count.
    static func blocks(_ x: Double, modulo count: UInt64) -> UInt64 {
        let m = Foundation.fmod(x, Double(count))
        let wrapped = m < 0 ? m + Double(count) : m
        return min(UInt64(wrapped), count - 1)
    }

    /// A uniform double in [0, 1).
    @inline(__always)
    private static func unit(_ g: inout Xoshiro256StarStar) -> Double { Double(g.next() >> 11) * 0x1p-53 }

    /// The next rank, before scattering: 0 is the most used.
    @inline(__always)
    func nextRank(_ g: inout Xoshiro256StarStar) -> UInt64 {
        let n = blockCount
        switch shape {
        case .zipf:
            let u = Self.unit(&g)
            let z = u * zetan
            if z < 1 { return 0 }
            if z < 1 + halfPowTheta { return min(1, n - 1) }
            let x = Double(n) * Foundation.pow(eta * u - eta + 1, alpha)
            // A rank past the end (or NaN from a degenerate tiny file) is clamped, not trapped.
            guard x >= 0 else { return 0 }
            return x < Double(n) ? UInt64(x) : n - 1
        case .pareto:
            let x = Double(n - 1) * Foundation.pow(Self.unit(&g), power)
            return x < Double(n) ? UInt64(x) : n - 1
        case .normal:
            var sum: UInt64 = 0
            for _ in 0..<12 { sum &+= g.next().multipliedFullWidth(by: n + 1).high }
            var rank = Int64((sum + 11) / 12)
            if spread > 0 {
                var dev = Int64(g.next().multipliedFullWidth(by: spread).high) - Int64(spread / 2)
                // fio halves the spread until it stays inside the file.
                while dev != 0 && (rank + dev < 0 || rank + dev >= Int64(n)) { dev /= 2 }
                rank += dev
            }
            return UInt64(rank) % n
        }
    }

    @inline(__always)
    public func next(_ g: inout Xoshiro256StarStar) -> UInt64 {
        var rank = nextRank(&g)
        // Fibonacci hashing: the multiplier is 2^64 / the golden ratio.
        if scatter { rank = (rank &* 0x9E37_79B9_7F4A_7C15) % blockCount }
        let block = rank + offset
        return block >= blockCount ? block - blockCount : block
    }
}
