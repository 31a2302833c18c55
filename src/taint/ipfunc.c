/* ipfunc.c: one function's side of the program stage (taint -> program): while a
 * function is analysed, its parameters, receiver and globals carry symbolic origins
 * narrowed to the access paths read; sinks, the value returned and what is stored
 * through parameters or into globals become its summary; and each call to code in
 * the scan (or to a loaded model) applies the callee's summary to the actual
 * arguments' access paths, with the callee's steps spliced into the traces. */
#include "taint/taint_ip.h"

#include <string.h>

static const TaintVal CLEAN = {0};

/* ---------------------------------------------------------------- access paths */

const char *taint_access_text(const TaintPath *p)
{
    const TaintPath *chain[TAINT_MAX_K + 2];
    size_t n = 0;
    for (; p && p->parent && n < TAINT_MAX_K + 1; p = p->parent) chain[n++] = p;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "");
    while (n-- > 0) {
        const TaintPath *x = chain[n];
        if (x->sel == SEL_FIELD) sb_printf(&b, ".%s", x->name);
        else if (x->sel == SEL_INDEX) sb_puts(&b, "[*]");
        else sb_putc(&b, '*');
    }
    const char *s = intern(b.s ? b.s : "");
    sb_free(&b);
    return s;
}

/* base followed by the selectors of access; skip drops a leading * or [*] (the
 * argument was &x: the callee's *p is x). */
static const TaintPath *extend(TaintPaths *t, const TaintPath *base, const char *access, bool skip)
{
    const char *s = access;
    bool first = true;
    while (base && s && *s) {
        TaintSel sel;
        const char *name = NULL;
        if (*s == '.') {
            const char *e = s + 1;
            while (*e && *e != '.' && *e != '[' && *e != '*') e++;
            name = intern_n(s + 1, (size_t)(e - s - 1));
            sel = SEL_FIELD;
            s = e;
        } else if (*s == '[') {
            sel = SEL_INDEX;
            s = strchr(s, ']') ? strchr(s, ']') + 1 : s + strlen(s);
        } else {
            sel = SEL_DEREF;
            s++;
        }
        if (!(first && skip && sel != SEL_FIELD)) base = taint_path_child(t, base, sel, name);
        first = false;
    }
    return base;
}

/* ---------------------------------------------------------------- origins */

static int origin_id(TaintFunc *f, int pos, const char *global, const TaintPath *path)
{
    TaintIpFunc *ip = f->ip;
    for (uint32_t i = 0; i < ip->norigins; i++)
        if (ip->origins[i].pos == pos && ip->origins[i].global == global && ip->origins[i].path == path)
            return (int)i;
    if (ip->norigins == TAINT_MAX_ORIGINS) {   /* full: the root origin stands for it */
        const TaintPath *root = path ? taint_path_root(path) : NULL;
        for (uint32_t i = 0; i < ip->norigins; i++)
            if (ip->origins[i].pos == pos && ip->origins[i].global == global && ip->origins[i].path == root)
                return (int)i;
        return -1;
    }
    ip->origins[ip->norigins].pos = pos;
    ip->origins[ip->norigins].global = global;
    ip->origins[ip->norigins].path = path;
    return (int)ip->norigins++;
}

static TaintVal origin_val(TaintFunc *f, int pos, const char *global, const TaintPath *path,
                           const AstNode *at, const char *note)
{
    int id = origin_id(f, pos, global, path);
    if (id < 0) return CLEAN;
    TaintVal v = { .origins = 1ull << id, .checked = CHECK_SYM };
    v.otrace = taint_trace_step(f, NULL, STEP_STEP, at, note);
    return v;
}

