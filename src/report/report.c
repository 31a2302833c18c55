/* report.c: the report stage's store: findings, rules, paths and errors copied into
 * one arena, and the one total order they are printed in, whatever -j was.
 *
 * Every add copies deeply, so the stages that fill a Report may free their trees and
 * files at once; report_free releases it all in one place. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

void report_init(Report *r)
{
    memset(r, 0, sizeof *r);
    arena_init(&r->arena);
}

void report_free(Report *r)
{
    VEC_FREE(r->findings);
    VEC_FREE(r->rules);
    VEC_FREE(r->scanned);
    VEC_FREE(r->skipped);
    diag_list_free(&r->errors);
    arena_free(&r->arena);
    r->version = NULL;
}

void report_set_version(Report *r, const char *version)
{
    r->version = version ? arena_strdup(&r->arena, version) : NULL;
}

/* ---------------------------------------------------------------- deep copies */

static const char *copy_str(Report *r, const char *s)
{
    return s ? arena_strdup(&r->arena, s) : NULL;
}

static ReportMetavar *copy_metavars(Report *r, const ReportMetavar *mv, size_t n)
{
    if (!n) return NULL;
    ReportMetavar *out = arena_alloc(&r->arena, n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[i] = mv[i];
        out[i].name = copy_str(r, mv[i].name);
        out[i].content = copy_str(r, mv[i].content);
    }
    return out;
}

static ReportStep *copy_steps(Report *r, const ReportStep *st, size_t n)
{
    if (!n) return NULL;
    ReportStep *out = arena_alloc(&r->arena, n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[i] = st[i];
        out[i].path = copy_str(r, st[i].path);
        out[i].content = copy_str(r, st[i].content);
        out[i].note = copy_str(r, st[i].note);
    }
    return out;
}

void report_add_finding(Report *r, const ReportFinding *f)
{
    ReportFinding c = *f;
    c.rule_id = copy_str(r, f->rule_id);
    c.path = copy_str(r, f->path);
    c.message = copy_str(r, f->message);
    c.severity = copy_str(r, f->severity);
    c.metadata_json = copy_str(r, f->metadata_json);
    c.lines = copy_str(r, f->lines);
    c.metavars = copy_metavars(r, f->metavars, f->nmetavars);
    c.nmetavars = f->metavars ? f->nmetavars : 0;
    c.steps = copy_steps(r, f->steps, f->nsteps);
    c.nsteps = f->steps ? f->nsteps : 0;
    c.fingerprint = copy_str(r, f->fingerprint);
    VEC_PUSH(r->findings, c);
}

void report_add_rule(Report *r, const ReportRule *rule)
{
    ReportRule c = {
        .id = copy_str(r, rule->id),
        .message = copy_str(r, rule->message),
        .severity = copy_str(r, rule->severity),
        .metadata_json = copy_str(r, rule->metadata_json),
    };
    VEC_PUSH(r->rules, c);
}

void report_add_scanned(Report *r, const char *path)
{
    VEC_PUSH(r->scanned, arena_strdup(&r->arena, path));
}

void report_add_skipped(Report *r, const char *path, const char *reason)
{
    ReportSkip s = { arena_strdup(&r->arena, path), copy_str(r, reason) };
    VEC_PUSH(r->skipped, s);
}

void report_take_errors(Report *r, DiagList *errors)
{
    diag_list_move(&r->errors, errors);
}

/* ---------------------------------------------------------------- order */

/* NULL sorts before every string, so that a missing field is never a crash. */
static int cmp_str(const char *a, const char *b)
{
    if (a == b) return 0;
    if (!a) return -1;
    if (!b) return 1;
    return strcmp(a, b);
}

static int cmp_u32(uint32_t a, uint32_t b)
{
    return (a > b) - (a < b);
}

static int cmp_step(const ReportStep *a, const ReportStep *b)
{
    int c;
    if ((c = cmp_str(a->path, b->path))) return c;
    if ((c = cmp_u32(a->start.line, b->start.line))) return c;
    if ((c = cmp_u32(a->start.col, b->start.col))) return c;
    if ((c = cmp_u32(a->end.offset, b->end.offset))) return c;
    if ((c = cmp_u32((uint32_t)a->kind, (uint32_t)b->kind))) return c;
    if ((c = cmp_str(a->content, b->content))) return c;
    return cmp_str(a->note, b->note);
}

/* Past the documented keys (path, line, column, rule, end, message) the rest of the
 * fields only break ties, so that two findings that differ at all never depend on
 * the order the workers produced them in. */
