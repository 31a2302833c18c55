/* test_rule_load.c: the rule loader (rule stage): Semgrep YAML in, rules and
 * formulas out, and every kind of bad input turned into a located diagnostic. */
#include "testutil.h"

#include "rule/rule.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- helpers */

typedef struct Loaded {
    RuleSet *set;
    DiagList diags;
    bool ok;
} Loaded;

static Loaded load(const char *yaml)
{
    Loaded l = {.set = rule_set_new()};
    l.ok = rule_set_load_string(l.set, "test.yml", yaml, strlen(yaml), &l.diags);
    return l;
}

static void unload(Loaded *l)
{
    rule_set_free(l->set);
    diag_list_free(&l->diags);
}

/* The first diag of this type whose message contains `text`, or NULL. */
static const Diag *find_diag(const DiagList *d, const char *type, const char *text)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].type, type) && strstr(d->v[i].message, text)) return &d->v[i];
    return NULL;
}

static size_t count_level(const DiagList *d, DiagLevel level)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) n += d->v[i].level == level;
    return n;
}

static void print_diags(const DiagList *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_message("  %s %s:%d:%d [%s] %s\n", d->v[i].type, d->v[i].path ? d->v[i].path : "-",
                      d->v[i].line, d->v[i].col, d->v[i].rule_id ? d->v[i].rule_id : "-",
                      d->v[i].message);
}

#define assert_diag(l, type, text) do { \
        if (!find_diag(&(l).diags, (type), (text))) { \
            print_diags(&(l).diags); \
            fail_msg("no %s diag containing \"%s\"", (type), (text)); \
        } \
    } while (0)

#define assert_clean(l) do { \
        if ((l).diags.n) { print_diags(&(l).diags); fail_msg("unexpected diags"); } \
        assert_true((l).ok); \
    } while (0)

/* ---------------------------------------------------------------- a rule with every key */

static const char *every_key =
    "rules:\n"
    "  - id: every-key\n"
    "    message: found $X\n"
    "    severity: HIGH\n"
    "    languages: [python, c]\n"
    "    metadata:\n"
    "      owasp: [A03, A01]\n"
    "      cwe: 'CWE-78'\n"
    "      likelihood: 3\n"
    "      verified: true\n"
    "      ratio: 0.5\n"
    "      note: ~\n"
    "    fix: safe($X)\n"
    "    min-version: 1.0.0\n"
    "    paths:\n"
    "      include: [src/**, '*.py']\n"
    "      exclude: tests/\n"
    "    options:\n"
    "      symbolic_propagation: true\n"
    "      taint_assume_safe_numbers: true\n"
    "      generic_ellipsis_max_span: 5\n"
    "      taint_focus_on: source\n"
    "    patterns:\n"
    "      - pattern-inside: |\n"
    "          def $F(...):\n"
    "            ...\n"
    "      - pattern-not-inside: 'with lock: ...'\n"
    "      - pattern-either:\n"
    "          - pattern: run($X, ...)\n"
    "          - pattern-inside: spawn(...)\n"
    "      - pattern-not: run(\"safe\")\n"
    "      - pattern-regex: run\\(\n"
    "      - pattern-not-regex: '#\\s*nosec'\n"
    "      - metavariable-regex:\n"
    "          metavariable: $X\n"
    "          regex: (cmd|shell)\n"
    "          constant-propagation: true\n"
    "      - metavariable-pattern:\n"
    "          metavariable: $X\n"
    "          language: python\n"
    "          patterns:\n"
    "            - pattern-not: '\"...\"'\n"
    "      - metavariable-comparison:\n"
    "          metavariable: $N\n"
    "          comparison: $N > 0o600\n"
    "          base: 8\n"
    "          strip: true\n"
    "      - focus-metavariable: [$X, $F]\n";

static void test_every_key(void **state)
{
    Loaded l = load(every_key);
    assert_clean(l);
    assert_int_equal(rule_set_count(l.set), 1);
    const Rule *r = rule_set_get(l.set, 0);
    assert_string_equal(r->id, "every-key");
    assert_string_equal(r->message, "found $X");
    assert_int_equal(r->severity, RULE_SEV_ERROR);
    assert_string_equal(r->severity_name, "HIGH");
    assert_int_equal(r->nlanguages, 2);
    assert_int_equal(r->lang_mask, (1u << LANG_PYTHON) | (1u << LANG_C));
    assert_int_equal(r->mode, RULE_MODE_SEARCH);
    assert_string_equal(r->metadata_json, "{\"cwe\":\"CWE-78\",\"likelihood\":3,\"note\":null,"
                        "\"owasp\":[\"A03\",\"A01\"],\"ratio\":0.5,\"verified\":true}");
    assert_string_equal(r->fix, "safe($X)");
    assert_string_equal(r->min_version, "1.0.0");
    assert_int_equal(r->npaths_include, 2);
    assert_string_equal(r->paths_include[1], "*.py");
    assert_int_equal(r->npaths_exclude, 1);
    assert_string_equal(r->paths_exclude[0], "tests/");
    assert_string_equal(r->path, "test.yml");
    assert_int_equal(r->line, 2);
    assert_int_equal(r->col, 5);
    unload(&l);
}

