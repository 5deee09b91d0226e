/// The open-file limit before and after `EchoBench.raiseDescriptorLimit`.
public struct DescriptorLimit: Sendable, Equatable {
    public var before: UInt64
    public var after: UInt64
    public var hard: UInt64

    public var summary: String {
        let hardText = hard == UInt64.max ? "unlimited" : "\(hard)"
        return before == after ? "open-file limit \(after) (hard limit \(hardText))"
            : "open-file limit raised from \(before) to \(after) (hard limit \(hardText))"
    }
}
