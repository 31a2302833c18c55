/* rule.h: Semgrep-format rules loaded from YAML into formula trees (rule stage; the
 * match and taint stages read what it builds).
 *
 * A RuleSet owns every rule it holds and everything a rule points to: strings and
 * formula nodes live in the set's arena, compiled regexes are freed with the set.
 * Nothing is shared between sets and nothing is global, so sets may be loaded on
 * different threads; a loaded set is read-only and may be read from many threads.
 *
 * Loading never stops at a bad rule: each problem becomes a Diag (path, line,
 * column, rule id) and the bad rule is left out while the others load. Whether a
 * problem is fatal (--strict) is for the caller to decide from the diags. */
#ifndef SLUICE_RULE_H
#define SLUICE_RULE_H

#include "base/base.h"
#include "lang/lang.h"

/* pcre2_code with PCRE2_CODE_UNIT_WIDTH 8; include <pcre2.h> to use it. */
struct pcre2_real_code_8;

/* The Diag types the loader reports, so that callers can tell them apart. */
#define RULE_DIAG_PARSE       "Rule parse error"  /* not YAML, or not a rules file */
#define RULE_DIAG_INVALID     "Invalid rule"      /* breaks Semgrep's rule schema */
#define RULE_DIAG_REGEX       "Invalid regex"     /* a regex PCRE2 does not compile */
#define RULE_DIAG_UNSUPPORTED "Not supported"     /* valid Semgrep, not in sluice yet */
#define RULE_DIAG_WARNING     "Rule warning"      /* DIAG_WARN: unknown key, ignored field */

/* ---------------------------------------------------------------- formulas */

typedef enum RuleFormulaKind {
    RULE_F_PATTERN,          /* pattern: text */
    RULE_F_PATTERNS,         /* patterns (and): kids */
    RULE_F_EITHER,           /* pattern-either (or): kids */
    RULE_F_NOT,              /* pattern-not: kids[0] */
    RULE_F_INSIDE,           /* pattern-inside: kids[0] */
    RULE_F_NOT_INSIDE,       /* pattern-not-inside: kids[0] */
    RULE_F_REGEX,            /* pattern-regex: text, re */
    RULE_F_NOT_REGEX,        /* pattern-not-regex: text, re */
    RULE_F_METAVAR_REGEX,    /* metavariable-regex: metavar, text, re, constant_propagation */
    RULE_F_METAVAR_PATTERN,  /* metavariable-pattern: metavar, language/lang, kids[0] */
    RULE_F_METAVAR_COMPARISON, /* metavariable-comparison: metavar (may be NULL), text
                                  (the expression), base, strip */
    RULE_F_FOCUS,            /* focus-metavariable: metavars (a list means their union) */
} RuleFormulaKind;

/* One node of a rule's formula. Which fields mean something depends on the kind,
 * as written beside each kind above; the others are zero. Semgrep's newer syntax
 * (match: all/any/not/inside/regex/where) is read into the same nodes. */
typedef struct RuleFormula RuleFormula;
struct RuleFormula {
    RuleFormulaKind kind;
    int line, col;             /* 1-based: where the operator's value starts in the
                                  YAML; for a pattern or regex, its first character */
    const char *text;          /* pattern, regex or comparison, as written */
    const char *metavar;       /* "$X" for the METAVAR_ kinds */
    struct pcre2_real_code_8 *re;  /* compiled text for the REGEX kinds (JIT when available) */
    RuleFormula **kids;
    size_t nkids;
    const char *language;      /* METAVAR_PATTERN: language: as written, or NULL */
    Lang lang;                 /* ...and as a Lang; LANG_NONE when absent or regex */
    bool constant_propagation; /* METAVAR_REGEX: match the constant value (default false) */
    int base;                  /* METAVAR_COMPARISON: integer base, 0 when absent */
    bool strip;                /* METAVAR_COMPARISON: strip quotes first (default false) */
    const char **metavars;     /* FOCUS */
    size_t nmetavars;
};

/* ---------------------------------------------------------------- taint */

typedef enum RuleSideEffect {
    RULE_SE_NO,      /* only the matched occurrence is tainted / sanitized */
    RULE_SE_YES,     /* the matched l-value is, from there on, and so is the occurrence */
    RULE_SE_ONLY,    /* the l-value from there on, not the occurrence itself */
} RuleSideEffect;

/* sluice's guard key on a sink (docs/taint.md): which checks of a tainted value,
 * in a condition that controls the sink, make it safe there. */
typedef enum RuleGuard {
    RULE_GUARD_NONE,     /* no check counts (Semgrep's meaning; the default) */
    RULE_GUARD_ANY,      /* any comparison of the value */
    RULE_GUARD_UPPER,    /* an upper bound: x < e, x <= e, x == e (sizes, lengths) */
    RULE_GUARD_LOWER,    /* a lower bound: x > e, x >= e, x == e */
    RULE_GUARD_BOUNDED,  /* both bounds (array indexes) */
} RuleGuard;

/* sluice's entry-points source (docs/taint.md): the spec's formula matches table
 * declarations; the functions named in their initializers (through tables named
 * there, one level per via entry) get the listed parameters tainted. */
typedef struct RuleEntryPoints {
    const char **via;          /* per level: a column ("2") or a field name ("handler");
                                  "*" or an empty list: any element */
    size_t nvia;
    uint32_t params;           /* bit i: parameter i (0-based) is a source */
} RuleEntryPoints;

/* One entry of pattern-sources, -sinks, -sanitizers or -propagators. Defaults are
 * Semgrep's (taint-mode overview, "Sources/Sanitizers/Sinks/Propagators" option
 * tables): sources and sanitizers exact: false and by-side-effect: false; sinks
 * exact: true; propagators by-side-effect: true. */
