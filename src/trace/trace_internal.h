/* trace_internal.h: the private interface between the files of src/trace/.
 *
 * How a run flows:  cli.c parses options and loads the policy (policy.c); sandbox.c
 * makes the throw-away HOME with canaries (canary.c); launch.c forks the command into
 * a fresh network namespace and installs the seccomp filter (filter.c) once the tracer
 * has seized it; tracer.c runs the ptrace loop, syscalls.c turns each stop into an
 * event, reading tracee memory with tmem.c and decoding with decode.c; sink.c accepts
 * the connections made inside the namespace; verdict.c judges each finished event
 * against the policy; output.c writes the report and the event lines.
 *
 * Ownership: a TraceRun owns everything of one run; trace_run_free() releases it. */
#ifndef SLUICE_TRACE_INTERNAL_H
#define SLUICE_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/base.h"

/* Vectors passed between files need one name each (two VEC(T) are distinct types). */
typedef VEC(int) IntVec;
typedef VEC(char *) StrVec;

/* ================================================================ severities */

typedef enum Severity { SEV_NONE = 0, SEV_INFO, SEV_WARNING, SEV_ERROR } Severity;

const char *severity_name(Severity s);              /* "INFO", "WARNING", "ERROR" */
bool severity_parse(const char *s, Severity *out);  /* case-insensitive */

/* ================================================================ policy (policy.c) */

/* A command the policy names: the program's base name, and optionally an extended
 * regular expression its arguments (joined by single spaces) must match. */
typedef struct PolicyCommand {
    char *name;
    char *args_regex;       /* NULL: any arguments */
    void *compiled;         /* regex_t *, or NULL */
} PolicyCommand;

/* The kinds of violation; each has a severity in the policy. */
typedef enum RuleKind {
    RULE_SENSITIVE_PATH,    /* a sensitive file opened, removed, renamed or chmod'ed */
    RULE_SENSITIVE_COMMAND, /* env, printenv, a shell's `set`, curl, ... */
    RULE_SHELL_COMMAND,     /* sh -c SCRIPT */
    RULE_NETWORK,           /* a connection or datagram to a host not allowed */
    RULE_EXFILTRATION,      /* a canary value in sent bytes, an argv or a written file */
    RULE_EVASION,           /* io_uring, CLONE_UNTRACED, a foreign syscall ABI */
    RULE_COUNT
} RuleKind;

const char *rule_id(RuleKind k);            /* "sensitive-path", ... */
const char *rule_description(RuleKind k);

/* An allowed host: an IPv4 or IPv6 network (address and prefix length) and a port
 * (0: any port). */
typedef struct AllowedHost {
    int family;             /* AF_INET or AF_INET6 */
    uint8_t addr[16];
    int prefix;
    int port;
    char *text;             /* as written */
} AllowedHost;

typedef struct Policy {
    char *source;                       /* file name, or "(built-in)" */
    Severity severity[RULE_COUNT];
    VEC(char *) paths;                  /* globs; "~/" expanded by policy_expand_home */
    VEC(PolicyCommand) commands;
    VEC(char *) shells;                 /* base names of shells whose -c is examined */
    VEC(AllowedHost) allowed;
} Policy;

/* The default policy's YAML text (documented in docs/trace.md). */
extern const char policy_default_yaml[];

/* Loads a policy from YAML text. On error returns false with a message
 * "FILE:LINE:COL: what" in err. `name` is used in messages. */
bool policy_load_text(Policy *p, const char *name, const char *text, size_t len,
                      char *err, size_t errn);
bool policy_load_file(Policy *p, const char *path, char *err, size_t errn);
void policy_free(Policy *p);

/* Replaces each "~/X" glob by "H/X" for each home H given (the sandbox's HOME, the
 * user's real home, /root and every /home/NAME), so that absolute reads of the real home count. */
void policy_expand_home(Policy *p, const char *const *homes, size_t nhomes);

/* Glob match over paths: '*' and '?' stay within one component, '**' crosses
 * components, and a trailing slash-star-star also matches the directory itself. */
bool path_glob_match(const char *glob, const char *path);

/* The first sensitive-path glob matching path, or NULL. */
const char *policy_match_path(const Policy *p, const char *path);
/* Whether path is a directory above some sensitive path ("/", HOME, /etc, ...):
 * a link to it reaches sensitive files under other names. */
bool policy_is_ancestor(const Policy *p, const char *path);
/* Whether the command (base name + argument string) is a sensitive command. */
const PolicyCommand *policy_match_command(const Policy *p, const char *name, const char *args);
bool policy_is_shell(const Policy *p, const char *name);
/* Whether a connection to addr:port is allowed (addr: 4 or 16 bytes). */
bool policy_host_allowed(const Policy *p, int family, const uint8_t *addr, int port);

