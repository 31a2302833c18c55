/* seq.c: matching sequences (match stage): argument, parameter and element lists and
 * statement sequences, where "..." spans any number of items and $...X binds them;
 * after "..." in statements the next statement may also be found nested inside a
 * later one, as Semgrep's deep statement matching does. Also the binding trail. */
#include "match/match_int.h"

#include <string.h>

/* ---------------------------------------------------------------- bindings */

bool match_bind(Matcher *m, const char *mv, const MatchVal *v, const MatchK *k)
{
    if (strcmp(mv, "$_") == 0 || strcmp(mv, "$..._") == 0) return k->fn(m, k);
    const MatchBind *old = match_find_bind(m->env.v, m->env.n, mv);
    if (old) return match_val_equal(&old->val, v) ? k->fn(m, k) : false;
    size_t mark = m->env.n;
    VEC_PUSH(m->env, ((MatchBind){ mv, *v }));
    bool stop = k->fn(m, k);
    m->env.n = mark;
    return stop;
}

bool match_is_seq_ellipsis(const AstNode *p)
{
    if (p->kind == AST_ELLIPSIS && p->nkids == 0) return true;
    return p->kind == AST_EXPR_STMT && p->nkids == 1 && p->kids[0]->kind == AST_ELLIPSIS
           && p->kids[0]->nkids == 0;
}

static bool is_seq_metavar(const AstNode *p)
{
    if (p->kind == AST_EXPR_STMT && p->nkids == 1) p = p->kids[0];
    return p->kind == AST_METAVAR && (p->flags & AST_F_VARIADIC) && !p->type;
}

static const char *seq_metavar_name(const AstNode *p)
{
    if (p->kind == AST_EXPR_STMT) p = p->kids[0];
    return p->name;
}

/* ---------------------------------------------------------------- statement lists */

static bool is_scope(const AstNode *n)
{
    return n->kind == AST_FUNC || n->kind == AST_CLASS || n->kind == AST_LAMBDA;
}

static bool is_statement(const AstNode *n)
{
    switch ((AstKind)n->kind) {
    case AST_IF: case AST_LOOP: case AST_SWITCH: case AST_CASE: case AST_TRY: case AST_CATCH:
    case AST_LABEL: case AST_EXPR_STMT: case AST_RETURN: case AST_THROW: case AST_DECL:
        return true;
    default:
        return false;
    }
}

size_t match_nested_lists(const AstNode *s, MatchStmtList *out, size_t max)
{
    size_t n = 0;
    if (is_scope(s)) return 0;
    for (uint32_t i = 0; i < s->nkids && n < max; i++) {
        AstNode *const *slot = &s->kids[i];
        const AstNode *c = *slot;
        if (c->kind == AST_BLOCK) out[n++] = (MatchStmtList){ c->kids, c->nkids };
        else if (is_statement(c) && s->kind != AST_EXPR_STMT)
            out[n++] = (MatchStmtList){ slot, 1 };
        else if (c->kind == AST_OTHER || c->kind == AST_CASE || c->kind == AST_CATCH)
            out[n++] = (MatchStmtList){ slot, 1 };
    }
    return n;
}

AstNode *const *match_stmts_of(const AstNode *n, uint32_t *count)
{
    uint32_t i = 0;
    if (n->kind == AST_CLASS)
        while (i < n->nkids && (n->kids[i]->kind == AST_ANNOTATION
                                || (n->kids[i]->kind == AST_TYPE && (n->kids[i]->flags & AST_F_BASE))))
            i++;
    *count = n->nkids - i;
    return n->kids ? n->kids + i : NULL;
}

/* ---------------------------------------------------------------- the sequence matcher */

static bool seq_at(Matcher *m, const MatchK *st, uint32_t i, uint32_t j, const AstNode *last);

static bool seq_next(Matcher *m, const MatchK *k)
{
    return seq_at(m, k, k->i, k->j, k->last);
}

static bool seq_done(Matcher *m, const MatchK *st, uint32_t j, const AstNode *last)
{
    if (st->mode < SEQ_PREFIX && j != st->nt) return false;
    if (st->mode != SEQ_PREFIX) return st->next->fn(m, st->next);
    const AstNode *saved = m->last;
    m->last = last;
    bool stop = st->next->fn(m, st->next);
    m->last = saved;
    return stop;
}