static void test_every_key_options(void **state)
{
    Loaded l = load(every_key);
    const Rule *r = rule_set_get(l.set, 0);
    assert_int_equal(r->noptions, 4);
    assert_true(rule_option_bool(r, "symbolic_propagation"));
    assert_true(rule_option_bool(r, "taint_assume_safe_numbers"));
    assert_false(rule_option_bool(r, "taint_assume_safe_indexes"));   /* Semgrep's default */
    assert_true(rule_option_bool(r, "constant_propagation"));         /* Semgrep's default */
    assert_int_equal(rule_option_int(r, "generic_ellipsis_max_span"), 5);
    assert_string_equal(rule_option_string(r, "taint_focus_on"), "source");
    assert_null(rule_option_string(r, "generic_comment_style"));
    unload(&l);
}

static void test_every_key_formula(void **state)
{
    Loaded l = load(every_key);
    const RuleFormula *f = rule_set_get(l.set, 0)->formula;
    assert_int_equal(f->kind, RULE_F_PATTERNS);
    assert_int_equal(f->nkids, 10);
    const RuleFormula *k = f->kids[0];
    assert_int_equal(k->kind, RULE_F_INSIDE);
    assert_int_equal(k->kids[0]->kind, RULE_F_PATTERN);
    assert_string_equal(k->kids[0]->text, "def $F(...):\n  ...\n");
    assert_int_equal(k->kids[0]->line, 25);   /* a block's text starts under its | */
    assert_int_equal(k->kids[0]->col, 11);
    assert_int_equal(f->kids[1]->kind, RULE_F_NOT_INSIDE);
    assert_string_equal(f->kids[1]->kids[0]->text, "with lock: ...");
    assert_int_equal(f->kids[2]->kind, RULE_F_EITHER);
    assert_int_equal(f->kids[2]->kids[1]->kind, RULE_F_INSIDE);
    assert_int_equal(f->kids[3]->kind, RULE_F_NOT);
    assert_int_equal(f->kids[4]->kind, RULE_F_REGEX);
    assert_non_null(f->kids[4]->re);
    assert_int_equal(f->kids[5]->kind, RULE_F_NOT_REGEX);
    assert_string_equal(f->kids[5]->text, "#\\s*nosec");
    assert_int_equal(f->kids[5]->col, 29);   /* the quote is at 28 */
    unload(&l);
}

static void test_every_key_metavariables(void **state)
{
    Loaded l = load(every_key);
    const RuleFormula *f = rule_set_get(l.set, 0)->formula;
    const RuleFormula *re = f->kids[6], *mp = f->kids[7], *cmp = f->kids[8], *focus = f->kids[9];
    assert_int_equal(re->kind, RULE_F_METAVAR_REGEX);
    assert_string_equal(re->metavar, "$X");
    assert_string_equal(re->text, "(cmd|shell)");
    assert_true(re->constant_propagation);
    assert_non_null(re->re);
    assert_int_equal(mp->kind, RULE_F_METAVAR_PATTERN);
    assert_string_equal(mp->language, "python");
    assert_int_equal(mp->lang, LANG_PYTHON);
    assert_int_equal(mp->kids[0]->kind, RULE_F_PATTERNS);   /* negative only: allowed here */
    assert_int_equal(mp->kids[0]->kids[0]->kind, RULE_F_NOT);
    assert_int_equal(cmp->kind, RULE_F_METAVAR_COMPARISON);
    assert_string_equal(cmp->text, "$N > 0o600");
    assert_int_equal(cmp->base, 8);
    assert_true(cmp->strip);
    assert_int_equal(focus->kind, RULE_F_FOCUS);
    assert_int_equal(focus->nmetavars, 2);
    assert_string_equal(focus->metavars[1], "$F");
    unload(&l);
}

/* ---------------------------------------------------------------- seed 000 */

static void test_seed000_rules(void **state)
{
    RuleSet *s = rule_set_new();
    DiagList d = {0};
    assert_true(rule_set_load_file(s, SHARED_DIR "/examples/rules/seed000-env.yml", &d));
    assert_int_equal(d.n, 0);
    assert_int_equal(rule_set_count(s), 5);
    const char *ids[] = {"env-set", "python-os-environ", "python-proc-fs", "environ-files",
                         "libc-environ"};
    size_t either_sizes[] = {3, 4, 2, 3};
    for (size_t i = 0; i < 5; i++) {
        const Rule *r = rule_set_get(s, i);
        assert_string_equal(r->id, ids[i]);
        assert_int_equal(r->lang_mask, 1u << LANG_PYTHON);
        assert_int_equal(r->severity, RULE_SEV_ERROR);
        if (i < 4) {
            assert_int_equal(r->formula->kind, RULE_F_EITHER);
            assert_int_equal(r->formula->nkids, either_sizes[i]);
            for (size_t k = 0; k < r->formula->nkids; k++)
                assert_int_equal(r->formula->kids[k]->kind, RULE_F_PATTERN);
        }
    }
    assert_string_equal(rule_set_get(s, 0)->formula->kids[0]->text,
                        "subprocess.$FUNC([..., \"=~/^(env|set)$/\", ...], ...)");
    assert_non_null(rule_set_find(s, "python-proc-fs"));
    rule_set_free(s);
    diag_list_free(&d);
}

