/* launch.c: starts the command under the tracer.
 *
 * The child enters a new network namespace (sandbox), brings loopback up, says ready
 * and waits; the tracer seizes it and tells it to go; only then does the child install
 * the seccomp filter and exec, so the very first exec is already traced. Between fork
 * and exec the child makes raw syscalls only. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/trace_internal.h"

char *launch_resolve(const char *cmd, const char *path_env)
{
    struct stat st;
    if (strchr(cmd, '/'))
        return access(cmd, X_OK) == 0 && stat(cmd, &st) == 0 && S_ISREG(st.st_mode)
             ? xstrdup(cmd) : NULL;
    const char *p = path_env && *path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
    while (*p) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *full = xmalloc(n + strlen(cmd) + 3);
        if (n == 0)
            strcpy(full, ".");
        else {
            memcpy(full, p, n);
            full[n] = '\0';
        }
        strcat(full, "/");
        strcat(full, cmd);
        if (access(full, X_OK) == 0 && stat(full, &st) == 0 && S_ISREG(st.st_mode))
            return full;
        free(full);
        p += n;
        if (*p == ':')
            p++;
    }
    return NULL;
}

/* A message from the child: a letter saying which step, and an errno. */
typedef struct ChildReport {
    char step;      /* 'R' ready, 'N' unshare, 'L' loopback, 'S' seccomp, 'X' exec, 'O' output */
    int err;
} ChildReport;

static void child_say(int fd, char step, int err)
{
    ChildReport m = { step, err };
    if (write(fd, &m, sizeof m) != (ssize_t)sizeof m)
        _exit(126);
}

static void child_main(TraceRun *r, const FilterProgram *prog, const char *path,
                       int to_parent, int from_parent)
{
    const TraceOptions *o = r->opt;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* The report owns our stdout; the command writes to stderr or to a file. */
    if (o->command_output) {
        int fd = open(o->command_output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            child_say(to_parent, 'O', errno);
            _exit(126);
        }
        dup2(fd, 1);
        dup2(fd, 2);
    } else {
        dup2(2, 1);
    }
    if (r->sandbox->enabled) {
        if (unshare(CLONE_NEWNET) != 0) {
            child_say(to_parent, 'N', errno);
            _exit(126);
        }
        if (sandbox_loopback_up() != 0) {
            child_say(to_parent, 'L', errno);
            _exit(126);
        }
    }
    child_say(to_parent, 'R', 0);
    char go;
    if (read(from_parent, &go, 1) != 1)
        _exit(126);                     /* the tracer gave up */
    if (filter_install(prog, geteuid() != 0) != 0) {
        child_say(to_parent, 'S', errno);
        _exit(126);
    }
    execve(path, o->argv, r->sandbox->env.v);
    child_say(to_parent, 'X', errno);
    _exit(127);
}

static const char *step_text(char step)
{
    switch (step) {
    case 'N': return "cannot create a network namespace for the sandbox "
                     "(needs root or CAP_SYS_ADMIN; use --no-sandbox to run on the host)";
    case 'L': return "cannot bring up loopback in the sandbox's network namespace";
    case 'S': return "cannot install the seccomp filter";
    case 'X': return "cannot execute the command";
    case 'O': return "cannot open the --command-output file";
    default: return "the command's process failed before exec";
    }
}

pid_t launch_command(TraceRun *r, const FilterProgram *prog, int *netns_fd,
                     char *err, size_t errn)
{
    *netns_fd = -1;
    char *path = launch_resolve(r->opt->argv[0], getenv("PATH"));
    if (!path) {
        snprintf(err, errn, "command not found: %s", r->opt->argv[0]);
        return -1;
    }
    int up[2], down[2];
    if (pipe2(up, O_CLOEXEC) != 0 || pipe2(down, O_CLOEXEC) != 0) {
        snprintf(err, errn, "pipe: %s", strerror(errno));
        free(path);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errn, "fork: %s", strerror(errno));
        free(path);
        return -1;
    }
    if (pid == 0) {
        close(up[0]);
        close(down[1]);
        child_main(r, prog, path, up[1], down[0]);
    }
    free(path);
    close(up[1]);
    close(down[0]);
    ChildReport m = { 0, 0 };
    bool ok = read(up[0], &m, sizeof m) == (ssize_t)sizeof m && m.step == 'R';
    long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK
              | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP
              | PTRACE_O_EXITKILL;
    if (ok && ptrace(PTRACE_SEIZE, pid, 0, opts) != 0) {
        snprintf(err, errn, "cannot trace the command: ptrace(PTRACE_SEIZE): %s", strerror(errno));
        ok = false;
        m.step = 0;
    } else if (!ok) {
        snprintf(err, errn, "%s: %s", step_text(m.step), strerror(m.err));
    }
    if (ok && r->sandbox->enabled) {
        char ns[64];
        snprintf(ns, sizeof ns, "/proc/%d/ns/net", (int)pid);
        *netns_fd = open(ns, O_RDONLY | O_CLOEXEC);
    }
    if (!ok) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, __WALL);
        close(up[0]);
        close(down[1]);
        return -1;
    }
    r->go_fd = down[1];
    r->launch_fd = up[0];       /* later failures (seccomp, exec) arrive here */
    return pid;
}

bool launch_go(TraceRun *r)
{
    char go = 'G';
    bool ok = write(r->go_fd, &go, 1) == 1;
    close(r->go_fd);
    r->go_fd = -1;
    return ok;
}

bool launch_failure(TraceRun *r, char *err, size_t errn)
{
    if (r->launch_fd < 0)
        return false;
    ChildReport m;
    int fl = fcntl(r->launch_fd, F_GETFL);
    fcntl(r->launch_fd, F_SETFL, fl | O_NONBLOCK);
    bool failed = read(r->launch_fd, &m, sizeof m) == (ssize_t)sizeof m;
    if (failed)
        snprintf(err, errn, "%s: %s", step_text(m.step), strerror(m.err));
    close(r->launch_fd);
    r->launch_fd = -1;
    return failed;
}
