/* formula.c: Semgrep pattern operators (pattern, patterns, pattern-either, ...,
 * focus-metavariable) and the newer match: syntax read into RuleFormula trees
 * (rule stage; the match stage evaluates them).
 *
 * Each operator says where it may appear, as Semgrep's schema does: metavariable
 * conditions and negations only inside `patterns`, pattern-inside also inside
 * `pattern-either`. An operator Semgrep has and sluice does not gets a "Not
 * supported" error, so that a rule never silently matches nothing. */
#include "rule/rule_internal.h"

#include <stdlib.h>
#include <string.h>

/* Where an operator may appear. */
enum {
    IN_TOP = 1,      /* a rule's formula, a taint spec, a metavariable-pattern body */
    IN_AND = 2,      /* an item of patterns */
    IN_OR = 4,       /* an item of pattern-either */
    IN_NESTED = 8,   /* the mapping under pattern-not, pattern-inside, pattern-not-inside */
};

/* Flags passed down to an operator's reader. */
enum {
    F_IMPLICIT_POSITIVE = 1,   /* a metavariable-pattern body: Semgrep adds `pattern: ...`,
                                  so its patterns may hold only negative terms */
};

typedef RuleFormula *(*OpReader)(Loader *ld, yaml_node_t *value, unsigned flags);

typedef struct Operator {
    const char *key;
    OpReader read;             /* NULL: Semgrep has it, sluice does not yet */
    unsigned where;
} Operator;

/* ---------------------------------------------------------------- helpers */

static RuleFormula *node_new(Loader *ld, RuleFormulaKind kind, const yaml_node_t *at)
{
    RuleFormula *f = arena_alloc(&ld->set->arena, sizeof *f);
    RulePos p = rule_yaml_pos(at);
    f->kind = kind;
    f->line = p.line;
    f->col = p.col;
    return f;
}

static void set_kids(Loader *ld, RuleFormula *f, RuleFormula **kids, size_t n)
{
    f->kids = rule_arena_copy(ld->set, kids, n * sizeof *kids);
    f->nkids = n;
}

static RuleFormula *wrap(Loader *ld, RuleFormulaKind kind, const yaml_node_t *at, RuleFormula *kid)
{
    RuleFormula *f = node_new(ld, kind, at);
    set_kids(ld, f, &kid, 1);
    return f;
}

/* A negation of an inside or of a regex is its own operator in Semgrep; reading
 * `not: {inside: X}` and `pattern-not: {pattern-inside: X}` that way keeps one
 * shape for one meaning. */
static RuleFormula *negate(Loader *ld, const yaml_node_t *at, RuleFormula *kid)
{
    if (kid->kind == RULE_F_INSIDE) {
        kid->kind = RULE_F_NOT_INSIDE;
        return kid;
    }
    if (kid->kind == RULE_F_REGEX) {
        kid->kind = RULE_F_NOT_REGEX;
        return kid;
    }
    return wrap(ld, RULE_F_NOT, at, kid);
}

static bool is_positive(const RuleFormula *f)
{
    return f->kind == RULE_F_PATTERN || f->kind == RULE_F_PATTERNS || f->kind == RULE_F_EITHER ||
           f->kind == RULE_F_INSIDE || f->kind == RULE_F_REGEX;
}

/* Semgrep rejects a conjunction without a positive term: it could only ever match
 * nothing. */
static bool check_positive(Loader *ld, const yaml_node_t *at, RuleFormula **kids, size_t n,
                           const char *op)
{
    for (size_t i = 0; i < n; i++)
        if (is_positive(kids[i])) return true;
    rule_error(ld, RULE_DIAG_INVALID, at, "%s has no positive term (pattern, pattern-inside, "
               "pattern-regex, pattern-either or patterns), so it can never match", op);
    return false;
}