static void test_seed000_libc_shape(void **state)
{
    RuleSet *s = rule_set_new();
    DiagList d = {0};
    rule_set_load_file(s, SHARED_DIR "/examples/rules/seed000-env.yml", &d);
    const RuleFormula *f = rule_set_find(s, "libc-environ")->formula;
    assert_int_equal(f->kind, RULE_F_PATTERNS);
    assert_int_equal(f->nkids, 2);
    assert_int_equal(f->kids[0]->kind, RULE_F_INSIDE);
    assert_string_equal(f->kids[0]->kids[0]->text, "$LIB = ctypes.CDLL(...)\n...\n");
    assert_int_equal(f->kids[1]->kind, RULE_F_PATTERN);
    assert_string_equal(f->kids[1]->text, "$Y.in_dll($LIB, 'environ')");
    const RuleFormula *set_literal = rule_set_find(s, "environ-files")->formula->kids[0];
    assert_true(str_starts_with(set_literal->text, "{..., \"=~/^(/etc/"));
    assert_int_equal(set_literal->line, 37);
    assert_int_equal(set_literal->col, 11);
    rule_set_free(s);
    diag_list_free(&d);
}

/* ---------------------------------------------------------------- taint */

static const char *taint_rule =
    "rules:\n"
    "  - id: taint-all\n"
    "    mode: taint\n"
    "    message: tainted\n"
    "    severity: WARNING\n"
    "    languages: [c]\n"
    "    options:\n"
    "      taint_assume_safe_indexes: true\n"
    "    pattern-sources:\n"
    "      - pattern: recv(...)\n"
    "      - patterns:\n"
    "          - pattern: read($FD, $BUF, ...)\n"
    "          - focus-metavariable: $BUF\n"
    "        by-side-effect: only\n"
    "        label: RAW\n"
    "        exact: true\n"
    "    pattern-sinks:\n"
    "      - pattern: memcpy($D, $S, $N)\n"
    "        requires: RAW and not CHECKED\n"
    "      - pattern: system(...)\n"
    "        exact: false\n"
    "    pattern-sanitizers:\n"
    "      - patterns:\n"
    "          - pattern: check($X)\n"
    "          - focus-metavariable: $X\n"
    "        by-side-effect: true\n"
    "    pattern-propagators:\n"
    "      - pattern: strcpy($DST, $SRC)\n"
    "        from: $SRC\n"
    "        to: $DST\n"
    "      - pattern: copy($A, $B)\n"
    "        from: $A\n"
    "        to: $B\n"
    "        by-side-effect: false\n";

static void test_taint_specs(void **state)
{
    Loaded l = load(taint_rule);
    assert_clean(l);
    const Rule *r = rule_set_get(l.set, 0);
    assert_int_equal(r->mode, RULE_MODE_TAINT);
    assert_null(r->formula);
    assert_int_equal(r->sources.n, 2);
    assert_int_equal(r->sinks.n, 2);
    assert_int_equal(r->sanitizers.n, 1);
    assert_int_equal(r->propagators.n, 2);
    const RuleTaintSpec *src = &r->sources.v[1];
    assert_int_equal(src->formula->kind, RULE_F_PATTERNS);
    assert_int_equal(src->by_side_effect, RULE_SE_ONLY);
    assert_string_equal(src->label, "RAW");
    assert_true(src->exact);
    assert_string_equal(r->sinks.v[0].requires, "RAW and not CHECKED");
    assert_int_equal(r->sanitizers.v[0].by_side_effect, RULE_SE_YES);
    assert_string_equal(r->propagators.v[0].from, "$SRC");
    assert_string_equal(r->propagators.v[0].to, "$DST");
    assert_int_equal(r->propagators.v[1].by_side_effect, RULE_SE_NO);
    assert_true(rule_option_bool(r, "taint_assume_safe_indexes"));
    unload(&l);
}

/* Semgrep's defaults: sources and sanitizers inexact and not by side effect,
 * sinks exact, propagators by side effect. */
static void test_taint_defaults(void **state)
{
    Loaded l = load(taint_rule);
    const Rule *r = rule_set_get(l.set, 0);
    const RuleTaintSpec *src = &r->sources.v[0];
    assert_false(src->exact);
    assert_int_equal(src->by_side_effect, RULE_SE_NO);
    assert_null(src->label);
    assert_null(src->requires);
    assert_true(r->sinks.v[0].exact);
    assert_false(r->sinks.v[1].exact);
    assert_int_equal(r->propagators.v[0].by_side_effect, RULE_SE_YES);
    assert_int_equal(src->line, 10);
    assert_int_equal(src->col, 9);
    unload(&l);
}

