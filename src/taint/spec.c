/* spec.c: where a taint rule's specs touch one function (taint stage, reading the
 * match stage's spans): each AST node gets the source, sink, sanitizer and
 * propagator spans that name it. An exact spec names the nodes whose range is its
 * span; a spec that is not exact names every node inside its span (Semgrep's
 * `exact` option); an exact span that is no node's range falls back to inside. */
#include "taint/taint_int.h"

#include <string.h>

typedef struct SpanRef {
    uint32_t start, end;         /* byte offsets */
    uint8_t role;
    bool exact;
    bool has_node;               /* some node's range is exactly this span */
    uint16_t spec;
    uint32_t span;
} SpanRef;

typedef struct Slot {
    const AstNode *node;
    uint32_t first, n;
} Slot;

struct TaintHits {
    TaintHit *v;
    size_t n;
    Slot *slots;
    size_t cap;
    bool roles[ROLE_PROP_TO + 1];
};

/* ---------------------------------------------------------------- spans */

typedef VEC(SpanRef) SpanRefs;

static void add_ref(SpanRefs *out, AstPos s, AstPos e, TaintRole role, bool exact, size_t spec,
                    size_t span, const AstNode *fn)
{
    if (e.offset < fn->start.offset || s.offset > fn->end.offset) return;
    SpanRef r = { s.offset, e.offset, (uint8_t)role, exact, false, (uint16_t)spec, (uint32_t)span };
    VEC_PUSH(*out, r);
}

static const MatchSpanBind *find_bind(const MatchSpan *s, const char *mv)
{
    for (uint32_t i = 0; mv && i < s->nbinds; i++)
        if (s->binds[i].mv == mv) return &s->binds[i];
    return NULL;
}

static void role_refs(SpanRefs *out, const RuleTaintSpecs *specs, const MatchSpanList *lists,
                      TaintRole role, const AstNode *fn)
{
    for (size_t j = 0; j < specs->n; j++) {
        const RuleTaintSpec *t = &specs->v[j];
        for (size_t k = 0; k < lists[j].n; k++) {
            const MatchSpan *s = &lists[j].v[k];
            add_ref(out, s->start, s->end, role, role == ROLE_PROP || t->exact, j, k, fn);
            if (role != ROLE_PROP) continue;
            const MatchSpanBind *from = find_bind(s, intern(t->from)), *to = find_bind(s, intern(t->to));
            if (from) add_ref(out, from->start, from->end, ROLE_PROP_FROM, true, j, k, fn);
            if (to) add_ref(out, to->start, to->end, ROLE_PROP_TO, true, j, k, fn);
        }
    }
}

static int cmp_ref(const void *a, const void *b)
{
    const SpanRef *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

/* ---------------------------------------------------------------- the walk */

/* Calls fn on every node under root that the function owns: nested functions,
 * classes and lambdas are analysed as functions of their own. */
typedef void (*VisitFn)(const AstNode *n, void *ctx);

static bool owned(const AstNode *n, const AstNode *root)
{
    if (n == root) return true;
    return n->kind != AST_FUNC && n->kind != AST_CLASS && n->kind != AST_LAMBDA;
}

static void walk(const AstNode *root, VisitFn fn, void *ctx)
{
    VEC(const AstNode *) stack = {0};
    VEC_PUSH(stack, root);
    while (stack.n) {
        const AstNode *n = stack.v[--stack.n];
        if (!owned(n, root)) continue;
        fn(n, ctx);
        for (uint32_t i = n->nkids; i-- > 0;) VEC_PUSH(stack, n->kids[i]);
    }
    VEC_FREE(stack);
}

typedef struct Scan {
    SpanRef *refs;
    size_t n;
    uint32_t *max_end;           /* max end of refs[0..i] */
    TaintHits *hits;
    bool record;
} Scan;

/* The refs whose span contains [s, e): those starting at or before s, scanned back
 * while an earlier one could still reach e. */
static void each_container(Scan *sc, const AstNode *node)
{
    uint32_t s = node->start.offset, e = node->end.offset;
    size_t lo = 0, hi = sc->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sc->refs[mid].start <= s) lo = mid + 1;
        else hi = mid;
    }
    for (size_t i = lo; i-- > 0;) {
        if (sc->max_end[i] < e) break;
        SpanRef *r = &sc->refs[i];
        if (r->end < e) continue;
        bool same = r->start == s && r->end == e;
        if (!sc->record) {
            r->has_node |= same;
            continue;
        }
        if (r->exact && r->has_node && !same) continue;
        if ((r->role == ROLE_PROP_FROM || r->role == ROLE_PROP_TO) && !same) continue;
        TaintHit h = { r->role, same, r->spec, r->span };
        TaintHits *th = sc->hits;
        if (th->n % 64 == 0) th->v = xrealloc(th->v, (th->n + 64) * sizeof *th->v);
        th->v[th->n++] = h;
        th->roles[r->role] = true;
    }
}

