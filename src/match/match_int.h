/* match_int.h: what the files of src/match share and nothing outside reads (match
 * stage): bound values, the binding trail, compiled patterns, per-file facts (imports,
 * constants, declared types), ranges with bindings, and the engine's tables.
 * match.h is the module's interface. */
#ifndef SLUICE_MATCH_INT_H
#define SLUICE_MATCH_INT_H

#include "match/match.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ---------------------------------------------------------------- limits */

#define MATCH_MAX_PATTERN_NODES 4000     /* bigger patterns are refused: matching recurses on them */
#define MATCH_STEP_BUDGET 2000000        /* node comparisons per pattern per file */
#define MATCH_MAX_SOLUTIONS 64           /* distinct binding sets kept per target node */
#define MATCH_MAX_RANGES 100000          /* ranges per formula node per file */
#define MATCH_REGEX_MATCH_LIMIT 5000000  /* PCRE2 match limit: a runaway regex stops here */
#define MATCH_REGEX_DEPTH_LIMIT 50000    /* PCRE2 backtracking depth limit */

/* ---------------------------------------------------------------- values */

typedef enum MatchValKind {
    MV_NODE,     /* one AST node */
    MV_SEQ,      /* $...X: a run of sibling nodes (possibly empty) */
    MV_NAME,     /* an identifier in a name field (FUNC, FIELD, DECL, KEYWORD...) */
    MV_TEXT,     /* a regex capture group: a slice of the source */
} MatchValKind;

typedef struct MatchVal {
    uint8_t kind;
    const AstNode *node;            /* MV_NODE */
    AstNode *const *seq;            /* MV_SEQ */
    uint32_t nseq;
    const char *name;               /* MV_NAME (interned) */
    AstPos start, end;              /* the source range of the value */
} MatchVal;

typedef struct MatchBind {
    const char *mv;                 /* interned "$X" */
    MatchVal val;
} MatchBind;

/* ---------------------------------------------------------------- per-file facts */

typedef struct MatchAlias {
    const char *local;              /* interned local name ("sp", "environ", "File") */
    const char *full;               /* what it stands for ("subprocess", "os.environ") */
} MatchAlias;

typedef struct MatchConst {
    const char *name;               /* interned */
    const AstNode *lit;             /* the one literal ever assigned to it */
} MatchConst;

typedef struct MatchDeclType {
    const AstNode *scope;           /* the enclosing FUNC, or NULL at file level */
    const char *name;
    const AstNode *type;
} MatchDeclType;

typedef struct MatchPattern MatchPattern;
typedef struct MatchEngine MatchEngine;

/* What matching needs to know about one target file beyond its tree. Built lazily. */
typedef struct MatchCtx {
    const MatchEngine *engine;
    const AstFile *file;
    Lang lang;
    LangParser *parser;
    DiagList *diags;
    Arena arena;                    /* ranges and bindings of this file */
    bool facts_built;
    VEC(MatchAlias) aliases;
    VEC(MatchConst) consts;
    VEC(MatchDeclType) types;
    uint32_t *line_starts;          /* offsets of line starts, for regex ranges */
    size_t nlines;
    pcre2_match_context *re_ctx;
    pcre2_match_data *re_data;
    const char *rule_id;            /* the rule being evaluated, for diags */
    bool rule_failed;               /* a limit was hit for this rule on this file */
} MatchCtx;

void match_facts_build(MatchCtx *cx);
void match_ctx_init(MatchCtx *cx, const MatchEngine *e, const AstFile *f, Lang lang,
                    LangParser *p, DiagList *diags);
void match_ctx_fini(MatchCtx *cx);
const char *match_alias_lookup(const MatchCtx *cx, const char *local);
const AstNode *match_const_lookup(const MatchCtx *cx, const char *name);
const AstNode *match_decl_type(const MatchCtx *cx, const AstNode *ident);
AstPos match_offset_pos(MatchCtx *cx, uint32_t offset);

/* ---------------------------------------------------------------- patterns */

