/// Per-thread counters of an echo server, summed over threads when it stops.
public struct EchoServerStats: Sendable, Codable, Equatable {
    public var accepted: UInt64 = 0
    public var closed: UInt64 = 0
    public var frames: UInt64 = 0                // complete frames echoed (raw mode: recv completions)
    public var bytes: UInt64 = 0                 // bytes echoed
    public var badFrames: UInt64 = 0             // connections closed for a frame above --max-frame
    public var idleClosed: UInt64 = 0            // connections closed by --idle-timeout
    public var resets: UInt64 = 0                // connections that ended with an error (RST, EPIPE)
    public var bufferShortages: UInt64 = 0       // multishot recv stopped for lack of ring buffers (ENOBUFS)
    public var refused: UInt64 = 0               // connections closed unserved at the open-file limit (EMFILE/ENFILE)
    public var receivePauses: UInt64 = 0         // multishot recv paused because a peer did not read its echoes
    public var cpuMicroseconds: UInt64 = 0       // user+system CPU of the server threads

    public init() {}

    public mutating func add(_ o: EchoServerStats) {
        accepted += o.accepted; closed += o.closed; frames += o.frames; bytes += o.bytes
        badFrames += o.badFrames; idleClosed += o.idleClosed; resets += o.resets
        bufferShortages += o.bufferShortages; cpuMicroseconds += o.cpuMicroseconds
        refused += o.refused; receivePauses += o.receivePauses
    }
}
