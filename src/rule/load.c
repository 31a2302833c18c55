/* load.c: a Semgrep rules file read into Rules (rule stage): the YAML document,
 * each rule's keys (id, message, severity, languages, mode, metadata, options,
 * paths, fix), and the checks that keep a bad rule out without stopping the rest. */
#include "rule/rule_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- languages */

/* The names Semgrep accepts besides those of the languages sluice parses (which
 * lang_from_name() knows), from rule_schema_v1 "languages": a rule for one of these
 * is "not supported" rather than "unknown". */
static const char *const semgrep_langs[] = {
    "apex", "bash", "sh", "clojure", "cpp", "c++", "csharp", "c#", "dart", "dockerfile",
    "docker", "ex", "elixir", "generic", "go", "golang", "hack", "html", "js", "javascript",
    "json", "jsonnet", "julia", "kt", "kotlin", "lisp", "lua", "ocaml", "php", "r", "ruby",
    "rust", "scala", "scheme", "solidity", "sol", "swift", "tf", "hcl", "terraform", "ts",
    "typescript", "vue", "yaml", "xml", "promql", "ql", "move_on_sui", "move_on_aptos",
    "circom", "cairo", "regex", "none",
};

Lang rule_lang_from_name(const char *name, bool *known)
{
    Lang l = lang_from_name(name);
    *known = l != LANG_NONE;
    for (size_t i = 0; !*known && i < sizeof semgrep_langs / sizeof *semgrep_langs; i++)
        *known = !strcasecmp(semgrep_langs[i], name);
    return l;
}

void *rule_arena_copy(RuleSet *s, const void *p, size_t n)
{
    if (!n) return NULL;
    void *d = arena_alloc(&s->arena, n);
    memcpy(d, p, n);
    return d;
}

/* ---------------------------------------------------------------- rule keys */

typedef enum KeyKind { KEY_KNOWN, KEY_IGNORED, KEY_UNSUPPORTED } KeyKind;

static const struct { const char *key; KeyKind kind; } rule_keys[] = {
    {"id", KEY_KNOWN}, {"message", KEY_KNOWN}, {"severity", KEY_KNOWN},
    {"languages", KEY_KNOWN}, {"mode", KEY_KNOWN}, {"metadata", KEY_KNOWN},
    {"fix", KEY_KNOWN}, {"paths", KEY_KNOWN}, {"options", KEY_KNOWN},
    {"min-version", KEY_KNOWN}, {"max-version", KEY_KNOWN}, {"version", KEY_KNOWN},
    {"pattern", KEY_KNOWN}, {"patterns", KEY_KNOWN}, {"pattern-either", KEY_KNOWN},
    {"pattern-regex", KEY_KNOWN}, {"match", KEY_KNOWN}, {"taint", KEY_KNOWN},
    {"pattern-sources", KEY_KNOWN}, {"pattern-sinks", KEY_KNOWN},
    {"pattern-sanitizers", KEY_KNOWN}, {"pattern-propagators", KEY_KNOWN},
    {"fix-regex", KEY_IGNORED},
    {"join", KEY_UNSUPPORTED}, {"extract", KEY_UNSUPPORTED}, {"dest-language", KEY_UNSUPPORTED},
    {"transform", KEY_UNSUPPORTED}, {"reduce", KEY_UNSUPPORTED},
    {"r2c-internal-project-depends-on", KEY_UNSUPPORTED}, {"equivalences", KEY_UNSUPPORTED},
};

/* Unknown keys are warnings (a typo should be seen, not fatal); keys for what
 * sluice does not do are errors when they change what matches, warnings when not. */
static void check_rule_keys(Loader *ld, yaml_node_t *rule)
{
    for (yaml_node_pair_t *p = rule->data.mapping.pairs.start; p < rule->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        size_t i = 0, n = sizeof rule_keys / sizeof *rule_keys;
        while (key && i < n && strcmp(rule_keys[i].key, key)) i++;
        if (!key || i == n) rule_warn(ld, k, "unknown key '%s'", key ? key : "(not a string)");
        else if (rule_keys[i].kind == KEY_IGNORED)
            rule_warn(ld, k, "%s is ignored: sluice does not apply fixes", key);
        else if (rule_keys[i].kind == KEY_UNSUPPORTED)
            rule_error(ld, RULE_DIAG_UNSUPPORTED, k, "%s is not supported by sluice yet", key);
    }
}

