/* taint.c: the taint half of a rule (rule stage; the taint stage reads it):
 * pattern-sources, -sinks, -sanitizers, -propagators with their options, the newer
 * `taint:` syntax, and taint label expressions (requires:). */
#include "rule/rule_internal.h"

#include <string.h>

typedef enum Role { ROLE_SOURCE, ROLE_SINK, ROLE_SANITIZER, ROLE_PROPAGATOR } Role;

static const char *const role_keys[] = {"pattern-sources", "pattern-sinks", "pattern-sanitizers",
                                        "pattern-propagators"};
static const char *const role_new_keys[] = {"sources", "sinks", "sanitizers", "propagators"};

/* Every option a spec may carry, for whichever role; the formula reader skips them. */
static const char *const spec_options[] = {"label", "requires", "by-side-effect", "exact", "from",
                                           "to", "control", "at-exit", "not-conflicting",
                                           "replace-labels", "guard", "entry-points", NULL};

/* ---------------------------------------------------------------- label expressions */

/* requires: is a Python boolean expression over labels: not, and, or, parentheses. */
typedef struct LabelParser {
    const char *s;
    bool (*has)(void *ctx, const char *label);
    void *ctx;
    int depth;
    bool error;
} LabelParser;

#define LABEL_MAX 128
#define LABEL_MAX_DEPTH 64

static bool label_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

static void skip_space(LabelParser *p)
{
    while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r') p->s++;
}

/* Reads an identifier into buf without consuming it; false when there is none. */
static bool peek_word(LabelParser *p, char *buf, size_t *n)
{
    skip_space(p);
    size_t i = 0;
    if (!label_char(p->s[0], true)) return false;
    while (label_char(p->s[i], false)) {
        if (i + 1 >= LABEL_MAX) return false;
        buf[i] = p->s[i];
        i++;
    }
    buf[i] = '\0';
    *n = i;
    return true;
}

static bool accept_word(LabelParser *p, const char *w)
{
    char buf[LABEL_MAX];
    size_t n;
    if (!peek_word(p, buf, &n) || strcmp(buf, w)) return false;
    p->s += n;
    return true;
}

static bool parse_or(LabelParser *p);

static bool parse_atom(LabelParser *p)
{
    char buf[LABEL_MAX];
    size_t n;
    skip_space(p);
    if (*p->s == '(') {
        p->s++;
        bool v = parse_or(p);
        skip_space(p);
        if (*p->s != ')') p->error = true;
        else p->s++;
        return v;
    }
    if (!peek_word(p, buf, &n) || !strcmp(buf, "and") || !strcmp(buf, "or") || !strcmp(buf, "not")) {
        p->error = true;
        return false;
    }
    p->s += n;
    return p->has(p->ctx, buf);
}

static bool parse_not(LabelParser *p)
{
    if (++p->depth > LABEL_MAX_DEPTH) {
        p->error = true;
        return false;
    }
    bool v = accept_word(p, "not") ? !parse_not(p) : parse_atom(p);
    p->depth--;
    return v;
}

static bool parse_and(LabelParser *p)
{
    bool v = parse_not(p);
    while (!p->error && accept_word(p, "and")) v = parse_not(p) && v;
    return v;
}

static bool parse_or(LabelParser *p)
{
    if (++p->depth > LABEL_MAX_DEPTH) {
        p->error = true;
        return false;
    }
    bool v = parse_and(p);
    while (!p->error && accept_word(p, "or")) v = parse_and(p) || v;
    p->depth--;
    return v;
}

bool rule_label_expr_eval(const char *expr, bool (*has)(void *ctx, const char *label),
                          void *ctx, bool *result)
{
    LabelParser p = {.s = expr, .has = has, .ctx = ctx};
    bool v = parse_or(&p);
    skip_space(&p);
    if (p.error || *p.s) return false;
    *result = v;
    return true;
}

static bool any_label(void *ctx, const char *label)
{
    return false;
}

static bool is_label(const char *s)
{
    if (!label_char(s[0], true)) return false;
    for (s++; *s; s++)
        if (!label_char(*s, false)) return false;
    return true;
}

/* ---------------------------------------------------------------- options */

