import UringCore

extension IORing {
    /// A network loop's ring: the first of `flagChoices` the kernel accepts. A refusal of
    /// io_uring itself names the engine that needed it.
    static func forNet(entries: UInt32, flagChoices: [UInt32], engine: String) throws(NetError) -> IORing {
        do {
            return try setUp(entries: entries, flagChoices: flagChoices)
        } catch {
            throw .ioUringUnavailable(engine: engine, error: error)
        }
    }
}