static const char *required_string(Loader *ld, yaml_node_t *rule, const char *key)
{
    yaml_node_t *v = rule_yaml_get(ld, rule, key);
    if (!v) {
        rule_error(ld, RULE_DIAG_INVALID, rule, "missing required key '%s'", key);
        return NULL;
    }
    return rule_yaml_string(ld, v, key);
}

/* The same rule of the same file loaded again (--config p/python beside
 * --config p/supply-chain): Semgrep keeps one copy, and so does sluice. */
static bool is_reload(const Rule *old, const Rule *r)
{
    return !strcmp(old->id, r->id) && !strcmp(old->path, r->path) && old->line == r->line;
}

static void read_id(Loader *ld, yaml_node_t *rule, Rule *r)
{
    r->id = required_string(ld, rule, "id");
    if (r->id && !*r->id) {
        rule_error(ld, RULE_DIAG_INVALID, rule_yaml_get(ld, rule, "id"), "id is empty");
        r->id = NULL;
    }
    ld->rule_id = r->id;
    const Rule *dup = r->id ? rule_set_find(ld->set, r->id) : NULL;
    if (dup && !is_reload(dup, r))
        rule_warn(ld, rule, "duplicate rule id '%s' (also at %s:%d)", r->id, dup->path, dup->line);
}

/* Semgrep's rule-syntax docs: "The older levels ERROR, WARNING, and INFO match
 * HIGH, MEDIUM, and LOW"; CRITICAL is above HIGH, so it reports as ERROR too. */
static void read_severity(Loader *ld, yaml_node_t *rule, Rule *r)
{
    static const struct { const char *name; RuleSeverity sev; } levels[] = {
        {"ERROR", RULE_SEV_ERROR}, {"WARNING", RULE_SEV_WARNING}, {"INFO", RULE_SEV_INFO},
        {"CRITICAL", RULE_SEV_ERROR}, {"HIGH", RULE_SEV_ERROR}, {"MEDIUM", RULE_SEV_WARNING},
        {"LOW", RULE_SEV_INFO}, {"INVENTORY", RULE_SEV_INFO}, {"EXPERIMENT", RULE_SEV_INFO},
    };
    r->severity_name = required_string(ld, rule, "severity");
    if (!r->severity_name) return;
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        if (!strcasecmp(levels[i].name, r->severity_name)) {
            r->severity = levels[i].sev;
            return;
        }
    rule_error(ld, RULE_DIAG_INVALID, rule_yaml_get(ld, rule, "severity"),
               "severity '%s' is not one of ERROR, WARNING, INFO, CRITICAL, HIGH, MEDIUM, LOW",
               r->severity_name);
}

/* One entry of languages: sets the mask; says whether the name is unsupported. */
static bool read_language(Loader *ld, yaml_node_t *n, Rule *r, StrBuf *unsupported)
{
    const char *name = r->languages[r->nlanguages - 1];
    bool known;
    Lang l = rule_lang_from_name(name, &known);
    if (l != LANG_NONE) {
        r->lang_mask |= 1u << l;
    } else if (!strcasecmp(name, "regex") || !strcasecmp(name, "none")) {
        r->any_language = true;
    } else if (known) {
        sb_printf(unsupported, "%s%s", unsupported->len ? ", " : "", name);
    } else {
        rule_error(ld, RULE_DIAG_INVALID, n, "unknown language '%s'", name);
        return false;
    }
    return true;
}

static void check_languages(Loader *ld, yaml_node_t *v, Rule *r, StrBuf *unsupported)
{
    if (r->any_language && (r->lang_mask || unsupported->len))
        rule_error(ld, RULE_DIAG_INVALID, v, "languages: regex (or none) must be the only language");
    else if (!r->any_language && !r->lang_mask && unsupported->len)
        rule_error(ld, RULE_DIAG_UNSUPPORTED, v, "language %s is not supported by sluice yet "
                   "(sluice parses c, python and java)", unsupported->s);
    else if (unsupported->len)
        rule_warn(ld, v, "language %s is not supported by sluice yet; the rule runs on the "
                  "others", unsupported->s);
}

