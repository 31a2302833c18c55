/* findings.c: the end of the taint stage for one rule and file: traces (the steps a
 * value took, newest first) become report findings whose steps run from the
 * source through each assignment and call to the sink. */
#include "taint/taint_ip.h"

#include <string.h>

const TaintTrace *taint_trace_step(TaintFunc *f, const TaintTrace *prev, ReportStepKind kind,
                                   const AstNode *at, const char *note)
{
    if (prev && prev->len >= TAINT_MAX_TRACE && kind != STEP_SINK) return prev;
    /* the same place twice in a row (a loop going round) is one step */
    if (prev && kind == STEP_STEP && !prev->inner && prev->path == f->file->path
        && prev->start.offset == at->start.offset && prev->end.offset == at->end.offset)
        return prev;
    TaintTrace *t = arena_alloc(f->keep, sizeof *t);
    t->prev = prev;
    t->kind = (uint8_t)kind;
    t->len = (uint16_t)(prev ? prev->len + 1 : 1);
    t->path = f->file->path;
    t->src = f->file->src;
    t->start = at->start;
    t->end = at->end;
    t->note = note;
    return t;
}

TaintVal taint_val_step(TaintFunc *f, TaintVal v, ReportStepKind kind, const AstNode *at,
                        const char *note)
{
    if (v.labels) v.trace = taint_trace_step(f, v.trace, kind, at, note);
    if (v.origins) v.otrace = taint_trace_step(f, v.otrace, kind, at, note);
    return v;
}

void taint_found_add(TaintFunc *f, uint32_t spec, uint32_t span, const TaintTrace *trace)
{
    for (size_t i = 0; i < f->found->n; i++) {
        TaintFound *x = &f->found->v[i];
        if (x->sink_spec == spec && x->span == span) {
            if (trace->len < x->trace->len) x->trace = trace;
            return;
        }
    }
    TaintFound x = { spec, span, trace };
    VEC_PUSH(*f->found, x);
}

static ReportPos rpos(AstPos p)
{
    return (ReportPos){ p.line, p.col, p.offset };
}

/* A step's code: its first line only, as the text writer shows it. */
static const char *step_content(Arena *a, const TaintTrace *t)
{
    if (t->content) return arena_strdup(a, t->content);
    if (!t->src || t->end.offset < t->start.offset) return "";
    const char *s = t->src + t->start.offset;
    size_t n = t->end.offset - t->start.offset;
    const char *nl = memchr(s, '\n', n);
    return arena_strndup(a, s, nl ? (size_t)(nl - s) : n);
}

/* The first steps of t, oldest first, into out[n..max); *more when some are left.
 * Walks only as far as it needs: a callee's steps shared by many callers' traces are
 * never expanded beyond the first max. */
static size_t first_steps(const TaintTrace *t, const TaintTrace **out, size_t n, size_t max, bool *more)
{
    VEC(const TaintTrace *) own = {0};   /* this list's nodes, newest first */
    for (; t; t = t->prev) VEC_PUSH(own, t);
    for (size_t i = own.n; i-- > 0 && !*more;) {
        const TaintTrace *x = own.v[i];
        if (x->inner) n = first_steps(x->inner, out, n, max, more);
        else if (n < max) out[n++] = x;
        else *more = true;
    }
    VEC_FREE(own);
    return n;
}

size_t taint_trace_flatten(const TaintTrace *t, const TaintTrace **out, size_t max)
{
    if (!max) return 0;
    bool more = false;
    size_t n = first_steps(t, out, 0, max, &more);
    if (more) {   /* full: the last step (the sink) ends it */
        const TaintTrace *last = t;
        while (last->inner) last = last->inner;
        out[max - 1] = last;
    }
    return n;
}

static void fill_steps(ReportFinding *rf, const TaintTrace *trace, Arena *a)
{
    const TaintTrace *flat[TAINT_MAX_TRACE];
    size_t n = taint_trace_flatten(trace, flat, TAINT_MAX_TRACE);
    rf->steps = arena_alloc(a, (n + 1) * sizeof *rf->steps);
    rf->nsteps = n;
    for (size_t i = 0; i < n; i++) {
        const TaintTrace *t = flat[i];
        ReportStep *s = &rf->steps[i];
        s->kind = (ReportStepKind)t->kind;
        s->path = arena_strdup(a, t->path);
        s->start = rpos(t->start);
        s->end = rpos(t->end);
        s->content = step_content(a, t);
        s->note = t->note ? arena_strdup(a, t->note) : NULL;
    }
}

static bool same_place(const ReportFinding *a, const ReportFinding *b)
{
    return a->start.offset == b->start.offset && a->end.offset == b->end.offset
           && !strcmp(a->rule_id, b->rule_id) && !strcmp(a->path, b->path);
}

void taint_findings_emit(const TaintRuleCtx *rc, const AstFile *file, const TaintFound *v,
                         size_t n, MatchResults *out)
{
    size_t from = out->findings.n;
    for (size_t i = 0; i < n; i++) {
        const MatchSpan *s = &rc->sink[v[i].sink_spec].v[v[i].span];
        ReportFinding rf;
        if (!match_span_finding(rc->rule, file, s, out, &rf)) continue;
        bool dup = false;
        for (size_t k = from; k < out->findings.n && !dup; k++) dup = same_place(&out->findings.v[k], &rf);
        if (dup) continue;
        fill_steps(&rf, v[i].trace, &out->arena);
        VEC_PUSH(out->findings, rf);
    }
}

/* ---------------------------------------------------------------- program stage */

void taint_findings_add(const Rule *r, const AstFile *file, const MatchSpan *s, const TaintTrace *trace,
                        MatchResults *out)
{
    ReportFinding rf;
    if (!match_span_finding(r, file, s, out, &rf)) return;
    fill_steps(&rf, trace, &out->arena);
    VEC_PUSH(out->findings, rf);
}

/* A sink inside a loaded model: reported where the summary file says it is. */
void taint_findings_add_loaded(const Rule *r, const struct TaintSink *sink, const TaintTrace *trace,
                               MatchResults *out)
{
    Arena *a = &out->arena;
    ReportFinding rf = { .rule_id = arena_strdup(a, r->id), .path = arena_strdup(a, sink->path),
                         .start = sink->start, .end = sink->end,
                         .message = arena_strdup(a, sink->message ? sink->message : r->message),
                         .severity = rule_severity_name(r->severity), .metadata_json = r->metadata_json,
                         .lines = arena_strdup(a, sink->lines ? sink->lines : "") };
    fill_steps(&rf, trace, a);
    VEC_PUSH(out->findings, rf);
}
