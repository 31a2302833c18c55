/* program.c: the program stage (taint -> program -> report): the call graph over
 * every file, entry points from tables, then rounds of summaries computed bottom-up
 * over the strongly connected components (a fixpoint inside a recursive one, the
 * components of a level in parallel), until the taint stored into globals stops
 * growing; findings merged in function order so that any -j gives the same report. */
#include "taint/taint_ip.h"

#include <string.h>

/* ---------------------------------------------------------------- setup */

TaintProgram *taint_program_new(const TaintEngine *e, size_t nfiles, const TaintProgramOptions *opt)
{
    TaintProgram *p = xcalloc(1, sizeof *p);
    p->engine = e;
    if (opt) p->opt = *opt;
    p->nrules = taint_engine_rule_count(e);
    p->nfiles = nfiles;
    p->files = xcalloc(nfiles + 1, sizeof *p->files);
    arena_init(&p->models_arena);
    return p;
}

bool taint_program_add_file(TaintProgram *p, size_t index, LangParser *parser, const AstFile *f,
                            Lang lang, DiagList *diags)
{
    TaintProgFile *pf = &p->files[index];
    if (!f || !f->root || !p->nrules) return false;
    MatchTaintSpans spans;
    match_taint_spans(p->engine->match, parser, f, lang, &spans, diags);
    bool any = false;
    for (size_t i = 0; i < spans.nrules; i++) any |= spans.applies[i];
    if (!any) {
        match_taint_spans_free(&spans);
        return false;
    }
    pf->file = f;
    pf->lang = lang;
    pf->spans = spans;
    pf->has_spans = true;
    pf->rc = xcalloc(p->nrules, sizeof *pf->rc);
    for (size_t i = 0; i < pf->spans.nrules; i++)
        if (pf->spans.applies[i])
            taint_rule_ctx(&pf->rc[i], match_engine_taint_rule(p->engine->match, i), pf->spans.specs[i]);
    return true;
}

void taint_program_free(TaintProgram *p)
{
    if (!p) return;
    size_t slots = p->nfuncs * p->nrules;
    for (size_t i = 0; i < slots; i++) {
        taint_sum_free(&p->sums[i]);
        VEC_FREE(p->gwrites[i]);
    }
    for (size_t i = 0; i < p->nfuncs; i++) {
        arena_free(&p->arenas[i]);
        VEC_FREE(p->found[i]);
        diag_list_free(&p->fdiags[i]);
    }
    for (size_t r = 0; p->G && r < p->nrules; r++) VEC_FREE(p->G[r]);
    for (size_t i = 0; i < p->nfiles; i++) {
        if (p->files[i].has_spans) match_taint_spans_free(&p->files[i].spans);
        free(p->files[i].rc);
    }
    free(p->sums);
    free(p->need);
    free(p->capped);
    free(p->entry_params);
    free(p->entry_spec);
    free(p->arenas);
    free(p->G);
    free(p->gwrites);
    free(p->found);
    free(p->fdiags);
    free(p->files);
    VEC_FREE(p->models);
    arena_free(&p->models_arena);
    cg_free(p->cg);
    free(p);
}

void taint_program_times(const TaintProgram *p, double *callgraph_s, double *summaries_s, size_t *rounds)
{
    *callgraph_s = p->cg_s;
    *summaries_s = p->sum_s;
    *rounds = p->rounds;
}

static const TaintRuleCtx *rule_ctx_of(const TaintProgram *p, uint32_t func, uint32_t rule)
{
    const CgFunc *f = cg_func(p->cg, func);
    const TaintProgFile *pf = &p->files[f->file];
    return pf->rc && pf->rc[rule].rule ? &pf->rc[rule] : NULL;
}

/* ---------------------------------------------------------------- entry points */

static const AstNode *decl_containing(const AstNode *root, uint32_t offset)
{
    for (uint32_t i = 0; i < root->nkids; i++) {
        const AstNode *k = root->kids[i];
        if (offset < k->start.offset || offset >= k->end.offset) continue;
        if (k->kind == AST_DECL) return k;
        if (k->kind == AST_PREPROC) return decl_containing(k, offset);
    }
    return NULL;
}

