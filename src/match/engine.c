/* engine.c: the match stage's entry points: compiling a RuleSet's search rules into
 * an engine (each pattern parsed once per language), and running all the rules that
 * apply to one file with a single search of its tree. */
#include "match/match_int.h"
#include "scan/scan.h"

#include <string.h>

/* ---------------------------------------------------------------- compiling */

typedef struct Build {
    MatchEngine *e;
    MatchRule *mr;
    LangParser *parser;
    DiagList *diags;
    uint32_t next_index;
    bool reported;                  /* one pattern diag per rule and language */
} Build;

static bool compile_leaf(Build *b, const RuleFormula *f, Lang lang)
{
    char *err = NULL;
    MatchPattern *mp = match_pattern_compile(b->parser, f, lang, &err);
    if (!mp) {
        const Rule *r = b->mr->rule;
        if (!b->reported)
            diag_add(b->diags, DIAG_ERROR, MATCH_DIAG_PATTERN, r->path, f->line, f->col, r->id,
                     "%s:%d:%d: rule %s: invalid %s pattern \"%s\": %s", r->path, f->line, f->col,
                     r->id, lang_name(lang), f->text ? f->text : "", err ? err : "?");
        b->reported = true;
        free(err);
        return false;
    }
    mp->index = b->next_index++;
    VEC_PUSH(b->mr->patterns, mp);
    return true;
}

/* Leaves under metavariable-pattern are parsed in its language when it names one;
 * a regex-only nested formula (language: regex / generic) has no patterns to parse. */
static bool compile_formula(Build *b, const RuleFormula *f, Lang lang, bool no_patterns)
{
    if (!f) return true;
    if (f->kind == RULE_F_PATTERN) return no_patterns || compile_leaf(b, f, lang);
    if (f->kind == RULE_F_METAVAR_PATTERN) {
        if (f->lang != LANG_NONE) lang = f->lang;
        else if (f->language) no_patterns = true;
    }
    bool ok = true;
    for (size_t i = 0; i < f->nkids; i++) ok = compile_formula(b, f->kids[i], lang, no_patterns) && ok;
    return ok;
}

/* A taint rule's patterns: those of all its specs, in one MatchRule. */
static bool compile_specs(Build *b, const RuleTaintSpecs *specs, Lang lang)
{
    bool ok = true;
    for (size_t i = 0; i < specs->n; i++) ok = compile_formula(b, specs->v[i].formula, lang, false) && ok;
    return ok;
}

static void compile_taint_rule(Build *b, const Rule *r)
{
    MatchRule mr = { .rule = r };
    b->mr = &mr;
    for (int l = LANG_NONE + 1; l < LANG_COUNT; l++) {
        if (!(r->lang_mask & (1u << l))) continue;
        b->reported = false;
        bool ok = compile_specs(b, &r->sources, (Lang)l);
        ok = compile_specs(b, &r->sinks, (Lang)l) && ok;
        ok = compile_specs(b, &r->sanitizers, (Lang)l) && ok;
        ok = compile_specs(b, &r->propagators, (Lang)l) && ok;
        if (ok) mr.lang_mask |= 1u << l;
    }
    VEC_PUSH(b->e->taint, mr);
}

static void compile_rule(Build *b, const Rule *r)
{
    MatchRule mr = { .rule = r };
    b->mr = &mr;
    for (int l = LANG_NONE + 1; l < LANG_COUNT; l++) {
        if (!(r->lang_mask & (1u << l)) && !r->any_language) continue;
        b->reported = false;
        if (compile_formula(b, r->formula, (Lang)l, r->any_language)) mr.lang_mask |= 1u << l;
    }
    VEC_PUSH(b->e->v, mr);
}

MatchEngine *match_engine_new(const RuleSet *rules, DiagList *diags)
{
    MatchEngine *e = xcalloc(1, sizeof *e);
    e->rules = rules;
    Build b = { .e = e, .parser = lang_parser_new(), .diags = diags };
    for (size_t i = 0; rules && i < rule_set_count(rules); i++) {
        const Rule *r = rule_set_get(rules, i);
        if (r->mode == RULE_MODE_SEARCH && r->formula) compile_rule(&b, r);
        else if (r->mode == RULE_MODE_TAINT) compile_taint_rule(&b, r);
    }
    e->npatterns = b.next_index;
    lang_parser_delete(b.parser);
    return e;
}

