#include <alloca.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int shared_count;
static int local_count;

void loops(int n, char **v)
{
    while (n-- > 0) {
        /* ruleid: c-inside-loop */
        v[n] = malloc(16);
    }
    for (int i = 0; i < n; i++) {
        /* ruleid: c-inside-loop */
        v[i] = malloc(32);
    }
    /* ok: c-inside-loop */
    v[0] = malloc(8);
}

void counters(void)
{
    /* ruleid: c-not-inside-lock */
    shared_count++;
    /* ok: c-not-inside-lock */
    local_count++;
    pthread_mutex_lock(&lock);
    /* ok: c-not-inside-lock */
    shared_count++;
    pthread_mutex_unlock(&lock);
}

/* ruleid: c-regex */
static const char *key = "-----BEGIN RSA PRIVATE KEY-----\nMIIB...";
/* ok: c-regex */
static const char *cert = "-----BEGIN CERTIFICATE-----\nMIIC...";

void names(char *p)
{
    /* ruleid: c-not-regex */
    unsafe_parse(p);
    /* ok: c-not-regex */
    unsafe_parse(NULL);
    /* ok: c-not-regex */
    safe_parse(p);
}

void stack(size_t n, size_t m)
{
    /* ruleid: c-mv-pattern */
    char *a = alloca(n * m);
    /* ruleid: c-mv-pattern */
    char *b = alloca(n + 1);
    /* ok: c-mv-pattern */
    char *c = alloca(64);
    /* an array size is part of the declared type's text: $N cannot bind it yet */
    /* todoruleid: c-mv-comparison */
    char big[8192];
    /* ok: c-mv-comparison */
    char small[128];
    a[0] = b[0] = c[0] = big[0] = small[0] = 0;
}

void reads(int fd, char *buf, size_t want)
{
    read(fd, buf,
         /* ruleid: c-focus */
         want);
    /* ok: c-focus */
    read(fd, buf, 64);
}

void quit(void)
{
    /* ok: c-paths */
    exit(1);
}

void run(const char *cmd)
{
    system(cmd); /* nosemgrep */
    system(cmd); // nosemgrep: c-nosemgrep
    // nosemgrep: c-nosemgrep
    system(cmd);
    /* ruleid: c-nosemgrep */
    system(cmd); /* nosemgrep: other-rule */
}
