/* taint_ip.h: what the interprocedural files of src/taint share (program stage):
 * function summaries in seed 003's tuple, the program (files, call graph, summaries,
 * globals' taint, loaded models) and the hooks the per-function analysis calls
 * when it runs inside the program stage.
 *
 * Memory: the TaintProgram owns everything; each function has an arena of its own
 * (the traces, sinks and notes its summary, findings and globals' taint point to),
 * kept until the program is freed because callers' traces point into it. One
 * analysis works in a scratch arena, and only what it keeps is copied out. */
#ifndef SLUICE_TAINT_IP_H
#define SLUICE_TAINT_IP_H

#include "callgraph/callgraph.h"
#include "taint/taint_int.h"

/* Positions of a summary's from and to (seed 003): P<n> is n >= 0. */
#define TAINT_POS_RECV   (-1)    /* O: the receiver */
#define TAINT_POS_GLOBAL (-2)    /* a global, named by its key */
#define TAINT_POS_SOURCE (-3)    /* from: a source inside the function (or its callees) */
#define TAINT_POS_RET    (-4)    /* to: R, the value returned */
#define TAINT_POS_SINK   (-5)    /* to: a sink of the rule */

#define TAINT_NO_FILE UINT32_MAX
#define TAINT_MAX_ORIGINS 64
#define TAINT_MAX_ROUNDS 4       /* whole-program passes while globals gain taint */
#define TAINT_MAX_SCC_PASSES 10  /* fixpoint passes inside a recursive component */
/* Pass-through sink entries (a callee's sinks, not the function's own) a summary
 * keeps per from-position and access path read (per rule: each summary is one
 * rule's). Without a cap every function carries one entry per sink reachable
 * below it in the call graph, and summaries grow with the number of reachable
 * sinks. The shortest traces are kept (taint_sum_cap); docs/taint.md, "Limits". */
#define TAINT_SUMMARY_CAP 8

/* A sink a summary reaches: a spec's span in a scanned file, or, for a loaded model,
 * the place and message written in the summary file. */
typedef struct TaintSink {
    bool kept;                   /* in an arena that lives as long as the program stage */
    uint32_t file;               /* program file index, or TAINT_NO_FILE */
    uint32_t spec, span;
    const char *requires;        /* the sink spec's requires and guard */
    RuleGuard guard;
    const char *path, *message, *lines;   /* loaded */
    ReportPos start, end;
} TaintSink;

typedef struct TaintSumEntry {
    int from, to;                /* TAINT_POS_ or n for P<n> */
    const char *from_global, *to_global;   /* keys, for TAINT_POS_GLOBAL */
    const char *from_path, *to_path;       /* interned access paths: ".hdr.len", "[*]", "*" */
    uint32_t labels;             /* from a source: the labels it brings */
    const char *label_names;     /* loaded: "A,B" (bits are per rule) */
    uint8_t checked;             /* CHECK_ bits added inside (low) and kept (high) */
    const TaintSink *sink;       /* to a sink */
    const TaintTrace *trace;     /* the steps inside the function, newest first */
    const struct TaintCallRef *ref;   /* kept: this entry as callers' traces name it */
} TaintSumEntry;

/* Which callee tuple a spliced trace goes through (a summary file's "call" step):
 * in the scan, the callee and a copy of its entry's key; loaded, what the file
 * names, resolved to the model of that tuple once every line is read. */
#define TAINT_NO_FUNC UINT32_MAX

typedef struct TaintCallRef {
    bool kept;                   /* in an arena that lives as long as the program stage */
    uint32_t func;               /* the callee in the call graph, or TAINT_NO_FUNC */
    const char *signature;       /* loaded: the callee's signature, file and line */
    const char *file;
    uint32_t line;
    TaintSumEntry key;           /* from, to, paths, sink, labels; trace unused */
} TaintCallRef;

typedef struct TaintSummary {
    TaintSumEntry *v;
    size_t n, cap;
    bool known;                  /* analysed (or loaded): replaces default propagation */
    uint32_t *slots;             /* while it is built: entry index + 1 by key hash */
    size_t nslots;
} TaintSummary;

void taint_sum_add(TaintSummary *s, const TaintSumEntry *e);
void taint_sum_sort(TaintSummary *s);
/* After taint_sum_sort, before the entries are kept: keeps every sink entry of a
 * sink in the function's own body, and at most k others (pass-through: a callee's
 * sink) per from (position, global and access path read), the shortest traces
 * first, in the same order; returns how many were dropped. */
size_t taint_sum_cap(TaintSummary *s, size_t k);
bool taint_sum_same(const TaintSummary *a, const TaintSummary *b);
void taint_sum_free(TaintSummary *s);

/* Taint a global holds (concrete labels only), per rule: key, access path, value. */
typedef struct TaintGVal {
    const char *key;
    const char *access;
    TaintVal val;
} TaintGVal;

typedef VEC(TaintGVal) TaintGVals;

/* A finding of the program stage: a sink (in-scan: file, rule, spec, span; or loaded)
 * reached with this trace. */
typedef struct TaintProgFound {
    uint32_t rule;
    uint32_t file, spec, span;
    const TaintSink *loaded;
    uint32_t at_file;            /* the caller's file (where a loaded sink is reported from) */
    const TaintTrace *trace;
} TaintProgFound;

