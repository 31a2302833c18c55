/* graph.c: building the call graph (program stage) from the indexes and the
 * resolved calls, its accessors, and the strongly connected components in bottom-up
 * levels (Tarjan's algorithm with an explicit stack: no recursion, whatever the depth
 * of the call chains). */
#include "callgraph/cg_int.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- components */

typedef struct Frame {
    uint32_t v;
    uint32_t next;               /* the next callee to visit */
} Frame;

typedef struct Tarjan {
    CgGraph *g;
    uint32_t *index, *low;
    bool *on_stack;
    CgIdList stack;
    VEC(Frame) frames;
    uint32_t counter;
} Tarjan;

static void pop_component(Tarjan *t, uint32_t root)
{
    CgGraph *g = t->g;
    CgIdList members = {0};
    uint32_t w;
    do {
        w = t->stack.v[--t->stack.n];
        t->on_stack[w] = false;
        g->scc_of[w] = (uint32_t)g->nscc;
        VEC_PUSH(members, w);
    } while (w != root);
    /* members in function order: the same on every run */
    for (size_t i = 1; i < members.n; i++)
        for (size_t k = i; k > 0 && members.v[k - 1] > members.v[k]; k--) {
            uint32_t x = members.v[k];
            members.v[k] = members.v[k - 1];
            members.v[k - 1] = x;
        }
    g->scc_members[g->nscc++] = members;
}

static void strongconnect(Tarjan *t, uint32_t start)
{
    CgGraph *g = t->g;
    Frame f0 = { start, 0 };
    VEC_PUSH(t->frames, f0);
    t->index[start] = t->low[start] = ++t->counter;
    VEC_PUSH(t->stack, start);
    t->on_stack[start] = true;
    while (t->frames.n) {
        Frame *fr = &t->frames.v[t->frames.n - 1];
        uint32_t v = fr->v;
        const CgIdList *out = &g->callees[v];
        if (fr->next < out->n) {
            uint32_t w = out->v[fr->next++];
            if (!t->index[w]) {
                t->index[w] = t->low[w] = ++t->counter;
                VEC_PUSH(t->stack, w);
                t->on_stack[w] = true;
                Frame f = { w, 0 };
                VEC_PUSH(t->frames, f);
            } else if (t->on_stack[w] && t->index[w] < t->low[v]) {
                t->low[v] = t->index[w];
            }
            continue;
        }
        t->frames.n--;
        if (t->low[v] == t->index[v]) pop_component(t, v);
        if (t->frames.n) {
            uint32_t parent = t->frames.v[t->frames.n - 1].v;
            if (t->low[v] < t->low[parent]) t->low[parent] = t->low[v];
        }
    }
}

/* Tarjan emits a component after every component it reaches, so the order it
 * emits them in is bottom-up and a level is one more than the callees' highest. */
static void assign_levels(CgGraph *g)
{
    uint32_t *level = xcalloc(g->nscc + 1, sizeof *level);
    size_t max = 0;
    for (size_t c = 0; c < g->nscc; c++) {
        uint32_t lv = 0;
        const CgIdList *m = &g->scc_members[c];
        for (size_t i = 0; i < m->n; i++)
            for (size_t k = 0; k < g->callees[m->v[i]].n; k++) {
                uint32_t d = g->scc_of[g->callees[m->v[i]].v[k]];
                if (d != c && level[d] + 1 > lv) lv = level[d] + 1;
            }
        level[c] = lv;
        if (lv + 1 > max) max = lv + 1;
    }
    g->nlevels = max;
    g->levels = xcalloc(max + 1, sizeof *g->levels);
    for (size_t c = 0; c < g->nscc; c++) VEC_PUSH(g->levels[level[c]], (uint32_t)c);
    free(level);
}

void cg_components(CgGraph *g)
{
    size_t n = g->funcs.n;
    Tarjan t = { .g = g };
    t.index = xcalloc(n + 1, sizeof *t.index);
    t.low = xcalloc(n + 1, sizeof *t.low);
    t.on_stack = xcalloc(n + 1, sizeof *t.on_stack);
    g->scc_of = xcalloc(n + 1, sizeof *g->scc_of);
    g->scc_members = xcalloc(n + 1, sizeof *g->scc_members);
    for (uint32_t v = 0; v < n; v++)
        if (!t.index[v]) strongconnect(&t, v);
    assign_levels(g);
    free(t.index);
    free(t.low);
    free(t.on_stack);
    VEC_FREE(t.stack);
    VEC_FREE(t.frames);
}

/* ---------------------------------------------------------------- build */