static void read_languages(Loader *ld, yaml_node_t *rule, Rule *r)
{
    yaml_node_t *v = rule_yaml_get(ld, rule, "languages");
    if (!v) {
        rule_error(ld, RULE_DIAG_INVALID, rule, "missing required key 'languages'");
        return;
    }
    size_t n = v->type == YAML_SEQUENCE_NODE ? (size_t)(v->data.sequence.items.top - v->data.sequence.items.start) : 0;
    if (!n) {
        rule_error(ld, RULE_DIAG_INVALID, v, "languages must be a non-empty list");
        return;
    }
    r->languages = arena_alloc(&ld->set->arena, n * sizeof *r->languages);
    StrBuf unsupported;
    sb_init(&unsupported);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        yaml_node_t *item = rule_yaml_node(ld, v->data.sequence.items.start[i]);
        r->languages[i] = rule_yaml_string(ld, item, "a language");
        if (!r->languages[i]) break;
        r->nlanguages++;
        ok = read_language(ld, item, r, &unsupported);
    }
    if (ok && r->nlanguages == n) check_languages(ld, v, r, &unsupported);
    sb_free(&unsupported);
}

/* False when the mode is not one whose formula sluice can read. */
static bool read_mode(Loader *ld, yaml_node_t *rule, Rule *r)
{
    yaml_node_t *v = rule_yaml_get(ld, rule, "mode");
    r->mode = rule_yaml_get(ld, rule, "taint") ? RULE_MODE_TAINT : RULE_MODE_SEARCH;
    if (!v) return true;
    const char *m = rule_yaml_string(ld, v, "mode");
    if (!m) return false;
    if (!strcmp(m, "search")) r->mode = RULE_MODE_SEARCH;
    else if (!strcmp(m, "taint")) r->mode = RULE_MODE_TAINT;
    else if (!strcmp(m, "reach"))
        rule_error(ld, RULE_DIAG_UNSUPPORTED, v, "mode: reach is sluice's own and is not "
                   "implemented yet");
    else if (!strcmp(m, "join") || !strcmp(m, "extract"))
        rule_error(ld, RULE_DIAG_UNSUPPORTED, v, "mode: %s is not supported by sluice yet", m);
    else
        rule_error(ld, RULE_DIAG_INVALID, v, "mode '%s' is not search, taint, join or extract", m);
    return r->mode == RULE_MODE_SEARCH ? !strcmp(m, "search") : true;
}

/* ---------------------------------------------------------------- optional keys */

/* The rule-syntax "options" table and the taint-mode "Minimize false positives"
 * table, with Semgrep's defaults. */
static const struct {
    const char *key;
    RuleOptionType type;
    long dflt;
} option_table[] = {
    {"ac_matching", RULE_OPT_BOOL, 1},
    {"attr_expr", RULE_OPT_BOOL, 1},
    {"commutative_boolop", RULE_OPT_BOOL, 0},
    {"constant_propagation", RULE_OPT_BOOL, 1},
    {"decorators_order_matters", RULE_OPT_BOOL, 0},
    {"generic_comment_style", RULE_OPT_STRING, 0},
    {"generic_ellipsis_max_span", RULE_OPT_INT, 10},
    {"implicit_return", RULE_OPT_BOOL, 1},
    {"interfile", RULE_OPT_BOOL, 0},
    {"symbolic_propagation", RULE_OPT_BOOL, 0},
    {"symmetric_eq", RULE_OPT_BOOL, 0},
    {"taint_assume_safe_booleans", RULE_OPT_BOOL, 0},
    {"taint_assume_safe_functions", RULE_OPT_BOOL, 0},
    {"taint_assume_safe_indexes", RULE_OPT_BOOL, 0},
    {"taint_assume_safe_numbers", RULE_OPT_BOOL, 0},
    {"taint_focus_on", RULE_OPT_STRING, 0},
    {"taint_only_propagate_through_assignments", RULE_OPT_BOOL, 0},
    {"taint_unify_mvars", RULE_OPT_BOOL, 0},
    {"vardef_assign", RULE_OPT_BOOL, 1},
    {"xml_attrs_implicit_ellipsis", RULE_OPT_BOOL, 1},
};

static int option_index(const char *key)
{
    for (size_t i = 0; key && i < sizeof option_table / sizeof *option_table; i++)
        if (!strcmp(option_table[i].key, key)) return (int)i;
    return -1;
}