uint64_t taint_ip_narrow(TaintFunc *f, uint64_t origins, const TaintPath *at, const TaintPath *p)
{
    const TaintPath *chain[TAINT_MAX_K + 2];
    size_t n = 0;
    for (const TaintPath *x = p; x && x != at && n < TAINT_MAX_K + 1; x = x->parent) chain[n++] = x;
    uint64_t out = 0;
    for (uint32_t i = 0; i < f->ip->norigins && origins; i++) {
        if (!(origins & (1ull << i))) continue;
        origins &= ~(1ull << i);
        const TaintPath *q = f->ip->origins[i].path;
        for (size_t k = n; q && k-- > 0;) q = taint_path_child(f->paths, q, (TaintSel)chain[k]->sel, chain[k]->name);
        int id = q ? origin_id(f, f->ip->origins[i].pos, f->ip->origins[i].global, q) : -1;
        out |= 1ull << (id >= 0 ? (uint32_t)id : i);
    }
    return out;
}

/* ---------------------------------------------------------------- entry */

static uint32_t param_index(const AstNode *fn, const AstNode *param)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < fn->nkids; i++) {
        if (fn->kids[i] == param) return k;
        k += fn->kids[i]->kind == AST_PARAM;
    }
    return k;
}

TaintVal taint_ip_param(TaintFunc *f, const AstNode *param, TaintVal v)
{
    TaintIpFunc *ip = f->ip;
    uint32_t i = param_index(f->fn, param);
    int pos = i < ip->cg->first_param ? TAINT_POS_RECV : (int)(i - ip->cg->first_param);
    size_t slot = (size_t)ip->func * ip->prog->nrules + ip->rule;
    if (pos >= 0 && pos < 32 && (ip->prog->entry_params[slot] & (1u << pos))) {
        const RuleTaintSpec *t = &f->rc->rule->sources.v[ip->prog->entry_spec[slot]];
        TaintVal s = { .labels = taint_label_bit(f->rc, t->label) };
        if (!s.labels) s.labels = 1;
        s.trace = taint_trace_step(f, NULL, STEP_SOURCE, param, "source (entry point)");
        v = taint_val_join(v, s);
    }
    const TaintPath *base = taint_path_base(f->paths, param->name);
    TaintVal o = origin_val(f, pos, NULL, base, param,
                            arena_printf(f->keep, "parameter %s of %s", param->name, ip->cg->name));
    v.origins = o.origins;
    v.otrace = o.otrace;
    v.checked = (uint8_t)((v.checked & CHECK_REAL) | CHECK_SYM);
    return v;
}

static const TaintGVals *globals_of(TaintFunc *f)
{
    return &f->ip->prog->G[f->ip->rule];
}

/* At the entry: the receiver (Java's this) and every global the function names,
 * with the taint the globals hold and their own origins. */
void taint_ip_seed(TaintFunc *f, TaintState *entry)
{
    TaintIpFunc *ip = f->ip;
    if (ip->cg->recv && ip->cg->lang == LANG_JAVA) {
        const TaintPath *p = taint_path_base(f->paths, ip->cg->recv);
        taint_state_write(entry, p, origin_val(f, TAINT_POS_RECV, NULL, p, f->fn, "receiver this"));
    }
    uint32_t n;
    const CgGlobal *gl = cg_globals(ip->prog->cg, ip->func, &n);
    const TaintGVals *G = globals_of(f);
    /* Globals carry the taint stored into them (concrete, seen by every reader), not
     * origins of their own: a summary from every global a function reads to every
     * place it writes is most of a big program's summaries and says little. */
    for (uint32_t i = 0; i < n; i++) {
        const TaintPath *base = taint_path_base(f->paths, gl[i].name);
        for (size_t k = 0; k < G->n; k++) {
            if (G->v[k].key != gl[i].key) continue;
            const TaintPath *p = extend(f->paths, base, G->v[k].access, false);
            taint_state_write(entry, p, taint_val_join(taint_state_at(entry, p), G->v[k].val));
            VEC_PUSH(ip->seeded, G->v[k].val.trace);
        }
    }
}

/* ---------------------------------------------------------------- sinks */

