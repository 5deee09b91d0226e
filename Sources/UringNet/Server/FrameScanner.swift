/// Follows the length-prefixed frames (4-byte big-endian length, then payload) in a byte stream
/// as it arrives in arbitrary pieces: half a header, several frames in one read (the "sticky
/// packet" case), a payload split over many reads. The server echoes the bytes as they come and
/// uses this only to count frames and to refuse a length above `--max-frame`.
public struct FrameScanner: Sendable, Equatable {
    var headerBytes: UInt32 = 0     // 0...3 header bytes seen so far
    var header: UInt32 = 0
    var remaining: UInt32 = 0       // payload bytes still expected for the current frame
    var inPayload = false

    public init() {}

    public static let badFrame = -1

    /// Scans `count` bytes; returns the number of frames they completed, or `badFrame` when a
    /// header announces more than `maxFrame` bytes (the connection must then be closed).
    @inline(__always)
    public mutating func scan(_ bytes: UnsafeRawPointer, count: Int, maxFrame: UInt32) -> Int {
        var i = 0
        var frames = 0
        while i < count {
            if inPayload {
                let take = min(Int(remaining), count - i)
                remaining -= UInt32(take)
                i += take
                if remaining == 0 { inPayload = false; frames += 1 }
                continue
            }
            header = header << 8 | UInt32(bytes.load(fromByteOffset: i, as: UInt8.self))
            headerBytes += 1
            i += 1
            if headerBytes == 4 {
                if header > maxFrame { return Self.badFrame }
                remaining = header
                headerBytes = 0
                header = 0
                if remaining == 0 { frames += 1 } else { inPayload = true }
            }
        }
        return frames
    }

    /// True between frames (no partial header or payload pending).
    public var atBoundary: Bool { !inPayload && headerBytes == 0 }
}
