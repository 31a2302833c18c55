/* eval.c: the taint stage's transfer function on expressions: what value an
 * expression has in the current state, with the effects it has on the state
 * (assignments, ++), and the rule's specs applied at each node: sources add taint,
 * sanitizers remove it, propagators move it, sinks record findings. */
#include "taint/taint_ip.h"

#include <string.h>

static const TaintVal CLEAN = {0};

static TaintVal eval_node(TaintFunc *f, const AstNode *e);

/* ---------------------------------------------------------------- specs at a node */

typedef struct LabelCtx {
    const TaintRuleCtx *rc;
    uint32_t labels;
} LabelCtx;

static bool has_label(void *ctx, const char *label)
{
    LabelCtx *c = ctx;
    return (c->labels & taint_label_bit(c->rc, label)) != 0;
}

bool taint_requires_ok(const TaintRuleCtx *rc, const char *requires, uint32_t labels)
{
    if (!requires) return labels != 0;
    LabelCtx c = { rc, labels };
    bool r = false;
    return rule_label_expr_eval(requires, has_label, &c, &r) && r;
}

static TaintVal source_val(TaintFunc *f, const RuleTaintSpec *t, const AstNode *at)
{
    const TaintRuleCtx *rc = f->rc;
    TaintVal v = { .labels = taint_label_bit(rc, t->label) };
    if (!v.labels) v.labels = 1;
    v.trace = taint_trace_step(f, NULL, STEP_SOURCE, at, "source");
    return v;
}

static TaintVal apply_source(TaintFunc *f, const AstNode *e, const TaintHit *h, TaintVal v)
{
    const RuleTaintSpec *t = &f->rc->rule->sources.v[h->spec];
    if (t->requires && !taint_requires_ok(f->rc, t->requires, v.labels)) return v;
    TaintVal s = source_val(f, t, e);
    if (t->by_side_effect != RULE_SE_NO) {
        const TaintPath *p = taint_path_of(f->paths, e);
        if (p) taint_state_write(f->st, p, s);
        if (t->by_side_effect == RULE_SE_ONLY) return v;
    }
    if (!taint_val_tainted(v) || h->exact_node) {
        s.labels |= v.labels;
        s.origins = v.origins;
        s.otrace = v.otrace;
        return s;
    }
    return taint_val_join(v, s);
}

static void apply_sink(TaintFunc *f, const AstNode *e, const TaintHit *h, TaintVal v)
{
    const RuleTaintSpec *t = &f->rc->rule->sinks.v[h->spec];
    /* sink(...) matched as a whole: its arguments are what reaches it */
    if (e->kind == AST_CALL && h->exact_node) v = taint_val_join(v, f->call_args);
    if (!taint_val_tainted(v) || !f->reporting) return;
    if (v.origins && f->ip) taint_ip_sink(f, e, h, v);
    if (!v.labels) return;
    if (!taint_requires_ok(f->rc, t->requires, v.labels)) return;
    if (t->guard != RULE_GUARD_NONE && taint_guard_satisfied(t->guard, v.checked)) return;
    const MatchSpan *s = &f->rc->sink[h->spec].v[h->span];
    TaintTrace *step = (TaintTrace *)taint_trace_step(f, v.trace, STEP_SINK, e, "sink");
    step->start = s->start;
    step->end = s->end;
    taint_found_add(f, h->spec, h->span, step);
}

static size_t prop_slot(const TaintFunc *f, const TaintHit *h)
{
    return f->prop_off[h->spec] + h->span;
}

/* A propagator's span: its from: value moves into its to: (by side effect, the
 * to: l-value keeps it from here on; otherwise only this occurrence has it). */
