#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

// glibc hides these behind _GNU_SOURCE, which Swift's Glibc module is not built with; shim.c is.
extern const int CSystemShims_O_DIRECT;
extern const int CSystemShims_RUSAGE_THREAD;
extern const unsigned CSystemShims_RENAME_NOREPLACE;
extern const long CSystemShims_TMPFS_MAGIC;
extern const long CSystemShims_RAMFS_MAGIC;

int CSystemShims_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                           unsigned flags);
// statfs(2)'s f_type, so callers can tell tmpfs from a disk-backed filesystem.
int CSystemShims_fs_type(const char *path, long *type);
// RLIMIT_MEMLOCK's soft limit in bytes (RLIM_INFINITY as UINT64_MAX).
uint64_t CSystemShims_memlock_limit(void);
int CSystemShims_sched_setaffinity_one(pid_t tid, int cpu);
pid_t CSystemShims_gettid(void);

// STATX_DIOALIGN (Linux 6.1+): the alignment O_DIRECT needs for memory and file offsets.
// Returns 0 and fills both on success, -1 with errno set otherwise (0s if the kernel lacks it).
int CSystemShims_dio_alignment(int fd, uint32_t *mem_align, uint32_t *offset_align);

// SIGINT/SIGTERM latch: the handler only sets a flag; the runner polls it between IOs.
int CSystemShims_install_stop_handler(void);
int CSystemShims_stop_requested(void);
void CSystemShims_reset_stop(void);

#endif