static bool read_option(Loader *ld, yaml_node_t *k, yaml_node_t *v, RuleOption *o)
{
    int i = option_index(o->key);
    if (i < 0) {
        rule_warn(ld, k, "unknown option '%s'", o->key);
        return false;
    }
    o->type = option_table[i].type;
    if (o->type == RULE_OPT_BOOL) return rule_yaml_bool(ld, v, o->key, &o->b);
    if (o->type == RULE_OPT_STRING) return (o->s = rule_yaml_string(ld, v, o->key)) != NULL;
    const char *s = rule_yaml_scalar(v);
    char *end = NULL;
    o->i = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || o->i < 0) {
        rule_error(ld, RULE_DIAG_INVALID, v, "option %s must be a non-negative integer", o->key);
        return false;
    }
    return true;
}

static void read_options(Loader *ld, yaml_node_t *v, Rule *r)
{
    if (v->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, v, "options must be a mapping");
        return;
    }
    VEC(RuleOption) opts = {0};
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        RuleOption o = {.key = rule_yaml_string(ld, k, "an option name")};
        if (o.key && read_option(ld, k, rule_yaml_node(ld, p->value), &o)) VEC_PUSH(opts, o);
    }
    r->options = rule_arena_copy(ld->set, opts.v, opts.n * sizeof *opts.v);
    r->noptions = opts.n;
    VEC_FREE(opts);
}

/* A list of globs, or one glob (Semgrep's docs show `include: "project/schemata"`). */
static const char **read_globs(Loader *ld, yaml_node_t *v, const char *what, size_t *n)
{
    *n = 0;
    if (rule_yaml_is_scalar(v)) {
        const char **g = arena_alloc(&ld->set->arena, sizeof *g);
        g[0] = rule_yaml_string(ld, v, what);
        *n = g[0] != NULL;
        return g;
    }
    if (v->type != YAML_SEQUENCE_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, v, "%s must be a list of globs", what);
        return NULL;
    }
    size_t count = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    const char **g = arena_alloc(&ld->set->arena, (count ? count : 1) * sizeof *g);
    for (size_t i = 0; i < count; i++) {
        const char *s = rule_yaml_string(ld, rule_yaml_node(ld, v->data.sequence.items.start[i]), what);
        if (s) g[(*n)++] = s;
    }
    return g;
}

static void read_paths(Loader *ld, yaml_node_t *v, Rule *r)
{
    static const char *const known[] = {"include", "exclude", NULL};
    if (v->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, v, "paths must be a mapping with include and exclude");
        return;
    }
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        if (!key || (strcmp(key, known[0]) && strcmp(key, known[1])))
            rule_warn(ld, k, "unknown key '%s' in paths", key ? key : "(not a string)");
    }
    yaml_node_t *inc = rule_yaml_get(ld, v, "include"), *exc = rule_yaml_get(ld, v, "exclude");
    if (inc) r->paths_include = read_globs(ld, inc, "paths.include", &r->npaths_include);
    if (exc) r->paths_exclude = read_globs(ld, exc, "paths.exclude", &r->npaths_exclude);
}

static void read_metadata(Loader *ld, yaml_node_t *v, Rule *r)
{
    char *json = rule_yaml_to_json(ld, v);
    if (!json) return;
    r->metadata_json = arena_strdup(&ld->set->arena, json);
    free(json);
}

/* An optional key left empty (`options:` with nothing under it) is absent. */
static yaml_node_t *optional(Loader *ld, yaml_node_t *rule, const char *key)
{
    yaml_node_t *v = rule_yaml_get(ld, rule, key);
    return v && !rule_yaml_is_null(v) ? v : NULL;
}

static const char *optional_string(Loader *ld, yaml_node_t *rule, const char *key)
{
    yaml_node_t *v = optional(ld, rule, key);
    return v ? rule_yaml_string(ld, v, key) : NULL;
}

static void read_optional(Loader *ld, yaml_node_t *rule, Rule *r)
{
    yaml_node_t *v;
    if ((v = optional(ld, rule, "metadata"))) read_metadata(ld, v, r);
    if ((v = optional(ld, rule, "options"))) read_options(ld, v, r);
    if ((v = optional(ld, rule, "paths"))) read_paths(ld, v, r);
    r->fix = optional_string(ld, rule, "fix");
    r->min_version = optional_string(ld, rule, "min-version");
    r->max_version = optional_string(ld, rule, "max-version");
}

/* ---------------------------------------------------------------- formulas */