/* $X, $...X, $_ and $1 (a regex capture group). */
bool rule_is_metavar(const char *s)
{
    if (!s || s[0] != '$') return false;
    s++;
    if (*s >= '0' && *s <= '9') {
        while (*s >= '0' && *s <= '9') s++;
        return !*s;
    }
    if (!strncmp(s, "...", 3)) s += 3;
    if (!((*s >= 'A' && *s <= 'Z') || *s == '_')) return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

static const char *metavar(Loader *ld, yaml_node_t *n, const char *what)
{
    const char *s = rule_yaml_string(ld, n, what);
    if (s && !rule_is_metavar(s)) {
        rule_error(ld, RULE_DIAG_INVALID, n, "%s '%s' is not a metavariable ($X, $...X or $1)",
                   what, s);
        return NULL;
    }
    return s;
}

static yaml_node_t *required(Loader *ld, yaml_node_t *map, const char *key, const char *op)
{
    yaml_node_t *v = rule_yaml_get(ld, map, key);
    if (!v) rule_error(ld, RULE_DIAG_INVALID, map, "%s needs a '%s' key", op, key);
    return v;
}

/* Warns about keys of a mapping outside `known`. */
static void warn_unknown(Loader *ld, yaml_node_t *map, const char *const *known, const char *op)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        bool ok = false;
        for (size_t i = 0; key && known[i]; i++) ok |= !strcmp(known[i], key);
        if (!ok) rule_warn(ld, k, "unknown key '%s' in %s", key ? key : "(not a string)", op);
    }
}

/* ---------------------------------------------------------------- leaves */

static RuleFormula *text_node(Loader *ld, yaml_node_t *v, RuleFormulaKind kind, const char *op)
{
    const char *s = rule_yaml_string(ld, v, op);
    if (!s) return NULL;
    if (!*s) {
        rule_error(ld, RULE_DIAG_INVALID, v, "%s is empty", op);
        return NULL;
    }
    RuleFormula *f = node_new(ld, kind, v);
    RulePos p = rule_yaml_text_pos(ld, v);
    f->line = p.line;
    f->col = p.col;
    f->text = s;
    return f;
}

static RuleFormula *read_pattern(Loader *ld, yaml_node_t *v, unsigned flags)
{
    return text_node(ld, v, RULE_F_PATTERN, "pattern");
}

static RuleFormula *regex_node(Loader *ld, yaml_node_t *v, RuleFormulaKind kind, const char *op)
{
    RuleFormula *f = text_node(ld, v, kind, op);
    if (!f) return NULL;
    f->re = rule_regex_compile(ld, v, f->text, v->data.scalar.length, false, op);
    return f->re ? f : NULL;
}

static RuleFormula *read_regex(Loader *ld, yaml_node_t *v, unsigned flags)
{
    return regex_node(ld, v, RULE_F_REGEX, "pattern-regex");
}

static RuleFormula *read_not_regex(Loader *ld, yaml_node_t *v, unsigned flags)
{
    return regex_node(ld, v, RULE_F_NOT_REGEX, "pattern-not-regex");
}

/* ---------------------------------------------------------------- items */

static RuleFormula *read_item(Loader *ld, yaml_node_t *item, unsigned where, const char *ctx);
static RuleFormula *positive(Loader *ld, yaml_node_t *map, const char *const *extra,
                             const char *ctx, unsigned flags);

static RuleFormula *read_list(Loader *ld, yaml_node_t *v, RuleFormulaKind kind, unsigned where,
                              const char *op, unsigned flags)
{
    if (!v || v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top) {
        rule_error(ld, RULE_DIAG_INVALID, v, "%s must be a non-empty list", op);
        return NULL;
    }
    VEC(RuleFormula *) kids = {0};
    bool ok = true;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        RuleFormula *k = read_item(ld, rule_yaml_node(ld, *it), where, op);
        if (k) VEC_PUSH(kids, k);
        ok &= k != NULL;
    }
    if (ok && kind == RULE_F_PATTERNS && !(flags & F_IMPLICIT_POSITIVE))
        ok = check_positive(ld, v, kids.v, kids.n, op);
    RuleFormula *f = NULL;
    if (ok) {
        f = node_new(ld, kind, v);
        set_kids(ld, f, kids.v, kids.n);
    }
    VEC_FREE(kids);
    return f;
}

