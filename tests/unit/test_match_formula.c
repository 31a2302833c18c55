/* test_match_formula.c: rule formulas with Semgrep's range semantics on Python and C
 * snippets: patterns / inside / not / not-inside / either, regexes, metavariable
 * conditions, focus, statement sequences, nosemgrep and per-rule paths. */
#include "match_harness.h"

static void test_either(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern-either:\n  - pattern: a()\n  - pattern: b()\n");
    assert_lines(rule, LANG_PYTHON, "a()\nb()\nc()\n", "1 2");
}

static void test_not(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  patterns:\n  - pattern: f($X)\n  - pattern-not: f(1)\n");
    assert_lines(rule, LANG_PYTHON, "f(1)\nf(2)\n", "2");
}

static void test_inside_sequence(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  patterns:\n  - pattern-inside: |\n      $LIB = ctypes.CDLL(...)\n"
                               "      ...\n  - pattern: $Y.in_dll($LIB, 'environ')\n");
    assert_lines(rule, LANG_PYTHON,
                 "x.in_dll(libc, 'environ')\nlibc = ctypes.CDLL(None)\nother = 1\n"
                 "e = ctypes.POINTER(p).in_dll(libc, \"environ\")\ne = y.in_dll(lib2, 'environ')\n", "4");
}

static void test_not_inside(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  patterns:\n  - pattern: open($F)\n  - pattern-not-inside: |\n"
                               "      with $CTX:\n        ...\n");
    assert_lines(rule, LANG_PYTHON, "open(a)\nwith lock:\n    open(b)\n", "1");
    const char *fn = PY_RULE("  patterns:\n  - pattern: eval($X)\n  - pattern-not-inside: |\n"
                             "      def safe(...):\n        ...\n");
    assert_lines(fn, LANG_PYTHON, "def safe(a):\n    eval(a)\ndef bad(a):\n    eval(a)\n", "4");
}

static void test_inside_binds(void **state)
{
    (void)state;
    /* The binding of $F comes from the inside pattern and filters the other. */
    const char *rule = PY_RULE("  patterns:\n  - pattern-inside: |\n      def $F(...):\n"
                               "        ...\n  - pattern: $F()\n");
    assert_lines(rule, LANG_PYTHON, "def f():\n    f()\n    g()\n", "2");
}

static void test_statement_sequence(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: |\n    $F = open($P)\n    ...\n    $F.close()\n");
    assert_lines(rule, LANG_PYTHON, "f = open(p)\nx = 1\nf.close()\ng = open(q)\nh.close()\n", "1");
    /* Deep statement matching: the statement after ... may be nested. */
    assert_lines(rule, LANG_PYTHON, "f = open(p)\nif x:\n    f.close()\n", "1");
}

static void test_regex_formulas(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  patterns:\n  - pattern-regex: secret_\\w+\n  - pattern-not-regex: secret_ok\n");
    assert_lines(rule, LANG_PYTHON, "a = secret_key\nb = secret_ok\n# secret_x\n", "1 3");
}

static void test_metavariable_regex(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  patterns:\n  - pattern: $F(...)\n  - metavariable-regex:\n"
                               "      metavariable: $F\n      regex: ^(exec|eval)$\n");
    assert_lines(rule, LANG_PYTHON, "exec(a)\neval(b)\nexecute(c)\n", "1 2");
}

static void test_metavariable_comparison(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  patterns:\n  - pattern: sleep($N)\n  - metavariable-comparison:\n"
                               "      metavariable: $N\n      comparison: $N > 10 and $N % 2 == 0\n");
    assert_lines(rule, LANG_PYTHON, "sleep(5)\nsleep(12)\nsleep(13)\nsleep(x)\n", "2");
    const char *str = PY_RULE("  patterns:\n  - pattern: f($N)\n  - metavariable-comparison:\n"
                              "      comparison: str($N) == \"abc\" or int($N) in [1, 2]\n");
    assert_lines(str, LANG_PYTHON, "f(abc)\nf(2)\nf(3)\n", "1 2");
    const char *re = PY_RULE("  patterns:\n  - pattern: f($N)\n  - metavariable-comparison:\n"
                             "      comparison: re.match(\"^user_\", str($N))\n");
    assert_lines(re, LANG_PYTHON, "f(user_id)\nf(id_user)\n", "1");
}

static void test_metavariable_pattern(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  patterns:\n  - pattern: run($ARG)\n  - metavariable-pattern:\n"
                               "      metavariable: $ARG\n      pattern: input(...)\n");
    assert_lines(rule, LANG_PYTHON, "run(input())\nrun(len(input()))\nrun(x)\n", "1 2");
    const char *either = PY_RULE("  patterns:\n  - pattern: run($ARG)\n  - metavariable-pattern:\n"
                                 "      metavariable: $ARG\n      patterns:\n      - pattern: $Z\n"
                                 "      - pattern-not: safe\n");
    assert_lines(either, LANG_PYTHON, "run(safe)\nrun(bad)\n", "2");
}

