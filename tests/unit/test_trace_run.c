/* test_trace_run.c: whole runs of `sluice trace` over the small programs of
 * tests/helpers, one for each robustness point of the tracer: time limit without
 * orphans, process limit, clone3, io_uring, CLONE_UNTRACED, a foreign ABI, vfork,
 * threads, exec (also from a second thread), zombies, strings at page edges, sent
 * bytes with canaries; and bad input: a missing command, a malformed policy.
 *
 * Each run calls trace_command() in this process with the JSON report written to a
 * file, and the test reads that report. Needs root (the sandbox's network namespace);
 * BUILD names the build directory holding tests/helpers. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "trace/trace.h"
#include "trace/trace_internal.h"

static char tmpdir[] = "/tmp/trace-test.XXXXXX";

static char *helper(const char *name)
{
    const char *build = getenv("BUILD");
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s/tests/helpers/%s", build && *build ? build : "build", name);
    return sb_take(&b);
}

static char *tmp_path(const char *name)
{
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "%s/%s", tmpdir, name);
    return sb_take(&b);
}

typedef struct Run {
    int rc;
    json_t *report;     /* NULL when no report was written */
    char *err;          /* what trace_command wrote to stderr */
} Run;

/* Runs: sluice trace --json -o REPORT --command-output OUT OPTS... -- HELPER ARGS...
 * opts and args end with NULL. */
static Run run_trace(const char *const *opts, const char *name, const char *const *args)
{
    char *report = tmp_path("report.json"), *out = tmp_path("command.out"),
         *errf = tmp_path("stderr.txt"), *prog = name[0] == '/' ? xstrdup(name) : helper(name);
    unlink(report);
    VEC(char *) argv = { 0 };
    const char *fixed[] = { "trace", "--json", "-o", report, "--command-output", out };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        VEC_PUSH(argv, (char *)fixed[i]);
    for (size_t i = 0; opts && opts[i]; i++)
        VEC_PUSH(argv, (char *)opts[i]);
    VEC_PUSH(argv, "--");
    VEC_PUSH(argv, prog);
    for (size_t i = 0; args && args[i]; i++)
        VEC_PUSH(argv, (char *)args[i]);
    VEC_PUSH(argv, NULL);
    /* stderr into a file for the duration */
    fflush(stderr);
    int saved = dup(2), fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
    Run r = { 0 };
    r.rc = trace_command((int)argv.n - 1, argv.v);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    size_t len;
    char e[128];
    if (!file_read_all(errf, &r.err, &len, e, sizeof e))
        r.err = xstrdup("");
    json_error_t jerr;
    r.report = json_load_file(report, 0, &jerr);
    VEC_FREE(argv);
    free(report);
    free(out);
    free(errf);
    free(prog);
    return r;
}

static void run_free(Run *r)
{
    json_decref(r->report);
    free(r->err);
}

static json_t *at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        print_error("report lacks %s\n", key);
    return v;
}

static long exit_code(const Run *r)
{
    json_t *c = json_object_get(at(r->report, "exit"), "code");
    return json_is_integer(c) ? (long)json_integer_value(c) : -1;
}

/* The first violation of this rule whose subject contains text (or any, if NULL). */
static json_t *violation(const Run *r, const char *rule, const char *text)
{
    size_t i;
    json_t *v;
    json_array_foreach(at(r->report, "violations"), i, v) {
        if (strcmp(json_string_value(json_object_get(v, "rule")), rule) == 0
            && (!text || strstr(json_string_value(json_object_get(v, "subject")), text)))
            return v;
    }
    return NULL;
}

/* The first violation of this rule whose message contains text. */
static json_t *violation_saying(const Run *r, const char *rule, const char *text)
{
    size_t i;
    json_t *v;
    json_array_foreach(at(r->report, "violations"), i, v) {
        if (strcmp(json_string_value(json_object_get(v, "rule")), rule) == 0
            && strstr(json_string_value(json_object_get(v, "message")), text))
            return v;
    }
    return NULL;
}

