/* parallel.c: the one parallel loop sluice needs: workers pull item indices from a
 * shared counter. Results are stored by index, so output order never depends on -j. */
#include "base.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define WORKER_STACK (64u * 1024 * 1024)

typedef struct Shared {
    atomic_size_t next;
    size_t count;
    ParallelFn fn;
    void *ctx;
} Shared;

typedef struct Worker {
    Shared *shared;
    int id;
} Worker;

static void *worker_main(void *arg)
{
    Worker *w = arg;
    Shared *s = w->shared;
    for (;;) {
        size_t i = atomic_fetch_add(&s->next, 1);
        if (i >= s->count) break;
        s->fn(s->ctx, i, w->id);
    }
    return NULL;
}

void parallel_for(size_t count, int workers, ParallelFn fn, void *ctx)
{
    if (workers < 1) workers = 1;
    if ((size_t)workers > count) workers = count ? (int)count : 1;
    Shared s = { .count = count, .fn = fn, .ctx = ctx };
    atomic_init(&s.next, 0);

    /* Every item runs on a big-stack thread, the caller's included, so that deep
     * recursion behaves the same whatever -j is. */
    pthread_t *tids = xcalloc((size_t)workers, sizeof *tids);
    Worker *ws = xcalloc((size_t)workers, sizeof *ws);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    int started = 0;
    for (int i = 0; i < workers; i++) {
        ws[i] = (Worker){ &s, i };
        if (pthread_create(&tids[i], &attr, worker_main, &ws[i]) != 0) break;
        started++;
    }
    pthread_attr_destroy(&attr);
    if (started == 0) {                 /* no threads to be had: do it here */
        ws[0] = (Worker){ &s, 0 };
        worker_main(&ws[0]);
    }
    for (int i = 0; i < started; i++) pthread_join(tids[i], NULL);
    free(tids);
    free(ws);
}

int cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
