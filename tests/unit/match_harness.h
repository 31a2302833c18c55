/* match_harness.h: what the match unit tests share: run a YAML rule over a snippet and
 * get the lines of its findings. While the front ends cannot parse Semgrep patterns
 * yet (lang_parse_pattern), a pattern may be written as plain code in which MV_X
 * stands for $X, MVS_X for $...X, ELLIPSIS for "...", and DEEP(e) for <... e ...>;
 * the harness rewrites those nodes, in the tree lang_parse_pattern gives (or, when
 * it refuses the text, in the plain parse of it). */
#ifndef SLUICE_MATCH_HARNESS_H
#define SLUICE_MATCH_HARNESS_H

#include "testutil.h"

#include "match/match_int.h"

static const char *mv_name(const char *name)
{
    char buf[128];
    if (!name) return NULL;
    if (strncmp(name, "MVS_", 4) == 0) snprintf(buf, sizeof buf, "$...%s", name + 4);
    else if (strncmp(name, "MV_", 3) == 0) snprintf(buf, sizeof buf, "$%s", name + 3);
    else return name;
    return intern(buf);
}

static bool to_pattern_visit(AstNode *n, void *ctx)
{
    (void)ctx;
    if ((n->kind == AST_IDENT || n->kind == AST_PARAM) && n->name && strcmp(n->name, "ELLIPSIS") == 0) {
        n->kind = AST_ELLIPSIS;
        return true;
    }
    if (n->kind == AST_CALL && n->nkids == 2 && n->kids[0]->kind == AST_IDENT
        && strcmp(n->kids[0]->name, "DEEP") == 0) {
        n->kind = AST_DEEP;
        n->kids[0] = n->kids[1];
        n->nkids = 1;
        return true;
    }
    const char *nn = mv_name(n->name);
    if (nn != n->name) {
        n->name = nn;
        if (n->kind == AST_IDENT) {
            n->kind = AST_METAVAR;
            if (strncmp(nn, "$...", 4) == 0) n->flags |= AST_F_VARIADIC;
        }
    }
    return true;
}

/* The pattern's AST: the real parser when it can, else plain code rewritten. */
static AstFile *harness_pattern(LangParser *p, Lang lang, const char *text)
{
    char *err = NULL;
    AstFile *f = lang_parse_pattern(p, lang, text, &err);
    free(err);
    if (!f) f = lang_parse_file(p, lang, "<pattern>", text, strlen(text), NULL);
    /* The real parser takes MV_X and ELLIPSIS for plain identifiers: rewrite them too. */
    ast_walk(f->root, to_pattern_visit, NULL);
    return f;
}

typedef struct Harness {
    RuleSet *rs;
    MatchEngine *e;
    LangParser *p;
    uint32_t next;
} Harness;

static void harness_leaves(Harness *h, MatchRule *mr, const RuleFormula *f, Lang lang)
{
    if (f->kind == RULE_F_METAVAR_PATTERN && f->lang != LANG_NONE) lang = f->lang;
    if (f->kind == RULE_F_PATTERN) {
        char *err = NULL;
        MatchPattern *mp = match_pattern_prepare(harness_pattern(h->p, lang, f->text), f, lang, &err);
        if (!mp) { print_error("pattern %s: %s\n", f->text, err); fail(); }
        mp->index = h->next++;
        VEC_PUSH(mr->patterns, mp);
    }
    for (size_t i = 0; i < f->nkids; i++) harness_leaves(h, mr, f->kids[i], lang);
}

static void harness_load(Harness *h, const char *yaml, Lang lang)
{
    memset(h, 0, sizeof *h);
    h->rs = rule_set_new();
    h->p = lang_parser_new();
    DiagList d = {0};
    rule_set_load_string(h->rs, "t.yml", yaml, strlen(yaml), &d);
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].level == DIAG_ERROR) { print_error("rule: %s\n", d.v[i].message); fail(); }
    diag_list_free(&d);
    h->e = xcalloc(1, sizeof *h->e);
    h->e->rules = h->rs;
    for (size_t i = 0; i < rule_set_count(h->rs); i++) {
        const Rule *r = rule_set_get(h->rs, i);
        MatchRule mr = { .rule = r, .lang_mask = 1u << lang };
        harness_leaves(h, &mr, r->formula, lang);
        VEC_PUSH(h->e->v, mr);
    }
    h->e->npatterns = h->next;
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
    int lines[512];
    size_t n = 0;
    StrBuf m;
    sb_init(&m);
    for (size_t i = 0; i < res.findings.n; i++) {
        const ReportFinding *x = &res.findings.v[i];
        sb_printf(&m, "%u: %s\n", x->start.line, x->message);
        bool seen = false;
        for (size_t j = 0; j < n; j++) seen |= lines[j] == (int)x->start.line;
        if (!seen && n < 512) lines[n++] = (int)x->start.line;
    }
    for (size_t i = 1; i < n; i++)   /* insertion sort: few lines */
        for (size_t j = i; j > 0 && lines[j - 1] > lines[j]; j--) {
            int t = lines[j]; lines[j] = lines[j - 1]; lines[j - 1] = t;
        }
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "");
    for (size_t i = 0; i < n; i++) sb_printf(&b, i ? " %d" : "%d", lines[i]);
    if (msgs) *msgs = sb_take(&m);
    sb_free(&m);
    match_results_free(&res);
    diag_list_free(&d);
    lang_file_free(f);
    return sb_take(&b);
}

/* One rule, one snippet: the finding lines. */
static char *lines_of(const char *yaml, Lang lang, const char *code)
{
    Harness h;
    harness_load(&h, yaml, lang);
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
