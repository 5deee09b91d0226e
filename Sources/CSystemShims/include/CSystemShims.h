#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H

#include <signal.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

// glibc hides these behind _GNU_SOURCE, which Swift's Glibc module is not built with; shim.c is.
extern const int CSystemShims_O_DIRECT;
extern const int CSystemShims_RUSAGE_THREAD;
extern const unsigned CSystemShims_RENAME_NOREPLACE;
extern const long CSystemShims_TMPFS_MAGIC;
extern const long CSystemShims_RAMFS_MAGIC;

// preadv2/pwritev2 with RWF_ flags (pvsync2, and the probes of RWF_DONTCACHE/RWF_NOWAIT).
struct iovec;
ssize_t CSystemShims_preadv2(int fd, const struct iovec *iov, int count, off_t offset, int flags);
ssize_t CSystemShims_pwritev2(int fd, const struct iovec *iov, int count, off_t offset, int flags);

int CSystemShims_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                           unsigned flags);
// statfs(2)'s f_type, so callers can tell tmpfs from a disk-backed filesystem.
int CSystemShims_fs_type(const char *path, long *type);
// RLIMIT_MEMLOCK's soft limit in bytes (RLIM_INFINITY as UINT64_MAX).
uint64_t CSystemShims_memlock_limit(void);
int CSystemShims_sched_setaffinity_one(pid_t tid, int cpu);
pid_t CSystemShims_gettid(void);
// The calling thread's CPU affinity as a list of CPU numbers (cpu_set_t's macros do not import):
// set returns 0 or -errno; get fills up to `max` CPUs and returns how many, or -errno.
int CSystemShims_sched_setaffinity_list(const int *cpus, int count);
int CSystemShims_sched_getaffinity_list(int *cpus, int max);

// STATX_DIOALIGN (Linux 6.1+): the alignment O_DIRECT needs for memory and file offsets.
// Returns 0 and fills both on success, -1 with errno set otherwise (0s if the kernel lacks it).
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

// SIGINT/SIGTERM/SIGHUP latch: the handler only sets a flag; the runner polls it between IOs.
int CSystemShims_install_stop_handler(void);
/* The signal that last asked for a stop (SIGINT, SIGTERM, SIGHUP), 0 if none. */
int CSystemShims_stop_signal(void);
int CSystemShims_stop_requested(void);
void CSystemShims_reset_stop(void);


// crc32c (Castagnoli) with the CPU's crc32 instruction (SSE4.2), which Swift cannot emit.
// `crc` is the running value: no inversion before or after. Call only when
// CSystemShims_crc32c_hardware() returns 1 (elsewhere CRC32C.swift's table is used).
int CSystemShims_crc32c_hardware(void);
uint32_t CSystemShims_crc32c(uint32_t crc, const void *data, size_t length);

// ---- Sockets for the network I/O models (UringNet) ------------------------------------------
// Each returns the fd (or 0) on success and -errno on failure, so Swift turns it into an Errno
// in one place. Addresses are IPv4 dotted quads; -EINVAL from inet_pton means a bad address.

// socket+SO_REUSEADDR(+SO_REUSEPORT)+bind+listen; the port actually bound goes to *bound_port
// (useful with port 0). Non-blocking when `nonblocking` != 0.
int CSystemShims_tcp_listen(const char *addr, uint16_t port, int backlog, int reuseport,
                            int nonblocking, int *bound_port);
// Blocking connect with TCP_NODELAY, then switched to non-blocking when `nonblocking` != 0.
int CSystemShims_tcp_connect(const char *addr, uint16_t port, int nonblocking);
// accept4(SOCK_NONBLOCK|SOCK_CLOEXEC) with TCP_NODELAY on the new socket.
int CSystemShims_accept_nonblocking(int listen_fd);
int CSystemShims_set_nodelay(int fd);
// epoll_event is packed on x86_64, so it is filled and unpacked here.
int CSystemShims_epoll_create(void);
int CSystemShims_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
// Up to `max` ready events into parallel arrays; returns the count or -errno.
int CSystemShims_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms);
// RLIMIT_NOFILE's soft limit (`ulimit -n`).
uint64_t CSystemShims_nofile_limit(void);
// RLIMIT_NOFILE's hard limit (UINT64_MAX for unlimited), and setting the soft one: 0 or -errno.
uint64_t CSystemShims_nofile_hard_limit(void);
int CSystemShims_set_nofile_limit(uint64_t soft);
// epoll_pwait2: a wait with a nanosecond timeout (open-loop schedules need better than 1 ms).
int CSystemShims_epoll_wait_ns(int epfd, uint64_t *data, uint32_t *events, int max, int64_t timeout_ns);
// prctl(PR_SET_TIMERSLACK): the calling thread's timer slack (default 50 us).
int CSystemShims_set_timer_slack(unsigned long ns);
// Cumulative user+system CPU of another process from /proc/<pid>/stat, in microseconds.
int64_t CSystemShims_process_cpu_usec(pid_t pid);
// The same split into user and system time (0 on success, -errno otherwise).
int CSystemShims_process_cpu_split(pid_t pid, int64_t *user_usec, int64_t *system_usec);

// UDP: bound socket (SO_REUSEPORT optional), and a client socket connected to addr:port.
int CSystemShims_udp_bind(const char *addr, uint16_t port, int reuseport, int *bound_port);
int CSystemShims_udp_connect(const char *addr, uint16_t port);
// Receive timeout for a blocking socket (SO_RCVTIMEO), in microseconds.
int CSystemShims_set_recv_timeout(int fd, int64_t usec);

// A reusable recvmmsg/sendmmsg batch: `count` slots of `size` bytes with their msghdr, iovec and
// source address, allocated once. recv fills up to `count` slots (blocking for the first when
// `wait_first` is set, MSG_WAITFORONE); echo sends slots [0, n) back to where they came from.
typedef struct CSystemShims_mmsg_batch CSystemShims_mmsg_batch;
CSystemShims_mmsg_batch *CSystemShims_mmsg_create(int count, int size);
void CSystemShims_mmsg_destroy(CSystemShims_mmsg_batch *b);
int CSystemShims_mmsg_recv(CSystemShims_mmsg_batch *b, int fd, int timeout_ms);
int CSystemShims_mmsg_echo(CSystemShims_mmsg_batch *b, int fd, int n);
// Bytes of datagram i of the last recv (its msg_len).
unsigned CSystemShims_mmsg_length(const CSystemShims_mmsg_batch *b, int i);
// Lets the calling thread run on every online CPU again (undoes sched_setaffinity_one).
int CSystemShims_sched_setaffinity_all(void);
// epoll event bits (an enum in glibc).
extern const uint32_t CSystemShims_EPOLLIN;
extern const uint32_t CSystemShims_EPOLLOUT;
extern const int CSystemShims_EPOLL_CTL_ADD;
extern const int CSystemShims_EPOLL_CTL_MOD;
extern const int CSystemShims_EPOLL_CTL_DEL;

#endif
