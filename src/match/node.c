/* node.c: matching one pattern node against one target node (match stage), with
 * Semgrep's semantics: metavariables and unification, "..." and $...X in lists,
 * deep expressions, string ellipsis and "=~/re/", typed metavariables, method-chain
 * ellipsis, and the equivalences (import aliases, keyword-argument order, literal
 * constants, assignment vs declaration). Enumerates all matches through
 * continuations; see match_int.h. */
#include "match/match_int.h"

#include <string.h>

static bool call_k(Matcher *m, const MatchK *k)
{
    return k->fn(m, k);
}

/* ---------------------------------------------------------------- names */

/* A name field: a metavariable binds the target's name, anything else must be equal.
 * A pattern without a name (NULL) accepts any. */
static bool match_name(Matcher *m, const char *pname, const AstNode *t, const MatchK *k)
{
    if (!pname) return call_k(m, k);
    if (match_is_metavar_name(pname)) {
        if (!t->name) return false;
        MatchVal v = { .kind = MV_NAME, .name = t->name };
        match_name_range(m->cx->file, t, &v.start, &v.end);
        return match_bind(m, pname, &v, k);
    }
    return pname == t->name && call_k(m, k);
}

/* ---------------------------------------------------------------- dotted names */

static bool dotted(const AstNode *n, char *buf, size_t cap, size_t *len)
{
    const char *part;
    if (n->kind == AST_IDENT || n->kind == AST_TYPE) {
        part = n->name;
        *len = 0;
    } else if (n->kind == AST_FIELD) {
        if (!dotted(n->kids[0], buf, cap, len)) return false;
        if (*len + 1 >= cap) return false;
        buf[(*len)++] = '.';
        part = n->name;
    } else {
        return false;
    }
    if (!part || part[0] == '$') return false;
    size_t pl = strlen(part);
    if (*len + pl + 1 > cap) return false;
    memcpy(buf + *len, part, pl);
    *len += pl;
    buf[*len] = 0;
    return true;
}

/* The target's dotted name with its first component replaced by what an import
 * made it stand for: `sp.run` after `import subprocess as sp` is "subprocess.run". */
static bool resolved(const MatchCtx *cx, const AstNode *t, char *buf, size_t cap)
{
    char raw[512];
    size_t len;
    if (!dotted(t, raw, sizeof raw, &len)) return false;
    const char *dot = strchr(raw, '.');
    size_t head = dot ? (size_t)(dot - raw) : len;
    const char *full = match_alias_lookup(cx, intern_n(raw, head));
    if (!full) return false;
    size_t fl = strlen(full);
    if (fl + (len - head) + 1 > cap) return false;
    memcpy(buf, full, fl);
    memcpy(buf + fl, raw + head, len - head + 1);
    return true;
}

static bool has_alias_root(MatchCtx *cx, const AstNode *t)
{
    while (t->kind == AST_FIELD) t = t->kids[0];
    if (t->kind != AST_IDENT && t->kind != AST_TYPE) return false;
    match_facts_build(cx);
    if (!cx->aliases.n) return false;
    const char *name = t->name;
    if (t->kind == AST_TYPE && name) {
        const char *dot = strchr(name, '.');
        if (dot) name = intern_n(name, (size_t)(dot - name));
    }
    return match_alias_lookup(cx, name) != NULL;
}

/* 1 when p's dotted name equals t's resolved one, -1 otherwise (p has metavariables,
 * t has no aliased root, or the names differ): the caller then compares the names as
 * written, as Semgrep does, so that `log.warn(...)` still matches after
 * `import logging as log`. */
static int alias_equal(Matcher *m, const AstNode *p, const AstNode *t)
{
    if (!has_alias_root(m->cx, t)) return -1;
    char pb[512], tb[512];
    size_t pl;
    if (!dotted(p, pb, sizeof pb, &pl)) return -1;
    if (!resolved(m->cx, t, tb, sizeof tb)) return -1;
    return strcmp(pb, tb) == 0 ? 1 : -1;
}

/* ---------------------------------------------------------------- metavariables */

static const char *last_component(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot ? dot + 1 : s;
}

/* The declarator shape of a type name: its pointer, array and generic punctuation
 * ("char[64]" and "$T[$N]" are both "[]", "char*" is "*"). */
static void type_shape(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        if (strchr("[]*&<>,", *s)) out[n++] = *s;
    out[n] = 0;
}