static TaintVal apply_prop(TaintFunc *f, const AstNode *e, const TaintHit *h, TaintVal v)
{
    const RuleTaintSpec *t = &f->rc->rule->propagators.v[h->spec];
    size_t k = prop_slot(f, h);
    if (f->prop_epoch[k] != f->epoch || !f->prop_to[k]) return v;
    TaintVal from = f->prop_from[k];
    if (!taint_val_tainted(from)) return v;
    const AstNode *to = f->prop_to[k];
    from = taint_val_step(f, from, STEP_STEP, e, "propagator");
    if (to == e || (to->start.offset == e->start.offset && to->end.offset == e->end.offset))
        v = taint_val_join(v, from);
    if (t->by_side_effect != RULE_SE_NO) {
        const TaintPath *p = taint_path_of(f->paths, to);
        if (p) taint_state_write(f->st, p, taint_val_join(taint_state_at(f->st, p), from));
    }
    return v;
}

static void note_prop_end(TaintFunc *f, const AstNode *e, const TaintHit *h, TaintVal v)
{
    size_t k = prop_slot(f, h);
    if (f->prop_epoch[k] != f->epoch) {
        f->prop_epoch[k] = f->epoch;
        f->prop_from[k] = CLEAN;
        f->prop_to[k] = NULL;
    }
    if (h->role == ROLE_PROP_FROM) f->prop_from[k] = taint_val_join(f->prop_from[k], v);
    else f->prop_to[k] = e;
}

/* Sanitizers first (a sanitized node is clean whatever else names it), then
 * sources, propagator ends, propagators, and sinks last, on the final value. */
static TaintVal apply_hits(TaintFunc *f, const AstNode *e, TaintVal v)
{
    uint32_t n;
    const TaintHit *hs = taint_hits_of(f->hits, e, &n);
    if (!n) return v;
    for (uint32_t i = 0; i < n; i++)
        if (hs[i].role == ROLE_SANITIZER) {
            const RuleTaintSpec *t = &f->rc->rule->sanitizers.v[hs[i].spec];
            const TaintPath *p = t->by_side_effect != RULE_SE_NO ? taint_path_of(f->paths, e) : NULL;
            if (p) taint_state_write(f->st, p, CLEAN);
            return CLEAN;
        }
    for (uint32_t i = 0; i < n; i++)
        if (hs[i].role == ROLE_SOURCE) v = apply_source(f, e, &hs[i], v);
    for (uint32_t i = 0; i < n; i++)
        if (hs[i].role == ROLE_PROP_FROM || hs[i].role == ROLE_PROP_TO) note_prop_end(f, e, &hs[i], v);
    for (uint32_t i = 0; i < n; i++)
        if (hs[i].role == ROLE_PROP) v = apply_prop(f, e, &hs[i], v);
    for (uint32_t i = 0; i < n; i++)
        if (hs[i].role == ROLE_SINK) apply_sink(f, e, &hs[i], v);
    return v;
}

/* ---------------------------------------------------------------- l-values */

/* What reading an access path gives, plus taint that the object's occurrence got
 * from a source at the occurrence itself rather than from the state. */
TaintVal taint_read_path(TaintFunc *f, const TaintPath *p)
{
    TaintVal v = taint_state_read(f->st, p);
    if (!f->ip || !v.origins) return v;
    const TaintPath *at;
    TaintVal above = taint_state_at_entry(f->st, p, &at);
    if (above.origins && at != p)
        v.origins = (v.origins & ~above.origins) | taint_ip_narrow(f, above.origins, at, p);
    return v;
}

static TaintVal read_through(TaintFunc *f, const AstNode *e, const AstNode *obj, TaintVal vobj)
{
    const TaintPath *p = taint_path_of(f->paths, e);
    if (!p) return vobj;
    TaintVal v = taint_read_path(f, p);
    const TaintPath *po = taint_path_of(f->paths, obj);
    if (taint_val_tainted(vobj) && (!po || !taint_val_tainted(taint_state_read(f->st, po))))
        v = taint_val_join(v, vobj);
    return v;
}

/* The parts of an assignment's target that are evaluated: indexes, and objects
 * that are not plain paths (a call's result). */
