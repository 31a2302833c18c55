/* test_match_core.c: the match stage's node matcher on Python and C snippets:
 * metavariables and unification, ellipsis in calls and collections, deep expressions,
 * string ellipsis and regexes, import aliases, keyword order, constants. */
#include "match_harness.h"

static void test_call_and_metavar(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: foo($X)\n");
    assert_lines(rule, LANG_PYTHON, "foo(1)\nfoo(1, 2)\nbar(1)\nx = foo(a)\n", "1 4");
}

static void test_unification(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: $X == $X\n");
    assert_lines(rule, LANG_PYTHON, "a == a\na == b\nf(x.y) == f(x.y)\n", "1 3");
}

static void test_args_ellipsis(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: foo(..., 3, ...)\n");
    assert_lines(rule, LANG_PYTHON, "foo(3)\nfoo(1, 3)\nfoo(3, 4, 5)\nfoo(1, 2)\n", "1 2 3");
    const char *any = PY_RULE("  pattern: foo(...)\n");
    assert_lines(any, LANG_PYTHON, "foo()\nfoo(1, k=2)\nbar()\n", "1 2");
}

static void test_variadic_metavar(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: foo($...A, 9)\n");
    assert_lines(rule, LANG_PYTHON, "foo(9)\nfoo(1, 2, 9)\nfoo(9, 1)\n", "1 2");
}

static void test_keyword_order(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: run($C, shell=True, check=False)\n");
    assert_lines(rule, LANG_PYTHON,
                 "run(x, check=False, shell=True)\nrun(x, shell=True, check=False)\n"
                 "run(x, shell=True)\nrun(x, shell=True, check=False, y=1)\n", "1 2");
    const char *open = PY_RULE("  pattern: run(..., shell=True, ...)\n");
    assert_lines(open, LANG_PYTHON, "run(a, b, cwd=1, shell=True)\nrun(a, shell=False)\n", "1");
}

static void test_strings(void **state)
{
    (void)state;
    const char *quotes = PY_RULE("  pattern: open('/etc/passwd')\n");
    assert_lines(quotes, LANG_PYTHON, "open(\"/etc/passwd\")\nopen('/etc/passwd')\nopen('/etc/x')\n",
                 "1 2");
    const char *any = PY_RULE("  pattern: open(\"...\")\n");
    assert_lines(any, LANG_PYTHON, "open('a')\nopen(x)\n", "1");
    const char *re = PY_RULE("  pattern: os.system(\"=~/^\\s*(env|set)\\b/\")\n");
    assert_lines(re, LANG_PYTHON, "os.system('env')\nos.system(' set -x')\nos.system('ls')\n", "1 2");
}

static void test_collections(void **state)
{
    (void)state;
    const char *set = PY_RULE("  pattern: '{..., \"b\", ...}'\n");
    assert_lines(set, LANG_PYTHON, "x = {'a', 'b'}\ny = {'a'}\nz = ['b']\n", "1");
    const char *list = PY_RULE("  pattern: '[..., \"=~/^(env|set)$/\", ...]'\n");
    assert_lines(list, LANG_PYTHON, "f(['env'])\nf(['sh', 'set'])\nf(['ls'])\n", "1 2");
}

static void test_deep_expression(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: |\n    if <... input() ...>:\n        ...\n");
    assert_lines(rule, LANG_PYTHON,
                 "if len(input()) > 3:\n    pass\nif x:\n    input()\n", "1");
}

static void test_aliases(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: subprocess.run(...)\n");
    assert_lines(rule, LANG_PYTHON, "import subprocess as sp\nsp.run(['ls'])\nrun(1)\n", "2");
    const char *env = PY_RULE("  pattern: os.environ.get(...)\n");
    assert_lines(env, LANG_PYTHON, "from os import environ\nenviron.get('HOME')\n", "2");
    const char *path = PY_RULE("  pattern: pathlib.Path(...)\n");
    assert_lines(path, LANG_PYTHON, "from pathlib import Path\nPath('/x')\n", "2");
    const char *mod = PY_RULE("  pattern: a.b.f()\n");
    assert_lines(mod, LANG_PYTHON, "import a.b as c\nc.f()\nfrom a import b as d\nd.f()\n", "2 4");
    const char *none = PY_RULE("  pattern: subprocess.run(...)\n");
    assert_lines(none, LANG_PYTHON, "import os as sp\nsp.run(1)\n", "");
}

static void test_constants(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: open(\"/etc/shadow\")\n");
    assert_lines(rule, LANG_PYTHON, "p = '/etc/shadow'\nopen(p)\n", "2");
    assert_lines(rule, LANG_PYTHON, "p = '/etc/shadow'\np = 'x'\nopen(p)\n", "");
}

static void test_method_chain(void **state)
{
    (void)state;
    const char *rule = PY_RULE("  pattern: $X.in_dll($LIB, 'environ')\n");
    assert_lines(rule, LANG_PYTHON, "e = ctypes.POINTER(c).in_dll(libc, \"environ\")\ne = x.in_dll(l, 'y')\n",
                 "1");
}

static void test_c_calls(void **state)
{
    (void)state;
    const char *rule = C_RULE("  pattern: memcpy($D, $S, $N)\n");
    assert_lines(rule, LANG_C, "void f(char *a, char *b, int n) {\n  memcpy(a, b, n);\n  memmove(a, b, n);\n}\n",
                 "2");
    const char *same = C_RULE("  pattern: memcpy($D, $D, $N)\n");
    assert_lines(same, LANG_C, "void f(char *a, int n) {\n  memcpy(a, a, n);\n  memcpy(a, b, n);\n}\n", "2");
}

static void test_assign_matches_decl(void **state)
{
    (void)state;
    const char *rule = C_RULE("  pattern: $X = malloc($N)\n");
    assert_lines(rule, LANG_C, "void f(int n) {\n  char *p = malloc(n);\n  q = malloc(4);\n  free(p);\n}\n",
                 "2 3");
}

static void test_message_interpolation(void **state)
{
    (void)state;
    Harness h;
    harness_load(&h, PY_RULE("  pattern: eval($X)\n"));
    char *msgs = NULL;
    char *lines = harness_run(&h, LANG_PYTHON, "eval(a + b)\n", &msgs);
    assert_string_equal(lines, "1");
    assert_string_equal(msgs, "1: m a + b\n");
    free(lines);
    free(msgs);
    harness_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_and_metavar),
        cmocka_unit_test(test_unification),
        cmocka_unit_test(test_args_ellipsis),
        cmocka_unit_test(test_variadic_metavar),
        cmocka_unit_test(test_keyword_order),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_deep_expression),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_method_chain),
        cmocka_unit_test(test_c_calls),
        cmocka_unit_test(test_assign_matches_decl),
        cmocka_unit_test(test_message_interpolation),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    base_intern_shutdown();
    return failed;
}