static bool type_names_equal(const char *p, const char *t)
{
    if (!p || !t) return false;
    if (p[0] == '$') {
        /* `$T` is any type; `$T[$N]` or `$T *` any type of that shape */
        if (match_is_metavar_name(p)) return true;
        char ps[32], ts[32];
        type_shape(p, ps, sizeof ps);
        type_shape(t, ts, sizeof ts);
        return strcmp(ps, ts) == 0;
    }
    if (p == t || strcmp(p, t) == 0) return true;
    return strcmp(last_component(p), last_component(t)) == 0;
}

static const char *literal_type(Lang lang, const AstNode *lit)
{
    switch ((AstLitKind)lit->op) {
    case LIT_INT: return "int";
    case LIT_FLOAT: return lang == LANG_PYTHON ? "float" : "double";
    case LIT_STRING: return lang == LANG_JAVA ? "String" : lang == LANG_C ? "char*" : "str";
    case LIT_CHAR: return "char";
    case LIT_BOOL: return lang == LANG_PYTHON ? "bool" : "boolean";
    default: return NULL;
    }
}

/* The static type of a target expression, as far as local declarations tell. */
static const char *type_of(Matcher *m, const AstNode *t)
{
    switch ((AstKind)t->kind) {
    case AST_IDENT: {
        match_facts_build(m->cx);
        const AstNode *ty = match_decl_type(m->cx, t);
        return ty ? ty->name : NULL;
    }
    case AST_LITERAL: return literal_type(m->cx->lang, t);
    case AST_CAST: return t->type ? t->type->name : NULL;
    case AST_CALL:
        if ((t->flags & AST_F_NEW) && t->nkids) {
            const AstNode *c = t->kids[0];
            return c->kind == AST_TYPE || c->kind == AST_IDENT ? c->name : NULL;
        }
        return NULL;
    default: return NULL;
    }
}

static bool match_metavar(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind == AST_EMPTY) return false;
    if (p->type && !type_names_equal(p->type->name, type_of(m, t))) return false;
    MatchVal v = { .kind = MV_NODE, .node = t, .start = t->start, .end = t->end };
    return match_bind(m, p->name, &v, k);
}

/* ---------------------------------------------------------------- literals */

static const AstNode *literal_value(Matcher *m, const AstNode *t)
{
    if (t->kind == AST_LITERAL) return t;
    if (t->kind != AST_IDENT) return NULL;
    match_facts_build(m->cx);
    return match_const_lookup(m->cx, t->name);
}

static bool numbers_equal(const char *a, const char *b)
{
    char *ea, *eb;
    unsigned long long x = strtoull(a, &ea, 0), y = strtoull(b, &eb, 0);
    if (*ea == 0 && *eb == 0) return x == y;
    return strcmp(a, b) == 0;
}

static bool literal_equal(Matcher *m, const AstNode *p, const AstNode *tv)
{
    if (p->op == LIT_STRING && tv->op == LIT_STRING) {
        size_t rl;
        const char *re = match_string_regex(p, &rl);
        if (re) {
            pcre2_code *code = match_pattern_regex(m->pat, p);
            const char *s = tv->text ? tv->text : "";
            return code && match_regex_text(m->cx, code, s, strlen(s)) == 1;
        }
        if (p->text && strcmp(p->text, "...") == 0) return true;
        return p->text && tv->text && strcmp(p->text, tv->text) == 0;
    }
    if (p->op != tv->op) return false;
    if (!p->text || !tv->text) return p->text == tv->text;
    if (p->op == LIT_INT) return numbers_equal(p->text, tv->text);
    return strcmp(p->text, tv->text) == 0;
}

/* The content of a string literal in the source, without its prefix (r, b, f, L, ...)
 * and quotes (one, or three for Python's triple-quoted strings). */
static MatchVal string_content(MatchCtx *cx, const AstNode *lit)
{
    const char *src = cx->file->src;
    uint32_t s = lit->start.offset, e = lit->end.offset;
    while (s < e && src[s] != '"' && src[s] != '\'') s++;
    uint32_t q = 1;
    if (e - s >= 6 && src[s + 1] == src[s] && src[s + 2] == src[s]) q = 3;
    if (e - s < 2 * q) q = 0;           /* no quotes found: keep the whole text */
    MatchVal v = { .kind = MV_TEXT };
    v.start = match_offset_pos(cx, s + q);
    v.end = match_offset_pos(cx, e - q);
    return v;
}

