/* match_harness.h: what the match unit tests share: compile YAML rules with
 * match_engine_new, run them over a snippet and get the lines of their findings. */
#ifndef SLUICE_MATCH_HARNESS_H
#define SLUICE_MATCH_HARNESS_H

#include "testutil.h"
#include "finding_lines.h"

#include "match/match.h"

typedef struct Harness {
    RuleSet *rs;
    MatchEngine *e;
    LangParser *p;
} Harness;

static void harness_load(Harness *h, const char *yaml)
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
}

static void harness_free(Harness *h)
{
    match_engine_free(h->e);
    rule_set_free(h->rs);
    lang_parser_delete(h->p);
}

/* Runs the rules over code and returns "line line ..." of the findings (heap), in
 * order, each start line once; *msgs (if given) gets "line: message\n" lines. */
static char *harness_run(Harness *h, Lang lang, const char *code, char **msgs)
{
    DiagList d = {0};
    AstFile *f = lang_parse_file(h->p, lang, "t", code, strlen(code), &d);
    MatchResults res;
    match_results_init(&res);
    match_file(h->e, h->p, f, lang, &res, &d);
    StrBuf m;
    sb_init(&m);
    for (size_t i = 0; i < res.findings.n; i++)
        sb_printf(&m, "%u: %s\n", res.findings.v[i].start.line, res.findings.v[i].message);
    char *lines = finding_lines(res.findings.v, res.findings.n);
    if (msgs) *msgs = sb_take(&m);
    sb_free(&m);
    match_results_free(&res);
    diag_list_free(&d);
    lang_file_free(f);
    return lines;
}

/* One rule, one snippet: the finding lines. */
static char *lines_of(const char *yaml, Lang lang, const char *code)
{
    Harness h;
    harness_load(&h, yaml);
    char *r = harness_run(&h, lang, code, NULL);
    harness_free(&h);
    return r;
}

#define assert_lines(yaml, lang, code, want) do { \
        char *got_ = lines_of((yaml), (lang), (code)); \
        if (strcmp(got_, (want)) != 0) { \
            print_error("wanted lines \"%s\", got \"%s\"\n", (want), got_); \
            free(got_); fail(); \
        } \
        free(got_); \
    } while (0)

/* A rule with one pattern, Python. */
#define PY_RULE(body) "rules:\n- id: r\n  message: m $X\n  severity: ERROR\n  languages: [python]\n" body
#define C_RULE(body) "rules:\n- id: r\n  message: m $X\n  severity: ERROR\n  languages: [c]\n" body

#endif