static int cmp_finding_ties(const ReportFinding *a, const ReportFinding *b)
{
    int c;
    if ((c = cmp_u32(a->end.line, b->end.line))) return c;
    if ((c = cmp_u32(a->end.col, b->end.col))) return c;
    if ((c = cmp_u32(a->start.offset, b->start.offset))) return c;
    if ((c = cmp_str(a->severity, b->severity))) return c;
    if ((c = cmp_str(a->lines, b->lines))) return c;
    if ((c = cmp_str(a->fingerprint, b->fingerprint))) return c;
    if ((c = (a->nsteps > b->nsteps) - (a->nsteps < b->nsteps))) return c;
    for (size_t i = 0; i < a->nsteps; i++)
        if ((c = cmp_step(&a->steps[i], &b->steps[i]))) return c;
    if ((c = (a->nmetavars > b->nmetavars) - (a->nmetavars < b->nmetavars))) return c;
    for (size_t i = 0; i < a->nmetavars; i++) {
        const ReportMetavar *x = &a->metavars[i], *y = &b->metavars[i];
        if ((c = cmp_str(x->name, y->name))) return c;
        if ((c = cmp_u32(x->start.offset, y->start.offset))) return c;
        if ((c = cmp_str(x->content, y->content))) return c;
    }
    return cmp_str(a->metadata_json, b->metadata_json);
}

static int cmp_finding(const void *pa, const void *pb)
{
    const ReportFinding *a = pa, *b = pb;
    int c;
    if ((c = cmp_str(a->path, b->path))) return c;
    if ((c = cmp_u32(a->start.line, b->start.line))) return c;
    if ((c = cmp_u32(a->start.col, b->start.col))) return c;
    if ((c = cmp_str(a->rule_id, b->rule_id))) return c;
    if ((c = cmp_u32(a->end.offset, b->end.offset))) return c;
    if ((c = cmp_str(a->message, b->message))) return c;
    return cmp_finding_ties(a, b);
}

static int cmp_rule(const void *pa, const void *pb)
{
    const ReportRule *a = pa, *b = pb;
    int c;
    if ((c = cmp_str(a->id, b->id))) return c;
    if ((c = cmp_str(a->severity, b->severity))) return c;
    return cmp_str(a->message, b->message);
}

static int cmp_path(const void *pa, const void *pb)
{
    return cmp_str(*(const char *const *)pa, *(const char *const *)pb);
}

static int cmp_skip(const void *pa, const void *pb)
{
    const ReportSkip *a = pa, *b = pb;
    int c = cmp_str(a->path, b->path);
    return c ? c : cmp_str(a->reason, b->reason);
}

/* Errors come from every worker too: by place, then by what they say. */
static int cmp_diag(const void *pa, const void *pb)
{
    const Diag *a = pa, *b = pb;
    int c;
    if ((c = cmp_str(a->path, b->path))) return c;
    if ((c = (a->line > b->line) - (a->line < b->line))) return c;
    if ((c = (a->col > b->col) - (a->col < b->col))) return c;
    if ((c = cmp_str(a->type, b->type))) return c;
    if ((c = cmp_str(a->rule_id, b->rule_id))) return c;
    if ((c = cmp_str(a->message, b->message))) return c;
    return (int)a->level - (int)b->level;
}

void report_sort(Report *r)
{
    if (r->findings.n > 1) qsort(r->findings.v, r->findings.n, sizeof *r->findings.v, cmp_finding);
    if (r->rules.n > 1) qsort(r->rules.v, r->rules.n, sizeof *r->rules.v, cmp_rule);
    if (r->scanned.n > 1) qsort(r->scanned.v, r->scanned.n, sizeof *r->scanned.v, cmp_path);
    if (r->skipped.n > 1) qsort(r->skipped.v, r->skipped.n, sizeof *r->skipped.v, cmp_skip);
    if (r->errors.n > 1) qsort(r->errors.v, r->errors.n, sizeof *r->errors.v, cmp_diag);
}

/* ---------------------------------------------------------------- dispatch */

bool report_write(const Report *r, ReportFormat fmt, const ReportOptions *opt, FILE *out)
{
    switch (fmt) {
    case REPORT_TEXT: return report_write_text(r, opt, out);
    case REPORT_JSON: return report_write_json(r, out);
    case REPORT_SARIF: return report_write_sarif(r, out);
    }
    abort();   /* a ReportFormat that does not exist: a broken caller */
}
