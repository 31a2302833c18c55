/* test_lang_java.c: the Java front end: declarations, annotations, calls, control flow
 * and expressions lower to the shapes ast.h documents; bad input costs a diagnostic,
 * never a crash. */
#include "testutil.h"

#include "lang/lang.h"

static LangParser *P;
static char *SAMPLE;      /* the dump of the sample below, shared by the tests */

/* One compilation unit with most of the language; each test checks a part of it. */
static const char sample_src[] =
    "package a.b;\n"
    "import static java.util.Map.entry;\n"
    "import java.util.*;\n"
    "@Ann(x = 1, y = {\"a\", \"b\"})\n"
    "public final class A<T> extends B implements C, D {\n"
    "    private static final int[] N = new int[]{1, 2}, M[] = new int[3][];\n"
    "    A(int x) { super(x); this.x = x; }\n"
    "    @Override @GetMapping(\"/x\")\n"
    "    public static <T> List<T> m(@RequestParam final String s, int... rest) throws IOException {\n"
    "        int i = 0, j;\n"
    "        for (int k = 0, q = 1; k < 10; k++, q--) { i += k; }\n"
    "        for (String e : list) continue;\n"
    "        while (i > 0) i--;\n"
    "        do { i++; } while (i < 3);\n"
    "        if (o instanceof String str && !(o instanceof Integer)) return null;\n"
    "        switch (i) { case 1: case 2: i = 0; break; default: i = 1; }\n"
    "        int r = switch (s) { case \"a\", \"b\" -> 1; default -> { yield 2; } };\n"
    "        try (FileWriter w = new FileWriter(s); in) { w.write(s); }\n"
    "        catch (IOException | RuntimeException e) { throw new RuntimeException(e); }\n"
    "        finally { cleanup(); }\n"
    "        Runnable run = () -> System.out.println(\"x\");\n"
    "        Function<String, Integer> f = (String a) -> { return a.length(); };\n"
    "        Object o2 = (Object) arr[i];\n"
    "        String t = c ? \"y\" : 'z' + \"\"\"\n"
    "            text\"\"\";\n"
    "        new Thread() { public void run() {} };\n"
    "        out: for (;;) break out;\n"
    "        super.m();\n"
    "        return String.class == null ? List.of() : null;\n"
    "    }\n"
    "}\n"
    "interface I extends J { void f(); }\n"
    "enum E implements I { A, B(2) { }; E() {} E(int x) {} public void f() {} }\n"
    "record R(int a, String b) { }\n";

static char *dump_java(const char *src, DiagList *d)
{
    DiagList local = {0};
    AstFile *f = lang_parse_file(P, LANG_JAVA, "T.java", src, strlen(src), d ? d : &local);
    char *s = ast_dump_string(f->root);
    lang_file_free(f);
    diag_list_free(&local);
    return s;
}

static bool count_other(AstNode *n, void *ctx)
{
    if (n->kind == AST_OTHER && strcmp(n->text, "package_declaration") != 0) (*(int *)ctx)++;
    return true;
}

