/* decode.c: turns raw syscall arguments into readable facts: socket addresses, open
 * flags, DNS questions, absolute paths, errno names and the commands of shell scripts.
 * Pure functions over bytes, so that tests can feed them directly. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "trace/trace_internal.h"

/* ---------------------------------------------------------------- socket addresses */

bool decode_sockaddr(const void *sa, size_t len, SockAddr *out)
{
    memset(out, 0, sizeof *out);
    if (len < sizeof(sa_family_t))
        return false;
    sa_family_t fam;
    memcpy(&fam, sa, sizeof fam);
    out->family = fam;
    if (fam == AF_INET) {
        struct sockaddr_in in;
        if (len < sizeof in)
            return false;
        memcpy(&in, sa, sizeof in);
        memcpy(out->addr, &in.sin_addr, 4);
        out->port = ntohs(in.sin_port);
        inet_ntop(AF_INET, &in.sin_addr, out->text, sizeof out->text);
    } else if (fam == AF_INET6) {
        struct sockaddr_in6 in6;
        if (len < sizeof in6)
            return false;
        memcpy(&in6, sa, sizeof in6);
        memcpy(out->addr, &in6.sin6_addr, 16);
        out->port = ntohs(in6.sin6_port);
        inet_ntop(AF_INET6, &in6.sin6_addr, out->text, sizeof out->text);
    } else if (fam == AF_UNIX) {
        const char *p = (const char *)sa + offsetof(struct sockaddr_un, sun_path);
        size_t n = len > offsetof(struct sockaddr_un, sun_path)
                 ? len - offsetof(struct sockaddr_un, sun_path) : 0;
        if (n > sizeof out->text - 2)
            n = sizeof out->text - 2;
        if (n > 0 && p[0] == '\0') {                 /* abstract: shown as @name */
            out->text[0] = '@';
            memcpy(out->text + 1, p + 1, n - 1);
            out->text[n] = '\0';
        } else {
            memcpy(out->text, p, n);
            out->text[n] = '\0';
            out->text[strnlen(out->text, n)] = '\0';
        }
    } else if (fam == AF_NETLINK) {
        strcpy(out->text, "netlink");
    } else {
        snprintf(out->text, sizeof out->text, "family %d", fam);
    }
    return true;
}

bool sockaddr_is_loopback(const SockAddr *a)
{
    static const uint8_t v6_loop[16] = { [15] = 1 };
    static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
    if (a->family == AF_INET)
        return a->addr[0] == 127;
    if (a->family == AF_INET6)
        return memcmp(a->addr, v6_loop, 16) == 0
            || (memcmp(a->addr, v4_mapped, 12) == 0 && a->addr[12] == 127);
    return false;
}

/* ---------------------------------------------------------------- open flags */

void decode_open_flags(long flags, char *buf, size_t n)
{
    static const struct { long bit; const char *name; } bits[] = {
        { O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
        { O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
        { O_DSYNC, "O_DSYNC" }, { O_DIRECT, "O_DIRECT" },
        { 0100000, "O_LARGEFILE" },     /* the kernel's bit; glibc defines 0 on 64-bit */
        { O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
        { O_NOATIME, "O_NOATIME" }, { O_CLOEXEC, "O_CLOEXEC" }, { O_PATH, "O_PATH" },
        { __O_TMPFILE, "O_TMPFILE" },
    };
    const char *acc = (flags & O_ACCMODE) == O_WRONLY ? "O_WRONLY"
                    : (flags & O_ACCMODE) == O_RDWR ? "O_RDWR" : "O_RDONLY";
    size_t len = (size_t)snprintf(buf, n, "%s", acc);
    long rest = flags & ~(long)O_ACCMODE;
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        if ((rest & bits[i].bit) == bits[i].bit && len < n) {
            len += (size_t)snprintf(buf + len, n - len, "|%s", bits[i].name);
            rest &= ~bits[i].bit;
        }
    }
    if (rest && len < n)
        snprintf(buf + len, n - len, "|%#lx", rest);
}

bool open_flags_write(long flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) != 0;
}

/* ---------------------------------------------------------------- DNS */

char *decode_dns_query(const unsigned char *p, size_t n, bool tcp)
{
    if (tcp) {
        if (n < 2)
            return NULL;
        p += 2; n -= 2;
    }
    if (n < 12)
        return NULL;
    unsigned flags = (unsigned)p[2] << 8 | p[3];
    unsigned qdcount = (unsigned)p[4] << 8 | p[5];
    if ((flags & 0x8000) || qdcount == 0)       /* a response, or no question */
        return NULL;
    StrBuf name;
    sb_init(&name);
    size_t i = 12;
    while (i < n && p[i] != 0) {
        unsigned len = p[i];
        if (len > 63 || i + 1 + len > n) {      /* compression or truncation: not a query */
            sb_free(&name);
            return NULL;
        }
        if (name.len)
            sb_putc(&name, '.');
        for (unsigned k = 0; k < len; k++) {
            unsigned char c = p[i + 1 + k];
            if (isalnum(c) || c == '-' || c == '_')
                sb_putc(&name, (char)c);
            else
                sb_printf(&name, "\\%03o", c);
        }
        i += 1 + len;
    }
    if (i >= n || name.len == 0) {
        sb_free(&name);
        return NULL;
    }
    return sb_take(&name);
}

/* ---------------------------------------------------------------- paths */

char *path_join_normalize(const char *base, const char *path)
{
    StrBuf in;
    sb_init(&in);
    if (path[0] != '/' && base) {
        sb_puts(&in, base);
        sb_putc(&in, '/');
    }
    sb_puts(&in, path);
    /* Components onto a stack; ".." pops one. */
    char *out = xmalloc(in.len + 2);
    size_t olen = 0;
    const char *s = in.s;
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t clen = (size_t)(e - s);
        if (clen == 0 || (clen == 1 && s[0] == '.')) {
            /* nothing */
        } else if (clen == 2 && s[0] == '.' && s[1] == '.') {
            while (olen > 0 && out[olen - 1] != '/')
                olen--;
            if (olen > 0)
                olen--;
        } else {
            out[olen++] = '/';
            memcpy(out + olen, s, clen);
            olen += clen;
        }
        s = e;
    }
    if (olen == 0)
        out[olen++] = '/';
    out[olen] = '\0';
    sb_free(&in);
    return out;
}

