/* resolve.c: the second half of the call graph (program stage): the functions each
 * call site may reach, by the rules of callgraph.h, the globals each function names,
 * C function pointers fed by tables and variables, and table entry points. */
#include "callgraph/cg_int.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- pointer maps */

static size_t hash_ptr(const void *p, size_t cap)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 24) & (cap - 1);
}

static void ptrmap_grow(CgPtrMap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const void **keys = xcalloc(cap, sizeof *keys);
    uintptr_t *vals = xcalloc(cap, sizeof *vals);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = hash_ptr(m->keys[i], cap);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys, m->vals = vals, m->cap = cap;
}

void cg_ptrmap_put(CgPtrMap *m, const void *key, uintptr_t val)
{
    if ((m->n + 1) * 2 > m->cap) ptrmap_grow(m);
    size_t j = hash_ptr(key, m->cap);
    while (m->keys[j] && m->keys[j] != key) j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) m->n++;
    m->keys[j] = key;
    m->vals[j] = val;
}

bool cg_ptrmap_get(const CgPtrMap *m, const void *key, uintptr_t *val)
{
    if (!m->cap || !key) return false;
    for (size_t j = hash_ptr(key, m->cap); m->keys[j]; j = (j + 1) & (m->cap - 1))
        if (m->keys[j] == key) {
            *val = m->vals[j];
            return true;
        }
    return false;
}

const char *cg_strmap_get(const CgPtrMap *m, const void *key)
{
    uintptr_t v;
    return cg_ptrmap_get(m, key, &v) ? (const char *)v : NULL;
}