static RuleFormula *read_patterns(Loader *ld, yaml_node_t *v, unsigned flags)
{
    return read_list(ld, v, RULE_F_PATTERNS, IN_AND, "patterns", flags);
}

static RuleFormula *read_either(Loader *ld, yaml_node_t *v, unsigned flags)
{
    return read_list(ld, v, RULE_F_EITHER, IN_OR, "pattern-either", flags);
}

/* pattern-not, pattern-inside, pattern-not-inside: a pattern, or a formula. */
static RuleFormula *read_nested(Loader *ld, yaml_node_t *v, const char *op)
{
    if (rule_yaml_is_scalar(v)) return text_node(ld, v, RULE_F_PATTERN, op);
    if (v && v->type == YAML_MAPPING_NODE) return read_item(ld, v, IN_NESTED, op);
    rule_error(ld, RULE_DIAG_INVALID, v, "%s must be a pattern or a formula", op);
    return NULL;
}

static RuleFormula *read_not(Loader *ld, yaml_node_t *v, unsigned flags)
{
    RuleFormula *k = read_nested(ld, v, "pattern-not");
    return k ? negate(ld, v, k) : NULL;
}

static RuleFormula *read_inside(Loader *ld, yaml_node_t *v, unsigned flags)
{
    RuleFormula *k = read_nested(ld, v, "pattern-inside");
    return k ? wrap(ld, RULE_F_INSIDE, v, k) : NULL;
}

static RuleFormula *read_not_inside(Loader *ld, yaml_node_t *v, unsigned flags)
{
    RuleFormula *k = read_nested(ld, v, "pattern-not-inside");
    return k ? wrap(ld, RULE_F_NOT_INSIDE, v, k) : NULL;
}

/* ---------------------------------------------------------------- metavariables */

static bool is_mapping(Loader *ld, yaml_node_t *v, const char *op)
{
    if (v && v->type == YAML_MAPPING_NODE) return true;
    rule_error(ld, RULE_DIAG_INVALID, v, "%s must be a mapping", op);
    return false;
}

static RuleFormula *mv_regex(Loader *ld, yaml_node_t *v, yaml_node_t *mv, yaml_node_t *re,
                             const char *op)
{
    RuleFormula *f = node_new(ld, RULE_F_METAVAR_REGEX, v);
    f->metavar = metavar(ld, mv, "metavariable");
    f->text = rule_yaml_string(ld, re, "regex");
    if (!f->metavar || !f->text) return NULL;
    yaml_node_t *cp = rule_yaml_get(ld, v, "constant-propagation");
    if (cp && !rule_yaml_bool(ld, cp, "constant-propagation", &f->constant_propagation)) return NULL;
    /* "Regex matching is left anchored" (Semgrep rule-syntax, metavariable-regex). */
    f->re = rule_regex_compile(ld, re, f->text, re->data.scalar.length, true, op);
    return f->re ? f : NULL;
}

static RuleFormula *read_mv_regex(Loader *ld, yaml_node_t *v, unsigned flags)
{
    static const char *const known[] = {"metavariable", "regex", "constant-propagation", NULL};
    const char *op = "metavariable-regex";
    if (!is_mapping(ld, v, op)) return NULL;
    warn_unknown(ld, v, known, op);
    yaml_node_t *mv = required(ld, v, "metavariable", op), *re = required(ld, v, "regex", op);
    return mv && re ? mv_regex(ld, v, mv, re, op) : NULL;
}

/* The language of a metavariable-pattern body: one sluice parses, or regex. */
static bool mv_language(Loader *ld, yaml_node_t *lang, RuleFormula *f)
{
    f->language = rule_yaml_string(ld, lang, "language");
    if (!f->language) return false;
    if (!strcmp(f->language, "regex")) return true;
    bool known;
    f->lang = rule_lang_from_name(f->language, &known);
    if (f->lang != LANG_NONE) return true;
    rule_error(ld, known ? RULE_DIAG_UNSUPPORTED : RULE_DIAG_INVALID, lang,
               known ? "metavariable-pattern language '%s' is not supported by sluice yet"
                     : "metavariable-pattern language '%s' is not a language Semgrep knows",
               f->language);
    return false;
}

