#include "CBuildInfo.h"

#ifndef URINGBENCH_GIT_COMMIT
#define URINGBENCH_GIT_COMMIT "unknown"
#endif
#ifndef URINGBENCH_GIT_DIRTY
#define URINGBENCH_GIT_DIRTY -1
#endif
#ifndef URINGBENCH_STATIC_C_LIBS
#define URINGBENCH_STATIC_C_LIBS 0
#endif

const char *CBuildInfo_git_commit(void) { return URINGBENCH_GIT_COMMIT; }
int CBuildInfo_git_dirty(void) { return URINGBENCH_GIT_DIRTY; }
int CBuildInfo_static_c_libraries(void) { return URINGBENCH_STATIC_C_LIBS; }