static bool alive(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", (int)pid);
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---------------------------------------------------------------- limits */

static void test_time_limit_kills_the_tree(void **state)
{
    (void)state;
    char *pidfile = tmp_path("daemon.pid");
    const char *opts[] = { "--timeout", "1", NULL };
    const char *args[] = { pidfile, NULL };
    double t0 = now_seconds();
    Run r = run_trace(opts, "hang", args);
    assert_true(now_seconds() - t0 < 10);
    assert_int_equal(r.rc, 3);
    assert_non_null(r.report);
    assert_contains(json_string_value(at(r.report, "stopped")), "time limit of 1 s");
    assert_string_equal(json_string_value(json_object_get(at(r.report, "exit"), "signal")), "SIGKILL");
    assert_contains(r.err, "time limit");
    /* the setsid daemon the program left behind is gone too */
    char *data, e[128];
    size_t len;
    assert_true(file_read_all(pidfile, &data, &len, e, sizeof e));
    pid_t daemon = (pid_t)atoi(data);
    free(data);
    assert_true(daemon > 0);
    assert_false(alive(daemon));
    run_free(&r);
    free(pidfile);
}

static void test_process_limit(void **state)
{
    (void)state;
    char *pids = tmp_path("forker.pids");
    const char *opts[] = { "--max-procs", "20", NULL };
    const char *args[] = { "500", pids, NULL };
    Run r = run_trace(opts, "forker", args);
    assert_int_equal(r.rc, 3);
    assert_contains(json_string_value(at(r.report, "stopped")), "process limit reached");
    assert_contains(r.err, "--max-procs");
    FILE *f = fopen(pids, "r");
    assert_non_null(f);
    int pid, n = 0;
    while (fscanf(f, "%d", &pid) == 1) {
        assert_false(alive(pid));
        n++;
    }
    fclose(f);
    assert_true(n >= 5 && n <= 21);
    run_free(&r);
    free(pids);
}

/* ---------------------------------------------------------------- refusals */

static void test_clone3_gets_enosys_and_libc_falls_back(void **state)
{
    (void)state;
    Run r = run_trace(NULL, "clone3", NULL);
    assert_int_equal(r.rc, 0);
    assert_int_equal(exit_code(&r), 0);      /* clone3 ENOSYS, then a thread via clone */
    assert_int_equal(json_integer_value(json_object_get(at(r.report, "stats"), "threads")), 1);
    run_free(&r);
}

static void test_io_uring_denied(void **state)
{
    (void)state;
    const char *opts[] = { "--fail-on", "ERROR", NULL };
    Run r = run_trace(opts, "io_uring", NULL);
    assert_int_equal(exit_code(&r), 0);      /* it saw EPERM */
    assert_non_null(violation(&r, "evasion", "io_uring_setup"));
    assert_int_equal(r.rc, 1);               /* --fail-on ERROR */
    run_free(&r);
}

static void test_clone_untraced_refused(void **state)
{
    (void)state;
    Run r = run_trace(NULL, "untraced", NULL);
    assert_int_equal(exit_code(&r), 0);      /* it saw EPERM, no child escaped */
    assert_non_null(violation(&r, "evasion", "clone"));
    run_free(&r);
}

static void test_foreign_abi_refused(void **state)
{
    (void)state;
    Run r = run_trace(NULL, "int80", NULL);
    /* int 0x80 exists only with IA32 emulation; without it the program dies of SIGSEGV
     * and there is nothing to refuse. */
    if (exit_code(&r) == 0)
        assert_non_null(violation(&r, "evasion", "foreign-abi"));
    else
        assert_null(violation(&r, "evasion", "foreign-abi"));
    run_free(&r);
}

/* ---------------------------------------------------------------- processes */

static void test_vfork_exec(void **state)
{
    (void)state;
    const char *args[] = { "/bin/sh", "-c", "exit 7", NULL };
    Run r = run_trace(NULL, "vforker", args);
    assert_int_equal(exit_code(&r), 7);      /* the vforked child's status came through */
    assert_int_equal(json_integer_value(json_object_get(at(r.report, "stats"), "processes")), 2);
    json_t *v = violation(&r, "shell-command", "sh -c exit 7");
    assert_non_null(v);
    json_t *ev = json_array_get(json_object_get(v, "events"), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "syscall")), "execve");
    assert_int_equal(json_integer_value(json_object_get(ev, "result")), 0);
    run_free(&r);
}

static void test_threads_followed(void **state)
{
    (void)state;
    /* each thread opens DIR/thread-K; DIR is a sensitive path here, so the opens are
     * reported with the thread that made them */
    char *pol = tmp_path("threads.yml");
    FILE *f = fopen(pol, "w");
    fprintf(f, "sensitive-paths:\n  paths: ['%s/t/**']\n", tmpdir);
    fclose(f);
    char *dir = tmp_path("t");
    const char *opts[] = { "--policy", pol, NULL };
    const char *args[] = { "8", dir, NULL };
    Run r = run_trace(opts, "threads", args);
    assert_int_equal(exit_code(&r), 0);
    assert_int_equal(json_integer_value(json_object_get(at(r.report, "stats"), "threads")), 8);
    int seen = 0;
    for (int k = 0; k < 8; k++) {
        char sub[32];
        snprintf(sub, sizeof sub, "/t/thread-%d", k);
        json_t *v = violation(&r, "sensitive-path", sub);
        if (!v)
            continue;
        json_t *ev = json_array_get(json_object_get(v, "events"), 0);
        assert_true(json_integer_value(json_object_get(ev, "tid"))
                    != json_integer_value(json_object_get(ev, "pid")));
        seen++;
    }
    assert_int_equal(seen, 8);
    run_free(&r);
    free(pol);
    free(dir);
}

