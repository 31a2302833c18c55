/* cfg.c: the taint stage's IL and control-flow graph: a function body lowered from
 * the generic AST into blocks of IL instructions (assignments, evaluations, returns,
 * throws) joined by edges, branch edges carrying their condition for the guards.
 * Covers if, loops (with Python's else), switch with fallthrough, break, continue,
 * goto and labels, return, throw, and try/catch/else/finally. */
#include "taint/taint_int.h"

#include <string.h>

/* ---------------------------------------------------------------- building */

typedef struct Jump {
    uint32_t from;
    const char *label;
} Jump;

/* One enclosing try: where a throw inside it goes, and its finally if any. */
typedef struct TryCtx {
    uint32_t *handlers;
    uint32_t nhandlers;
    uint32_t finally;            /* UINT32_MAX when none */
    uint32_t first_block;        /* blocks of the body start here */
} TryCtx;

typedef struct Builder {
    TaintCfg *cfg;
    Arena *arena;
    Lang lang;
    uint32_t cur;
    VEC(uint32_t) brk, cont;     /* targets of break and continue, innermost last */
    VEC(Jump) gotos;
    VEC(Jump) labels;
    VEC(TryCtx) tries;
} Builder;

static uint32_t new_block(Builder *b)
{
    TaintCfg *c = b->cfg;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->blocks = xrealloc(c->blocks, c->cap * sizeof *c->blocks);
    }
    memset(&c->blocks[c->n], 0, sizeof c->blocks[c->n]);
    return c->n++;
}

static void add_edge(Builder *b, uint32_t from, uint32_t to, const AstNode *cond, bool pol)
{
    TaintBlock *bl = &b->cfg->blocks[from];
    if (bl->nsucc == bl->cap_succ) {
        bl->cap_succ = bl->cap_succ ? bl->cap_succ * 2 : 2;
        bl->succ = xrealloc(bl->succ, bl->cap_succ * sizeof *bl->succ);
    }
    bl->succ[bl->nsucc++] = (TaintEdge){ to, cond, pol };
}

static void emit(Builder *b, TaintIns ins)
{
    TaintBlock *bl = &b->cfg->blocks[b->cur];
    if (bl->nins == bl->cap_ins) {
        bl->cap_ins = bl->cap_ins ? bl->cap_ins * 2 : 4;
        bl->ins = xrealloc(bl->ins, bl->cap_ins * sizeof *bl->ins);
    }
    bl->ins[bl->nins++] = ins;
    b->cfg->nins++;
}

static void emit_eval(Builder *b, const AstNode *e)
{
    if (e && e->kind != AST_EMPTY) emit(b, (TaintIns){ .kind = IL_EVAL, .node = e });
}

/* Ends the current block with a jump and starts an unreachable one after it. */
static void jump(Builder *b, uint32_t to)
{
    add_edge(b, b->cur, to, NULL, false);
    b->cur = new_block(b);
}

static void goto_new(Builder *b)
{
    uint32_t next = new_block(b);
    add_edge(b, b->cur, next, NULL, false);
    b->cur = next;
}

static void stmt(Builder *b, const AstNode *s);

static void stmts(Builder *b, const AstNode *n)
{
    for (uint32_t i = 0; i < n->nkids; i++) stmt(b, n->kids[i]);
}

/* ---------------------------------------------------------------- branches */

/* Splits on cond: returns the block where cond holds; *no gets the other. */
static uint32_t branch(Builder *b, const AstNode *cond, uint32_t *no)
{
    emit_eval(b, cond);
    uint32_t yes = new_block(b);
    *no = new_block(b);
    add_edge(b, b->cur, yes, cond, true);
    add_edge(b, b->cur, *no, cond, false);
    return yes;
}

static void lower_if(Builder *b, const AstNode *s)
{
    uint32_t no, join;
    b->cur = branch(b, s->kids[0], &no);
    stmt(b, s->kids[1]);
    join = new_block(b);
    add_edge(b, b->cur, join, NULL, false);
    b->cur = no;
    if (s->nkids > 2) stmt(b, s->kids[2]);
    add_edge(b, b->cur, join, NULL, false);
    b->cur = join;
}

