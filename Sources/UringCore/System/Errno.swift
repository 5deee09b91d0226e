import CSystemShims
import Glibc

/// An error number from a system call, typed so callers can switch on the cases they handle.
/// liburing and libaio return `-errno`; `Errno(negated:)` turns those into the same type.
public struct Errno: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// From a liburing/libaio style negative return value.
    public init(negated value: Int32) { self.rawValue = -value }

    /// The thread's current `errno`.
    public static var current: Errno { Errno(rawValue: Glibc.errno) }

    public var description: String {
        guard let text = strerror(rawValue) else { return "errno \(rawValue)" }
        return String(cString: text)
    }

    /// The symbolic name (`EINVAL`), for messages aimed at people who read man pages.
    public var name: String {
        switch rawValue {
        case EPERM: return "EPERM"
        case ENOENT: return "ENOENT"
        case EINTR: return "EINTR"
        case EIO: return "EIO"
        case EBADF: return "EBADF"
        case EAGAIN: return "EAGAIN"
        case ENOMEM: return "ENOMEM"
        case EACCES: return "EACCES"
        case EFAULT: return "EFAULT"
        case EBUSY: return "EBUSY"
        case EEXIST: return "EEXIST"
        case EINVAL: return "EINVAL"
        case ENOSPC: return "ENOSPC"
        case EROFS: return "EROFS"
        case ENOSYS: return "ENOSYS"
        case EOPNOTSUPP: return "EOPNOTSUPP"
        case ENOTDIR: return "ENOTDIR"
        case ENXIO: return "ENXIO"
        case EISDIR: return "EISDIR"
        case EMFILE: return "EMFILE"
        case ENFILE: return "ENFILE"
        default: return "errno \(rawValue)"
        }
    }

    /// What to do about running out of descriptors, or nil for another error: every job thread
    /// opens the data file (and a ring or an AIO context) for itself, so many jobs reach the limit.
    public var descriptorHint: String? {
        switch rawValue {
        case EMFILE: return "every job thread opens its own descriptors: raise the open-file limit (ulimit -n, now \(ResourceLimits.openFiles)) or pass fewer --numjobs"
        case ENFILE: return "the system's open-file table is full (fs.file-max): close other programs' files or pass fewer --numjobs"
        default: return nil
        }
    }

    public static let interrupted = Errno(rawValue: EINTR)
    public static let tryAgain = Errno(rawValue: EAGAIN)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let notPermitted = Errno(rawValue: EPERM)
    public static let noSys = Errno(rawValue: ENOSYS)
    public static let noMemory = Errno(rawValue: ENOMEM)
    public static let busy = Errno(rawValue: EBUSY)
}