void cg_ptrmap_free(CgPtrMap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- C names */

static const CgIdList *c_functions(const CgGraph *g, uint32_t file, const char *name)
{
    if (!name || !cg_idmap_get(&g->names, name)) return NULL;
    const CgIdList *l = cg_idmap_get(&g->by_name, cg_key("cs:%u:%s", file, name));
    if (l && l->n) return l;
    l = cg_idmap_get(&g->by_name, cg_key("c:%s", name));
    return l && l->n ? l : NULL;
}

static void add_arity(const CgGraph *g, const CgIdList *from, uint32_t nargs, CgIdList *out)
{
    for (size_t i = 0; from && i < from->n; i++)
        if (g->funcs.v[from->v[i]].nparams == nargs) VEC_PUSH(*out, from->v[i]);
}

static void add_all(const CgIdList *from, CgIdList *out)
{
    for (size_t i = 0; from && i < from->n; i++) VEC_PUSH(*out, from->v[i]);
}

static const AstNode *strip(const AstNode *e)
{
    while ((e->kind == AST_CAST && e->nkids) || (e->kind == AST_UNARY && e->op == AST_OP_ADDR)
           || (e->kind == AST_OTHER && e->nkids == 1))
        e = e->kids[e->nkids - 1];
    return e;
}

/* ---------------------------------------------------------------- C pointers */

/* The member names of the struct a table's type names, in order, or NULL. */
static const AstNode *struct_of(const CgGraph *g, const AstNode *type)
{
    const char *t = type ? cg_type_base(type->name) : NULL;
    for (int hops = 0; t && hops < 8; hops++) {
        const CgIdList *l = cg_idmap_get(&g->structs, t);
        if (l && l->n) return g->classes.v[l->v[0]].node;
        const char *next = cg_strmap_get(&g->typedefs, t);
        if (!next || next == t) break;
        t = next;
    }
    return NULL;
}

static const char *member_name(const AstNode *st, uint32_t i)
{
    uint32_t k = 0;
    for (uint32_t j = 0; st && j < st->nkids; j++) {
        if (st->kids[j]->kind != AST_DECL) continue;
        if (k++ == i) return st->kids[j]->name;
    }
    return NULL;
}

static void store_fn(CgGraph *g, uint32_t fi, const char *slot, const AstNode *v)
{
    v = strip(v);
    if (v->kind != AST_IDENT) return;
    const CgIdList *fns = c_functions(g, fi, v->name);
    for (size_t i = 0; fns && i < fns->n; i++)
        if (slot) cg_idmap_add(&g->fptr, slot, fns->v[i]);
}

/* One row of a table: element i goes to member i, or to the designated member. */
static void store_row(CgGraph *g, uint32_t fi, const AstNode *row, const AstNode *st)
{
    for (uint32_t i = 0; i < row->nkids; i++) {
        const AstNode *e = row->kids[i];
        const char *field = e->kind == AST_KEYWORD ? e->name : member_name(st, i);
        const AstNode *v = e->kind == AST_KEYWORD && e->nkids ? e->kids[0] : e;
        if (v->kind == AST_INIT_LIST) store_row(g, fi, v, NULL);
        else if (field) store_fn(g, fi, cg_key("cf:%s", field), v);
    }
}

static void store_init(CgGraph *g, uint32_t fi, const AstNode *decl, const AstNode *init)
{
    const AstNode *st = struct_of(g, decl->type);
    bool rows = init->nkids && init->kids[0]->kind == AST_INIT_LIST;
    if (!rows) {
        store_row(g, fi, init, st);
        return;
    }
    for (uint32_t i = 0; i < init->nkids; i++)
        if (init->kids[i]->kind == AST_INIT_LIST) store_row(g, fi, init->kids[i], st);
}

static bool index_pointer_node(AstNode *n, void *ctx)
{
    void **c = ctx;
    CgGraph *g = c[0];
    uint32_t fi = (uint32_t)(uintptr_t)c[1];
    if (n->kind == AST_DECL && n->name && n->nkids) {
        const AstNode *init = n->kids[n->nkids - 1];
        if (init->kind == AST_INIT_LIST) store_init(g, fi, n, init);
        else store_fn(g, fi, cg_key("cv:%s", n->name), init);
    } else if (n->kind == AST_ASSIGN) {
        const AstNode *lhs = n->kids[0];
        if (lhs->kind == AST_FIELD) store_fn(g, fi, cg_key("cf:%s", lhs->name), n->kids[1]);
        else if (lhs->kind == AST_IDENT) store_fn(g, fi, cg_key("cv:%s", lhs->name), n->kids[1]);
    } else if (n->kind == AST_IDENT && n->parent
               && !(n->parent->kind == AST_CALL && n->parent->kids[0] == n)) {
        const CgIdList *fns = c_functions(g, fi, n->name);
        for (size_t i = 0; fns && i < fns->n; i++) {
            if (g->is_addr_taken[fns->v[i]]) continue;
            g->is_addr_taken[fns->v[i]] = true;
            VEC_PUSH(g->addr_taken, fns->v[i]);
        }
    }
    return true;
}

void cg_index_pointers(CgGraph *g, uint32_t fi)
{
    if (g->files[fi].lang != LANG_C || !g->files[fi].file->root) return;
    if (!g->is_addr_taken) g->is_addr_taken = xcalloc(g->funcs.n + 1, sizeof *g->is_addr_taken);
    void *ctx[2] = { g, (void *)(uintptr_t)fi };
    ast_walk(g->files[fi].file->root, index_pointer_node, ctx);
}

/* ---------------------------------------------------------------- locals */

typedef struct Local {
    const char *name;
    const char *type;            /* base type name, or a Python class it was built from */
} Local;

typedef struct Scope {
    CgGraph *g;
    uint32_t func;
    VEC(Local) locals;
    VEC(const char *) declared_global;   /* Python: global x */
    CgIdList callees;
} Scope;

static Local *find_local(Scope *s, const char *name)
{
    for (size_t i = s->locals.n; i-- > 0;)
        if (s->locals.v[i].name == name) return &s->locals.v[i];
    return NULL;
}

static void add_local(Scope *s, const char *name, const char *type)
{
    if (!name) return;
    Local *l = find_local(s, name);
    if (l) {
        if (type && !l->type) l->type = type;
        return;
    }
    Local x = { name, type };
    VEC_PUSH(s->locals, x);
}

static bool is_declared_global(Scope *s, const char *name)
{
    for (size_t i = 0; i < s->declared_global.n; i++)
        if (s->declared_global.v[i] == name) return true;
    return false;
}

static const char *class_built(Scope *s, const AstNode *rhs)
{
    if (rhs->kind != AST_CALL || rhs->kids[0]->kind != AST_IDENT) return NULL;
    const CgIdList *l = cg_idmap_get(&s->g->by_class, rhs->kids[0]->name);
    return l && l->n ? rhs->kids[0]->name : NULL;
}

static void collect_local(const AstNode *n, void *ctx)
{
    Scope *s = ctx;
    Lang lang = s->g->funcs.v[s->func].lang;
    if (n->kind == AST_PARAM || n->kind == AST_DECL) {
        add_local(s, n->name, n->type ? cg_type_base(n->type->name) : NULL);
    } else if (n->kind == AST_CATCH) {
        add_local(s, n->name, NULL);
    } else if (n->kind == AST_OTHER && n->text && !strcmp(n->text, "global_statement")) {
        for (uint32_t i = 0; i < n->nkids; i++)
            if (n->kids[i]->kind == AST_IDENT) VEC_PUSH(s->declared_global, n->kids[i]->name);
    } else if (lang == LANG_PYTHON && n->kind == AST_ASSIGN && n->kids[0]->kind == AST_IDENT) {
        add_local(s, n->kids[0]->name, class_built(s, n->kids[1]));
    } else if (lang == LANG_PYTHON && n->kind == AST_LOOP && n->op == LOOP_FOREACH
               && n->kids[0]->kind == AST_IDENT) {
        add_local(s, n->kids[0]->name, NULL);
    }
}

/* ---------------------------------------------------------------- classes */

static bool lang_is(const CgGraph *g, uint32_t func, Lang lang)
{
    return g->funcs.v[func].lang == lang;
}

/* The methods named m (arity n, or any when n < 0) that class cls defines. */
static void class_methods(const CgGraph *g, const char *cls, const char *m, long n, Lang lang,
                          CgIdList *out)
{
    const CgIdList *l = cg_idmap_get(&g->by_name, cg_key("m:%s:%s", cls, m));
    for (size_t i = 0; l && i < l->n; i++)
        if (lang_is(g, l->v[i], lang) && (n < 0 || g->funcs.v[l->v[i]].nparams == (uint32_t)n))
            VEC_PUSH(*out, l->v[i]);
}

/* The definition m that class cls has or inherits: the nearest, breadth first. */
static void lookup_up(const CgGraph *g, const char *cls, const char *m, long n, Lang lang, CgIdList *out)
{
    VEC(const char *) queue = {0};
    VEC_PUSH(queue, cls);
    for (size_t q = 0; q < queue.n && q < 64; q++) {
        size_t before = out->n;
        class_methods(g, queue.v[q], m, n, lang, out);
        if (out->n > before) break;
        const CgIdList *cl = cg_idmap_get(&g->by_class, queue.v[q]);
        for (size_t i = 0; cl && i < cl->n; i++)
            for (size_t b = 0; b < g->classes.v[cl->v[i]].nbases; b++) VEC_PUSH(queue, g->classes.v[cl->v[i]].bases[b]);
    }
    VEC_FREE(queue);
}

/* lookup_up plus every override in the subclasses and implementations of cls. */
static void lookup_virtual(const CgGraph *g, const char *cls, const char *m, long n, Lang lang,
                           CgIdList *out)
{
    if (!cls) return;
    lookup_up(g, cls, m, n, lang, out);
    VEC(const char *) queue = {0};
    VEC_PUSH(queue, cls);
    for (size_t q = 0; q < queue.n && q < 4096; q++) {
        const CgIdList *subs = cg_idmap_get(&g->subclasses, queue.v[q]);
        for (size_t i = 0; subs && i < subs->n; i++) {
            const char *s = g->classes.v[subs->v[i]].name;
            bool seen = false;
            for (size_t k = 0; k < queue.n && !seen; k++) seen = queue.v[k] == s;
            if (seen) continue;
            VEC_PUSH(queue, s);
            class_methods(g, s, m, n, lang, out);
        }
    }
    VEC_FREE(queue);
}

static bool is_class(const CgGraph *g, const char *name)
{
    const CgIdList *l = cg_idmap_get(&g->by_class, name);
    return l && l->n;
}

/* ---------------------------------------------------------------- Python imports */

static bool module_matches(const char *module, const char *want, size_t wlen)
{
    size_t ml = strlen(module);
    if (ml < wlen || memcmp(module + ml - wlen, want, wlen) != 0) return false;
    return ml == wlen || module[ml - wlen - 1] == '.';
}

/* "pkg.mod.f": the module functions f of modules ending in pkg.mod, else classes f
 * there (their __init__). */
static void resolve_dotted(const CgGraph *g, const char *dotted, CgIdList *out)
{
    const char *dot = strrchr(dotted, '.');
    if (!dot) return;
    const char *name = intern(dot + 1);
    size_t mlen = (size_t)(dot - dotted);
    const CgIdList *l = cg_idmap_get(&g->by_name, cg_key("py:%s", name));
    for (size_t i = 0; l && i < l->n; i++) {
        const CgFunc *f = &g->funcs.v[l->v[i]];
        if (module_matches(g->files[f->file].module, dotted, mlen)) VEC_PUSH(*out, l->v[i]);
    }
    if (out->n) return;
    const CgIdList *cl = cg_idmap_get(&g->by_class, name);
    for (size_t i = 0; cl && i < cl->n; i++) {
        const CgClass *c = &g->classes.v[cl->v[i]];
        if (g->files[c->file].lang == LANG_PYTHON && module_matches(g->files[c->file].module, dotted, mlen))
            lookup_up(g, name, intern("__init__"), -1, LANG_PYTHON, out);
    }
}

static const char *import_target(const CgGraph *g, uint32_t file, const char *alias)
{
    const CgFile *cf = &g->files[file];
    for (size_t i = 0; i < cf->imports.n; i++)
        if (cf->imports.v[i].alias == alias) return cf->imports.v[i].target;
    return NULL;
}

/* a.b.c as dotted text when every part is a plain name. */
static bool dotted_text(const AstNode *e, StrBuf *b)
{
    if (e->kind == AST_IDENT && e->name) {
        sb_puts(b, e->name);
        return true;
    }
    if (e->kind != AST_FIELD || !dotted_text(e->kids[0], b)) return false;
    sb_putc(b, '.');
    sb_puts(b, e->name);
    return true;
}

/* ---------------------------------------------------------------- calls */

static void resolve_c(Scope *s, const AstNode *call, CgIdList *out)
{
    CgGraph *g = s->g;
    const CgFunc *f = &g->funcs.v[s->func];
    const AstNode *c = call->kids[0];
    while ((c->kind == AST_UNARY && c->op == AST_OP_DEREF) || (c->kind == AST_OTHER && c->nkids == 1))
        c = c->kids[0];
    uint32_t nargs = call->nkids - 1;
    if (c->kind == AST_IDENT) {
        const CgIdList *fns = find_local(s, c->name) ? NULL : c_functions(g, f->file, c->name);
        if (fns) {
            add_all(fns, out);
            return;
        }
        const CgIdList *stored = cg_idmap_get(&g->fptr, cg_key("cv:%s", c->name));
        if (stored && stored->n) add_arity(g, stored, nargs, out);
        else if (find_local(s, c->name)) add_arity(g, &g->addr_taken, nargs, out);
    } else if (c->kind == AST_FIELD) {
        add_arity(g, cg_idmap_get(&g->fptr, cg_key("cf:%s", c->name)), nargs, out);
    }
}

static const char *declared_type(Scope *s, const char *name)
{
    Local *l = find_local(s, name);
    if (l) return l->type;
    const CgFunc *f = &s->g->funcs.v[s->func];
    return f->cls ? cg_strmap_get(&s->g->typedefs, cg_key("jft:%s:%s", f->cls, name)) : NULL;
}

static void resolve_java(Scope *s, const AstNode *call, CgIdList *out)
{
    CgGraph *g = s->g;
    const CgFunc *f = &g->funcs.v[s->func];
    const AstNode *c = call->kids[0];
    long n = (long)call->nkids - 1;
    if (call->nkids && call->kids[call->nkids - 1]->kind == AST_CLASS) n--;
    if (call->flags & AST_F_NEW) {
        const char *t = cg_type_base(c->name);
        if (t) class_methods(g, t, t, n, LANG_JAVA, out);
        return;
    }
    if (c->kind == AST_IDENT) {
        if (c->name == intern("this") || c->name == intern("super")) return;
        lookup_virtual(g, f->cls, c->name, n, LANG_JAVA, out);
        return;
    }
    if (c->kind != AST_FIELD) return;
    const AstNode *obj = c->kids[0];
    if (obj->kind == AST_IDENT && obj->name == intern("this")) {
        lookup_virtual(g, f->cls, c->name, n, LANG_JAVA, out);
    } else if (obj->kind == AST_IDENT && obj->name == intern("super")) {
        const CgIdList *cl = f->cls ? cg_idmap_get(&g->by_class, f->cls) : NULL;
        for (size_t i = 0; cl && i < cl->n; i++)
            for (size_t b = 0; b < g->classes.v[cl->v[i]].nbases; b++)
                lookup_up(g, g->classes.v[cl->v[i]].bases[b], c->name, n, LANG_JAVA, out);
    } else if (obj->kind == AST_IDENT) {
        const char *t = declared_type(s, obj->name);
        if (t) lookup_virtual(g, t, c->name, n, LANG_JAVA, out);
        else if (is_class(g, obj->name)) lookup_up(g, obj->name, c->name, n, LANG_JAVA, out);
    } else if (obj->kind == AST_CALL && (obj->flags & AST_F_NEW)) {
        const char *t = cg_type_base(obj->kids[0]->name);
        if (t) lookup_virtual(g, t, c->name, n, LANG_JAVA, out);
    }
}

static void resolve_python_name(Scope *s, const char *name, CgIdList *out)
{
    CgGraph *g = s->g;
    const CgFunc *f = &g->funcs.v[s->func];
    const CgIdList *l = cg_idmap_get(&g->by_name, cg_key("py:%s", name));
    for (size_t i = 0; l && i < l->n; i++)
        if (g->funcs.v[l->v[i]].file == f->file) VEC_PUSH(*out, l->v[i]);
    if (out->n) return;
    const CgIdList *cl = cg_idmap_get(&g->by_class, name);
    for (size_t i = 0; cl && i < cl->n && !out->n; i++)
        if (g->classes.v[cl->v[i]].file == f->file)
            lookup_up(g, name, intern("__init__"), -1, LANG_PYTHON, out);
    if (out->n) return;
    const char *target = import_target(g, f->file, name);
    if (target) resolve_dotted(g, target, out);
}

static void resolve_python(Scope *s, const AstNode *call, CgIdList *out)
{
    CgGraph *g = s->g;
    const CgFunc *f = &g->funcs.v[s->func];
    const AstNode *c = call->kids[0];
    if (c->kind == AST_IDENT) {
        if (!find_local(s, c->name)) resolve_python_name(s, c->name, out);
        return;
    }
    if (c->kind != AST_FIELD) return;
    const AstNode *obj = c->kids[0];
    if (obj->kind == AST_IDENT && f->recv && obj->name == f->recv) {
        lookup_virtual(g, f->cls, c->name, -1, LANG_PYTHON, out);
        return;
    }
    Local *l = obj->kind == AST_IDENT ? find_local(s, obj->name) : NULL;
    if (l) {
        if (l->type) lookup_virtual(g, l->type, c->name, -1, LANG_PYTHON, out);
        return;
    }
    StrBuf b;
    sb_init(&b);
    if (dotted_text(obj, &b)) {
        const char *head = b.s, *dot = strchr(b.s, '.');
        const char *alias = dot ? intern_n(head, (size_t)(dot - head)) : intern(head);
        const char *target = import_target(g, f->file, alias);
        if (target) {
            resolve_dotted(g, cg_key("%s%s.%s", target, dot ? dot : "", c->name), out);
        } else if (!dot && is_class(g, alias)) {
            lookup_up(g, alias, c->name, -1, LANG_PYTHON, out);
        }
    }
    sb_free(&b);
}

/* Keeps the first of each id, in order: a stamp per function says "seen". */
static void dedupe(CgGraph *g, CgIdList *l)
{
    if (!g->mark) g->mark = xcalloc(g->funcs.n + 1, sizeof *g->mark);
    uint32_t stamp = ++g->stamp;
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (g->mark[l->v[i]] == stamp) continue;
        g->mark[l->v[i]] = stamp;
        l->v[n++] = l->v[i];
    }
    l->n = n;
}