static void entry_points_of(TaintProgram *p, uint32_t fi, uint32_t rule)
{
    const TaintRuleCtx *rc = &p->files[fi].rc[rule];
    const Rule *r = rc->rule;
    for (size_t j = 0; j < r->sources.n; j++) {
        const RuleEntryPoints *ep = r->sources.v[j].entry;
        for (size_t k = 0; ep && k < rc->src[j].n; k++) {
            const AstNode *decl = decl_containing(p->files[fi].file->root, rc->src[j].v[k].start.offset);
            CgIdList ids = {0};
            if (decl) cg_table_functions(p->cg, fi, decl, ep->via, ep->nvia, &ids);
            for (size_t i = 0; i < ids.n; i++) {
                size_t slot = (size_t)ids.v[i] * p->nrules + rule;
                p->entry_params[slot] |= ep->params;
                p->entry_spec[slot] = (uint16_t)j;
            }
            VEC_FREE(ids);
        }
    }
}

static void find_entry_points(TaintProgram *p)
{
    for (uint32_t fi = 0; fi < p->nfiles; fi++)
        for (uint32_t r = 0; p->files[fi].rc && r < p->nrules; r++)
            if (p->files[fi].rc[r].rule) entry_points_of(p, fi, r);
}

/* ---------------------------------------------------------------- what to analyse */

static bool has_source_span(const TaintRuleCtx *rc, const AstNode *fn)
{
    for (size_t j = 0; j < rc->rule->sources.n; j++) {
        if (rc->rule->sources.v[j].entry) continue;
        for (size_t k = 0; k < rc->src[j].n; k++)
            if (rc->src[j].v[k].start.offset >= fn->start.offset && rc->src[j].v[k].end.offset <= fn->end.offset)
                return true;
    }
    return false;
}

static bool reads_tainted_global(const TaintProgram *p, uint32_t func, uint32_t rule)
{
    uint32_t n;
    const CgGlobal *gl = cg_globals(p->cg, func, &n);
    for (uint32_t i = 0; i < n; i++)
        for (size_t k = 0; k < p->G[rule].n; k++)
            if (p->G[rule].v[k].key == gl[i].key) return true;
    return false;
}

static bool models_bring_sources(const TaintProgram *p)
{
    for (size_t i = 0; i < p->models.n; i++)
        if (p->models.v[i].entry.from == TAINT_POS_SOURCE) return true;
    return false;
}

/* Where a source can be: functions with one, their callers (what they return or
 * store), and everything those call (the arguments they pass). Nothing else can
 * see taint, so nothing else is analysed unless every summary is wanted. */
static void mark_needed(TaintProgram *p, uint32_t rule)
{
    size_t n = p->nfuncs;
    bool all = p->opt.all_summaries || models_bring_sources(p);
    CgIdList queue = {0};
    bool *up = xcalloc(n + 1, sizeof *up);
    for (uint32_t f = 0; f < n; f++) {
        const TaintRuleCtx *rc = rule_ctx_of(p, f, rule);
        bool seed = rc && (all || p->entry_params[(size_t)f * p->nrules + rule]
                           || has_source_span(rc, cg_func(p->cg, f)->fn) || reads_tainted_global(p, f, rule));
        if (seed) {
            up[f] = true;
            VEC_PUSH(queue, f);
        }
    }
    for (size_t q = 0; q < queue.n; q++) {
        uint32_t m;
        const uint32_t *callers = cg_callers(p->cg, queue.v[q], &m);
        for (uint32_t i = 0; i < m; i++)
            if (!up[callers[i]]) {
                up[callers[i]] = true;
                VEC_PUSH(queue, callers[i]);
            }
    }
    for (uint32_t f = 0; f < n; f++) p->need[(size_t)f * p->nrules + rule] = false;
    for (size_t q = 0; q < queue.n; q++) {
        uint32_t f = queue.v[q], m;
        size_t slot = (size_t)f * p->nrules + rule;
        if (p->need[slot]) continue;
        p->need[slot] = rule_ctx_of(p, f, rule) != NULL;
        const uint32_t *callees = cg_callees(p->cg, f, &m);
        for (uint32_t i = 0; i < m; i++) VEC_PUSH(queue, callees[i]);
    }
    VEC_FREE(queue);
    free(up);
}

