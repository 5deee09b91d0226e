#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <sys/mman.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include "CSystemShims.h"

const int CSystemShims_O_DIRECT = O_DIRECT;
const int CSystemShims_RUSAGE_THREAD = RUSAGE_THREAD;
const unsigned CSystemShims_RENAME_NOREPLACE = RENAME_NOREPLACE;

int CSystemShims_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                           unsigned flags) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, flags) == 0 ? 0 : -errno;
}


pid_t CSystemShims_gettid(void) { return (pid_t)syscall(SYS_gettid); }

int CSystemShims_memfd(const char *name) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

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
        return -errno;
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

// ---- Sockets for the network I/O models (UringNet) ------------------------------------------

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

// epoll_event is packed on x86-64, which Swift cannot lay out: the events are copied out into
// two plain arrays (at most 256, the callers' size) on the stack, no allocation per call.
static int epoll_copy_out(int n, const struct epoll_event *evs, uint64_t *data, uint32_t *events) {
    if (n < 0) return -errno;
    for (int i = 0; i < n; i++) { data[i] = evs[i].data.u64; events[i] = evs[i].events; }
    return n;
}

int CSystemShims_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    return epoll_copy_out(epoll_wait(epfd, evs, max, timeout_ms), evs, data, events);
}

int CSystemShims_epoll_wait_ns(int epfd, uint64_t *data, uint32_t *events, int max, int64_t timeout_ns) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    struct timespec ts = { .tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000 };
    return epoll_copy_out(epoll_pwait2(epfd, evs, max, timeout_ns < 0 ? NULL : &ts, NULL), evs, data, events);
}

int CSystemShims_set_timer_slack(unsigned long ns) {
    return prctl(PR_SET_TIMERSLACK, ns, 0, 0, 0) == 0 ? 0 : -errno;
}

// glibc declares recvmmsg, sendmmsg and struct mmsghdr only under _GNU_SOURCE; the header's
// CSystemShims_mmsghdr is the same layout under a name Swift can see.
_Static_assert(sizeof(struct CSystemShims_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr layout");
_Static_assert(offsetof(struct CSystemShims_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "mmsghdr layout");

int CSystemShims_recvmmsg(int fd, struct CSystemShims_mmsghdr *msgs, unsigned vlen, int flags) {
    int n = recvmmsg(fd, (struct mmsghdr *)msgs, vlen, flags, NULL);
    return n < 0 ? -errno : n;
}

int CSystemShims_sendmmsg(int fd, struct CSystemShims_mmsghdr *msgs, unsigned vlen, int flags) {
    int n = sendmmsg(fd, (struct mmsghdr *)msgs, vlen, flags);
    return n < 0 ? -errno : n;
}

int CSystemShims_accept4(int fd, int flags) {
    int r = accept4(fd, NULL, NULL, flags);
    return r < 0 ? -errno : r;
}


ssize_t CSystemShims_preadv2(int fd, const struct iovec *iov, int count, off_t offset, int flags) {
    ssize_t n = preadv2(fd, iov, count, offset, flags);
    return n >= 0 ? n : -errno;
}

ssize_t CSystemShims_pwritev2(int fd, const struct iovec *iov, int count, off_t offset, int flags) {
    ssize_t n = pwritev2(fd, iov, count, offset, flags);
    return n >= 0 ? n : -errno;
}