static void resolve_call(Scope *s, const AstNode *call)
{
    CgGraph *g = s->g;
    CgIdList out = {0};
    switch (g->funcs.v[s->func].lang) {
    case LANG_C: resolve_c(s, call, &out); break;
    case LANG_JAVA: resolve_java(s, call, &out); break;
    case LANG_PYTHON: resolve_python(s, call, &out); break;
    default: break;
    }
    dedupe(g, &out);
    if (out.n > CG_MAX_TARGETS) out.n = 0;
    if (out.n) {
        CgRange r = { (uint32_t)g->targets.n, (uint32_t)out.n };
        for (size_t i = 0; i < out.n; i++) VEC_PUSH(g->targets, out.v[i]);
        cg_ptrmap_put(&g->call_at, call, g->ranges.n);
        VEC_PUSH(g->ranges, r);
        for (size_t i = 0; i < out.n; i++) VEC_PUSH(s->callees, out.v[i]);
    }
    VEC_FREE(out);
}

/* ---------------------------------------------------------------- globals */

static const char *global_key_of(Scope *s, const char *name)
{
    CgGraph *g = s->g;
    if (!cg_idmap_get(&g->names, name) && !is_class(g, name)) return NULL;   /* most names */
    const CgFunc *f = &g->funcs.v[s->func];
    bool local = find_local(s, name) && !is_declared_global(s, name);
    if (local || (f->recv && name == f->recv)) return NULL;
    if (f->lang == LANG_JAVA) {
        for (const char *cls = f->cls; cls;) {
            const char *k = cg_strmap_get(&g->global_keys, cg_key("jf:%s:%s", cls, name));
            if (k) return k;
            const CgIdList *cl = cg_idmap_get(&g->by_class, cls);
            cls = cl && cl->n && g->classes.v[cl->v[0]].nbases ? g->classes.v[cl->v[0]].bases[0] : NULL;
            if (cls == f->cls) break;
        }
        return is_class(g, name) ? cg_key("java:class:%s", name) : NULL;
    }
    const char *k = cg_strmap_get(&g->global_keys, cg_key("%u:%s", f->file, name));
    if (k) return k;
    if (f->lang == LANG_C && cg_idmap_get(&g->by_name, cg_key("gany:%s", name))) return cg_key("c:%s", name);
    return NULL;
}