const char *errno_name(int e)
{
    switch (e) {
#define E(x) case x: return #x;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF)
    E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV)
    E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ETXTBSY) E(EFBIG)
    E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(ENAMETOOLONG) E(ENOSYS)
    E(ENOTEMPTY) E(ELOOP) E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE)
    E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL) E(ENETDOWN) E(ENETUNREACH)
    E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS) E(EISCONN) E(ENOTCONN) E(ETIMEDOUT)
    E(ECONNREFUSED) E(EHOSTUNREACH) E(EALREADY) E(EINPROGRESS) E(EOPNOTSUPP)
#undef E
    case 512: return "ERESTARTSYS";
    case 513: return "ERESTARTNOINTR";
    case 514: return "ERESTARTNOHAND";
    case 516: return "ERESTART_RESTARTBLOCK";
    default: return NULL;
    }
}

const char *signal_name(int sig, char *buf, size_t n)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, n, "SIG%s", abbrev);
    else
        snprintf(buf, n, "signal %d", sig);
    return buf;
}

/* ---------------------------------------------------------------- shell scripts */

/* A small reader of POSIX shell words: enough to find the command words of each
 * simple command. It is not a shell; it errs towards seeing more commands. */
typedef struct ShellReader {
    const char *s;
    ShellCommands *out;
    Words cur;
    StrBuf word;
    bool in_word;
} ShellReader;

static void shell_end_word(ShellReader *r)
{
    if (!r->in_word)
        return;
    VEC_PUSH(r->cur, sb_take(&r->word));
    r->in_word = false;
}

static void shell_end_command(ShellReader *r)
{
    shell_end_word(r);
    if (r->cur.n) {
        VEC_PUSH(*r->out, r->cur);
    }
    memset(&r->cur, 0, sizeof r->cur);
}

/* Copies the text of a $(...) or `...` substitution starting after its opener, and
 * splits it as a script of its own. Returns the position after the closer. */
static const char *shell_substitution(ShellReader *r, const char *p, char close)
{
    int depth = 1;
    const char *start = p;
    while (*p) {
        if (close == ')' && *p == '(')
            depth++;
        else if (*p == close && --depth == 0)
            break;
        p++;
    }
    char *inner = xstrndup(start, (size_t)(p - start));
    shell_split(inner, r->out);
    free(inner);
    sb_puts(&r->word, "$()");       /* the word holds output we cannot know */
    r->in_word = true;
    return *p ? p + 1 : p;
}

void shell_split(const char *script, ShellCommands *out)
{
    ShellReader r = { .s = script, .out = out };
    sb_init(&r.word);
    const char *p = script;
    while (*p) {
        char c = *p;
        if (c == '\\' && p[1]) {
            sb_putc(&r.word, p[1]); r.in_word = true; p += 2;
        } else if (c == '\'') {
            const char *e = strchr(p + 1, '\'');
            if (!e) e = p + strlen(p);
            sb_append(&r.word, p + 1, (size_t)(e - p - 1)); r.in_word = true;
            p = *e ? e + 1 : e;
        } else if (c == '"') {
            p++;
            r.in_word = true;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) { sb_putc(&r.word, p[1]); p += 2; }
                else if (*p == '$' && p[1] == '(') p = shell_substitution(&r, p + 2, ')');
                else if (*p == '`') p = shell_substitution(&r, p + 1, '`');
                else sb_putc(&r.word, *p++);
            }
            if (*p) p++;
        } else if (c == '$' && p[1] == '(') {
            p = shell_substitution(&r, p + 2, ')');
        } else if (c == '`') {
            p = shell_substitution(&r, p + 1, '`');
        } else if (c == '#' && !r.in_word) {
            while (*p && *p != '\n') p++;
        } else if (c == ' ' || c == '\t') {
            shell_end_word(&r); p++;
        } else if (c == ';' || c == '\n' || c == '&' || c == '|' || c == '(' || c == ')'
                   || c == '{' || c == '}') {
            if ((c == '{' || c == '}') && r.in_word) { sb_putc(&r.word, c); p++; continue; }
            shell_end_command(&r); p++;
        } else {
            sb_putc(&r.word, c); r.in_word = true; p++;
        }
    }
    shell_end_command(&r);
    sb_free(&r.word);
}

void shell_commands_free(ShellCommands *c)
{
    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->v[i].n; k++)
            free(c->v[i].v[k]);
        free(c->v[i].v);
    }
    VEC_FREE(*c);
}