static void test_taint_new_syntax(void **state)
{
    Loaded l = load("rules:\n"
                    "  - id: new-taint\n"
                    "    message: m\n"
                    "    severity: ERROR\n"
                    "    languages: [python]\n"
                    "    taint:\n"
                    "      sources:\n"
                    "        - input()\n"
                    "        - pattern: request.args\n"
                    "          label: WEB\n"
                    "      sinks:\n"
                    "        - eval(...)\n"
                    "      propagators:\n"
                    "        - pattern: $X = $Y\n"
                    "          from: $Y\n"
                    "          to: $X\n");
    assert_clean(l);
    const Rule *r = rule_set_get(l.set, 0);
    assert_int_equal(r->mode, RULE_MODE_TAINT);
    assert_int_equal(r->sources.n, 2);
    assert_string_equal(r->sources.v[0].formula->text, "input()");
    assert_string_equal(r->sources.v[1].label, "WEB");
    assert_true(r->sinks.v[0].exact);
    assert_string_equal(r->propagators.v[0].to, "$X");
    unload(&l);
}

static void test_taint_errors(void **state)
{
    Loaded l = load("rules:\n"
                    "  - id: no-sinks\n"
                    "    mode: taint\n"
                    "    message: m\n"
                    "    severity: ERROR\n"
                    "    languages: [c]\n"
                    "    pattern-sources:\n"
                    "      - pattern: recv(...)\n"
                    "        label: not a label\n"
                    "  - id: bad-propagator\n"
                    "    mode: taint\n"
                    "    message: m\n"
                    "    severity: ERROR\n"
                    "    languages: [c]\n"
                    "    pattern-sources: [{pattern: a}]\n"
                    "    pattern-sinks: [{pattern: b, requires: 'A and'}]\n"
                    "    pattern-propagators: [{pattern: f($A), from: $A}]\n");
    assert_false(l.ok);
    assert_int_equal(rule_set_count(l.set), 0);
    assert_diag(l, RULE_DIAG_INVALID, "needs pattern-sinks");
    assert_diag(l, RULE_DIAG_INVALID, "label 'not a label' is not an identifier");
    assert_diag(l, RULE_DIAG_INVALID, "requires 'A and' is not a label expression");
    assert_diag(l, RULE_DIAG_INVALID, "needs from: and to:");
    unload(&l);
}

static bool has_a(void *ctx, const char *label)
{
    return !strcmp(label, "A");
}

static void test_label_expressions(void **state)
{
    bool v;
    assert_true(rule_label_expr_eval("A", has_a, NULL, &v) && v);
    assert_true(rule_label_expr_eval("B", has_a, NULL, &v) && !v);
    assert_true(rule_label_expr_eval("A and not B", has_a, NULL, &v) && v);
    assert_true(rule_label_expr_eval("not (A or B)", has_a, NULL, &v) && !v);
    assert_true(rule_label_expr_eval("B or A and A", has_a, NULL, &v) && v);
    assert_false(rule_label_expr_eval("A and", has_a, NULL, &v));
    assert_false(rule_label_expr_eval("(A", has_a, NULL, &v));
    assert_false(rule_label_expr_eval("A B", has_a, NULL, &v));
    assert_false(rule_label_expr_eval("", has_a, NULL, &v));
}

/* ---------------------------------------------------------------- bad input */

static void test_malformed_yaml(void **state)
{
    Loaded l = load("rules:\n"
                    "  - id: broken\n"
                    "    message: \"never closed\n"
                    "    severity: ERROR\n");
    assert_false(l.ok);
    assert_int_equal(rule_set_count(l.set), 0);
    assert_int_equal(l.diags.n, 1);
    const Diag *d = &l.diags.v[0];
    assert_string_equal(d->type, RULE_DIAG_PARSE);
    assert_int_equal(d->level, DIAG_ERROR);
    assert_string_equal(d->path, "test.yml");
    assert_int_equal(d->line, 5);
    assert_contains(d->message, "invalid YAML: found unexpected end of stream");
    assert_contains(d->message, "line 3, column 14");
    unload(&l);
}

static void test_malformed_yaml_mapping(void **state)
{
    Loaded l = load("rules:\n  - id: x\n    message: a: b: c\n");
    assert_false(l.ok);
    assert_int_equal(l.diags.v[0].line, 3);
    assert_int_equal(l.diags.v[0].col, 15);
    assert_contains(l.diags.v[0].message, "mapping values are not allowed");
    unload(&l);
}

static void test_not_a_rules_file(void **state)
{
    Loaded a = load(""), b = load("- 1\n- 2\n"), c = load("other: 1\n"), e = load("rules:\n");
    assert_diag(a, RULE_DIAG_PARSE, "empty rules file");
    assert_diag(b, RULE_DIAG_PARSE, "a rules file is a mapping");
    assert_diag(c, RULE_DIAG_PARSE, "missing top-level key 'rules'");
    assert_clean(e);
    assert_int_equal(rule_set_count(e.set), 0);
    unload(&a), unload(&b), unload(&c), unload(&e);
}