static bool read_side_effect(Loader *ld, yaml_node_t *v, RuleSideEffect *out)
{
    const char *s = rule_yaml_scalar(v);
    if (s && !strcmp(s, "only")) {
        *out = RULE_SE_ONLY;
        return true;
    }
    bool b;
    if (!rule_yaml_bool(ld, v, "by-side-effect (true, false or only)", &b)) return false;
    *out = b ? RULE_SE_YES : RULE_SE_NO;
    return true;
}

static bool read_label(Loader *ld, yaml_node_t *v, RuleTaintSpec *t)
{
    t->label = rule_yaml_string(ld, v, "label");
    if (t->label && !is_label(t->label)) {
        rule_error(ld, RULE_DIAG_INVALID, v, "label '%s' is not an identifier", t->label);
        return false;
    }
    return t->label != NULL;
}

static bool read_requires(Loader *ld, yaml_node_t *v, RuleTaintSpec *t)
{
    if (v && v->type == YAML_SEQUENCE_NODE) {
        rule_error(ld, RULE_DIAG_UNSUPPORTED, v, "requires: per metavariable is not supported "
                   "by sluice yet");
        return false;
    }
    bool dummy;
    t->requires = rule_yaml_string(ld, v, "requires");
    if (t->requires && !rule_label_expr_eval(t->requires, any_label, NULL, &dummy)) {
        rule_error(ld, RULE_DIAG_INVALID, v, "requires '%s' is not a label expression (labels "
                   "with not, and, or, parentheses)", t->requires);
        return false;
    }
    return t->requires != NULL;
}

/* Options Semgrep has that change results and sluice does not implement: set to
 * true they are errors, not quietly ignored. */
static bool reject_if_true(Loader *ld, yaml_node_t *v, const char *key)
{
    bool b;
    if (!rule_yaml_bool(ld, v, key, &b)) return false;
    if (b) rule_error(ld, RULE_DIAG_UNSUPPORTED, v, "%s: true is not supported by sluice yet", key);
    return !b;
}

/* Whether option `key` means something for `role`. */
static bool option_fits(const char *key, Role role)
{
    static const char *const fits[][6] = {
        [ROLE_SOURCE] = {"label", "requires", "by-side-effect", "exact", "control", "entry-points"},
        [ROLE_SINK] = {"requires", "exact", "at-exit", "guard", NULL},
        [ROLE_SANITIZER] = {"by-side-effect", "exact", "not-conflicting", NULL},
        [ROLE_PROPAGATOR] = {"from", "to", "by-side-effect", "label", "requires",
                             "replace-labels"},
    };
    for (size_t i = 0; i < 6 && fits[role][i]; i++)
        if (!strcmp(fits[role][i], key)) return true;
    return false;
}

/* guard: (a sluice key, docs/taint.md) any, upper, lower, bounded or none. */
static bool read_guard(Loader *ld, yaml_node_t *v, RuleTaintSpec *t)
{
    static const char *const names[] = {"none", "any", "upper", "lower", "bounded"};
    const char *s = rule_yaml_scalar(v);
    for (size_t i = 0; s && i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i])) {
            t->guard = (RuleGuard)i;
            return true;
        }
    rule_error(ld, RULE_DIAG_INVALID, v, "guard must be none, any, upper, lower or bounded");
    return false;
}

static bool read_option(Loader *ld, const char *key, yaml_node_t *v, RuleTaintSpec *t)
{
    if (!strcmp(key, "entry-points")) return true;   /* read with the formula */
    if (!strcmp(key, "guard")) return read_guard(ld, v, t);
    if (!strcmp(key, "label")) return read_label(ld, v, t);
    if (!strcmp(key, "requires")) return read_requires(ld, v, t);
    if (!strcmp(key, "by-side-effect")) return read_side_effect(ld, v, &t->by_side_effect);
    if (!strcmp(key, "exact")) return rule_yaml_bool(ld, v, "exact", &t->exact);
    if (!strcmp(key, "from")) return (t->from = rule_yaml_string(ld, v, "from")) != NULL;
    if (!strcmp(key, "to")) return (t->to = rule_yaml_string(ld, v, "to")) != NULL;
    if (!strcmp(key, "replace-labels")) {
        rule_error(ld, RULE_DIAG_UNSUPPORTED, v, "replace-labels is not supported by sluice yet");
        return false;
    }
    return reject_if_true(ld, v, key);   /* control, at-exit, not-conflicting */
}