static RuleFormula *read_mv_pattern(Loader *ld, yaml_node_t *v, unsigned flags)
{
    static const char *const extra[] = {"metavariable", "language", NULL};
    const char *op = "metavariable-pattern";
    if (!is_mapping(ld, v, op)) return NULL;
    yaml_node_t *mv = required(ld, v, "metavariable", op), *lang = rule_yaml_get(ld, v, "language");
    if (!mv) return NULL;
    RuleFormula *f = node_new(ld, RULE_F_METAVAR_PATTERN, v);
    f->metavar = metavar(ld, mv, "metavariable");
    if (!f->metavar || (lang && !mv_language(ld, lang, f))) return NULL;
    RuleFormula *body = positive(ld, v, extra, op, F_IMPLICIT_POSITIVE);
    if (!body) return NULL;
    set_kids(ld, f, &body, 1);
    return f;
}

static RuleFormula *mv_comparison(Loader *ld, yaml_node_t *v, yaml_node_t *cmp, const char *op)
{
    RuleFormula *f = node_new(ld, RULE_F_METAVAR_COMPARISON, v);
    yaml_node_t *mv = rule_yaml_get(ld, v, "metavariable"), *base = rule_yaml_get(ld, v, "base"),
                *strip = rule_yaml_get(ld, v, "strip");
    RulePos p = rule_yaml_text_pos(ld, cmp);
    f->text = rule_yaml_string(ld, cmp, "comparison");
    if (!f->text) return NULL;
    f->line = p.line, f->col = p.col;
    if (mv && !(f->metavar = metavar(ld, mv, "metavariable"))) return NULL;
    if (strip && !rule_yaml_bool(ld, strip, "strip", &f->strip)) return NULL;
    if (base) {
        const char *b = rule_yaml_scalar(base);
        char *end = NULL;
        long n = b ? strtol(b, &end, 10) : 0;
        if (!b || *end || n < 2 || n > 36) {
            rule_error(ld, RULE_DIAG_INVALID, base, "base must be an integer from 2 to 36");
            return NULL;
        }
        f->base = (int)n;
    }
    /* "The metavariable field is now optional, except if strip: true" (Semgrep 0.106). */
    if (f->strip && !f->metavar) {
        rule_error(ld, RULE_DIAG_INVALID, v, "%s with strip: true needs a metavariable", op);
        return NULL;
    }
    return f;
}

static RuleFormula *read_mv_comparison(Loader *ld, yaml_node_t *v, unsigned flags)
{
    static const char *const known[] = {"metavariable", "comparison", "base", "strip", NULL};
    const char *op = "metavariable-comparison";
    if (!is_mapping(ld, v, op)) return NULL;
    warn_unknown(ld, v, known, op);
    yaml_node_t *cmp = required(ld, v, "comparison", op);
    return cmp ? mv_comparison(ld, v, cmp, op) : NULL;
}

/* focus-metavariable: $X, or a list (Semgrep: a list focuses on the union). */
static RuleFormula *read_focus(Loader *ld, yaml_node_t *v, unsigned flags)
{
    RuleFormula *f = node_new(ld, RULE_F_FOCUS, v);
    VEC(const char *) mvs = {0};
    bool ok = true;
    if (v && v->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
            const char *m = metavar(ld, rule_yaml_node(ld, *it), "focus-metavariable");
            if (m) VEC_PUSH(mvs, m);
            ok &= m != NULL;
        }
    } else {
        const char *m = metavar(ld, v, "focus-metavariable");
        if (m) VEC_PUSH(mvs, m);
        ok = m != NULL;
    }
    if (ok && mvs.n == 0) {
        rule_error(ld, RULE_DIAG_INVALID, v, "focus-metavariable names no metavariable");
        ok = false;
    }
    f->metavars = rule_arena_copy(ld->set, mvs.v, mvs.n * sizeof *mvs.v);
    f->nmetavars = mvs.n;
    VEC_FREE(mvs);
    return ok ? f : NULL;
}

