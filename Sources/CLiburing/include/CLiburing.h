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

// The file the process loaded liburing's io_uring_queue_init_params from (dladdr, which glibc
// declares only under _GNU_SOURCE), or NULL.
const char *CLiburing_loaded_library_path(void);


// ---- Network I/O models (UringNet) ----------------------------------------------------------

// More enum-defined flags Swift cannot see as macros.
static const unsigned char CLiburing_IOSQE_BUFFER_SELECT = IOSQE_BUFFER_SELECT;
static const unsigned CLiburing_IORING_CQE_F_BUFFER = IORING_CQE_F_BUFFER;
static const unsigned CLiburing_IORING_CQE_F_MORE = IORING_CQE_F_MORE;
static const unsigned CLiburing_IORING_CQE_BUFFER_SHIFT = IORING_CQE_BUFFER_SHIFT;

#endif