typedef struct MatchPatRegex {
    const AstNode *lit;             /* the "=~/re/" literal */
    pcre2_code *re;
} MatchPatRegex;

struct MatchPattern {
    const RuleFormula *leaf;        /* the PATTERN formula node */
    Lang lang;
    AstFile *file;                  /* the parsed pattern; owns the nodes */
    const AstNode *root;            /* expression, statement, or BLOCK when is_seq */
    bool is_seq;                    /* several statements: match as a subsequence */
    uint64_t kinds;                 /* target kinds the root can match (bit per AstKind) */
    bool wildcard;                  /* can match any kind: tried on every node */
    const char **needs;             /* identifiers every match's file must contain */
    size_t nneeds;
    MatchPatRegex *regexes;
    size_t nregexes;
    uint32_t index;                 /* slot in a search's result table */
};

/* Parses and prepares a pattern. On failure returns NULL and sets *err (heap). */
MatchPattern *match_pattern_compile(LangParser *p, const RuleFormula *leaf, Lang lang,
                                    char **err);
/* The same from an already parsed pattern, whose ownership it takes (also on failure). */
MatchPattern *match_pattern_prepare(AstFile *f, const RuleFormula *leaf, Lang lang, char **err);
void match_pattern_free(MatchPattern *mp);
pcre2_code *match_pattern_regex(const MatchPattern *mp, const AstNode *lit);
/* A "=~/re/" string literal: the regex text and its length, or NULL. */
const char *match_string_regex(const AstNode *lit, size_t *len);
bool match_is_metavar_name(const char *s);

/* ---------------------------------------------------------------- ranges */

typedef enum MatchRangeKind { RK_PLAIN, RK_INSIDE, RK_REGEXP } MatchRangeKind;

typedef struct MatchRange {
    AstPos start, end;
    uint8_t kind;
    uint32_t nbinds;
    MatchBind *binds;               /* in the MatchCtx arena */
} MatchRange;

typedef VEC(MatchRange) MatchRangeList;

/* ---------------------------------------------------------------- matching */

/* The matcher enumerates every way a pattern matches, in continuation-passing style:
 * each successful step calls its continuation, and returning true stops the whole
 * enumeration (enough solutions, or the budget is spent). Bindings live on a trail
 * (env) that each step truncates back on return, so backtracking is free. Recursion
 * follows the pattern, never the target: target subtrees are walked with stacks. */
typedef struct Matcher {
    MatchCtx *cx;
    const MatchPattern *pat;
    VEC(MatchBind) env;
    size_t steps;
    bool out_of_budget;
    const AstNode *last;            /* last statement of a sequence match */
} Matcher;

typedef struct MatchK MatchK;
typedef bool (*MatchKFn)(Matcher *m, const MatchK *k);
struct MatchK {
    MatchKFn fn;
    const MatchK *next;
    AstNode *const *ps, *const *ts;
    uint32_t np, nt, i, j;
    uint8_t mode;
    const AstNode *last;
    const void *data;
};

/* Sequence modes: EXACT lists (arguments, elements); STMTS, a block's whole statement
 * list; PREFIX, a run of statements anywhere in a list (the top of a sequence
 * pattern, whose last statement ends the range); NESTED, a prefix found by deep
 * statement matching inside an EXACT or STMTS match. */
enum { SEQ_EXACT, SEQ_STMTS, SEQ_PREFIX, SEQ_NESTED };

bool match_node(Matcher *m, const AstNode *p, const AstNode *t, const MatchK *k);
bool match_seq(Matcher *m, AstNode *const *ps, uint32_t np, AstNode *const *ts, uint32_t nt,
               uint8_t mode, const AstNode *last, const MatchK *k);
bool match_bind(Matcher *m, const char *mv, const MatchVal *v, const MatchK *k);
bool match_is_seq_ellipsis(const AstNode *p);
/* Statement lists directly inside a statement (its blocks, or itself for a nested
 * statement), for Semgrep's deep statement matching after "...". */