static void push_loop(Builder *b, uint32_t brk, uint32_t cont)
{
    VEC_PUSH(b->brk, brk);
    VEC_PUSH(b->cont, cont);
}

static void pop_loop(Builder *b)
{
    b->brk.n--;
    b->cont.n--;
}

/* The body, then the loop's else block (Python) on the normal way out. */
static void loop_body(Builder *b, const AstNode *body, uint32_t cont, uint32_t brk)
{
    push_loop(b, brk, cont);
    stmt(b, body);
    pop_loop(b);
    add_edge(b, b->cur, cont, NULL, false);
}

static void loop_exit(Builder *b, uint32_t no, const AstNode *else_block, uint32_t brk)
{
    b->cur = no;
    if (else_block) stmt(b, else_block);
    add_edge(b, b->cur, brk, NULL, false);
    b->cur = brk;
}

static void lower_while(Builder *b, const AstNode *s)
{
    uint32_t head = new_block(b), brk = new_block(b), no;
    add_edge(b, b->cur, head, NULL, false);
    b->cur = head;
    b->cur = branch(b, s->kids[0], &no);
    loop_body(b, s->kids[1], head, brk);
    loop_exit(b, no, s->nkids > 2 ? s->kids[2] : NULL, brk);
}

static void lower_do(Builder *b, const AstNode *s)
{
    uint32_t body = new_block(b), test = new_block(b), brk = new_block(b);
    add_edge(b, b->cur, body, NULL, false);
    b->cur = body;
    loop_body(b, s->kids[0], test, brk);
    b->cur = test;
    emit_eval(b, s->kids[1]);
    add_edge(b, test, body, s->kids[1], true);
    add_edge(b, test, brk, s->kids[1], false);
    b->cur = brk;
}

static void lower_for(Builder *b, const AstNode *s)
{
    const AstNode *init = s->kids[0], *cond = s->kids[1], *update = s->kids[2];
    stmt(b, init);
    uint32_t head = new_block(b), step = new_block(b), brk = new_block(b), no;
    add_edge(b, b->cur, head, NULL, false);
    b->cur = head;
    if (cond->kind == AST_EMPTY) {
        no = new_block(b);   /* for (;;): the way out is a break */
        uint32_t body = new_block(b);
        add_edge(b, head, body, NULL, false);
        b->cur = body;
    } else {
        b->cur = branch(b, cond, &no);
    }
    loop_body(b, s->kids[3], step, brk);
    b->cur = step;
    emit_eval(b, update);
    add_edge(b, step, head, NULL, false);
    loop_exit(b, no, NULL, brk);
}

/* for target in iterable: the target gets the iterable's elements on each turn. */
static void lower_foreach(Builder *b, const AstNode *s)
{
    const AstNode *target = s->kids[0], *iter = s->kids[1];
    emit_eval(b, iter);
    uint32_t head = new_block(b), body = new_block(b), no = new_block(b), brk = new_block(b);
    add_edge(b, b->cur, head, NULL, false);
    add_edge(b, head, body, NULL, false);
    add_edge(b, head, no, NULL, false);
    b->cur = body;
    TaintIns ins = { .kind = IL_ASSIGN, .each = true, .node = s, .rhs = iter };
    if (target->kind == AST_DECL) ins.var = target->name;
    else ins.lhs = target;
    emit(b, ins);
    loop_body(b, s->kids[2], head, brk);
    loop_exit(b, no, s->nkids > 3 ? s->kids[3] : NULL, brk);
}

static void lower_loop(Builder *b, const AstNode *s)
{
    switch (s->op) {
    case LOOP_WHILE: lower_while(b, s); break;
    case LOOP_DO: lower_do(b, s); break;
    case LOOP_FOR: lower_for(b, s); break;
    default: lower_foreach(b, s); break;
    }
}