static void free_rules(MatchRule *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < v[i].patterns.n; j++) match_pattern_free(v[i].patterns.v[j]);
        VEC_FREE(v[i].patterns);
    }
}

void match_engine_free(MatchEngine *e)
{
    if (!e) return;
    free_rules(e->v.v, e->v.n);
    free_rules(e->taint.v, e->taint.n);
    VEC_FREE(e->v);
    VEC_FREE(e->taint);
    free(e);
}

size_t match_engine_rule_count(const MatchEngine *e)
{
    return e ? e->v.n : 0;
}

MatchPattern *match_rule_pattern(const MatchRule *r, const RuleFormula *leaf, Lang lang)
{
    for (size_t i = 0; i < r->patterns.n; i++)
        if (r->patterns.v[i]->leaf == leaf && r->patterns.v[i]->lang == lang) return r->patterns.v[i];
    return NULL;
}

/* ---------------------------------------------------------------- results */

void match_results_init(MatchResults *r)
{
    memset(r, 0, sizeof *r);
    arena_init(&r->arena);
}

void match_results_free(MatchResults *r)
{
    VEC_FREE(r->findings);
    arena_free(&r->arena);
}

void match_results_to_report(const MatchResults *r, Report *report)
{
    for (size_t i = 0; i < r->findings.n; i++) report_add_finding(report, &r->findings.v[i]);
}

/* ---------------------------------------------------------------- one file */

bool match_paths_allow(const Rule *r, const char *path)
{
    for (size_t i = 0; i < r->npaths_exclude; i++)
        if (scan_glob_match(r->paths_exclude[i], path)) return false;
    if (!r->npaths_include) return true;
    for (size_t i = 0; i < r->npaths_include; i++)
        if (scan_glob_match(r->paths_include[i], path)) return true;
    return false;
}

static bool rule_applies(const MatchRule *mr, const AstFile *f, Lang lang)
{
    if (!(mr->lang_mask & (1u << lang))) return false;
    if (!match_paths_allow(mr->rule, f->path)) return false;
    return match_prefilter(mr, mr->rule->formula, lang, f->src, f->src_len);
}

/* The leaves the one-pass search runs: those not under a metavariable-pattern
 * (which are searched in the bound code only). Taint specs use it too (spans.c). */
void match_collect_leaves(const MatchRule *mr, const RuleFormula *f, Lang lang,
                          MatchPatternList *out)
{
    if (f->kind == RULE_F_METAVAR_PATTERN) return;
    if (f->kind == RULE_F_PATTERN) {
        MatchPattern *mp = match_rule_pattern(mr, f, lang);
        if (mp) VEC_PUSH(*out, mp);
        return;
    }
    for (size_t i = 0; i < f->nkids; i++) match_collect_leaves(mr, f->kids[i], lang, out);
}

void match_file(const MatchEngine *e, LangParser *p, const AstFile *f, Lang lang,
                MatchResults *out, DiagList *diags)
{
    if (!e || !f || !f->root) return;
    VEC(const MatchRule *) rules = {0};
    MatchPatternList pats = {0};
    for (size_t i = 0; i < e->v.n; i++) {
        const MatchRule *mr = &e->v.v[i];
        if (!rule_applies(mr, f, lang)) continue;
        VEC_PUSH(rules, mr);
        match_collect_leaves(mr, mr->rule->formula, lang, &pats);
    }
    if (rules.n) {
        MatchCtx cx;
        match_ctx_init(&cx, e, f, lang, p, diags);
        MatchRangeList *found = match_search_found(&cx, f->root, &pats);
        for (size_t i = 0; i < rules.n; i++) {
            cx.rule_id = rules.v[i]->rule->id;
            cx.rule_failed = false;
            MatchRangeList ranges = {0};
            match_formula_eval(&cx, rules.v[i], rules.v[i]->rule->formula, found, &ranges);
            match_emit_findings(&cx, rules.v[i], &ranges, out);
            VEC_FREE(ranges);
        }
        match_found_free(found, &pats);
        match_ctx_fini(&cx);
    }
    VEC_FREE(rules);
    VEC_FREE(pats);
}