static bool match_literal(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    const AstNode *tv = literal_value(m, t);
    /* "$X" matches any string literal and binds $X to its content (Semgrep's
     * metavariable in a string), e.g. for a metavariable-pattern on the text. */
    if (p->op == LIT_STRING && p->text && match_is_metavar_name(p->text)
        && strncmp(p->text, "$...", 4) != 0) {
        if (!tv || tv->op != LIT_STRING || !m->cx->file->src) return false;
        MatchVal v = string_content(m->cx, tv);
        return match_bind(m, intern(p->text), &v, k);
    }
    return tv && literal_equal(m, p, tv) && call_k(m, k);
}

/* ---------------------------------------------------------------- name chains */

/* $X. ... .foo(): the object of foo may be reached through any chain of field
 * accesses, calls and subscripts from something that matches $X. */
static bool match_chain_ellipsis(Matcher *m, const AstNode *start, const AstNode *t,
                                 const MatchK *k)
{
    for (const AstNode *cur = t; cur;) {
        if (match_node(m, start, cur, k)) return true;
        if ((cur->kind == AST_FIELD || cur->kind == AST_CALL || cur->kind == AST_INDEX)
            && cur->nkids)
            cur = cur->kids[0];
        else
            cur = NULL;
    }
    return false;
}

static bool field_object(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    const AstNode *pobj = p->kids[0];
    if (pobj->kind == AST_ELLIPSIS && pobj->nkids == 1)
        return match_chain_ellipsis(m, pobj->kids[0], t->kids[0], k->next);
    return match_node(m, pobj, t->kids[0], k->next);
}

static bool match_field(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    int a = alias_equal(m, p, t);
    if (a > 0) return call_k(m, k);
    if (t->kind != AST_FIELD || !p->nkids || !t->nkids) return false;
    if ((p->flags & AST_F_ARROW) != (t->flags & AST_F_ARROW)) return false;
    MatchK obj = { .fn = field_object, .next = k, .data = p, .last = t };
    return match_name(m, p->name, t, &obj);
}

static bool match_ident(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if ((t->kind == AST_IDENT || t->kind == AST_TYPE) && t->name == p->name) return call_k(m, k);
    int a = alias_equal(m, p, t);
    return a > 0 && call_k(m, k);
}

static bool match_type(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind == AST_TYPE || t->kind == AST_IDENT) {
        if (p->name && match_is_metavar_name(p->name)) return match_name(m, p->name, t, k);
        if (p->name == t->name) return call_k(m, k);
    }
    int a = alias_equal(m, p, t);
    return a > 0 && call_k(m, k);
}

/* ---------------------------------------------------------------- calls */

typedef struct KwSplit {
    AstNode **pk, **tk;             /* paired keyword values */
    AstNode **pp, **tp;             /* the rest, in order */
    uint32_t nk, npp, ntp;
} KwSplit;

static bool has_named_keyword(AstNode *const *ps, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (ps[i]->kind == AST_KEYWORD && ps[i]->name && !match_is_metavar_name(ps[i]->name))
            return true;
    return false;
}

/* Keyword arguments match by name whatever their order, as Semgrep's equivalence
 * says; what is left (positional arguments, unpaired keywords) matches in order. */
static bool kw_split(AstNode *const *ps, uint32_t np, AstNode *const *ts, uint32_t nt, KwSplit *s)
{
    s->pk = xmalloc((np + 1) * sizeof *s->pk);
    s->tk = xmalloc((np + 1) * sizeof *s->tk);
    s->pp = xmalloc((np + 1) * sizeof *s->pp);
    s->tp = xmalloc((nt + 1) * sizeof *s->tp);
    bool *used = xcalloc(nt + 1, sizeof *used);
    s->nk = s->npp = s->ntp = 0;
    bool ok = true;
    for (uint32_t i = 0; i < np && ok; i++) {
        const AstNode *p = ps[i];
        if (p->kind != AST_KEYWORD || !p->name || match_is_metavar_name(p->name)) {
            s->pp[s->npp++] = ps[i];
            continue;
        }
        uint32_t j = 0;
        while (j < nt && !(ts[j]->kind == AST_KEYWORD && ts[j]->name == p->name && !used[j])) j++;
        if (j == nt || !p->nkids || !ts[j]->nkids) { ok = false; break; }
        used[j] = true;
        s->pk[s->nk] = p->kids[0];
        s->tk[s->nk++] = ts[j]->kids[0];
    }
    for (uint32_t j = 0; j < nt; j++)
        if (!used[j]) s->tp[s->ntp++] = ts[j];
    free(used);
    return ok;
}

