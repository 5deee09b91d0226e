#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "CSystemShims.h"

const int CSystemShims_O_DIRECT = O_DIRECT;
const int CSystemShims_RUSAGE_THREAD = RUSAGE_THREAD;
const unsigned CSystemShims_RENAME_NOREPLACE = RENAME_NOREPLACE;
const long CSystemShims_TMPFS_MAGIC = TMPFS_MAGIC;
const long CSystemShims_RAMFS_MAGIC = RAMFS_MAGIC;

int CSystemShims_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                           unsigned flags) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}

int CSystemShims_fs_type(const char *path, long *type) {
    struct statfs sfs;
    if (statfs(path, &sfs) != 0)
        return -1;
    *type = (long)sfs.f_type;
    return 0;
}

uint64_t CSystemShims_memlock_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_MEMLOCK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return UINT64_MAX;
    return (uint64_t)limit.rlim_cur;
}

int CSystemShims_sched_setaffinity_one(pid_t tid, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(tid, sizeof(set), &set);
}

pid_t CSystemShims_gettid(void) { return (pid_t)syscall(SYS_gettid); }

int CSystemShims_dio_alignment(int fd, uint32_t *mem_align, uint32_t *offset_align) {
    struct statx stx;
    memset(&stx, 0, sizeof(stx));
    if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) != 0)
        return -1;
    if (stx.stx_mask & STATX_DIOALIGN) {
        *mem_align = stx.stx_dio_mem_align;
        *offset_align = stx.stx_dio_offset_align;
    } else {
        *mem_align = 0;
        *offset_align = 0;
    }
    return 0;
}

static volatile sig_atomic_t stop_flag = 0;

static void on_stop_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

int CSystemShims_install_stop_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    // No SA_RESTART: a blocking io_uring_enter/io_getevents returns EINTR so the loop sees the flag.
    sa.sa_flags = 0;
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return -1;
    // A parent may start us with these blocked (posix_spawn passes its mask on): unblock them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int CSystemShims_stop_requested(void) { return stop_flag; }
void CSystemShims_reset_stop(void) { stop_flag = 0; }
