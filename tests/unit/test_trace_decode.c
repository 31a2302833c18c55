/* test_trace_decode.c: the tracer's pure decoders: socket addresses, open flags, DNS
 * questions, path normalisation, errno names and the commands inside shell scripts. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "testutil.h"
#include "trace/trace_internal.h"

static void test_sockaddr_inet(void **state)
{
    (void)state;
    struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(9) };
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    SockAddr a;
    assert_true(decode_sockaddr(&in, sizeof in, &a));
    assert_int_equal(a.family, AF_INET);
    assert_int_equal(a.port, 9);
    assert_string_equal(a.text, "127.0.0.1");
    assert_true(sockaddr_is_loopback(&a));
    /* too short for its family */
    assert_false(decode_sockaddr(&in, 4, &a));
}

static void test_sockaddr_inet6_and_mapped(void **state)
{
    (void)state;
    struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
    inet_pton(AF_INET6, "2001:db8::1", &in6.sin6_addr);
    SockAddr a;
    assert_true(decode_sockaddr(&in6, sizeof in6, &a));
    assert_string_equal(a.text, "2001:db8::1");
    assert_int_equal(a.port, 443);
    assert_false(sockaddr_is_loopback(&a));
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
    decode_sockaddr(&in6, sizeof in6, &a);
    assert_true(sockaddr_is_loopback(&a));
    inet_pton(AF_INET6, "::1", &in6.sin6_addr);
    decode_sockaddr(&in6, sizeof in6, &a);
    assert_true(sockaddr_is_loopback(&a));
}

static void test_sockaddr_unix(void **state)
{
    (void)state;
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    strcpy(un.sun_path, "/var/run/docker.sock");
    SockAddr a;
    assert_true(decode_sockaddr(&un, offsetof(struct sockaddr_un, sun_path) + 21, &a));
    assert_string_equal(a.text, "/var/run/docker.sock");
    /* abstract names start with a NUL and are shown with '@' */
    memset(un.sun_path, 0, sizeof un.sun_path);
    memcpy(un.sun_path + 1, "abstract", 8);
    assert_true(decode_sockaddr(&un, offsetof(struct sockaddr_un, sun_path) + 9, &a));
    assert_string_equal(a.text, "@abstract");
}

static void test_open_flags(void **state)
{
    (void)state;
    char buf[256];
    decode_open_flags(O_RDONLY | O_CLOEXEC, buf, sizeof buf);
    assert_string_equal(buf, "O_RDONLY|O_CLOEXEC");
    decode_open_flags(O_WRONLY | O_CREAT | O_TRUNC, buf, sizeof buf);
    assert_string_equal(buf, "O_WRONLY|O_CREAT|O_TRUNC");
    assert_true(open_flags_write(O_WRONLY));
    assert_true(open_flags_write(O_RDONLY | O_CREAT));
    assert_false(open_flags_write(O_RDONLY | O_CLOEXEC | O_DIRECTORY));
}

static void test_dns_query(void **state)
{
    (void)state;
    /* id, flags (RD), 1 question; exfil.example.com A IN */
    const unsigned char q[] = {
        0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
        5, 'e', 'x', 'f', 'i', 'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
        0, 1, 0, 1,
    };
    char *name = decode_dns_query(q, sizeof q, false);
    assert_non_null(name);
    assert_string_equal(name, "exfil.example.com");
    free(name);
    /* over TCP it is preceded by its length */
    unsigned char t[2 + sizeof q] = { 0, sizeof q };
    memcpy(t + 2, q, sizeof q);
    name = decode_dns_query(t, sizeof t, true);
    assert_string_equal(name, "exfil.example.com");
    free(name);
    /* a response is not a query; a truncated packet is nothing */
    unsigned char resp[sizeof q];
    memcpy(resp, q, sizeof q);
    resp[2] |= 0x80;
    assert_null(decode_dns_query(resp, sizeof resp, false));
    assert_null(decode_dns_query(q, 20, false));
    assert_null(decode_dns_query(q, 5, false));
}

static void test_path_normalize(void **state)
{
    (void)state;
    struct { const char *base, *path, *want; } cases[] = {
        { "/home/u", ".bashrc", "/home/u/.bashrc" },
        { "/home/u", "/etc/./profile", "/etc/profile" },
        { "/a/b", "../../../etc//environment", "/etc/environment" },
        { "/proc", "self/../1/environ", "/proc/1/environ" },
        { "/", ".", "/" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = path_join_normalize(cases[i].base, cases[i].path);
        assert_string_equal(p, cases[i].want);
        free(p);
    }
}

static void test_errno_and_signal_names(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(errno_name(2), "ENOENT");
    assert_string_equal(errno_name(115), "EINPROGRESS");
    assert_null(errno_name(9999));
    assert_string_equal(signal_name(9, buf, sizeof buf), "SIGKILL");
}

/* The words of each command the script would run, joined by spaces. */
static char *commands_of(const char *script)
{
    ShellCommands c = { 0 };
    shell_split(script, &c);
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < c.n; i++) {
        if (i)
            sb_puts(&b, " | ");
        for (size_t k = 0; k < c.v[i].n; k++)
            sb_printf(&b, "%s%s", k ? " " : "", c.v[i].v[k]);
    }
    shell_commands_free(&c);
    if (!b.s)
        sb_puts(&b, "");
    return sb_take(&b);
}

static void test_shell_split(void **state)
{
    (void)state;
    struct { const char *script, *want; } cases[] = {
        { "set", "set" },
        { "set -e; env > /tmp/x", "set -e | env > /tmp/x" },
        { "a && b || c", "a | b | c" },
        { "echo \"$(printenv HOME)\"", "printenv HOME | echo $()" },
        { "echo `env`", "env | echo $()" },
        { "curl -d 'a b' http://x # comment", "curl -d a b http://x" },
        { "if true; then set; fi", "if true | then set | fi" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = commands_of(cases[i].script);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sockaddr_inet),
        cmocka_unit_test(test_sockaddr_inet6_and_mapped),
        cmocka_unit_test(test_sockaddr_unix),
        cmocka_unit_test(test_open_flags),
        cmocka_unit_test(test_dns_query),
        cmocka_unit_test(test_path_normalize),
        cmocka_unit_test(test_errno_and_signal_names),
        cmocka_unit_test(test_shell_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
