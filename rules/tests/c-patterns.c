#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <syslog.h>
#include <unistd.h>

struct pkt { int len; char data[64]; };

static int check(int a, int b, struct pkt *p)
{
    /* ruleid: c-same-operands */
    if (a == a) return 1;
    /* ok: c-same-operands */
    if (a == b) return 2;
    /* ruleid: c-same-operands */
    return p->len == p->len;
}

void privileges(int uid, const char *who)
{
    /* ruleid: c-any-arg */
    setuid(uid);
    /* ok: c-any-arg */
    setgid(uid);
    /* ruleid: c-args-capture */
    syslog(LOG_ERR, "user %s", who);
    /* ruleid: c-args-capture */
    syslog(LOG_ERR);
    /* ok: c-args-capture */
    syslog(LOG_INFO, "user %s", who);
}

void files(const char *path)
{
    /* ruleid: c-args-last */
    open(path, O_CREAT);
    /* ok: c-args-last */
    open(path, O_CREAT, 0600);
    /* ruleid: c-args-middle */
    mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, -1, 0);
    /* ok: c-args-middle */
    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, -1, 0);
}

/* ruleid: c-params */
int fill(int fd, char *buf, size_t len)
{
    return read(fd, buf, len) > 0;
}

/* ok: c-params */
int fill2(int fd, char *buf, int len)
{
    return read(fd, buf, len) > 0;
}

void memory(char *p, char *q)
{
    /* ruleid: c-stmt-seq, c-stmt-seq-not */
    free(p);
    q[0] = 0;
    free(p);
}

void memory1(char *q)
{
    /* ok: c-stmt-seq */
    /* ruleid: c-stmt-seq-not */
    free(q);
    q[1] = 1;
    puts(q);
}

void memory2(char *r)
{
    /* ok: c-stmt-seq-not */
    free(r);
    r = malloc(sizeof *r);
    puts(r);
}

struct cmd { const char *name; int (*fn)(const char *); };
/* ruleid: c-initializer */
struct cmd shell_cmds[] = { { "run", system }, { "ls", NULL } };
/* ok: c-initializer */
struct cmd safe_cmds[] = { { "echo", puts } };

void output(const char *s)
{
    /* ruleid: c-any-string */
    printf("hello\n");
    /* ok: c-any-string */
    printf(s);
    /* ruleid: c-string-regex */
    fopen("/tmp/app.lock", "w");
    /* ok: c-string-regex */
    fopen("/var/lib/app.lock", "w");
}

char *copy(const char *s, struct pkt *hdr, char *dst)
{
    /* ruleid: c-deep */
    char *d = malloc(strlen(s) + 1);
    /* ok: c-deep */
    char *e = malloc(sizeof *hdr);
    /* ruleid: c-arrow-field */
    memcpy(dst, hdr->data, hdr->len);
    /* ok: c-arrow-field */
    memcpy(dst, hdr->data, sizeof hdr->data);
    free(e);
    return d;
}

int lengths(int n, int buf[], int size)
{
    /* ruleid: c-if-return */
    if (n < 0)
        return -1;
    /* ok: c-if-return */
    if (n > 0)
        return 1;
    int i;
    /* ruleid: c-loop */
    for (i = 0; i <= size; i++) { buf[i] = 0; }
    /* ok: c-loop */
    for (i = 0; i < size; i++) { buf[i] = 1; }
    return 0;
}

void typed(int count, long big, char *name, int *nums)
{
    /* ruleid: c-typed-int */
    malloc(count);
    /* ok: c-typed-int */
    malloc(big);
    /* ruleid: c-typed-ptr */
    strlen(name);
    /* ok: c-typed-ptr */
    strlen((const char *)nums);
}

static const int KEYLEN = 8;

void keys(unsigned char *k)
{
    /* ruleid: c-const-prop */
    set_key(k, KEYLEN);
    /* ruleid: c-const-prop */
    set_key(k, 8);
    /* ok: c-const-prop */
    set_key(k, 32);
}

int casts(void *ptr, long v)
{
    /* ruleid: c-cast */
    int a = (int)ptr;
    /* ok: c-cast */
    long b = (long)ptr;
    return a + (b > 0);
}