static TaintSumEntry entry_from_origin(TaintFunc *f, uint32_t i)
{
    TaintSumEntry e = {0};
    e.from = f->ip->origins[i].pos;
    e.from_global = f->ip->origins[i].global;
    e.from_path = f->ip->origins[i].path ? taint_access_text(f->ip->origins[i].path) : intern("");
    return e;
}

static void add_origin_entries(TaintFunc *f, TaintVal v, TaintSumEntry proto)
{
    for (uint32_t i = 0; i < f->ip->norigins; i++) {
        if (!(v.origins & (1ull << i))) continue;
        TaintSumEntry e = entry_from_origin(f, i);
        e.to = proto.to;
        e.to_global = proto.to_global;
        e.to_path = proto.to_path ? proto.to_path : intern("");
        e.sink = proto.sink;
        e.checked = v.checked;
        e.trace = v.otrace;
        if (e.to == e.from && e.to_global == e.from_global && e.to_path == e.from_path) continue;
        taint_sum_add(&f->ip->out, &e);
    }
}

void taint_ip_sink(TaintFunc *f, const AstNode *e, const TaintHit *h, TaintVal v)
{
    const RuleTaintSpec *t = &f->rc->rule->sinks.v[h->spec];
    if (t->guard != RULE_GUARD_NONE && taint_guard_satisfied(t->guard, v.checked)) return;
    TaintSink *s = arena_alloc(f->keep, sizeof *s);
    s->file = f->ip->cg->file;
    s->spec = h->spec;
    s->span = h->span;
    s->requires = t->requires;
    s->guard = t->guard;
    const MatchSpan *sp = &f->rc->sink[h->spec].v[h->span];
    TaintTrace *step = (TaintTrace *)taint_trace_step(f, v.otrace, STEP_SINK, e, "sink");
    step->start = sp->start;
    step->end = sp->end;
    v.otrace = step;
    TaintSumEntry proto = { .to = TAINT_POS_SINK, .sink = s };
    add_origin_entries(f, v, proto);
}

/* ---------------------------------------------------------------- calls */

typedef struct CallSite {
    const AstNode *call;
    const AstNode *recv_expr;    /* obj in obj.m(...), or NULL */
    TaintVal recv;
    const TaintVal *args;
    uint32_t nargs;
    const char *callee;          /* name, for notes */
    bool ctor;                   /* new T(...) or C(...): the receiver is the result */
} CallSite;

static const AstNode *arg_expr(const CallSite *cs, int pos)
{
    const AstNode *a = cs->call->kids[1 + pos];
    return a->kind == AST_KEYWORD && a->nkids ? a->kids[0] : a;
}

/* The caller's name for a global: the one it uses, else the key itself. */
static const char *global_name(TaintFunc *f, const char *key, bool *named)
{
    uint32_t n;
    const CgGlobal *gl = cg_globals(f->ip->prog->cg, f->ip->func, &n);
    *named = true;
    for (uint32_t i = 0; i < n; i++)
        if (gl[i].key == key) return gl[i].name;
    *named = false;
    for (size_t i = 0; i < f->ip->extra.n; i++)
        if (f->ip->extra.v[i].key == key) return f->ip->extra.v[i].name;
    CgGlobal x = { key, key };
    VEC_PUSH(f->ip->extra, x);
    return key;
}

static const TaintPath *map_arg(TaintFunc *f, const AstNode *a, const char *access)
{
    bool addr = a->kind == AST_UNARY && a->op == AST_OP_ADDR;
    const TaintPath *base = taint_path_of(f->paths, addr ? a->kids[0] : a);
    return base ? extend(f->paths, base, access, addr) : NULL;
}

static const TaintPath *recv_base(TaintFunc *f, const CallSite *cs)
{
    if (cs->recv_expr) return taint_path_of(f->paths, cs->recv_expr);
    return f->ip->cg->recv ? taint_path_base(f->paths, f->ip->cg->recv) : NULL;
}