static void exec_chain(const char *mode)
{
    char *pol = tmp_path("exec.yml");
    FILE *f = fopen(pol, "w");
    fprintf(f, "sensitive-paths:\n  paths: ['%s/target']\n", tmpdir);
    fclose(f);
    char *target = tmp_path("target");
    const char *opts[] = { "--policy", pol, NULL };
    const char *args[] = { "3", target, mode, NULL };
    Run r = run_trace(opts, "execchain", args);
    assert_int_equal(exit_code(&r), 0);
    json_t *v = violation(&r, "sensitive-path", "/target");
    assert_non_null(v);     /* the open made after three execs was still seen */
    json_t *ev = json_array_get(json_object_get(v, "events"), 0);
    assert_contains(json_string_value(json_object_get(ev, "exe")), "execchain");
    run_free(&r);
    free(pol);
    free(target);
}

static void test_exec_chain(void **state) { (void)state; exec_chain("plain"); }
static void test_exec_from_a_thread(void **state) { (void)state; exec_chain("thread"); }

static void test_zombies(void **state)
{
    (void)state;
    double t0 = now_seconds();
    Run r = run_trace(NULL, "zombies", NULL);
    assert_true(now_seconds() - t0 < 5);
    assert_int_equal(r.rc, 0);
    assert_int_equal(exit_code(&r), 0);
    assert_int_equal(json_integer_value(json_object_get(at(r.report, "stats"), "processes")), 8);
    assert_true(json_is_null(at(r.report, "stopped")));
    run_free(&r);
}

static void test_strings_at_page_edges(void **state)
{
    (void)state;
    char *pol = tmp_path("edges.yml");
    FILE *f = fopen(pol, "w");
    fprintf(f, "sensitive-paths:\n  paths: ['/nonexistent/**']\n");
    fclose(f);
    const char *opts[] = { "--policy", pol, NULL };
    Run r = run_trace(opts, "pagestr", NULL);
    assert_int_equal(exit_code(&r), 0);
    assert_non_null(violation(&r, "sensitive-path", "/nonexistent/edge-of-page-then-guard"));
    assert_non_null(violation(&r, "sensitive-path",
                              "/nonexistent/crossing-from-one-page-into-the-next"));
    run_free(&r);
    free(pol);
}

static void test_links_to_sensitive_files(void **state)
{
    (void)state;
    /* reading a secret under another name: a symlink to it, a hard link, a symlink to
     * HOME; the links are reported where they are made */
    char script[1024];
    snprintf(script, sizeof script,
             "ln -s \"$HOME/.ssh/id_rsa\" %s/key; cat %s/key >/dev/null; "
             "ln \"$HOME/.netrc\" %s/netrc; ln -s \"$HOME\" %s/h; cat %s/h/.bashrc >/dev/null; "
             "ln -s /usr/share %s/share",
             tmpdir, tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
    const char *args[] = { "-c", script, NULL };
    Run r = run_trace(NULL, "/bin/sh", args);
    assert_int_equal(exit_code(&r), 0);
    assert_non_null(violation(&r, "sensitive-path", "/.ssh/id_rsa"));
    assert_non_null(violation(&r, "sensitive-path", "/.netrc"));
    json_t *home = violation_saying(&r, "sensitive-path", "a directory holding sensitive files");
    assert_non_null(home);
    assert_true(str_ends_with(json_string_value(json_object_get(home, "subject")), "/home/builder"));
    assert_null(violation(&r, "sensitive-path", "/usr/share"));
    run_free(&r);
}

/* ---------------------------------------------------------------- network */

static void test_sent_canaries_dns_and_sink(void **state)
{
    (void)state;
    const char *args[] = { "8080", NULL };
    Run r = run_trace(NULL, "sender", args);
    assert_int_equal(exit_code(&r), 0);
    json_t *dns = violation(&r, "network", "127.0.0.1:53/udp");
    assert_non_null(dns);
    assert_contains(json_string_value(json_object_get(dns, "message")), "exfil.example.com");
    assert_non_null(violation(&r, "network", "127.0.0.1:8080/tcp"));
    json_t *ex = violation(&r, "exfiltration", "127.0.0.1:8080/tcp");
    assert_non_null(ex);
    json_t *c = json_array_get(json_object_get(ex, "canaries"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "name")), "GITHUB_TOKEN");
    assert_true(str_starts_with(json_string_value(json_object_get(c, "value")), "ghp_"));
    /* both the sendmsg (split over iovecs) and the sink's bytes prove it */
    bool by_sendmsg = false, by_sink = false;
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(ex, "events"), i, ev) {
        by_sendmsg |= strcmp(json_string_value(json_object_get(ev, "syscall")), "sendmsg") == 0;
        by_sink |= strcmp(json_string_value(json_object_get(ev, "syscall")), "sink") == 0;
    }
    assert_true(by_sendmsg);
    assert_true(by_sink);
    run_free(&r);
}

