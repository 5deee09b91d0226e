#define _GNU_SOURCE
#include <dlfcn.h>
#include "CLiburing.h"

const char *CLiburing_loaded_library_path(void) {
    Dl_info info;
    if (dladdr((void *)&io_uring_queue_init_params, &info) == 0) return NULL;
    return info.dli_fname;
}
