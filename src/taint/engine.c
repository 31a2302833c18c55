/* engine.c: the taint stage's entry points: the engine built from the match
 * engine's taint rules, and taint_file(), which runs each rule on each function of
 * a file (spans from the match stage, IL and CFG, fixpoint, findings), with the
 * size and budget limits that keep a hostile function from stalling a scan. */
#include "taint/taint_ip.h"

#include <string.h>

TaintEngine *taint_engine_new(const MatchEngine *m, const TaintOptions *opt)
{
    TaintEngine *e = xcalloc(1, sizeof *e);
    e->match = m;
    if (opt) e->opt = *opt;
    if (e->opt.k <= 0) e->opt.k = TAINT_DEFAULT_K;
    if (e->opt.k > TAINT_MAX_K) e->opt.k = TAINT_MAX_K;
    if (!e->opt.max_nodes) e->opt.max_nodes = TAINT_DEFAULT_MAX_NODES;
    if (!e->opt.budget) e->opt.budget = TAINT_DEFAULT_BUDGET;
    return e;
}

void taint_engine_free(TaintEngine *e)
{
    free(e);
}

size_t taint_engine_rule_count(const TaintEngine *e)
{
    return e ? match_engine_taint_count(e->match) : 0;
}

/* ---------------------------------------------------------------- declared types */

struct TaintNameMap {
    const char **names;
    const AstNode **types;
    size_t cap;
};

static void map_put(struct TaintNameMap *m, const char *name, const AstNode *type)
{
    if (!name || !type) return;
    size_t j = ((uintptr_t)name >> 4) & (m->cap - 1);
    while (m->names[j] && m->names[j] != name) j = (j + 1) & (m->cap - 1);
    if (m->names[j]) return;   /* the innermost declaration was put first */
    m->names[j] = name;
    m->types[j] = type;
}

static bool collect_decl(AstNode *n, void *ctx)
{
    VEC(const AstNode *) *v = ctx;
    if (n->kind == AST_DECL || n->kind == AST_PARAM) VEC_PUSH(*v, n);
    return n->kind != AST_LAMBDA && n->kind != AST_CLASS;
}

/* Locals first (the function's own declarations), then the file's top level and
 * class members (globals, fields). */
static struct TaintNameMap *build_types(TaintFunc *f)
{
    VEC(const AstNode *) decls = {0};
    ast_walk((AstNode *)f->fn, collect_decl, &decls);
    const AstNode *root = f->file->root;
    for (uint32_t i = 0; i < root->nkids; i++) {
        const AstNode *k = root->kids[i];
        if (k->kind == AST_DECL) VEC_PUSH(decls, k);
        for (uint32_t j = 0; k->kind == AST_CLASS && j < k->nkids; j++)
            if (k->kids[j]->kind == AST_DECL) VEC_PUSH(decls, k->kids[j]);
    }
    struct TaintNameMap *m = arena_alloc(&f->arena, sizeof *m);
    m->cap = 16;
    while (m->cap < decls.n * 2 + 2) m->cap *= 2;
    m->names = arena_alloc(&f->arena, m->cap * sizeof *m->names);
    m->types = arena_alloc(&f->arena, m->cap * sizeof *m->types);
    for (size_t i = 0; i < decls.n; i++) map_put(m, decls.v[i]->name, decls.v[i]->type);
    VEC_FREE(decls);
    return m;
}

const AstNode *taint_decl_type(TaintFunc *f, const char *name)
{
    if (!name) return NULL;
    if (!f->types) f->types = build_types(f);
    struct TaintNameMap *m = f->types;
    for (size_t j = ((uintptr_t)name >> 4) & (m->cap - 1); m->names[j]; j = (j + 1) & (m->cap - 1))
        if (m->names[j] == name) return m->types[j];
    return NULL;
}

/* ---------------------------------------------------------------- one function */

static size_t count_owned(const AstNode *root)
{
    size_t n = 0;
    VEC(const AstNode *) stack = {0};
    VEC_PUSH(stack, root);
    while (stack.n) {
        const AstNode *x = stack.v[--stack.n];
        if (x != root && (x->kind == AST_FUNC || x->kind == AST_CLASS)) continue;
        n++;
        for (uint32_t i = 0; i < x->nkids; i++) VEC_PUSH(stack, x->kids[i]);
    }
    VEC_FREE(stack);
    return n;
}

static void prop_tables(TaintFunc *f)
{
    const Rule *r = f->rc->rule;
    f->prop_off = arena_alloc(&f->arena, (r->propagators.n + 1) * sizeof *f->prop_off);
    size_t total = 0;
    for (size_t j = 0; j < r->propagators.n; j++) {
        f->prop_off[j] = total;
        total += f->rc->prop[j].n;
    }
    f->prop_from = arena_alloc(&f->arena, (total + 1) * sizeof *f->prop_from);
    f->prop_epoch = arena_alloc(&f->arena, (total + 1) * sizeof *f->prop_epoch);
    f->prop_to = arena_alloc(&f->arena, (total + 1) * sizeof *f->prop_to);
}

static const char *func_name(const AstNode *fn)
{
    return fn->kind == AST_FUNC && fn->name ? fn->name : "<top level>";
}

typedef struct FileRun {
    const TaintEngine *e;
    const AstFile *file;
    Lang lang;
    const TaintRuleCtx *rc;
    Arena *keep;
    VEC(TaintFound) found;
    DiagList *diags;
} FileRun;