static void test_unknown_key_warns(void **state)
{
    Loaded l = load("rules:\n"
                    "  - id: warned\n"
                    "    message: m\n"
                    "    severity: INFO\n"
                    "    languages: [java]\n"
                    "    author: someone\n"
                    "    pattern: foo()\n"
                    "    options:\n"
                    "      no_such_option: true\n");
    assert_true(l.ok);
    assert_int_equal(rule_set_count(l.set), 1);
    assert_int_equal(count_level(&l.diags, DIAG_ERROR), 0);
    const Diag *d = find_diag(&l.diags, RULE_DIAG_WARNING, "unknown key 'author'");
    assert_non_null(d);
    assert_int_equal(d->level, DIAG_WARN);
    assert_int_equal(d->line, 6);
    assert_int_equal(d->col, 5);
    assert_string_equal(d->rule_id, "warned");
    assert_diag(l, RULE_DIAG_WARNING, "unknown option 'no_such_option'");
    unload(&l);
}

static void test_duplicates_and_empty_keys(void **state)
{
    Loaded l = load("rules:\n"
                    "  - {id: same, message: m, severity: ERROR, languages: [c], pattern: a,\n"
                    "     options: , paths: , metadata: , fix: }\n"
                    "  - {id: same, message: m, severity: ERROR, languages: [c], pattern: b}\n");
    assert_true(l.ok);
    assert_int_equal(rule_set_count(l.set), 2);
    const Rule *r = rule_set_get(l.set, 0);
    assert_int_equal(r->noptions, 0);
    assert_null(r->metadata_json);
    assert_null(r->fix);
    assert_diag(l, RULE_DIAG_WARNING, "duplicate rule id 'same' (also at test.yml:2)");
    unload(&l);
}

static void test_missing_required_keys(void **state)
{
    Loaded l = load("rules:\n"
                    "  - message: no id here\n"
                    "    severity: ERROR\n"
                    "    languages: [python]\n"
                    "    pattern: x\n"
                    "  - id: no-message\n"
                    "    severity: ERROR\n"
                    "    languages: [python]\n"
                    "  - id: bad-severity\n"
                    "    message: m\n"
                    "    severity: FATAL\n"
                    "    languages: python\n"
                    "    pattern: x\n");
    assert_false(l.ok);
    assert_int_equal(rule_set_count(l.set), 0);
    const Diag *d = find_diag(&l.diags, RULE_DIAG_INVALID, "missing required key 'id'");
    assert_non_null(d);
    assert_null(d->rule_id);
    assert_int_equal(d->line, 2);
    d = find_diag(&l.diags, RULE_DIAG_INVALID, "missing required key 'message'");
    assert_non_null(d);
    assert_string_equal(d->rule_id, "no-message");
    assert_diag(l, RULE_DIAG_INVALID, "missing a formula");
    assert_diag(l, RULE_DIAG_INVALID, "severity 'FATAL' is not one of");
    assert_diag(l, RULE_DIAG_INVALID, "languages must be a non-empty list");
    unload(&l);
}

static void test_bad_regex(void **state)
{
    Loaded l = load("rules:\n"
                    "  - id: bad-regex\n"
                    "    message: m\n"
                    "    severity: ERROR\n"
                    "    languages: [python]\n"
                    "    patterns:\n"
                    "      - pattern: f($X)\n"
                    "      - metavariable-regex:\n"
                    "          metavariable: $X\n"
                    "          regex: 'ab(c'\n");
    assert_false(l.ok);
    assert_int_equal(rule_set_count(l.set), 0);
    const Diag *d = find_diag(&l.diags, RULE_DIAG_REGEX, "missing closing parenthesis");
    assert_non_null(d);
    assert_string_equal(d->rule_id, "bad-regex");
    assert_string_equal(d->path, "test.yml");
    assert_int_equal(d->line, 10);
    assert_int_equal(d->col, 23);   /* the quote at 18, the text from 19, offset 4 */
    assert_contains(d->message, "metavariable-regex");
    assert_contains(d->message, "at offset 4");
    unload(&l);
}

static void test_bad_regex_in_block(void **state)
{
    Loaded l = load("rules:\n"
                    "  - id: bad-block-regex\n"
                    "    message: m\n"
                    "    severity: ERROR\n"
                    "    languages: [regex]\n"
                    "    pattern-regex: |\n"
                    "      first line\n"
                    "      second [line\n");
    const Diag *d = find_diag(&l.diags, RULE_DIAG_REGEX, "missing terminating ]");
    assert_non_null(d);
    assert_int_equal(d->line, 8);
    assert_true(d->col > 7);
    unload(&l);
}

static void test_one_bad_rule_among_good(void **state)
{
    Loaded l = load("rules:\n"
                    "  - {id: first, message: m, severity: ERROR, languages: [c], pattern: a()}\n"
                    "  - {id: second, message: m, severity: ERROR, languages: [c], pattern-regex: '('}\n"
                    "  - {id: third, message: m, severity: ERROR, languages: [c], pattern: c()}\n");
    assert_false(l.ok);
    assert_int_equal(rule_set_count(l.set), 2);
    assert_string_equal(rule_set_get(l.set, 0)->id, "first");
    assert_string_equal(rule_set_get(l.set, 1)->id, "third");
    assert_int_equal(count_level(&l.diags, DIAG_ERROR), 1);
    assert_string_equal(l.diags.v[0].rule_id, "second");
    unload(&l);
}

