/* guard.c: guard barriers, sluice's extension to taint mode (docs/taint.md): what
 * a branch condition says about the values it compares. On the edge where
 * `i >= 0 && i < N` holds, i is bounded below and above; after
 * `if (i >= N) return;` it is bounded above only. The flow ORs these facts into the
 * values' check bits; a sink with a `guard:` key is safe when they suffice. */
#include "taint/taint_int.h"

#include <string.h>

/* A fact: this path is bounded this way on the edge. */
typedef struct Fact {
    const TaintPath *path;
    uint8_t bits;
} Fact;

typedef VEC(Fact) Facts;

static bool is_const(const AstNode *e)
{
    if (e->kind == AST_LITERAL) return true;
    if (e->kind == AST_UNARY && (e->op == AST_OP_NEG || e->op == AST_OP_SIZEOF)) return true;
    if (e->kind == AST_CAST && e->nkids) return is_const(e->kids[0]);
    /* C constants are conventionally upper case (PTABLE_SIZE, BLOB_MAX) */
    if (e->kind == AST_IDENT && e->name) {
        for (const char *p = e->name; *p; p++)
            if ((*p >= 'a' && *p <= 'z')) return false;
        return true;
    }
    return false;
}

/* The path compared: x, p->len, (int)x, and x +/- a constant, which bounds x the
 * same way (x - 2 >= 0 bounds x below). */
static const TaintPath *compared_path(TaintPaths *paths, const AstNode *e)
{
    if (e->kind == AST_BINARY && (e->op == AST_OP_ADD || e->op == AST_OP_SUB) && is_const(e->kids[1]))
        return compared_path(paths, e->kids[0]);
    if (e->kind == AST_CALL || e->kind == AST_LITERAL) return NULL;
    return taint_path_of(paths, e);
}

static void add_fact(Facts *f, const TaintPath *p, uint8_t bits)
{
    if (!p || !bits) return;
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].path == p) {
            f->v[i].bits |= bits;
            return;
        }
    Fact x = { p, bits };
    VEC_PUSH(*f, x);
}

/* What `lhs OP rhs` being `holds` says about lhs (mirror for rhs). */
static uint8_t cmp_bits(AstOp op, bool holds)
{
    switch (op) {
    case AST_OP_LT: case AST_OP_LE: return holds ? CHECK_UPPER : CHECK_LOWER;
    case AST_OP_GT: case AST_OP_GE: return holds ? CHECK_LOWER : CHECK_UPPER;
    case AST_OP_EQ: case AST_OP_IS: return holds ? CHECK_UPPER | CHECK_LOWER : 0;
    case AST_OP_NE: case AST_OP_ISNOT: return holds ? 0 : CHECK_UPPER | CHECK_LOWER;
    default: return 0;
    }
}

static uint8_t mirror(uint8_t bits)
{
    uint8_t m = bits & ~(CHECK_UPPER | CHECK_LOWER);
    if (bits & CHECK_UPPER) m |= CHECK_LOWER;
    if (bits & CHECK_LOWER) m |= CHECK_UPPER;
    return m;
}

static bool is_comparison(AstOp op)
{
    return op == AST_OP_LT || op == AST_OP_LE || op == AST_OP_GT || op == AST_OP_GE
           || op == AST_OP_EQ || op == AST_OP_NE || op == AST_OP_IS || op == AST_OP_ISNOT
           || op == AST_OP_IN || op == AST_OP_NOTIN || op == AST_OP_INSTANCEOF;
}

static void facts_of(TaintPaths *paths, const AstNode *c, bool pol, Facts *out, int depth);

static void intersect(Facts *a, const Facts *b)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (a->v[i].path == b->v[j].path && (a->v[i].bits & b->v[j].bits)) {
                a->v[n] = a->v[i];
                a->v[n++].bits &= b->v[j].bits;
                break;
            }
    a->n = n;
}

/* a && b holds: both hold. It fails: what both failures share. (|| is the dual.) */
static void facts_logic(TaintPaths *paths, const AstNode *c, bool pol, Facts *out, int depth)
{
    bool conj = c->op == AST_OP_AND;
    Facts l = {0}, r = {0};
    facts_of(paths, c->kids[0], pol, &l, depth + 1);
    facts_of(paths, c->kids[1], pol, &r, depth + 1);
    if (conj == pol) {
        for (size_t i = 0; i < r.n; i++) add_fact(&l, r.v[i].path, r.v[i].bits);
    } else {
        intersect(&l, &r);
    }
    for (size_t i = 0; i < l.n; i++) add_fact(out, l.v[i].path, l.v[i].bits);
    VEC_FREE(l);
    VEC_FREE(r);
}

