/* tracer.c: the ptrace loop. Waits for every stop of every traced task, hands syscall
 * stops to syscalls.c, follows fork/vfork/clone/exec, refuses what the filter marked,
 * and enforces the time limit and the process limit by killing the whole tree.
 *
 * Invariants: every task we were told about is in the table until its death is
 * reported; a task in `in_syscall` is resumed with PTRACE_SYSCALL so that its syscall's
 * exit stops; once killing has begun, every task seen is killed on sight. The tracer
 * is a child subreaper, so orphans come back to it and are reaped (or killed). */
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/trace_internal.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

static volatile sig_atomic_t alarm_fired;
static volatile sig_atomic_t interrupted;

static void on_alarm(int sig) { (void)sig; alarm_fired = 1; }
static void on_interrupt(int sig) { interrupted = sig; }

/* ---------------------------------------------------------------- the task table */

static size_t slot_of(const TraceRun *r, pid_t tid)
{
    return ((size_t)(unsigned)tid * 2654435761u) & (r->table_cap - 1);
}

static Tracee *tracee_get(TraceRun *r, pid_t tid)
{
    if (!r->table)
        return NULL;
    for (size_t i = slot_of(r, tid); r->table[i]; i = (i + 1) & (r->table_cap - 1))
        if (r->table[i]->tid == tid)
            return r->table[i];
    return NULL;
}

static void table_insert(TraceRun *r, Tracee *t)
{
    size_t i = slot_of(r, t->tid);
    while (r->table[i])
        i = (i + 1) & (r->table_cap - 1);
    r->table[i] = t;
}

static Tracee *tracee_add(TraceRun *r, pid_t tid)
{
    if ((r->live_tasks + 1) * 2 > r->table_cap) {
        Tracee **old = r->table;
        size_t old_cap = r->table_cap;
        r->table_cap = old_cap ? old_cap * 2 : 64;
        r->table = xcalloc(r->table_cap, sizeof *r->table);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i])
                table_insert(r, old[i]);
        free(old);
    }
    Tracee *t = xcalloc(1, sizeof *t);
    t->tid = t->pid = tid;
    t->pidfd = -1;
    table_insert(r, t);
    r->live_tasks++;
    return t;
}

static void tracee_free(Tracee *t)
{
    if (t->pending)
        event_free(t->pending);
    if (t->pidfd >= 0)
        close(t->pidfd);
    free(t->exe);
    free(t);
}

/* Removes tid, shifting later members of its probe run back (no tombstones). */
static Tracee *tracee_unlink(TraceRun *r, pid_t tid)
{
    size_t mask = r->table_cap - 1, i = slot_of(r, tid);
    while (r->table[i] && r->table[i]->tid != tid)
        i = (i + 1) & mask;
    Tracee *t = r->table[i];
    if (!t)
        return NULL;
    r->table[i] = NULL;
    r->live_tasks--;
    for (size_t j = (i + 1) & mask; r->table[j]; j = (j + 1) & mask) {
        Tracee *m = r->table[j];
        r->table[j] = NULL;
        table_insert(r, m);
    }
    return t;
}

/* ---------------------------------------------------------------- killing */

/* Every process whose parent chain leads to us, from /proc. */
static size_t kill_descendants(void)
{
    typedef struct { pid_t pid, ppid; } Pair;
    VEC(Pair) all = { 0 };
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "re");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        char *rp = strrchr(buf, ')');           /* comm may hold spaces and parens */
        int ppid;
        char state;
        if (rp && sscanf(rp + 1, " %c %d", &state, &ppid) == 2) {
            Pair p = { (pid_t)pid, (pid_t)ppid };
            VEC_PUSH(all, p);
        }
    }
    closedir(d);
    /* a breadth-first walk down from us */
    VEC(pid_t) mine = { 0 };
    VEC_PUSH(mine, getpid());
    for (size_t k = 0; k < mine.n; k++)
        for (size_t i = 0; i < all.n; i++)
            if (all.v[i].ppid == mine.v[k])
                VEC_PUSH(mine, all.v[i].pid);
    size_t killed = 0;
    for (size_t k = 1; k < mine.n; k++)
        if (kill(mine.v[k], SIGKILL) == 0)
            killed++;
    VEC_FREE(all);
    VEC_FREE(mine);
    return killed;
}

void tracer_kill_all(TraceRun *r)
{
    for (size_t i = 0; i < r->table_cap; i++)
        if (r->table[i])
            kill(r->table[i]->tid, SIGKILL);
    kill_descendants();
}

static void stop_run(TraceRun *r, char *reason)
{
    if (!r->stopped_reason)
        r->stopped_reason = reason;
    else
        free(reason);
    tracer_kill_all(r);
}

/* ---------------------------------------------------------------- resuming */

static void resume(Tracee *t, int sig)
{
    ptrace(t->in_syscall ? PTRACE_SYSCALL : PTRACE_CONT, t->tid, 0, sig);
}

