import CSystemShims
import UringCore

/// The open-file limit before and after `raise`.
public struct DescriptorLimit: Sendable, Equatable {
    public var before: UInt64
    public var after: UInt64
    public var hard: UInt64

    /// Raises the soft RLIMIT_NOFILE to fit `descriptors` sockets plus 64 (children inherit it),
    /// within the hard limit; above it, refuses naming `option` (the list that asked for them).
    public static func raise(toFit descriptors: Int, option: String) throws(NetError) -> DescriptorLimit {
        let needed = UInt64(descriptors + 64)
        let soft = ResourceLimits.openFiles
        let hard = ResourceLimits.openFilesHard
        if needed > hard { throw NetError.descriptorHardLimit(option: option, needed: needed, hard: hard) }
        guard needed > soft else { return DescriptorLimit(before: soft, after: soft, hard: hard) }
        let rc = ResourceLimits.setOpenFiles(needed)
        if rc != 0 { throw NetError.system(context: "cannot raise the open-file limit to \(needed) (setrlimit)", error: Errno(negated: rc)) }
        return DescriptorLimit(before: soft, after: needed, hard: hard)
    }

    public var summary: String {
        let hardText = hard == UInt64.max ? "unlimited" : "\(hard)"
        return before == after ? "open-file limit \(after) (hard limit \(hardText))"
            : "open-file limit raised from \(before) to \(after) (hard limit \(hardText))"
    }
}
