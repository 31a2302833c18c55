/* taint_harness.h: what the taint unit tests share: load a taint rule, run the taint
 * stage over a snippet, get the lines of its findings (and their paths). Until the
 * front ends parse Semgrep patterns (lang_parse_pattern), a pattern may be written
 * as plain code in which MV_X stands for $X, MVS_X for $...X and ELLIPSIS for "...";
 * real Semgrep syntax is tried with lang_parse_pattern first. */
#ifndef SLUICE_TAINT_HARNESS_H
#define SLUICE_TAINT_HARNESS_H

#include "testutil.h"

#include "match/match_int.h"
#include "taint/taint.h"

static const char *th_mv_name(const char *name)
{
    char buf[128];
    if (!name) return NULL;
    if (strncmp(name, "MVS_", 4) == 0) snprintf(buf, sizeof buf, "$...%s", name + 4);
    else if (strncmp(name, "MV_", 3) == 0) snprintf(buf, sizeof buf, "$%s", name + 3);
    else return name;
    return intern(buf);
}

static bool th_to_pattern(AstNode *n, void *ctx)
{
    (void)ctx;
    if ((n->kind == AST_IDENT || n->kind == AST_PARAM) && n->name && strcmp(n->name, "ELLIPSIS") == 0) {
        n->kind = AST_ELLIPSIS;
        return true;
    }
    const char *nn = th_mv_name(n->name);
    if (nn != n->name) {
        n->name = nn;
        if (n->kind == AST_IDENT) {
            n->kind = AST_METAVAR;
            if (strncmp(nn, "$...", 4) == 0) n->flags |= AST_F_VARIADIC;
        }
    }
    return true;
}

/* A statement or expression is parsed inside a function (C and Java accept no
 * statement at the top level); a whole function or class is parsed as a file. */
static AstFile *th_parse_text(LangParser *p, Lang lang, char *text)
{
    AstFile *f = lang_parse_file(p, lang, "<pattern>", text, strlen(text), NULL);
    f->src = arena_strdup(&f->arena, text);   /* the file keeps its text; the caller frees its own */
    return f;
}

static AstFile *th_parse_plain(LangParser *p, Lang lang, const char *text)
{
    char *copy = xstrdup(text);
    AstFile *f = th_parse_text(p, lang, copy);
    free(copy);
    if (lang == LANG_PYTHON || (f->root->nkids == 1 && (f->root->kids[0]->kind == AST_FUNC
                                                        || f->root->kids[0]->kind == AST_CLASS)))
        return f;
    lang_file_free(f);
    char *wrapped = xmalloc(strlen(text) + 64);
    sprintf(wrapped, lang == LANG_JAVA ? "class P_ { void p_() {\n%s;\n} }" : "void p_(void) {\n%s;\n}", text);
    f = th_parse_text(p, lang, wrapped);
    free(wrapped);
    AstNode *fn = f->root->kids[0];
    if (fn->kind == AST_CLASS) fn = fn->kids[fn->nkids - 1];
    AstNode *body = ast_func_body(fn);
    f->root = body && body->nkids == 1 ? body->kids[0] : body;
    return f;
}

/* Semgrep syntax into the plain-code convention: $...X -> MVS_X, $X -> MV_X,
 * "..." -> ELLIPSIS (with a ';' where C or Java needs a statement). Heap string. */
static char *th_rewrite(Lang lang, const char *text)
{
    StrBuf b;
    sb_init(&b);
    for (const char *q = text; *q;) {
        if (q[0] == '$' && !strncmp(q + 1, "...", 3)) {
            sb_puts(&b, "MVS_");
            q += 4;
        } else if (q[0] == '$' && (q[1] == '_' || (q[1] >= 'A' && q[1] <= 'Z'))) {
            sb_puts(&b, "MV_");
            q++;
        } else if (!strncmp(q, "...", 3)) {
            sb_puts(&b, "ELLIPSIS");
            q += 3;
            const char *r = q;
            while (*r == ' ' || *r == '\t') r++;
            if (lang != LANG_PYTHON && (*r == '}' || *r == '\n' || !*r)) {
                const char *pre = b.s + b.len - 8;
                while (pre > b.s && (pre[-1] == ' ' || pre[-1] == '\t')) pre--;
                if (pre == b.s || pre[-1] == '{' || pre[-1] == ';' || pre[-1] == '\n' || pre[-1] == '}')
                    sb_putc(&b, ';');
            }
        } else {
            sb_putc(&b, *q++);
        }
    }
    return sb_take(&b);
}

static AstFile *th_pattern(LangParser *p, Lang lang, const char *text)
{
    char *err = NULL;
    AstFile *f = lang_parse_pattern(p, lang, text, &err);
    free(err);
    if (f) return f;
    char *plain = th_rewrite(lang, text);
    f = th_parse_plain(p, lang, plain);
    free(plain);
    ast_walk(f->root, th_to_pattern, NULL);
    if (f->root->kind == AST_PROGRAM && f->root->nkids == 1) f->root = f->root->kids[0];
    if (f->root->kind == AST_EXPR_STMT && f->root->nkids == 1) f->root = f->root->kids[0];
    return f;
}

typedef struct TaintHarness {
    RuleSet *rs;
    MatchEngine *e;
    TaintEngine *te;
    LangParser *p;
    uint32_t next;
} TaintHarness;

static void th_leaves(TaintHarness *h, MatchRule *mr, const RuleFormula *f, Lang lang)
{
    if (!f) return;
    if (f->kind == RULE_F_PATTERN) {
        char *err = NULL;
        MatchPattern *mp = match_pattern_prepare(th_pattern(h->p, lang, f->text), f, lang, &err);
        if (!mp) { print_error("pattern %s: %s\n", f->text, err); fail(); }
        mp->index = h->next++;
        VEC_PUSH(mr->patterns, mp);
    }
    for (size_t i = 0; i < f->nkids; i++) th_leaves(h, mr, f->kids[i], lang);
}

static void th_specs(TaintHarness *h, MatchRule *mr, const RuleTaintSpecs *s, Lang lang)
{
    for (size_t i = 0; i < s->n; i++) th_leaves(h, mr, s->v[i].formula, lang);
}

static void th_load(TaintHarness *h, const char *yaml, Lang lang, const TaintOptions *opt)
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
        th_specs(h, &mr, &r->sources, lang);
        th_specs(h, &mr, &r->sinks, lang);
        th_specs(h, &mr, &r->sanitizers, lang);
        th_specs(h, &mr, &r->propagators, lang);
        VEC_PUSH(h->e->taint, mr);
    }
    h->e->npatterns = h->next;
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
    int lines[512];
    size_t n = 0;
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
        bool seen = false;
        for (size_t j = 0; j < n; j++) seen |= lines[j] == (int)x->start.line;
        if (!seen && n < 512) lines[n++] = (int)x->start.line;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && lines[j - 1] > lines[j]; j--) {
            int t = lines[j]; lines[j] = lines[j - 1]; lines[j - 1] = t;
        }
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "");
    for (size_t i = 0; i < n; i++) sb_printf(&b, i ? " %d" : "%d", lines[i]);
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
    return sb_take(&b);
}

static inline char *th_lines(const char *yaml, Lang lang, const char *code)
{
    TaintHarness h;
    th_load(&h, yaml, lang, NULL);
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
