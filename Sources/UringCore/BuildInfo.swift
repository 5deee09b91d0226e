/// The version of this binary: the release number, the git commit it was built from and whether
/// that tree had uncommitted changes (read before each build by the GitBuildInfo plugin). Every report
/// and JSON file carries `version`, so a result can be traced to the binary that measured it.
package enum BuildInfo {
    package static let release = "0.1.0"

    /// Full commit hash, or "unknown" for a build without .git (a source tarball).
    package static let commit = GitBuildInfo.commit

    /// nil when unknown.
    package static let dirty: Bool? = GitBuildInfo.dirty

    /// True for `make dist`: liburing and libaio are inside the executable (liburing.a, libaio.a).
    #if URINGBENCH_STATIC_C_LIBS
    package static let staticCLibraries = true
    #else
    package static let staticCLibraries = false
    #endif

    /// How the C libraries are linked, for `--version` and `engines`.
    package static var linkage: String {
        staticCLibraries ? "liburing and libaio linked statically (liburing.a, libaio.a)"
                         : "liburing and libaio linked as shared objects"
    }

    /// The release with the commit as semver build metadata: "0.1.0+git.1a2b3c4d5e6f",
    /// "0.1.0+git.1a2b3c4d5e6f.dirty", or "0.1.0+git.unknown".
    package static var version: String {
        let hash = commit == "unknown" ? commit : String(commit.prefix(12))
        return "\(release)+git.\(hash)\(dirty == true ? ".dirty" : "")"
    }

    /// `uringbench --version`: the version, then the full commit and the tree's state.
    package static var versionText: String {
        let state = switch dirty {
        case true?: "built with uncommitted changes"
        case false?: "clean tree"
        case nil: "tree state unknown"
        }
        return "uringbench \(version)\ncommit \(commit) (\(state))\n\(linkage)"
    }
}
