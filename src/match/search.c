/* search.c: the one-pass search of the match stage: walks a (sub)tree once and tries
 * at each node only the patterns whose root can match that node's kind (an index
 * built per search), recording every match as a range with its bindings. Statement
 * sequence patterns are tried at each position of each statement list. */
#include "match/match_int.h"

#include <string.h>

typedef struct Recorder {
    MatchCtx *cx;
    MatchRangeList *out;
    const AstNode *target;          /* where this attempt started */
    size_t first;                   /* ranges of this attempt start here in out */
    size_t solutions;
} Recorder;

static bool binds_same(const MatchBind *a, uint32_t na, const MatchBind *b, uint32_t nb)
{
    if (na != nb) return false;
    for (uint32_t i = 0; i < na; i++) {
        const MatchBind *o = match_find_bind(b, nb, a[i].mv);
        if (!o || o->val.start.offset != a[i].val.start.offset
            || o->val.end.offset != a[i].val.end.offset || o->val.kind != a[i].val.kind)
            return false;
    }
    return true;
}

static bool record(Matcher *m, const MatchK *k)
{
    Recorder *r = (Recorder *)k->data;
    MatchRange g = { .start = r->target->start, .end = r->target->end, .kind = RK_PLAIN };
    if (m->last) g.end = m->last->end;
    for (size_t i = r->first; i < r->out->n; i++) {
        const MatchRange *o = &r->out->v[i];
        if (o->start.offset == g.start.offset && o->end.offset == g.end.offset
            && binds_same(o->binds, o->nbinds, m->env.v, (uint32_t)m->env.n))
            return false;   /* the same match reached another way */
    }
    g.nbinds = (uint32_t)m->env.n;
    if (g.nbinds) {
        g.binds = arena_alloc(&r->cx->arena, g.nbinds * sizeof *g.binds);
        memcpy(g.binds, m->env.v, g.nbinds * sizeof *g.binds);
    }
    VEC_PUSH(*r->out, g);
    return ++r->solutions >= MATCH_MAX_SOLUTIONS || r->out->n >= MATCH_MAX_RANGES;
}

static void budget_diag(MatchCtx *cx, const MatchPattern *mp)
{
    diag_add(cx->diags, DIAG_WARN, MATCH_DIAG_LIMIT, cx->file->path, mp->leaf->line,
             mp->leaf->col, cx->rule_id,
             "%s: matching the pattern at rule line %d gave up after %d steps; "
             "some matches may be missing", cx->file->path, mp->leaf->line, MATCH_STEP_BUDGET);
}

typedef VEC(uint32_t) Bucket;

typedef struct Search {
    MatchCtx *cx;
    MatchPattern *const *pats;
    size_t n;
    MatchRangeList *out;
    Bucket bucket[AST_KIND_COUNT];
    size_t *steps;                  /* per pattern: the budget is per pattern and file */
    bool *gave_up;
    Matcher m;
} Search;

static void attempt(Search *s, uint32_t pi, const AstNode *t, AstNode *const *seq, uint32_t nseq)
{
    if (s->gave_up[pi]) return;
    const MatchPattern *mp = s->pats[pi];
    Matcher *m = &s->m;
    m->pat = mp;
    m->env.n = 0;
    m->steps = s->steps[pi];
    m->out_of_budget = false;
    m->last = NULL;
    Recorder r = { .cx = s->cx, .out = &s->out[pi], .target = seq ? seq[0] : t,
                   .first = s->out[pi].n };
    MatchK done = { .fn = record, .data = &r };
    if (seq) {
        uint32_t np = mp->root->nkids;
        match_seq(m, mp->root->kids, np, seq, nseq, SEQ_PREFIX, NULL, &done);
    } else {
        match_node(m, mp->root, t, &done);
    }
    s->steps[pi] = m->steps;
    if (m->out_of_budget) {
        s->gave_up[pi] = true;
        budget_diag(s->cx, mp);
    }
}

/* A sequence pattern is tried at each start in a statement list; one that begins
 * with "..." only at the first, since the ellipsis covers the others. */
static void attempt_seq(Search *s, uint32_t pi, const AstNode *container)
{
    uint32_t n;
    AstNode *const *stmts = match_stmts_of(container, &n);
    const MatchPattern *mp = s->pats[pi];
    bool leading = mp->root->nkids && match_is_seq_ellipsis(mp->root->kids[0]);
    for (uint32_t i = 0; i < n; i++) {
        attempt(s, pi, NULL, stmts + i, n - i);
        if (leading) break;
    }
}

static void visit(Search *s, const AstNode *t)
{
    const Bucket *b = &s->bucket[t->kind];
    for (size_t i = 0; i < b->n; i++) {
        uint32_t pi = b->v[i];
        if (s->pats[pi]->is_seq) attempt_seq(s, pi, t);
        else attempt(s, pi, t, NULL, 0);
    }
}

static void build_buckets(Search *s)
{
    for (size_t i = 0; i < s->n; i++)
        for (int k = 0; k < AST_KIND_COUNT; k++)
            if (s->pats[i]->kinds & (1ull << k)) VEC_PUSH(s->bucket[k], (uint32_t)i);
}

void match_search(MatchCtx *cx, const AstNode *root, MatchPattern *const *pats, size_t n,
                  MatchRangeList *out)
{
    if (n == 0) return;
    Search s = { .cx = cx, .pats = pats, .n = n, .out = out };
    s.m.cx = cx;
    s.steps = xcalloc(n, sizeof *s.steps);
    s.gave_up = xcalloc(n, sizeof *s.gave_up);
    build_buckets(&s);
    VEC(const AstNode *) stack = {0};
    VEC_PUSH(stack, root);
    while (stack.n) {
        const AstNode *t = stack.v[--stack.n];
        if (s.bucket[t->kind].n) visit(&s, t);
        for (uint32_t i = t->nkids; i-- > 0;) VEC_PUSH(stack, t->kids[i]);
    }
    VEC_FREE(stack);
    for (int k = 0; k < AST_KIND_COUNT; k++) VEC_FREE(s.bucket[k]);
    VEC_FREE(s.m.env);
    free(s.steps);
    free(s.gave_up);
}

MatchRangeList *match_search_found(MatchCtx *cx, const AstNode *root, const MatchPatternList *pats)
{
    MatchRangeList *local = xcalloc(pats->n + 1, sizeof *local);
    MatchRangeList *found = xcalloc(cx->engine->npatterns + 1, sizeof *found);
    match_search(cx, root, pats->v, pats->n, local);
    for (size_t i = 0; i < pats->n; i++) {
        MatchRangeList *slot = &found[pats->v[i]->index];
        if (slot->v) VEC_FREE(local[i]);   /* the same pattern twice: same ranges */
        else *slot = local[i];
    }
    free(local);
    return found;
}

void match_found_free(MatchRangeList *found, const MatchPatternList *pats)
{
    for (size_t i = 0; i < pats->n; i++) VEC_FREE(found[pats->v[i]->index]);
    free(found);
}