static void test_examples_lower_fully(void **state)
{
    (void)state;
    static const char *const files[] = {
        "xapp/audit-svc/src/main/java/com/example/audit/AuditController.java",
        "xapp/user-rpc/src/main/java/com/example/user/UserServiceImpl.java",
        "xapp/web/src/main/java/com/example/web/HelloController.java",
        "xapp/contract/src/main/java/com/example/contract/User.java",
        "xapp/contract/src/main/java/com/example/contract/UserService.java",
    };
    for (size_t i = 0; i < 5; i++) {
        char path[512], err[256], *src;
        size_t len;
        snprintf(path, sizeof path, "%s/examples/%s", SHARED_DIR, files[i]);
        assert_true(file_read_all(path, &src, &len, err, sizeof err));
        DiagList d = {0};
        AstFile *f = lang_parse_file(P, LANG_JAVA, path, src, len, &d);
        int others = 0;
        ast_walk(f->root, count_other, &others);
        assert_int_equal(others, 0);
        assert_int_equal(d.n, 0);
        char *s = ast_dump_string(f->root);
        if (i == 0) {
            assert_contains(s, "(Func \"onEvent\" 16:5-21:6 :type \"void\" :text \"public\"\n"
                               "      (Annotation \"KafkaListener\" 16:5-16:38\n"
                               "        (Keyword \"topics\" 16:20-16:37\n"
                               "          (Literal 16:29-16:37 :op \"string\" :text \"events\")))\n"
                               "      (Param \"message\" 17:25-17:39 :type \"String\")");
            assert_contains(s, "(Try 18:9-20:10\n"
                               "          (Block 18:13-20:10\n"
                               "            (Decl \"w\" 18:14-18:73 :type \"FileWriter\"\n"
                               "              (Call 18:29-18:73 :flags \"new\"\n"
                               "                (Type \"FileWriter\" 18:33-18:43)");
        }
        if (i == 2) {
            assert_contains(s, "(Func \"hello\" 20:5-25:6 :type \"String\" :text \"public\"\n"
                               "      (Annotation \"GetMapping\" 20:5-20:26\n"
                               "        (Literal 20:17-20:25 :op \"string\" :text \"/hello\"))\n"
                               "      (Param \"name\" 21:25-21:50 :type \"String\"\n"
                               "        (Annotation \"RequestParam\" 21:25-21:38))");
            assert_contains(s, "(Decl \"userService\" 12:5-13:37 :type \"UserService\" :text \"private\"\n"
                               "      (Annotation \"DubboReference\" 12:5-12:20))");
        }
        free(s);
        lang_file_free(f);
        diag_list_free(&d);
        free(src);
    }
}

static void test_package_and_imports(void **state)
{
    (void)state;
    assert_contains(SAMPLE, "(Other \"a.b\" 1:1-1:13 :text \"package_declaration\"\n");
    assert_contains(SAMPLE, "(Import \"java.util.Map.entry\" 2:1-2:35 :flags \"static\")\n"
                            "  (Import \"java.util\" 3:1-3:20 :flags \"wildcard\")");
}

static void test_classes_and_members(void **state)
{
    (void)state;
    assert_contains(SAMPLE, "(Class \"A\" 4:1-31:2 :op \"class\" :text \"public final\"\n"
                            "    (Annotation \"Ann\" 4:1-4:28\n"
                            "      (Keyword \"x\" 4:6-4:11\n");
    assert_contains(SAMPLE, "(InitList 4:17-4:27\n");
    assert_contains(SAMPLE, "    (Type \"B\" 5:33-5:34 :flags \"base\")\n"
                            "    (Type \"C\" 5:46-5:47 :flags \"base\")\n"
                            "    (Type \"D\" 5:49-5:50 :flags \"base\")\n"
                            "    (Decl \"N\" 6:5-6:51 :type \"int[]\" :text \"private static final\" :flags \"static const\"\n"
                            "      (Call 6:36-6:51 :flags \"new\"\n"
                            "        (Type \"int[]\" 6:40-6:43)\n"
                            "        (InitList 6:45-6:51\n");
    assert_contains(SAMPLE, "(Decl \"M\" 6:5-6:71 :type \"int[][]\"");
    assert_contains(SAMPLE, "(Class \"I\" 32:1-32:36 :op \"interface\"\n"
                            "    (Type \"J\" 32:21-32:22 :flags \"base\")\n"
                            "    (Func \"f\" 32:25-32:34 :type \"void\"))");
    assert_contains(SAMPLE, "(Class \"E\" 33:1-33:75 :op \"enum\"\n"
                            "    (Type \"I\" 33:19-33:20 :flags \"base\")\n"
                            "    (Decl \"A\" 33:23-33:24)\n"
                            "    (Decl \"B\" 33:26-33:34\n"
                            "      (Call 33:26-33:34 :flags \"new\"\n");
    assert_contains(SAMPLE, "(Class \"R\" 34:1-34:30 :op \"record\"\n"
                            "    (Decl \"a\" 34:10-34:15 :type \"int\")\n");
}

