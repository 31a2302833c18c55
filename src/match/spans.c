/* spans.c: the match stage's service to the taint stage: every source, sink,
 * sanitizer and propagator formula of the taint rules evaluated on one file (one
 * search of the tree for all their patterns), as spans with their bindings. */
#include "match/match_int.h"

#include <string.h>

size_t match_engine_taint_count(const MatchEngine *e)
{
    return e ? e->taint.n : 0;
}

const Rule *match_engine_taint_rule(const MatchEngine *e, size_t i)
{
    return e->taint.v[i].rule;
}

/* The specs of a rule as one flat array, in the documented order. */
static size_t spec_count(const Rule *r)
{
    return r->sources.n + r->sinks.n + r->sanitizers.n + r->propagators.n;
}

static const RuleTaintSpec *spec_at(const Rule *r, size_t j)
{
    const RuleTaintSpecs *all[] = {&r->sources, &r->sinks, &r->sanitizers, &r->propagators};
    for (size_t k = 0; k < 4; k++) {
        if (j < all[k]->n) return &all[k]->v[j];
        j -= all[k]->n;
    }
    return NULL;
}

static bool rule_runs_on(const MatchRule *mr, const AstFile *f, Lang lang)
{
    return (mr->lang_mask & (1u << lang)) && match_paths_allow(mr->rule, f->path);
}

static MatchSpanList to_spans(MatchCtx *cx, Arena *a, const MatchRangeList *ranges)
{
    MatchSpanList l = { .v = arena_alloc(a, (ranges->n + 1) * sizeof(MatchSpan)), .n = 0 };
    for (size_t i = 0; i < ranges->n; i++) {
        const MatchRange *r = &ranges->v[i];
        MatchSpan *s = &l.v[l.n++];
        s->start = r->start;
        s->end = r->end;
        s->binds = arena_alloc(a, (r->nbinds + 1) * sizeof *s->binds);
        for (uint32_t k = 0; k < r->nbinds; k++) {
            const MatchVal *v = &r->binds[k].val;
            s->binds[s->nbinds++] = (MatchSpanBind){ r->binds[k].mv, v->start, v->end };
        }
    }
    (void)cx;
    return l;
}

static void eval_rule(MatchCtx *cx, const MatchRule *mr, const MatchRangeList *found,
                      MatchSpanList *out, Arena *a)
{
    const Rule *r = mr->rule;
    cx->rule_id = r->id;
    cx->rule_failed = false;
    for (size_t j = 0; j < spec_count(r); j++) {
        const RuleTaintSpec *t = spec_at(r, j);
        MatchRangeList ranges = {0};
        if (match_prefilter(mr, t->formula, cx->lang, cx->file->src, cx->file->src_len))
            match_formula_eval(cx, mr, t->formula, found, &ranges);
        out[j] = to_spans(cx, a, &ranges);
        VEC_FREE(ranges);
    }
}

void match_taint_spans(const MatchEngine *e, LangParser *p, const AstFile *f, Lang lang,
                       MatchTaintSpans *out, DiagList *diags)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena);
    if (!e || !f || !f->root || !e->taint.n) return;
    out->nrules = e->taint.n;
    out->applies = arena_alloc(&out->arena, e->taint.n * sizeof *out->applies);
    out->specs = arena_alloc(&out->arena, e->taint.n * sizeof *out->specs);
    MatchPatternList pats = {0};
    for (size_t i = 0; i < e->taint.n; i++) {
        const MatchRule *mr = &e->taint.v[i];
        if (!(out->applies[i] = rule_runs_on(mr, f, lang))) continue;
        for (size_t j = 0; j < spec_count(mr->rule); j++)
            match_collect_leaves(mr, spec_at(mr->rule, j)->formula, lang, &pats);
    }
    MatchCtx cx;
    match_ctx_init(&cx, e, f, lang, p, diags);
    MatchRangeList *found = match_search_found(&cx, f->root, &pats);
    for (size_t i = 0; i < e->taint.n; i++) {
        const Rule *r = e->taint.v[i].rule;
        out->specs[i] = arena_alloc(&out->arena, (spec_count(r) + 1) * sizeof(MatchSpanList));
        if (out->applies[i]) eval_rule(&cx, &e->taint.v[i], found, out->specs[i], &out->arena);
    }
    match_found_free(found, &pats);
    VEC_FREE(pats);
    match_ctx_fini(&cx);
}

void match_taint_spans_free(MatchTaintSpans *s)
{
    arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}