static bool has_any(Loader *ld, yaml_node_t *rule, const char *const *keys, const char **which)
{
    for (size_t i = 0; keys[i]; i++)
        if (rule_yaml_get(ld, rule, keys[i])) {
            *which = keys[i];
            return true;
        }
    return false;
}

/* A search rule has a formula and no taint keys; a taint rule the reverse. */
static void read_formula(Loader *ld, yaml_node_t *rule, Rule *r)
{
    static const char *const taint_keys[] = {"pattern-sources", "pattern-sinks",
                                             "pattern-sanitizers", "pattern-propagators", NULL};
    static const char *const search_keys[] = {"pattern", "patterns", "pattern-either",
                                              "pattern-regex", "match", NULL};
    const char *which;
    if (r->mode == RULE_MODE_SEARCH && has_any(ld, rule, taint_keys, &which)) {
        rule_error(ld, RULE_DIAG_INVALID, rule_yaml_get(ld, rule, which),
                   "%s needs mode: taint", which);
    } else if (r->mode == RULE_MODE_TAINT && has_any(ld, rule, search_keys, &which)) {
        rule_error(ld, RULE_DIAG_INVALID, rule_yaml_get(ld, rule, which), "a taint rule has "
                   "pattern-sources and pattern-sinks, not %s", which);
    } else if (r->mode == RULE_MODE_SEARCH) {
        r->formula = rule_formula_top(ld, rule);
    } else if (rule_yaml_get(ld, rule, "taint")) {
        rule_taint_read_new(ld, rule_yaml_get(ld, rule, "taint"), r);
    } else {
        rule_taint_read(ld, rule, r);
    }
}

/* Regex-only rules (languages: [regex]) cannot hold code patterns anywhere. */
static void check_regex_only(Loader *ld, const Rule *r)
{
    RuleTaintSpecs all[] = {r->sources, r->sinks, r->sanitizers, r->propagators};
    rule_formula_check_lang(ld, r->formula, r->any_language);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < all[i].n; j++)
            rule_formula_check_lang(ld, all[i].v[j].formula, r->any_language);
}

/* ---------------------------------------------------------------- rules */

static Rule *read_rule(Loader *ld, yaml_node_t *n)
{
    ld->failed = false;
    ld->rule_id = NULL;
    ld->depth = 0;
    if (!n || n->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_INVALID, n, "a rule must be a mapping with id, message, "
                   "severity, languages and a pattern");
        return NULL;
    }
    Rule *r = arena_alloc(&ld->set->arena, sizeof *r);
    RulePos p = rule_yaml_pos(n);
    r->path = arena_strdup(&ld->set->arena, ld->path);
    r->line = p.line, r->col = p.col;
    read_id(ld, n, r);
    check_rule_keys(ld, n);
    r->message = required_string(ld, n, "message");
    read_severity(ld, n, r);
    read_languages(ld, n, r);
    if (read_mode(ld, n, r)) read_formula(ld, n, r);
    read_optional(ld, n, r);
    if (!ld->failed) check_regex_only(ld, r);
    return ld->failed ? NULL : r;
}

static void warn_top_keys(Loader *ld, yaml_node_t *root)
{
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        const char *key = rule_yaml_scalar(k);
        if (!key || strcmp(key, "rules"))
            rule_warn(ld, k, "unknown top-level key '%s'", key ? key : "(not a string)");
    }
}

static yaml_node_t *rules_list(Loader *ld, yaml_node_t *root)
{
    if (!root) {
        rule_error(ld, RULE_DIAG_PARSE, NULL, "empty rules file");
        return NULL;
    }
    if (root->type != YAML_MAPPING_NODE) {
        rule_error(ld, RULE_DIAG_PARSE, root, "a rules file is a mapping with a 'rules:' list");
        return NULL;
    }
    warn_top_keys(ld, root);
    yaml_node_t *rules = rule_yaml_get(ld, root, "rules");
    if (!rules) {
        rule_error(ld, RULE_DIAG_PARSE, root, "missing top-level key 'rules'");
        return NULL;
    }
    if (rule_yaml_is_null(rules)) return NULL;   /* rules: with nothing under it */
    if (rules->type != YAML_SEQUENCE_NODE) {
        rule_error(ld, RULE_DIAG_PARSE, rules, "'rules' must be a list of rules");
        return NULL;
    }
    return rules;
}