static void facts_cmp(TaintPaths *paths, const AstNode *c, bool pol, Facts *out)
{
    const TaintPath *l = compared_path(paths, c->kids[0]), *r = compared_path(paths, c->kids[1]);
    uint8_t bits = cmp_bits((AstOp)c->op, pol);
    add_fact(out, l, bits | CHECK_ANY);
    add_fact(out, r, mirror(bits) | CHECK_ANY);
}

/* Any other condition (a call, a plain test) only says the values were looked at. */
static bool mention(AstNode *n, void *ctx)
{
    void **c = ctx;
    const TaintPath *p = NULL;
    if (n->kind == AST_IDENT || n->kind == AST_FIELD) p = taint_path_of(c[0], n);
    add_fact(c[1], p, CHECK_ANY);
    return n->kind != AST_LAMBDA;
}

static void facts_of(TaintPaths *paths, const AstNode *c, bool pol, Facts *out, int depth)
{
    if (depth > 64) return;
    if (c->kind == AST_BINARY && (c->op == AST_OP_AND || c->op == AST_OP_OR)) {
        facts_logic(paths, c, pol, out, depth);
    } else if (c->kind == AST_UNARY && c->op == AST_OP_NOT) {
        facts_of(paths, c->kids[0], !pol, out, depth + 1);
    } else if (c->kind == AST_BINARY && is_comparison((AstOp)c->op)) {
        facts_cmp(paths, c, pol, out);
    } else {
        void *ctx[2] = { paths, out };
        ast_walk((AstNode *)c, mention, ctx);
    }
}

void taint_guard_refine(TaintState *s, TaintPaths *paths, const AstNode *cond, bool polarity)
{
    Facts f = {0};
    facts_of(paths, cond, polarity, &f, 0);
    for (size_t i = 0; i < f.n; i++) taint_state_check(s, f.v[i].path, f.v[i].bits);
    VEC_FREE(f);
}

bool taint_guard_satisfied(RuleGuard g, uint8_t checked)
{
    checked &= CHECK_REAL;
    switch (g) {
    case RULE_GUARD_ANY: return checked != 0;
    case RULE_GUARD_UPPER: return (checked & CHECK_UPPER) != 0;
    case RULE_GUARD_LOWER: return (checked & CHECK_LOWER) != 0;
    case RULE_GUARD_BOUNDED: return (checked & (CHECK_UPPER | CHECK_LOWER)) == (CHECK_UPPER | CHECK_LOWER);
    default: return false;
    }
}

/* x - k keeps x's upper bound and loses the lower one (seed 004's index underflow:
 * `if (i >= N) return; a[i - 2]`); x + k the reverse; x & MASK is bounded both ways;
 * x % N and x >> k keep or gain an upper bound; anything else keeps only CHECK_ANY. */
static uint8_t arith_bits(AstOp op, const AstNode *other, uint8_t checked, bool left);

/* The real checks transform as below; a caller's check still holding (the high bits)
 * survives the same way but is never gained here. */
uint8_t taint_guard_arith(AstOp op, const AstNode *other, uint8_t checked, bool left)
{
    uint8_t real = arith_bits(op, other, checked & CHECK_REAL, left);
    uint8_t sym = (uint8_t)((checked & CHECK_SYM) >> CHECK_SYM_SHIFT);
    sym &= arith_bits(op, other, sym, left);
    return (uint8_t)(real | (sym << CHECK_SYM_SHIFT));
}

static uint8_t arith_bits(AstOp op, const AstNode *other, uint8_t checked, bool left)
{
    bool k = is_const(other);
    uint8_t any = checked & CHECK_ANY;
    switch (op) {
    case AST_OP_SUB: return left && k ? (uint8_t)(any | (checked & CHECK_UPPER)) : any;
    case AST_OP_ADD: return k ? (uint8_t)(any | (checked & CHECK_LOWER)) : any;
    case AST_OP_BITAND: return k ? (uint8_t)(checked | CHECK_UPPER | CHECK_LOWER) : any;
    case AST_OP_MOD: return k && left ? (uint8_t)(checked | CHECK_UPPER) : any;
    case AST_OP_SHR: return left ? checked : any;
    case AST_OP_DIV: return k && left ? checked : any;
    default: return any;
    }
}
