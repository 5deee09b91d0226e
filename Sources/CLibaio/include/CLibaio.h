#ifndef CLIBAIO_H
#define CLIBAIO_H

// Same reason as CLiburing.h: keep fd_set's definition from SwiftGlibc.
#include <sys/select.h>
#include <libaio.h>

// io_prep_pread/pwrite are static inline in libaio.h; re-exported so Swift sees a stable name.
static inline void CLibaio_prep_pread(struct iocb *iocb, int fd, void *buf, size_t count,
                                      long long offset) {
    io_prep_pread(iocb, fd, buf, count, offset);
}

static inline void CLibaio_prep_pwrite(struct iocb *iocb, int fd, void *buf, size_t count,
                                       long long offset) {
    io_prep_pwrite(iocb, fd, buf, count, offset);
}

#endif