typedef struct RuleTaintSpec {
    RuleFormula *formula;
    int line, col;
    const char *label;         /* sources: the label given; NULL = Semgrep's default label */
    const char *requires;      /* sources, sinks: label expression ("A and not B"); NULL = none */
    RuleSideEffect by_side_effect;
    bool exact;
    const char *from, *to;     /* propagators: the metavariables taint moves between */
    RuleGuard guard;           /* sinks: sluice's guard key; RULE_GUARD_NONE when absent */
    const RuleEntryPoints *entry;  /* sources: sluice's entry-points key, or NULL */
} RuleTaintSpec;

typedef struct RuleTaintSpecs {
    RuleTaintSpec *v;
    size_t n;
} RuleTaintSpecs;

/* ---------------------------------------------------------------- rules */

typedef enum RuleMode {
    RULE_MODE_SEARCH,
    RULE_MODE_TAINT,
    RULE_MODE_REACH,   /* sluice's reach mode: recognized, rejected as not supported yet */
} RuleMode;

/* Semgrep's older levels; the newer ones map onto them as Semgrep documents
 * (HIGH = ERROR, MEDIUM = WARNING, LOW = INFO) and CRITICAL counts as ERROR. */
typedef enum RuleSeverity { RULE_SEV_INFO, RULE_SEV_WARNING, RULE_SEV_ERROR } RuleSeverity;

typedef enum RuleOptionType { RULE_OPT_BOOL, RULE_OPT_INT, RULE_OPT_STRING } RuleOptionType;

/* An entry of options: as written; rule_option_bool() and friends add defaults. */
typedef struct RuleOption {
    const char *key;
    RuleOptionType type;
    bool b;
    long i;
    const char *s;
} RuleOption;

typedef struct Rule {
    const char *id;
    const char *message;
    RuleSeverity severity;
    const char *severity_name;     /* as written: "ERROR", "HIGH", ... */
    const char **languages;        /* as written */
    size_t nlanguages;
    unsigned lang_mask;            /* bit (1u << Lang) for each language sluice parses */
    bool any_language;             /* languages: [regex] or [none]: a regex-only rule
                                      that runs on every file */
    RuleMode mode;
    RuleFormula *formula;          /* search mode */
    RuleTaintSpecs sources, sinks, sanitizers, propagators;   /* taint mode */
    const char *metadata_json;     /* compact JSON with sorted keys; NULL when absent */
    const char *fix;               /* NULL when absent */
    const char **paths_include, **paths_exclude;   /* globs, as written */
    size_t npaths_include, npaths_exclude;
    RuleOption *options;
    size_t noptions;
    const char *min_version, *max_version;   /* Semgrep versions, kept, not checked */
    const char *path;              /* the rule file, "p/NAME" for a pack, "-e" */
    int line, col;                 /* where the rule's mapping starts */
} Rule;

typedef struct RuleSet RuleSet;

RuleSet *rule_set_new(void);
void rule_set_free(RuleSet *s);

size_t rule_set_count(const RuleSet *s);
const Rule *rule_set_get(const RuleSet *s, size_t i);
/* The first rule with this id, or NULL. */
const Rule *rule_set_find(const RuleSet *s, const char *id);

/* Each returns true when nothing went wrong (warnings allowed). Whatever loaded is
 * in the set either way; problems are appended to diags. */
bool rule_set_load_file(RuleSet *s, const char *path, DiagList *diags);
/* name labels diags and Rule.path; yaml need not be NUL-terminated. */
bool rule_set_load_string(RuleSet *s, const char *name, const char *yaml, size_t len,
                          DiagList *diags);
/* Every *.yml and *.yaml under dir, recursively, in sorted path order; hidden
 * entries and Semgrep's test targets (*.test.yml, *.test.yaml) are skipped. */
bool rule_set_load_dir(RuleSet *s, const char *dir, DiagList *diags);
/* A one-rule config as semgrep -e PATTERN -l LANG builds: id "-", the pattern as
 * the message, severity ERROR. lang "regex" makes it a pattern-regex rule. */
bool rule_set_add_pattern(RuleSet *s, const char *pattern, const char *lang, DiagList *diags);

/* Options with Semgrep's defaults (rule-syntax "options" table, taint-mode
 * "Minimize false positives" table) for the keys sluice knows. */
bool rule_option_bool(const Rule *r, const char *key);
long rule_option_int(const Rule *r, const char *key);
const char *rule_option_string(const Rule *r, const char *key);   /* NULL when unset */

/* Evaluates a taint label expression (requires:) with Python's not/and/or and
 * parentheses; has(ctx, label) says whether a label is present. False on a
 * syntax error, with *result untouched. */
bool rule_label_expr_eval(const char *expr, bool (*has)(void *ctx, const char *label),
                          void *ctx, bool *result);

const char *rule_severity_name(RuleSeverity sev);   /* "ERROR", "WARNING", "INFO" */

/* ---------------------------------------------------------------- packs */

/* The rule packs built in from rules/<lang>/<name>.yml. A pack is named
 * "<lang>/<name>" and also by its short name "<name>". */
size_t rule_pack_count(void);
const char *rule_pack_name(size_t i);
const char *rule_pack_short_name(size_t i);
void rule_pack_yaml(size_t i, const char **yaml, size_t *len);
/* Accepts "p/NAME" or "NAME", NAME full or short (when unique); -1 when unknown. */
int rule_pack_find(const char *name);
/* --config p/NAME: the pack NAME, or with NAME a language directory ("p/python"),
 * every pack in it. An unknown name is an error naming the packs there are. */
bool rule_set_load_pack(RuleSet *s, const char *name, DiagList *diags);

#endif
