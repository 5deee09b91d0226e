/// A job file problem, rendered as `file:line: cause; fix` (the compiler-style prefix lets
/// editors jump to the line).
public struct JobFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 when the problem is the file as a whole.
    public var line: Int
    public var message: String

    public init(path: String, line: Int, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
}
