// Test helper: runs a command under the restrictions that production machines impose.
//   deny-io-uring ENOSYS|EPERM command [args...]
//     io_uring_setup(2) fails with that errno, as under a container's seccomp profile (ENOSYS)
//     or kernel.io_uring_disabled (EPERM).
//   deny-io-uring MEMLOCK=<bytes> command [args...]
//     RLIMIT_MEMLOCK set to <bytes> and CAP_IPC_LOCK dropped (so it applies even to root), as
//     for an ordinary user with the default `ulimit -l`.
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ENOSYS|EPERM command [args...]\n", argv[0]);
        return 2;
    }
    if (strncmp(argv[1], "MEMLOCK=", 8) == 0) {
        struct rlimit limit;
        limit.rlim_cur = limit.rlim_max = strtoull(argv[1] + 8, NULL, 10);
        // Dropped from the bounding set, CAP_IPC_LOCK is gone after exec even for root.
        if (prctl(PR_CAPBSET_DROP, CAP_IPC_LOCK, 0, 0, 0) != 0 || setrlimit(RLIMIT_MEMLOCK, &limit) != 0) {
            perror("memlock");
            return 2;
        }
        execvp(argv[2], argv + 2);
        perror("execvp");
        return 127;
    }
    unsigned err = strcmp(argv[1], "EPERM") == 0 ? EPERM : ENOSYS;
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof(filter) / sizeof(filter[0]), .filter = filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        perror("seccomp");
        return 2;
    }
    execvp(argv[2], argv + 2);
    perror("execvp");
    return 127;
}