/* ---------------------------------------------------------------- one function */

static void drop_rule(TaintProgFounds *v, uint32_t rule)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i].rule != rule) v->v[n++] = v->v[i];
    v->n = n;
}

/* ---------------------------------------------------------------- keeping */

/* Copies what an analysis keeps (traces, sinks, notes) out of its scratch arena into
 * the function's, sharing what was shared: old -> new pointers in a small table. */
typedef struct Keeper {
    Arena *to;
    const void **from_v;
    void **to_v;
    size_t cap, n;
} Keeper;

static void *kept_get(Keeper *k, const void *p)
{
    if (!k->cap) return NULL;
    for (size_t j = ((uintptr_t)p >> 4) & (k->cap - 1); k->from_v[j]; j = (j + 1) & (k->cap - 1))
        if (k->from_v[j] == p) return k->to_v[j];
    return NULL;
}

static void kept_put(Keeper *k, const void *from, void *to)
{
    if ((k->n + 1) * 2 > k->cap) {
        Keeper old = *k;
        k->cap = k->cap ? k->cap * 2 : 256;
        k->from_v = xcalloc(k->cap, sizeof *k->from_v);
        k->to_v = xcalloc(k->cap, sizeof *k->to_v);
        k->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.from_v[i]) kept_put(k, old.from_v[i], old.to_v[i]);
        free(old.from_v);
        free(old.to_v);
    }
    size_t j = ((uintptr_t)from >> 4) & (k->cap - 1);
    while (k->from_v[j]) j = (j + 1) & (k->cap - 1);
    k->from_v[j] = from;
    k->to_v[j] = to;
    k->n++;
}

static const TaintTrace *keep_trace(Keeper *k, const TaintTrace *t)
{
    const TaintTrace *chain[TAINT_MAX_TRACE + 2];
    size_t n = 0;
    for (; t && !t->kept && !kept_get(k, t) && n < TAINT_MAX_TRACE + 1; t = t->prev) chain[n++] = t;
    const TaintTrace *below = !t ? NULL : t->kept ? t : kept_get(k, t);
    while (n-- > 0) {
        TaintTrace *c = arena_alloc(k->to, sizeof *c);
        *c = *chain[n];
        c->kept = true;
        c->prev = below;
        if (c->inner) c->inner = keep_trace(k, c->inner);
        if (c->note) c->note = arena_strdup(k->to, c->note);
        kept_put(k, chain[n], c);
        below = c;
    }
    return below;
}

static const TaintSink *keep_sink(Keeper *k, const TaintSink *s)
{
    if (!s || s->kept) return s;
    TaintSink *c = kept_get(k, s);
    if (c) return c;
    c = arena_alloc(k->to, sizeof *c);
    *c = *s;
    c->kept = true;
    kept_put(k, s, c);
    return c;
}

/* The name callers' traces give an entry of func's summary (one per entry, shared
 * by every trace that goes through it). */
static void name_entry(TaintProgram *p, uint32_t func, TaintSumEntry *e)
{
    TaintCallRef *r = arena_alloc(&p->arenas[func], sizeof *r);
    r->kept = true;
    r->func = func;
    r->key = *e;
    r->key.trace = NULL;
    r->key.ref = NULL;
    e->ref = r;
}