static void kw_free(KwSplit *s)
{
    free(s->pk); free(s->tk); free(s->pp); free(s->tp);
}

static bool kw_rest(Matcher *m, const MatchK *k)
{
    const KwSplit *s = k->data;
    return match_seq(m, s->pp, s->npp, s->tp, s->ntp, SEQ_EXACT, NULL, k->next);
}

static bool match_args(Matcher *m, AstNode *const *ps, uint32_t np, AstNode *const *ts,
                       uint32_t nt, const MatchK *k)
{
    if (!has_named_keyword(ps, np)) return match_seq(m, ps, np, ts, nt, SEQ_EXACT, NULL, k);
    KwSplit s;
    bool stop = false;
    if (kw_split(ps, np, ts, nt, &s)) {
        MatchK rest = { .fn = kw_rest, .next = k, .data = &s };
        stop = match_seq(m, s.pk, s.nk, s.tk, s.nk, SEQ_EXACT, NULL, &rest);
    }
    kw_free(&s);   /* safe: every use of s ends before match_seq returns */
    return stop;
}

static bool call_args(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    return match_args(m, p->kids + 1, p->nkids - 1, t->kids + 1, t->nkids - 1, k->next);
}

static bool match_call(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind != AST_CALL || !p->nkids || !t->nkids) return false;
    if ((p->flags & AST_F_NEW) != (t->flags & AST_F_NEW)) return false;
    MatchK args = { .fn = call_args, .next = k, .data = p, .last = t };
    return match_node(m, p->kids[0], t->kids[0], &args);
}

/* ---------------------------------------------------------------- assignments */

static bool assign_rhs(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    return match_node(m, p->kids[1], t->kids[0], k->next);
}

/* `$X = e` also matches a declaration with an initializer (`int x = e;`). */
static bool match_assign_decl(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (p->op != AST_OP_ASSIGN || t->nkids != 1 || t->kids[0]->kind == AST_EMPTY) return false;
    const AstNode *lhs = p->kids[0];
    MatchK rhs = { .fn = assign_rhs, .next = k, .data = p, .last = t };
    if (lhs->kind == AST_METAVAR && !lhs->type) return match_name(m, lhs->name, t, &rhs);
    if (lhs->kind == AST_IDENT) return lhs->name == t->name && call_k(m, &rhs);
    return false;
}

static bool match_assign(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind == AST_DECL) return match_assign_decl(m, p, t, k);
    if (t->kind != AST_ASSIGN || p->op != t->op || p->nkids != 2 || t->nkids != 2) return false;
    return match_seq(m, p->kids, 2, t->kids, 2, SEQ_EXACT, NULL, k);
}

/* ---------------------------------------------------------------- functions, classes */

typedef struct Parts {
    AstNode *const *annots;
    uint32_t nannots;
    AstNode *const *params;
    uint32_t nparams;
    const AstNode *body;
} Parts;

static Parts func_parts(const AstNode *f)
{
    Parts s = {0};
    uint32_t i = 0;
    s.annots = f->kids;
    while (i < f->nkids && f->kids[i]->kind == AST_ANNOTATION) i++;
    s.nannots = i;
    s.params = f->kids ? f->kids + i : NULL;
    uint32_t end = f->nkids;
    if (end > i && f->kids[end - 1]->kind == AST_BLOCK) {
        s.body = f->kids[end - 1];
        end--;
    }
    s.nparams = end - i;
    return s;
}

/* Each pattern annotation must match some annotation of the target, in any order. */
static bool subset_at(Matcher *m, const MatchK *k);

