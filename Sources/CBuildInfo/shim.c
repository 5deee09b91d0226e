#include "CBuildInfo.h"

#ifndef URINGBENCH_GIT_COMMIT
#define URINGBENCH_GIT_COMMIT "unknown"
#endif
#ifndef URINGBENCH_GIT_DIRTY
#define URINGBENCH_GIT_DIRTY -1
#endif

const char *CBuildInfo_git_commit(void) { return URINGBENCH_GIT_COMMIT; }
int CBuildInfo_git_dirty(void) { return URINGBENCH_GIT_DIRTY; }