static void eval_lvalue(TaintFunc *f, const AstNode *e)
{
    switch (e->kind) {
    case AST_IDENT: case AST_EMPTY: break;
    case AST_INDEX:
        eval_lvalue(f, e->kids[0]);
        taint_eval(f, e->kids[1]);
        apply_hits(f, e, CLEAN);
        break;
    case AST_FIELD: case AST_CAST:
        if (e->nkids) eval_lvalue(f, e->kids[0]);
        break;
    case AST_UNARY:
        if (e->op == AST_OP_DEREF) taint_eval(f, e->kids[0]);
        break;
    case AST_COLLECTION: case AST_INIT_LIST:
        for (uint32_t i = 0; i < e->nkids; i++) eval_lvalue(f, e->kids[i]);
        break;
    default:
        if (!taint_path_of(f->paths, e)) taint_eval(f, e);
        break;
    }
}

void taint_assign_to(TaintFunc *f, const AstNode *lhs, TaintVal v, const AstNode *at)
{
    if (lhs->kind == AST_COLLECTION || lhs->kind == AST_INIT_LIST) {
        for (uint32_t i = 0; i < lhs->nkids; i++) taint_assign_to(f, lhs->kids[i], v, at);
        return;
    }
    const TaintPath *p = taint_path_of(f->paths, lhs);
    if (!p) return;
    if (taint_val_tainted(v)) {
        StrBuf b;
        sb_init(&b);
        taint_path_print(p, &b);
        v = taint_val_step(f, v, STEP_STEP, at, arena_printf(f->keep, "taints %s", b.s));
        sb_free(&b);
    }
    taint_state_write(f->st, p, v);
    if (f->ip && f->ip->pending.n) taint_ip_assigned(f, p, at);
}

static TaintVal eval_assign(TaintFunc *f, const AstNode *e)
{
    const AstNode *lhs = e->kids[0], *rhs = e->kids[1];
    TaintVal v = taint_eval(f, rhs);
    eval_lvalue(f, lhs);
    if (e->op != AST_OP_ASSIGN) {
        const TaintPath *p = taint_path_of(f->paths, lhs);
        TaintVal old = p ? taint_state_read(f->st, p) : CLEAN;
        old.checked = taint_guard_arith((AstOp)e->op, rhs, old.checked, true);
        v.checked = taint_guard_arith((AstOp)e->op, lhs, v.checked, false);
        v = taint_val_join(old, v);
    }
    if (f->rc->safe_numbers && taint_expr_is_number(f, lhs)) v = CLEAN;
    taint_assign_to(f, lhs, v, e);
    return v;
}

/* ---------------------------------------------------------------- operators */

/* && and || evaluate their right side only when the left says so: a guard on the
 * left holds while the right is evaluated (`i < n && a[i]`). */
static TaintVal eval_logic(TaintFunc *f, const AstNode *e)
{
    TaintVal l = taint_eval(f, e->kids[0]);
    TaintState skip = {0};
    taint_state_copy(&skip, f->st);
    taint_guard_refine(f->st, f->paths, e->kids[0], e->op == AST_OP_AND);
    TaintVal r = taint_eval(f, e->kids[1]);
    taint_state_join(f->st, &skip);
    taint_state_free(&skip);
    TaintVal v = taint_val_join(l, r);
    return f->rc->safe_booleans ? CLEAN : v;
}

static TaintVal eval_cond(TaintFunc *f, const AstNode *e)
{
    taint_eval(f, e->kids[0]);
    TaintState other = {0};
    taint_state_copy(&other, f->st);
    taint_guard_refine(f->st, f->paths, e->kids[0], true);
    TaintVal a = taint_eval(f, e->kids[1]);
    TaintState *then_st = f->st;
    TaintState then_copy = {0};
    taint_state_copy(&then_copy, then_st);
    taint_state_copy(f->st, &other);
    taint_guard_refine(f->st, f->paths, e->kids[0], false);
    TaintVal b = taint_eval(f, e->kids[2]);
    taint_state_join(f->st, &then_copy);
    taint_state_free(&then_copy);
    taint_state_free(&other);
    return taint_val_join(a, b);
}

