/* pattern.c: preparing a Semgrep pattern for matching (match stage): parse it with
 * the language's front end, find its root (an expression, a statement, or a
 * statement sequence), the target node kinds the root can match (the index of the
 * one-pass search), the identifiers a file must contain (the prefilter), and the
 * "=~/re/" string regexes, compiled once. */
#include "match/match_int.h"

#include <string.h>

bool match_is_metavar_name(const char *s)
{
    if (!s || s[0] != '$') return false;
    s++;
    if (strncmp(s, "...", 3) == 0) s += 3;
    if (!((*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

const char *match_string_regex(const AstNode *lit, size_t *len)
{
    if (lit->kind != AST_LITERAL || lit->op != LIT_STRING || !lit->text) return NULL;
    const char *t = lit->text;
    if (strncmp(t, "=~/", 3) != 0) return NULL;
    const char *end = strrchr(t + 3, '/');
    if (!end) return NULL;
    *len = (size_t)(end - (t + 3));
    return t + 3;
}

/* Flags after the closing slash: i, m, s, x as in Perl. */
static uint32_t regex_flags(const char *after)
{
    uint32_t opts = 0;
    for (; *after; after++) {
        if (*after == 'i') opts |= PCRE2_CASELESS;
        else if (*after == 'm') opts |= PCRE2_MULTILINE;
        else if (*after == 's') opts |= PCRE2_DOTALL;
        else if (*after == 'x') opts |= PCRE2_EXTENDED;
    }
    return opts;
}

pcre2_code *match_pattern_regex(const MatchPattern *mp, const AstNode *lit)
{
    for (size_t i = 0; i < mp->nregexes; i++)
        if (mp->regexes[i].lit == lit) return mp->regexes[i].re;
    return NULL;
}

/* ---------------------------------------------------------------- the root */

#define K(x) (1ull << (x))
#define EXPR_KINDS (K(AST_IDENT) | K(AST_LITERAL) | K(AST_CALL) | K(AST_FIELD) | K(AST_INDEX) \
                    | K(AST_BINARY) | K(AST_UNARY) | K(AST_CAST) | K(AST_COND) | K(AST_LAMBDA) \
                    | K(AST_INIT_LIST) | K(AST_COLLECTION) | K(AST_ASSIGN))

static const AstNode *find_root(const AstNode *r, bool *is_seq)
{
    *is_seq = false;
    while ((r->kind == AST_PROGRAM || r->kind == AST_BLOCK) && r->nkids == 1) r = r->kids[0];
    if (r->kind == AST_EXPR_STMT && r->nkids == 1 && r->kids[0]->kind != AST_ELLIPSIS)
        r = r->kids[0];
    if ((r->kind == AST_PROGRAM || r->kind == AST_BLOCK) && r->nkids > 1) *is_seq = true;
    return r;
}

static uint64_t root_kinds(const AstNode *p, bool is_seq)
{
    if (is_seq) return K(AST_BLOCK) | K(AST_PROGRAM) | K(AST_CLASS);
    switch ((AstKind)p->kind) {
    case AST_METAVAR: case AST_DEEP: return EXPR_KINDS;
    case AST_ELLIPSIS: return 0;
    case AST_IDENT: case AST_FIELD: case AST_TYPE: return K(AST_IDENT) | K(AST_FIELD) | K(AST_TYPE);
    case AST_LITERAL: return K(AST_LITERAL) | K(AST_IDENT);
    case AST_ASSIGN: return K(AST_ASSIGN) | K(AST_DECL);
    case AST_EXPR_STMT: return K(AST_EXPR_STMT) | K(AST_DECL);
    default: return K(p->kind);
    }
}

/* ---------------------------------------------------------------- walking the pattern */

typedef struct PatWalk {
    MatchPattern *mp;
    VEC(const char *) needs;
    VEC(MatchPatRegex) regexes;
    size_t nodes;
    char *err;
} PatWalk;

static void add_need(PatWalk *w, const char *name)
{
    if (!name || !*name || name[0] == '$' || strcmp(name, "...") == 0) return;
    for (size_t i = 0; i < w->needs.n; i++)
        if (w->needs.v[i] == name) return;
    VEC_PUSH(w->needs, name);
}

static void add_regex(PatWalk *w, const AstNode *n)
{
    size_t len;
    const char *re = match_string_regex(n, &len);
    if (!re || w->err) return;
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, len, regex_flags(re + len + 1), &code, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        w->err = xstrdup((const char *)msg);
        return;
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    VEC_PUSH(w->regexes, ((MatchPatRegex){ n, c }));
}

static bool pat_visit(AstNode *n, void *ctx)
{
    PatWalk *w = ctx;
    w->nodes++;
    switch ((AstKind)n->kind) {
    case AST_IDENT: case AST_FIELD: case AST_FUNC:
        add_need(w, n->name);
        break;
    case AST_LITERAL:
        add_regex(w, n);
        break;
    default:
        break;
    }
    return true;
}

void match_pattern_free(MatchPattern *mp)
{
    if (!mp) return;
    for (size_t i = 0; i < mp->nregexes; i++) pcre2_code_free(mp->regexes[i].re);
    free(mp->regexes);
    free(mp->needs);
    if (mp->file) lang_file_free(mp->file);
    free(mp);
}

MatchPattern *match_pattern_prepare(AstFile *f, const RuleFormula *leaf, Lang lang, char **err)
{
    *err = NULL;
    MatchPattern *mp = xcalloc(1, sizeof *mp);
    mp->leaf = leaf;
    mp->lang = lang;
    mp->file = f;
    mp->root = find_root(f->root, &mp->is_seq);
    mp->kinds = root_kinds(mp->root, mp->is_seq);
    PatWalk w = { .mp = mp };
    ast_walk(f->root, pat_visit, &w);
    mp->needs = w.needs.v;
    mp->nneeds = w.needs.n;
    mp->regexes = w.regexes.v;
    mp->nregexes = w.regexes.n;
    if (w.err || w.nodes > MATCH_MAX_PATTERN_NODES) {
        *err = w.err ? w.err : xstrdup("the pattern is too large");
        match_pattern_free(mp);
        return NULL;
    }
    if (mp->kinds == 0) {
        *err = xstrdup("a pattern of only \"...\" matches nothing by itself");
        match_pattern_free(mp);
        return NULL;
    }
    return mp;
}

MatchPattern *match_pattern_compile(LangParser *p, const RuleFormula *leaf, Lang lang,
                                    char **err)
{
    *err = NULL;
    AstFile *f = lang_parse_pattern(p, lang, leaf->text ? leaf->text : "", err);
    if (!f) {
        if (!*err) *err = xstrdup("the pattern does not parse");
        return NULL;
    }
    return match_pattern_prepare(f, leaf, lang, err);
}
