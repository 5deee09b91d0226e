import Glibc
import UringCore

/// Why a report cannot be written where the user asked: one line, cause and fix. All but
/// `writeFailed` are found before anything is measured.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyPath(option: String)
    case directoryMissing(path: String, option: String, directory: String)
    case cannotOpen(path: String, option: String, error: Errno)
    case isInput(path: String, input: String, role: String)
    case writeFailed(path: String, error: Errno)

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
        case .isInput(let path, let input, let role):
            return "--output '\(path)' is \(role) '\(input)' (same file after following links); writing the report there would destroy it: pass another --output"
        case .writeFailed(let path, let error):
            let fix = error.rawValue == ENOSPC ? "free space or pass another --output" : "check the device (dmesg) or pass another --output"
            return "writing the report to '\(path)' failed: \(error.name) (\(error)); \(fix)"
        }
    }
}
