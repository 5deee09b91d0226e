/// A mixed job's (randrw, rw) reads and writes, each with its own figures.
public struct MixedDirections: Codable, Sendable {
    public var read: DirectionResult
    public var write: DirectionResult

    public init(read: DirectionResult, write: DirectionResult) {
        self.read = read
        self.write = write
    }
}