static void visit_resolve(const AstNode *n, void *ctx)
{
    Scope *s = ctx;
    if (n->kind == AST_CALL) {
        resolve_call(s, n);
    } else if (n->kind == AST_IDENT && n->name) {
        if (n->parent && n->parent->kind == AST_CALL && n->parent->kids[0] == n) return;
        const char *key = global_key_of(s, n->name);
        if (!key) return;
        VEC(CgGlobal) *gl = (void *)&s->g->globals[s->func];
        for (size_t i = 0; i < gl->n; i++)
            if (gl->v[i].key == key) return;
        CgGlobal x = { n->name, key };
        VEC_PUSH(*gl, x);
    }
}

void cg_resolve_func(CgGraph *g, uint32_t func)
{
    Scope s = { .g = g, .func = func };
    const AstNode *fn = g->funcs.v[func].fn;
    if (fn->kind == AST_FUNC) cg_walk_owned(fn, collect_local, &s);
    cg_walk_owned(fn, visit_resolve, &s);
    dedupe(g, &s.callees);
    g->callees[func] = s.callees;
    VEC_FREE(s.locals);
    VEC_FREE(s.declared_global);
}

/* ---------------------------------------------------------------- tables */

typedef VEC(const char *) NameList;

/* A column number matches a positional element; a name matches a designated one or
 * the member the struct's layout puts at that position. */
