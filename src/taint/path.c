/* path.c: access paths for the taint stage: a variable and up to k selectors
 * (.field, [*] for any element, * for a pointer's target), hash-consed per function
 * so that the data flow compares them by pointer and sorts states by id. */
#include "taint/taint_int.h"

#include <string.h>

struct TaintPaths {
    Arena *arena;
    int k;
    TaintPath **slots;           /* open addressing on (parent, sel, name) */
    size_t cap, n;
};

TaintPaths *taint_paths_new(Arena *a, int k)
{
    TaintPaths *t = xcalloc(1, sizeof *t);
    t->arena = a;
    t->k = k;
    t->cap = 64;
    t->slots = xcalloc(t->cap, sizeof *t->slots);
    return t;
}

void taint_paths_free(TaintPaths *t)
{
    if (!t) return;
    free(t->slots);
    free(t);
}

static size_t path_hash(const TaintPath *parent, uint8_t sel, const char *name)
{
    uintptr_t h = (uintptr_t)parent * 31u + (uintptr_t)name * 17u + sel;
    h ^= h >> 15;
    h *= 0x9E3779B1u;
    return (size_t)(h ^ (h >> 13));
}

static void grow(TaintPaths *t)
{
    size_t cap = t->cap * 2;
    TaintPath **slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        TaintPath *p = t->slots[i];
        if (!p) continue;
        size_t j = path_hash(p->parent, p->sel, p->name) & (cap - 1);
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = p;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

static const TaintPath *intern_path(TaintPaths *t, const TaintPath *parent, TaintSel sel,
                                    const char *name)
{
    if (t->n * 2 >= t->cap) grow(t);
    size_t j = path_hash(parent, (uint8_t)sel, name) & (t->cap - 1);
    for (TaintPath *p; (p = t->slots[j]) != NULL; j = (j + 1) & (t->cap - 1))
        if (p->parent == parent && p->sel == sel && p->name == name) return p;
    TaintPath *p = arena_alloc(t->arena, sizeof *p);
    p->parent = parent;
    p->sel = (uint8_t)sel;
    p->name = name;
    p->depth = parent ? (uint8_t)(parent->depth + 1) : 0;
    p->id = (uint32_t)t->n++;
    if (parent) ((TaintPath *)parent)->has_children = true;
    t->slots[j] = p;
    return p;
}

const TaintPath *taint_path_base(TaintPaths *t, const char *name)
{
    return intern_path(t, NULL, SEL_BASE, name);
}

/* Past k selectors the path stays where it is and is marked truncated: it then
 * stands for itself and everything below, so writes to it join instead of replace. */
const TaintPath *taint_path_child(TaintPaths *t, const TaintPath *parent, TaintSel sel,
                                  const char *name)
{
    if (!parent) return NULL;
    if (parent->depth >= t->k) {
        ((TaintPath *)parent)->truncated = true;
        return parent;
    }
    return intern_path(t, parent, sel, sel == SEL_FIELD ? name : NULL);
}

const TaintPath *taint_path_of(TaintPaths *t, const AstNode *e)
{
    switch (e->kind) {
    case AST_IDENT:
        return e->name ? taint_path_base(t, e->name) : NULL;
    case AST_FIELD:
        return taint_path_child(t, taint_path_of(t, e->kids[0]), SEL_FIELD, e->name);
    case AST_INDEX:
        return taint_path_child(t, taint_path_of(t, e->kids[0]), SEL_INDEX, NULL);
    case AST_UNARY:
        if (e->op == AST_OP_DEREF)
            return taint_path_child(t, taint_path_of(t, e->kids[0]), SEL_DEREF, NULL);
        return NULL;
    case AST_CAST:
        /* (Req *)buf names buf's memory: fields read through it are buf's. */
        return e->nkids ? taint_path_of(t, e->kids[0]) : NULL;
    case AST_OTHER:
        /* parentheses and other wrappers of one expression */
        return e->nkids == 1 && !(e->flags & AST_F_ERROR) ? taint_path_of(t, e->kids[0]) : NULL;
    default:
        return NULL;
    }
}

bool taint_path_prefix(const TaintPath *pre, const TaintPath *p)
{
    for (; p; p = p->parent)
        if (p == pre) return true;
    return false;
}

const TaintPath *taint_path_root(const TaintPath *p)
{
    while (p->parent) p = p->parent;
    return p;
}

void taint_path_print(const TaintPath *p, StrBuf *b)
{
    if (!p) return;
    if (p->sel == SEL_DEREF) {
        sb_putc(b, '*');
        taint_path_print(p->parent, b);
        return;
    }
    taint_path_print(p->parent, b);
    switch (p->sel) {
    case SEL_BASE: sb_puts(b, p->name); break;
    case SEL_FIELD: sb_putc(b, '.'); sb_puts(b, p->name); break;
    case SEL_INDEX: sb_puts(b, "[*]"); break;
    default: break;
    }
}