static void keep_results(TaintProgram *p, uint32_t func, size_t slot, TaintSummary *sum)
{
    Keeper k = { .to = &p->arenas[func] };
    for (size_t i = 0; i < sum->n; i++) {
        sum->v[i].trace = keep_trace(&k, sum->v[i].trace);
        sum->v[i].sink = keep_sink(&k, sum->v[i].sink);
        name_entry(p, func, &sum->v[i]);
    }
    for (size_t i = 0; i < p->found[func].n; i++) {
        p->found[func].v[i].trace = keep_trace(&k, p->found[func].v[i].trace);
        if (p->found[func].v[i].loaded) p->found[func].v[i].loaded = keep_sink(&k, p->found[func].v[i].loaded);
    }
    for (size_t i = 0; i < p->gwrites[slot].n; i++)
        p->gwrites[slot].v[i].val.trace = keep_trace(&k, p->gwrites[slot].v[i].val.trace);
    free(k.from_v);
    free(k.to_v);
}

/* Analyses func for rule; returns whether its summary changed. */
static bool analyze(TaintProgram *p, uint32_t func, uint32_t rule, const char **why)
{
    const CgFunc *cf = cg_func(p->cg, func);
    const TaintProgFile *pf = &p->files[cf->file];
    size_t slot = (size_t)func * p->nrules + rule;
    drop_rule(&p->found[func], rule);
    p->gwrites[slot].n = 0;
    TaintIpFunc ip = { .prog = p, .func = func, .rule = rule, .cg = cf };
    VEC(TaintFound) local = {0};
    *why = NULL;
    Arena scratch;
    arena_init(&scratch);
    bool ok = taint_run_function(p->engine, pf->file, pf->lang, &pf->rc[rule], cf->fn, &scratch,
                                 &local, &ip, why);
    ip.out.known = ok;
    if (!ok) {   /* half a fixpoint proves nothing either way */
        ip.out.n = 0;
        drop_rule(&p->found[func], rule);
        p->gwrites[slot].n = 0;
    }
    taint_sum_sort(&ip.out);
    /* Before keep_results: dropped entries' traces are not copied out, and the
     * function's own sinks are told apart by not being kept yet. */
    p->capped[slot] = taint_sum_cap(&ip.out, TAINT_SUMMARY_CAP) > 0;
    for (size_t i = 0; ok && i < local.n; i++) {
        TaintProgFound x = { .rule = rule, .file = cf->file, .spec = local.v[i].sink_spec,
                             .span = local.v[i].span, .at_file = cf->file, .trace = local.v[i].trace };
        VEC_PUSH(p->found[func], x);
    }
    keep_results(p, func, slot, &ip.out);
    arena_free(&scratch);
    bool changed = !taint_sum_same(&ip.out, &p->sums[slot]);
    taint_sum_free(&p->sums[slot]);
    p->sums[slot] = ip.out;
    VEC_FREE(local);
    VEC_FREE(ip.extra);
    VEC_FREE(ip.seeded);
    VEC_FREE(ip.pending);
    return changed;
}

static bool self_recursive(const TaintProgram *p, uint32_t func)
{
    uint32_t n;
    const uint32_t *c = cg_callees(p->cg, func, &n);
    for (uint32_t i = 0; i < n; i++)
        if (c[i] == func) return true;
    return false;
}

static void limit_diag(TaintProgram *p, uint32_t func, uint32_t rule, const char *why)
{
    const CgFunc *cf = cg_func(p->cg, func);
    const TaintProgFile *pf = &p->files[cf->file];
    diag_add(&p->fdiags[func], DIAG_ERROR, TAINT_DIAG_LIMIT, pf->file->path, (int)cf->fn->start.line,
             (int)cf->fn->start.col, pf->rc[rule].rule->id, "function %s: %s; its taint findings are skipped",
             cf->name ? cf->name : "<anonymous>", why);
}

/* A component, for every rule: one pass, or passes until no summary changes. */
static void run_component(void *ctx, size_t index, int worker)
{
    TaintProgram *p = ctx;
    (void)worker;
    uint32_t scc = (uint32_t)index, n;
    const uint32_t *members = cg_scc_members(p->cg, scc, &n);
    bool recursive = n > 1 || self_recursive(p, members[0]);
    for (uint32_t r = 0; r < p->nrules; r++) {
        const char *why = NULL;
        for (int pass = 0; pass < TAINT_MAX_SCC_PASSES; pass++) {
            bool changed = false;
            for (uint32_t i = 0; i < n; i++) {
                if (!p->need[(size_t)members[i] * p->nrules + r]) continue;
                const char *w = NULL;
                changed |= analyze(p, members[i], r, &w);
                if (w) why = w;
            }
            if (!recursive || !changed) break;
        }
        for (uint32_t i = 0; why && i < n; i++)
            if (p->need[(size_t)members[i] * p->nrules + r] && !p->sums[(size_t)members[i] * p->nrules + r].known)
                limit_diag(p, members[i], r, why);
    }
}