static bool is_comparison(AstOp op)
{
    return (op >= AST_OP_EQ && op <= AST_OP_INSTANCEOF);
}

static TaintVal eval_binary(TaintFunc *f, const AstNode *e)
{
    if (e->op == AST_OP_AND || e->op == AST_OP_OR) return eval_logic(f, e);
    TaintVal l = taint_eval(f, e->kids[0]), r = taint_eval(f, e->kids[1]);
    if (e->op == AST_OP_COMMA) return r;
    if (is_comparison((AstOp)e->op)) {
        if (f->rc->safe_booleans) return CLEAN;
        return taint_val_join(l, r);
    }
    l.checked = taint_guard_arith((AstOp)e->op, e->kids[1], l.checked, true);
    r.checked = taint_guard_arith((AstOp)e->op, e->kids[0], r.checked, false);
    return taint_val_join(l, r);
}

static TaintVal eval_unary(TaintFunc *f, const AstNode *e)
{
    switch (e->op) {
    case AST_OP_SIZEOF: return CLEAN;   /* the operand is not evaluated */
    case AST_OP_DEREF: return read_through(f, e, e->kids[0], taint_eval(f, e->kids[0]));
    case AST_OP_NOT: {
        TaintVal v = taint_eval(f, e->kids[0]);
        return f->rc->safe_booleans ? CLEAN : v;
    }
    case AST_OP_PREINC: case AST_OP_PREDEC: case AST_OP_POSTINC: case AST_OP_POSTDEC: {
        TaintVal v = taint_eval(f, e->kids[0]);
        const TaintPath *p = taint_path_of(f->paths, e->kids[0]);
        v.checked &= CHECK_KEEP_ANY;   /* a bound checked before no longer holds */
        if (p && taint_val_tainted(v)) taint_state_write(f->st, p, v);
        return v;
    }
    case AST_OP_NEG: case AST_OP_BITNOT: {
        TaintVal v = taint_eval(f, e->kids[0]);
        v.checked &= CHECK_KEEP_ANY;
        return v;
    }
    default:
        return taint_eval(f, e->kids[0]);
    }
}

static TaintVal eval_kids(TaintFunc *f, const AstNode *e)
{
    TaintVal v = CLEAN;
    for (uint32_t i = 0; i < e->nkids; i++) v = taint_val_join(v, taint_eval(f, e->kids[i]));
    return v;
}

static TaintVal eval_index(TaintFunc *f, const AstNode *e)
{
    TaintVal obj = taint_eval(f, e->kids[0]);
    TaintVal idx = taint_eval(f, e->kids[1]);
    TaintVal v = read_through(f, e, e->kids[0], obj);
    if (!f->rc->safe_indexes) v = taint_val_join(v, idx);
    return v;
}

/* ---------------------------------------------------------------- dispatch */

static TaintVal eval_node(TaintFunc *f, const AstNode *e)
{
    switch (e->kind) {
    case AST_IDENT: {
        const TaintPath *p = taint_path_of(f->paths, e);
        return p ? taint_read_path(f, p) : CLEAN;
    }
    case AST_FIELD: return read_through(f, e, e->kids[0], taint_eval(f, e->kids[0]));
    case AST_INDEX: return eval_index(f, e);
    case AST_ASSIGN: return eval_assign(f, e);
    case AST_CALL: return taint_eval_call(f, e);
    case AST_BINARY: return eval_binary(f, e);
    case AST_UNARY: return eval_unary(f, e);
    case AST_COND: return eval_cond(f, e);
    case AST_CAST: return e->nkids ? taint_eval(f, e->kids[0]) : CLEAN;
    case AST_LAMBDA: case AST_FUNC: case AST_CLASS: case AST_TYPE: case AST_EMPTY:
    case AST_IMPORT: case AST_PREPROC:
        return CLEAN;
    default: return eval_kids(f, e);   /* literals with parts (f-strings), lists, OTHER */
    }
}

