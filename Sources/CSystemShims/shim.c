#define _GNU_SOURCE
#include <errno.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
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

int CSystemShims_sched_setaffinity_list(const int *cpus, int count) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < count; i++) CPU_SET(cpus[i], &set);
    return sched_setaffinity(0, sizeof(set), &set) == 0 ? 0 : -errno;
}

int CSystemShims_sched_getaffinity_list(int *cpus, int max) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -errno;
    int n = 0;
    for (int c = 0; c < CPU_SETSIZE && n < max; c++) if (CPU_ISSET(c, &set)) cpus[n++] = c;
    return n;
}

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

int CSystemShims_block_device_size(int fd, uint64_t *bytes) {
    return ioctl(fd, BLKGETSIZE64, bytes) == 0 ? 0 : -errno;
}

static volatile sig_atomic_t stop_flag = 0;
static volatile sig_atomic_t stop_signal = 0;   /* the last stop signal, for messages; never reset */

static void on_stop_signal(int sig) {
    stop_signal = sig;
    stop_flag = 1;
}

int CSystemShims_stop_signal(void) { return stop_signal; }

int CSystemShims_install_stop_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    // No SA_RESTART: a blocking io_uring_enter/io_getevents returns EINTR so the loop sees the flag.
    sa.sa_flags = 0;
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return -1;
    // SIGHUP (the terminal went away) is a stop like SIGTERM: clean up, report what was measured.
    // Under nohup it arrives ignored, and the user asked for exactly that: keep ignoring it.
    struct sigaction hup;
    if (sigaction(SIGHUP, NULL, &hup) != 0)
        return -1;
    if (hup.sa_handler != SIG_IGN && sigaction(SIGHUP, &sa, NULL) != 0)
        return -1;
    // A parent may start us with these blocked (posix_spawn passes its mask on): unblock them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int CSystemShims_stop_requested(void) { return stop_flag; }
void CSystemShims_reset_stop(void) { stop_flag = 0; }

// ---- Sockets for the network I/O models (UringNet) ------------------------------------------

static int fill_addr(const char *addr, uint16_t port, struct sockaddr_in *sa) {
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons(port);
    return inet_pton(AF_INET, addr, &sa->sin_addr) == 1 ? 0 : -EINVAL;
}

static int fail_close(int fd) {
    int e = errno;
    close(fd);
    return -e;
}

int CSystemShims_tcp_listen(const char *addr, uint16_t port, int backlog, int reuseport,
                            int nonblocking, int *bound_port) {
    struct sockaddr_in sa;
    if (fill_addr(addr, port, &sa) != 0) return -EINVAL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
    if (fd < 0) return -errno;
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) return fail_close(fd);
    if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) return fail_close(fd);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) return fail_close(fd);
    if (listen(fd, backlog) != 0) return fail_close(fd);
    socklen_t len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) return fail_close(fd);
    *bound_port = ntohs(sa.sin_port);
    return fd;
}

int CSystemShims_set_nodelay(int fd) {
    int one = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0 ? 0 : -errno;
}

int CSystemShims_tcp_connect(const char *addr, uint16_t port, int nonblocking) {
    struct sockaddr_in sa;
    if (fill_addr(addr, port, &sa) != 0) return -EINVAL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int rc;
    do { rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa)); } while (rc != 0 && errno == EINTR);
    if (rc != 0) return fail_close(fd);
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) return fail_close(fd);
    if (nonblocking) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) return fail_close(fd);
    }
    return fd;
}

int CSystemShims_accept_nonblocking(int listen_fd) {
    int fd;
    do { fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); } while (fd < 0 && errno == EINTR);
    if (fd < 0) return -errno;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

const uint32_t CSystemShims_EPOLLIN = EPOLLIN;
const uint32_t CSystemShims_EPOLLOUT = EPOLLOUT;
const int CSystemShims_EPOLL_CTL_ADD = EPOLL_CTL_ADD;
const int CSystemShims_EPOLL_CTL_MOD = EPOLL_CTL_MOD;
const int CSystemShims_EPOLL_CTL_DEL = EPOLL_CTL_DEL;

int CSystemShims_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int CSystemShims_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev) == 0 ? 0 : -errno;
}

int CSystemShims_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, evs, max, timeout_ms);
    if (n < 0) return -errno;
    for (int i = 0; i < n; i++) { data[i] = evs[i].data.u64; events[i] = evs[i].events; }
    return n;
}

uint64_t CSystemShims_nofile_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
    return rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
}

uint64_t CSystemShims_nofile_hard_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
    return rl.rlim_max == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_max;
}

int CSystemShims_set_nofile_limit(uint64_t soft) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -errno;
    rl.rlim_cur = (rlim_t)soft;
    return setrlimit(RLIMIT_NOFILE, &rl) == 0 ? 0 : -errno;
}

int CSystemShims_epoll_wait_ns(int epfd, uint64_t *data, uint32_t *events, int max, int64_t timeout_ns) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    struct timespec ts = { .tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000 };
    int n = epoll_pwait2(epfd, evs, max, timeout_ns < 0 ? NULL : &ts, NULL);
    if (n < 0) return -errno;
    for (int i = 0; i < n; i++) { data[i] = evs[i].data.u64; events[i] = evs[i].events; }
    return n;
}

int CSystemShims_set_timer_slack(unsigned long ns) {
    return prctl(PR_SET_TIMERSLACK, ns, 0, 0, 0) == 0 ? 0 : -errno;
}

