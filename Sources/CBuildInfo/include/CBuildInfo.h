#ifndef CBUILDINFO_H
#define CBUILDINFO_H

// What Package.swift learned from git when this binary was built (defines on shim.c only, so a
// new commit recompiles one file).

// The full commit hash, or "unknown" without .git (a tarball build).
const char *CBuildInfo_git_commit(void);
// 1 if the tree had uncommitted changes, 0 if clean, -1 if unknown.
int CBuildInfo_git_dirty(void);
// 1 if liburing and libaio were linked from their archives (make dist), 0 for shared objects.
int CBuildInfo_static_c_libraries(void);

#endif
