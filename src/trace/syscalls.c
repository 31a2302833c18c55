/* syscalls.c: what each traced syscall means. At the seccomp stop (entry) the
 * arguments are decoded into an event, reading strings and buffers from the tracee;
 * at the exit stop the result is added and, for opens, the path the new fd really
 * names. Bytes sent on sockets are scanned for canaries here, while they are whole. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "trace/trace_internal.h"

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#define PATH_MAX_READ 4096
#define ARGV_MAX 4096

double run_now(const TraceRun *r)
{
    return now_seconds() - r->t0;
}

static TraceEvent *begin(TraceRun *r, Tracee *t, EventKind kind, const char *name)
{
    TraceEvent *e = event_new(kind, name);
    e->time = run_now(r);
    e->pid = t->pid;
    e->tid = t->tid;
    e->ppid = t->ppid;
    e->exe = t->exe ? xstrdup(t->exe) : NULL;
    return e;
}

/* ---------------------------------------------------------------- /proc helpers */

static char *proc_link(pid_t tid, const char *what)
{
    char path[64], buf[PATH_MAX_READ];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)tid, what);
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return xstrdup(buf);
}

static char *fd_link(pid_t tid, int fd)
{
    char what[32];
    snprintf(what, sizeof what, "fd/%d", fd);
    return proc_link(tid, what);
}

/* Fills path/abspath/dirfd from a (dirfd, path pointer) pair. */
static void read_path_at(Tracee *t, TraceEvent *e, long dirfd, uint64_t ptr, bool second)
{
    bool trunc;
    char *p = tmem_read_string(t->tid, ptr, PATH_MAX_READ, &trunc);
    char *base = NULL;
    if (p && p[0] != '/') {
        if ((int)dirfd == AT_FDCWD) {
            base = proc_link(t->tid, "cwd");
            if (!second && !e->dirfd)
                e->dirfd = xstrdup("AT_FDCWD");
        } else {
            base = fd_link(t->tid, (int)dirfd);
            if (!second && !e->dirfd) {
                StrBuf b;
                sb_init(&b);
                sb_printf(&b, "%d (%s)", (int)dirfd, base ? base : "?");
                e->dirfd = sb_take(&b);
            }
        }
    }
    char *abs = p ? path_join_normalize(base ? base : "/", p) : NULL;
    free(base);
    if (second) {
        e->path2 = p;
        e->abspath2 = abs;
    } else {
        e->path = p;
        e->abspath = abs;
    }
}

/* ---------------------------------------------------------------- sockets */

/* Duplicates the tracee's fd into the tracer (pidfd_getfd) to ask the socket what it
 * is and where it is connected. False when fd is not a socket. */
static bool socket_info(Tracee *t, int fd, int *type, SockAddr *peer)
{
    if (t->pidfd < 0)
        t->pidfd = (int)syscall(SYS_pidfd_open, t->pid, 0);
    if (t->pidfd < 0)
        return false;
    int dup = (int)syscall(SYS_pidfd_getfd, t->pidfd, fd, 0);
    if (dup < 0)
        return false;
    socklen_t len = sizeof *type;
    bool is_socket = getsockopt(dup, SOL_SOCKET, SO_TYPE, type, &len) == 0;
    if (is_socket && peer) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        if (getpeername(dup, (struct sockaddr *)&ss, &sl) == 0)
            decode_sockaddr(&ss, sl, peer);
    }
    close(dup);
    return is_socket;
}

static void read_sockaddr(Tracee *t, uint64_t ptr, uint64_t len, SockAddr *out)
{
    unsigned char buf[sizeof(struct sockaddr_storage)];
    if (ptr == 0 || len == 0)
        return;
    if (len > sizeof buf)
        len = sizeof buf;
    size_t got = tmem_read(t->tid, ptr, buf, (size_t)len);
    decode_sockaddr(buf, got, out);
}