static size_t node_hash(const AstNode *n, size_t cap)
{
    uintptr_t h = (uintptr_t)n;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (cap - 1);
}

static void visit(const AstNode *n, void *ctx)
{
    Scan *sc = ctx;
    if (n->kind == AST_EMPTY) return;
    TaintHits *h = sc->hits;
    size_t before = h->n;
    each_container(sc, n);
    if (!sc->record || h->n == before) return;
    size_t j = node_hash(n, h->cap);
    while (h->slots[j].node) j = (j + 1) & (h->cap - 1);
    h->slots[j] = (Slot){ n, (uint32_t)before, (uint32_t)(h->n - before) };
}

static size_t count_nodes(const AstNode *root)
{
    size_t n = 0;
    VEC(const AstNode *) stack = {0};
    VEC_PUSH(stack, root);
    while (stack.n) {
        const AstNode *x = stack.v[--stack.n];
        if (!owned(x, root)) continue;
        n++;
        for (uint32_t i = 0; i < x->nkids; i++) VEC_PUSH(stack, x->kids[i]);
    }
    VEC_FREE(stack);
    return n;
}

TaintHits *taint_hits_build(Arena *a, const TaintRuleCtx *rc, const AstNode *fn)
{
    TaintHits *h = arena_alloc(a, sizeof *h);
    SpanRefs refs = {0};
    const Rule *r = rc->rule;
    role_refs(&refs, &r->sources, rc->src, ROLE_SOURCE, fn);
    role_refs(&refs, &r->sinks, rc->sink, ROLE_SINK, fn);
    role_refs(&refs, &r->sanitizers, rc->san, ROLE_SANITIZER, fn);
    role_refs(&refs, &r->propagators, rc->prop, ROLE_PROP, fn);
    if (!refs.n) return h;
    qsort(refs.v, refs.n, sizeof *refs.v, cmp_ref);
    Scan sc = { .refs = refs.v, .n = refs.n, .hits = h };
    sc.max_end = xmalloc(refs.n * sizeof *sc.max_end);
    for (size_t i = 0; i < refs.n; i++)
        sc.max_end[i] = i && sc.max_end[i - 1] > refs.v[i].end ? sc.max_end[i - 1] : refs.v[i].end;
    size_t cap = 16;
    size_t nodes = count_nodes(fn);
    while (cap < nodes * 2 + 16) cap *= 2;
    walk(fn, visit, &sc);            /* which exact spans are some node's range */
    h->cap = cap;
    h->slots = xcalloc(cap, sizeof *h->slots);
    sc.record = true;
    walk(fn, visit, &sc);
    /* move the tables into the arena so that the function's arena owns them */
    Slot *slots = arena_alloc(a, cap * sizeof *slots);
    memcpy(slots, h->slots, cap * sizeof *slots);
    free(h->slots);
    h->slots = slots;
    TaintHit *v = arena_alloc(a, (h->n + 1) * sizeof *v);
    if (h->n) memcpy(v, h->v, h->n * sizeof *v);
    free(h->v);
    h->v = v;
    free(sc.max_end);
    VEC_FREE(refs);
    return h;
}

const TaintHit *taint_hits_of(const TaintHits *h, const AstNode *n, uint32_t *n_out)
{
    *n_out = 0;
    if (!h || !h->n) return NULL;
    for (size_t j = node_hash(n, h->cap); h->slots[j].node; j = (j + 1) & (h->cap - 1))
        if (h->slots[j].node == n) {
            *n_out = h->slots[j].n;
            return &h->v[h->slots[j].first];
        }
    return NULL;
}

bool taint_hits_any(const TaintHits *h, TaintRole role)
{
    return h && h->roles[role];
}

uint32_t taint_label_bit(const TaintRuleCtx *rc, const char *label)
{
    if (!label) return 1u;
    for (uint32_t i = 1; i < rc->nlabels; i++)
        if (!strcmp(rc->labels[i], label)) return 1u << i;
    return 0;
}