/* Each of these is valid Semgrep that sluice cannot run yet: a clear error, never
 * a rule that silently matches nothing. */
static void test_unsupported_features(void **state)
{
    Loaded l = load("rules:\n"
                    "  - {id: u1, message: m, severity: ERROR, languages: [c], mode: reach, pattern: a}\n"
                    "  - {id: u2, message: m, severity: ERROR, languages: [c], mode: join, join: {}}\n"
                    "  - {id: u3, message: m, severity: ERROR, languages: [go], pattern: a}\n"
                    "  - {id: u4, message: m, severity: ERROR, languages: [c], patterns: [\n"
                    "      {pattern: $X}, {metavariable-analysis: {analyzer: entropy, metavariable: $X}}]}\n"
                    "  - {id: u5, message: m, severity: ERROR, languages: [c], mode: taint,\n"
                    "     pattern-sources: [{pattern: s, control: true}], pattern-sinks: [{pattern: k}]}\n"
                    "  - {id: u6, message: m, severity: ERROR, languages: [c],\n"
                    "     match: {pattern: a, as: $M}}\n"
                    "  - {id: u7, message: m, severity: ERROR, languages: [generic], pattern: a}\n");
    assert_false(l.ok);
    assert_int_equal(rule_set_count(l.set), 0);
    assert_diag(l, RULE_DIAG_UNSUPPORTED, "mode: reach is sluice's own and is not implemented yet");
    assert_diag(l, RULE_DIAG_UNSUPPORTED, "mode: join is not supported");
    assert_diag(l, RULE_DIAG_UNSUPPORTED, "language go is not supported by sluice yet");
    assert_diag(l, RULE_DIAG_UNSUPPORTED, "metavariable-analysis is not supported");
    assert_diag(l, RULE_DIAG_UNSUPPORTED, "control: true is not supported");
    assert_diag(l, RULE_DIAG_UNSUPPORTED, "as: is not supported");
    assert_diag(l, RULE_DIAG_UNSUPPORTED, "language generic is not supported");
    unload(&l);
}

static void test_partly_supported_languages(void **state)
{
    Loaded l = load("rules:\n"
                    "  - {id: p, message: m, severity: ERROR, languages: [python, javascript], pattern: a}\n"
                    "  - {id: q, message: m, severity: ERROR, languages: [cobol], pattern: a}\n");
    assert_int_equal(rule_set_count(l.set), 1);
    assert_int_equal(rule_set_get(l.set, 0)->lang_mask, 1u << LANG_PYTHON);
    assert_diag(l, RULE_DIAG_WARNING, "language javascript is not supported");
    assert_diag(l, RULE_DIAG_INVALID, "unknown language 'cobol'");
    unload(&l);
}

static void test_schema_errors(void **state)
{
    Loaded l = load("rules:\n"
                    "  - {id: e1, message: m, severity: ERROR, languages: [c], pattern-either: [\n"
                    "      {pattern: a}, {pattern-not: b}]}\n"
                    "  - {id: e2, message: m, severity: ERROR, languages: [c], patterns: [\n"
                    "      {pattern-not: a}]}\n"
                    "  - {id: e3, message: m, severity: ERROR, languages: [c], patterns: [\n"
                    "      {pattern: a}, {focus-metavariable: X}]}\n"
                    "  - {id: e4, message: m, severity: ERROR, languages: [c], pattern: a, pattern-regex: b}\n"
                    "  - {id: e5, message: m, severity: ERROR, languages: [c], pattern: a,\n"
                    "     pattern-sinks: [{pattern: b}]}\n"
                    "  - {id: e6, message: m, severity: ERROR, languages: [regex], pattern: a}\n"
                    "  - {id: e7, message: m, severity: ERROR, languages: [c], patterns: [\n"
                    "      {pattern: a, pattern-not: b}]}\n"
                    "  - {id: e8, message: m, severity: ERROR, languages: [c], patterns: [\n"
                    "      {patern: a}]}\n");
    assert_int_equal(rule_set_count(l.set), 0);
    assert_diag(l, RULE_DIAG_INVALID, "pattern-not is not allowed in an item of pattern-either");
    assert_diag(l, RULE_DIAG_INVALID, "patterns has no positive term");
    assert_diag(l, RULE_DIAG_INVALID, "'X' is not a metavariable");
    assert_diag(l, RULE_DIAG_INVALID, "a rule has one formula: both 'pattern' and 'pattern-regex'");
    assert_diag(l, RULE_DIAG_INVALID, "pattern-sinks needs mode: taint");
    assert_diag(l, RULE_DIAG_INVALID, "needs a programming language");
    assert_diag(l, RULE_DIAG_INVALID, "only one operator per item");
    assert_diag(l, RULE_DIAG_INVALID, "has no pattern operator");
    assert_diag(l, RULE_DIAG_WARNING, "unknown key 'patern'");
    unload(&l);
    Loaded t = load("rules:\n  - {id: e9, message: m, severity: ERROR, languages: [c],\n"
                    "     mode: taint, pattern-sources: [{pattern-inside: a}], pattern-sinks: [{pattern: b}]}\n");
    assert_diag(t, RULE_DIAG_INVALID, "pattern-inside is not allowed in the top of a formula");
    unload(&t);
}

