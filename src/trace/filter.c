/* filter.c: the seccomp-bpf program that decides which syscalls stop the tracee.
 *
 * Built with libseccomp in the tracer, exported as raw BPF, and installed by the child
 * with a bare seccomp() call just before exec (nothing but syscalls after fork).
 * Everything not listed is allowed without a stop, which is what keeps tracing cheap.
 * Actions:
 *   the syscalls of interest      -> TRACE(FILTER_DATA_TRACE): the tracer decodes them
 *   clone with CLONE_UNTRACED     -> TRACE(FILTER_DATA_UNTRACED): refused with EPERM
 *   io_uring_*                    -> TRACE(FILTER_DATA_IO_URING): refused with EPERM
 *                                    (its operations would bypass every filter)
 *   clone3                        -> ERRNO(ENOSYS): its flags live in memory that BPF
 *                                    cannot read, so libc is made to fall back to clone
 *   another architecture, x32     -> TRACE(FILTER_DATA_FOREIGN): refused with ENOSYS */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "trace/trace_internal.h"

#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

static const int traced_syscalls[] = {
    __NR_execve, __NR_execveat,
    __NR_open, __NR_openat, __NR_openat2, __NR_creat,
    __NR_connect, __NR_bind, __NR_sendto, __NR_sendmsg, __NR_sendmmsg,
    __NR_unlink, __NR_unlinkat, __NR_rename, __NR_renameat, __NR_renameat2,
    __NR_chmod, __NR_fchmodat, __NR_fchmodat2,
    __NR_symlink, __NR_symlinkat, __NR_link, __NR_linkat,
};

static const int write_syscalls[] = {
    __NR_write, __NR_writev, __NR_pwrite64, __NR_pwritev, __NR_pwritev2,
};

static const int io_uring_syscalls[] = {
    __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool filter_traces(int nr, bool capture_writes)
{
    for (size_t i = 0; i < COUNT(traced_syscalls); i++)
        if (traced_syscalls[i] == nr)
            return true;
    if (capture_writes)
        for (size_t i = 0; i < COUNT(write_syscalls); i++)
            if (write_syscalls[i] == nr)
                return true;
    return false;
}

static bool add_rules(scmp_filter_ctx ctx, bool capture_writes, char *err, size_t errn)
{
    int rc = 0;
    for (size_t i = 0; i < COUNT(traced_syscalls) && rc == 0; i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FILTER_DATA_TRACE), traced_syscalls[i], 0);
    for (size_t i = 0; capture_writes && i < COUNT(write_syscalls) && rc == 0; i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FILTER_DATA_TRACE), write_syscalls[i], 0);
    for (size_t i = 0; i < COUNT(io_uring_syscalls) && rc == 0; i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FILTER_DATA_IO_URING), io_uring_syscalls[i], 0);
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FILTER_DATA_UNTRACED), __NR_clone, 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_UNTRACED, CLONE_UNTRACED));
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), __NR_clone3, 0);
    if (rc != 0)
        snprintf(err, errn, "seccomp rule: %s", strerror(-rc));
    return rc == 0;
}

bool filter_build(FilterProgram *out, bool capture_writes, char *err, size_t errn)
{
    memset(out, 0, sizeof *out);
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) {
        snprintf(err, errn, "seccomp_init failed");
        return false;
    }
    bool ok = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
                               SCMP_ACT_TRACE(FILTER_DATA_FOREIGN)) == 0;
    if (!ok)
        snprintf(err, errn, "seccomp: cannot set the action for foreign architectures");
    ok = ok && add_rules(ctx, capture_writes, err, errn);
    int fd = ok ? memfd_create("bpf", MFD_CLOEXEC) : -1;
    if (ok && fd < 0) {
        snprintf(err, errn, "memfd_create: %s", strerror(errno));
        ok = false;
    }
    if (ok && seccomp_export_bpf(ctx, fd) != 0) {
        snprintf(err, errn, "seccomp_export_bpf failed");
        ok = false;
    }
    if (ok) {
        off_t size = lseek(fd, 0, SEEK_END);
        size_t count = size > 0 ? (size_t)size / sizeof(struct sock_filter) : 0;
        struct sock_filter *prog = count ? xmalloc((size_t)size) : NULL;
        if (count == 0 || count > BPF_MAXINSNS
            || pread(fd, prog, (size_t)size, 0) != (ssize_t)size) {
            snprintf(err, errn, "seccomp: cannot read back the exported filter");
            free(prog);
            ok = false;
        } else {
            out->filter = prog;
            out->len = (unsigned short)count;
        }
    }
    if (fd >= 0)
        close(fd);
    seccomp_release(ctx);
    return ok;
}

void filter_free(FilterProgram *f)
{
    free(f->filter);
    f->filter = NULL;
    f->len = 0;
}

int filter_install(const FilterProgram *f, bool set_no_new_privs)
{
    if (set_no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    struct sock_fprog prog = { .len = f->len, .filter = f->filter };
    return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}
