/// user_data layout: operation in the top byte, connection slot in the low 32 bits.
enum RingOp: UInt64 {
    case accept = 1, recv = 2, send = 3, cancel = 4, listenerPoll = 5

    @inline(__always)
    func token(_ slot: Int) -> UInt64 { rawValue << 56 | UInt64(UInt32(truncatingIfNeeded: slot)) }

    @inline(__always)
    static func decode(_ data: UInt64) -> (RingOp?, Int) {
        (RingOp(rawValue: data >> 56), Int(data & 0xffff_ffff))
    }
}
