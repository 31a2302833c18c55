/* pagestr: opens paths whose strings sit at page edges, to test how the tracer reads
 * memory: one ends exactly at the end of a page followed by an unreadable page, one
 * crosses from one readable page into the next. The paths do not exist. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, (size_t)ps * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return 1;
    mprotect(m + ps * 2, (size_t)ps, PROT_NONE);
    const char *edge = "/nonexistent/edge-of-page-then-guard";
    size_t n = strlen(edge) + 1;
    char *a = m + ps * 2 - n;               /* its NUL is the last byte before the guard */
    memcpy(a, edge, n);
    const char *cross = "/nonexistent/crossing-from-one-page-into-the-next";
    char *b = m + ps - 10;                  /* starts 10 bytes before a page boundary */
    memcpy(b, cross, strlen(cross) + 1);
    open(a, O_RDONLY);
    open(b, O_RDONLY);
    return 0;
}
