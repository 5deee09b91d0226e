/// fio's `random_generator`: how random offsets are drawn.
public enum RandomGenerator: String, Codable, Sendable, CaseIterable {
    /// fio's default: a pseudo-random generator, plus the random map unless norandommap. fio's
    /// tausworthe is 32-bit and fio moves to tausworthe64 past 2^32 blocks unless told otherwise
    /// (a job file that insists is refused there); uringbench draws both from its seeded 64-bit
    /// xoshiro256**: the same uniform draw, another sequence.
    case tausworthe
    case tausworthe64
    /// A full-period shift register: every block once per pass with no map (`BlockLFSR`).
    case lfsr
}