static bool read_document(Loader *ld)
{
    yaml_node_t *rules = rules_list(ld, yaml_document_get_root_node(ld->doc));
    bool ok = !ld->failed;
    for (yaml_node_item_t *it = rules ? rules->data.sequence.items.start : NULL;
         rules && it < rules->data.sequence.items.top; it++) {
        if (ld->visits >= RULE_MAX_VISITS) {
            ld->rule_id = NULL;
            rule_error(ld, RULE_DIAG_INVALID, rule_yaml_node(ld, *it), "rules file too large "
                       "(more than %d nodes, counting YAML aliases); the rest is skipped",
                       RULE_MAX_VISITS);
            return false;
        }
        Rule *r = read_rule(ld, rule_yaml_node(ld, *it));
        const Rule *old = r ? rule_set_find(ld->set, r->id) : NULL;
        if (r && !(old && is_reload(old, r))) VEC_PUSH(ld->set->rules, r);
        ok &= r != NULL;
    }
    return ok;
}

/* ---------------------------------------------------------------- YAML */

static void yaml_failure(Loader *ld, yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "out of memory";
    yaml_mark_t m = p->problem ? p->problem_mark : p->mark;
    if (p->context)
        diag_add(ld->diags, DIAG_ERROR, RULE_DIAG_PARSE, ld->path, (int)m.line + 1,
                 (int)m.column + 1, NULL, "invalid YAML: %s %s (line %zu, column %zu)",
                 problem, p->context, p->context_mark.line + 1, p->context_mark.column + 1);
    else
        diag_add(ld->diags, DIAG_ERROR, RULE_DIAG_PARSE, ld->path, (int)m.line + 1,
                 (int)m.column + 1, NULL, "invalid YAML: %s", problem);
}

/* Semgrep reads the first document of a rules file; a second one is probably a
 * mistake worth a warning. */
static void warn_second_document(Loader *ld, yaml_parser_t *p)
{
    yaml_document_t next;
    if (!yaml_parser_load(p, &next)) return;
    yaml_node_t *root = yaml_document_get_root_node(&next);
    if (root) {
        RulePos pos = rule_yaml_pos(root);
        diag_add(ld->diags, DIAG_WARN, RULE_DIAG_WARNING, ld->path, pos.line, pos.col, NULL,
                 "only the first YAML document of a rules file is read");
    }
    yaml_document_delete(&next);
}

bool rule_set_load_string(RuleSet *s, const char *name, const char *yaml, size_t len,
                          DiagList *diags)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    Loader ld = {.set = s, .diags = diags, .path = name ? name : "<rules>", .src = yaml,
                 .len = len, .doc = &doc};
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    bool ok = false;
    if (!yaml_parser_load(&parser, &doc)) {
        yaml_failure(&ld, &parser);
    } else {
        ok = read_document(&ld);
        yaml_document_delete(&doc);
        if (ok) warn_second_document(&ld, &parser);
    }
    yaml_parser_delete(&parser);
    free(ld.line_starts);
    return ok;
}

/* ---------------------------------------------------------------- options API */

static const RuleOption *find_option(const Rule *r, const char *key)
{
    for (size_t i = 0; i < r->noptions; i++)
        if (!strcmp(r->options[i].key, key)) return &r->options[i];
    return NULL;
}

bool rule_option_bool(const Rule *r, const char *key)
{
    const RuleOption *o = find_option(r, key);
    if (o) return o->type == RULE_OPT_BOOL && o->b;
    int i = option_index(key);
    return i >= 0 && option_table[i].type == RULE_OPT_BOOL && option_table[i].dflt;
}

long rule_option_int(const Rule *r, const char *key)
{
    const RuleOption *o = find_option(r, key);
    if (o) return o->type == RULE_OPT_INT ? o->i : 0;
    int i = option_index(key);
    return i >= 0 && option_table[i].type == RULE_OPT_INT ? option_table[i].dflt : 0;
}

const char *rule_option_string(const Rule *r, const char *key)
{
    const RuleOption *o = find_option(r, key);
    return o && o->type == RULE_OPT_STRING ? o->s : NULL;
}

const char *rule_severity_name(RuleSeverity sev)
{
    switch (sev) {
    case RULE_SEV_ERROR: return "ERROR";
    case RULE_SEV_WARNING: return "WARNING";
    default: return "INFO";
    }
}
