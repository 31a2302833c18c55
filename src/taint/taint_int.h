/* taint_int.h: what the files of src/taint share (taint stage): access paths, taint
 * values with their traces, states, the IL and its CFG, the spec hits of a function
 * and the analysis context. taint.h is the module's interface; nothing else reads this.
 *
 * Memory: a TaintFunc's arena owns its paths, traces, IL and hits; states are heap
 * arrays owned by whoever holds them (the fixpoint's per-block table). */
#ifndef SLUICE_TAINT_INT_H
#define SLUICE_TAINT_INT_H

#include "taint/taint.h"

struct TaintEngine {
    const MatchEngine *match;
    TaintOptions opt;
};

/* ---------------------------------------------------------------- access paths */

/* A base (a variable, parameter, global, `this`/`self`, or a synthetic slot such as
 * the thrown exception) followed by at most k selectors. Paths are hash-consed per
 * function, so equal paths are the same pointer and compare by id. */
typedef enum TaintSel { SEL_BASE, SEL_FIELD, SEL_INDEX, SEL_DEREF } TaintSel;

typedef struct TaintPath TaintPath;
struct TaintPath {
    const TaintPath *parent;     /* NULL for a base */
    const char *name;            /* base: the variable; FIELD: the field (interned) */
    uint8_t sel;                 /* TaintSel */
    uint8_t depth;               /* selectors after the base */
    bool truncated;              /* stands for longer paths (k-limit): weak updates */
    bool has_children;           /* some path extends it: states need look below it */
    uint32_t id;                 /* dense per function: states are sorted by id */
};

typedef struct TaintPaths TaintPaths;   /* the per-function hash-consing table */

TaintPaths *taint_paths_new(Arena *a, int k);
void taint_paths_free(TaintPaths *t);
const TaintPath *taint_path_base(TaintPaths *t, const char *name);
/* The path of sel (and name for a field) under parent, cut at k selectors. */
const TaintPath *taint_path_child(TaintPaths *t, const TaintPath *parent, TaintSel sel,
                                  const char *name);
/* The path an l-value expression denotes (x, p->f, a.b[i], *p, (T *)p), or NULL. */
const TaintPath *taint_path_of(TaintPaths *t, const AstNode *e);
bool taint_path_prefix(const TaintPath *pre, const TaintPath *p);   /* pre == p or an ancestor */
/* "p->a.b", "a[*]", "*p" as shown in notes; written into b. */
void taint_path_print(const TaintPath *p, StrBuf *b);
const TaintPath *taint_path_root(const TaintPath *p);

/* ---------------------------------------------------------------- values */

/* Guard facts about a tainted value, set by the conditions on the way to a use. */
enum {
    CHECK_LOWER = 1u << 0,       /* known >= something on every path here */
    CHECK_UPPER = 1u << 1,       /* known <= something */
    CHECK_ANY = 1u << 2,         /* compared or tested at all */
    CHECK_REAL = 0x07,           /* the checks made in this function */
    /* Summaries: the same bits shifted by 4 say which checks the caller made on a
     * parameter still hold here (a parameter starts with all of them; arithmetic
     * and joins drop them as they drop the real ones). */
    CHECK_SYM_SHIFT = 4,
    CHECK_SYM = 0x70,
    CHECK_KEEP_ANY = CHECK_ANY | (CHECK_ANY << 4),
};

/* One step of a taint path, newest first; immutable and shared between values. */
typedef struct TaintTrace TaintTrace;
struct TaintTrace {
    const TaintTrace *prev;
    uint8_t kind;                /* ReportStepKind */
    bool kept;                   /* in an arena that lives as long as the program stage */
    uint16_t len;                /* steps in this list, this one included */
    const char *path;            /* the file */
    const char *src;             /* the file's text, for the step's code */
    AstPos start, end;
    const char *note;
    const char *content;         /* the step's code when src is NULL (a loaded summary) */
    const TaintTrace *inner;     /* not a step: a callee's steps, spliced in here (so
                                    that a caller's trace shares them, not copies) */
    const struct TaintCallRef *ref;   /* with inner (or, loaded and not yet resolved,
                                    without): the callee's summary tuple those steps
                                    are, which a summary file writes instead of them */
};

#define TAINT_MAX_TRACE 48       /* longer paths keep their first steps and the sink */

/* labels: bit i is the rule's label i (bit 0 Semgrep's default label). origins: while
 * a summary is computed, bit i is the function's origin i (a parameter, the receiver
 * or a global at an access path, see TaintOrigin): the value carries what came in
 * there. A value with neither is clean. checked: CHECK_ bits, meaningful when tainted.
 * trace is the path of the labelled part, otrace that of the origins. */
typedef struct TaintVal {
    uint32_t labels;
    uint8_t checked;
    uint64_t origins;
    const TaintTrace *trace;
    const TaintTrace *otrace;
} TaintVal;

