/// One of fio's log files, named by its type as fio names it (`NAME_<type>.1.log`).
public enum FioLogKind: String, Sendable, CaseIterable {
    case lat, clat, slat, bw, iops
    case clatHistogram = "clat_hist"

    /// The option that writes it, in fio's spelling.
    public var option: String {
        switch self {
        case .lat, .clat, .slat: return "write_lat_log"
        case .bw: return "write_bw_log"
        case .iops: return "write_iops_log"
        case .clatHistogram: return "write_hist_log"
        }
    }
}