/* ================================================================ canaries (canary.c) */

#define CANARY_VARIANTS 6

typedef struct Canary {
    char *name;             /* "AWS_ACCESS_KEY_ID", "~/.aws/credentials" */
    char *where;            /* "env" or "file" */
    char *value;
    char *variants[CANARY_VARIANTS];   /* the value, its base64 at three alignments,
                                           hex; NULL ends */
} Canary;

typedef VEC(Canary) CanaryList;

/* Fills the list with fresh random canaries of realistic shape: environment variables
 * (cloud keys, tokens) and the secrets of the canary files. */
void canary_generate(CanaryList *l);
void canary_list_free(CanaryList *l);
/* Fills buf with n random characters from the alphabet. */
void canary_random_chars(char *buf, size_t n, const char *alphabet);
/* Base64 of data (standard alphabet, with padding), heap string. */
char *canary_base64(const unsigned char *data, size_t n);
/* Appends to hits (indexes into l) each canary that occurs in data in any variant,
 * once each; returns how many were found. */
size_t canary_scan(const CanaryList *l, const void *data, size_t n, IntVec *hits);

/* ================================================================ events */

typedef enum EventKind {
    EV_EXEC, EV_OPEN, EV_CONNECT, EV_BIND, EV_SEND, EV_UNLINK, EV_RENAME, EV_CHMOD,
    EV_LINK,        /* symlink or hard link: path is the target, path2 the new name */
    EV_DENIED,      /* a syscall the tracer refused (io_uring, CLONE_UNTRACED, ABI) */
    EV_SPAWN,       /* a new process or thread */
    EV_EXIT,        /* a process ended */
    EV_SINK,        /* bytes the sink received on a connection */
    EV_FILE,        /* a file written outside the sandbox, scanned after the run */
} EventKind;

/* A decoded socket address. */
typedef struct SockAddr {
    int family;             /* AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, ...; 0: none */
    uint8_t addr[16];       /* network order */
    int port;
    char text[128];         /* "127.0.0.1", "::1", a unix path, "netlink" */
} SockAddr;

/* One thing a traced process did. Strings are heap-owned by the event. */
typedef struct TraceEvent {
    long seq;
    double time;            /* seconds since the command started */
    pid_t pid, tid, ppid;
    char *exe;              /* the process's executable when the event happened */
    const char *syscall;    /* static name */
    EventKind kind;
    /* arguments */
    char *path;             /* open/exec/unlink/chmod/rename: as the program gave it */
    char *abspath;          /* made absolute against cwd or dirfd */
    char *path2, *abspath2; /* rename's destination */
    char *real_path;        /* open: what the new fd points to (from /proc at exit) */
    char *dirfd;            /* "AT_FDCWD" or "3 (/some/dir)" or NULL */
    long flags;             /* open flags, chmod mode, clone flags */
    long mode;
    StrVec argv;            /* exec */
    int fd;                 /* socket events */
    int sock_type;          /* SOCK_STREAM, SOCK_DGRAM, 0 unknown */
    SockAddr addr;          /* destination (connect, send) or bound address */
    unsigned char *data;    /* send / sink: first bytes (at most TRACE_DATA_KEEP) */
    size_t data_len;        /* bytes kept */
    size_t data_total;      /* bytes the syscall carried */
    char *dns_query;        /* a DNS question name found in the data */
    char *note;             /* denied: why; spawn: how; exit: status text */
    long child;             /* spawn: the new pid */
    /* result */
    bool has_result;
    long result;            /* return value, or -errno */
    IntVec canaries;        /* indexes of canaries found in data, argv or file */
    bool root;              /* the command's own first exec */
    int refs;               /* violations holding this event */
} TraceEvent;

#define TRACE_DATA_KEEP 256         /* bytes kept in an event for display */
#define TRACE_SCAN_MAX (1u << 20)   /* bytes of one send read for canary scanning */

TraceEvent *event_new(EventKind kind, const char *syscall);
void event_free(TraceEvent *e);
/* Copies at most TRACE_DATA_KEEP bytes into e->data and records total. */
void event_keep_data(TraceEvent *e, const void *data, size_t n, size_t total);

/* ================================================================ decoding (decode.c) */

/* Decodes a struct sockaddr of len bytes. Returns false for a malformed one. */
bool decode_sockaddr(const void *sa, size_t len, SockAddr *out);
bool sockaddr_is_loopback(const SockAddr *a);
/* "O_WRONLY|O_CREAT|O_CLOEXEC" into buf. */
void decode_open_flags(long flags, char *buf, size_t n);
bool open_flags_write(long flags);
/* The question name of a DNS query packet, heap string, or NULL. With tcp the
 * packet starts with a two-byte length. */
