/// An append-only sequence in fixed-size chunks, for samples the IO loop keeps until the run
/// ends. Appending is a store and an increment: nothing already kept is ever copied (a growing
/// array copies everything at each doubling, inside the measured loop), and a new chunk is one
/// allocation per `chunkSize` samples, the first made before the loop starts.
///
/// A value, but its chunks are shared by copies: keep one copy appending (the loop's).
struct ChunkedSamples<Element: BitwiseCopyable> {
    static var chunkSize: Int { 1 << 16 }

    /// Owns the chunks, so they are freed with the last copy.
    private final class Chunks {
        var all: [UnsafeMutablePointer<Element>] = []
        deinit { for chunk in all { chunk.deallocate() } }
    }

    private let chunks = Chunks()
    private var current: UnsafeMutablePointer<Element>
    private var fill = 0

    init() {
        current = UnsafeMutablePointer<Element>.allocate(capacity: Self.chunkSize)
        chunks.all.append(current)
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if fill == Self.chunkSize { startChunk() }
        (current + fill).initialize(to: element)
        fill &+= 1
    }

    @inline(never)
    private mutating func startChunk() {
        current = UnsafeMutablePointer<Element>.allocate(capacity: Self.chunkSize)
        chunks.all.append(current)
        fill = 0
    }

    var count: Int { (chunks.all.count - 1) * Self.chunkSize + fill }

    /// Forgets every element (measuring restarts after the ramp), keeping the first chunk.
    mutating func removeAll() {
        for chunk in chunks.all.dropFirst() { chunk.deallocate() }
        chunks.all.removeSubrange(1...)
        current = chunks.all[0]
        fill = 0
    }

    /// The elements in the order they were appended.
    func forEach<E: Error>(_ body: (Element) throws(E) -> Void) throws(E) {
        let last = chunks.all.count - 1
        for (i, chunk) in chunks.all.enumerated() {
            for j in 0..<(i == last ? fill : Self.chunkSize) { try body(chunk[j]) }
        }
    }

    /// The elements from `start` on, `length` of them (for a histogram snapshot kept as a run).
    func forEach<E: Error>(from start: Int, length: Int, _ body: (Element) throws(E) -> Void) throws(E) {
        var index = start
        for _ in 0..<length {
            try body(chunks.all[index / Self.chunkSize][index % Self.chunkSize])
            index += 1
        }
    }
}