static bool via_matches(const char *via, uint32_t col, bool designated, const char *field)
{
    if (!via || !strcmp(via, "*")) return true;
    char *end = NULL;
    long i = strtol(via, &end, 10);
    if (end != via && !*end) return !designated && (long)col == i;
    return field && !strcmp(field, via);
}

/* The names in one level of a table: column `via` of each row (any element when
 * via is NULL or "*"), as plain identifiers. */
static void level_names(const AstNode *init, const AstNode *st, const char *via, NameList *out)
{
    bool rows = init->nkids && init->kids[0]->kind == AST_INIT_LIST;
    for (uint32_t r = 0; r < (rows ? init->nkids : 1); r++) {
        const AstNode *row = rows ? init->kids[r] : init;
        if (row->kind != AST_INIT_LIST) continue;
        for (uint32_t i = 0; i < row->nkids; i++) {
            const AstNode *e = row->kids[i];
            bool designated = e->kind == AST_KEYWORD;
            const char *field = designated ? e->name : member_name(st, i);
            const AstNode *v = strip(designated && e->nkids ? e->kids[0] : e);
            if (!via_matches(via, i, designated, field)) continue;
            if (v->kind == AST_IDENT && v->name) VEC_PUSH(*out, v->name);
        }
    }
}

static void table_level(const CgGraph *g, uint32_t file, const AstNode *decl, const char *const *via,
                        size_t nvia, size_t level, CgIdList *out, int budget)
{
    if (budget <= 0 || !decl->nkids || decl->kids[decl->nkids - 1]->kind != AST_INIT_LIST) return;
    NameList names = {0};
    level_names(decl->kids[decl->nkids - 1], struct_of(g, decl->type), level < nvia ? via[level] : NULL,
                &names);
    bool last = nvia ? level + 1 >= nvia : true;
    for (size_t i = 0; i < names.n; i++) {
        const CgIdList *fns = last ? c_functions(g, file, names.v[i]) : NULL;
        for (size_t k = 0; fns && k < fns->n; k++) VEC_PUSH(*out, fns->v[k]);
        if (nvia && last) continue;
        const char *key = cg_strmap_get(&g->global_keys, cg_key("%u:%s", file, names.v[i]));
        if (!key) key = cg_key("c:%s", names.v[i]);
        const CgIdList *t = cg_idmap_get(&g->tables, key);
        for (size_t k = 0; t && k < t->n; k++) {
            const CgTable *tb = &g->table_decls.v[t->v[k]];
            if (tb->decl != decl) table_level(g, tb->file, tb->decl, via, nvia, level + 1, out, budget - 1);
        }
    }
    VEC_FREE(names);
}

