/// Writes a log's lines to its file through a 1 MiB buffer: a log of millions of lines is never
/// held as one string, and numbers are formatted without allocating.
struct LogLineWriter {
    private let file: OutputFile
    private var buffer: [UInt8] = []
    private static let flushAt = 1 << 20

    /// Starts writing `file`: from its start (emptied), or after what it holds (`appending`).
    init(file: OutputFile, appending: Bool) throws(OutputError) {
        self.file = file
        buffer.reserveCapacity(Self.flushAt + 4096)
        try file.beginWriting(appending: appending)
    }

    mutating func number(_ value: UInt64) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)   // 32 bytes: 20 digits fit
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while n > 0 {
                raw[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[i]) }
        }
    }

    /// fio's separator.
    mutating func comma() {
        buffer.append(UInt8(ascii: ","))
        buffer.append(UInt8(ascii: " "))
    }

    /// Ends a line; writes the buffer out once it is full.
    mutating func endLine() throws(OutputError) {
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.flushAt { try flush() }
    }

    /// One line as fio's flush_samples writes it: `time, value, ddir, bs, prio`.
    mutating func line(_ milliseconds: UInt64, _ value: UInt64, _ direction: UInt8, _ blockSize: UInt64) throws(OutputError) {
        number(milliseconds); comma()
        number(value); comma()
        number(UInt64(direction)); comma()
        number(blockSize); comma()
        number(0)           // fio's priority flag (1 for the realtime class); uringbench sets none
        try endLine()
    }

    /// Writes what is left and puts the file in place of the old one (see `OutputFile`).
    mutating func finish() throws(OutputError) {
        try flush()
        try file.finishWriting()
    }

    mutating func flush() throws(OutputError) {
        guard !buffer.isEmpty else { return }
        var failure: OutputError? = nil
        buffer.withUnsafeBytes { raw in
            do throws(OutputError) { try file.write(bytes: raw) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw failure }
    }
}
