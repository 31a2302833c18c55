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

#include <stdio.h>

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

/* ---------------------------------------------------------------- the program stage */

/* Interprocedural taint over every scanned file (docs/taint.md, "Across functions"):
 * a call graph, function summaries computed bottom-up over its strongly connected
 * components (in parallel across the components of a level), applied at each call
 * site; globals' taint seen by every reader; entry points from tables; summaries
 * written as JSON lines and loaded back as models of code outside the scan.
 *
 * Use: taint_program_new, then taint_program_add_file for each file (any thread,
 * distinct indexes; the files must outlive the program), optionally
 * taint_program_load_models, then taint_program_run once, which appends each file's
 * findings to out[index]; taint_program_write_summaries after it. */
typedef struct TaintProgramOptions {
    bool all_summaries;     /* summarise every function (--emit-summaries), not only
                               those taint can reach */
    int jobs;               /* worker threads; <= 0: every core */
} TaintProgramOptions;

typedef struct TaintProgram TaintProgram;

TaintProgram *taint_program_new(const TaintEngine *e, size_t nfiles, const TaintProgramOptions *opt);
void taint_program_free(TaintProgram *p);
/* False when no taint rule applies to the file: the program will not read it. */
bool taint_program_add_file(TaintProgram *p, size_t index, LangParser *parser, const AstFile *f,
                            Lang lang, DiagList *diags);
/* Loads --summaries FILE; a malformed line is a diag naming the line, and is skipped. */
bool taint_program_load_models(TaintProgram *p, const char *path, DiagList *diags);
void taint_program_run(TaintProgram *p, MatchResults *out, DiagList *diags);
/* Every computed summary, one JSON object a line, in a fixed order. */
bool taint_program_write_summaries(const TaintProgram *p, FILE *out);
/* Seconds spent building the call graph and computing summaries; rounds run. */
void taint_program_times(const TaintProgram *p, double *callgraph_s, double *summaries_s,
                         size_t *rounds);

#endif
