#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include "CLiburing.h"

const char *CLiburing_loaded_library_path(void) {
    Dl_info info;
    static char resolved[4096];
    if (dladdr((void *)&io_uring_queue_init_params, &info) == 0 || info.dli_fname == NULL)
        return NULL;
    // dli_fname is the soname symlink (liburing.so.2); its target names the full version.
    if (realpath(info.dli_fname, resolved) == NULL)
        return info.dli_fname;
    return resolved;
}
