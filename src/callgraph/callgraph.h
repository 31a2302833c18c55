/* callgraph.h: the call graph over every scanned file (program stage, before the
 * interprocedural taint): functions by language scope, each call site resolved to the
 * functions it may reach, globals, tables of function pointers, and the strongly
 * connected components of the graph in bottom-up levels.
 *
 * Resolution, per language:
 *  - C: a name reaches the function of that name, a `static` one only within its file.
 *    A call through a pointer (h->handler(...), fp(...), (*fp)(...)) reaches the
 *    functions stored where the pointer comes from: the field of that name in table
 *    initializers ({ CMD, size, Handler } by the struct's member order, or .handler =),
 *    assignments to the field or variable, and otherwise every function whose address
 *    is taken and whose arity matches.
 *  - Python: module functions by name and through imports (import m, from m import f
 *    as g, m.f()), classes (C() reaches __init__), self.m() and x.m() when x = C(...).
 *  - Java: methods by class, name and arity; a call on a receiver of declared type T
 *    reaches T's method (or the nearest inherited one) and every override in T's
 *    subclasses and implementations in the scan; `new T()` reaches T's constructor.
 *
 * A CgGraph is built once, single-threaded, from files that outlive it, and is then
 * read-only (many threads may read it). It owns everything it returns (its arena). */
#ifndef SLUICE_CALLGRAPH_H
#define SLUICE_CALLGRAPH_H

#include "ast/ast.h"
#include "lang/lang.h"

#define CG_NONE UINT32_MAX
#define CG_MAX_TARGETS 32            /* a pointer call reaching more is left unresolved */

typedef struct CgFileIn {
    const AstFile *file;
    Lang lang;
} CgFileIn;

typedef struct CgFunc {
    const AstNode *fn;               /* FUNC, or the file's PROGRAM for its top-level code */
    uint32_t file;                   /* index into the CgFileIn array */
    Lang lang;
    const char *name;                /* interned simple name; "<top level>" for PROGRAM */
    const char *signature;           /* interned: "c:copy_payload/3", "java:p.A.m/1",
                                        "python:pkg.mod.C.m/1" (arity without self) */
    const char *cls;                 /* interned simple name of the enclosing class, or NULL */
    uint32_t nparams;                /* parameters a call passes (without Python's self) */
    uint32_t first_param;            /* index among the PARAM kids of call argument 0 */
    const char *recv;                /* the receiver's name: "this", Python's self; or NULL */
    bool is_static;                  /* C: file scope */
} CgFunc;

/* A global (or class-wide field, or a class used as a namespace) a function reads or
 * writes: the name the function uses and the key that identifies it program-wide. */
typedef struct CgGlobal {
    const char *name;                /* interned */
    const char *key;                 /* interned: "c:g_fileName", "c:<file>:g_blob", ... */
} CgGlobal;

typedef struct CgGraph CgGraph;

CgGraph *cg_build(const CgFileIn *files, size_t nfiles);
void cg_free(CgGraph *g);

size_t cg_func_count(const CgGraph *g);
const CgFunc *cg_func(const CgGraph *g, uint32_t i);
/* The function of a FUNC or PROGRAM node, or CG_NONE. */
uint32_t cg_func_of(const CgGraph *g, const AstNode *fn);
/* The functions a call node may reach (empty when unresolved). */
const uint32_t *cg_call_targets(const CgGraph *g, const AstNode *call, uint32_t *n);
/* The distinct functions function i calls, in call order. */
const uint32_t *cg_callees(const CgGraph *g, uint32_t i, uint32_t *n);
/* The distinct functions that call function i. */
const uint32_t *cg_callers(const CgGraph *g, uint32_t i, uint32_t *n);
/* The globals function i names. */
const CgGlobal *cg_globals(const CgGraph *g, uint32_t i, uint32_t *n);
/* The key of a global name as seen from file `file`, or NULL when it is not one. */
const char *cg_global_key(const CgGraph *g, uint32_t file, const char *name);

/* Strongly connected components in bottom-up levels: every callee of a component
 * is in the same component or in a lower level. Components and members are in a
 * fixed order (by function index), so that a run is the same for any -j. */
size_t cg_level_count(const CgGraph *g);
const uint32_t *cg_level(const CgGraph *g, size_t level, uint32_t *n);     /* component ids */
const uint32_t *cg_scc_members(const CgGraph *g, uint32_t scc, uint32_t *n);
uint32_t cg_scc_of(const CgGraph *g, uint32_t func);

/* Entry points from tables: the functions named in the initializer of decl (a table
 * declaration in file `file`), through the tables it names, one level per via entry
 * (a column number or a field name; "*" any element). Appends function ids to out,
 * each once. */
typedef VEC(uint32_t) CgIdList;
void cg_table_functions(const CgGraph *g, uint32_t file, const AstNode *decl,
                        const char *const *via, size_t nvia, CgIdList *out);

/* The signature a loaded model for an unresolved call would carry ("c:strcpy/2",
 * "java:p.Lib.get/1" when the receiver's class is known...), or NULL. Interned. */
const char *cg_call_signature(const CgGraph *g, uint32_t caller, const AstNode *call);

#endif
