/* call.c: calls in the taint stage: arguments evaluated, then the callee's effect.
 * Code outside the scan gets sluice's default propagation (docs/taint.md): the
 * result carries the taint of the receiver and of every argument, and a few
 * library functions that write through an argument (strcpy, memcpy, snprintf,
 * sb.append, list.append...) taint it by side effect. A propagator that matches a
 * call replaces the default for it; taint_assume_safe_functions turns it off. */
#include "taint/taint_ip.h"

#include <string.h>

static const TaintVal CLEAN = {0};

/* ---------------------------------------------------------------- models */

/* C functions that copy into their first argument from some of the others. */
typedef struct CopyModel {
    const char *name;
    int dst;                     /* the argument written */
    int from;                    /* first argument read; -1: every argument but dst */
    int to;                      /* last argument read, inclusive; -1: to the end */
} CopyModel;

static const CopyModel c_models[] = {
    {"strcpy", 0, 1, 1}, {"strncpy", 0, 1, 1}, {"strcat", 0, 1, 1}, {"strncat", 0, 1, 1},
    {"stpcpy", 0, 1, 1}, {"strlcpy", 0, 1, 1}, {"strlcat", 0, 1, 1},
    {"wcscpy", 0, 1, 1}, {"wcsncpy", 0, 1, 1}, {"wcscat", 0, 1, 1},
    {"memcpy", 0, 1, 1}, {"memmove", 0, 1, 1}, {"_fmemcpy", 0, 1, 1}, {"bcopy", 1, 0, 0},
    {"sprintf", 0, 1, -1}, {"vsprintf", 0, 1, -1}, {"snprintf", 0, 2, -1}, {"vsnprintf", 0, 2, -1},
    {"fgets", 0, 2, 2}, {"fread", 0, 3, 3}, {"read", 1, 0, 0}, {"recv", 1, 0, 0},
    {"recvfrom", 1, 0, 0}, {"sscanf", -1, 0, 0},
};

/* Methods that put their arguments into the receiver (Java, Python). */
static const char *const receiver_models[] = {
    "append", "add", "addAll", "put", "putAll", "extend", "insert", "update", "push",
    "write", "setdefault", "appendleft", "offer", NULL,
};

static const CopyModel *find_c_model(const char *name)
{
    for (size_t i = 0; name && i < sizeof c_models / sizeof *c_models; i++)
        if (!strcmp(c_models[i].name, name)) return &c_models[i];
    return NULL;
}

/* The memory an argument names: buf, p->name, &x (x itself). */
static const TaintPath *target_of(TaintFunc *f, const AstNode *arg)
{
    if (arg->kind == AST_UNARY && arg->op == AST_OP_ADDR) return taint_path_of(f->paths, arg->kids[0]);
    return taint_path_of(f->paths, arg);
}

static void taint_into(TaintFunc *f, const TaintPath *p, TaintVal v, const AstNode *call,
                       const char *callee)
{
    if (!p || !taint_val_tainted(v)) return;
    StrBuf b;
    sb_init(&b);
    taint_path_print(p, &b);
    v = taint_val_step(f, v, STEP_STEP, call, arena_printf(f->keep, "%s taints %s", callee, b.s));
    sb_free(&b);
    taint_state_write(f->st, p, taint_val_join(taint_state_at(f->st, p), v));
}

static void apply_c_model(TaintFunc *f, const CopyModel *m, const AstNode *call, const TaintVal *args,
                          uint32_t nargs)
{
    if (m->dst < 0) {   /* sscanf: the string taints every output argument */
        for (uint32_t i = 2; i < nargs; i++)
            taint_into(f, target_of(f, call->kids[1 + i]), args[0], call, m->name);
        return;
    }
    if ((uint32_t)m->dst >= nargs) return;
    TaintVal v = CLEAN;
    uint32_t to = m->to < 0 ? nargs - 1 : (uint32_t)m->to;
    for (uint32_t i = (uint32_t)m->from; i <= to && i < nargs; i++)
        if ((int)i != m->dst) v = taint_val_join(v, args[i]);
    taint_into(f, target_of(f, call->kids[1 + m->dst]), v, call, m->name);
}

static bool is_receiver_model(const char *name)
{
    for (size_t i = 0; name && receiver_models[i]; i++)
        if (!strcmp(receiver_models[i], name)) return true;
    return false;
}

/* sb.append(a).append(b): the receiver written is the one at the bottom of the chain. */
static const TaintPath *receiver_path(TaintFunc *f, const AstNode *obj)
{
    while (obj->kind == AST_CALL && obj->kids[0]->kind == AST_FIELD && is_receiver_model(obj->kids[0]->name))
        obj = obj->kids[0]->kids[0];
    return taint_path_of(f->paths, obj);
}

static bool has_propagator(TaintFunc *f, const AstNode *call)
{
    uint32_t n;
    const TaintHit *h = taint_hits_of(f->hits, call, &n);
    for (uint32_t i = 0; i < n; i++)
        if (h[i].role == ROLE_PROP) return true;
    return false;
}

/* ---------------------------------------------------------------- calls */

static const AstNode *arg_value(const AstNode *a)
{
    return a->kind == AST_KEYWORD && a->nkids ? a->kids[0] : a;
}

