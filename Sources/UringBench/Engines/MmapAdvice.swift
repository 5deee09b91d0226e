import Glibc

/// The mmap engine's --madvise: the access advice for the mapping (madvise(2)). Absent, the
/// job's --fadvise-hint decides, as fio's fadvise_hint drives posix_madvise in its mmap engine.
public enum MmapAdvice: String, CaseIterable, Sendable {
    case normal        // MADV_NORMAL: the kernel's default fault-around and readahead
    case random        // MADV_RANDOM: fault in one page at a time, no readahead
    case sequential    // MADV_SEQUENTIAL: aggressive readahead, pages freed soon after
    case hugepage      // MADV_HUGEPAGE: ask for transparent huge pages on the mapping

    /// The value kept in `JobSpec.engineOptions` (engine options are whole numbers).
    public var code: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public init?(code: Int) {
        guard Self.allCases.indices.contains(code) else { return nil }
        self = Self.allCases[code]
    }

    var advice: Int32 {
        switch self {
        case .normal: return MADV_NORMAL
        case .random: return MADV_RANDOM
        case .sequential: return MADV_SEQUENTIAL
        case .hugepage: return MADV_HUGEPAGE
        }
    }

    /// fio's mapping of fadvise_hint to posix_madvise (engines/mmap.c fio_madvise_file).
    static func following(_ hint: FadviseHint, mode: RWMode) -> MmapAdvice? {
        switch hint.advice(for: mode) {
        case POSIX_FADV_RANDOM: return .random
        case POSIX_FADV_SEQUENTIAL: return .sequential
        case POSIX_FADV_NORMAL: return .normal
        default: return nil
        }
    }
}