static const AstNode *decl_at(const AstNode *n)
{
    for (; n; n = n->parent)
        if (n->kind == AST_DECL) return n;
    return NULL;
}

void cg_table_functions(const CgGraph *g, uint32_t file, const AstNode *node, const char *const *via,
                        size_t nvia, CgIdList *out)
{
    const AstNode *decl = decl_at(node);
    if (!decl) return;
    table_level(g, file, decl, via, nvia, 0, out, 8);
    size_t n = 0;   /* the graph is read-only here: a quadratic pass over a short list */
    for (size_t i = 0; i < out->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++) seen = out->v[k] == out->v[i];
        if (!seen) out->v[n++] = out->v[i];
    }
    out->n = n;
}

/* ---------------------------------------------------------------- model signatures */

const char *cg_call_signature(const CgGraph *g, uint32_t caller, const AstNode *call)
{
    const CgFunc *f = &g->funcs.v[caller];
    const AstNode *c = call->kids[0];
    uint32_t n = call->nkids - 1;
    const char *lang = lang_name(f->lang);
    if (c->kind == AST_IDENT && c->name) {
        if (f->lang == LANG_PYTHON) {
            const char *t = import_target(g, f->file, c->name);
            return cg_key("%s:%s/%u", lang, t ? t : c->name, n);
        }
        if (f->lang == LANG_JAVA && f->cls) return cg_key("%s:%s.%s/%u", lang, f->cls, c->name, n);
        return cg_key("%s:%s/%u", lang, c->name, n);
    }
    if (c->kind != AST_FIELD || f->lang == LANG_C) return NULL;
    StrBuf b;
    sb_init(&b);
    const char *sig = NULL;
    if (dotted_text(c->kids[0], &b)) {
        const char *head = b.s, *dot = strchr(b.s, '.');
        const char *alias = dot ? intern_n(head, (size_t)(dot - head)) : intern(head);
        const char *t = f->lang == LANG_PYTHON ? import_target(g, f->file, alias) : NULL;
        if (t) sig = cg_key("%s:%s%s.%s/%u", lang, t, dot ? dot : "", c->name, n);
        else if (!dot) sig = cg_key("%s:%s.%s/%u", lang, alias, c->name, n);
    }
    sb_free(&b);
    return sig;
}