/* ---------------------------------------------------------------- environment */

static void test_environment_hides_the_tracer(void **state)
{
    (void)state;
    setenv("SLUICE_TEST_MARK", "1", 1);
    const char *args[] = { NULL };
    Run r = run_trace(NULL, "/usr/bin/env", args);
    unsetenv("SLUICE_TEST_MARK");
    char *out = tmp_path("command.out"), *data, e[128];
    size_t len;
    assert_true(file_read_all(out, &data, &len, e, sizeof e));
    assert_not_contains(data, "SLUICE");
    assert_contains(data, "AWS_ACCESS_KEY_ID=AKIA");
    assert_contains(data, "HOME=/tmp/tmp.");
    free(data);
    free(out);
    run_free(&r);
}

/* ---------------------------------------------------------------- bad input */

static void test_missing_command(void **state)
{
    (void)state;
    Run r = run_trace(NULL, "/nonexistent/no-such-command", NULL);
    assert_int_equal(r.rc, 2);
    assert_null(r.report);
    assert_contains(r.err, "command not found: /nonexistent/no-such-command");
    run_free(&r);
    const char *argv[] = { "trace", "--", "no-such-command-anywhere", NULL };
    fflush(stderr);
    assert_int_equal(trace_command(3, (char **)argv), 2);
}

static void test_malformed_policy(void **state)
{
    (void)state;
    char *pol = tmp_path("bad.yml");
    FILE *f = fopen(pol, "w");
    fprintf(f, "sensitive-paths:\n  severity: ERROR\n  paths: [/etc/x\n");
    fclose(f);
    const char *opts[] = { "--policy", pol, NULL };
    Run r = run_trace(opts, "zombies", NULL);
    assert_int_equal(r.rc, 2);
    assert_null(r.report);
    char want[512];
    snprintf(want, sizeof want, "bad policy: %s:4:1:", pol);
    assert_contains(r.err, want);
    run_free(&r);
    f = fopen(pol, "w");
    fprintf(f, "network:\n  allowed-hosts: [10.0.0.0/8]\n  severity: FATAL\n");
    fclose(f);
    r = run_trace(opts, "zombies", NULL);
    assert_int_equal(r.rc, 2);
    snprintf(want, sizeof want, "%s:3:13: severity must be", pol);
    assert_contains(r.err, want);
    run_free(&r);
    free(pol);
}

static void test_usage_errors(void **state)
{
    (void)state;
    const char *a1[] = { "trace", NULL };
    const char *a2[] = { "trace", "--timeout", "soon", "--", "/bin/true", NULL };
    const char *a3[] = { "trace", "--fail-on", "LOUD", "--", "/bin/true", NULL };
    const char *a4[] = { "trace", "--bogus", "--", "/bin/true", NULL };
    fflush(stderr);
    int saved = dup(2), fd = open("/dev/null", O_WRONLY);
    dup2(fd, 2);
    close(fd);
    int r1 = trace_command(1, (char **)a1), r2 = trace_command(5, (char **)a2),
        r3 = trace_command(5, (char **)a3), r4 = trace_command(4, (char **)a4);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(r1, 2);
    assert_int_equal(r2, 2);
    assert_int_equal(r3, 2);
    assert_int_equal(r4, 2);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmpdir))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    if (geteuid() != 0) {
        printf("test_trace_run: skipped, the sandbox needs root\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_limit_kills_the_tree),
        cmocka_unit_test(test_process_limit),
        cmocka_unit_test(test_clone3_gets_enosys_and_libc_falls_back),
        cmocka_unit_test(test_io_uring_denied),
        cmocka_unit_test(test_clone_untraced_refused),
        cmocka_unit_test(test_foreign_abi_refused),
        cmocka_unit_test(test_vfork_exec),
        cmocka_unit_test(test_threads_followed),
        cmocka_unit_test(test_exec_chain),
        cmocka_unit_test(test_exec_from_a_thread),
        cmocka_unit_test(test_zombies),
        cmocka_unit_test(test_strings_at_page_edges),
        cmocka_unit_test(test_links_to_sensitive_files),
        cmocka_unit_test(test_sent_canaries_dns_and_sink),
        cmocka_unit_test(test_environment_hides_the_tracer),
        cmocka_unit_test(test_missing_command),
        cmocka_unit_test(test_malformed_policy),
        cmocka_unit_test(test_usage_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
