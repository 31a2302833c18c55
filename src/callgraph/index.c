/* index.c: the first half of the call graph (program stage): what every file
 * declares, indexed by name: functions (with their scope), classes and their bases,
 * Python modules and imports, C struct layouts, typedefs, globals and the functions
 * stored in tables and pointer variables. resolve.c reads these indexes. */
#include "callgraph/cg_int.h"

#include <string.h>

/* ---------------------------------------------------------------- maps */

static size_t ptr_hash(const void *p, size_t cap)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 24) & (cap - 1);
}

static void idmap_grow(CgIdMap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const void **keys = xcalloc(cap, sizeof *keys);
    CgIdList *vals = xcalloc(cap, sizeof *vals);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = ptr_hash(m->keys[i], cap);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
}

CgIdList *cg_idmap_get(const CgIdMap *m, const void *key)
{
    if (!m->cap || !key) return NULL;
    for (size_t j = ptr_hash(key, m->cap); m->keys[j]; j = (j + 1) & (m->cap - 1))
        if (m->keys[j] == key) return &m->vals[j];
    return NULL;
}

void cg_idmap_add(CgIdMap *m, const void *key, uint32_t id)
{
    if ((m->n + 1) * 2 > m->cap) idmap_grow(m);
    size_t j = ptr_hash(key, m->cap);
    while (m->keys[j] && m->keys[j] != key) j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) {
        m->keys[j] = key;
        m->n++;
    }
    CgIdList *l = &m->vals[j];
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == id) return;
    VEC_PUSH(*l, id);
}