static TaintVal actual(TaintFunc *f, const CallSite *cs, const TaintSumEntry *en)
{
    if (en->from >= 0) {
        if ((uint32_t)en->from >= cs->nargs) return CLEAN;
        if (!*en->from_path) return cs->args[en->from];
        const TaintPath *p = map_arg(f, arg_expr(cs, en->from), en->from_path);
        return p ? taint_read_path(f, p) : cs->args[en->from];
    }
    if (en->from == TAINT_POS_RECV) {
        const TaintPath *b = recv_base(f, cs);
        if (!*en->from_path && cs->recv_expr) return cs->recv;
        const TaintPath *p = b ? extend(f->paths, b, en->from_path, false) : NULL;
        return p ? taint_read_path(f, p) : cs->recv;
    }
    bool named;
    const char *name = global_name(f, en->from_global, &named);
    const TaintPath *p = extend(f->paths, taint_path_base(f->paths, name), en->from_path, false);
    TaintVal v = taint_read_path(f, p);
    if (named) return v;
    const TaintGVals *G = globals_of(f);   /* not seeded: what the global holds */
    for (size_t k = 0; k < G->n; k++)
        if (G->v[k].key == en->from_global && G->v[k].access == en->from_path) v = taint_val_join(v, G->v[k].val);
    return v;
}

static const TaintPath *target(TaintFunc *f, const CallSite *cs, const TaintSumEntry *en)
{
    if (en->to >= 0) {
        if ((uint32_t)en->to >= cs->nargs) return NULL;
        const AstNode *a = arg_expr(cs, en->to);
        if (*en->to_path) return map_arg(f, a, en->to_path);
        if (a->kind == AST_UNARY && a->op == AST_OP_ADDR) return taint_path_of(f->paths, a->kids[0]);
        return taint_path_of(f->paths, a);
    }
    if (en->to == TAINT_POS_RECV) {
        const TaintPath *b = recv_base(f, cs);
        return b ? extend(f->paths, b, en->to_path, false) : NULL;
    }
    bool named;
    const char *name = global_name(f, en->to_global, &named);
    return extend(f->paths, taint_path_base(f->paths, name), en->to_path, false);
}

static uint8_t compose_checks(uint8_t entry, uint8_t got)
{
    uint8_t added = entry & CHECK_REAL, keep = (uint8_t)((entry & CHECK_SYM) >> CHECK_SYM_SHIFT);
    uint8_t real = (uint8_t)(added | (got & CHECK_REAL & keep));
    uint8_t sym = (uint8_t)(((got & CHECK_SYM) >> CHECK_SYM_SHIFT) & keep);
    return (uint8_t)(real | (sym << CHECK_SYM_SHIFT));
}

/* A node standing for the callee's steps, on top of prev: shared, not copied; ref
 * names the callee tuple they are (summary files write it instead of the steps). */
static const TaintTrace *splice(TaintFunc *f, const TaintTrace *prev, const TaintTrace *inner,
                                const TaintCallRef *ref)
{
    if (!inner) return prev;
    TaintTrace *t = arena_alloc(f->keep, sizeof *t);
    t->prev = prev;
    t->inner = inner;
    t->ref = ref;
    t->kind = STEP_STEP;
    size_t len = (size_t)(prev ? prev->len : 0) + inner->len;
    t->len = (uint16_t)(len < 60000 ? len : 60000);   /* flattening keeps the first and the sink */
    return t;
}

/* base, then a step at the call, then the callee's steps. A source inside the
 * callee starts the trace instead, and the call step follows it. */
static const TaintTrace *compose(TaintFunc *f, const TaintTrace *base, const CallSite *cs,
                                 const TaintTrace *inner, const TaintCallRef *ref, bool from_source)
{
    if (from_source) {
        const TaintTrace *t = splice(f, NULL, inner, ref);
        return taint_trace_step(f, t, STEP_STEP, cs->call, arena_printf(f->keep, "returned by %s", cs->callee));
    }
    const TaintTrace *t = taint_trace_step(f, base, STEP_STEP, cs->call, arena_printf(f->keep, "call %s", cs->callee));
    return splice(f, t, inner, ref);
}