static bool subset_from(Matcher *m, AstNode *const *ps, uint32_t np, AstNode *const *ts,
                        uint32_t nt, uint32_t i, const MatchK *next)
{
    if (i == np) return call_k(m, next);
    /* `class $C(...)`: an ellipsis among the bases stands for any others, none included
     * (the Python front end lowers a base `...` to a TYPE named "...") */
    bool any = match_is_seq_ellipsis(ps[i])
               || (ps[i]->kind == AST_TYPE && ps[i]->name && !strcmp(ps[i]->name, "..."));
    if (any) return subset_from(m, ps, np, ts, nt, i + 1, next);
    MatchK k = { .fn = subset_at, .next = next, .ps = ps, .np = np, .ts = ts, .nt = nt,
                 .i = i + 1 };
    for (uint32_t j = 0; j < nt; j++)
        if (match_node(m, ps[i], ts[j], &k)) return true;
    return false;
}

static bool subset_at(Matcher *m, const MatchK *k)
{
    return subset_from(m, k->ps, k->np, k->ts, k->nt, k->i, k->next);
}

static bool func_body(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    Parts pp = func_parts(p), tp = func_parts(t);
    if (!pp.body) return call_k(m, k->next);
    if (!tp.body) return false;
    return match_node(m, pp.body, tp.body, k->next);
}

static bool func_params(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    Parts pp = func_parts(p), tp = func_parts(t);
    MatchK body = { .fn = func_body, .next = k->next, .data = p, .last = t };
    return match_seq(m, pp.params, pp.nparams, tp.params, tp.nparams, SEQ_EXACT, NULL, &body);
}

static bool func_annots(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    Parts pp = func_parts(p), tp = func_parts(t);
    MatchK params = { .fn = func_params, .next = k->next, .data = p, .last = t };
    return subset_from(m, pp.annots, pp.nannots, tp.annots, tp.nannots, 0, &params);
}

static bool types_match(const AstNode *p, const AstNode *t)
{
    if (!p) return true;
    return t && type_names_equal(p->name, t->name);
}

/* Continuation: the declared type of k->data (pattern) against k->last's (target).
 * types_match() has filtered already; a metavariable type (`catch ($T $E)`,
 * `$T $X = ...;`) binds the target's type name, as Semgrep does. */
static bool type_k(Matcher *m, const MatchK *k)
{
    const AstNode *p = ((const AstNode *)k->data)->type, *t = k->last->type;
    if (p && t && p->name && t->name && match_is_metavar_name(p->name))
        return match_name(m, p->name, t, k->next);
    return call_k(m, k->next);
}

/* Java modifiers (FUNC/CLASS/DECL text): each keyword the pattern writes must be
 * among the target's, in any order, as Semgrep matches attributes; a pattern
 * without modifiers matches any. */
static bool modifiers_in(const AstNode *p, const AstNode *t)
{
    if (!p->text) return true;
    const char *w = p->text;
    while (*w) {
        while (*w == ' ') w++;
        size_t n = strcspn(w, " ");
        if (!n) break;
        bool found = false;
        for (const char *h = t->text; h && *h && !found;) {
            while (*h == ' ') h++;
            size_t hn = strcspn(h, " ");
            found = hn == n && memcmp(h, w, n) == 0;
            h += hn;
        }
        if (!found) return false;
        w += n;
    }
    return true;
}

static bool match_func(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind != AST_FUNC || !types_match(p->type, t->type)) return false;
    if (!modifiers_in(p, t)) return false;
    MatchK annots = { .fn = func_annots, .next = k, .data = p, .last = t };
    MatchK ty = { .fn = type_k, .next = &annots, .data = p, .last = t };
    return match_name(m, p->name, t, &ty);
}

static bool class_members(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    uint32_t np, nt;
    AstNode *const *ps = match_stmts_of(p, &np), *const *ts = match_stmts_of(t, &nt);
    return match_seq(m, ps, np, ts, nt, SEQ_STMTS, NULL, k->next);
}

/* Bases and annotations: each of the pattern's must be among the target's. */
static bool class_bases(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    uint32_t np, nt;
    AstNode *const *ps = match_stmts_of(p, &np), *const *ts = match_stmts_of(t, &nt);
    uint32_t pb = p->nkids - np, tb = t->nkids - nt;
    (void)ps; (void)ts;
    MatchK members = { .fn = class_members, .next = k->next, .data = p, .last = t };
    return subset_from(m, p->kids, pb, t->kids, tb, 0, &members);
}

static bool match_class(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind != AST_CLASS || p->op != t->op || !modifiers_in(p, t)) return false;
    MatchK bases = { .fn = class_bases, .next = k, .data = p, .last = t };
    return match_name(m, p->name, t, &bases);
}