/* ---------------------------------------------------------------- operators */

#define POSITIVE (IN_TOP | IN_AND | IN_OR | IN_NESTED)

static const Operator operators[] = {
    {"pattern", read_pattern, POSITIVE},
    {"patterns", read_patterns, POSITIVE},
    {"pattern-either", read_either, POSITIVE},
    {"pattern-regex", read_regex, POSITIVE},
    {"pattern-inside", read_inside, IN_AND | IN_OR | IN_NESTED},
    {"pattern-not", read_not, IN_AND | IN_NESTED},
    {"pattern-not-inside", read_not_inside, IN_AND | IN_NESTED},
    {"pattern-not-regex", read_not_regex, IN_AND},
    {"metavariable-regex", read_mv_regex, IN_AND},
    {"metavariable-pattern", read_mv_pattern, IN_AND},
    {"metavariable-comparison", read_mv_comparison, IN_AND},
    {"focus-metavariable", read_focus, IN_AND},
    /* Semgrep's, not sluice's (yet): */
    {"metavariable-analysis", NULL, IN_AND},
    {"metavariable-type", NULL, IN_AND},
    {"metavariable-name", NULL, IN_AND},
    {"pattern-where-python", NULL, IN_AND},
    {"r2c-internal-patterns-from", NULL, IN_AND},
};

static const Operator *find_operator(const char *key)
{
    for (size_t i = 0; key && i < sizeof operators / sizeof *operators; i++)
        if (!strcmp(operators[i].key, key)) return &operators[i];
    return NULL;
}

static const char *where_name(unsigned where)
{
    switch (where) {
    case IN_AND: return "an item of patterns";
    case IN_OR: return "an item of pattern-either";
    case IN_NESTED: return "pattern-not / pattern-inside";
    default: return "the top of a formula (put it in a patterns: list)";
    }
}

/* Finds the one operator key of a mapping; other keys must be in `extra` (they
 * belong to the caller) or get a warning. */
static yaml_node_pair_t *find_op_pair(Loader *ld, yaml_node_t *map, const char *const *extra,
                                      const char *ctx)
{
    yaml_node_pair_t *found = NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        bool is_extra = false;
        for (size_t i = 0; key && extra && extra[i]; i++) is_extra |= !strcmp(extra[i], key);
        if (is_extra) continue;
        if (!find_operator(key)) {
            rule_warn(ld, k, "unknown key '%s' in %s", key ? key : "(not a string)", ctx);
            continue;
        }
        if (found) {
            rule_error(ld, RULE_DIAG_INVALID, k, "only one operator per item: '%s' and '%s'",
                       rule_yaml_scalar(rule_yaml_node(ld, found->key)), key);
            return NULL;
        }
        found = p;
    }
    if (!found)
        rule_error(ld, RULE_DIAG_INVALID, map, "%s has no pattern operator (pattern, patterns, "
                   "pattern-either, pattern-regex, ...)", ctx);
    return found;
}

static RuleFormula *read_op(Loader *ld, yaml_node_t *keynode, yaml_node_t *value, unsigned where,
                            unsigned flags)
{
    const char *key = rule_yaml_scalar(keynode);
    const Operator *op = find_operator(key);
    if (!op->read) {
        rule_error(ld, RULE_DIAG_UNSUPPORTED, keynode, "%s is not supported by sluice yet", key);
        return NULL;
    }
    if (!(op->where & where)) {
        rule_error(ld, RULE_DIAG_INVALID, keynode, "%s is not allowed in %s%s", key,
                   where_name(where), op->where == IN_AND ? " (only in patterns)" : "");
        return NULL;
    }
    if (!rule_yaml_enter(ld, value)) return NULL;
    RuleFormula *f = op->read(ld, value, flags);
    rule_yaml_leave(ld);
    return f;
}

