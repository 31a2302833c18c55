/* tmem.c: reads a stopped tracee's memory with process_vm_readv.
 *
 * process_vm_readv stops at the first page it cannot read and returns what it got, so
 * a read is cut into page-sized pieces: a string that ends just before an unmapped page
 * is still read whole, and a fault costs only the pieces after it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "trace/trace_internal.h"

static size_t page_size(void)
{
    static size_t ps;
    if (!ps) {
        long v = sysconf(_SC_PAGESIZE);
        ps = v > 0 ? (size_t)v : 4096;
    }
    return ps;
}

size_t tmem_read(pid_t pid, uint64_t addr, void *buf, size_t n)
{
    /* The remote side is given one iovec per page: the man page promises partial
     * transfers only at iovec granularity, so a range that runs into an unmapped page
     * still returns every byte before it. */
    enum { PIECES = 64 };
    size_t ps = page_size();
    size_t done = 0;
    while (done < n) {
        struct iovec remote[PIECES];
        int k = 0;
        size_t batch = 0;
        uint64_t a = addr + done;
        while (k < PIECES && done + batch < n) {
            size_t chunk = ps - (size_t)((a + batch) % ps);
            if (chunk > n - done - batch)
                chunk = n - done - batch;
            remote[k].iov_base = (void *)(uintptr_t)(a + batch);
            remote[k].iov_len = chunk;
            batch += chunk;
            k++;
        }
        struct iovec local = { (char *)buf + done, batch };
        ssize_t got = process_vm_readv(pid, &local, 1, remote, (unsigned long)k, 0);
        if (got <= 0)
            break;
        done += (size_t)got;
        if ((size_t)got < batch)
            break;                  /* an unreadable page: the rest is beyond it */
    }
    return done;
}

char *tmem_read_string(pid_t pid, uint64_t addr, size_t max, bool *truncated)
{
    if (truncated)
        *truncated = false;
    if (addr == 0)
        return NULL;
    size_t ps = page_size();
    StrBuf sb;
    sb_init(&sb);
    char page[4096];
    uint64_t a = addr;
    while (sb.len < max) {
        /* Never ask past the current page: the next one may be unmapped, and the
         * string may well end before it. */
        size_t chunk = ps - (size_t)(a % ps);
        if (chunk > sizeof page)
            chunk = sizeof page;
        if (chunk > max - sb.len)
            chunk = max - sb.len;
        struct iovec local = { page, chunk };
        struct iovec remote = { (void *)(uintptr_t)a, chunk };
        ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (got <= 0) {
            if (sb.len == 0 && a == addr) {
                sb_free(&sb);
                return NULL;
            }
            break;                  /* unreadable: what we have is all there is */
        }
        char *nul = memchr(page, '\0', (size_t)got);
        if (nul) {
            sb_append(&sb, page, (size_t)(nul - page));
            return sb_take(&sb);
        }
        sb_append(&sb, page, (size_t)got);
        a += (uint64_t)got;
    }
    if (truncated)
        *truncated = true;
    if (!sb.s)
        sb_puts(&sb, "");
    return sb_take(&sb);
}

bool tmem_read_argv(pid_t pid, uint64_t addr, size_t max_items, StrVec *out)
{
    if (addr == 0)
        return true;                /* execve(path, NULL, ...): an empty argv */
    for (size_t i = 0; i < max_items; i++) {
        uint64_t ptr = 0;
        if (tmem_read(pid, addr + i * sizeof ptr, &ptr, sizeof ptr) != sizeof ptr)
            return false;
        if (ptr == 0)
            return true;
        bool trunc;
        char *s = tmem_read_string(pid, ptr, 4096, &trunc);
        VEC_PUSH(*out, s ? s : xstrdup("(unreadable)"));
    }
    VEC_PUSH(*out, xstrdup("..."));
    return true;
}