/* ---------------------------------------------------------------- statements */

static bool match_block(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind != AST_BLOCK && t->kind != AST_PROGRAM) return false;
    return match_seq(m, p->kids, p->nkids, t->kids, t->nkids, SEQ_STMTS, NULL, k);
}

static bool match_expr_stmt(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (!p->nkids) return false;
    if (t->kind == AST_EXPR_STMT && t->nkids) return match_node(m, p->kids[0], t->kids[0], k);
    if (t->kind == AST_DECL && p->kids[0]->kind == AST_ASSIGN)
        return match_node(m, p->kids[0], t, k);
    return false;
}

/* An if without else in the pattern matches an if with or without one. */
static bool match_if(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (t->kind != AST_IF || p->nkids < 2 || t->nkids < 2) return false;
    uint32_t n = p->nkids >= 3 && p->kids[2]->kind != AST_EMPTY ? 3 : 2;
    if (n == 3 && t->nkids < 3) return false;
    return match_seq(m, p->kids, n, t->kids, n, SEQ_EXACT, NULL, k);
}

/* ---------------------------------------------------------------- the rest */

static bool generic_kids(Matcher *m, const MatchK *k)
{
    const AstNode *p = k->data, *t = k->last;
    return match_seq(m, p->kids, p->nkids, t->kids, t->nkids, SEQ_EXACT, NULL, k->next);
}

/* Same kind and operator, the name (or its metavariable), the text when the pattern
 * has one, the type when the pattern gives one, then the children in order. */
static bool match_generic(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (p->kind != t->kind || p->op != t->op) return false;
    if (p->kind == AST_DECL ? !modifiers_in(p, t)
                            : p->text && (!t->text || strcmp(p->text, t->text) != 0))
        return false;
    if (!types_match(p->type, t->type)) return false;
    MatchK kids = { .fn = generic_kids, .next = k, .data = p, .last = t };
    MatchK ty = { .fn = type_k, .next = &kids, .data = p, .last = t };
    return match_name(m, p->name, t, &ty);
}

static bool match_deep(Matcher *m, const AstNode *e, const AstNode *t, const MatchK *k)
{
    VEC(const AstNode *) stack = {0};
    VEC_PUSH(stack, t);
    bool stop = false;
    while (stack.n && !stop) {
        const AstNode *n = stack.v[--stack.n];
        if (n->kind != AST_EMPTY) stop = match_node(m, e, n, k);
        for (uint32_t i = n->nkids; i-- > 0;) VEC_PUSH(stack, n->kids[i]);
    }
    VEC_FREE(stack);
    return stop;
}

bool match_node(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k)
{
    if (++m->steps > MATCH_STEP_BUDGET) {
        m->out_of_budget = true;
        return true;
    }
    switch ((AstKind)p->kind) {
    case AST_METAVAR: return match_metavar(m, p, t, k);
    case AST_ELLIPSIS:
        if (p->nkids == 1) return match_chain_ellipsis(m, p->kids[0], t, k);
        return call_k(m, k);
    case AST_DEEP: return p->nkids ? match_deep(m, p->kids[0], t, k) : false;
    case AST_LITERAL: return match_literal(m, p, t, k);
    case AST_IDENT: return match_ident(m, p, t, k);
    case AST_FIELD: return match_field(m, p, t, k);
    case AST_TYPE: return match_type(m, p, t, k);
    case AST_CALL: return match_call(m, p, t, k);
    case AST_ASSIGN: return match_assign(m, p, t, k);
    case AST_FUNC: return match_func(m, p, t, k);
    case AST_CLASS: return match_class(m, p, t, k);
    case AST_BLOCK: return match_block(m, p, t, k);
    case AST_EXPR_STMT: return match_expr_stmt(m, p, t, k);
    case AST_IF: return match_if(m, p, t, k);
    case AST_DECL:
        if (p->nkids == 0 && t->kind == AST_DECL) {   /* `int $X;` takes any initializer */
            if (!types_match(p->type, t->type) || !modifiers_in(p, t)) return false;
            MatchK ty = { .fn = type_k, .next = k, .data = p, .last = t };
            return match_name(m, p->name, t, &ty);
        }
        return match_generic(m, p, t, k);
    default: return match_generic(m, p, t, k);
    }
}