typedef struct MatchStmtList {
    AstNode *const *v;
    uint32_t n;
} MatchStmtList;
size_t match_nested_lists(const AstNode *s, MatchStmtList *out, size_t max);
/* The statement list of a container (BLOCK, PROGRAM, CLASS members). */
AstNode *const *match_stmts_of(const AstNode *n, uint32_t *count);

/* Every match of each pattern in the subtree under root (root included), found in
 * one walk; out[i] receives the ranges of pats[i]. */
void match_search(MatchCtx *cx, const AstNode *root, MatchPattern *const *pats, size_t n,
                  MatchRangeList *out);

/* Structural equality of two bound values (positions ignored). Iterative. */
bool match_val_equal(const MatchVal *a, const MatchVal *b);
bool match_node_equal(const AstNode *a, const AstNode *b);
const MatchBind *match_find_bind(const MatchBind *b, size_t n, const char *mv);
/* The source text of a value (a slice of src) and, for MV_NAME, its position. */
const char *match_val_text(const MatchCtx *cx, const MatchVal *v, size_t *len);
/* Where a node's name field appears in the source (for MV_NAME bindings). */
void match_name_range(const AstFile *f, const AstNode *n, AstPos *start, AstPos *end);

/* ---------------------------------------------------------------- regexes */

/* Runs re over subject[0..len) from offset; 1 match, 0 none, -1 error (limit hit). */
int match_regex_exec(MatchCtx *cx, const pcre2_code *re, const char *subject, size_t len,
                     size_t offset, size_t *mstart, size_t *mend);
/* Regex over a value's whole text (metavariable-regex, "=~/re/"): 1, 0 or -1. */
int match_regex_text(MatchCtx *cx, const pcre2_code *re, const char *s, size_t len);
void match_regex_error(MatchCtx *cx, int rc);

/* ---------------------------------------------------------------- formulas */

/* metavariable-comparison: evaluates expr with the bindings; false on error too. */
bool match_compare_eval(MatchCtx *cx, const RuleFormula *f, const MatchRange *r);

typedef struct MatchRule {
    const Rule *rule;
    unsigned lang_mask;             /* languages whose patterns all compiled */
    VEC(MatchPattern *) patterns;   /* every PATTERN leaf, for each language */
} MatchRule;

struct MatchEngine {
    const RuleSet *rules;
    VEC(MatchRule) v;
    VEC(MatchRule) taint;           /* taint rules: every spec formula's patterns */
    uint32_t npatterns;             /* MatchPattern.index runs below this */
};

MatchPattern *match_rule_pattern(const MatchRule *r, const RuleFormula *leaf, Lang lang);

/* The pattern leaves of f that a one-pass search runs (not those under a
 * metavariable-pattern, which run in the bound code only), appended to out. */
typedef VEC(MatchPattern *) MatchPatternList;
void match_collect_leaves(const MatchRule *mr, const RuleFormula *f, Lang lang,
                          MatchPatternList *out);

/* match_search over pats, its ranges placed by pattern index as formula evaluation
 * reads them (found[p->index], engine->npatterns + 1 slots). Free with
 * match_found_free. */
MatchRangeList *match_search_found(MatchCtx *cx, const AstNode *root, const MatchPatternList *pats);
void match_found_free(MatchRangeList *found, const MatchPatternList *pats);
/* Evaluates a rule's formula on a file whose leaves' ranges were found by one search
 * (found[p->index] for each pattern p); nested metavariable-patterns search anew. */
void match_formula_eval(MatchCtx *cx, const MatchRule *r, const RuleFormula *f,
                        const MatchRangeList *found, MatchRangeList *out);
/* The findings of one rule's final ranges. */
void match_emit_findings(MatchCtx *cx, const MatchRule *r, MatchRangeList *ranges,
                         MatchResults *out);
/* Shared with spans.c: whether a rule's paths: allow a file. */
bool match_paths_allow(const Rule *r, const char *path);
/* True when a rule's prefilter allows the file (the identifiers its patterns need). */
bool match_prefilter(const MatchRule *r, const RuleFormula *f, Lang lang, const char *src,
                     size_t len);

#endif