static void test_methods_and_constructors(void **state)
{
    (void)state;
    assert_contains(SAMPLE, "(Func \"A\" 7:5-7:39\n"
                            "      (Param \"x\" 7:7-7:12 :type \"int\")\n"
                            "      (Block 7:14-7:39\n"
                            "        (ExprStmt 7:16-7:25\n"
                            "          (Call 7:16-7:24\n"
                            "            (Ident \"super\" 7:16-7:21)\n");
    assert_contains(SAMPLE, "(Func \"m\" 8:5-30:6 :type \"List<T>\" :text \"public static\" :flags \"static\"\n"
                            "      (Annotation \"Override\" 8:5-8:14)\n"
                            "      (Annotation \"GetMapping\" 8:15-8:32\n"
                            "        (Literal 8:27-8:31 :op \"string\" :text \"/x\"))\n"
                            "      (Param \"s\" 9:33-9:61 :type \"String\" :flags \"const\"\n"
                            "        (Annotation \"RequestParam\" 9:33-9:46))\n"
                            "      (Param \"rest\" 9:63-9:74 :type \"int\" :flags \"variadic\")\n"
                            "      (Block 9:95-30:6\n"
                            "        (Decl \"i\" 10:9-10:18 :type \"int\"\n");
}

static void test_loops_and_branches(void **state)
{
    (void)state;
    assert_contains(SAMPLE, "(Loop 11:9-11:61 :op \"for\"\n"
                            "          (Block 11:14-11:30\n"
                            "            (Decl \"k\" 11:14-11:23 :type \"int\"\n");
    assert_contains(SAMPLE, "(Loop 12:9-12:40 :op \"foreach\"\n"
                            "          (Decl \"e\" 12:21-12:22 :type \"String\")\n"
                            "          (Ident \"list\" 12:25-12:29)\n"
                            "          (Continue 12:31-12:40))");
    assert_contains(SAMPLE, "(Loop 13:9-13:27 :op \"while\"");
    assert_contains(SAMPLE, "(Loop 14:9-14:35 :op \"do\"");
    assert_contains(SAMPLE, "(Binary 15:13-15:36 :op \"instanceof\"\n"
                            "              (Ident \"o\" 15:13-15:14)\n"
                            "              (Decl \"str\" 15:26-15:36 :type \"String\"))");
    assert_contains(SAMPLE, "(Type \"Integer\" 15:55-15:62)");
    assert_contains(SAMPLE, "(Label \"out\" 27:9-27:33\n"
                            "          (Loop 27:14-27:33 :op \"for\"\n");
    assert_contains(SAMPLE, "(Break \"out\" 27:23-27:33)");
}

static void test_switches(void **state)
{
    (void)state;
    assert_contains(SAMPLE, "(Switch 16:9-16:69\n"
                            "          (Ident \"i\" 16:17-16:18)\n"
                            "          (Case 16:22-16:29\n"
                            "            (Literal 16:27-16:28 :op \"int\" :text \"1\")\n"
                            "            (Block 16:29-16:29))\n"
                            "          (Case 16:30-16:51\n");
    assert_contains(SAMPLE, "(Case 16:52-16:67 :flags \"default\"");
    assert_contains(SAMPLE, "(Switch 17:17-17:75\n"
                            "            (Ident \"s\" 17:25-17:26)\n"
                            "            (Case 17:30-17:49\n"
                            "              (Literal 17:35-17:38 :op \"string\" :text \"a\")\n"
                            "              (Literal 17:40-17:43 :op \"string\" :text \"b\")\n"
                            "              (Block 17:47-17:49\n");
    assert_contains(SAMPLE, "(Case 17:50-17:73 :flags \"default\"");
}

static void test_try_catch_resources(void **state)
{
    (void)state;
    assert_contains(SAMPLE, "(Try 18:9-20:31\n"
                            "          (Block 18:13-18:67\n"
                            "            (Decl \"w\" 18:14-18:46 :type \"FileWriter\"\n"
                            "              (Call 18:29-18:46 :flags \"new\"\n");
    assert_contains(SAMPLE, "(ExprStmt 18:48-18:50\n              (Ident \"in\" 18:48-18:50))");
    assert_contains(SAMPLE, "(Catch \"e\" 19:9-19:84 :type \"IOException|RuntimeException\"\n"
                            "            (Block 19:50-19:84\n"
                            "              (Throw 19:52-19:82\n");
    assert_contains(SAMPLE, "(Block 20:17-20:31 :flags \"finally\"");
}