static void sink_reached(TaintFunc *f, const CallSite *cs, const TaintSumEntry *en, TaintVal v)
{
    if (!f->reporting) return;
    const TaintSink *s = en->sink;
    bool safe = s->guard != RULE_GUARD_NONE && taint_guard_satisfied(s->guard, v.checked);
    if (v.labels && !safe && taint_requires_ok(f->rc, s->requires, v.labels)) {
        TaintProgFound x = { .rule = f->ip->rule, .file = s->file, .spec = s->spec, .span = s->span,
                             .loaded = s->file == TAINT_NO_FILE ? s : NULL,
                             .at_file = f->ip->cg->file, .trace = v.trace };
        VEC_PUSH(f->ip->prog->found[f->ip->func], x);
    }
    if (v.origins && !safe) {
        TaintSumEntry proto = { .to = TAINT_POS_SINK, .sink = s };
        add_origin_entries(f, v, proto);
    }
    (void)cs;
}

/* The call is the value of `x = call` or `T x = call`. */
static const AstNode *assigned_call(const AstNode *call)
{
    const AstNode *p = call->parent;
    if (p && p->kind == AST_ASSIGN && p->op == AST_OP_ASSIGN && p->kids[1] == call) return p;
    if (p && p->kind == AST_DECL && p->nkids && p->kids[p->nkids - 1] == call) return p;
    return NULL;
}

void taint_ip_assigned(TaintFunc *f, const TaintPath *lhs, const AstNode *at)
{
    TaintIpFunc *ip = f->ip;
    for (size_t i = 0; i < ip->pending.n; i++) {
        if (assigned_call(ip->pending.v[i].call) != at) continue;
        const TaintPath *p = extend(f->paths, lhs, ip->pending.v[i].access, false);
        taint_state_write(f->st, p, taint_val_join(taint_state_at(f->st, p), ip->pending.v[i].val));
    }
    ip->pending.n = 0;
}

static void apply_entry(TaintFunc *f, const CallSite *cs, const TaintSumEntry *en, TaintVal *result)
{
    TaintVal v = CLEAN;
    if (en->from == TAINT_POS_SOURCE) {
        v.labels = en->label_names ? taint_label_bits(f->rc, en->label_names) : en->labels;
        if (!v.labels) return;
        v.checked = en->checked & CHECK_REAL;
        v.trace = compose(f, NULL, cs, en->trace, en->ref, true);
    } else {
        TaintVal a = actual(f, cs, en);
        if (!taint_val_tainted(a)) return;
        v.labels = a.labels;
        v.origins = a.origins;
        v.checked = compose_checks(en->checked, a.checked);
        const TaintCallRef *ref = en->ref;
        if (a.labels) v.trace = compose(f, a.trace, cs, en->trace, ref, false);
        if (a.origins) v.otrace = compose(f, a.otrace, cs, en->trace, ref, false);
    }
    if (en->to == TAINT_POS_SINK) {
        sink_reached(f, cs, en, v);
        return;
    }
    if (cs->ctor && en->to == TAINT_POS_RECV && *en->to_path && assigned_call(cs->call)) {
        TaintPending x = { cs->call, en->to_path, v };   /* x = C(...): goes to x's field */
        VEC_PUSH(f->ip->pending, x);
        return;
    }
    if (en->to == TAINT_POS_RET || (cs->ctor && en->to == TAINT_POS_RECV)) {
        *result = taint_val_join(*result, v);
        if (en->to == TAINT_POS_RET) return;
    }
    const TaintPath *p = target(f, cs, en);
    if (!p) return;
    StrBuf b;
    sb_init(&b);
    taint_path_print(p, &b);
    v = taint_val_step(f, v, STEP_STEP, cs->call, arena_printf(f->keep, "%s taints %s", cs->callee, b.s));
    sb_free(&b);
    taint_state_write(f->st, p, taint_val_join(taint_state_at(f->st, p), v));
}