static RuleFormula *read_item(Loader *ld, yaml_node_t *item, unsigned where, const char *ctx)
{
    if (!item || item->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, item, "an item of %s must be a mapping such as "
                   "'pattern: ...'", ctx);
        return NULL;
    }
    if (!rule_yaml_enter(ld, item)) return NULL;
    yaml_node_pair_t *p = find_op_pair(ld, item, NULL, ctx);
    RuleFormula *f = p ? read_op(ld, rule_yaml_node(ld, p->key), rule_yaml_node(ld, p->value),
                                 where, 0) : NULL;
    rule_yaml_leave(ld);
    return f;
}

/* The formula of a mapping that holds one positive operator beside keys of its
 * own (`extra`): a taint spec, a metavariable-pattern. */
static RuleFormula *positive(Loader *ld, yaml_node_t *map, const char *const *extra,
                             const char *ctx, unsigned flags)
{
    yaml_node_pair_t *p = find_op_pair(ld, map, extra, ctx);
    if (!p) return NULL;
    return read_op(ld, rule_yaml_node(ld, p->key), rule_yaml_node(ld, p->value), IN_TOP, flags);
}

RuleFormula *rule_formula_positive(Loader *ld, yaml_node_t *map, const char *const *extra,
                                   const char *ctx)
{
    return positive(ld, map, extra, ctx, 0);
}

/* A search rule's formula: exactly one of pattern, patterns, pattern-either,
 * pattern-regex at the top of the rule, or match: in the newer syntax. */
RuleFormula *rule_formula_top(Loader *ld, yaml_node_t *rule)
{
    static const char *const tops[] = {"pattern", "patterns", "pattern-either", "pattern-regex",
                                       "match", NULL};
    yaml_node_t *key = NULL, *value = NULL;
    for (yaml_node_pair_t *p = rule->data.mapping.pairs.start; p < rule->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *s = rule_yaml_scalar(k);
        bool top = false;
        for (size_t i = 0; s && tops[i]; i++) top |= !strcmp(s, tops[i]);
        if (!top) continue;
        if (key) {
            rule_error(ld, RULE_DIAG_INVALID, k, "a rule has one formula: both '%s' and '%s'",
                       rule_yaml_scalar(key), s);
            return NULL;
        }
        key = k, value = rule_yaml_node(ld, p->value);
    }
    if (!key) {
        rule_error(ld, RULE_DIAG_INVALID, rule, "missing a formula: one of pattern, patterns, "
                   "pattern-either, pattern-regex (or match:)");
        return NULL;
    }
    if (!strcmp(rule_yaml_scalar(key), "match")) return rule_formula_new_syntax(ld, value);
    return read_op(ld, key, value, IN_TOP, 0);
}

/* ---------------------------------------------------------------- language checks */

static void formula_error(Loader *ld, const RuleFormula *f, const char *fmt, const char *arg)
{
    diag_add(ld->diags, DIAG_ERROR, RULE_DIAG_INVALID, ld->path, f->line, f->col, ld->rule_id,
             fmt, arg);
    ld->failed = true;
}

/* With languages: [regex] (or a metavariable-pattern in language regex) there is
 * no parser for a code pattern, so only regex operators can mean anything. */
void rule_formula_check_lang(Loader *ld, const RuleFormula *f, bool regex_only)
{
    if (!f) return;
    if (f->kind == RULE_F_PATTERN && regex_only) {
        formula_error(ld, f, "pattern '%s' needs a programming language: with language regex "
                      "only pattern-regex and the metavariable operators apply", f->text);
        return;
    }
    if (f->kind == RULE_F_METAVAR_PATTERN && f->language)
        regex_only = f->lang == LANG_NONE;
    for (size_t i = 0; i < f->nkids; i++) rule_formula_check_lang(ld, f->kids[i], regex_only);
}

/* ---------------------------------------------------------------- newer syntax */

/* Semgrep's experimental syntax: a string is a pattern; a mapping has one of
 * pattern, regex, all, any, not, inside, and may add `where:` conditions, which
 * are the metavariable operators and focus of the older syntax. */

static RuleFormula *new_pattern(Loader *ld, yaml_node_t *n);