int CSystemShims_process_cpu_split(pid_t pid, int64_t *user_usec, int64_t *system_usec) {
    char path[64], buf[2048];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -errno;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    char *p = strrchr(buf, ')');
    if (!p) return -EINVAL;
    unsigned long long utime = 0, stime = 0;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return -EINVAL;
    long hz = sysconf(_SC_CLK_TCK);
    unsigned long long tick = 1000000ULL / (unsigned long long)(hz > 0 ? hz : 100);
    *user_usec = (int64_t)(utime * tick);
    *system_usec = (int64_t)(stime * tick);
    return 0;
}

int64_t CSystemShims_process_cpu_usec(pid_t pid) {
    int64_t u = 0, s = 0;
    int rc = CSystemShims_process_cpu_split(pid, &u, &s);
    return rc < 0 ? rc : u + s;
}

int CSystemShims_udp_bind(const char *addr, uint16_t port, int reuseport, int *bound_port) {
    struct sockaddr_in sa;
    if (fill_addr(addr, port, &sa) != 0) return -EINVAL;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    int one = 1;
    if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) return fail_close(fd);
    int big = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) return fail_close(fd);
    socklen_t len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) return fail_close(fd);
    *bound_port = ntohs(sa.sin_port);
    return fd;
}

int CSystemShims_udp_connect(const char *addr, uint16_t port) {
    struct sockaddr_in sa;
    if (fill_addr(addr, port, &sa) != 0) return -EINVAL;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) return fail_close(fd);
    return fd;
}

int CSystemShims_set_recv_timeout(int fd, int64_t usec) {
    struct timeval tv = { .tv_sec = usec / 1000000, .tv_usec = usec % 1000000 };
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 ? 0 : -errno;
}

struct CSystemShims_mmsg_batch {
    int count, size;
    struct mmsghdr *msgs;
    struct iovec *iovs;
    struct sockaddr_in *addrs;
    char *data;
};

CSystemShims_mmsg_batch *CSystemShims_mmsg_create(int count, int size) {
    CSystemShims_mmsg_batch *b = calloc(1, sizeof(*b));
    if (!b) return NULL;
    b->count = count; b->size = size;
    b->msgs = calloc((size_t)count, sizeof(struct mmsghdr));
    b->iovs = calloc((size_t)count, sizeof(struct iovec));
    b->addrs = calloc((size_t)count, sizeof(struct sockaddr_in));
    b->data = malloc((size_t)count * (size_t)size);
    if (!b->msgs || !b->iovs || !b->addrs || !b->data) { CSystemShims_mmsg_destroy(b); return NULL; }
    return b;
}

void CSystemShims_mmsg_destroy(CSystemShims_mmsg_batch *b) {
    if (!b) return;
    free(b->msgs); free(b->iovs); free(b->addrs); free(b->data); free(b);
}

int CSystemShims_mmsg_recv(CSystemShims_mmsg_batch *b, int fd, int timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, timeout_ms);
    if (r < 0) return -errno;
    if (r == 0) return 0;
    for (int i = 0; i < b->count; i++) {
        b->iovs[i].iov_base = b->data + (size_t)i * (size_t)b->size;
        b->iovs[i].iov_len = (size_t)b->size;
        memset(&b->msgs[i].msg_hdr, 0, sizeof(struct msghdr));
        b->msgs[i].msg_hdr.msg_iov = &b->iovs[i];
        b->msgs[i].msg_hdr.msg_iovlen = 1;
        b->msgs[i].msg_hdr.msg_name = &b->addrs[i];
        b->msgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
    }
    int n = recvmmsg(fd, b->msgs, (unsigned)b->count, MSG_DONTWAIT, NULL);
    if (n < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
    return n;
}

int CSystemShims_mmsg_echo(CSystemShims_mmsg_batch *b, int fd, int n) {
    for (int i = 0; i < n; i++) b->iovs[i].iov_len = b->msgs[i].msg_len;
    int sent = 0;
    while (sent < n) {
        int r = sendmmsg(fd, b->msgs + sent, (unsigned)(n - sent), 0);
        if (r < 0) { if (errno == EINTR) continue; return -errno; }
        sent += r;
    }
    return sent;
}

unsigned CSystemShims_mmsg_length(const CSystemShims_mmsg_batch *b, int i) {
    return b->msgs[i].msg_len;
}

int CSystemShims_sched_setaffinity_all(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    long n = sysconf(_SC_NPROCESSORS_CONF);
    for (long i = 0; i < n && i < CPU_SETSIZE; i++) CPU_SET(i, &set);
    return sched_setaffinity(0, sizeof(set), &set) == 0 ? 0 : -errno;
}

// ---- crc32c for the data pattern's checksums -------------------------------------------------
#if defined(__x86_64__)
#include <nmmintrin.h>

int CSystemShims_crc32c_hardware(void) { return __builtin_cpu_supports("sse4.2"); }

__attribute__((target("sse4.2")))
uint32_t CSystemShims_crc32c(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = data;
    uint64_t c = crc;
    for (; length >= 8; p += 8, length -= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = _mm_crc32_u64(c, v);
    }
    uint32_t c32 = (uint32_t)c;
    for (; length > 0; p++, length--) c32 = _mm_crc32_u8(c32, *p);
    return c32;
}
#else
int CSystemShims_crc32c_hardware(void) { return 0; }
uint32_t CSystemShims_crc32c(uint32_t crc, const void *data, size_t length) { (void)data; (void)length; return crc; }
#endif

int CSystemShims_invariant_tsc(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000007, &a, &b, &c, &d)) return 0;
    return (d >> 8) & 1;
#else
    return 0;
#endif
}

ssize_t CSystemShims_preadv2(int fd, const struct iovec *iov, int count, off_t offset, int flags) {
    return preadv2(fd, iov, count, offset, flags);
}

ssize_t CSystemShims_pwritev2(int fd, const struct iovec *iov, int count, off_t offset, int flags) {
    return pwritev2(fd, iov, count, offset, flags);
}
