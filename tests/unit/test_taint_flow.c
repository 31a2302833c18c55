/* test_taint_flow.c: the taint stage's IL and CFG shapes, the data flow's paths
 * (access paths, k-limit, the steps of a finding), and its limits: a function over
 * the size limit or the fixpoint budget gets an error, and a generated function of
 * 50,000 statements finishes. */
#include "taint_harness.h"

#include "taint/taint_int.h"

/* ---------------------------------------------------------------- CFG shapes */

static char *cfg_of(Lang lang, const char *code)
{
    LangParser *p = lang_parser_new();
    AstFile *f = lang_parse_file(p, lang, "t", code, strlen(code), NULL);
    const AstNode *fn = f->root->kids[0];
    if (fn->kind == AST_CLASS) fn = fn->kids[fn->nkids - 1];
    Arena a;
    arena_init(&a);
    TaintCfg cfg;
    taint_cfg_build(&cfg, &a, fn, lang);
    char *s = taint_cfg_dump(&cfg);
    taint_cfg_free(&cfg);
    arena_free(&a);
    lang_file_free(f);
    lang_parser_delete(p);
    return s;
}

static void test_cfg_if(void **state)
{
    (void)state;
    char *s = cfg_of(LANG_C, "int f(int x) {\n int y = 0;\n if (x > 1)\n  y = 2;\n else\n  y = 3;\n return y;\n}\n");
    assert_string_equal(s, "b0: param@1(x) assign@2(y) eval@3 -> b2[T] b3[F]\n"
                           "b1: ->\n"
                           "b2: eval@4 -> b4\n"
                           "b3: eval@6 -> b4\n"
                           "b4: return@7 -> b1\n"
                           "b5: -> b1\n");
    free(s);
}

static void test_cfg_loops(void **state)
{
    (void)state;
    char *s = cfg_of(LANG_C, "void f(int n) {\n for (int i = 0; i < n; i++) {\n  if (i) continue;\n  if (n) break;\n }\n}\n");
    /* the head tests the condition; continue goes to the update, break out */
    assert_contains(s, "b0: param@1(n) assign@2(i) -> b2\n");
    assert_contains(s, "b2: eval@2 -> b5[T] b6[F]\n");
    assert_contains(s, "b7: -> b3\n");   /* continue -> the update block */
    assert_contains(s, "b3: eval@2 -> b2\n");
    assert_contains(s, "b11: -> b4\n");  /* break -> after the loop */
    free(s);
}

static void test_cfg_switch_fallthrough(void **state)
{
    (void)state;
    char *s = cfg_of(LANG_C, "void f(int n) {\n switch (n) {\n case 1: a();\n case 2: b(); break;\n }\n}\n");
    /* case 1 falls into case 2; no default: the switch may be skipped */
    assert_contains(s, "b0: param@1(n) eval@2 -> b3 b4 b2\n");
    assert_contains(s, "b3: eval@3 eval@3 -> b4\n");   /* the case value, then its code */
    free(s);
}

static void test_cfg_goto(void **state)
{
    (void)state;
    char *s = cfg_of(LANG_C, "void f(int n) {\n if (n) goto out;\n a();\nout:\n b();\n}\n");
    assert_contains(s, "b2: -> b6\n");   /* the goto jumps to the label's block */
    assert_contains(s, "b6: eval@5 -> b1\n");
    free(s);
}

static void test_cfg_try(void **state)
{
    (void)state;
    char *s = cfg_of(LANG_JAVA, "class C { void m() {\n try {\n  a();\n } catch (E e) {\n  b(e);\n } finally {\n  c();\n }\n} }\n");
    /* the body's block may throw to the handler and runs into the finally */
    assert_contains(s, "b5: eval@3 -> b3 b4 b3\n");
    assert_contains(s, "b4: catch@4(e) eval@5 -> b3\n");
    assert_contains(s, "b3: eval@7 -> b2 b1\n");
    free(s);
}

static void test_cfg_python_loop_else(void **state)
{
    (void)state;
    char *s = cfg_of(LANG_PYTHON, "def f(xs):\n    for x in xs:\n        g(x)\n    else:\n        h()\n");
    assert_contains(s, "b3: assign-each@2 eval@3 -> b2\n");
    assert_contains(s, "eval@5");
    free(s);
}

/* ---------------------------------------------------------------- flows */

#define RULE_HEAD "rules:\n- id: t\n  message: m\n  severity: ERROR\n  languages: [c]\n  mode: taint\n"
static const char *C_SRC_SINK = RULE_HEAD
    "  pattern-sources:\n  - pattern: src()\n"
    "  pattern-sinks:\n  - pattern: sink(...)\n";

static void test_flow_steps(void **state)
{
    (void)state;
    TaintHarness h;
    th_load(&h, C_SRC_SINK, NULL);
    char *paths = NULL;
    char *lines = th_run(&h, LANG_C, "void f(void) {\n char *a = src();\n char *b;\n b = a;\n sink(b);\n}\n",
                         &paths, NULL);
    assert_string_equal(lines, "5");
    assert_string_equal(paths, "5: source@2 step@2 step@4 sink@5\n");
    free(lines);
    free(paths);
    th_free(&h);
}