static inline bool taint_val_tainted(TaintVal v) { return v.labels != 0 || v.origins != 0; }
/* Union: labels or'ed, checks and'ed (checked only if every part is), first trace. */
TaintVal taint_val_join(TaintVal a, TaintVal b);

/* ---------------------------------------------------------------- states */

typedef struct TaintEntry {
    const TaintPath *path;
    TaintVal val;                /* a clean val overrides a tainted ancestor */
} TaintEntry;

typedef struct TaintState {
    TaintEntry *v;               /* sorted by path id */
    size_t n, cap;
} TaintState;

void taint_state_free(TaintState *s);
void taint_state_copy(TaintState *dst, const TaintState *src);
/* What reading p gives: the nearest entry at or above p, joined with every entry
 * below it (a struct holding a tainted field is tainted). */
TaintVal taint_state_read(const TaintState *s, const TaintPath *p);
/* The nearest entry at or above p only. */
TaintVal taint_state_at(const TaintState *s, const TaintPath *p);
/* The same, with the path of that entry in *where (NULL when none). */
TaintVal taint_state_at_entry(const TaintState *s, const TaintPath *p, const TaintPath **where);
/* p = v: a strong update removes what was below p; a truncated path is updated weakly. */
void taint_state_write(TaintState *s, const TaintPath *p, TaintVal v);
/* ORs check bits into p's value when p is tainted there. */
void taint_state_check(TaintState *s, const TaintPath *p, uint8_t bits);
/* dst = dst join src; true when dst changed (traces alone never count as a change). */
bool taint_state_join(TaintState *dst, const TaintState *src);

/* ---------------------------------------------------------------- IL and CFG */

typedef enum TaintInsKind {
    IL_EVAL,        /* evaluate node: an expression or expression statement */
    IL_ASSIGN,      /* var (or lhs) = rhs; a declaration, a loop target */
    IL_PARAM,       /* a parameter comes in: sources on it, its default value */
    IL_RETURN,      /* evaluate node (may be NULL) as the function's result */
    IL_THROW,       /* evaluate node into the thrown-exception slot */
    IL_CATCH,       /* bind var to the thrown-exception slot */
} TaintInsKind;

typedef struct TaintIns {
    uint8_t kind;
    bool each;                   /* ASSIGN from the elements of rhs (for x in rhs) */
    const AstNode *node;         /* the statement or expression it came from */
    const AstNode *lhs, *rhs;
    const char *var;             /* DECL, CATCH, PARAM: the variable */
} TaintIns;

typedef struct TaintEdge {
    uint32_t to;
    const AstNode *cond;         /* a branch: the condition, which holds iff polarity */
    bool polarity;
} TaintEdge;

typedef struct TaintBlock {
    TaintIns *ins;
    uint32_t nins, cap_ins;
    TaintEdge *succ;
    uint32_t nsucc, cap_succ;
} TaintBlock;

typedef struct TaintCfg {
    TaintBlock *blocks;          /* heap; blocks[0] is the entry, blocks[1] the exit */
    uint32_t n, cap;
    size_t nins;
} TaintCfg;

#define CFG_ENTRY 0
#define CFG_EXIT 1

/* Lowers a FUNC (its parameters and body) or, for top-level code, a PROGRAM's
 * statements outside functions and classes. */
void taint_cfg_build(TaintCfg *cfg, Arena *a, const AstNode *fn, Lang lang);
void taint_cfg_free(TaintCfg *cfg);
/* "b0: ins...; -> b1 [cond]" lines, for tests. Heap string. */
char *taint_cfg_dump(const TaintCfg *cfg);

/* ---------------------------------------------------------------- spec hits */

typedef enum TaintRole { ROLE_SOURCE, ROLE_SINK, ROLE_SANITIZER, ROLE_PROP, ROLE_PROP_FROM,
                         ROLE_PROP_TO } TaintRole;

/* A node the rule's specs name: which spec, which span, and whether the node is
 * exactly the span (exact specs need that; others take any node inside). */
typedef struct TaintHit {
    uint8_t role;                /* TaintRole */
    bool exact_node;             /* the node's range is the span's */
    uint16_t spec;               /* index within its role's list */
    uint32_t span;
} TaintHit;

typedef struct TaintHits TaintHits;   /* node -> hits, per function and rule */

/* One taint rule on one file: its specs' spans and what its options say. */
typedef struct TaintRuleCtx {
    const Rule *rule;
    const MatchSpanList *src, *sink, *san, *prop;   /* per spec of each role */
    bool safe_numbers, safe_booleans, safe_indexes, safe_functions;
    const char *labels[32];      /* bit i -> label name; [0] is the default label */
    uint32_t nlabels;
    uint32_t any_source;         /* bitmask of every label */
} TaintRuleCtx;

TaintHits *taint_hits_build(Arena *a, const TaintRuleCtx *rc, const AstNode *fn);
/* The hits on node n, or NULL with *n_out 0. */
const TaintHit *taint_hits_of(const TaintHits *h, const AstNode *n, uint32_t *n_out);
bool taint_hits_any(const TaintHits *h, TaintRole role);
uint32_t taint_label_bit(const TaintRuleCtx *rc, const char *label);   /* 0 if unknown */