char *decode_dns_query(const unsigned char *p, size_t n, bool tcp);
/* Joins base and path and removes ".", ".." and repeated '/' lexically. Heap. */
char *path_join_normalize(const char *base, const char *path);
/* "SIGKILL", or "signal 99", written into buf. */
const char *signal_name(int sig, char *buf, size_t n);
/* Name of errno value e ("ENOENT"), or NULL when unknown. */
const char *errno_name(int e);

/* The simple commands of a shell script, each as its words; used to see `set` or
 * `env` inside `sh -c SCRIPT`. Quotes are removed; substitutions $(...) and `...`
 * are looked into. */
typedef VEC(char *) Words;
typedef VEC(Words) ShellCommands;
void shell_split(const char *script, ShellCommands *out);
void shell_commands_free(ShellCommands *c);

/* ================================================================ tracee memory (tmem.c) */

/* Reads n bytes at addr of process pid into buf. Returns bytes read (less than n at
 * an unmapped page). Never crosses into a page it has not asked for. */
size_t tmem_read(pid_t pid, uint64_t addr, void *buf, size_t n);
/* Reads a NUL-terminated string of at most max bytes; heap. NULL when addr is
 * unreadable. *truncated set when no NUL was found within max. */
char *tmem_read_string(pid_t pid, uint64_t addr, size_t max, bool *truncated);
/* Reads a NULL-terminated array of string pointers (argv), at most max_items. */
bool tmem_read_argv(pid_t pid, uint64_t addr, size_t max_items, StrVec *out);

/* ================================================================ seccomp filter (filter.c) */

/* SECCOMP_RET_DATA values the filter attaches to SECCOMP_RET_TRACE. */
enum {
    FILTER_DATA_TRACE = 1,      /* an ordinary syscall of interest */
    FILTER_DATA_UNTRACED = 2,   /* clone with CLONE_UNTRACED: refuse */
    FILTER_DATA_IO_URING = 3,   /* io_uring_*: refuse */
    FILTER_DATA_FOREIGN = 4,    /* wrong architecture or the x32 ABI: refuse */
};

typedef struct FilterProgram {
    void *filter;               /* struct sock_filter[] */
    unsigned short len;
} FilterProgram;

/* Builds the BPF program. With capture_writes, write/writev/pwrite on any fd also
 * stop (so that bytes written to sockets are seen). */
bool filter_build(FilterProgram *out, bool capture_writes, char *err, size_t errn);
void filter_free(FilterProgram *f);
/* Installs the program in the calling process (async-signal-safe: raw syscalls). */
int filter_install(const FilterProgram *f, bool set_no_new_privs);
/* Whether syscall number nr (x86_64) is stopped on by the filter. */
bool filter_traces(int nr, bool capture_writes);

/* ================================================================ sandbox (sandbox.c) */

typedef struct Sandbox {
    bool enabled;
    char *root;             /* the throw-away directory */
    char *home;             /* HOME inside it */
    char *real_home;        /* the invoking user's home */
    CanaryList canaries;
    VEC(char *) env;        /* the tracee's environment, NULL-terminated when launched */
} Sandbox;

/* Builds the tracee's environment from environ: without anything naming the tracer
 * (SLUICE*), and, when the sandbox is on, with HOME moved and the canary variables
 * added. Creates the directory and canary files when enabled. */
bool sandbox_create(Sandbox *s, bool enabled, char *err, size_t errn);
void sandbox_destroy(Sandbox *s);       /* removes the directory, frees */
/* In the child: brings the loopback interface up (in the new namespace). */
int sandbox_loopback_up(void);
/* Whether path lies inside the sandbox directory. */
bool sandbox_contains(const Sandbox *s, const char *path);

/* ================================================================ sink (sink.c) */

typedef struct Sink Sink;
typedef struct SinkCapture {
    SockAddr dest;          /* the listener's address: where the tracee connected */
    int sock_type;
    unsigned char *data;    /* up to TRACE_SCAN_MAX bytes */
    size_t len, total;
    double time;
} SinkCapture;

typedef VEC(SinkCapture) SinkCaptureList;

/* Starts the sink thread inside the network namespace netns_fd (not closed). */
Sink *sink_start(int netns_fd, double t0, char *err, size_t errn);
/* Makes sure a listener answers addr:port (TCP) in the namespace; synchronous. */
void sink_listen(Sink *s, const SockAddr *addr, int sock_type);
/* Stops the thread after draining, and hands over what was received. */
void sink_stop(Sink *s, SinkCaptureList *out);
void sink_capture_free(SinkCapture *c);

/* ================================================================ the run */

