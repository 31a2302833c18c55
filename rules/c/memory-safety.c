/* Annotated target of memory-safety.yml: each rule's true and false positives. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

struct user { char name[32]; char *bio; int id; };

void read_line(FILE *in, char *heap)
{
    char line[128];
    /* ruleid: c-gets */
    gets(line);
    /* ok: c-gets */
    fgets(line, sizeof line, in);
    /* ok: c-strcpy-fixed-buffer */
    strcpy(heap, line);
}

void copy_name(struct user *u, const char *input, char *out)
{
    char tmp[16];
    /* ruleid: c-strcpy-fixed-buffer */
    strcpy(tmp, input);
    /* ruleid: c-strcpy-fixed-buffer */
    strcat(tmp, input);
    /* ok: c-strcpy-fixed-buffer */
    strcpy(tmp, "guest");
    /* ruleid: c-strcpy-fixed-buffer */
    strcpy(u->name, input);
    /* ok: c-strcpy-fixed-buffer */
    strcpy(out, input);
    /* ok: c-strcpy-fixed-buffer */
    snprintf(tmp, sizeof tmp, "%s", input);
}

void format_out(char *buf, size_t n, const char *user, int id)
{
    char small[64];
    /* ruleid: c-sprintf-unbounded */
    sprintf(small, "user %s", user);
    /* ok: c-sprintf-unbounded */
    sprintf(small, "id %d (%5x) 100%%", id, id);
    /* ok: c-sprintf-unbounded */
    snprintf(buf, n, "user %s", user);
    /* ruleid: c-format-string */
    printf(user);
    /* ok: c-format-string */
    printf("%s", user);
    /* ruleid: c-format-string */
    fprintf(stderr, user);
    /* ok: c-format-string */
    fprintf(stderr, "%s\n", user);
    /* ruleid: c-format-string */
    syslog(LOG_WARNING, user);
    /* ok: c-format-string */
    syslog(LOG_WARNING, "login %s", user);
    /* ruleid: c-format-string */
    snprintf(buf, n, user);
    /* ok: c-format-string */
    snprintf(buf, n, "%d", id);
    /* ruleid: c-format-string, c-sprintf-unbounded */
    sprintf(small, user);
}

void log_args(const char *fmt, va_list ap)
{
    const char *prefix = "log: %s\n";
    /* ok: c-format-string */
    printf(prefix, fmt);
    /* ruleid: c-format-string */
    vprintf(fmt, ap);
}

int handle(unsigned char *dst, const unsigned char *msg, size_t len)
{
    /* ruleid: c-memcpy-param-size */
    memcpy(dst, msg, len);
    /* ruleid: c-memcpy-param-size */
    memmove(dst, msg + 4, len - 4);
    return 0;
}

int handle_checked(unsigned char *dst, const unsigned char *msg, size_t len)
{
    if (len > 64)
        return -1;
    /* ok: c-memcpy-param-size */
    memcpy(dst, msg, len);
    return 0;
}

int handle_guarded(unsigned char *dst, const unsigned char *msg, size_t len)
{
    if (len <= 64) {
        /* ok: c-memcpy-param-size */
        memcpy(dst, msg, len);
    }
    /* ok: c-memcpy-param-size */
    memcpy(dst, msg, 64);
    return 0;
}