TaintVal taint_eval_call(TaintFunc *f, const AstNode *e)
{
    const AstNode *callee = e->kids[0];
    TaintVal recv = CLEAN;
    const char *name = NULL;
    if (callee->kind == AST_FIELD) {
        recv = taint_eval(f, callee->kids[0]);
        name = callee->name;
    } else if (callee->kind == AST_IDENT) {
        name = callee->name;
    } else if (callee->kind != AST_TYPE) {
        recv = taint_eval(f, callee);
    }
    uint32_t nargs = e->nkids - 1;
    TaintVal small[16], *args = nargs <= 16 ? small : xmalloc(nargs * sizeof *args);
    TaintVal all = CLEAN;
    for (uint32_t i = 0; i < nargs; i++) {
        args[i] = taint_eval(f, arg_value(e->kids[1 + i]));
        all = taint_val_join(all, args[i]);
    }
    TaintVal result = CLEAN;
    if (f->ip && !has_propagator(f, e) && taint_ip_call(f, e, recv, args, nargs, &result)) {
        /* the callee's summaries (code in the scan or a loaded model) said it all */
    } else if (!f->rc->safe_functions && !has_propagator(f, e)) {
        const CopyModel *m = callee->kind == AST_IDENT ? find_c_model(name) : NULL;
        if (m) apply_c_model(f, m, e, args, nargs);
        if (callee->kind == AST_FIELD && is_receiver_model(name) && taint_val_tainted(all))
            taint_into(f, receiver_path(f, callee->kids[0]), all, e, name);
        result = taint_val_join(recv, all);
        result.checked &= CHECK_KEEP_ANY;  /* what a call returns is not bounded by its inputs */
    }
    if (args != small) free(args);
    f->call_args = all;
    return result;
}

/* ---------------------------------------------------------------- types */

static bool word_in(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(s, list[i])) return true;
    return false;
}

bool taint_type_is_number(const AstNode *type, Lang lang)
{
    static const char *const nums[] = {
        "int", "long", "short", "unsigned", "signed", "float", "double", "size_t", "ssize_t",
        "unsigned int", "unsigned long", "unsigned short", "long long", "unsigned long long",
        "long int", "short int", "long double", "int8_t", "int16_t", "int32_t", "int64_t",
        "uint8_t", "uint16_t", "uint32_t", "uint64_t", "off_t", "ptrdiff_t", "intptr_t",
        "uintptr_t", "byte", "Integer", "Long", "Short", "Byte", "Float", "Double",
        "BigInteger", "BigDecimal", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
        "INT32", "INT64", "DWORD", "WORD", "BYTE", "ULONG", "UINT", NULL,
    };
    if (!type || !type->name) return false;
    const char *t = type->name;
    if (str_starts_with(t, "const ")) t += 6;
    if (str_starts_with(t, "static ")) t += 7;
    (void)lang;
    return word_in(t, nums);
}

bool taint_type_is_bool(const AstNode *type, Lang lang)
{
    static const char *const bools[] = {"bool", "_Bool", "boolean", "Boolean", "BOOL", NULL};
    (void)lang;
    return type && type->name && word_in(type->name, bools);
}

static bool call_named(const AstNode *e, const char *const *names)
{
    const AstNode *c = e->kids[0];
    const char *n = c->kind == AST_IDENT || c->kind == AST_FIELD ? c->name : NULL;
    return n && word_in(n, names);
}

bool taint_expr_is_number(TaintFunc *f, const AstNode *e)
{
    static const char *const num_calls[] = {
        "int", "float", "len", "ord", "abs", "round", "hash", "atoi", "atol", "atoll",
        "strtol", "strtoul", "strtoll", "strtoull", "strlen", "parseInt", "parseLong",
        "parseShort", "parseDouble", "parseFloat", "length", "size", "hashCode", NULL,
    };
    switch (e->kind) {
    case AST_LITERAL: return e->op == LIT_INT || e->op == LIT_FLOAT;
    case AST_IDENT: return taint_type_is_number(taint_decl_type(f, e->name), f->lang);
    case AST_CAST: return taint_type_is_number(e->type, f->lang);
    case AST_CALL: return call_named(e, num_calls);
    case AST_UNARY:
        if (e->op == AST_OP_SIZEOF) return true;
        return e->op != AST_OP_DEREF && e->op != AST_OP_ADDR && e->op != AST_OP_NOT
               && taint_expr_is_number(f, e->kids[0]);
    case AST_BINARY:
        if (e->op >= AST_OP_ADD && e->op <= AST_OP_BITXOR)
            return taint_expr_is_number(f, e->kids[0]) && taint_expr_is_number(f, e->kids[1]);
        return false;
    default: return false;
    }
}

bool taint_expr_is_bool(TaintFunc *f, const AstNode *e)
{
    switch (e->kind) {
    case AST_LITERAL: return e->op == LIT_BOOL;
    case AST_IDENT: return taint_type_is_bool(taint_decl_type(f, e->name), f->lang);
    case AST_CAST: return taint_type_is_bool(e->type, f->lang);
    case AST_UNARY: return e->op == AST_OP_NOT;
    case AST_BINARY: return e->op == AST_OP_AND || e->op == AST_OP_OR || (e->op >= AST_OP_EQ && e->op <= AST_OP_INSTANCEOF);
    default: return false;
    }
}
