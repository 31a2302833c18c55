/* cg_int.h: what the files of src/callgraph share (program stage): the graph's
 * indexes and maps. callgraph.h is the module's interface; nothing else reads this.
 *
 * Memory: the CgGraph owns everything: its arena (strings, small arrays) and the heap
 * vectors and maps freed by cg_free(). Keys are interned strings or node pointers. */
#ifndef SLUICE_CG_INT_H
#define SLUICE_CG_INT_H

#include "callgraph/callgraph.h"

#include <stdarg.h>
#include <stdio.h>

/* pointer (interned string or node) -> list of ids */
typedef struct CgIdMap {
    const void **keys;
    CgIdList *vals;
    size_t cap, n;
} CgIdMap;

/* pointer -> pointer or number */
typedef struct CgPtrMap {
    const void **keys;
    uintptr_t *vals;
    size_t cap, n;
} CgPtrMap;

typedef struct CgImport {
    const char *alias;           /* the name bound in the file */
    const char *target;          /* dotted: "pkg.mod" or "pkg.mod.func" */
} CgImport;

typedef struct CgFile {
    const AstFile *file;
    Lang lang;
    const char *module;          /* Python: dotted module; Java: the package */
    VEC(CgImport) imports;
} CgFile;

typedef struct CgClass {
    const AstNode *node;
    uint32_t file;
    const char *name;
    const char **bases;          /* simple names */
    size_t nbases;
    bool iface;
} CgClass;

typedef struct CgTable {
    const AstNode *decl;         /* a global DECL with an INIT_LIST initializer */
    uint32_t file;
} CgTable;

typedef struct CgRange {
    uint32_t off, n;
} CgRange;

struct CgGraph {
    Arena arena;
    CgFile *files;
    size_t nfiles;
    VEC(CgFunc) funcs;
    VEC(CgClass) classes;
    VEC(CgTable) table_decls;
    CgPtrMap func_of;            /* FUNC/PROGRAM node -> func id */
    CgIdMap by_name;             /* "c:f", "cs:<file>:f", "cany:f", "py:f", "m:<Class>:f" */
    CgIdMap by_class;            /* simple class name -> class ids */
    CgIdMap subclasses;          /* simple class name -> direct subclass ids */
    CgIdMap structs;             /* C struct name -> class ids */
    CgPtrMap typedefs;           /* typedef name -> base type name */
    CgPtrMap global_keys;        /* "<file>:<name>" -> global key */
    CgIdMap tables;              /* global key -> table_decls ids */
    CgIdMap fptr;                /* "cf:<field>", "cv:<var>" -> func ids stored there */
    CgIdList addr_taken;         /* C functions whose address is taken */
    bool *is_addr_taken;         /* per func, while indexing */
    uint32_t *mark, stamp;       /* per func: seen in the list being deduplicated */
    CgIdMap names;               /* every function and global name (interned): a quick no */
    /* results */
    CgPtrMap call_at;            /* CALL node -> index into ranges */
    VEC(CgRange) ranges;
    CgIdList targets;            /* the pool ranges point into */
    CgIdList *callees, *callers; /* per func */
    VEC(CgGlobal) *globals;      /* per func */
    /* components */
    uint32_t *scc_of;
    CgIdList *scc_members;
    size_t nscc;
    CgIdList *levels;
    size_t nlevels;
};

void cg_idmap_add(CgIdMap *m, const void *key, uint32_t id);
CgIdList *cg_idmap_get(const CgIdMap *m, const void *key);
void cg_idmap_free(CgIdMap *m);
void cg_ptrmap_put(CgPtrMap *m, const void *key, uintptr_t val);
bool cg_ptrmap_get(const CgPtrMap *m, const void *key, uintptr_t *val);
void cg_ptrmap_free(CgPtrMap *m);
#define cg_strmap_put(m, k, v) cg_ptrmap_put((m), (k), (uintptr_t)(v))
const char *cg_strmap_get(const CgPtrMap *m, const void *key);

/* An interned key built like printf. */
const char *cg_key(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *cg_type_base(const char *type);
bool cg_owned_kind(const AstNode *n);
/* Visits the nodes a function owns (not those of nested functions, classes, lambdas). */
void cg_walk_owned(const AstNode *root, void (*fn)(const AstNode *n, void *ctx), void *ctx);

void cg_index_file(CgGraph *g, uint32_t file);           /* index.c */
void cg_index_pointers(CgGraph *g, uint32_t file);       /* resolve.c */
void cg_resolve_func(CgGraph *g, uint32_t func);         /* resolve.c */
void cg_components(CgGraph *g);                          /* scc.c */

#endif
