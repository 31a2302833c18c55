/* test_trace_sandbox.c: canaries (shape, freshness, search in plain, base64 and hex),
 * the sandbox's HOME and environment, the seccomp filter and reading tracee memory
 * across page edges. */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "trace/trace_internal.h"

static const Canary *find(const CanaryList *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

static void test_canary_shapes(void **state)
{
    (void)state;
    CanaryList a = { 0 }, b = { 0 };
    canary_generate(&a);
    canary_generate(&b);
    const Canary *k = find(&a, "AWS_ACCESS_KEY_ID");
    assert_non_null(k);
    assert_int_equal(strlen(k->value), 20);
    assert_true(str_starts_with(k->value, "AKIA"));
    assert_int_equal(strspn(k->value + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16);
    const Canary *g = find(&a, "GITHUB_TOKEN");
    assert_true(str_starts_with(g->value, "ghp_"));
    assert_int_equal(strlen(g->value), 40);
    assert_true(str_starts_with(find(&a, "SLACK_BOT_TOKEN")->value, "xoxb-"));
    assert_non_null(find(&a, "~/.ssh/id_rsa"));
    /* fresh on every run */
    for (size_t i = 0; i < a.n; i++)
        assert_string_not_equal(a.v[i].value, b.v[i].value);
    canary_list_free(&a);
    canary_list_free(&b);
}

static void test_canary_scan_encodings(void **state)
{
    (void)state;
    CanaryList l = { 0 };
    canary_generate(&l);
    const Canary *g = find(&l, "GITHUB_TOKEN");
    int gi = (int)(g - l.v);
    IntVec hits = { 0 };
    char text[512];
    snprintf(text, sizeof text, "token=%s&x=1", g->value);
    assert_int_equal(canary_scan(&l, text, strlen(text), &hits), 1);
    assert_int_equal(hits.v[0], gi);
    /* base64 of the value inside longer text, at each of the three alignments */
    for (int shift = 0; shift < 3; shift++) {
        char raw[256];
        snprintf(raw, sizeof raw, "%.*sGITHUB_TOKEN=%s\n", shift, "ab", g->value);
        char *enc = canary_base64((const unsigned char *)raw, strlen(raw));
        hits.n = 0;
        assert_int_equal(canary_scan(&l, enc, strlen(enc), &hits), 1);
        assert_int_equal(hits.v[0], gi);
        free(enc);
    }
    /* hex */
    char hex[256] = "";
    for (size_t i = 0; i < strlen(g->value); i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)g->value[i]);
    hits.n = 0;
    assert_int_equal(canary_scan(&l, hex, strlen(hex), &hits), 1);
    /* nothing in ordinary text */
    hits.n = 0;
    assert_int_equal(canary_scan(&l, "HOME=/root\nPATH=/usr/bin\n", 25, &hits), 0);
    VEC_FREE(hits);
    canary_list_free(&l);
}

static const char *env_get(const Sandbox *s, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i + 1 < s->env.n; i++)
        if (strncmp(s->env.v[i], name, n) == 0 && s->env.v[i][n] == '=')
            return s->env.v[i] + n + 1;
    return NULL;
}

static void test_sandbox_home_and_env(void **state)
{
    (void)state;
    setenv("SLUICE_SECRET_KNOB", "1", 1);
    setenv("GITHUB_TOKEN", "ghp_real_token_must_not_pass", 1);
    Sandbox s;
    char err[256];
    assert_true(sandbox_create(&s, true, err, sizeof err));
    assert_null(s.env.v[s.env.n - 1]);                  /* NULL-terminated for execve */
    assert_null(env_get(&s, "SLUICE_SECRET_KNOB"));     /* nothing names the tracer */
    assert_string_equal(env_get(&s, "HOME"), s.home);
    assert_true(str_starts_with(env_get(&s, "GITHUB_TOKEN"), "ghp_"));
    assert_string_not_equal(env_get(&s, "GITHUB_TOKEN"), "ghp_real_token_must_not_pass");
    assert_true(str_starts_with(env_get(&s, "AWS_ACCESS_KEY_ID"), "AKIA"));
    assert_null(strstr(s.root, "sluice"));
    /* the canary files exist and hold their canary */
    char path[512], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/.aws/credentials", s.home);
    assert_true(file_read_all(path, &data, &len, err, sizeof err));
    assert_contains(data, find(&s.canaries, "~/.aws/credentials")->value);
    free(data);
    snprintf(path, sizeof path, "%s/.ssh/id_rsa", s.home);
    assert_true(file_read_all(path, &data, &len, err, sizeof err));
    assert_contains(data, "BEGIN OPENSSH PRIVATE KEY");
    free(data);
    assert_true(sandbox_contains(&s, path));
    assert_false(sandbox_contains(&s, "/etc/passwd"));
    char *root = xstrdup(s.root);
    sandbox_destroy(&s);
    struct stat st;
    assert_int_equal(stat(root, &st), -1);              /* removed */
    free(root);
    unsetenv("SLUICE_SECRET_KNOB");
    unsetenv("GITHUB_TOKEN");
}