/* C and Java cases fall through to the next; Python's match cases do not. */
static void lower_switch(Builder *b, const AstNode *s)
{
    emit_eval(b, s->kids[0]);
    uint32_t head = b->cur, brk = new_block(b);
    bool has_default = false;
    uint32_t prev_end = UINT32_MAX;
    uint32_t cont = b->cont.n ? b->cont.v[b->cont.n - 1] : brk;
    push_loop(b, brk, cont);
    for (uint32_t i = 1; i < s->nkids; i++) {
        const AstNode *c = s->kids[i];
        if (c->kind != AST_CASE) continue;
        has_default |= (c->flags & AST_F_DEFAULT) != 0;
        uint32_t entry = new_block(b);
        add_edge(b, head, entry, NULL, false);
        if (prev_end != UINT32_MAX) add_edge(b, prev_end, entry, NULL, false);
        b->cur = entry;
        for (uint32_t k = 0; k + 1 < c->nkids; k++) emit_eval(b, c->kids[k]);
        if (c->nkids) stmt(b, c->kids[c->nkids - 1]);
        prev_end = b->cur;
        if (b->lang == LANG_PYTHON) {
            add_edge(b, b->cur, brk, NULL, false);
            prev_end = UINT32_MAX;
        }
    }
    if (prev_end != UINT32_MAX) add_edge(b, prev_end, brk, NULL, false);
    if (!has_default) add_edge(b, head, brk, NULL, false);
    pop_loop(b);
    b->cur = brk;
}

/* ---------------------------------------------------------------- jumps */

/* Where a return goes: through the innermost finally, else to the exit. */
static uint32_t return_target(Builder *b)
{
    for (size_t i = b->tries.n; i-- > 0;)
        if (b->tries.v[i].finally != UINT32_MAX) return b->tries.v[i].finally;
    return CFG_EXIT;
}

/* Where a throw goes: the innermost try's handlers (and its finally), else out. */
static void throw_edges(Builder *b, uint32_t from)
{
    for (size_t i = b->tries.n; i-- > 0;) {
        const TryCtx *t = &b->tries.v[i];
        for (uint32_t h = 0; h < t->nhandlers; h++) add_edge(b, from, t->handlers[h], NULL, false);
        if (t->finally != UINT32_MAX) add_edge(b, from, t->finally, NULL, false);
        if (t->nhandlers || t->finally != UINT32_MAX) return;
    }
    add_edge(b, from, CFG_EXIT, NULL, false);
}

static void lower_return(Builder *b, const AstNode *s)
{
    emit(b, (TaintIns){ .kind = IL_RETURN, .node = s, .rhs = s->nkids ? s->kids[0] : NULL });
    jump(b, return_target(b));
}

static void lower_throw(Builder *b, const AstNode *s)
{
    emit(b, (TaintIns){ .kind = IL_THROW, .node = s, .rhs = s->nkids ? s->kids[0] : NULL });
    throw_edges(b, b->cur);
    b->cur = new_block(b);
}

static void lower_jump(Builder *b, const AstNode *s)
{
    if (s->kind == AST_GOTO) {
        Jump j = { b->cur, s->name };
        VEC_PUSH(b->gotos, j);
        b->cur = new_block(b);
        return;
    }
    VEC(uint32_t) *targets = s->kind == AST_BREAK ? (void *)&b->brk : (void *)&b->cont;
    if (targets->n) jump(b, targets->v[targets->n - 1]);
    else b->cur = new_block(b);   /* a stray break: nothing after it is reached this way */
}

static void lower_label(Builder *b, const AstNode *s)
{
    goto_new(b);
    Jump l = { b->cur, s->name };
    VEC_PUSH(b->labels, l);
    stmts(b, s);
}

static void resolve_gotos(Builder *b)
{
    for (size_t i = 0; i < b->gotos.n; i++)
        for (size_t j = 0; j < b->labels.n; j++)
            if (b->labels.v[j].label == b->gotos.v[i].label) {
                add_edge(b, b->gotos.v[i].from, b->labels.v[j].from, NULL, false);
                break;
            }
}

/* ---------------------------------------------------------------- try */

/* Any block of the body may throw: each gets edges to the handlers, so the state
 * a handler starts from is the join of the states the body's blocks end with. */