static void test_flow_fields_k_limit(void **state)
{
    (void)state;
    const char *code = "void f(S a) {\n a.b.c.d = src();\n sink(a.b.c.e);\n sink(a.b.x);\n sink(a);\n}\n";
    TaintHarness h;
    th_load(&h, C_SRC_SINK, NULL);
    char *lines = th_run(&h, LANG_C, code, NULL, NULL);
    assert_string_equal(lines, "5");   /* k = 3: a.b.c.d is precise; a holds it */
    free(lines);
    th_free(&h);
    TaintOptions opt = { .k = 1 };
    th_load(&h, C_SRC_SINK, &opt);
    lines = th_run(&h, LANG_C, code, NULL, NULL);
    assert_string_equal(lines, "3 4 5");   /* k = 1: everything under a.b is one path */
    free(lines);
    th_free(&h);
}

static void test_flow_cast_pointer(void **state)
{
    (void)state;
    TaintHarness h;
    th_load(&h, C_SRC_SINK, NULL);
    char *lines = th_run(&h, LANG_C,
                         "void f(void) {\n char *buf = src();\n Req *r = (Req *)buf;\n sink(r->hdr.len);\n"
                         " r->hdr.len = 0;\n sink(r->hdr.len);\n sink(r->other);\n}\n", NULL, NULL);
    assert_string_equal(lines, "4 7");
    free(lines);
    th_free(&h);
}

/* ---------------------------------------------------------------- limits */

static void test_limit_budget(void **state)
{
    (void)state;
    TaintHarness h;
    TaintOptions opt = { .budget = 1 };
    th_load(&h, C_SRC_SINK, &opt);
    /* a budget of one node per node (plus the fixed part) is spent by a long loop body */
    StrBuf code;
    sb_init(&code);
    sb_puts(&code, "void f(int n) {\n char *a = src();\n while (n) {\n");
    for (int i = 0; i < 40000; i++) sb_printf(&code, "  a = a + %d;\n", i);
    sb_puts(&code, " }\n sink(a);\n}\n");
    char *diags = NULL;
    char *lines = th_run(&h, LANG_C, code.s, NULL, &diags);
    assert_string_equal(lines, "");
    assert_contains(diags, "Taint limit: function f: the taint fixpoint did not converge within its budget");
    free(lines);
    free(diags);
    sb_free(&code);
    th_free(&h);
}

static void test_limit_size(void **state)
{
    (void)state;
    TaintHarness h;
    TaintOptions opt = { .max_nodes = 20 };
    th_load(&h, C_SRC_SINK, &opt);
    char *diags = NULL;
    char *lines = th_run(&h, LANG_C, "void small(void) { sink(src()); }\n"
                         "void big(void) {\n char *a = src();\n a = a + 1; a = a + 2; a = a + 3;\n sink(a);\n}\n",
                         NULL, &diags);
    assert_string_equal(lines, "1");   /* the small function is still analysed */
    assert_contains(diags, "Taint limit: function big: too large for taint analysis");
    free(lines);
    free(diags);
    th_free(&h);
}

static void test_limit_50000_statements(void **state)
{
    (void)state;
    StrBuf code;
    sb_init(&code);
    sb_puts(&code, "void gen(int n) {\n int v0 = src();\n");
    for (int i = 1; i <= 50000; i++) {
        if (i % 1000 == 0) sb_printf(&code, " if (n > %d) { v%d = v%d * 3; }\n int v%d = v%d + 1;\n", i, i - 1, i - 1, i, i - 1);
        else sb_printf(&code, " int v%d = v%d + 1;\n", i, i - 1);
    }
    sb_puts(&code, " sink(v50000);\n}\n");
    TaintHarness h;
    th_load(&h, C_SRC_SINK, NULL);
    double t0 = now_seconds();
    char *diags = NULL;
    char *lines = th_run(&h, LANG_C, code.s, NULL, &diags);
    double t = now_seconds() - t0;
    print_message("50,000 statements: %.2f s\n", t);
    assert_string_equal(diags, "");
    assert_int_not_equal(strlen(lines), 0);
    assert_true(t < 60.0);
    free(lines);
    free(diags);
    sb_free(&code);
    th_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cfg_if),
        cmocka_unit_test(test_cfg_loops),
        cmocka_unit_test(test_cfg_switch_fallthrough),
        cmocka_unit_test(test_cfg_goto),
        cmocka_unit_test(test_cfg_try),
        cmocka_unit_test(test_cfg_python_loop_else),
        cmocka_unit_test(test_flow_steps),
        cmocka_unit_test(test_flow_fields_k_limit),
        cmocka_unit_test(test_flow_cast_pointer),
        cmocka_unit_test(test_limit_budget),
        cmocka_unit_test(test_limit_size),
        cmocka_unit_test(test_limit_50000_statements),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    base_intern_shutdown();
    return rc;
}