/* YAML aliases can turn a few lines into an exponential tree, or a cycle. */
static void test_alias_bombs(void **state)
{
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "a0: &a0 [x, x]\n");
    for (int i = 1; i < 40; i++) sb_printf(&b, "a%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
    sb_puts(&b, "rules:\n  - {id: bomb, message: m, severity: ERROR, languages: [c], pattern: a,\n"
                "     metadata: *a39}\n");
    Loaded l = load(b.s);
    assert_int_equal(rule_set_count(l.set), 0);
    assert_diag(l, RULE_DIAG_INVALID, "too large");
    unload(&l);
    sb_free(&b);

    Loaded c = load("rules:\n  - &r {id: loop, message: m, severity: ERROR, languages: [c],\n"
                    "        patterns: &p [{pattern: a}, {patterns: *p}]}\n");
    assert_int_equal(rule_set_count(c.set), 0);
    assert_diag(c, RULE_DIAG_INVALID, "nested too deeply");
    unload(&c);
}

/* ---------------------------------------------------------------- newer syntax */

static void test_match_syntax(void **state)
{
    Loaded l = load("rules:\n"
                    "  - id: new-syntax\n"
                    "    message: m\n"
                    "    severity: LOW\n"
                    "    languages: [python]\n"
                    "    match:\n"
                    "      all:\n"
                    "        - inside: |\n"
                    "            def $F(...):\n"
                    "              ...\n"
                    "        - any:\n"
                    "            - eval($X)\n"
                    "            - regex: exec\\(\n"
                    "        - not: eval(\"1\")\n"
                    "        - not:\n"
                    "            inside: safe(...)\n"
                    "      where:\n"
                    "        - metavariable: $X\n"
                    "          regex: ^req\n"
                    "        - metavariable: $F\n"
                    "          pattern: handler_$N\n"
                    "        - comparison: $N > 2\n"
                    "        - focus: $X\n");
    assert_clean(l);
    const Rule *r = rule_set_get(l.set, 0);
    assert_int_equal(r->severity, RULE_SEV_INFO);
    const RuleFormula *f = r->formula;
    assert_int_equal(f->kind, RULE_F_PATTERNS);
    assert_int_equal(f->nkids, 8);
    assert_int_equal(f->kids[0]->kind, RULE_F_INSIDE);
    assert_int_equal(f->kids[1]->kind, RULE_F_EITHER);
    assert_int_equal(f->kids[1]->kids[1]->kind, RULE_F_REGEX);
    assert_int_equal(f->kids[2]->kind, RULE_F_NOT);
    assert_int_equal(f->kids[3]->kind, RULE_F_NOT_INSIDE);
    assert_int_equal(f->kids[4]->kind, RULE_F_METAVAR_REGEX);
    assert_int_equal(f->kids[5]->kind, RULE_F_METAVAR_PATTERN);
    assert_string_equal(f->kids[5]->kids[0]->text, "handler_$N");
    assert_int_equal(f->kids[6]->kind, RULE_F_METAVAR_COMPARISON);
    assert_int_equal(f->kids[7]->kind, RULE_F_FOCUS);
    unload(&l);
}

/* ---------------------------------------------------------------- packs, -e, dirs */

static void test_embedded_pack(void **state)
{
    assert_true(rule_pack_count() >= 1);
    int i = rule_pack_find("p/supply-chain");
    assert_true(i >= 0);
    assert_int_equal(rule_pack_find("python/supply-chain"), i);
    assert_int_equal(rule_pack_find("p/python/supply-chain"), i);
    assert_string_equal(rule_pack_name((size_t)i), "python/supply-chain");
    assert_string_equal(rule_pack_short_name((size_t)i), "supply-chain");
    assert_int_equal(rule_pack_find("p/no-such-pack"), -1);
    const char *yaml;
    size_t len;
    rule_pack_yaml((size_t)i, &yaml, &len);
    assert_true(len > 100 && strlen(yaml) == len);

    RuleSet *s = rule_set_new();
    DiagList d = {0};
    assert_true(rule_set_load_pack(s, "p/supply-chain", &d));
    assert_int_equal(d.n, 0);
    assert_int_equal(rule_set_count(s), 5);
    assert_string_equal(rule_set_get(s, 0)->path, "p/python/supply-chain");
    assert_non_null(rule_set_find(s, "python-ctypes-environ"));
    assert_true(rule_set_load_pack(s, "p/python", &d));   /* the language group */
    assert_int_equal(d.n, 0);                             /* reloaded rules: kept once */
    assert_non_null(rule_set_find(s, "python-env-command"));
    assert_true(rule_set_count(s) >= 5);
    assert_false(rule_set_load_pack(s, "p/nope", &d));
    assert_contains(d.v[d.n - 1].message, "no built-in rule pack 'p/nope'; the packs are: ");
    assert_contains(d.v[d.n - 1].message, "p/python/supply-chain");
    rule_set_free(s);
    diag_list_free(&d);
}