static void limit_diag(FileRun *fr, const AstNode *fn, const char *what)
{
    diag_add(fr->diags, DIAG_ERROR, TAINT_DIAG_LIMIT, fr->file->path, (int)fn->start.line,
             (int)fn->start.col, fr->rc->rule->id, "function %s: %s; its taint findings are skipped",
             func_name(fn), what);
}

/* One function for one rule. Outside the program stage a function without a sink
 * has nothing to report; inside it, it may still pass taint on (its summary). */
bool taint_run_function(const TaintEngine *e, const AstFile *file, Lang lang, const TaintRuleCtx *rc,
                        const AstNode *fn, Arena *keep, void *found, TaintIpFunc *ip,
                        const char **why)
{
    size_t nodes = count_owned(fn);
    if (nodes > e->opt.max_nodes) {
        *why = "too large for taint analysis";
        return false;
    }
    TaintFunc f = { .engine = e, .file = file, .lang = lang, .fn = fn, .rc = rc, .keep = keep,
                    .found = found, .ip = ip };
    VEC(TaintFound) *fv = found;
    bool ok = true;
    arena_init(&f.arena);
    f.hits = taint_hits_build(&f.arena, rc, fn);
    if (ip || taint_hits_any(f.hits, ROLE_SINK)) {
        f.paths = taint_paths_new(&f.arena, e->opt.k);
        taint_cfg_build(&f.cfg, &f.arena, fn, lang);
        prop_tables(&f);
        f.budget = e->opt.budget * (nodes + f.cfg.n) + 100000;
        size_t before = fv->n;
        if (!taint_flow_run(&f)) {
            fv->n = before;   /* half a fixpoint proves nothing either way */
            *why = "the taint fixpoint did not converge within its budget";
            ok = false;
        }
        taint_cfg_free(&f.cfg);
        taint_paths_free(f.paths);
    }
    arena_free(&f.arena);
    return ok;
}

static void analyze_function(FileRun *fr, const AstNode *fn)
{
    const char *why = NULL;
    if (!taint_run_function(fr->e, fr->file, fr->lang, fr->rc, fn, fr->keep, &fr->found, NULL, &why))
        limit_diag(fr, fn, why);
}

/* ---------------------------------------------------------------- one rule */

static bool overlaps(const MatchSpan *s, const AstNode *fn)
{
    return s->end.offset >= fn->start.offset && s->start.offset <= fn->end.offset;
}

static bool any_overlap(const MatchSpanList *lists, size_t n, const AstNode *fn)
{
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < lists[j].n; k++)
            if (overlaps(&lists[j].v[k], fn)) return true;
    return false;
}

static bool worth(const TaintRuleCtx *rc, const AstNode *fn)
{
    const Rule *r = rc->rule;
    return any_overlap(rc->sink, r->sinks.n, fn) && any_overlap(rc->src, r->sources.n, fn);
}

static bool collect_funcs(AstNode *n, void *ctx)
{
    VEC(const AstNode *) *v = ctx;
    if (n->kind == AST_FUNC && ast_func_body(n)) VEC_PUSH(*v, n);
    return true;
}

static void add_label(TaintRuleCtx *rc, const char *label)
{
    if (!label || taint_label_bit(rc, label) || rc->nlabels >= 32) return;
    rc->labels[rc->nlabels++] = label;
}

void taint_rule_ctx(TaintRuleCtx *rc, const Rule *r, MatchSpanList *specs)
{
    memset(rc, 0, sizeof *rc);
    rc->rule = r;
    rc->src = specs;
    rc->sink = rc->src + r->sources.n;
    rc->san = rc->sink + r->sinks.n;
    rc->prop = rc->san + r->sanitizers.n;
    rc->safe_numbers = rule_option_bool(r, "taint_assume_safe_numbers");
    rc->safe_booleans = rule_option_bool(r, "taint_assume_safe_booleans");
    rc->safe_indexes = rule_option_bool(r, "taint_assume_safe_indexes");
    rc->safe_functions = rule_option_bool(r, "taint_assume_safe_functions");
    rc->labels[0] = "__SOURCE__";
    rc->nlabels = 1;
    for (size_t i = 0; i < r->sources.n; i++) add_label(rc, r->sources.v[i].label);
}

static void run_rule(FileRun *fr, const AstNode *const *funcs, size_t nfuncs, MatchResults *out)
{
    for (size_t i = 0; i < nfuncs; i++)
        if (worth(fr->rc, funcs[i])) analyze_function(fr, funcs[i]);
    if (fr->found.n) taint_findings_emit(fr->rc, fr->file, fr->found.v, fr->found.n, out);
    VEC_FREE(fr->found);
}

void taint_file(const TaintEngine *e, LangParser *p, const AstFile *f, Lang lang,
                MatchResults *out, DiagList *diags)
{
    if (!e || !f || !f->root || !taint_engine_rule_count(e)) return;
    MatchTaintSpans spans;
    match_taint_spans(e->match, p, f, lang, &spans, diags);
    VEC(const AstNode *) funcs = {0};
    VEC_PUSH(funcs, f->root);
    ast_walk(f->root, collect_funcs, &funcs);
    Arena keep;
    arena_init(&keep);
    for (size_t i = 0; i < spans.nrules; i++) {
        if (!spans.applies[i]) continue;
        TaintRuleCtx rc;
        taint_rule_ctx(&rc, match_engine_taint_rule(e->match, i), spans.specs[i]);
        FileRun fr = { .e = e, .file = f, .lang = lang, .rc = &rc, .keep = &keep, .diags = diags };
        run_rule(&fr, funcs.v, funcs.n, out);
    }
    arena_free(&keep);
    VEC_FREE(funcs);
    match_taint_spans_free(&spans);
}
