/* event.c: the life of a TraceEvent: made at a syscall's entry, completed at its exit,
 * freed unless a violation keeps it. */
#include <stdlib.h>
#include <string.h>

#include "trace/trace_internal.h"

TraceEvent *event_new(EventKind kind, const char *syscall)
{
    TraceEvent *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    e->syscall = syscall;
    e->fd = -1;
    return e;
}

void event_free(TraceEvent *e)
{
    if (!e)
        return;
    free(e->exe);
    free(e->path);
    free(e->abspath);
    free(e->path2);
    free(e->abspath2);
    free(e->real_path);
    free(e->dirfd);
    for (size_t i = 0; i < e->argv.n; i++)
        free(e->argv.v[i]);
    VEC_FREE(e->argv);
    free(e->data);
    free(e->dns_query);
    free(e->note);
    VEC_FREE(e->canaries);
    free(e);
}

void event_keep_data(TraceEvent *e, const void *data, size_t n, size_t total)
{
    size_t keep = n < TRACE_DATA_KEEP ? n : TRACE_DATA_KEEP;
    free(e->data);
    e->data = xmalloc(keep + 1);
    memcpy(e->data, data, keep);
    e->data_len = keep;
    e->data_total = total;
}