static void test_no_sandbox_env(void **state)
{
    (void)state;
    setenv("SLUICE_SECRET_KNOB", "1", 1);
    Sandbox s;
    char err[256];
    assert_true(sandbox_create(&s, false, err, sizeof err));
    assert_null(env_get(&s, "SLUICE_SECRET_KNOB"));
    assert_null(s.root);
    assert_int_equal(s.canaries.n, 0);
    sandbox_destroy(&s);
    unsetenv("SLUICE_SECRET_KNOB");
}

static void test_filter_without_tracer(void **state)
{
    (void)state;
    FilterProgram f;
    char err[256];
    assert_true(filter_build(&f, false, err, sizeof err));
    assert_true(f.len > 10);
    assert_true(filter_traces(SYS_openat, false));
    assert_true(filter_traces(SYS_execve, false));
    assert_false(filter_traces(SYS_read, false));
    assert_false(filter_traces(SYS_write, false));
    assert_true(filter_traces(SYS_write, true));
    /* In a child with no tracer: clone3 is ENOSYS by the filter itself, and a traced
     * call with nobody to stop for fails with ENOSYS too (seccomp's rule). getpid runs. */
    pid_t p = fork();
    if (p == 0) {
        if (filter_install(&f, true) != 0)
            _exit(10);
        if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
            _exit(11);
        if (syscall(SYS_openat, -100, "/", 0) != -1 || errno != ENOSYS)
            _exit(12);
        if (syscall(SYS_getpid) <= 0)
            _exit(13);
        _exit(0);
    }
    int st;
    assert_int_equal(waitpid(p, &st, 0), p);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    filter_free(&f);
}

/* A child holding strings at page edges, stopped so that we can read it. */
static void test_tmem_page_edges(void **state)
{
    (void)state;
    long ps = sysconf(_SC_PAGESIZE);
    /* pages: 0 and 1 readable, 2 a guard, 3 readable, 4 a guard */
    char *m = mmap(NULL, (size_t)ps * 5, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    const char *edge = "/ends/at/the/edge";
    char *a = m + ps * 2 - (strlen(edge) + 1);       /* NUL is the page's last byte */
    memcpy(a, edge, strlen(edge) + 1);
    char *b = m + ps - 5;                            /* crosses into the next page */
    memcpy(b, "/crosses/a/page/boundary", 25);
    char *c = m + ps * 4 - 4;                        /* no NUL before the guard page */
    memcpy(c, "abcd", 4);
    assert_int_equal(mprotect(m + ps * 2, (size_t)ps, PROT_NONE), 0);
    assert_int_equal(mprotect(m + ps * 4, (size_t)ps, PROT_NONE), 0);
    char *argv[] = { a, b, NULL };
    pid_t p = fork();
    if (p == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);           /* never outlive a failed test */
        raise(SIGSTOP);
        _exit(0);
    }
    int st;
    waitpid(p, &st, WUNTRACED);
    bool trunc;
    char *s = tmem_read_string(p, (uint64_t)(uintptr_t)a, 4096, &trunc);
    assert_non_null(s);
    assert_string_equal(s, edge);
    assert_false(trunc);
    free(s);
    s = tmem_read_string(p, (uint64_t)(uintptr_t)b, 4096, &trunc);
    assert_string_equal(s, "/crosses/a/page/boundary");
    free(s);
    s = tmem_read_string(p, (uint64_t)(uintptr_t)c, 4096, &trunc);
    assert_string_equal(s, "abcd");                  /* all there is before the fault */
    free(s);
    assert_null(tmem_read_string(p, (uint64_t)(uintptr_t)(m + ps * 2), 64, &trunc));
    /* a read that runs into the guard page returns the bytes before it */
    char buf[64];
    assert_int_equal(tmem_read(p, (uint64_t)(uintptr_t)(m + ps * 2 - 8), buf, sizeof buf), 8);
    assert_int_equal(tmem_read(p, (uint64_t)(uintptr_t)m, buf, sizeof buf), sizeof buf);
    /* argv arrays (made before the fork, so the child has it too) */
    StrVec out = { 0 };
    assert_true(tmem_read_argv(p, (uint64_t)(uintptr_t)argv, 16, &out));
    assert_int_equal(out.n, 2);
    assert_string_equal(out.v[0], edge);
    for (size_t i = 0; i < out.n; i++)
        free(out.v[i]);
    VEC_FREE(out);
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
    munmap(m, (size_t)ps * 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canary_shapes),
        cmocka_unit_test(test_canary_scan_encodings),
        cmocka_unit_test(test_sandbox_home_and_env),
        cmocka_unit_test(test_no_sandbox_env),
        cmocka_unit_test(test_filter_without_tracer),
        cmocka_unit_test(test_tmem_page_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