CgGraph *cg_build(const CgFileIn *files, size_t nfiles)
{
    CgGraph *g = xcalloc(1, sizeof *g);
    arena_init(&g->arena);
    g->nfiles = nfiles;
    g->files = xcalloc(nfiles + 1, sizeof *g->files);
    for (size_t i = 0; i < nfiles; i++) {
        g->files[i].file = files[i].file;
        g->files[i].lang = files[i].lang;
    }
    for (uint32_t i = 0; i < nfiles; i++)
        if (files[i].file && files[i].file->root) cg_index_file(g, i);
    for (uint32_t i = 0; i < nfiles; i++)
        if (files[i].file && files[i].file->root) cg_index_pointers(g, i);
    size_t n = g->funcs.n;
    g->callees = xcalloc(n + 1, sizeof *g->callees);
    g->callers = xcalloc(n + 1, sizeof *g->callers);
    g->globals = xcalloc(n + 1, sizeof *g->globals);
    for (uint32_t i = 0; i < n; i++) cg_resolve_func(g, i);
    for (uint32_t i = 0; i < n; i++)
        for (size_t k = 0; k < g->callees[i].n; k++) {
            CgIdList *c = &g->callers[g->callees[i].v[k]];
            if (!c->n || c->v[c->n - 1] != i) VEC_PUSH(*c, i);
        }
    cg_components(g);
    return g;
}

void cg_free(CgGraph *g)
{
    if (!g) return;
    for (size_t i = 0; i < g->nfiles; i++) VEC_FREE(g->files[i].imports);
    free(g->files);
    for (size_t i = 0; i < g->funcs.n; i++) {
        VEC_FREE(g->callees[i]);
        VEC_FREE(g->callers[i]);
        VEC_FREE(g->globals[i]);
    }
    for (size_t i = 0; i < g->nscc; i++) VEC_FREE(g->scc_members[i]);
    for (size_t i = 0; i < g->nlevels; i++) VEC_FREE(g->levels[i]);
    free(g->callees);
    free(g->callers);
    free(g->globals);
    free(g->scc_of);
    free(g->scc_members);
    free(g->levels);
    VEC_FREE(g->funcs);
    VEC_FREE(g->classes);
    VEC_FREE(g->table_decls);
    VEC_FREE(g->addr_taken);
    VEC_FREE(g->ranges);
    VEC_FREE(g->targets);
    cg_ptrmap_free(&g->func_of);
    cg_ptrmap_free(&g->typedefs);
    cg_ptrmap_free(&g->global_keys);
    cg_ptrmap_free(&g->call_at);
    cg_idmap_free(&g->by_name);
    cg_idmap_free(&g->by_class);
    cg_idmap_free(&g->subclasses);
    cg_idmap_free(&g->structs);
    cg_idmap_free(&g->tables);
    cg_idmap_free(&g->fptr);
    cg_idmap_free(&g->names);
    free(g->is_addr_taken);
    free(g->mark);
    arena_free(&g->arena);
    free(g);
}

/* ---------------------------------------------------------------- reading */

size_t cg_func_count(const CgGraph *g) { return g ? g->funcs.n : 0; }

const CgFunc *cg_func(const CgGraph *g, uint32_t i) { return &g->funcs.v[i]; }

uint32_t cg_func_of(const CgGraph *g, const AstNode *fn)
{
    uintptr_t v;
    return cg_ptrmap_get(&g->func_of, fn, &v) ? (uint32_t)v : CG_NONE;
}

const uint32_t *cg_call_targets(const CgGraph *g, const AstNode *call, uint32_t *n)
{
    uintptr_t v;
    *n = 0;
    if (!cg_ptrmap_get(&g->call_at, call, &v)) return NULL;
    *n = g->ranges.v[v].n;
    return g->targets.v + g->ranges.v[v].off;
}

const uint32_t *cg_callees(const CgGraph *g, uint32_t i, uint32_t *n)
{
    *n = (uint32_t)g->callees[i].n;
    return g->callees[i].v;
}

const uint32_t *cg_callers(const CgGraph *g, uint32_t i, uint32_t *n)
{
    *n = (uint32_t)g->callers[i].n;
    return g->callers[i].v;
}

const CgGlobal *cg_globals(const CgGraph *g, uint32_t i, uint32_t *n)
{
    *n = (uint32_t)g->globals[i].n;
    return g->globals[i].v;
}

const char *cg_global_key(const CgGraph *g, uint32_t file, const char *name)
{
    const char *k = cg_strmap_get(&g->global_keys, cg_key("%u:%s", file, name));
    if (k) return k;
    if (g->files[file].lang == LANG_C && cg_idmap_get(&g->by_name, cg_key("gany:%s", name)))
        return cg_key("c:%s", name);
    return NULL;
}

size_t cg_level_count(const CgGraph *g) { return g->nlevels; }

const uint32_t *cg_level(const CgGraph *g, size_t level, uint32_t *n)
{
    *n = (uint32_t)g->levels[level].n;
    return g->levels[level].v;
}

const uint32_t *cg_scc_members(const CgGraph *g, uint32_t scc, uint32_t *n)
{
    *n = (uint32_t)g->scc_members[scc].n;
    return g->scc_members[scc].v;
}

uint32_t cg_scc_of(const CgGraph *g, uint32_t func) { return g->scc_of[func]; }
