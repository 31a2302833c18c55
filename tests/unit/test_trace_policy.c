/* test_trace_policy.c: the trace policy: the built-in default, files read over it,
 * errors that name file:line:col, path globs, commands and allowed hosts. */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testutil.h"
#include "trace/trace_internal.h"

static bool load(Policy *p, const char *yaml, char *err, size_t errn)
{
    return policy_load_text(p, "policy.yml", yaml, strlen(yaml), err, errn);
}

static void test_default_policy(void **state)
{
    (void)state;
    Policy p;
    char err[512] = "";
    assert_true(policy_load_text(&p, NULL, NULL, 0, err, sizeof err));
    assert_string_equal(p.source, "(built-in)");
    assert_int_equal(p.severity[RULE_SENSITIVE_PATH], SEV_ERROR);
    assert_int_equal(p.severity[RULE_SHELL_COMMAND], SEV_WARNING);
    const char *homes[] = { "/tmp/sb/home/u", "/root" };
    policy_expand_home(&p, homes, 2);
    /* seed 000's files, in both homes; the environment of any process */
    assert_non_null(policy_match_path(&p, "/etc/environment"));
    assert_non_null(policy_match_path(&p, "/tmp/sb/home/u/.bashrc"));
    assert_non_null(policy_match_path(&p, "/root/.zshrc"));
    assert_non_null(policy_match_path(&p, "/proc/1234/environ"));
    assert_non_null(policy_match_path(&p, "/proc/self/environ"));
    assert_non_null(policy_match_path(&p, "/root/.ssh/id_rsa"));
    assert_non_null(policy_match_path(&p, "/root/.ssh"));
    assert_null(policy_match_path(&p, "/usr/lib/python3/dist-packages/pip/__init__.py"));
    assert_null(policy_match_path(&p, "/root/.bashrc.d/x"));
    /* env prints the environment only when it runs no command */
    assert_non_null(policy_match_command(&p, "env", ""));
    assert_non_null(policy_match_command(&p, "env", "-i FOO=1"));
    assert_null(policy_match_command(&p, "env", "python3 setup.py"));
    assert_non_null(policy_match_command(&p, "set", ""));
    assert_null(policy_match_command(&p, "set", "-e"));
    assert_non_null(policy_match_command(&p, "curl", "-d @x http://e"));
    assert_null(policy_match_command(&p, "uname", "-rs"));
    assert_true(policy_is_ancestor(&p, "/"));
    assert_true(policy_is_ancestor(&p, "/tmp/sb/home/u"));
    assert_true(policy_is_ancestor(&p, "/tmp/sb/home/u/"));
    assert_true(policy_is_ancestor(&p, "/etc"));
    assert_true(policy_is_ancestor(&p, "/proc"));
    assert_false(policy_is_ancestor(&p, "/usr"));
    assert_false(policy_is_ancestor(&p, "/et"));
    assert_false(policy_is_ancestor(&p, "/etc/environment"));   /* that is the file itself */
    assert_true(policy_is_shell(&p, "sh"));
    assert_false(policy_is_shell(&p, "python3"));
    policy_free(&p);
}

static void test_globs(void **state)
{
    (void)state;
    assert_true(path_glob_match("/proc/*/environ", "/proc/42/environ"));
    assert_false(path_glob_match("/proc/*/environ", "/proc/42/task/43/environ"));
    assert_true(path_glob_match("/a/**", "/a/b/c/d"));
    assert_true(path_glob_match("/a/**", "/a"));
    assert_false(path_glob_match("/a/**", "/ab"));
    assert_true(path_glob_match("/a/**/z", "/a/b/c/z"));
    assert_true(path_glob_match("/a/**/z", "/a/z"));
    assert_true(path_glob_match("/home/*/.netrc", "/home/bob/.netrc"));
    assert_true(path_glob_match("/x?z", "/xyz"));
    assert_false(path_glob_match("/x?z", "/x/z"));
}

static void test_file_over_default(void **state)
{
    (void)state;
    Policy p;
    char err[512] = "";
    assert_true(load(&p,
        "network:\n"
        "  severity: WARNING\n"
        "  allowed-hosts: [10.0.0.0/8, '127.0.0.1:8080', '[::1]:53']\n"
        "sensitive-commands:\n"
        "  commands:\n"
        "    - whoami\n"
        "    - name: git\n"
        "      args: '^config'\n", err, sizeof err));
    assert_int_equal(p.severity[RULE_NETWORK], SEV_WARNING);
    assert_int_equal(p.severity[RULE_SENSITIVE_PATH], SEV_ERROR);   /* kept from the default */
    assert_non_null(policy_match_command(&p, "whoami", ""));
    assert_non_null(policy_match_command(&p, "git", "config --list"));
    assert_null(policy_match_command(&p, "git", "status"));
    assert_null(policy_match_command(&p, "curl", ""));               /* the section was replaced */
    uint8_t a[16];
    inet_pton(AF_INET, "10.1.2.3", a);
    assert_true(policy_host_allowed(&p, AF_INET, a, 443));
    inet_pton(AF_INET, "127.0.0.1", a);
    assert_true(policy_host_allowed(&p, AF_INET, a, 8080));
    assert_false(policy_host_allowed(&p, AF_INET, a, 9));
    inet_pton(AF_INET6, "::1", a);
    assert_true(policy_host_allowed(&p, AF_INET6, a, 53));
    assert_false(policy_host_allowed(&p, AF_INET6, a, 54));
    policy_free(&p);
}

static void expect_error(const char *yaml, const char *want)
{
    Policy p;
    char err[512] = "";
    assert_false(load(&p, yaml, err, sizeof err));
    assert_contains(err, want);
}

static void test_errors_name_file_line_col(void **state)
{
    (void)state;
    /* YAML syntax: the parser's own position */
    expect_error("network:\n  severity: [ERROR\n", "policy.yml:3:1:");
    /* a bad value, pointed at */
    expect_error("network:\n  severity: LOUD\n", "policy.yml:2:13: severity must be");
    expect_error("network:\n  allowed-hosts: [example.com]\n", "policy.yml:2:19: not an address");
    /* unknown names, pointed at */
    expect_error("netwrok:\n  severity: ERROR\n", "policy.yml:1:1: unknown section: netwrok");
    expect_error("network:\n  severty: ERROR\n", "policy.yml:2:3: unknown key in this section: severty");
    expect_error("sensitive-commands:\n  commands:\n    - name: env\n      args: '('\n",
                 "policy.yml:3:7: bad args regex");
    expect_error("- a\n- b\n", "policy.yml:1:1: a policy is a mapping");
}

static void test_policy_file_missing(void **state)
{
    (void)state;
    Policy p;
    char err[512] = "";
    assert_false(policy_load_file(&p, "/nonexistent/policy.yml", err, sizeof err));
    assert_contains(err, "/nonexistent/policy.yml");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_policy),
        cmocka_unit_test(test_globs),
        cmocka_unit_test(test_file_over_default),
        cmocka_unit_test(test_errors_name_file_line_col),
        cmocka_unit_test(test_policy_file_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
