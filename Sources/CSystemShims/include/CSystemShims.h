#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H

#include <errno.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <stdint.h>
#include <stddef.h>
#include <linux/magic.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/types.h>

// What Swift cannot reach by itself, and nothing more: names glibc shows only under _GNU_SOURCE,
// macros (CPU_SET), variadic calls (ioctl, prctl, syscall), packed structs (epoll_event) and
// instructions (rdtsc, cpuid, crc32). No logic: the loops, the bit reading and the stop latch
// are Swift's. Every function returns 0 (or a count, or an fd) on success and -errno on
// failure, as liburing does; Swift turns that into an Errno once. Headers Swift's Glibc module
// leaves out are included here for their declarations only: <sys/statfs.h> (statfs, fstatfs)
// and <linux/magic.h> (TMPFS_MAGIC, RAMFS_MAGIC).

// glibc hides these behind _GNU_SOURCE, which Swift's Glibc module is not built with; shim.c is.
extern const int CSystemShims_O_DIRECT;
extern const int CSystemShims_RUSAGE_THREAD;
extern const unsigned CSystemShims_RENAME_NOREPLACE;

// preadv2/pwritev2 with RWF_ flags (pvsync2, and the probes of RWF_DONTCACHE/RWF_NOWAIT): the
// byte count or -errno.
struct iovec;
ssize_t CSystemShims_preadv2(int fd, const struct iovec *iov, int count, off_t offset, int flags);
ssize_t CSystemShims_pwritev2(int fd, const struct iovec *iov, int count, off_t offset, int flags);

int CSystemShims_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                           unsigned flags);
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
// CPUID leaf `leaf` (subleaf `subleaf`) into the four registers: 0, or -ENOSYS when the CPU
// does not have the leaf (or is not x86-64). CPUFeatures.swift reads the bits.
static inline int CSystemShims_cpuid(unsigned leaf, unsigned subleaf, uint32_t regs[4]) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid_count(leaf, subleaf, &a, &b, &c, &d)) return -ENOSYS;
    regs[0] = a; regs[1] = b; regs[2] = c; regs[3] = d;
    return 0;
#else
    (void)leaf; (void)subleaf; (void)regs;
    return -ENOSYS;
#endif
}

// The crc32 instruction (SSE4.2) on 8 bytes and on 1, which Swift cannot emit: `crc` is the
// running value, no inversion. Call only where CPUFeatures.crc32 is true; CRC32C.swift loops.
#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static inline uint64_t CSystemShims_crc32c_u64(uint64_t crc, uint64_t value) {
    return __builtin_ia32_crc32di(crc, value);
}
__attribute__((target("sse4.2")))
static inline uint32_t CSystemShims_crc32c_u8(uint32_t crc, uint8_t value) {
    return __builtin_ia32_crc32qi(crc, value);
}
#else
static inline uint64_t CSystemShims_crc32c_u64(uint64_t crc, uint64_t value) { (void)value; return crc; }
static inline uint32_t CSystemShims_crc32c_u8(uint32_t crc, uint8_t value) { (void)value; return crc; }
#endif

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
// epoll event bits (an enum in glibc).
extern const uint32_t CSystemShims_EPOLLIN;
extern const uint32_t CSystemShims_EPOLLOUT;
extern const int CSystemShims_EPOLL_CTL_ADD;
extern const int CSystemShims_EPOLL_CTL_MOD;
extern const int CSystemShims_EPOLL_CTL_DEL;

#endif
