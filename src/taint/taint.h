/* taint.h: the taint stage (match -> taint -> program): Semgrep taint rules run on
 * each function as a forward data flow over an IL on a control-flow graph, from
 * sources to sinks through access paths, stopped by sanitizers and guards, carried
 * by propagators; every finding keeps its path. docs/taint.md is the user's guide.
 *
 * A TaintEngine is built once from a MatchEngine (which compiled the rules' spec
 * patterns) and is then read-only: many threads may call taint_file() at once.
 * Everything one call allocates lives in an arena per function, freed before it
 * returns; findings are copied into the caller's MatchResults. */
#ifndef SLUICE_TAINT_H
#define SLUICE_TAINT_H

#include "match/match.h"

/* Diag types the taint stage reports. */
#define TAINT_DIAG_LIMIT "Taint limit"   /* a function too large, or a fixpoint over budget */

#define TAINT_DEFAULT_K 3                /* selectors kept in an access path: p->a.b[*] */
#define TAINT_MAX_K 8
#define TAINT_DEFAULT_MAX_NODES 4000000  /* AST nodes in one function */
#define TAINT_DEFAULT_BUDGET 200         /* fixpoint work: AST nodes evaluated, as a multiple
                                            of the function's size (plus a fixed 100000) */

typedef struct TaintOptions {
    int k;                  /* access-path depth; 0: TAINT_DEFAULT_K */
    size_t max_nodes;       /* 0: TAINT_DEFAULT_MAX_NODES */
    size_t budget;          /* 0: TAINT_DEFAULT_BUDGET */
} TaintOptions;

typedef struct TaintEngine TaintEngine;

TaintEngine *taint_engine_new(const MatchEngine *m, const TaintOptions *opt);
void taint_engine_free(TaintEngine *e);
/* How many taint rules the engine runs. */
size_t taint_engine_rule_count(const TaintEngine *e);

/* Runs every taint rule that applies to f on each of its functions (and on the
 * file's top-level code), appending findings to out; a function over the size
 * limit or the fixpoint budget gets a TAINT_DIAG_LIMIT error and is skipped. */
void taint_file(const TaintEngine *e, LangParser *p, const AstFile *f, Lang lang,
                MatchResults *out, DiagList *diags);

#endif