static bool safe_by_type(TaintFunc *f, const AstNode *e)
{
    if (f->rc->safe_numbers && taint_expr_is_number(f, e)) return true;
    if (f->rc->safe_booleans && taint_expr_is_bool(f, e)) return true;
    return false;
}

TaintVal taint_eval(TaintFunc *f, const AstNode *e)
{
    if (f->over_budget || ++f->work > f->budget) {
        f->over_budget = true;
        return CLEAN;
    }
    TaintVal v = eval_node(f, e);
    if (taint_val_tainted(v) && safe_by_type(f, e)) v = CLEAN;
    return apply_hits(f, e, v);
}

/* ---------------------------------------------------------------- instructions */

static const TaintPath *exc_path(TaintFunc *f)
{
    return taint_path_base(f->paths, intern("$exception"));
}

/* A parameter is a source when a source span is on it or it is inside one (a
 * focus on the parameter's name gives a span inside the PARAM node). */
static TaintVal param_source(TaintFunc *f, const AstNode *p)
{
    const TaintRuleCtx *rc = f->rc;
    const Rule *r = rc->rule;
    for (size_t j = 0; j < r->sources.n; j++)
        for (size_t k = 0; k < rc->src[j].n; k++) {
            const MatchSpan *s = &rc->src[j].v[k];
            bool in = s->start.offset >= p->start.offset && s->end.offset <= p->end.offset;
            bool around = p->start.offset >= s->start.offset && p->end.offset <= s->end.offset;
            if ((in || around) && !r->sources.v[j].requires) return source_val(f, &r->sources.v[j], p);
        }
    return CLEAN;
}

static void transfer_assign(TaintFunc *f, const TaintIns *ins)
{
    TaintVal v = ins->rhs ? taint_eval(f, ins->rhs) : CLEAN;
    if (ins->node->kind == AST_DECL) v = apply_hits(f, ins->node, v);
    if (ins->var) {
        AstNode id = { .kind = AST_IDENT, .name = ins->var, .start = ins->node->start,
                       .end = ins->node->end };
        if (f->rc->safe_numbers && taint_expr_is_number(f, &id)) v = CLEAN;
        taint_assign_to(f, &id, v, ins->node);
    } else if (ins->lhs) {
        taint_assign_to(f, ins->lhs, v, ins->node);
    }
}

void taint_transfer(TaintFunc *f, const TaintIns *ins)
{
    f->epoch++;
    switch (ins->kind) {
    case IL_EVAL: taint_eval(f, ins->node); break;
    case IL_ASSIGN: transfer_assign(f, ins); break;
    case IL_PARAM: {
        TaintVal v = param_source(f, ins->node);
        if (!taint_val_tainted(v) && ins->rhs) v = taint_eval(f, ins->rhs);
        if (f->ip) v = taint_ip_param(f, ins->node, v);
        taint_state_write(f->st, taint_path_base(f->paths, ins->var), v);
        break;
    }
    case IL_RETURN: {
        TaintVal v = ins->rhs ? taint_eval(f, ins->rhs) : CLEAN;
        v = apply_hits(f, ins->node, v);
        f->ret = taint_val_join(f->ret, v);
        break;
    }
    case IL_THROW: {
        TaintVal v = ins->rhs ? taint_eval(f, ins->rhs) : CLEAN;
        const TaintPath *p = exc_path(f);
        taint_state_write(f->st, p, taint_val_join(taint_state_at(f->st, p), v));
        break;
    }
    case IL_CATCH:
        if (ins->var) taint_state_write(f->st, taint_path_base(f->paths, ins->var),
                                        taint_state_at(f->st, exc_path(f)));
        break;
    default: break;
    }
}
