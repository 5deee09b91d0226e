import Foundation
import PackagePlugin

/// Stamps the git commit and the tree's state into the target as `GitBuildInfo.swift`, before
/// every build: a plain `swift build` carries the right version too, not only `make`. A manifest
/// reading git would go stale, since SwiftPM caches its evaluation until Package.swift changes.
///
/// The Makefile's URINGBENCH_GIT_COMMIT and URINGBENCH_GIT_DIRTY win when set. Outside a git
/// checkout of this package (a source tarball, even one unpacked inside another repository)
/// both say unknown. The file is only rewritten when its text changes, so an unchanged tree
/// recompiles nothing.
@main
struct GitBuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let environment = ProcessInfo.processInfo.environment
        return [.prebuildCommand(
            displayName: "Reading the git commit for BuildInfo",
            executable: URL(filePath: "/bin/sh"),
            arguments: ["-c", Self.script, "git-build-info",
                        context.package.directoryURL.path(percentEncoded: false),
                        output.appending(path: "GitBuildInfo.swift").path(percentEncoded: false),
                        environment["URINGBENCH_GIT_COMMIT"] ?? "", environment["URINGBENCH_GIT_DIRTY"] ?? ""],
            outputFilesDirectory: output)]
    }

    /// $1 package directory, $2 output file, $3 and $4 the Makefile's commit and dirty flag.
    /// Dirty means uncommitted changes under Sources/, Plugins/ or in Package.swift.
    static let script = #"""
        dir=$1 out=$2 commit=$3 dirty=$4
        top=$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null)
        if [ -z "$commit" ]; then
          if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$(cd "$dir" && pwd -P)" ]; then
            commit=$(git -C "$dir" rev-parse HEAD 2>/dev/null) || commit=unknown
          else
            commit=unknown
          fi
        fi
        case "$commit" in unknown) ;; *[!0-9a-f]*|"") commit=unknown ;; esac
        if [ -z "$dirty" ]; then
          if [ "$commit" = unknown ]; then dirty=-1
          elif git -C "$dir" status --porcelain -- Sources Plugins Package.swift 2>/dev/null | grep -q .; then dirty=1
          else dirty=0
          fi
        fi
        case "$dirty" in 1) state=true ;; 0) state=false ;; *) state=nil ;; esac
        mkdir -p "$(dirname "$out")"
        text="// Generated before each build by the GitBuildInfo plugin: do not edit.
        enum GitBuildInfo {
            static let commit = \"$commit\"
            static let dirty: Bool? = $state
        }"
        [ -f "$out" ] && [ "$(cat "$out")" = "$text" ] && exit 0
        printf '%s\n' "$text" > "$out.tmp" && mv "$out.tmp" "$out"
        """#
}