static void lower_try(Builder *b, const AstNode *s)
{
    const AstNode *body = s->kids[0], *fin = NULL, *els = NULL;
    VEC(const AstNode *) catches = {0};
    for (uint32_t i = 1; i < s->nkids; i++) {
        const AstNode *k = s->kids[i];
        if (k->kind == AST_CATCH) VEC_PUSH(catches, k);
        else if (k->kind == AST_BLOCK && (k->flags & AST_F_FINALLY)) fin = k;
        else if (k->kind == AST_BLOCK && (k->flags & AST_F_ELSE)) els = k;
    }
    uint32_t after = new_block(b);
    TryCtx t = { .finally = fin ? new_block(b) : UINT32_MAX, .nhandlers = (uint32_t)catches.n };
    t.handlers = arena_alloc(b->arena, (catches.n + 1) * sizeof *t.handlers);
    for (size_t i = 0; i < catches.n; i++) t.handlers[i] = new_block(b);
    uint32_t done = fin ? t.finally : after;
    goto_new(b);
    t.first_block = b->cur;
    VEC_PUSH(b->tries, t);
    stmt(b, body);
    uint32_t last = b->cfg->n;
    b->tries.n--;
    if (els) stmt(b, els);
    add_edge(b, b->cur, done, NULL, false);
    for (uint32_t blk = t.first_block; blk < last; blk++) {
        for (uint32_t h = 0; h < t.nhandlers; h++) add_edge(b, blk, t.handlers[h], NULL, false);
        if (fin) add_edge(b, blk, t.finally, NULL, false);
    }
    if (fin) VEC_PUSH(b->tries, ((TryCtx){ .finally = t.finally, .handlers = NULL }));
    for (size_t i = 0; i < catches.n; i++) {
        b->cur = t.handlers[i];
        emit(b, (TaintIns){ .kind = IL_CATCH, .node = catches.v[i], .var = catches.v[i]->name });
        stmts(b, catches.v[i]);
        add_edge(b, b->cur, done, NULL, false);
    }
    if (fin) {
        b->tries.n--;
        b->cur = t.finally;
        stmt(b, fin);
        /* A finally runs on the way out of returns and throws too. */
        add_edge(b, b->cur, after, NULL, false);
        add_edge(b, b->cur, return_target(b), NULL, false);
    }
    VEC_FREE(catches);
    b->cur = after;
}

/* ---------------------------------------------------------------- statements */

static void lower_decl(Builder *b, const AstNode *s)
{
    if (s->flags & (AST_F_TYPEDEF | AST_F_EXTERN)) return;
    if (!s->name) return;
    emit(b, (TaintIns){ .kind = IL_ASSIGN, .node = s, .var = s->name,
                        .rhs = s->nkids ? s->kids[0] : NULL });
}

static bool is_statement_kind(AstKind k)
{
    switch (k) {
    case AST_BLOCK: case AST_EXPR_STMT: case AST_IF: case AST_LOOP: case AST_SWITCH:
    case AST_RETURN: case AST_BREAK: case AST_CONTINUE: case AST_GOTO: case AST_LABEL:
    case AST_TRY: case AST_THROW: case AST_DECL: case AST_FUNC: case AST_CLASS:
    case AST_IMPORT: case AST_PREPROC: case AST_EMPTY:
        return true;
    default:
        return false;
    }
}

/* An unknown statement keeps its children: statements among them are lowered as
 * statements, the rest evaluated, so nothing inside is skipped. */
static void lower_other(Builder *b, const AstNode *s)
{
    bool any_stmt = false;
    for (uint32_t i = 0; i < s->nkids; i++) any_stmt |= is_statement_kind(s->kids[i]->kind);
    if (!any_stmt) {
        emit_eval(b, s);
        return;
    }
    for (uint32_t i = 0; i < s->nkids; i++) stmt(b, s->kids[i]);
}

