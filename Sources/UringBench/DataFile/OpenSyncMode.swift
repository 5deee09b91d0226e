import Glibc

/// fio's `sync=`: open the file so each write returns only once it is on stable storage.
public enum OpenSyncMode: String, Codable, Sendable {
    case none
    case sync       // sync=1: O_SYNC, data and metadata
    case dsync      // sync=dsync: O_DSYNC, data (and the metadata needed to read it back)

    var openFlag: Int32 {
        switch self {
        case .none: return 0
        case .sync: return O_SYNC
        case .dsync: return O_DSYNC
        }
    }
}