typedef VEC(TaintProgFound) TaintProgFounds;

/* Loaded models (--summaries): entries by signature and rule id. */
typedef struct TaintModel {
    const char *signature;       /* interned */
    const char *file;            /* interned: where the function is defined ("" unknown) */
    uint32_t line;
    const char *tail;            /* interned "name/arity", the lookup key */
    const char *rule_id;         /* NULL: every rule */
    size_t order;                /* its line among the loaded ones */
    TaintSumEntry entry;
} TaintModel;

typedef struct TaintProgFile {
    const AstFile *file;
    Lang lang;
    MatchTaintSpans spans;
    bool has_spans;
    TaintRuleCtx *rc;            /* per taint rule; rc[i].rule is NULL where it does not apply */
} TaintProgFile;

struct TaintProgram {
    const TaintEngine *engine;
    TaintProgramOptions opt;
    size_t nrules;
    TaintProgFile *files;
    size_t nfiles;
    CgGraph *cg;
    size_t nfuncs;
    TaintSummary *sums;          /* [func * nrules + rule] */
    bool *need;                  /* [func * nrules + rule]: analysed this round */
    bool *capped;                /* [func * nrules + rule]: its last analysis dropped sink
                                    entries over TAINT_SUMMARY_CAP */
    uint32_t *entry_params;      /* [func * nrules + rule]: entry-point parameter bits */
    uint16_t *entry_spec;        /* ...and the source spec that made them */
    Arena *arenas;               /* per function */
    Arena models_arena;          /* loaded models' strings, traces and sinks */
    TaintGVals *G;               /* per rule: what globals hold this round */
    TaintGVals *gwrites;         /* per function: what it stored into globals */
    TaintProgFounds *found;      /* per function */
    DiagList *fdiags;            /* per function: limit errors */
    VEC(TaintModel) models;
    size_t rounds;
    double cg_s, sum_s;
};

/* A constructor's effect on the object it builds, written to x's fields once
 * `x = C(...)` has assigned x. */
typedef struct TaintPending {
    const AstNode *call;
    const char *access;
    TaintVal val;
} TaintPending;

/* What the analysis of one function for one rule needs from the program. */
typedef struct TaintIpFunc {
    struct TaintProgram *prog;
    uint32_t func, rule;
    const CgFunc *cg;
    struct { int pos; const char *global; const TaintPath *path; } origins[TAINT_MAX_ORIGINS];
    uint32_t norigins;
    TaintSummary out;            /* the summary being built */
    VEC(CgGlobal) extra;         /* globals a callee touched that the function does not name */
    VEC(const TaintTrace *) seeded;   /* traces of the globals' taint put in at entry */
    VEC(TaintPending) pending;
} TaintIpFunc;

/* Hooks (ipfunc.c), called by the analysis when f->ip is set. */
TaintVal taint_ip_param(TaintFunc *f, const AstNode *param, TaintVal v);
void taint_ip_seed(TaintFunc *f, TaintState *entry);
uint64_t taint_ip_narrow(TaintFunc *f, uint64_t origins, const TaintPath *at, const TaintPath *p);
void taint_ip_sink(TaintFunc *f, const AstNode *e, const TaintHit *h, TaintVal v);
bool taint_ip_call(TaintFunc *f, const AstNode *e, TaintVal recv, const TaintVal *args,
                   uint32_t nargs, TaintVal *result);
void taint_ip_collect(TaintFunc *f, const TaintState *exit);
/* After lhs = value of the node at: a constructor's pending field effects land. */
void taint_ip_assigned(TaintFunc *f, const TaintPath *lhs, const AstNode *at);

/* The access path of p below its root, as text (interned). */
const char *taint_access_text(const TaintPath *p);
/* Label names of bits, "A,B" (arena string), and back. */
const char *taint_label_names(Arena *a, const TaintRuleCtx *rc, uint32_t labels);
uint32_t taint_label_bits(const TaintRuleCtx *rc, const char *names);

/* engine.c: one function for one rule, inside or outside the program stage. */
bool taint_run_function(const TaintEngine *e, const AstFile *file, Lang lang, const TaintRuleCtx *rc,
                        const AstNode *fn, Arena *keep, void *found, TaintIpFunc *ip,
                        const char **why);
void taint_rule_ctx(TaintRuleCtx *rc, const Rule *r, MatchSpanList *specs);
bool taint_requires_ok(const TaintRuleCtx *rc, const char *requires, uint32_t labels);

/* findings.c: a program finding at an in-scan sink span, or at a loaded sink. */
void taint_findings_add(const Rule *r, const AstFile *file, const MatchSpan *s, const TaintTrace *trace,
                        MatchResults *out);
void taint_findings_add_loaded(const Rule *r, const TaintSink *sink, const TaintTrace *trace,
                               MatchResults *out);

/* sumio.c */
/* The loaded models whose signature ends in tail ("name/arity"), contiguous. */
/* Points the "call" steps of loaded models at the models they name (after loading). */
void taint_models_resolve(TaintProgram *p);
const TaintModel *taint_models_find(const TaintProgram *p, const char *tail, const char *unused,
                                    size_t *n);

#endif