static void test_pattern_rule(void **state)
{
    RuleSet *s = rule_set_new();
    DiagList d = {0};
    assert_true(rule_set_add_pattern(s, "os.system(...)", "py", &d));
    assert_true(rule_set_add_pattern(s, "secret_[a-z]+", "regex", &d));
    assert_false(rule_set_add_pattern(s, "x", "cobol", &d));
    assert_false(rule_set_add_pattern(s, "(", "regex", &d));
    assert_int_equal(rule_set_count(s), 2);
    const Rule *r = rule_set_get(s, 0);
    assert_string_equal(r->id, "-");
    assert_string_equal(r->message, "os.system(...)");
    assert_int_equal(r->severity, RULE_SEV_ERROR);
    assert_int_equal(r->lang_mask, 1u << LANG_PYTHON);
    assert_int_equal(r->formula->kind, RULE_F_PATTERN);
    assert_string_equal(r->formula->text, "os.system(...)");
    r = rule_set_get(s, 1);
    assert_true(r->any_language);
    assert_int_equal(r->formula->kind, RULE_F_REGEX);
    assert_non_null(r->formula->re);
    assert_int_equal(d.n, 2);
    assert_contains(d.v[0].message, "unknown language 'cobol'");
    assert_string_equal(d.v[1].type, RULE_DIAG_REGEX);
    rule_set_free(s);
    diag_list_free(&d);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load_dir(void **state)
{
    char dir[] = "/tmp/sluice-rules-XXXXXX", path[512];
    assert_non_null(mkdtemp(dir));
    const char *rule = "rules: [{id: %s, message: m, severity: ERROR, languages: [c], pattern: a}]\n";
    char text[256];
    const char *files[][2] = {{"b.yml", "b"}, {"a.yaml", "a"}, {"sub/c.yml", "c"},
                              {"d.test.yml", "d"}, {".hidden.yml", "h"}, {"e.c", "e"}};
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0700);
    for (size_t i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
        snprintf(text, sizeof text, rule, files[i][1]);
        write_file(path, text);
    }
    RuleSet *s = rule_set_new();
    DiagList d = {0};
    assert_true(rule_set_load_dir(s, dir, &d));
    assert_int_equal(rule_set_count(s), 3);
    assert_string_equal(rule_set_get(s, 0)->id, "a");
    assert_string_equal(rule_set_get(s, 1)->id, "b");
    assert_string_equal(rule_set_get(s, 2)->id, "c");
    assert_true(str_ends_with(rule_set_get(s, 2)->path, "/sub/c.yml"));
    rule_set_free(s);
    diag_list_free(&d);
    for (size_t i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}

static void test_missing_file(void **state)
{
    RuleSet *s = rule_set_new();
    DiagList d = {0};
    assert_false(rule_set_load_file(s, "/nonexistent/rules.yml", &d));
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].type, RULE_DIAG_PARSE);
    assert_contains(d.v[0].message, "cannot open");
    assert_false(rule_set_load_dir(s, "/nonexistent", &d));
    rule_set_free(s);
    diag_list_free(&d);
}

static void test_repo_pack_file(void **state)
{
    RuleSet *s = rule_set_new();
    DiagList d = {0};
    assert_true(rule_set_load_dir(s, "rules", &d));
    print_diags(&d);
    assert_int_equal(d.n, 0);
    assert_true(rule_set_count(s) >= 5);
    rule_set_free(s);
    diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_every_key_options),
        cmocka_unit_test(test_every_key_formula),
        cmocka_unit_test(test_every_key_metavariables),
        cmocka_unit_test(test_seed000_rules),
        cmocka_unit_test(test_seed000_libc_shape),
        cmocka_unit_test(test_taint_specs),
        cmocka_unit_test(test_taint_defaults),
        cmocka_unit_test(test_taint_new_syntax),
        cmocka_unit_test(test_taint_errors),
        cmocka_unit_test(test_label_expressions),
        cmocka_unit_test(test_malformed_yaml),
        cmocka_unit_test(test_malformed_yaml_mapping),
        cmocka_unit_test(test_not_a_rules_file),
        cmocka_unit_test(test_unknown_key_warns),
        cmocka_unit_test(test_duplicates_and_empty_keys),
        cmocka_unit_test(test_missing_required_keys),
        cmocka_unit_test(test_bad_regex),
        cmocka_unit_test(test_bad_regex_in_block),
        cmocka_unit_test(test_one_bad_rule_among_good),
        cmocka_unit_test(test_unsupported_features),
        cmocka_unit_test(test_partly_supported_languages),
        cmocka_unit_test(test_schema_errors),
        cmocka_unit_test(test_alias_bombs),
        cmocka_unit_test(test_match_syntax),
        cmocka_unit_test(test_embedded_pack),
        cmocka_unit_test(test_pattern_rule),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_repo_pack_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