/* Scans the sent bytes for canaries and DNS questions, keeps a preview. */
static void take_data(TraceRun *r, TraceEvent *e, const unsigned char *data, size_t n,
                      size_t total)
{
    event_keep_data(e, data, n, total);
    if (r->sandbox->enabled)
        canary_scan(&r->sandbox->canaries, data, n, &e->canaries);
    if (e->addr.port == 53 && !e->dns_query)
        e->dns_query = decode_dns_query(data, n, e->sock_type == SOCK_STREAM);
}

/* Reads the buffers of an iovec array into one scan buffer (at most TRACE_SCAN_MAX). */
static void read_iov(TraceRun *r, Tracee *t, TraceEvent *e, uint64_t iov_ptr, uint64_t iovcnt)
{
    if (iovcnt > 1024)
        iovcnt = 1024;
    struct iovec *iov = xcalloc(iovcnt ? iovcnt : 1, sizeof *iov);
    size_t got = tmem_read(t->tid, iov_ptr, iov, iovcnt * sizeof *iov) / sizeof *iov;
    size_t total = 0, have = 0;
    for (size_t i = 0; i < got; i++)
        total += iov[i].iov_len;
    unsigned char *buf = xmalloc(total < TRACE_SCAN_MAX ? total + 1 : TRACE_SCAN_MAX);
    for (size_t i = 0; i < got && have < TRACE_SCAN_MAX; i++) {
        size_t want = iov[i].iov_len;
        if (want > TRACE_SCAN_MAX - have)
            want = TRACE_SCAN_MAX - have;
        have += tmem_read(t->tid, (uint64_t)(uintptr_t)iov[i].iov_base, buf + have, want);
    }
    take_data(r, e, buf, have, total);
    free(buf);
    free(iov);
}

static void read_buffer(TraceRun *r, Tracee *t, TraceEvent *e, uint64_t ptr, uint64_t len)
{
    size_t want = len < TRACE_SCAN_MAX ? (size_t)len : TRACE_SCAN_MAX;
    unsigned char *buf = xmalloc(want + 1);
    size_t have = tmem_read(t->tid, ptr, buf, want);
    take_data(r, e, buf, have, (size_t)len);
    free(buf);
}

/* Sets the destination: the given address, or the socket's peer. */
static void socket_target(Tracee *t, TraceEvent *e, uint64_t addr, uint64_t alen)
{
    socket_info(t, e->fd, &e->sock_type, addr ? NULL : &e->addr);
    if (addr)
        read_sockaddr(t, addr, alen, &e->addr);
}

static TraceEvent *decode_sendmsg(TraceRun *r, Tracee *t, const uint64_t *a, bool many)
{
    TraceEvent *e = begin(r, t, EV_SEND, many ? "sendmmsg" : "sendmsg");
    e->fd = (int)a[0];
    struct msghdr m;
    memset(&m, 0, sizeof m);
    if (tmem_read(t->tid, a[1], &m, sizeof m) != sizeof m) {   /* mmsghdr starts with one */
        socket_target(t, e, 0, 0);
        return e;
    }
    socket_target(t, e, (uint64_t)(uintptr_t)m.msg_name, m.msg_namelen);
    read_iov(r, t, e, (uint64_t)(uintptr_t)m.msg_iov, m.msg_iovlen);
    if (many && a[2] > 1) {
        /* later messages: scanned too, counted into the total */
        unsigned n = a[2] > 64 ? 64 : (unsigned)a[2];
        for (unsigned i = 1; i < n; i++) {
            struct mmsghdr mm;
            if (tmem_read(t->tid, a[1] + i * sizeof mm, &mm, sizeof mm) != sizeof mm)
                break;
            TraceEvent tmp = { .addr = e->addr, .sock_type = e->sock_type };
            read_iov(r, t, &tmp, (uint64_t)(uintptr_t)mm.msg_hdr.msg_iov, mm.msg_hdr.msg_iovlen);
            e->data_total += tmp.data_total;
            for (size_t k = 0; k < tmp.canaries.n; k++) {
                bool dup = false;
                for (size_t h = 0; h < e->canaries.n; h++)
                    dup |= e->canaries.v[h] == tmp.canaries.v[k];
                if (!dup)
                    VEC_PUSH(e->canaries, tmp.canaries.v[k]);
            }
            if (!e->dns_query) {
                e->dns_query = tmp.dns_query;
                tmp.dns_query = NULL;
            }
            free(tmp.dns_query);
            free(tmp.data);
            VEC_FREE(tmp.canaries);
        }
    }
    return e;
}

