import Glibc

/// fio's `fadvise_hint`: the access-pattern advice given for the file when a job opens it
/// (fio's td_io_open_file: after the cache is dropped, for regular files and block devices, on
/// every engine that does IO, buffered or O_DIRECT alike). The advice changes readahead: with
/// RANDOM a buffered 4 KiB read reads 4 KiB from the disk, not a readahead window.
public enum FadviseHint: String, Codable, Sendable, CaseIterable {
    /// No advice (fio's `0`).
    case none = "0"
    /// fio's default (`1`): RANDOM for random modes, SEQUENTIAL for sequential ones.
    case byPattern = "1"
    case random
    case sequential
    /// POSIX_FADV_NORMAL, the kernel's default readahead; the command line only (fio's
    /// fadvise_hint has no `normal`).
    case normal

    /// The posix_fadvise advice for a job in `mode`, nil for none.
    public func advice(for mode: RWMode) -> Int32? {
        switch self {
        case .none: return nil
        case .byPattern: return mode.isRandom ? POSIX_FADV_RANDOM : POSIX_FADV_SEQUENTIAL
        case .random: return POSIX_FADV_RANDOM
        case .sequential: return POSIX_FADV_SEQUENTIAL
        case .normal: return POSIX_FADV_NORMAL
        }
    }
}
