/* facts.c: what matching knows about a target file beyond its tree (match stage):
 * import aliases (Python import/from-import, Java imports), locals that hold one
 * literal for good (Semgrep's constant propagation of literals), and the declared
 * types of locals (typed metavariables). Built once per file, on first need. */
#include "match/match_int.h"

#include <string.h>

void match_ctx_init(MatchCtx *cx, const MatchEngine *e, const AstFile *f, Lang lang,
                    LangParser *p, DiagList *diags)
{
    memset(cx, 0, sizeof *cx);
    cx->engine = e;
    cx->file = f;
    cx->lang = lang;
    cx->parser = p;
    cx->diags = diags;
    arena_init(&cx->arena);
}

void match_ctx_fini(MatchCtx *cx)
{
    VEC_FREE(cx->aliases);
    VEC_FREE(cx->consts);
    VEC_FREE(cx->types);
    free(cx->line_starts);
    if (cx->re_data) pcre2_match_data_free(cx->re_data);
    if (cx->re_ctx) pcre2_match_context_free(cx->re_ctx);
    arena_free(&cx->arena);
}

/* ---------------------------------------------------------------- imports */

/* The local name an import binds: its alias; for `from a import b` and Java's
 * `import a.b.C`, the last component; for Python's `import a.b`, "a" (which stands
 * for itself, so it needs no alias). */
static void add_import(MatchCtx *cx, const AstNode *n)
{
    if (!n->name || (n->flags & AST_F_WILDCARD)) return;
    const char *full = n->name;
    const char *local = n->text;
    if (!local) {
        bool last = (n->flags & AST_F_FROM) || cx->lang == LANG_JAVA;
        if (!last) return;
        const char *dot = strrchr(full, '.');
        if (!dot) return;
        local = dot + 1;
    }
    if (strcmp(local, full) == 0) return;
    VEC_PUSH(cx->aliases, ((MatchAlias){ intern(local), full }));
}

const char *match_alias_lookup(const MatchCtx *cx, const char *local)
{
    for (size_t i = 0; i < cx->aliases.n; i++)
        if (cx->aliases.v[i].local == local) return cx->aliases.v[i].full;
    return NULL;
}

/* ---------------------------------------------------------------- constants */

typedef struct DefCount {
    const char *name;
    uint32_t defs;
    const AstNode *lit;      /* the literal of the single definition, if it was one */
} DefCount;

typedef VEC(DefCount) DefCounts;

static DefCount *def_slot(DefCounts *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].name == name) return &d->v[i];
    VEC_PUSH(*d, ((DefCount){ name, 0, NULL }));
    return &d->v[d->n - 1];
}

static void count_def(DefCounts *d, const char *name, const AstNode *value)
{
    if (!name) return;
    DefCount *s = def_slot(d, name);
    s->defs++;
    s->lit = value && value->kind == AST_LITERAL ? value : NULL;
}

/* Every way a name gets a value counts as a definition; only a name defined exactly
 * once, by a literal, is a constant. Conservative on purpose: Semgrep also gives up
 * when a variable is reassigned or its address escapes. */
static void note_defs(DefCounts *d, const AstNode *n)
{
    switch ((AstKind)n->kind) {
    case AST_ASSIGN: {
        const AstNode *lhs = n->kids[0];
        if (lhs->kind == AST_IDENT)
            count_def(d, lhs->name, n->op == AST_OP_ASSIGN ? n->kids[1] : NULL);
        break;
    }
    case AST_DECL:
        count_def(d, n->name, n->nkids ? n->kids[0] : NULL);
        break;
    case AST_PARAM: case AST_CATCH: case AST_FUNC: case AST_CLASS:
        count_def(d, n->name, NULL);
        break;
    case AST_UNARY:
        if (n->kids[0]->kind == AST_IDENT
            && (n->op == AST_OP_ADDR || n->op == AST_OP_PREINC || n->op == AST_OP_PREDEC
                || n->op == AST_OP_POSTINC || n->op == AST_OP_POSTDEC))
            count_def(d, n->kids[0]->name, NULL);
        break;
    case AST_LOOP:
        if (n->op == LOOP_FOREACH && n->kids[0]->kind == AST_IDENT)
            count_def(d, n->kids[0]->name, NULL);
        break;
    default:
        break;
    }
}

/* A C declaration without an initializer is not a definition by itself; with one it
 * is. Declarations that are not constants (no literal) are counted all the same. */
static void collect_consts(MatchCtx *cx, DefCounts *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].defs == 1 && d->v[i].lit)
            VEC_PUSH(cx->consts, ((MatchConst){ d->v[i].name, d->v[i].lit }));
}

const AstNode *match_const_lookup(const MatchCtx *cx, const char *name)
{
    for (size_t i = 0; i < cx->consts.n; i++)
        if (cx->consts.v[i].name == name) return cx->consts.v[i].lit;
    return NULL;
}

/* ---------------------------------------------------------------- types */

static const AstNode *enclosing_func(const AstNode *n)
{
    for (const AstNode *p = n->parent; p; p = p->parent)
        if (p->kind == AST_FUNC || p->kind == AST_LAMBDA) return p;
    return NULL;
}

static void note_type(MatchCtx *cx, const AstNode *n)
{
    if ((n->kind == AST_DECL || n->kind == AST_PARAM) && n->name && n->type)
        VEC_PUSH(cx->types, ((MatchDeclType){ enclosing_func(n), n->name, n->type }));
}

const AstNode *match_decl_type(const MatchCtx *cx, const AstNode *ident)
{
    const AstNode *fn = enclosing_func(ident);
    const AstNode *outer = NULL;
    for (size_t i = 0; i < cx->types.n; i++) {
        const MatchDeclType *t = &cx->types.v[i];
        if (t->name != ident->name) continue;
        if (t->scope == fn && fn) return t->type;
        if (!t->scope) outer = t->type;
    }
    return outer;
}

/* ---------------------------------------------------------------- the walk */

typedef struct FactWalk {
    MatchCtx *cx;
    DefCounts defs;
} FactWalk;

static bool fact_visit(AstNode *n, void *ctx)
{
    FactWalk *w = ctx;
    if (n->kind == AST_IMPORT) add_import(w->cx, n);
    note_defs(&w->defs, n);
    note_type(w->cx, n);
    return true;
}

void match_facts_build(MatchCtx *cx)
{
    if (cx->facts_built) return;
    cx->facts_built = true;
    FactWalk w = { .cx = cx };
    ast_walk(cx->file->root, fact_visit, &w);
    collect_consts(cx, &w.defs);
    VEC_FREE(w.defs);
}

/* ---------------------------------------------------------------- positions */

static void build_lines(MatchCtx *cx)
{
    const char *s = cx->file->src;
    size_t n = cx->file->src_len, count = 1;
    for (size_t i = 0; i < n; i++) count += s[i] == '\n';
    cx->line_starts = xmalloc(count * sizeof *cx->line_starts);
    cx->nlines = 0;
    cx->line_starts[cx->nlines++] = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') cx->line_starts[cx->nlines++] = (uint32_t)(i + 1);
}

AstPos match_offset_pos(MatchCtx *cx, uint32_t offset)
{
    if (!cx->line_starts) build_lines(cx);
    size_t lo = 0, hi = cx->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (cx->line_starts[mid] <= offset) lo = mid;
        else hi = mid;
    }
    return (AstPos){ offset, (uint32_t)lo + 1, offset - cx->line_starts[lo] + 1 };
}