/* ---------------------------------------------------------------- entry */

static TraceEvent *denied(TraceRun *r, Tracee *t, const char *name, const char *why,
                          int err, int *deny)
{
    TraceEvent *e = begin(r, t, EV_DENIED, name);
    e->note = xstrdup(why);
    e->has_result = true;
    e->result = -err;
    *deny = err;
    return e;
}

static TraceEvent *decode_exec(TraceRun *r, Tracee *t, const uint64_t *a, bool at)
{
    TraceEvent *e = begin(r, t, EV_EXEC, at ? "execveat" : "execve");
    if (at) {
        read_path_at(t, e, (long)a[0], a[1], false);
        if ((a[4] & AT_EMPTY_PATH) && e->path && !e->path[0]) {
            free(e->abspath);
            e->abspath = fd_link(t->tid, (int)a[0]);
        }
        tmem_read_argv(t->tid, a[2], ARGV_MAX, &e->argv);
    } else {
        read_path_at(t, e, AT_FDCWD, a[0], false);
        tmem_read_argv(t->tid, a[1], ARGV_MAX, &e->argv);
    }
    e->root = t->tid == r->root_pid && !r->root_execed;
    return e;
}

static TraceEvent *decode_open(TraceRun *r, Tracee *t, int nr, const uint64_t *a)
{
    TraceEvent *e;
    switch (nr) {
    case __NR_open:
        e = begin(r, t, EV_OPEN, "open");
        read_path_at(t, e, AT_FDCWD, a[0], false);
        e->flags = (long)a[1];
        e->mode = (long)a[2];
        break;
    case __NR_creat:
        e = begin(r, t, EV_OPEN, "creat");
        read_path_at(t, e, AT_FDCWD, a[0], false);
        e->flags = O_CREAT | O_WRONLY | O_TRUNC;
        e->mode = (long)a[1];
        break;
    case __NR_openat2: {
        e = begin(r, t, EV_OPEN, "openat2");
        read_path_at(t, e, (long)a[0], a[1], false);
        struct open_how how;
        memset(&how, 0, sizeof how);
        tmem_read(t->tid, a[2], &how, a[3] < sizeof how ? (size_t)a[3] : sizeof how);
        e->flags = (long)how.flags;
        e->mode = (long)how.mode;
        break;
    }
    default:
        e = begin(r, t, EV_OPEN, "openat");
        read_path_at(t, e, (long)a[0], a[1], false);
        e->flags = (long)a[2];
        e->mode = (long)a[3];
        break;
    }
    return e;
}

