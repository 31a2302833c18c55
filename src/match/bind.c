/* bind.c: metavariable values (match stage): structural equality of bound code for
 * unification, the text and position of a value, and where a name field sits. */
#include "match/match_int.h"

#include <string.h>

typedef struct NodePair {
    const AstNode *a, *b;
} NodePair;

static bool same_str(const char *a, const char *b)
{
    if (a == b) return true;
    if (!a || !b) return false;
    return strcmp(a, b) == 0;
}

/* The shallow part of equality: everything but the children. Flags are compared
 * except those that only record spelling (an arrow vs a dot is a real difference in
 * C, so it stays). */
static bool shallow_equal(const AstNode *a, const AstNode *b)
{
    if (a->kind != b->kind || a->op != b->op || a->nkids != b->nkids) return false;
    if (a->name != b->name) return false;
    if (!same_str(a->text, b->text)) return false;
    if ((a->flags & ~AST_F_ERROR) != (b->flags & ~AST_F_ERROR)) return false;
    if (!a->type != !b->type) return false;
    if (a->type && a->type->name != b->type->name) return false;
    return true;
}

/* Iterative, with an explicit stack: bound subtrees can be as deep as the file. */
bool match_node_equal(const AstNode *a, const AstNode *b)
{
    VEC(NodePair) stack = {0};
    bool eq = true;
    VEC_PUSH(stack, ((NodePair){ a, b }));
    while (stack.n && eq) {
        NodePair p = stack.v[--stack.n];
        if (p.a == p.b) continue;
        if (!shallow_equal(p.a, p.b)) { eq = false; break; }
        for (uint32_t i = 0; i < p.a->nkids; i++)
            VEC_PUSH(stack, ((NodePair){ p.a->kids[i], p.b->kids[i] }));
    }
    VEC_FREE(stack);
    return eq;
}

/* A name binding and an identifier node are the same code when the names agree:
 * `def $F(...)` and `$F(...)` unify across the two shapes. */
static const char *val_as_name(const MatchVal *v)
{
    if (v->kind == MV_NAME) return v->name;
    if (v->kind == MV_NODE && v->node->kind == AST_IDENT) return v->node->name;
    if (v->kind == MV_SEQ && v->nseq == 1 && v->seq[0]->kind == AST_IDENT) return v->seq[0]->name;
    return NULL;
}

bool match_val_equal(const MatchVal *a, const MatchVal *b)
{
    if (a->kind == MV_NAME || b->kind == MV_NAME) {
        const char *na = val_as_name(a), *nb = val_as_name(b);
        return na && na == nb;
    }
    if (a->kind == MV_TEXT || b->kind == MV_TEXT) return false;
    if (a->kind == MV_NODE && b->kind == MV_NODE) return match_node_equal(a->node, b->node);
    /* A one-element sequence equals the node it holds. */
    AstNode *const *sa = a->kind == MV_SEQ ? a->seq : (AstNode *const *)&a->node;
    AstNode *const *sb = b->kind == MV_SEQ ? b->seq : (AstNode *const *)&b->node;
    uint32_t na = a->kind == MV_SEQ ? a->nseq : 1, nb = b->kind == MV_SEQ ? b->nseq : 1;
    if (na != nb) return false;
    for (uint32_t i = 0; i < na; i++)
        if (!match_node_equal(sa[i], sb[i])) return false;
    return true;
}

const MatchBind *match_find_bind(const MatchBind *b, size_t n, const char *mv)
{
    for (size_t i = n; i-- > 0;)
        if (b[i].mv == mv) return &b[i];
    return NULL;
}

const char *match_val_text(const MatchCtx *cx, const MatchVal *v, size_t *len)
{
    const AstFile *f = cx->file;
    uint32_t s = v->start.offset, e = v->end.offset;
    if (e < s || e > f->src_len) { *len = 0; return ""; }
    *len = e - s;
    return f->src + s;
}

static AstPos advance(const char *src, AstPos p, uint32_t to)
{
    for (uint32_t i = p.offset; i < to; i++) {
        if (src[i] == '\n') { p.line++; p.col = 1; }
        else p.col++;
    }
    p.offset = to;
    return p;
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '$';
}

/* The AST keeps no position for name fields, so the name is found in the node's
 * source: the last whole-word occurrence for FIELD (the name ends it), the first one
 * after the type for the others. Falls back to the node's range. */
void match_name_range(const AstFile *f, const AstNode *n, AstPos *start, AstPos *end)
{
    *start = n->start;
    *end = n->end;
    if (!n->name || !f->src) return;
    size_t nl = strlen(n->name);
    uint32_t lo = n->start.offset, hi = n->end.offset;
    if (n->type && n->type->end.offset > lo && n->type->end.offset <= hi
        && n->kind != AST_FIELD)
        lo = n->type->end.offset;
    if (hi > f->src_len || hi < lo + nl) return;
    bool last = n->kind == AST_FIELD;
    long found = -1;
    for (uint32_t i = lo; i + nl <= hi; i++) {
        if (memcmp(f->src + i, n->name, nl) != 0) continue;
        if (i > 0 && is_word(f->src[i - 1])) continue;
        if (i + nl < f->src_len && is_word(f->src[i + nl])) continue;
        found = i;
        if (!last) break;
    }
    if (found < 0) return;
    *start = advance(f->src, n->start, (uint32_t)found);
    *end = advance(f->src, *start, (uint32_t)(found + nl));
}