static RuleFormula *new_list(Loader *ld, yaml_node_t *v, RuleFormulaKind kind, const char *op)
{
    if (!v || v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top) {
        rule_error(ld, RULE_DIAG_INVALID, v, "%s must be a non-empty list", op);
        return NULL;
    }
    VEC(RuleFormula *) kids = {0};
    bool ok = true;
    for (yaml_node_item_t *it = v->data.sequence.items.start; ok && it < v->data.sequence.items.top; it++) {
        RuleFormula *k = new_pattern(ld, rule_yaml_node(ld, *it));
        if (k) VEC_PUSH(kids, k);
        ok = k != NULL;
    }
    if (ok && kind == RULE_F_PATTERNS) ok = check_positive(ld, v, kids.v, kids.n, op);
    RuleFormula *f = NULL;
    if (ok) {
        f = node_new(ld, kind, v);
        set_kids(ld, f, kids.v, kids.n);
    }
    VEC_FREE(kids);
    return f;
}

static RuleFormula *new_operator(Loader *ld, const char *key, yaml_node_t *v)
{
    if (!strcmp(key, "pattern")) return text_node(ld, v, RULE_F_PATTERN, "pattern");
    if (!strcmp(key, "regex")) return regex_node(ld, v, RULE_F_REGEX, "regex");
    if (!strcmp(key, "all")) return new_list(ld, v, RULE_F_PATTERNS, "all");
    if (!strcmp(key, "any")) return new_list(ld, v, RULE_F_EITHER, "any");
    RuleFormula *k = new_pattern(ld, v);
    if (!k) return NULL;
    return !strcmp(key, "not") ? negate(ld, v, k) : wrap(ld, RULE_F_INSIDE, v, k);
}

static bool is_new_operator(const char *key)
{
    static const char *const ops[] = {"pattern", "regex", "all", "any", "not", "inside", NULL};
    for (size_t i = 0; key && ops[i]; i++)
        if (!strcmp(ops[i], key)) return true;
    return false;
}

static RuleFormula *new_where(Loader *ld, yaml_node_t *where, RuleFormula *base);

/* The formula of a mapping, ignoring the keys in `skip` (a where-condition's
 * metavariable and language, a taint spec's options). */
static RuleFormula *new_mapping(Loader *ld, yaml_node_t *map, const char *const *skip)
{
    yaml_node_t *opkey = NULL, *opval = NULL, *where = NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        bool skipped = false;
        for (size_t i = 0; key && skip && skip[i]; i++) skipped |= !strcmp(skip[i], key);
        if (skipped) continue;
        if (key && !strcmp(key, "where")) {
            where = rule_yaml_node(ld, p->value);
        } else if (key && !strcmp(key, "as")) {
            rule_error(ld, RULE_DIAG_UNSUPPORTED, k, "as: is not supported by sluice yet");
            return NULL;
        } else if (!is_new_operator(key)) {
            rule_warn(ld, k, "unknown key '%s' in a pattern", key ? key : "(not a string)");
        } else if (opkey) {
            rule_error(ld, RULE_DIAG_INVALID, k, "only one operator per pattern: '%s' and '%s'",
                       rule_yaml_scalar(opkey), key);
            return NULL;
        } else {
            opkey = k, opval = rule_yaml_node(ld, p->value);
        }
    }
    if (!opkey) {
        rule_error(ld, RULE_DIAG_INVALID, map, "a pattern needs one of pattern, regex, all, any, "
                   "not, inside");
        return NULL;
    }
    RuleFormula *f = new_operator(ld, rule_yaml_scalar(opkey), opval);
    return f && where ? new_where(ld, where, f) : f;
}

static RuleFormula *new_pattern(Loader *ld, yaml_node_t *n)
{
    if (!rule_yaml_enter(ld, n)) return NULL;
    RuleFormula *f = NULL;
    if (rule_yaml_is_scalar(n)) f = text_node(ld, n, RULE_F_PATTERN, "pattern");
    else if (n && n->type == YAML_MAPPING_NODE) f = new_mapping(ld, n, NULL);
    else rule_error(ld, RULE_DIAG_INVALID, n, "a pattern must be a string or a mapping");
    rule_yaml_leave(ld);
    return f;
}