static void stmt(Builder *b, const AstNode *s)
{
    switch (s->kind) {
    case AST_BLOCK: stmts(b, s); break;
    case AST_EXPR_STMT: emit_eval(b, s); break;
    case AST_DECL: lower_decl(b, s); break;
    case AST_IF: lower_if(b, s); break;
    case AST_LOOP: lower_loop(b, s); break;
    case AST_SWITCH: lower_switch(b, s); break;
    case AST_RETURN: lower_return(b, s); break;
    case AST_THROW: lower_throw(b, s); break;
    case AST_BREAK: case AST_CONTINUE: case AST_GOTO: lower_jump(b, s); break;
    case AST_LABEL: lower_label(b, s); break;
    case AST_TRY: lower_try(b, s); break;
    /* Nested functions and classes are analysed on their own. */
    case AST_FUNC: case AST_CLASS: case AST_IMPORT: case AST_PREPROC: case AST_EMPTY:
    case AST_ANNOTATION: case AST_TYPE:
        break;
    case AST_OTHER: lower_other(b, s); break;
    default: emit_eval(b, s); break;
    }
}

static void lower_params(Builder *b, const AstNode *fn)
{
    for (uint32_t i = 0; i < fn->nkids; i++) {
        const AstNode *p = fn->kids[i];
        if (p->kind != AST_PARAM || !p->name) continue;
        emit(b, (TaintIns){ .kind = IL_PARAM, .node = p, .var = p->name,
                            .rhs = p->nkids ? p->kids[0] : NULL });
    }
}

void taint_cfg_build(TaintCfg *cfg, Arena *a, const AstNode *fn, Lang lang)
{
    memset(cfg, 0, sizeof *cfg);
    Builder b = { .cfg = cfg, .arena = a, .lang = lang };
    new_block(&b);   /* CFG_ENTRY */
    new_block(&b);   /* CFG_EXIT */
    b.cur = CFG_ENTRY;
    if (fn->kind == AST_FUNC) {
        lower_params(&b, fn);
        const AstNode *body = ast_func_body(fn);
        if (body) stmt(&b, body);
        else if (fn->nkids && fn->kids[fn->nkids - 1]->kind != AST_PARAM)
            emit_eval(&b, fn->kids[fn->nkids - 1]);
    } else {
        stmts(&b, fn);
    }
    add_edge(&b, b.cur, CFG_EXIT, NULL, false);
    resolve_gotos(&b);
    VEC_FREE(b.brk);
    VEC_FREE(b.cont);
    VEC_FREE(b.gotos);
    VEC_FREE(b.labels);
    VEC_FREE(b.tries);
}

void taint_cfg_free(TaintCfg *cfg)
{
    for (uint32_t i = 0; i < cfg->n; i++) {
        free(cfg->blocks[i].ins);
        free(cfg->blocks[i].succ);
    }
    free(cfg->blocks);
    memset(cfg, 0, sizeof *cfg);
}

/* ---------------------------------------------------------------- dump */

static const char *ins_name(uint8_t k)
{
    static const char *const names[] = {"eval", "assign", "param", "return", "throw", "catch"};
    return k < sizeof names / sizeof *names ? names[k] : "?";
}

char *taint_cfg_dump(const TaintCfg *cfg)
{
    StrBuf s;
    sb_init(&s);
    for (uint32_t i = 0; i < cfg->n; i++) {
        const TaintBlock *bl = &cfg->blocks[i];
        sb_printf(&s, "b%u:", i);
        for (uint32_t k = 0; k < bl->nins; k++) {
            const TaintIns *in = &bl->ins[k];
            sb_printf(&s, " %s%s@%u", ins_name(in->kind), in->each ? "-each" : "",
                      in->node ? in->node->start.line : 0);
            if (in->var) sb_printf(&s, "(%s)", in->var);
        }
        sb_puts(&s, " ->");
        for (uint32_t k = 0; k < bl->nsucc; k++) {
            const TaintEdge *e = &bl->succ[k];
            sb_printf(&s, " b%u", e->to);
            if (e->cond) sb_printf(&s, "%s", e->polarity ? "[T]" : "[F]");
        }
        sb_putc(&s, '\n');
    }
    return sb_take(&s);
}