/* Semgrep's defaults (taint-mode overview, the option tables of Sources,
 * Sanitizers, Sinks and Propagators): sources and sanitizers are not exact and
 * not by side effect; sinks are exact; propagators work by side effect. */
static void set_defaults(RuleTaintSpec *t, Role role)
{
    t->exact = role == ROLE_SINK;
    t->by_side_effect = role == ROLE_PROPAGATOR ? RULE_SE_YES : RULE_SE_NO;
}

static bool read_options(Loader *ld, yaml_node_t *item, Role role, RuleTaintSpec *t)
{
    bool ok = true;
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        bool option = false;
        for (size_t i = 0; key && spec_options[i]; i++) option |= !strcmp(spec_options[i], key);
        if (!option) continue;   /* the formula's, or unknown (warned by the formula reader) */
        if (!option_fits(key, role)) {
            rule_warn(ld, k, "'%s' has no meaning in %s; ignored", key, role_keys[role]);
            continue;
        }
        ok &= read_option(ld, key, rule_yaml_node(ld, p->value), t);
    }
    return ok;
}

static bool check_propagator(Loader *ld, yaml_node_t *item, const RuleTaintSpec *t)
{
    if (!t->from || !t->to) {
        rule_error(ld, RULE_DIAG_INVALID, item, "a propagator needs from: and to: metavariables");
        return false;
    }
    if (!rule_is_metavar(t->from) || !rule_is_metavar(t->to)) {
        rule_error(ld, RULE_DIAG_INVALID, item, "a propagator's from: and to: must be "
                   "metavariables, not '%s' and '%s'", t->from, t->to);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- entry points */

/* via: a list of columns (integers) or field names, one per level of tables. */
static bool read_via(Loader *ld, yaml_node_t *v, RuleEntryPoints *ep)
{
    if (!v || v->type != YAML_SEQUENCE_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, v, "via must be a list of columns or field names");
        return false;
    }
    size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    ep->via = arena_alloc(&ld->set->arena, (n + 1) * sizeof *ep->via);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const char *s = rule_yaml_string(ld, rule_yaml_node(ld, *it), "a via entry");
        if (!s) return false;
        ep->via[ep->nvia++] = s;
    }
    return true;
}

static bool read_param_index(Loader *ld, yaml_node_t *v, RuleEntryPoints *ep)
{
    const char *s = rule_yaml_scalar(v);
    char *end = NULL;
    long i = s ? strtol(s, &end, 10) : -1;
    if (!s || *end || i < 0 || i > 31) {
        rule_error(ld, RULE_DIAG_INVALID, v, "param must be a parameter index from 0 to 31");
        return false;
    }
    ep->params |= 1u << i;
    return true;
}

static bool read_params(Loader *ld, yaml_node_t *v, RuleEntryPoints *ep)
{
    if (v && v->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
            if (!read_param_index(ld, rule_yaml_node(ld, *it), ep)) return false;
        return true;
    }
    return read_param_index(ld, v, ep);
}

/* - entry-points: {pattern: <table declaration>, via: [1, 2], param: 0}: the
 * mapping is a formula for the root tables plus via and param. */
static bool read_entry_points(Loader *ld, yaml_node_t *map, RuleTaintSpec *t)
{
    static const char *const extra[] = {"via", "param", NULL};
    if (!map || map->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, map, "entry-points must be a mapping with a table "
                   "pattern, via and param");
        return false;
    }
    RuleEntryPoints *ep = arena_alloc(&ld->set->arena, sizeof *ep);
    t->formula = rule_formula_positive(ld, map, extra, "entry-points");
    if (!t->formula) return false;
    yaml_node_t *via = rule_yaml_get(ld, map, "via"), *param = rule_yaml_get(ld, map, "param");
    if (via && !read_via(ld, via, ep)) return false;
    if (!param) {
        rule_error(ld, RULE_DIAG_INVALID, map, "entry-points needs param: the tainted parameter");
        return false;
    }
    if (!read_params(ld, param, ep)) return false;
    t->entry = ep;
    return true;
}

