import Glibc
import UringCore

/// Why a report cannot be written where the user asked: one line, cause and fix, naming the
/// option that gave the path (`--output`, `--fio-plot-dir`, a log's `write_lat_log`). All but
/// `writeFailed` and `replacedMeanwhile` are found before anything is measured.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyPath(option: String)
    case directoryMissing(path: String, option: String, directory: String)
    case cannotOpen(path: String, option: String, error: Errno)
    case cannotCreateTemporary(path: String, option: String, directory: String, error: Errno)
    case ownerNotKept(path: String, option: String, uid: uid_t, gid: gid_t)
    case isInput(path: String, option: String, input: String, role: String)
    /// `kept`: a regular file, which keeps what it held (a device or FIFO is written in place).
    case writeFailed(path: String, option: String, error: Errno, kept: Bool)
    case replacedMeanwhile(path: String, option: String)
    /// The output lies under an input's filesystem (`layer`: "the file that backs loop3").
    case backsInput(path: String, input: String, role: String, layer: String)

    /// What the file is, in a message: "the report", "the write_lat_log log file".
    static func what(_ option: String) -> String {
        if option == "--fio-plot-dir" { return "the fio-plot file" }
        if option.hasPrefix("write_") || option.hasPrefix("--write-") { return "the \(option) log file" }
        return "the report"
    }

    public var description: String {
        switch self {
        case .emptyPath(let option):
            return "\(option) is empty; pass a file path, or leave \(option) out to print to standard output"
        case .directoryMissing(let path, let option, let directory):
            return "cannot create \(option) '\(path)': directory '\(directory)' does not exist; create it (mkdir -p '\(directory)') or pass another \(option)"
        case .cannotOpen(let path, let option, let error):
            switch error.rawValue {
            case EISDIR: return "\(option) '\(path)' is a directory; pass a file path"
            case ENXIO: return "\(option) '\(path)' is a FIFO with no reader (ENXIO); start the reader first or pass a file"
            default: return "cannot open \(option) '\(path)' for writing: \(error.name) (\(error)); pass a path you may write, or fix its permissions"
            }
        case .cannotCreateTemporary(let path, let option, let directory, let error):
            return "cannot create a temporary in '\(directory)' for \(option) '\(path)': \(error.name) (\(error)); \(Self.what(option)) is written beside its target and renamed over it when complete, so its directory must be writable: pass another \(option)"
        case .ownerNotKept(let path, let option, let uid, let gid):
            return "\(option) '\(path)' belongs to uid \(uid) gid \(gid), which a replacement written by this user cannot keep (\(Self.what(option)) is written beside its target and renamed over it when complete): run as its owner or pass another \(option)"
        case .isInput(let path, let option, let input, let role):
            return "\(option) '\(path)' is \(role) '\(input)' (same file after following links); writing \(Self.what(option)) there would destroy it: pass another \(option)"
        case .writeFailed(let path, let option, let error, let kept):
            let fix = error.rawValue == ENOSPC ? "free space or pass another \(option)" : "check the device (dmesg) or pass another \(option)"
            return "writing \(Self.what(option)) to '\(path)' (\(option)) failed: \(error.name) (\(error))\(kept ? "; the file there is unchanged" : ""); \(fix)"
        case .replacedMeanwhile(let path, let option):
            return "\(option) '\(path)' was replaced by another file while uringbench ran; that file is left as it is and \(Self.what(option)) was not written: pass another \(option)"
        case .backsInput(let path, let input, let role, let layer):
            return "the output '\(path)' is \(layer), which is under \(role) '\(input)': writing it would destroy the file system that holds it; pass another output name"
        }
    }
}