void cg_idmap_free(CgIdMap *m)
{
    for (size_t i = 0; i < m->cap; i++) VEC_FREE(m->vals[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

const char *cg_key(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return intern(buf);
}

/* ---------------------------------------------------------------- helpers */

/* "List<String>" -> "List", "char[64]" -> "char", "struct S*" -> "S", "const T" -> "T". */
const char *cg_type_base(const char *t)
{
    if (!t) return NULL;
    char buf[256];
    size_t n = 0;
    if (str_starts_with(t, "const ")) t += 6;
    if (str_starts_with(t, "struct ")) t += 7;
    if (str_starts_with(t, "union ")) t += 6;
    for (; *t && n + 1 < sizeof buf; t++) {
        if (*t == '<' || *t == '[' || *t == '*' || *t == ' ' || *t == '(') break;
        buf[n++] = *t;
    }
    buf[n] = 0;
    const char *dot = strrchr(buf, '.');   /* java.util.List -> List */
    return n ? intern(dot ? dot + 1 : buf) : NULL;
}

bool cg_owned_kind(const AstNode *n)
{
    return n->kind != AST_FUNC && n->kind != AST_CLASS && n->kind != AST_LAMBDA;
}

void cg_walk_owned(const AstNode *root, void (*fn)(const AstNode *n, void *ctx), void *ctx)
{
    VEC(const AstNode *) stack = {0};
    VEC_PUSH(stack, root);
    while (stack.n) {
        const AstNode *n = stack.v[--stack.n];
        if (n != root && !cg_owned_kind(n)) continue;
        fn(n, ctx);
        for (uint32_t i = n->nkids; i-- > 0;) VEC_PUSH(stack, n->kids[i]);
    }
    VEC_FREE(stack);
}

static const AstNode *owner_of(const AstNode *n)
{
    for (const AstNode *p = n->parent; p; p = p->parent)
        if (p->kind == AST_FUNC || p->kind == AST_CLASS || p->kind == AST_LAMBDA) return p;
    return NULL;
}

static uint32_t count_params(const AstNode *fn)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < fn->nkids; i++) n += fn->kids[i]->kind == AST_PARAM;
    return n;
}

static bool has_decorator(const AstNode *fn, const char *name)
{
    for (uint32_t i = 0; i < fn->nkids; i++)
        if (fn->kids[i]->kind == AST_ANNOTATION && fn->kids[i]->name && !strcmp(fn->kids[i]->name, name))
            return true;
    return false;
}

static const char *first_param_name(const AstNode *fn)
{
    for (uint32_t i = 0; i < fn->nkids; i++)
        if (fn->kids[i]->kind == AST_PARAM) return fn->kids[i]->name;
    return NULL;
}

/* ---------------------------------------------------------------- files */

/* "pkg/mod.py" -> "pkg.mod"; "pkg/__init__.py" -> "pkg". */
static const char *module_name(const char *path)
{
    char buf[512];
    size_t n = 0;
    if (str_starts_with(path, "./")) path += 2;
    for (const char *p = path; *p && n + 1 < sizeof buf; p++) buf[n++] = *p == '/' ? '.' : *p;
    buf[n] = 0;
    char *ext = strrchr(buf, '.');
    if (ext && !strcmp(ext, ".py")) *ext = 0;
    size_t len = strlen(buf);
    if (len >= 9 && !strcmp(buf + len - 9, ".__init__")) buf[len - 9] = 0;
    return intern(buf);
}

static void index_file_header(CgGraph *g, uint32_t fi)
{
    CgFile *cf = &g->files[fi];
    const AstNode *root = cf->file->root;
    if (cf->lang == LANG_PYTHON) cf->module = module_name(cf->file->path);
    for (uint32_t i = 0; i < root->nkids; i++) {
        const AstNode *k = root->kids[i];
        if (k->kind == AST_OTHER && k->text && !strcmp(k->text, "package_declaration")) cf->module = k->name;
        if (k->kind != AST_IMPORT || !k->name) continue;
        CgImport im = { .target = k->name };
        if (k->text) {
            im.alias = intern(k->text);
        } else if (k->flags & AST_F_FROM) {
            const char *dot = strrchr(k->name, '.');
            im.alias = intern(dot ? dot + 1 : k->name);
        } else {   /* import a.b binds a */
            const char *dot = strchr(k->name, '.');
            im.alias = dot ? intern_n(k->name, (size_t)(dot - k->name)) : k->name;
            if (dot) im.target = im.alias;
        }
        VEC_PUSH(cf->imports, im);
    }
}

/* ---------------------------------------------------------------- classes */

static void index_class(CgGraph *g, uint32_t fi, const AstNode *c)
{
    if (!c->name || c->op == CLASS_ENUM) return;
    CgClass k = { .node = c, .file = fi, .name = c->name, .iface = c->op == CLASS_INTERFACE };
    VEC(const char *) bases = {0};
    for (uint32_t i = 0; i < c->nkids; i++)
        if (c->kids[i]->kind == AST_TYPE && (c->kids[i]->flags & AST_F_BASE)) {
            const char *b = cg_type_base(c->kids[i]->name);
            if (b) VEC_PUSH(bases, b);
        }
    k.bases = arena_alloc(&g->arena, (bases.n + 1) * sizeof *k.bases);
    if (bases.n) memcpy(k.bases, bases.v, bases.n * sizeof *k.bases);
    k.nbases = bases.n;
    VEC_FREE(bases);
    uint32_t id = (uint32_t)g->classes.n;
    VEC_PUSH(g->classes, k);
    cg_idmap_add(&g->by_class, c->name, id);
    for (size_t i = 0; i < k.nbases; i++) cg_idmap_add(&g->subclasses, k.bases[i], id);
    if (g->files[fi].lang == LANG_C) cg_idmap_add(&g->structs, c->name, id);
    if (g->files[fi].lang != LANG_JAVA) return;
    for (uint32_t i = 0; i < c->nkids; i++) {   /* fields: class-wide globals, with their types */
        const AstNode *d = c->kids[i];
        if (d->kind != AST_DECL || !d->name) continue;
        cg_strmap_put(&g->global_keys, cg_key("jf:%s:%s", c->name, d->name),
                      cg_key("java:%s.%s", c->name, d->name));
        if (!cg_idmap_get(&g->names, d->name)) cg_idmap_add(&g->names, d->name, 0);
        const char *t = d->type ? cg_type_base(d->type->name) : NULL;
        if (t) cg_strmap_put(&g->typedefs, cg_key("jft:%s:%s", c->name, d->name), t);
    }
}

/* ---------------------------------------------------------------- functions */

static const char *signature_of(CgGraph *g, uint32_t fi, const AstNode *fn, const char *cls,
                                uint32_t nparams)
{
    const CgFile *cf = &g->files[fi];
    const char *name = fn->name ? fn->name : "<anonymous>";
    switch (cf->lang) {
    case LANG_C: return cg_key("c:%s/%u", name, nparams);
    case LANG_JAVA:
        if (cf->module) return cg_key("java:%s.%s.%s/%u", cf->module, cls ? cls : "", name, nparams);
        return cg_key("java:%s.%s/%u", cls ? cls : "", name, nparams);
    default:
        if (cls) return cg_key("python:%s.%s.%s/%u", cf->module, cls, name, nparams);
        return cg_key("python:%s.%s/%u", cf->module, name, nparams);
    }
}

static void add_func(CgGraph *g, uint32_t fi, const AstNode *fn)
{
    CgFile *cf = &g->files[fi];
    const AstNode *owner = owner_of(fn);
    const char *cls = owner && owner->kind == AST_CLASS ? owner->name : NULL;
    CgFunc f = { .fn = fn, .file = fi, .lang = cf->lang, .name = fn->name, .cls = cls };
    f.nparams = count_params(fn);
    if (cf->lang == LANG_PYTHON && cls && !has_decorator(fn, "staticmethod") && f.nparams) {
        f.first_param = 1;
        f.nparams--;
        f.recv = first_param_name(fn);
    } else if (cf->lang == LANG_JAVA && !(fn->flags & AST_F_STATIC)) {
        f.recv = intern("this");
    }
    f.is_static = cf->lang == LANG_C && (fn->flags & AST_F_STATIC);
    f.signature = signature_of(g, fi, fn, cls, f.nparams);
    uint32_t id = (uint32_t)g->funcs.n;
    VEC_PUSH(g->funcs, f);
    cg_ptrmap_put(&g->func_of, fn, id);
    if (!fn->name) return;
    if (!cg_idmap_get(&g->names, fn->name)) cg_idmap_add(&g->names, fn->name, 0);
    if (cf->lang == LANG_C) {
        if (f.is_static) cg_idmap_add(&g->by_name, cg_key("cs:%u:%s", fi, fn->name), id);
        else cg_idmap_add(&g->by_name, cg_key("c:%s", fn->name), id);
        cg_idmap_add(&g->by_name, cg_key("cany:%s", fn->name), id);
    } else if (cls) {
        cg_idmap_add(&g->by_name, cg_key("m:%s:%s", cls, fn->name), id);
    } else if (cf->lang == LANG_PYTHON && (!owner || owner->kind != AST_FUNC)) {
        cg_idmap_add(&g->by_name, cg_key("py:%s", fn->name), id);
    }
}

static void add_top_level(CgGraph *g, uint32_t fi)
{
    const AstNode *root = g->files[fi].file->root;
    CgFunc f = { .fn = root, .file = fi, .lang = g->files[fi].lang, .name = intern("<top level>") };
    f.signature = cg_key("%s:%s.<top level>/0", lang_name(f.lang), g->files[fi].file->path);
    uint32_t id = (uint32_t)g->funcs.n;
    VEC_PUSH(g->funcs, f);
    cg_ptrmap_put(&g->func_of, root, id);
}

/* ---------------------------------------------------------------- globals */

static void add_global(CgGraph *g, uint32_t fi, const AstNode *decl, const char *name, bool file_scope)
{
    CgFile *cf = &g->files[fi];
    const char *key;
    if (cf->lang == LANG_C && !file_scope) {
        key = cg_key("c:%s", name);
        cg_idmap_add(&g->by_name, cg_key("gany:%s", name), 0);
    } else if (cf->lang == LANG_C) {
        const char *base = strrchr(cf->file->path, '/');
        key = cg_key("c:%s@%s", name, base ? base + 1 : cf->file->path);
    } else {
        key = cg_key("python:%s.%s", cf->module, name);
    }
    cg_strmap_put(&g->global_keys, cg_key("%u:%s", fi, name), key);
    if (!cg_idmap_get(&g->names, name)) cg_idmap_add(&g->names, name, 0);
    if (decl && decl->nkids && decl->kids[decl->nkids - 1]->kind == AST_INIT_LIST) {
        CgTable t = { .decl = decl, .file = fi };
        cg_idmap_add(&g->tables, key, (uint32_t)g->table_decls.n);
        VEC_PUSH(g->table_decls, t);
    }
}

static void index_root_decl(CgGraph *g, uint32_t fi, const AstNode *k)
{
    if (k->kind == AST_DECL && k->name) {
        if (k->flags & AST_F_TYPEDEF) {
            const char *t = k->type ? cg_type_base(k->type->name) : NULL;
            if (t) cg_strmap_put(&g->typedefs, k->name, t);
            return;
        }
        add_global(g, fi, k, k->name, (k->flags & AST_F_STATIC) != 0);
    } else if (k->kind == AST_EXPR_STMT && k->nkids && k->kids[0]->kind == AST_ASSIGN) {
        const AstNode *lhs = k->kids[0]->kids[0];
        if (lhs->kind == AST_IDENT && lhs->name) add_global(g, fi, NULL, lhs->name, true);
    } else if (k->kind == AST_PREPROC) {
        for (uint32_t i = 0; i < k->nkids; i++) index_root_decl(g, fi, k->kids[i]);
    }
}

/* ---------------------------------------------------------------- the walk */

static bool index_node(AstNode *n, void *ctx)
{
    void **c = ctx;
    CgGraph *g = c[0];
    uint32_t fi = (uint32_t)(uintptr_t)c[1];
    if (n->kind == AST_CLASS) index_class(g, fi, n);
    if (n->kind == AST_FUNC && ast_func_body(n)) add_func(g, fi, n);
    return true;
}

void cg_index_file(CgGraph *g, uint32_t fi)
{
    CgFile *cf = &g->files[fi];
    const AstNode *root = cf->file->root;
    if (!root) return;
    index_file_header(g, fi);
    add_top_level(g, fi);
    for (uint32_t i = 0; i < root->nkids; i++) index_root_decl(g, fi, root->kids[i]);
    void *ctx[2] = { g, (void *)(uintptr_t)fi };
    ast_walk((AstNode *)root, index_node, ctx);
}