static void test_focus(void **state)
{
    (void)state;
    Harness h;
    harness_load(&h, PY_RULE("  patterns:\n  - pattern: |\n      $X = source()\n      ...\n"
                             "      sink($X)\n  - focus-metavariable: $X\n"));
    char *msgs = NULL;
    char *lines = harness_run(&h, LANG_PYTHON, "a = source()\nb = 1\nsink(a)\n", &msgs);
    assert_string_equal(lines, "1");   /* a metavariable's binding is its first occurrence */
    free(lines);
    free(msgs);
    harness_free(&h);
}

static void test_nosemgrep(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: eval($X)\n");
    assert_lines(rule, LANG_PYTHON,
                 "eval(a)  # nosemgrep\neval(b)  # nosemgrep: other-rule\n# nosemgrep: r\neval(c)\n"
                 "eval(d)\n", "2 5");
}

static void test_paths(void **state)
{
    (void)state;
    const char *rule = "rules:\n- id: r\n  message: m\n  severity: ERROR\n  languages: [python]\n"
                       "  paths:\n    exclude: [t]\n  pattern: eval($X)\n";
    assert_lines(rule, LANG_PYTHON, "eval(a)\n", "");
}

static void test_prefilter_skips(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: zzz_never($X)\n");
    assert_lines(rule, LANG_PYTHON, "eval(a)\n", "");
}

static void test_catastrophic_regex(void **state)
{
    (void)state;
    Harness h;
    harness_load(&h, PY_RULE("  pattern-regex: (a+)+$\n"));
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "x = '");
    for (int i = 0; i < 5000; i++) sb_putc(&b, 'a');
    sb_puts(&b, "!'\n");
    DiagList d = {0};
    AstFile *f = lang_parse_file(h.p, LANG_PYTHON, "t", b.s, b.len, &d);
    MatchResults res;
    match_results_init(&res);
    match_file(h.e, h.p, f, LANG_PYTHON, &res, &d);
    bool found = false;
    for (size_t i = 0; i < d.n; i++) found |= strcmp(d.v[i].type, MATCH_DIAG_REGEX) == 0;
    assert_true(found);
    match_results_free(&res);
    diag_list_free(&d);
    lang_file_free(f);
    sb_free(&b);
    harness_free(&h);
}

/* The seed-000 rules (written with the harness's placeholders) on envgrab's setup.py. */
static void test_seed000_rules(void **state)
{
    (void)state;
    const char *yaml =
        "rules:\n"
        "- id: env-set\n  message: m\n  severity: ERROR\n  languages: [python]\n  pattern-either:\n"
        "  - pattern: subprocess.$FUNC([..., \"=~/^(env|set)$/\", ...], ...)\n"
        "  - pattern: os.system(\"=~/^\\s*(env|set)\\b/\")\n"
        "- id: os-environ\n  message: m\n  severity: ERROR\n  languages: [python]\n  pattern-either:\n"
        "  - pattern: os.environ.get(...)\n  - pattern: os.environ[...]\n"
        "  - pattern: os.environ\n  - pattern: os.getenv(...)\n"
        "- id: proc-fs\n  message: m\n  severity: ERROR\n  languages: [python]\n  pattern-either:\n"
        "  - pattern: pathlib.Path('/proc') / ... / 'environ'\n"
        "  - pattern: open(\"=~/^/proc/.*/environ$/\", ...)\n"
        "- id: environ-files\n  message: m\n  severity: ERROR\n  languages: [python]\n  pattern-either:\n"
        "  - pattern: '{..., \"=~/^(/etc/(environment|profile|bashrc)|~/\\\\.(bashrc|profile))$/\", ...}'\n"
        "- id: libc-environ\n  message: m\n  severity: ERROR\n  languages: [python]\n  patterns:\n"
        "  - pattern-inside: |\n      $LIB = ctypes.CDLL(...)\n      ...\n"
        "  - pattern: $Y.in_dll($LIB, 'environ')\n";
    char *src;
    size_t len;
    char err[256];
    if (!file_read_all(SHARED_DIR "/examples/pypkg-envgrab/setup.py", &src, &len, err, sizeof err)) {
        print_error("../shared/examples/pypkg-envgrab/setup.py: %s\n", err);   /* CI has ../shared */
        fail();
    }
    Harness h;
    harness_load(&h, yaml);
    char *lines = harness_run(&h, LANG_PYTHON, src, NULL);
    assert_string_equal(lines, "16 18 20 22 25 32");
    free(lines);
    free(src);
    harness_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_either),
        cmocka_unit_test(test_not),
        cmocka_unit_test(test_inside_sequence),
        cmocka_unit_test(test_not_inside),
        cmocka_unit_test(test_inside_binds),
        cmocka_unit_test(test_statement_sequence),
        cmocka_unit_test(test_regex_formulas),
        cmocka_unit_test(test_metavariable_regex),
        cmocka_unit_test(test_metavariable_comparison),
        cmocka_unit_test(test_metavariable_pattern),
        cmocka_unit_test(test_focus),
        cmocka_unit_test(test_nosemgrep),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_prefilter_skips),
        cmocka_unit_test(test_catastrophic_regex),
        cmocka_unit_test(test_seed000_rules),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    base_intern_shutdown();
    return failed;
}
