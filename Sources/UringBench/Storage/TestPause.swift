import Glibc

/// A pause at a named point of a run, so that a test can act inside a window that is otherwise
/// microseconds wide (a file appearing at --filename during its layout, a link swapped after the
/// checks). Debug builds only: `URINGBENCH_TEST_PAUSE=POINT:DIR` makes the process create
/// `DIR/POINT.reached` when it gets to POINT, then wait until `DIR/POINT.go` exists. Release
/// builds compile it to nothing.
enum TestPause {
    static let layoutRename = "layout-rename"     // the layout is written, the rename not yet done
    static let layoutChunk = "layout-chunk"       // the layout's first chunk is written
    static let dataFileOpen = "data-file-open"    // the target is checked, not yet opened for IO

    static func at(_ point: String) {
        #if DEBUG
        guard let value = getenv("URINGBENCH_TEST_PAUSE").map({ String(cString: $0) }),
              let colon = value.firstIndex(of: ":"), value[..<colon] == point else { return }
        let directory = String(value[value.index(after: colon)...])
        let reached = Glibc.open(directory + "/" + point + ".reached", O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if reached >= 0 { Glibc.close(reached) }
        while access(directory + "/" + point + ".go", F_OK) != 0 { usleep(2_000) }
        #endif
    }
}