/* ---------------------------------------------------------------- guards */

/* Applies what cond == polarity says about the compared values to s. */
void taint_guard_refine(TaintState *s, TaintPaths *paths, const AstNode *cond, bool polarity);
/* Whether a value's checks satisfy a sink's guard key. */
bool taint_guard_satisfied(RuleGuard g, uint8_t checked);
/* The checks that survive arithmetic: op applied with a constant-ness of the other side. */
uint8_t taint_guard_arith(AstOp op, const AstNode *other, uint8_t checked, bool left);

/* ---------------------------------------------------------------- analysis */

/* Findings of one rule on one file: sink spans reported so far, with their paths. */
typedef struct TaintFound {
    uint32_t sink_spec, span;
    const TaintTrace *trace;
} TaintFound;

typedef struct TaintFunc {
    const TaintEngine *engine;
    const AstFile *file;
    Lang lang;
    const AstNode *fn;           /* FUNC, or PROGRAM for top-level code */
    Arena arena;                 /* this function's paths, hits and tables */
    Arena *keep;                 /* the file's: traces and notes, which findings outlive
                                    the function with */
    TaintPaths *paths;
    TaintCfg cfg;
    const TaintRuleCtx *rc;
    TaintHits *hits;
    const char **locals;         /* declared names with their types, for safe_numbers */
    const AstNode **local_types;
    size_t nlocals;
    const char **globals;        /* file-level names */
    const AstNode **global_types;
    size_t nglobals;
    /* evaluation */
    TaintState *st;              /* the state being transformed */
    bool reporting;              /* the final pass: record findings */
    size_t work, budget;
    bool over_budget;
    TaintVal call_args;          /* the arguments of the call evaluated last */
    uint32_t epoch;              /* one per instruction: stamps prop_from entries */
    size_t *prop_off;            /* per propagator spec: its first slot below */
    TaintVal *prop_from;         /* per propagator span: the value of its from: */
    uint32_t *prop_epoch;
    const AstNode **prop_to;     /* per propagator span: the node of its to: */
    TaintVal ret;                /* the join of the values returned */
    VEC(TaintFound) *found;
    struct TaintNameMap *types;  /* declared types, built when a safe_ option needs them */
    struct TaintIpFunc *ip;      /* the program stage's view of this function, or NULL */
} TaintFunc;

/* The declared type of a name seen from the function (local, then file level). */
const AstNode *taint_decl_type(TaintFunc *f, const char *name);
/* Applies a call's effects and returns its value (call.c). */
TaintVal taint_eval_call(TaintFunc *f, const AstNode *e);
/* Writes v into the l-value e (tuples element-wise), recording the step. */
void taint_assign_to(TaintFunc *f, const AstNode *lhs, TaintVal v, const AstNode *at);
/* Is e a number / a boolean by what the code declares (safe_numbers, safe_booleans). */
bool taint_expr_is_number(TaintFunc *f, const AstNode *e);
bool taint_expr_is_bool(TaintFunc *f, const AstNode *e);

/* Evaluates an expression in f->st; returns its value. */
TaintVal taint_eval(TaintFunc *f, const AstNode *e);
/* Applies one IL instruction to f->st. */
void taint_transfer(TaintFunc *f, const TaintIns *ins);
/* Runs the fixpoint and then the reporting pass; false when over budget. */
bool taint_flow_run(TaintFunc *f);

/* A new step on both traces of v (the labelled part's and the origins'). */
TaintVal taint_val_step(TaintFunc *f, TaintVal v, ReportStepKind kind, const AstNode *at,
                        const char *note);
/* Reading an access path: the state's value, with origins narrowed to the path read. */
TaintVal taint_read_path(TaintFunc *f, const TaintPath *p);
/* The real steps of a trace, oldest first, callees' steps spliced in: at most max,
 * keeping the first ones and the last (the sink). Returns how many. */
size_t taint_trace_flatten(const TaintTrace *t, const TaintTrace **out, size_t max);
/* Trace helpers: a new step on top of prev. */
const TaintTrace *taint_trace_step(TaintFunc *f, const TaintTrace *prev, ReportStepKind kind,
                                   const AstNode *at, const char *note);
/* Records a sink hit for the final findings. */
void taint_found_add(TaintFunc *f, uint32_t spec, uint32_t span, const TaintTrace *trace);
/* Turns a rule's recorded sink hits into findings. */
void taint_findings_emit(const TaintRuleCtx *rc, const AstFile *file, const TaintFound *v,
                         size_t n, MatchResults *out);

/* Is the declared type of this expression a number / boolean (for the safe_ options). */
bool taint_type_is_number(const AstNode *type, Lang lang);
bool taint_type_is_bool(const AstNode *type, Lang lang);

#endif