typedef struct LevelJob {
    TaintProgram *p;
    const uint32_t *sccs;
} LevelJob;

static void run_level_item(void *ctx, size_t i, int worker)
{
    LevelJob *j = ctx;
    run_component(j->p, j->sccs[i], worker);
}

/* ---------------------------------------------------------------- rounds */

static void reset_round(TaintProgram *p)
{
    for (size_t i = 0; i < p->nfuncs * p->nrules; i++) {
        taint_sum_free(&p->sums[i]);
        p->gwrites[i].n = 0;
        p->capped[i] = false;
    }
    for (size_t i = 0; i < p->nfuncs; i++) {
        p->found[i].n = 0;
        diag_list_free(&p->fdiags[i]);
    }
}

static bool same_gval(const TaintGVal *a, const TaintGVal *b)
{
    return a->key == b->key && a->access == b->access;
}

/* Globals' taint for the next round: what this round stored, in function order;
 * true when something new (a global, a path, a label) appeared. */
static bool merge_globals(TaintProgram *p)
{
    bool grew = false;
    for (uint32_t r = 0; r < p->nrules; r++)
        for (size_t f = 0; f < p->nfuncs; f++) {
            const TaintGVals *w = &p->gwrites[f * p->nrules + r];
            for (size_t i = 0; i < w->n; i++) {
                TaintGVals *G = &p->G[r];
                size_t k = 0;
                while (k < G->n && !same_gval(&G->v[k], &w->v[i])) k++;
                if (k == G->n) {
                    VEC_PUSH(*G, w->v[i]);
                    grew = true;
                } else if ((G->v[k].val.labels | w->v[i].val.labels) != G->v[k].val.labels) {
                    G->v[k].val.labels |= w->v[i].val.labels;
                    grew = true;
                } else if (w->v[i].val.trace && G->v[k].val.trace
                           && w->v[i].val.trace->len < G->v[k].val.trace->len) {
                    G->v[k].val.trace = w->v[i].val.trace;   /* the most direct writer */
                }
            }
        }
    return grew;
}

static void run_rounds(TaintProgram *p)
{
    int jobs = p->opt.jobs > 0 ? p->opt.jobs : cpu_count();
    for (p->rounds = 1; p->rounds <= TAINT_MAX_ROUNDS; p->rounds++) {
        reset_round(p);
        for (uint32_t r = 0; r < p->nrules; r++) mark_needed(p, r);
        for (size_t l = 0; l < cg_level_count(p->cg); l++) {
            uint32_t n;
            LevelJob j = { p, cg_level(p->cg, l, &n) };
            parallel_for(n, jobs, run_level_item, &j);
        }
        if (!merge_globals(p)) break;
    }
    if (p->rounds > TAINT_MAX_ROUNDS) p->rounds = TAINT_MAX_ROUNDS;
}

/* ---------------------------------------------------------------- findings */

static bool same_sink(const TaintProgFound *a, const TaintProgFound *b)
{
    if (a->rule != b->rule) return false;
    if (a->loaded || b->loaded)
        return a->loaded && b->loaded && a->at_file == b->at_file && !strcmp(a->loaded->path, b->loaded->path)
               && a->loaded->start.offset == b->loaded->start.offset;
    return a->file == b->file && a->spec == b->spec && a->span == b->span;
}