static void apply_summary(TaintFunc *f, const CallSite *cs, const TaintSummary *s, TaintVal *result)
{
    for (size_t i = 0; i < s->n; i++) apply_entry(f, cs, &s->v[i], result);
}

static bool sig_matches(const char *model, const char *want)
{
    size_t ml = strlen(model), wl = strlen(want);
    const char *mc = strchr(model, ':'), *wc = strchr(want, ':');
    if (!mc || !wc || mc - model != wc - want || memcmp(model, want, (size_t)(mc - model))) return false;
    if (ml == wl) return !strcmp(model, want);
    const char *a = ml > wl ? model : want, *b = ml > wl ? want : model;   /* b is the shorter */
    size_t bl = strlen(b), al = strlen(a), cut = (size_t)(strchr(b, ':') - b) + 1;
    const char *tail = b + cut;
    size_t tl = bl - cut;
    return al > tl && !strcmp(a + al - tl, tail) && (a[al - tl - 1] == '.' || a[al - tl - 1] == ':');
}

static bool apply_models(TaintFunc *f, const CallSite *cs, TaintVal *result)
{
    const char *sig = cg_call_signature(f->ip->prog->cg, f->ip->func, cs->call);
    if (!sig || !f->ip->prog->models.n) return false;
    const char *slash = strrchr(sig, '/'), *start = slash;
    while (start > sig && start[-1] != '.' && start[-1] != ':') start--;
    size_t n;
    const TaintModel *m = taint_models_find(f->ip->prog, intern(start), NULL, &n);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (m[i].rule_id && strcmp(m[i].rule_id, f->rc->rule->id)) continue;
        if (!sig_matches(m[i].signature, sig)) continue;
        apply_entry(f, cs, &m[i].entry, result);
        any = true;
    }
    return any;
}

bool taint_ip_call(TaintFunc *f, const AstNode *e, TaintVal recv, const TaintVal *args, uint32_t nargs,
                   TaintVal *result)
{
    TaintProgram *prog = f->ip->prog;
    const AstNode *callee = e->kids[0];
    CallSite cs = { .call = e, .recv = recv, .args = args, .nargs = nargs };
    if (callee->kind == AST_FIELD) cs.recv_expr = callee->kids[0];
    cs.callee = callee->name ? callee->name : "the callee";
    if (nargs && e->kids[nargs]->kind == AST_CLASS) cs.nargs--;   /* Java's anonymous class body */
    uint32_t n;
    const uint32_t *targets = cg_call_targets(prog->cg, e, &n);
    bool known = false;
    for (uint32_t i = 0; i < n; i++) {
        const TaintSummary *s = &prog->sums[(size_t)targets[i] * prog->nrules + f->ip->rule];
        if (!s->known) continue;
        const CgFunc *cf = cg_func(prog->cg, targets[i]);
        cs.ctor = (e->flags & AST_F_NEW) || (cf->name && !strcmp(cf->name, "__init__"));
        cs.callee = cf->name ? cf->name : cs.callee;
        apply_summary(f, &cs, s, result);
        known = true;
    }
    if (!n) known = apply_models(f, &cs, result);
    return known;
}

/* ---------------------------------------------------------------- exit */

static bool seeded(const TaintIpFunc *ip, const TaintTrace *t)
{
    for (size_t i = 0; i < ip->seeded.n; i++)
        if (ip->seeded.v[i] == t) return true;
    return false;
}