static TraceEvent *decode_file_op(TraceRun *r, Tracee *t, int nr, const uint64_t *a)
{
    TraceEvent *e = NULL;
    switch (nr) {
    case __NR_unlink:
        e = begin(r, t, EV_UNLINK, "unlink");
        read_path_at(t, e, AT_FDCWD, a[0], false);
        break;
    case __NR_unlinkat:
        e = begin(r, t, EV_UNLINK, "unlinkat");
        read_path_at(t, e, (long)a[0], a[1], false);
        e->flags = (long)a[2];
        break;
    case __NR_rename:
        e = begin(r, t, EV_RENAME, "rename");
        read_path_at(t, e, AT_FDCWD, a[0], false);
        read_path_at(t, e, AT_FDCWD, a[1], true);
        break;
    case __NR_renameat:
    case __NR_renameat2:
        e = begin(r, t, EV_RENAME, nr == __NR_renameat ? "renameat" : "renameat2");
        read_path_at(t, e, (long)a[0], a[1], false);
        read_path_at(t, e, (long)a[2], a[3], true);
        break;
    case __NR_chmod:
        e = begin(r, t, EV_CHMOD, "chmod");
        read_path_at(t, e, AT_FDCWD, a[0], false);
        e->mode = (long)a[1];
        break;
    case __NR_symlink:
    case __NR_symlinkat: {
        bool at = nr == __NR_symlinkat;
        e = begin(r, t, EV_LINK, at ? "symlinkat" : "symlink");
        long dirfd = at ? (long)a[1] : AT_FDCWD;
        read_path_at(t, e, dirfd, at ? a[2] : a[1], true);      /* the new name */
        /* the target is read as given; a relative one counts from the link's directory */
        bool trunc;
        e->path = tmem_read_string(t->tid, a[0], PATH_MAX_READ, &trunc);
        if (e->path && e->abspath2) {
            char *dir = xstrdup(e->abspath2);
            char *slash = strrchr(dir, '/');
            if (slash)
                slash[slash == dir ? 1 : 0] = '\0';
            e->abspath = path_join_normalize(dir, e->path);
            free(dir);
        }
        break;
    }
    case __NR_link:
        e = begin(r, t, EV_LINK, "link");
        read_path_at(t, e, AT_FDCWD, a[0], false);
        read_path_at(t, e, AT_FDCWD, a[1], true);
        break;
    case __NR_linkat:
        e = begin(r, t, EV_LINK, "linkat");
        read_path_at(t, e, (long)a[0], a[1], false);
        read_path_at(t, e, (long)a[2], a[3], true);
        break;
    default:            /* fchmodat, fchmodat2 */
        e = begin(r, t, EV_CHMOD, nr == __NR_fchmodat ? "fchmodat" : "fchmodat2");
        read_path_at(t, e, (long)a[0], a[1], false);
        e->mode = (long)a[2];
        break;
    }
    return e;
}

static TraceEvent *decode_socket_call(TraceRun *r, Tracee *t, int nr, const uint64_t *a)
{
    TraceEvent *e;
    switch (nr) {
    case __NR_connect:
    case __NR_bind:
        e = begin(r, t, nr == __NR_connect ? EV_CONNECT : EV_BIND,
                  nr == __NR_connect ? "connect" : "bind");
        e->fd = (int)a[0];
        socket_info(t, e->fd, &e->sock_type, NULL);
        read_sockaddr(t, a[1], a[2], &e->addr);
        /* Inside the sandbox a listener answers loopback, so the program goes on. */
        if (nr == __NR_connect && r->sink && sockaddr_is_loopback(&e->addr))
            sink_listen(r->sink, &e->addr, e->sock_type);
        return e;
    case __NR_sendto:
        e = begin(r, t, EV_SEND, "sendto");
        e->fd = (int)a[0];
        socket_target(t, e, a[4], a[5]);
        read_buffer(r, t, e, a[1], a[2]);
        return e;
    case __NR_sendmsg:
        return decode_sendmsg(r, t, a, false);
    case __NR_sendmmsg:
        return decode_sendmsg(r, t, a, true);
    default: {
        /* write, writev, pwrite*: only bytes that go to a socket count */
        int type = 0;
        SockAddr peer = { 0 };
        if (!socket_info(t, (int)a[0], &type, &peer))
            return NULL;
        bool vec = nr == __NR_writev || nr == __NR_pwritev || nr == __NR_pwritev2;
        e = begin(r, t, EV_SEND, nr == __NR_write ? "write" : vec ? "writev" : "pwrite64");
        e->fd = (int)a[0];
        e->sock_type = type;
        e->addr = peer;
        if (vec)
            read_iov(r, t, e, a[1], a[2]);
        else
            read_buffer(r, t, e, a[1], a[2]);
        return e;
    }
    }
}

/* Whether an open is worth its exit stop (its result and the path the new fd really
 * names). Most opens of a build or an install are reads of ordinary files; judged by
 * their path alone they cost one stop instead of two. The exit is kept for every open
 * with --events, for sensitive paths, for writes (the canary scan needs the file), and
 * under /proc and /dev/fd, where /proc/PID/root, cwd and fd links can name any file.
 * Other symlinks to sensitive files are caught where they are made (symlink, link). */