/* After a nested match completes the whole pattern, the outer sequence is done too:
 * in prefix mode at once; in exact mode the pattern's trailing "..." takes the rest. */
static bool nested_done(Matcher *m, const MatchK *k)
{
    return k->next->fn(m, k->next);
}

static bool seq_deep(Matcher *m, const MatchK *st, uint32_t i, uint32_t j)
{
    if (st->mode == SEQ_EXACT || i + 1 >= st->np) return false;
    if (st->mode == SEQ_STMTS && !match_is_seq_ellipsis(st->ps[st->np - 1])) return false;
    MatchK after = { .fn = nested_done, .next = st->next };
    for (uint32_t jj = j; jj < st->nt; jj++) {
        MatchStmtList lists[16];
        size_t nl = match_nested_lists(st->ts[jj], lists, 16);
        for (size_t l = 0; l < nl; l++) {
            MatchK inner = { .ps = st->ps + i, .np = st->np - i, .ts = lists[l].v,
                             .nt = lists[l].n, .next = &after,
                             .mode = st->mode == SEQ_PREFIX ? SEQ_PREFIX : SEQ_NESTED };
            if (seq_at(m, &inner, 0, 0, NULL)) return true;
        }
    }
    return false;
}

static bool seq_ellipsis(Matcher *m, const MatchK *st, uint32_t i, uint32_t j,
                         const AstNode *last)
{
    if (i + 1 == st->np)   /* a trailing "..." takes everything left */
        return seq_done(m, st, st->nt, st->nt > j ? st->ts[st->nt - 1] : last);
    for (uint32_t jj = j; jj <= st->nt; jj++) {
        const AstNode *l = jj > j ? st->ts[jj - 1] : last;
        if (seq_at(m, st, i + 1, jj, l)) return true;
        if (m->out_of_budget) return true;
    }
    return seq_deep(m, st, i, j);
}

static MatchVal seq_value(const MatchK *st, uint32_t j, uint32_t jj)
{
    MatchVal v = { .kind = MV_SEQ, .seq = st->ts + j, .nseq = jj - j };
    if (jj > j) {
        v.start = st->ts[j]->start;
        v.end = st->ts[jj - 1]->end;
    } else {
        AstPos at = j < st->nt ? st->ts[j]->start : (j > 0 ? st->ts[j - 1]->end : (AstPos){0, 1, 1});
        v.start = v.end = at;
    }
    return v;
}

static bool seq_metavar(Matcher *m, const MatchK *st, uint32_t i, uint32_t j,
                        const AstNode *last)
{
    const char *mv = seq_metavar_name(st->ps[i]);
    for (uint32_t jj = j; jj <= st->nt; jj++) {
        MatchVal v = seq_value(st, j, jj);
        MatchK k = { .fn = seq_next, .next = st->next, .ps = st->ps, .np = st->np,
                     .ts = st->ts, .nt = st->nt, .i = i + 1, .j = jj, .mode = st->mode,
                     .last = jj > j ? st->ts[jj - 1] : last };
        if (match_bind(m, mv, &v, &k)) return true;
    }
    return false;
}

static bool seq_at(Matcher *m, const MatchK *st, uint32_t i, uint32_t j, const AstNode *last)
{
    if (m->out_of_budget) return true;
    if (i == st->np) return seq_done(m, st, j, last);
    const AstNode *p = st->ps[i];
    if (match_is_seq_ellipsis(p)) return seq_ellipsis(m, st, i, j, last);
    if (is_seq_metavar(p)) return seq_metavar(m, st, i, j, last);
    if (j >= st->nt) return false;
    MatchK k = { .fn = seq_next, .next = st->next, .ps = st->ps, .np = st->np, .ts = st->ts,
                 .nt = st->nt, .i = i + 1, .j = j + 1, .mode = st->mode, .last = st->ts[j] };
    return match_node(m, p, st->ts[j], &k);
}

bool match_seq(Matcher *m, AstNode *const *ps, uint32_t np, AstNode *const *ts, uint32_t nt,
               uint8_t mode, const AstNode *last, const MatchK *k)
{
    MatchK st = { .ps = ps, .np = np, .ts = ts, .nt = nt, .mode = mode, .next = k };
    return seq_at(m, &st, 0, 0, last);
}