static void test_expressions(void **state)
{
    (void)state;
    assert_contains(SAMPLE, "(Lambda 21:24-21:53\n"
                            "            (Call 21:30-21:53\n"
                            "              (Field \"println\" 21:30-21:48\n"
                            "                (Field \"out\" 21:30-21:40\n"
                            "                  (Ident \"System\" 21:30-21:36)))\n");
    assert_contains(SAMPLE, "(Lambda 22:39-22:75\n"
                            "            (Param \"a\" 22:40-22:48 :type \"String\")\n"
                            "            (Block 22:53-22:75\n");
    assert_contains(SAMPLE, "(Cast 23:21-23:36 :type \"Object\"\n"
                            "            (Index 23:30-23:36\n");
    assert_contains(SAMPLE, "(Cond 24:20-25:20\n");
    assert_contains(SAMPLE, "(Literal 24:30-24:33 :op \"char\" :text \"z\")");
    assert_contains(SAMPLE, "(Literal 24:36-25:20 :op \"string\" :text \"\\n            text\")");
    assert_contains(SAMPLE, "(Call 26:9-26:46 :flags \"new\"\n"
                            "            (Type \"Thread\" 26:13-26:19)\n"
                            "            (Class 26:22-26:46 :op \"class\"\n"
                            "              (Func \"run\" 26:24-26:44 :type \"void\" :text \"public\"");
    assert_contains(SAMPLE, "(Field \"m\" 28:9-28:16\n              (Ident \"super\" 28:9-28:14))");
    assert_contains(SAMPLE, "(Field \"class\" 29:16-29:28\n                (Ident \"String\" 29:16-29:22))");
}

static void test_syntax_error_and_utf8(void **state)
{
    (void)state;
    DiagList d = {0};
    char *s = dump_java("class A {\n  void f() { int x = ; }\n  String s = \"\xff\xc3\x28\";\n  void g() {}\n}\n", &d);
    assert_contains(s, "(Func \"g\" 4:3-4:14");
    assert_contains(s, "(Decl \"s\" 3:3-3:20 :type \"String\"");
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].type, "Syntax error");
    assert_int_equal(d.v[0].line, 2);
    assert_int_equal(d.v[0].col, 20);            /* the error begins at "= ;" */
    free(s);
    diag_list_free(&d);
}

static void test_empty_huge_and_deep(void **state)
{
    (void)state;
    DiagList d = {0};
    AstFile *f = lang_parse_file(P, LANG_JAVA, "E.java", "", 0, &d);
    assert_int_equal(f->root->nkids, 0);
    lang_file_free(f);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "class A { void f() { ");
    char arg[1001];
    memset(arg, 'a', 1000);
    arg[1000] = '\0';
    while (b.len < (10u << 20)) sb_printf(&b, "g(\"%s\", 1); ", arg);
    sb_puts(&b, "} }\n");
    f = lang_parse_file(P, LANG_JAVA, "Big.java", b.s, b.len, &d);
    assert_int_equal(d.n, 0);
    AstNode *body = ast_func_body(f->root->kids[0]->kids[0]);
    assert_true(body->nkids > 10000);
    lang_file_free(f);
    sb_free(&b);
    sb_init(&b);
    sb_puts(&b, "class A { int x = ");
    for (int i = 0; i < 100000; i++) sb_putc(&b, '(');
    sb_putc(&b, '1');
    for (int i = 0; i < 100000; i++) sb_putc(&b, ')');
    sb_puts(&b, "; void f() {");
    for (int i = 0; i < 100000; i++) sb_putc(&b, '{');
    for (int i = 0; i < 100000; i++) sb_putc(&b, '}');
    sb_puts(&b, "} void after() {} }\n");
    f = lang_parse_file(P, LANG_JAVA, "Deep.java", b.s, b.len, &d);
    AstNode *cls = f->root->kids[0];
    assert_string_equal(cls->kids[cls->nkids - 1]->name, "after");
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].type, "Too deep");
    lang_file_free(f);
    sb_free(&b);
    diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_lower_fully),
        cmocka_unit_test(test_package_and_imports),
        cmocka_unit_test(test_classes_and_members),
        cmocka_unit_test(test_methods_and_constructors),
        cmocka_unit_test(test_loops_and_branches),
        cmocka_unit_test(test_switches),
        cmocka_unit_test(test_try_catch_resources),
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_syntax_error_and_utf8),
        cmocka_unit_test(test_empty_huge_and_deep),
    };
    P = lang_parser_new();
    SAMPLE = dump_java(sample_src, NULL);
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(SAMPLE);
    lang_parser_delete(P);
    base_intern_shutdown();
    return rc;
}