static bool open_wants_exit(TraceRun *r, const TraceEvent *e)
{
    const char *p = e->abspath;
    return r->events_out || !p || open_flags_write(e->flags)
        || policy_match_path(r->policy, p) || str_starts_with(p, "/proc/")
        || str_starts_with(p, "/dev/fd/");
}

bool syscall_entry(TraceRun *r, Tracee *t, const struct __ptrace_syscall_info *si,
                   int *deny_errno)
{
    const uint64_t *a = si->seccomp.args;
    int nr = (int)si->seccomp.nr;
    TraceEvent *e = NULL;
    switch (si->seccomp.ret_data) {
    case FILTER_DATA_UNTRACED:
        e = denied(r, t, "clone", "clone with CLONE_UNTRACED refused: the child would "
                   "escape the tracer", EPERM, deny_errno);
        e->flags = (long)a[0];
        break;
    case FILTER_DATA_IO_URING:
        e = denied(r, t, nr == __NR_io_uring_setup ? "io_uring_setup"
                   : nr == __NR_io_uring_enter ? "io_uring_enter" : "io_uring_register",
                   "io_uring refused: its operations bypass syscall tracing", EPERM, deny_errno);
        break;
    case FILTER_DATA_FOREIGN: {
        char why[128];
        snprintf(why, sizeof why, "syscall %d of a foreign ABI (arch %#x%s) refused",
                 nr & ~0x40000000, si->arch, (nr & 0x40000000) ? ", x32" : "");
        e = denied(r, t, "foreign-abi", why, ENOSYS, deny_errno);
        break;
    }
    default:
        break;
    }
    if (e) {
        run_finish_event(r, e);
        return false;
    }
    switch (nr) {
    case __NR_execve:
    case __NR_execveat:
        e = decode_exec(r, t, a, nr == __NR_execveat);
        break;
    case __NR_open: case __NR_openat: case __NR_openat2: case __NR_creat:
        e = decode_open(r, t, nr, a);
        break;
    case __NR_unlink: case __NR_unlinkat: case __NR_rename: case __NR_renameat:
    case __NR_renameat2: case __NR_chmod: case __NR_fchmodat: case __NR_fchmodat2:
    case __NR_symlink: case __NR_symlinkat: case __NR_link: case __NR_linkat:
        e = decode_file_op(r, t, nr, a);
        break;
    case __NR_connect: case __NR_bind: case __NR_sendto: case __NR_sendmsg:
    case __NR_sendmmsg: case __NR_write: case __NR_writev: case __NR_pwrite64:
    case __NR_pwritev: case __NR_pwritev2:
        e = decode_socket_call(r, t, nr, a);
        break;
    default:
        return false;
    }
    if (!e)
        return false;
    if (e->kind == EV_OPEN && !open_wants_exit(r, e)) {
        run_finish_event(r, e);
        return false;
    }
    if (t->pending)
        event_free(t->pending);
    t->pending = e;
    return true;
}

/* ---------------------------------------------------------------- exit */

void syscall_exit(TraceRun *r, Tracee *t, const struct __ptrace_syscall_info *si)
{
    TraceEvent *e = t->pending;
    if (!e)
        return;
    t->pending = NULL;
    e->has_result = true;
    e->result = si->exit.rval;
    if (e->kind == EV_OPEN && e->result >= 0)
        e->real_path = fd_link(t->tid, (int)e->result);
    if (e->kind == EV_EXEC && e->result == 0) {
        if (e->root)
            r->root_execed = true;
        free(e->exe);
        e->exe = t->exe ? xstrdup(t->exe) : NULL;
    }
    run_finish_event(r, e);
}

/* ---------------------------------------------------------------- finishing */

void run_finish_event(TraceRun *r, TraceEvent *e)
{
    e->seq = ++r->next_seq;
    if (e->time == 0)
        e->time = run_now(r);
    if (e->kind != EV_SPAWN && e->kind != EV_EXIT)
        r->n_events++;
    if (r->events_out)
        output_event_line(r->events_out, r, e);
    verdict_observe(r, e);
    if (e->refs == 0)
        event_free(e);
}