typedef struct TraceOptions {
    const char *policy_file;        /* NULL: built-in */
    const char *events_file;        /* --events */
    const char *output_file;        /* -o; NULL: stdout */
    const char *command_output;     /* --command-output; NULL: stderr */
    enum { OUT_TEXT, OUT_JSON, OUT_SARIF } format;
    double timeout;                 /* seconds; 0: none */
    int max_procs;                  /* live tasks at once */
    bool sandbox;
    bool sink;
    bool capture_writes;
    Severity fail_on;               /* SEV_NONE: never fail on violations */
    char **argv;                    /* the command */
    int argc;
} TraceOptions;

typedef struct Violation {
    RuleKind rule;
    Severity severity;
    char *subject;          /* what: a path, a command, "127.0.0.1:9/tcp" */
    char *message;
    VEC(TraceEvent *) events;   /* at most 20; more_events counts the rest */
    size_t more_events;
    IntVec canaries;        /* exfiltration: which canaries */
    bool succeeded;         /* some event behind it succeeded (not only attempts) */
} Violation;

typedef struct Tracee Tracee;

typedef struct TraceRun {
    const TraceOptions *opt;
    Policy *policy;
    Sandbox *sandbox;
    FILE *events_out;           /* --events, or NULL */
    double t0;                  /* monotonic start */
    long next_seq;
    /* tracer state */
    pid_t root_pid;
    bool root_execed;           /* the command's own exec has succeeded */
    int launch_fd, go_fd;       /* pipes to the child before its exec; -1 when closed */
    Tracee **table;             /* open-addressing map tid -> Tracee */
    size_t table_cap, live_tasks;
    Sink *sink;
    /* results */
    VEC(Violation) violations;
    VEC(TraceEvent *) kept;     /* events some violation refers to */
    VEC(char *) written;        /* real paths opened for writing outside the sandbox */
    long n_events, n_processes, n_threads, n_stops;
    double elapsed;             /* seconds the command ran */
    int root_status;            /* wait status of the command */
    bool root_exited;
    char *stopped_reason;       /* "time limit of 2 s reached", ..., or NULL */
    DiagList errors;
} TraceRun;

/* launch.c: forks the command and seizes it; it waits until launch_go(). Returns
 * the pid or -1 (with a message). With the sandbox, *netns_fd is its namespace. */
pid_t launch_command(TraceRun *r, const FilterProgram *prog, int *netns_fd,
                     char *err, size_t errn);
bool launch_go(TraceRun *r);
/* After the run: whether the child failed between fork and exec, and why. */
bool launch_failure(TraceRun *r, char *err, size_t errn);
/* Finds a command on PATH the way execvp would; heap path or NULL. */
char *launch_resolve(const char *cmd, const char *path_env);

/* tracer.c: runs the ptrace loop until every tracee is gone. */
void tracer_loop(TraceRun *r);
/* Kills every known tracee and any other descendant. */
void tracer_kill_all(TraceRun *r);

/* syscalls.c: what a stop in a syscall means. */
struct __ptrace_syscall_info;
/* At a seccomp stop: decodes the entry; returns whether the exit stop is wanted.
 * Sets *deny_errno to refuse the call. */
bool syscall_entry(TraceRun *r, Tracee *t, const struct __ptrace_syscall_info *si,
                   int *deny_errno);
void syscall_exit(TraceRun *r, Tracee *t, const struct __ptrace_syscall_info *si);
/* The event is complete: write it, judge it, keep or free it. */
void run_finish_event(TraceRun *r, TraceEvent *e);
double run_now(const TraceRun *r);

/* A traced task (thread). */
struct Tracee {
    pid_t tid, pid, ppid;
    bool started;           /* its first stop has been seen */
    bool in_syscall;        /* waiting for the exit of the syscall in `pending` */
    bool is_thread;
    TraceEvent *pending;
    char *exe;              /* heap */
    int pidfd;              /* for pidfd_getfd; -1 until needed */
};

/* verdict.c */
void verdict_observe(TraceRun *r, TraceEvent *e);
void verdict_scan_written_files(TraceRun *r);
void verdict_add_sink(TraceRun *r, SinkCapture *c);
void violation_free(Violation *v);
size_t verdict_count(const TraceRun *r, Severity at_least);

/* output.c */
void output_event_line(FILE *f, const TraceRun *r, const TraceEvent *e);
void output_text(FILE *f, const TraceRun *r);
void output_json(FILE *f, const TraceRun *r);
void output_sarif(FILE *f, const TraceRun *r);
/* The command's status as text: "exited with 0", "killed by SIGKILL". */
void output_status_text(const TraceRun *r, char *buf, size_t n);
/* One line saying what the event was, strace-like: `openat("/x", O_RDONLY) = 3`. */
void output_event_summary(const TraceRun *r, const TraceEvent *e, StrBuf *b);

/* cli.c */
int trace_execute(const TraceOptions *opt);

#endif
