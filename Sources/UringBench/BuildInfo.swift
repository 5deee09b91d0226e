import CBuildInfo

/// The version of this binary: the release number, the git commit it was built from and whether
/// that tree had uncommitted changes. Reports and JSON files carry `description` so a result can
/// be traced to the binary that measured it.
public enum BuildInfo {
    public static let release = "0.1.0"

    /// Full commit hash, or "unknown" for a build without .git (a source tarball).
    public static let commit = String(cString: CBuildInfo_git_commit())

    /// nil when unknown (no .git at build time).
    public static let dirty: Bool? = switch CBuildInfo_git_dirty() {
    case 1: true
    case 0: false
    default: nil
    }

    /// "uringbench 0.1.0 (git 1a2b3c4d5e6f, dirty)", "(git 1a2b3c4d5e6f)" or "(git unknown)".
    public static var description: String {
        let hash = commit == "unknown" ? commit : String(commit.prefix(12))
        return "uringbench \(release) (git \(hash)\(dirty == true ? ", dirty" : ""))"
    }
}
