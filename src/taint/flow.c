/* flow.c: the taint stage's forward data flow: states at block entries iterated to
 * a fixpoint with a worklist (branch edges refine the state with their guard),
 * within a work budget; then one reporting pass over the converged states records
 * the findings, so that a sink is judged on what reaches it on every path. */
#include "taint/taint_ip.h"

#include <string.h>

typedef struct Flow {
    TaintFunc *f;
    TaintState *in;              /* per block: the state at entry */
    bool *reached;
    uint32_t *queue;
    bool *queued;
    size_t head, tail, cap;      /* a ring of block ids */
} Flow;

static void enqueue(Flow *w, uint32_t b)
{
    if (w->queued[b]) return;
    w->queued[b] = true;
    w->queue[w->tail] = b;
    w->tail = (w->tail + 1) % w->cap;
}

static uint32_t dequeue(Flow *w)
{
    uint32_t b = w->queue[w->head];
    w->head = (w->head + 1) % w->cap;
    w->queued[b] = false;
    return b;
}

static void run_block(TaintFunc *f, const TaintBlock *bl, TaintState *st)
{
    f->st = st;
    for (uint32_t i = 0; i < bl->nins && !f->over_budget; i++) taint_transfer(f, &bl->ins[i]);
}

/* Passes the block's out-state along each edge; returns false when over budget. */
static void propagate(Flow *w, const TaintBlock *bl, const TaintState *out)
{
    TaintState edge = {0};
    for (uint32_t k = 0; k < bl->nsucc; k++) {
        const TaintEdge *e = &bl->succ[k];
        taint_state_copy(&edge, out);
        if (e->cond) taint_guard_refine(&edge, w->f->paths, e->cond, e->polarity);
        bool changed = taint_state_join(&w->in[e->to], &edge);
        if (changed || !w->reached[e->to]) {
            w->reached[e->to] = true;
            enqueue(w, e->to);
        }
    }
    taint_state_free(&edge);
}

static void fixpoint(Flow *w)
{
    TaintFunc *f = w->f;
    TaintState st = {0};
    w->reached[CFG_ENTRY] = true;
    enqueue(w, CFG_ENTRY);
    while (w->head != w->tail && !f->over_budget) {
        uint32_t b = dequeue(w);
        taint_state_copy(&st, &w->in[b]);
        run_block(f, &f->cfg.blocks[b], &st);
        propagate(w, &f->cfg.blocks[b], &st);
    }
    taint_state_free(&st);
}

/* The reporting pass: every reached block once, from its converged entry state. */
static void report(Flow *w)
{
    TaintFunc *f = w->f;
    TaintState st = {0};
    f->reporting = true;
    f->ret = (TaintVal){0};
    for (uint32_t b = 0; b < f->cfg.n && !f->over_budget; b++) {
        if (!w->reached[b]) continue;
        taint_state_copy(&st, &w->in[b]);
        run_block(f, &f->cfg.blocks[b], &st);
    }
    f->reporting = false;
    taint_state_free(&st);
}

bool taint_flow_run(TaintFunc *f)
{
    uint32_t n = f->cfg.n;
    Flow w = { .f = f, .cap = (size_t)n + 1 };
    w.in = xcalloc(n, sizeof *w.in);
    w.reached = xcalloc(n, sizeof *w.reached);
    w.queued = xcalloc(n, sizeof *w.queued);
    w.queue = xcalloc(w.cap, sizeof *w.queue);
    if (f->ip) taint_ip_seed(f, &w.in[CFG_ENTRY]);
    fixpoint(&w);
    if (!f->over_budget) report(&w);
    if (!f->over_budget && f->ip) taint_ip_collect(f, &w.in[CFG_EXIT]);
    for (uint32_t i = 0; i < n; i++) taint_state_free(&w.in[i]);
    free(w.in);
    free(w.reached);
    free(w.queued);
    free(w.queue);
    return !f->over_budget;
}