static void emit_findings(TaintProgram *p, MatchResults *out)
{
    TaintProgFounds all = {0};
    for (size_t f = 0; f < p->nfuncs; f++)
        for (size_t i = 0; i < p->found[f].n; i++) {
            const TaintProgFound *x = &p->found[f].v[i];
            size_t k = 0;
            while (k < all.n && !same_sink(&all.v[k], x)) k++;
            if (k == all.n) VEC_PUSH(all, *x);
            else if (x->trace && all.v[k].trace && x->trace->len < all.v[k].trace->len) all.v[k].trace = x->trace;
        }
    for (size_t i = 0; i < all.n; i++) {
        const TaintProgFound *x = &all.v[i];
        const TaintProgFile *pf = &p->files[x->loaded ? x->at_file : x->file];
        const TaintRuleCtx *rc = &pf->rc[x->rule];
        if (x->loaded) taint_findings_add_loaded(rc->rule, x->loaded, x->trace, &out[x->at_file]);
        else taint_findings_add(rc->rule, pf->file, &rc->sink[x->spec].v[x->span], x->trace, &out[x->file]);
    }
    VEC_FREE(all);
}

/* One warning a scan when summaries dropped pass-through sinks (TAINT_SUMMARY_CAP)
 * in the last round: how many functions, and the first of them to look at. */
static void cap_diag(const TaintProgram *p, DiagList *diags)
{
    size_t n = 0, first = 0;
    uint32_t rule = 0;
    for (size_t f = 0; f < p->nfuncs; f++)
        for (uint32_t r = 0; r < p->nrules; r++)
            if (p->capped[f * p->nrules + r]) {
                if (!n) first = f, rule = r;
                n++;
                break;
            }
    if (!n) return;
    const CgFunc *cf = cg_func(p->cg, (uint32_t)first);
    const TaintProgFile *pf = &p->files[cf->file];
    diag_add(diags, DIAG_WARN, TAINT_DIAG_LIMIT, pf->file->path, (int)cf->fn->start.line,
             (int)cf->fn->start.col, pf->rc[rule].rule->id,
             "summary cap reached in %zu function%s (the first: %s): at most %d sinks of callees "
             "are kept per parameter, the nearest; some deep pass-through flows are not reported",
             n, n == 1 ? "" : "s", cf->name ? cf->name : "<anonymous>", TAINT_SUMMARY_CAP);
}

void taint_program_run(TaintProgram *p, MatchResults *out, DiagList *diags)
{
    if (!p->nrules) return;
    double t0 = now_seconds();
    taint_models_resolve(p);
    CgFileIn *in = xcalloc(p->nfiles + 1, sizeof *in);
    for (size_t i = 0; i < p->nfiles; i++) in[i] = (CgFileIn){ p->files[i].file, p->files[i].lang };
    p->cg = cg_build(in, p->nfiles);
    free(in);
    p->nfuncs = cg_func_count(p->cg);
    size_t slots = p->nfuncs * p->nrules + 1;
    p->sums = xcalloc(slots, sizeof *p->sums);
    p->need = xcalloc(slots, sizeof *p->need);
    p->capped = xcalloc(slots, sizeof *p->capped);
    p->entry_params = xcalloc(slots, sizeof *p->entry_params);
    p->entry_spec = xcalloc(slots, sizeof *p->entry_spec);
    p->gwrites = xcalloc(slots, sizeof *p->gwrites);
    p->arenas = xcalloc(p->nfuncs + 1, sizeof *p->arenas);
    for (size_t i = 0; i < p->nfuncs; i++) arena_init(&p->arenas[i]);
    p->found = xcalloc(p->nfuncs + 1, sizeof *p->found);
    p->fdiags = xcalloc(p->nfuncs + 1, sizeof *p->fdiags);
    p->G = xcalloc(p->nrules + 1, sizeof *p->G);
    find_entry_points(p);
    double t1 = now_seconds();
    p->cg_s = t1 - t0;
    run_rounds(p);
    emit_findings(p, out);
    for (size_t i = 0; i < p->nfuncs; i++) diag_list_move(diags, &p->fdiags[i]);
    cap_diag(p, diags);
    p->sum_s = now_seconds() - t1;
}