static void add_effects(TaintFunc *f, TaintVal v, int to, const char *key, const char *access)
{
    if (v.labels && !(to == TAINT_POS_GLOBAL && seeded(f->ip, v.trace))) {
        TaintSumEntry e = { .from = TAINT_POS_SOURCE, .from_path = intern(""), .to = to, .to_global = key,
                            .to_path = access, .labels = v.labels, .checked = v.checked & CHECK_REAL,
                            .trace = v.trace };
        taint_sum_add(&f->ip->out, &e);
    }
    if (v.origins) {
        TaintSumEntry proto = { .to = to, .to_global = key, .to_path = access };
        add_origin_entries(f, v, proto);
    }
}

/* A C parameter's own slot written (memcpy(p, ...) taints p) is its target written,
 * when it is a pointer or an array; not `p = p->next`, which moves along the caller's
 * data rather than storing into it. */
static bool writes_through(TaintFunc *f, const TaintEntry *en, int pos)
{
    const AstNode *type = NULL;
    for (uint32_t i = 0, k = 0; i < f->fn->nkids; i++)
        if (f->fn->kids[i]->kind == AST_PARAM && (int)(k++ - f->ip->cg->first_param) == pos)
            type = f->fn->kids[i]->type;
    if (!type || !type->name || (!strchr(type->name, '*') && !strchr(type->name, '['))) return false;
    for (uint32_t i = 0; i < f->ip->norigins; i++)
        if ((en->val.origins & (1ull << i)) && f->ip->origins[i].pos == pos) return false;
    return true;
}

static int param_pos(TaintFunc *f, const char *name)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < f->fn->nkids; i++) {
        const AstNode *p = f->fn->kids[i];
        if (p->kind != AST_PARAM) continue;
        if (p->name == name)
            return k < f->ip->cg->first_param ? TAINT_POS_RECV : (int)(k - f->ip->cg->first_param);
        k++;
    }
    return TAINT_POS_SOURCE;   /* not a parameter */
}

static const char *key_of(TaintFunc *f, const char *name)
{
    uint32_t n;
    const CgGlobal *gl = cg_globals(f->ip->prog->cg, f->ip->func, &n);
    for (uint32_t i = 0; i < n; i++)
        if (gl[i].name == name) return gl[i].key;
    for (size_t i = 0; i < f->ip->extra.n; i++)
        if (f->ip->extra.v[i].name == name) return f->ip->extra.v[i].key;
    return NULL;
}

static void collect_entry(TaintFunc *f, const TaintEntry *en, TaintGVals *gw)
{
    if (!taint_val_tainted(en->val)) return;
    const TaintPath *root = taint_path_root(en->path);
    const char *access = taint_access_text(en->path);
    const char *key = key_of(f, root->name);
    int pos = f->fn->kind == AST_FUNC ? param_pos(f, root->name) : TAINT_POS_SOURCE;
    if (f->ip->cg->recv && root->name == f->ip->cg->recv) pos = TAINT_POS_RECV;
    if (pos >= 0 || pos == TAINT_POS_RECV) {
        if (!en->path->depth && (pos == TAINT_POS_RECV || f->lang != LANG_C || !writes_through(f, en, pos)))
            return;
        add_effects(f, en->val, pos, NULL, access);
    } else if (key) {
        add_effects(f, en->val, TAINT_POS_GLOBAL, key, access);
        if (en->val.labels && !seeded(f->ip, en->val.trace)) {
            TaintVal c = { .labels = en->val.labels, .checked = en->val.checked & CHECK_REAL,
                           .trace = en->val.trace };
            TaintGVal g = { key, access, c };
            VEC_PUSH(*gw, g);
        }
    }
}

void taint_ip_collect(TaintFunc *f, const TaintState *exit)
{
    add_effects(f, f->ret, TAINT_POS_RET, NULL, intern(""));
    TaintGVals *gw = &f->ip->prog->gwrites[(size_t)f->ip->func * f->ip->prog->nrules + f->ip->rule];
    for (size_t i = 0; i < exit->n; i++) collect_entry(f, &exit->v[i], gw);
}