/* where: - metavariable: $X with regex:, or with a pattern (and maybe language:) */
static RuleFormula *new_metavariable(Loader *ld, yaml_node_t *c, yaml_node_t *mv)
{
    static const char *const skip[] = {"metavariable", "language", NULL};
    static const char *const unsupported[] = {"type", "types", "analyzer", "name", NULL};
    for (size_t i = 0; unsupported[i]; i++)
        if (rule_yaml_get(ld, c, unsupported[i])) {
            rule_error(ld, RULE_DIAG_UNSUPPORTED, c, "metavariable with %s: is not supported by "
                       "sluice yet", unsupported[i]);
            return NULL;
        }
    yaml_node_t *re = rule_yaml_get(ld, c, "regex");
    if (re) return mv_regex(ld, c, mv, re, "metavariable regex");
    RuleFormula *f = node_new(ld, RULE_F_METAVAR_PATTERN, c);
    yaml_node_t *lang = rule_yaml_get(ld, c, "language");
    f->metavar = metavar(ld, mv, "metavariable");
    if (!f->metavar || (lang && !mv_language(ld, lang, f))) return NULL;
    RuleFormula *body = new_mapping(ld, c, skip);
    if (!body) return NULL;
    set_kids(ld, f, &body, 1);
    return f;
}

static RuleFormula *new_condition(Loader *ld, yaml_node_t *c)
{
    if (!c || c->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, c, "a where: condition must be a mapping");
        return NULL;
    }
    yaml_node_t *v;
    if ((v = rule_yaml_get(ld, c, "focus"))) return read_focus(ld, v, 0);
    if ((v = rule_yaml_get(ld, c, "comparison"))) return mv_comparison(ld, c, v, "comparison");
    if ((v = rule_yaml_get(ld, c, "metavariable"))) return new_metavariable(ld, c, v);
    rule_error(ld, RULE_DIAG_INVALID, c, "a where: condition needs focus, comparison or "
               "metavariable");
    return NULL;
}

/* The conditions join the base as the metavariable operators of an older-syntax
 * `patterns`, which is what Semgrep's docs translate them to. */
static RuleFormula *new_where(Loader *ld, yaml_node_t *where, RuleFormula *base)
{
    if (!where || where->type != YAML_SEQUENCE_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, where, "where: must be a list of conditions");
        return NULL;
    }
    VEC(RuleFormula *) kids = {0};
    if (base->kind == RULE_F_PATTERNS)
        for (size_t i = 0; i < base->nkids; i++) VEC_PUSH(kids, base->kids[i]);
    else
        VEC_PUSH(kids, base);
    bool ok = true;
    for (yaml_node_item_t *it = where->data.sequence.items.start; ok && it < where->data.sequence.items.top; it++) {
        yaml_node_t *c = rule_yaml_node(ld, *it);
        if (!rule_yaml_enter(ld, c)) {
            ok = false;
            break;
        }
        RuleFormula *k = new_condition(ld, c);
        rule_yaml_leave(ld);
        if (k) VEC_PUSH(kids, k);
        ok = k != NULL;
    }
    RuleFormula *f = NULL;
    if (ok) {
        f = node_new(ld, RULE_F_PATTERNS, where);
        f->line = base->line, f->col = base->col;
        set_kids(ld, f, kids.v, kids.n);
    }
    VEC_FREE(kids);
    return f;
}

RuleFormula *rule_formula_new_syntax(Loader *ld, yaml_node_t *n)
{
    return new_pattern(ld, n);
}

/* A taint spec in the newer syntax: a pattern whose mapping also holds the spec's
 * options, which the caller reads. */
RuleFormula *rule_formula_new_spec(Loader *ld, yaml_node_t *n, const char *const *options)
{
    if (n && n->type == YAML_MAPPING_NODE) {
        if (!rule_yaml_enter(ld, n)) return NULL;
        RuleFormula *f = new_mapping(ld, n, options);
        rule_yaml_leave(ld);
        return f;
    }
    return new_pattern(ld, n);
}