/* ---------------------------------------------------------------- specs */

static bool read_spec(Loader *ld, yaml_node_t *item, Role role, bool new_syntax, RuleTaintSpec *t)
{
    RulePos p = rule_yaml_pos(item);
    t->line = p.line, t->col = p.col;
    set_defaults(t, role);
    if (new_syntax) {
        t->formula = rule_formula_new_spec(ld, item, spec_options);
    } else if (!item || item->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, item, "an item of %s must be a mapping such as "
                   "'pattern: ...'", role_keys[role]);
        return false;
    } else if (role == ROLE_SOURCE && rule_yaml_get(ld, item, "entry-points")) {
        if (!read_entry_points(ld, rule_yaml_get(ld, item, "entry-points"), t)) return false;
    } else {
        t->formula = rule_formula_positive(ld, item, spec_options, role_keys[role]);
    }
    if (!t->formula) return false;
    if (item->type == YAML_MAPPING_NODE && !read_options(ld, item, role, t)) return false;
    return role != ROLE_PROPAGATOR || check_propagator(ld, item, t);
}

static bool read_specs(Loader *ld, yaml_node_t *list, Role role, bool new_syntax, RuleTaintSpecs *out)
{
    const char *name = new_syntax ? role_new_keys[role] : role_keys[role];
    if (!list || list->type != YAML_SEQUENCE_NODE || list->data.sequence.items.start == list->data.sequence.items.top) {
        rule_error(ld, RULE_DIAG_INVALID, list, "%s must be a non-empty list", name);
        return false;
    }
    VEC(RuleTaintSpec) v = {0};
    bool ok = true;
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
        RuleTaintSpec t = {0};
        yaml_node_t *item = rule_yaml_node(ld, *it);
        if (!rule_yaml_enter(ld, item)) {
            ok = false;
            break;
        }
        bool good = read_spec(ld, item, role, new_syntax, &t);
        rule_yaml_leave(ld);
        if (good) VEC_PUSH(v, t);
        ok &= good;
    }
    out->v = rule_arena_copy(ld->set, v.v, v.n * sizeof *v.v);
    out->n = v.n;
    VEC_FREE(v);
    return ok;
}

/* Sources and sinks are required: a taint rule without either can never report. */
static bool read_roles(Loader *ld, yaml_node_t *map, const char *const *keys, bool new_syntax, Rule *r)
{
    RuleTaintSpecs *outs[] = {&r->sources, &r->sinks, &r->sanitizers, &r->propagators};
    bool ok = true;
    for (int role = ROLE_SOURCE; role <= ROLE_PROPAGATOR; role++) {
        yaml_node_t *list = rule_yaml_get(ld, map, keys[role]);
        if (!list && role > ROLE_SINK) continue;
        if (!list) {
            rule_error(ld, RULE_DIAG_INVALID, map, "a taint rule needs %s", keys[role]);
            ok = false;
            continue;
        }
        ok &= read_specs(ld, list, (Role)role, new_syntax, outs[role]);
    }
    return ok;
}

bool rule_taint_read(Loader *ld, yaml_node_t *rule, Rule *r)
{
    return read_roles(ld, rule, role_keys, false, r);
}

/* taint: {sources, sinks, sanitizers, propagators}, Semgrep's newer syntax. */
bool rule_taint_read_new(Loader *ld, yaml_node_t *taint, Rule *r)
{
    static const char *const known[] = {"sources", "sinks", "sanitizers", "propagators", NULL};
    if (!taint || taint->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, taint, "taint: must be a mapping with sources and sinks");
        return false;
    }
    for (yaml_node_pair_t *p = taint->data.mapping.pairs.start; p < taint->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        bool ok = false;
        for (size_t i = 0; key && known[i]; i++) ok |= !strcmp(known[i], key);
        if (!ok) rule_warn(ld, k, "unknown key '%s' in taint", key ? key : "(not a string)");
    }
    return read_roles(ld, taint, role_new_keys, true, r);
}
