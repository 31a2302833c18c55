/* rule_internal.h: what the files of src/rule share and nothing outside reads (rule
 * stage): the loader's context, YAML node helpers, and the embedded pack table. */
#ifndef SLUICE_RULE_INTERNAL_H
#define SLUICE_RULE_INTERNAL_H

#include "rule/rule.h"

#include <yaml.h>

/* ---------------------------------------------------------------- embedded packs */

/* Written by scripts/embed-packs into $(O)/gen/packs.c. yaml is NUL-terminated. */
typedef struct RulePackData {
    const char *name;          /* "python/supply-chain" */
    const char *short_name;    /* "supply-chain" */
    const unsigned char *yaml;
    size_t len;
} RulePackData;

extern const RulePackData rule_pack_data[];
extern const size_t rule_pack_data_count;


/* ---------------------------------------------------------------- the set */

typedef VEC(struct pcre2_real_code_8 *) RuleRegexList;

struct RuleSet {
    Arena arena;               /* every string, rule and formula node */
    VEC(Rule *) rules;
    RuleRegexList regexes;     /* compiled regexes, freed with the set */
};

/* Limits that keep a hostile rule file from costing more than a bad rule. YAML
 * aliases can make a small file a huge tree (or a cycle), so walks are bounded. */
#define RULE_MAX_DEPTH 100
#define RULE_MAX_VISITS 1000000

/* The state of loading one YAML document. */
typedef struct Loader {
    RuleSet *set;
    DiagList *diags;
    const char *path;
    const char *src;           /* the YAML text, for positions inside block scalars */
    size_t len;
    yaml_document_t *doc;
    const char *rule_id;       /* of the rule being read, for diags; NULL before id */
    bool failed;               /* the rule being read has an error: leave it out */
    int depth;                 /* nesting of the current walk */
    size_t visits;             /* nodes walked in this document */
    size_t *line_starts;       /* byte offset of each line of src, built when needed */
    size_t nlines;
} Loader;

/* A position in the YAML text, 1-based. */
typedef struct RulePos {
    int line, col;
} RulePos;

/* yaml.c: node access and diagnostics. */
yaml_node_t *rule_yaml_node(Loader *ld, int id);
bool rule_yaml_is_scalar(const yaml_node_t *n);
const char *rule_yaml_scalar(const yaml_node_t *n);       /* NULL unless a scalar */
bool rule_yaml_is_null(const yaml_node_t *n);
yaml_node_t *rule_yaml_get(Loader *ld, yaml_node_t *map, const char *key);
RulePos rule_yaml_pos(const yaml_node_t *n);
RulePos rule_yaml_text_pos(Loader *ld, const yaml_node_t *n);
RulePos rule_yaml_offset_pos(Loader *ld, const yaml_node_t *n, size_t offset);
bool rule_yaml_enter(Loader *ld, const yaml_node_t *n);   /* depth and visit budget */
void rule_yaml_leave(Loader *ld);
void rule_error(Loader *ld, const char *type, const yaml_node_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rule_warn(Loader *ld, const yaml_node_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *rule_yaml_string(Loader *ld, yaml_node_t *n, const char *what);
bool rule_yaml_bool(Loader *ld, yaml_node_t *n, const char *what, bool *out);
char *rule_yaml_to_json(Loader *ld, yaml_node_t *n);      /* heap; NULL on error */

/* regex.c */
struct pcre2_real_code_8 *rule_regex_compile(Loader *ld, yaml_node_t *at, const char *re,
                                             size_t len, bool anchored, const char *op);
struct pcre2_real_code_8 *rule_regex_compile_plain(RuleSet *s, const char *re, bool anchored,
                                                   char *err, size_t errn);
void rule_regex_free_all(RuleRegexList *l);

/* formula.c */
RuleFormula *rule_formula_top(Loader *ld, yaml_node_t *rule);    /* search mode */
RuleFormula *rule_formula_positive(Loader *ld, yaml_node_t *map, const char *const *extra,
                                   const char *where);
RuleFormula *rule_formula_new_syntax(Loader *ld, yaml_node_t *n);
RuleFormula *rule_formula_new_spec(Loader *ld, yaml_node_t *n, const char *const *options);
bool rule_is_metavar(const char *s);
void rule_formula_check_lang(Loader *ld, const RuleFormula *f, bool regex_only);

/* taint.c */
bool rule_taint_read(Loader *ld, yaml_node_t *rule, Rule *r);
bool rule_taint_read_new(Loader *ld, yaml_node_t *taint, Rule *r);

/* load.c */
Lang rule_lang_from_name(const char *name, bool *known);
void *rule_arena_copy(RuleSet *s, const void *p, size_t n);

#endif
