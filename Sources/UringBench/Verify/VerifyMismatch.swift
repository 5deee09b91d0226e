import Foundation

/// A sector that did not hold what it should: where, what was wrong, and what was found
/// against what was expected (offset, generation, checksum).
public struct VerifyMismatch: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case noHeader           // no uringbench magic: not uringbench's data at all
        case previousFormat     // "URBENCH1" or "URBENCH2": laid out by an earlier uringbench
        case checksum           // the stored crc32c does not match the bytes: corrupted
        case misplaced          // intact, but the data of another offset
        case seed(UInt64)       // intact, but another file's (the file's seed is the payload)
        case generation         // intact, but not a write this read may return: stale
        case data               // checksum fine, bytes not the pattern (a uringbench bug)
    }

    let sectorOffset: UInt64
    public let problem: Problem
    let found: DataPattern.SectorHeader
    let computedChecksum: UInt32
    let expected: GenerationWindow
    /// The first byte that differs from what the sector should hold.
    let firstDifference: UInt64?

    static func hex(_ v: UInt32) -> String { String(format: "0x%08x", v) }

    public var description: String {
        let s = sectorOffset
        let foundText = "found offset \(found.offset), generation \(found.generation), crc32c \(Self.hex(found.checksum))"
        let expectedText = "expected offset \(s), \(expected), crc32c \(Self.hex(computedChecksum)) (computed)"
        var text: String
        switch problem {
        case .noHeader:
            text = "the sector at offset \(s) has no uringbench header (magic 0x\(String(found.magic, radix: 16))): not data uringbench wrote; \(expectedText)"
        case .previousFormat:
            text = "the sector at offset \(s) is in an older uringbench format (laid out by an earlier uringbench); lay the file out again (remove it and rerun)"
        case .checksum:
            text = "the sector at offset \(s) is corrupt: \(foundText), but its bytes sum to crc32c \(Self.hex(computedChecksum)); \(expectedText)"
        case .misplaced:
            text = "the sector at offset \(s) holds the data of offset \(found.offset) (a misplaced write or read): \(foundText); \(expectedText)"
        case .seed(let seed):
            text = "the sector at offset \(s) holds seed \(found.seed), the file's is \(seed) (another file's data): \(foundText)"
        case .generation:
            text = "the sector at offset \(s) is stale: \(foundText); \(expectedText)"
        case .data:
            text = "the sector at offset \(s) has a valid checksum but bytes that are not the pattern: \(foundText)"
        }
        if let first = firstDifference { text += "; first differing byte at offset \(first)" }
        return text
    }
}