/* Makes the syscall at this seccomp stop return -err without running. */
static void deny_syscall(pid_t tid, int err)
{
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETREGS, tid, 0, &regs) != 0)
        return;
    regs.orig_rax = (unsigned long long)-1;
    regs.rax = (unsigned long long)-(long long)err;
    ptrace(PTRACE_SETREGS, tid, 0, &regs);
}

/* ---------------------------------------------------------------- stops */

static void on_seccomp_stop(TraceRun *r, Tracee *t)
{
    struct __ptrace_syscall_info si;
    memset(&si, 0, sizeof si);
    long n = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof si, &si);
    if (n <= 0 || si.op != PTRACE_SYSCALL_INFO_SECCOMP) {
        resume(t, 0);
        return;
    }
    /* A syscall of another ABI (i386 int 0x80, x32) would carry other numbers for the
     * same calls; the filter sends them here and they are refused. */
    if (si.arch != AUDIT_ARCH_X86_64 || (si.seccomp.nr & __X32_SYSCALL_BIT))
        si.seccomp.ret_data = FILTER_DATA_FOREIGN;
    int deny = 0;
    bool want_exit = syscall_entry(r, t, &si, &deny);
    if (deny) {
        deny_syscall(t->tid, deny);
        want_exit = false;
    }
    t->in_syscall = want_exit;
    resume(t, 0);
}

static void on_syscall_stop(TraceRun *r, Tracee *t)
{
    struct __ptrace_syscall_info si;
    memset(&si, 0, sizeof si);
    long n = ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof si, &si);
    if (n > 0 && si.op == PTRACE_SYSCALL_INFO_EXIT)
        syscall_exit(r, t, &si);
    t->in_syscall = false;
    resume(t, 0);
}

static void on_new_task(TraceRun *r, Tracee *parent, int event)
{
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg);
    pid_t ctid = (pid_t)msg;
    bool thread = false;
    if (event == PTRACE_EVENT_CLONE) {
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, parent->tid, 0, &regs) == 0)
            thread = (regs.rdi & CLONE_THREAD) != 0;
    }
    Tracee *c = tracee_get(r, ctid);
    if (!c)
        c = tracee_add(r, ctid);
    c->is_thread = thread;
    c->pid = thread ? parent->pid : ctid;
    c->ppid = thread ? parent->ppid : parent->pid;
    free(c->exe);
    c->exe = parent->exe ? xstrdup(parent->exe) : NULL;
    if (thread)
        r->n_threads++;
    else
        r->n_processes++;
    TraceEvent *e = event_new(EV_SPAWN, event == PTRACE_EVENT_FORK ? "fork"
                              : event == PTRACE_EVENT_VFORK ? "vfork" : "clone");
    e->pid = parent->pid;
    e->tid = parent->tid;
    e->ppid = parent->ppid;
    e->exe = parent->exe ? xstrdup(parent->exe) : NULL;
    e->child = ctid;
    e->note = xstrdup(thread ? "thread" : "process");
    e->has_result = true;
    e->result = ctid;
    run_finish_event(r, e);
    if (r->live_tasks > (size_t)r->opt->max_procs) {
        char buf[160];
        snprintf(buf, sizeof buf, "process limit reached: more than %d processes and "
                 "threads at once (--max-procs); the whole tree was killed", r->opt->max_procs);
        stop_run(r, xstrdup(buf));
    }
}

static void on_exec(TraceRun *r, Tracee *t)
{
    unsigned long old = 0;
    ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &old);
    if ((pid_t)old != t->tid) {
        /* A thread other than the leader exec'd: it now has the leader's id, and the
         * syscall it was in (the exec) continues here. */
        Tracee *o = tracee_unlink(r, (pid_t)old);
        if (o) {
            if (t->pending)
                event_free(t->pending);
            t->pending = o->pending;
            t->in_syscall = o->in_syscall;
            o->pending = NULL;
            tracee_free(o);
        }
    }
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)t->tid);
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        free(t->exe);
        t->exe = xstrdup(buf);
    }
}

static void on_death(TraceRun *r, pid_t tid, int status)
{
    Tracee *t = tracee_unlink(r, tid);
    if (tid == r->root_pid) {
        r->root_status = status;
        r->root_exited = true;
    }
    if (!t)
        return;
    if (t->pending) {
        TraceEvent *e = t->pending;     /* its syscall never returned */
        t->pending = NULL;
        run_finish_event(r, e);
    }
    if (!t->is_thread) {
        TraceEvent *e = event_new(EV_EXIT, "exit");
        e->pid = t->pid;
        e->tid = t->tid;
        e->ppid = t->ppid;
        e->exe = t->exe ? xstrdup(t->exe) : NULL;
        char buf[64];
        if (WIFEXITED(status))
            snprintf(buf, sizeof buf, "exited with %d", WEXITSTATUS(status));
        else
        {
            char sn[32];
            snprintf(buf, sizeof buf, "killed by %s", signal_name(WTERMSIG(status), sn, sizeof sn));
        }
        e->note = xstrdup(buf);
        e->has_result = true;
        e->result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        run_finish_event(r, e);
    }
    tracee_free(t);
}

