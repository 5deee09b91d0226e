#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H

#include <signal.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

// What Swift cannot reach by itself, and nothing more: names glibc shows only under _GNU_SOURCE,
// macros (CPU_SET), variadic calls (ioctl, prctl, syscall), packed structs
// (epoll_event), intrinsics (rdtsc, cpuid, crc32) and the signal handler. Every function returns
// 0 (or a count, or an fd) on success and -errno on failure, as liburing does; Swift turns that
// into an Errno once.

// glibc hides these behind _GNU_SOURCE, which Swift's Glibc module is not built with; shim.c is.
extern const int CSystemShims_O_DIRECT;
extern const int CSystemShims_RUSAGE_THREAD;
extern const unsigned CSystemShims_RENAME_NOREPLACE;
extern const long CSystemShims_TMPFS_MAGIC;
extern const long CSystemShims_RAMFS_MAGIC;

// preadv2/pwritev2 with RWF_ flags (pvsync2, and the probes of RWF_DONTCACHE/RWF_NOWAIT): the
// byte count or -errno.
struct iovec;
ssize_t CSystemShims_preadv2(int fd, const struct iovec *iov, int count, off_t offset, int flags);
ssize_t CSystemShims_pwritev2(int fd, const struct iovec *iov, int count, off_t offset, int flags);

int CSystemShims_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                           unsigned flags);
// statfs(2)'s f_type, so callers can tell tmpfs from a disk-backed filesystem (<sys/vfs.h> is not
// in Swift's Glibc module).
int CSystemShims_fs_type(const char *path, long *type);
int CSystemShims_sched_setaffinity_one(pid_t tid, int cpu);
pid_t CSystemShims_gettid(void);
// An anonymous memory file (memfd_create, MFD_CLOEXEC): its fd, or -errno.
int CSystemShims_memfd(const char *name);
// The calling thread's CPU affinity as a list of CPU numbers (cpu_set_t's macros do not import):
// set returns 0 or -errno; get fills up to `max` CPUs and returns how many, or -errno.
int CSystemShims_sched_setaffinity_list(const int *cpus, int count);
int CSystemShims_sched_getaffinity_list(int *cpus, int max);

// STATX_DIOALIGN (Linux 6.1+): the alignment O_DIRECT needs for memory and file offsets.
// Returns 0 and fills both on success, -errno otherwise (0s if the kernel lacks it).
int CSystemShims_dio_alignment(int fd, uint32_t *mem_align, uint32_t *offset_align);

// ioctl(BLKGETSIZE64): a block device's size in bytes. 0 on success, -errno otherwise.
int CSystemShims_block_device_size(int fd, uint64_t *bytes);

// The CPU's time-stamp counter (rdtsc; 0 where there is none), inline so a read costs only the
// instruction: the IO loop's clock when the kernel keeps time with the TSC (fio's clocksource=cpu).
static inline uint64_t CSystemShims_cycles(void) {
#if defined(__x86_64__)
    return __builtin_ia32_rdtsc();
#else
    return 0;
#endif
}
// 1 when CPUID says the TSC is invariant (constant rate in every P-, C- and T-state).
int CSystemShims_invariant_tsc(void);

// SIGINT/SIGTERM/SIGHUP latch: the handler (StopHandler.install sets it up) only sets a volatile
// sig_atomic_t, the one thing a handler may touch; the runner polls it between IOs.
void CSystemShims_on_stop_signal(int sig);
/* The signal that last asked for a stop (SIGINT, SIGTERM, SIGHUP), 0 if none. */
int CSystemShims_stop_signal(void);
int CSystemShims_stop_requested(void);
void CSystemShims_reset_stop(void);


// crc32c (Castagnoli) with the CPU's crc32 instruction (SSE4.2), which Swift cannot emit.
// `crc` is the running value: no inversion before or after. Call only when
// CSystemShims_crc32c_hardware() returns 1 (elsewhere CRC32C.swift's table is used).
int CSystemShims_crc32c_hardware(void);
uint32_t CSystemShims_crc32c(uint32_t crc, const void *data, size_t length);

// ---- The network I/O models (UringNet) ------------------------------------------------------
// epoll_event is packed on x86_64, so it is filled and unpacked here.
int CSystemShims_epoll_create(void);
int CSystemShims_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
// Up to `max` ready events into parallel arrays; returns the count or -errno.
int CSystemShims_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms);
// epoll_pwait2: a wait with a nanosecond timeout (open-loop schedules need better than 1 ms).
int CSystemShims_epoll_wait_ns(int epfd, uint64_t *data, uint32_t *events, int max, int64_t timeout_ns);
// prctl(PR_SET_TIMERSLACK): the calling thread's timer slack (default 50 us).
int CSystemShims_set_timer_slack(unsigned long ns);

// glibc's struct mmsghdr, and recvmmsg/sendmmsg (no timeout), which it declares only under
// _GNU_SOURCE. Each returns how many messages went, or -errno.
struct CSystemShims_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};
int CSystemShims_recvmmsg(int fd, struct CSystemShims_mmsghdr *msgs, unsigned vlen, int flags);
int CSystemShims_sendmmsg(int fd, struct CSystemShims_mmsghdr *msgs, unsigned vlen, int flags);
// accept4 (also _GNU_SOURCE only), the peer's address not asked for: the fd or -errno.
int CSystemShims_accept4(int fd, int flags);
// Lets the calling thread run on every online CPU again (undoes sched_setaffinity_one).
int CSystemShims_sched_setaffinity_all(void);
// epoll event bits (an enum in glibc).
extern const uint32_t CSystemShims_EPOLLIN;
extern const uint32_t CSystemShims_EPOLLOUT;
extern const int CSystemShims_EPOLL_CTL_ADD;
extern const int CSystemShims_EPOLL_CTL_MOD;
extern const int CSystemShims_EPOLL_CTL_DEL;

#endif
