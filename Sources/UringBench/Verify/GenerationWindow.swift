/// The write generations a read of one block may return: anything from before the run (the
/// layout's 0, an earlier run's) until this run's writes to the block settle, then the writes
/// of this run that may be on disk — one, or several when writes to the block overlapped in
/// flight and either may have landed last.
public struct GenerationWindow: Equatable, Sendable, CustomStringConvertible {
    /// Any generation below this is accepted (0: none).
    public var before: UInt64
    /// This run's generations that are accepted (none when lowest > highest).
    var lowest: UInt64
    public var highest: UInt64

    public init(before: UInt64, lowest: UInt64, highest: UInt64) {
        self.before = before
        self.lowest = lowest
        self.highest = highest
    }

    /// A read job's: every generation (the file may have been written by earlier runs).
    public static let any = GenerationWindow(before: .max, lowest: 0, highest: .max)

    @inline(__always)
    public func contains(_ generation: UInt64) -> Bool {
        generation < before || (lowest <= generation && generation <= highest)
    }

    /// The generation a block most likely holds, to show the bytes expected.
    var newest: UInt64 { lowest <= highest && highest != .max ? highest : 0 }

    public var description: String {
        if self == .any { return "any generation" }
        let range = lowest > highest ? nil : lowest == highest ? "generation \(lowest)" : "generation \(lowest)…\(highest)"
        switch (before > 0, range) {
        case (true, nil): return "a generation from before this run (below \(before))"
        case (true, let r?): return "a generation from before this run (below \(before)) or \(r)"
        case (false, let r?): return r
        case (false, nil): return "no generation"
        }
    }
}
