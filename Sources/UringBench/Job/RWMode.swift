/// fio's `rw=`: which directions a job issues and how it walks the file.
public enum RWMode: String, Codable, Sendable, CaseIterable {
    case randread
    case randwrite
    case read           // sequential from offset 0, wrapping at size
    case write
    case randrw         // random, reads and writes mixed by rwmixread
    case rw             // sequential, mixed; fio also spells it readwrite

    /// Draws offsets at random instead of walking the file.
    @inline(__always)
    var isRandom: Bool { self == .randread || self == .randwrite || self == .randrw }
    public var reads: Bool { self != .randwrite && self != .write }
    public var writes: Bool { self != .randread && self != .read }
    public var isMixed: Bool { reads && writes }

    /// fio's name, also accepted as `readwrite` for `rw`.
    public init?(fioName: String) {
        if fioName == "readwrite" { self = .rw; return }
        self.init(rawValue: fioName)
    }
}