/* A task can stop before its parent's clone event reaches us: the kernel does not
 * order the two. Until that event comes, /proc tells which process a new thread
 * belongs to, so that its first syscalls are not reported as a process of its own. */
static void task_identity_from_proc(Tracee *t)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%d/status", (int)t->tid);
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        int v;
        if (sscanf(line, "Tgid: %d", &v) == 1)
            t->pid = v;
        else if (sscanf(line, "PPid: %d", &v) == 1)
            t->ppid = v;
    }
    fclose(f);
    t->is_thread = t->pid != t->tid;
}

static bool is_stop_signal(int sig)
{
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void on_stop(TraceRun *r, pid_t tid, int status, bool killing)
{
    Tracee *t = tracee_get(r, tid);
    if (!t) {
        t = tracee_add(r, tid);         /* its parent's fork event has not come yet */
        task_identity_from_proc(t);
    }
    if (killing) {
        kill(tid, SIGKILL);
        ptrace(PTRACE_CONT, tid, 0, 0);
        return;
    }
    r->n_stops++;
    int sig = WSTOPSIG(status), event = (unsigned)status >> 16;
    if (!t->started) {
        t->started = true;
        if (event == PTRACE_EVENT_STOP) {   /* a new task's first stop */
            resume(t, 0);
            return;
        }
    }
    if (sig == (SIGTRAP | 0x80)) {
        on_syscall_stop(r, t);
        return;
    }
    if (event == PTRACE_EVENT_STOP) {
        if (is_stop_signal(sig))
            ptrace(PTRACE_LISTEN, tid, 0, 0);   /* group-stop: stay stopped */
        else
            resume(t, 0);
        return;
    }
    if (sig == SIGTRAP && event) {
        switch (event) {
        case PTRACE_EVENT_SECCOMP:
            on_seccomp_stop(r, t);
            return;
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
        case PTRACE_EVENT_CLONE:
            on_new_task(r, t, event);
            break;
        case PTRACE_EVENT_EXEC:
            on_exec(r, t);
            break;
        default:
            break;
        }
        if (r->stopped_reason)
            return;             /* on_new_task hit the process limit: all are dying */
        resume(t, 0);
        return;
    }
    resume(t, sig);             /* a signal on its way to the tracee: deliver it */
}

/* ---------------------------------------------------------------- the loop */

void tracer_loop(TraceRun *r)
{
    alarm_fired = 0;
    interrupted = 0;
    struct sigaction sa, old_alrm, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;           /* no SA_RESTART: waitpid returns EINTR */
    sigaction(SIGALRM, &sa, &old_alrm);
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    int old_subreaper = 0;
    prctl(PR_GET_CHILD_SUBREAPER, &old_subreaper);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (r->opt->timeout > 0) {
        /* The interval repeats the alarm in case the first lands outside waitpid. */
        struct itimerval it = { { 0, 200000 }, { (time_t)r->opt->timeout,
            (suseconds_t)((r->opt->timeout - (double)(time_t)r->opt->timeout) * 1e6) } };
        if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
            it.it_value.tv_usec = 1;
        setitimer(ITIMER_REAL, &it, NULL);
    }
    Tracee *root = tracee_add(r, r->root_pid);
    root->started = true;               /* seized while running: no first stop */
    root->ppid = getpid();
    r->n_processes = 1;
    bool killing = false;
    for (;;) {
        if (!killing && (alarm_fired || interrupted)) {
            char buf[160];
            if (alarm_fired)
                snprintf(buf, sizeof buf, "time limit of %g s reached (--timeout); the whole "
                         "tree was killed", r->opt->timeout);
            else
            {
                char sn[32];
                snprintf(buf, sizeof buf, "interrupted by %s; the whole tree was killed",
                         signal_name(interrupted, sn, sizeof sn));
            }
            stop_run(r, xstrdup(buf));
        }
        killing = r->stopped_reason != NULL;
        int status;
        pid_t tid = waitpid(-1, &status, __WALL);
        if (tid < 0) {
            if (errno == EINTR)
                continue;
            break;                      /* ECHILD: nobody left */
        }
        if (WIFEXITED(status) || WIFSIGNALED(status))
            on_death(r, tid, status);
        else if (WIFSTOPPED(status))
            on_stop(r, tid, status, killing);
    }
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    /* Anything still alive below us escaped both the table and waitpid: it must not
     * outlive the run. */
    size_t strays = kill_descendants();
    if (strays) {
        diag_add(&r->errors, DIAG_WARN, "Stray processes", NULL, 0, 0, NULL,
                 "%zu untraced descendant process(es) were still alive and were killed", strays);
        while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
            ;
    }
    for (size_t i = 0; i < r->table_cap; i++)
        if (r->table[i]) {
            tracee_free(r->table[i]);
            r->table[i] = NULL;
        }
    r->live_tasks = 0;
    prctl(PR_SET_CHILD_SUBREAPER, old_subreaper);
    sigaction(SIGALRM, &old_alrm, NULL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
}
