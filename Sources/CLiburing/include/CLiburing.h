#ifndef CLIBURING_H
#define CLIBURING_H

// liburing.h (2.3) defines _XOPEN_SOURCE/_GNU_SOURCE itself, so in a debug build its view of
// fd_set clashes with SwiftGlibc's. Pulling <sys/select.h> in first makes both agree.
#include <sys/select.h>
#include <liburing.h>

// IOSQE_* flags are defined through enum bit numbers, which Swift does not import as macros.
static const unsigned char CLiburing_IOSQE_FIXED_FILE = IOSQE_FIXED_FILE;

// Kernel's SQ flag word, read without liburing's internal atomics helpers being visible to Swift.
static inline unsigned CLiburing_sq_flags(const struct io_uring *ring) {
    return IO_URING_READ_ONCE(*ring->sq.kflags);
}

// Number of SQEs prepared but not yet handed to the kernel.
static inline unsigned CLiburing_sq_pending(const struct io_uring *ring) {
    return ring->sq.sqe_tail - ring->sq.sqe_head;
}

// io_uring_get_probe_ring() and friends, plus the version of the liburing shared object that the
// process actually loaded ("2.3"), found through dladdr on one of its symbols.
const char *CLiburing_loaded_library_path(void);


// ---- Network I/O models (UringNet) ----------------------------------------------------------
#include <string.h>
#include <sys/mman.h>

// More enum-defined flags Swift cannot see as macros.
static const unsigned char CLiburing_IOSQE_BUFFER_SELECT = IOSQE_BUFFER_SELECT;
static const unsigned CLiburing_IORING_CQE_F_BUFFER = IORING_CQE_F_BUFFER;
static const unsigned CLiburing_IORING_CQE_F_MORE = IORING_CQE_F_MORE;
static const unsigned CLiburing_IORING_CQE_BUFFER_SHIFT = IORING_CQE_BUFFER_SHIFT;

// Marks a recv SQE as taking its buffer from provided-buffer group `bgid`.
static inline void CLiburing_sqe_select_buffer(struct io_uring_sqe *sqe, unsigned short bgid) {
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = bgid;
}

// io_uring_setup_buf_ring() only arrived in liburing 2.4: map the ring memory ourselves, register
// it as group `bgid` and leave it empty (tail 0). Returns NULL with *err = -errno on failure.
// Free with CLiburing_free_buf_ring (unregisters, then unmaps).
static inline struct io_uring_buf_ring *CLiburing_setup_buf_ring(struct io_uring *ring,
                                                                 unsigned entries,
                                                                 unsigned short bgid, int *err) {
    size_t size = (size_t)entries * sizeof(struct io_uring_buf);
    void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (mem == MAP_FAILED) { *err = -errno; return NULL; }
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof(reg));
    reg.ring_addr = (unsigned long)(uintptr_t)mem;
    reg.ring_entries = entries;
    reg.bgid = bgid;
    int rc = io_uring_register_buf_ring(ring, &reg, 0);
    if (rc < 0) { munmap(mem, size); *err = rc; return NULL; }
    io_uring_buf_ring_init((struct io_uring_buf_ring *)mem);
    *err = 0;
    return (struct io_uring_buf_ring *)mem;
}

static inline void CLiburing_free_buf_ring(struct io_uring *ring, struct io_uring_buf_ring *br,
                                           unsigned entries, unsigned short bgid) {
    io_uring_unregister_buf_ring(ring, bgid);
    munmap(br, (size_t)entries * sizeof(struct io_uring_buf));
}

// Hands buffer `bid` (at `addr`, `len` bytes) back to the kernel: one add, one tail release.
static inline void CLiburing_buf_ring_recycle(struct io_uring_buf_ring *br, void *addr,
                                              unsigned len, unsigned short bid, unsigned entries) {
    io_uring_buf_ring_add(br, addr, len, bid, io_uring_buf_ring_mask(entries), 0);
    io_uring_buf_ring_advance(br, 1);
}

#endif
