/* taint_harness.h: what the taint unit tests share: load taint rules through the
 * public engines (match_engine_new, taint_engine_new), run the taint stage over a
 * snippet, get the lines of its findings (and their paths). */
#ifndef SLUICE_TAINT_HARNESS_H
#define SLUICE_TAINT_HARNESS_H

#include "testutil.h"
#include "finding_lines.h"

#include "match/match.h"
#include "taint/taint.h"

typedef struct TaintHarness {
    RuleSet *rs;
    MatchEngine *e;
    TaintEngine *te;
    LangParser *p;
} TaintHarness;

static void th_load(TaintHarness *h, const char *yaml, const TaintOptions *opt)
{
    memset(h, 0, sizeof *h);
    h->rs = rule_set_new();
    h->p = lang_parser_new();
    DiagList d = {0};
    rule_set_load_string(h->rs, "t.yml", yaml, strlen(yaml), &d);
    h->e = match_engine_new(h->rs, &d);
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].level == DIAG_ERROR) { print_error("rule: %s\n", d.v[i].message); fail(); }
    diag_list_free(&d);
    h->te = taint_engine_new(h->e, opt);
}

static void th_free(TaintHarness *h)
{
    taint_engine_free(h->te);
    match_engine_free(h->e);
    rule_set_free(h->rs);
    lang_parser_delete(h->p);
}

/* Runs the rules over code: "line line ..." of the findings (heap), sorted, each
 * line once. *paths (if given) gets one line per finding: "line: step@line ...";
 * *diags (if given) gets the diags' types and messages. */
static inline char *th_run(TaintHarness *h, Lang lang, const char *code, char **paths, char **diags)
{
    DiagList d = {0};
    AstFile *f = lang_parse_file(h->p, lang, "t", code, strlen(code), &d);
    MatchResults res;
    match_results_init(&res);
    taint_file(h->te, h->p, f, lang, &res, &d);
    StrBuf pb;
    sb_init(&pb);
    for (size_t i = 0; i < res.findings.n; i++) {
        const ReportFinding *x = &res.findings.v[i];
        sb_printf(&pb, "%u:", x->start.line);
        for (size_t k = 0; k < x->nsteps; k++)
            sb_printf(&pb, " %s@%u", x->steps[k].kind == STEP_SOURCE ? "source"
                                     : x->steps[k].kind == STEP_SINK ? "sink" : "step",
                      x->steps[k].start.line);
        sb_putc(&pb, '\n');
    }
    char *lines = finding_lines(res.findings.v, res.findings.n);
    if (paths) *paths = sb_take(&pb);
    sb_free(&pb);
    if (diags) {
        StrBuf db;
        sb_init(&db);
        for (size_t i = 0; i < d.n; i++) sb_printf(&db, "%s: %s\n", d.v[i].type, d.v[i].message);
        sb_puts(&db, "");
        *diags = sb_take(&db);
    }
    match_results_free(&res);
    diag_list_free(&d);
    lang_file_free(f);
    return lines;
}

static inline char *th_lines(const char *yaml, Lang lang, const char *code)
{
    TaintHarness h;
    th_load(&h, yaml, NULL);
    char *r = th_run(&h, lang, code, NULL, NULL);
    th_free(&h);
    return r;
}

#define assert_taint_lines(yaml, lang, code, want) do { \
        char *got_ = th_lines((yaml), (lang), (code)); \
        if (strcmp(got_, (want)) != 0) { \
            print_error("wanted lines \"%s\", got \"%s\"\n", (want), got_); \
            free(got_); fail(); \
        } \
        free(got_); \
    } while (0)

#endif
