/* test_lang_python.c: the Python front end: definitions, imports, calls, collections,
 * strings and statements lower to the shapes ast.h documents; bad input costs a
 * diagnostic, never a crash. */
#include "testutil.h"

#include "lang/lang.h"

static LangParser *P;

static char *dump_py(const char *src, DiagList *d)
{
    DiagList local = {0};
    AstFile *f = lang_parse_file(P, LANG_PYTHON, "t.py", src, strlen(src), d ? d : &local);
    char *s = ast_dump_string(f->root);
    lang_file_free(f);
    diag_list_free(&local);
    return s;
}

/* OTHER nodes other than `pass`, which has no kind of its own. */
static bool count_other(AstNode *n, void *ctx)
{
    if (n->kind == AST_OTHER && strcmp(n->text, "pass_statement") != 0) (*(int *)ctx)++;
    return true;
}

static void test_examples_lower_fully(void **state)
{
    (void)state;
    static const char *const files[] = {
        "pypkg-benign/setup.py", "pypkg-benign/benign/__init__.py",
        "pypkg-envgrab/setup.py", "pypkg-envgrab/envgrab/__init__.py",
    };
    for (size_t i = 0; i < 4; i++) {
        char path[512], err[256], *src;
        size_t len;
        snprintf(path, sizeof path, "%s/examples/%s", SHARED_DIR, files[i]);
        assert_true(file_read_all(path, &src, &len, err, sizeof err));
        DiagList d = {0};
        AstFile *f = lang_parse_file(P, LANG_PYTHON, path, src, len, &d);
        int others = 0;
        ast_walk(f->root, count_other, &others);
        assert_int_equal(others, 0);
        assert_int_equal(d.n, 0);
        if (i == 2) {
            char *s = ast_dump_string(f->root);
            assert_contains(s, "(Import \"pathlib.Path\" 8:21-8:25 :flags \"from\")");
            assert_contains(s, "(Call 16:23-16:39\n"
                               "              (Ident \"dict\" 16:23-16:27)\n"
                               "              (Field \"environ\" 16:28-16:38\n"
                               "                (Ident \"os\" 16:28-16:30))))))");
            free(s);
        }
        lang_file_free(f);
        diag_list_free(&d);
        free(src);
    }
}

static void test_imports(void **state)
{
    (void)state;
    char *s = dump_py("import a.b as c, os\nfrom a.b import c as d, e\nfrom . import x\nfrom .mod import *\n", NULL);
    assert_contains(s, "(Import \"a.b\" 1:8-1:16 :text \"c\")\n"
                       "  (Import \"os\" 1:18-1:20)\n"
                       "  (Import \"a.b.c\" 2:17-2:23 :text \"d\" :flags \"from\")\n"
                       "  (Import \"a.b.e\" 2:25-2:26 :flags \"from\")\n"
                       "  (Import \".x\" 3:15-3:16 :flags \"from\")\n"
                       "  (Import \".mod\" 4:1-4:19 :flags \"from wildcard\")");
    free(s);
}

static void test_functions_decorators_params(void **state)
{
    (void)state;
    char *s = dump_py("@app.route(\"/x\", methods=[\"GET\"])\n"
                      "async def f(a, b: int = 1, *args, key=None, **kw) -> str:\n"
                      "    return lambda q, r=2: q + r\n", NULL);
    assert_contains(s, "(Func \"f\" 1:1-3:32 :type \"str\" :flags \"async\"\n"
                       "    (Annotation \"app.route\" 1:1-1:34\n"
                       "      (Literal 1:12-1:16 :op \"string\" :text \"/x\")\n"
                       "      (Keyword \"methods\" 1:18-1:33\n");
    assert_contains(s, "    (Param \"a\" 2:13-2:14)\n"
                       "    (Param \"b\" 2:16-2:26 :type \"int\"\n"
                       "      (Literal 2:25-2:26 :op \"int\" :text \"1\"))\n"
                       "    (Param \"args\" 2:28-2:33 :flags \"variadic\")\n"
                       "    (Param \"key\" 2:35-2:43\n"
                       "      (Literal 2:39-2:43 :op \"null\" :text \"None\"))\n"
                       "    (Param \"kw\" 2:45-2:49 :flags \"kwargs\")\n"
                       "    (Block 3:5-3:32\n");
    assert_contains(s, "(Lambda 3:12-3:32\n"
                       "          (Param \"q\" 3:19-3:20)\n"
                       "          (Param \"r\" 3:22-3:25\n");
    free(s);
}

static void test_classes(void **state)
{
    (void)state;
    char *s = dump_py("@dataclass\nclass K(Base, mixin.M, metaclass=Meta):\n    attr = 1\n    def m(self): pass\n", NULL);
    assert_contains(s, "(Class \"K\" 1:1-4:22 :op \"class\"\n"
                       "    (Annotation \"dataclass\" 1:1-1:11)\n"
                       "    (Type \"Base\" 2:9-2:13 :flags \"base\")\n"
                       "    (Type \"mixin.M\" 2:15-2:22 :flags \"base\")\n"
                       "    (Keyword \"metaclass\" 2:24-2:38\n");
    assert_contains(s, "    (Func \"m\" 4:5-4:22\n      (Param \"self\" 4:11-4:15)");
    free(s);
}

static void test_calls_and_assignments(void **state)
{
    (void)state;
    char *s = dump_py("x = y = g(a, *args, k=1, **kw)\na, b = b, a\nn: int = 0\nm: str\nx += 1\n"
                      "v = a if b else c\n", NULL);
    assert_contains(s, "(Assign 1:1-1:31 :op \"=\"\n"
                       "      (Ident \"x\" 1:1-1:2)\n"
                       "      (Assign 1:5-1:31 :op \"=\"\n"
                       "        (Ident \"y\" 1:5-1:6)\n"
                       "        (Call 1:9-1:31\n"
                       "          (Ident \"g\" 1:9-1:10)\n"
                       "          (Ident \"a\" 1:11-1:12)\n"
                       "          (Ident \"args\" 1:15-1:19 :flags \"variadic\")\n"
                       "          (Keyword \"k\" 1:21-1:24\n"
                       "            (Literal 1:23-1:24 :op \"int\" :text \"1\"))\n"
                       "          (Ident \"kw\" 1:28-1:30 :flags \"kwargs\")))))");
    assert_contains(s, "(Assign 2:1-2:12 :op \"=\"\n"
                       "      (Collection 2:1-2:5 :op \"tuple\"\n");
    assert_contains(s, "(Assign 3:1-3:11 :op \"=\" :type \"int\"");
    assert_contains(s, "  (Decl \"m\" 4:1-4:7 :type \"str\")");
    assert_contains(s, "(Assign 5:1-5:7 :op \"+\"");
    assert_contains(s, "(Cond 6:5-6:18\n"
                       "        (Ident \"b\" 6:10-6:11)\n"
                       "        (Ident \"a\" 6:5-6:6)\n"
                       "        (Ident \"c\" 6:17-6:18))");
    free(s);
}

static void test_collections_and_access(void **state)
{
    (void)state;
    char *s = dump_py("r = x.y[1:2], {1: 2, **d}, {1, 2}, (1,), [i for i in z if i], a[0]\n", NULL);
    assert_contains(s, "(Index 1:5-1:13\n"
                       "          (Field \"y\" 1:5-1:8\n"
                       "            (Ident \"x\" 1:5-1:6))\n"
                       "          (Other 1:9-1:12 :text \"slice\"");
    assert_contains(s, "(Collection 1:15-1:26 :op \"dict\"\n"
                       "          (Pair 1:16-1:20\n");
    assert_contains(s, "(Ident \"d\" 1:24-1:25 :flags \"kwargs\")");
    assert_contains(s, "(Collection 1:28-1:34 :op \"set\"");
    assert_contains(s, "(Collection 1:36-1:40 :op \"tuple\"");
    assert_contains(s, "(Other 1:42-1:61 :text \"list_comprehension\"\n"
                       "          (Ident \"i\" 1:43-1:44)\n"
                       "          (Other 1:45-1:55 :text \"for_in_clause\"\n");
    assert_contains(s, "(Index 1:63-1:67\n          (Ident \"a\" 1:63-1:64)\n");
    free(s);
}

static void test_strings(void **state)
{
    (void)state;
    char *s = dump_py("s = r\"raw\\n\" + b'bytes' + f\"v={x!r:>4} {y}\" + \"\"\"tri\"\"\"\nt = \"a\" \"b\" f\"{c}\"\n'''x\ny'''\n", NULL);
    assert_contains(s, "(Literal 1:5-1:13 :op \"string\" :text \"raw\\\\n\")");
    assert_contains(s, "(Literal 1:16-1:24 :op \"string\" :text \"bytes\")");
    assert_contains(s, "(Literal 1:27-1:44 :op \"string\" :text \"v={x!r:>4} {y}\"\n"
                       "            (Ident \"x\" 1:32-1:33)\n"
                       "            (Ident \"y\" 1:41-1:42)))");
    assert_contains(s, "(Literal 1:47-1:56 :op \"string\" :text \"tri\")");
    assert_contains(s, "(Literal 2:5-2:19 :op \"string\" :text \"ab{c}\"\n"
                       "        (Ident \"c\" 2:16-2:17))");
    assert_contains(s, "(Literal 3:1-4:5 :op \"string\" :text \"x\\ny\")");
    free(s);
}

static void test_control_flow(void **state)
{
    (void)state;
    char *s = dump_py("if a and not b or c: pass\n"
                      "elif a < b <= c: pass\n"
                      "elif x in y and z not in w and u is not None: pass\n"
                      "else: pass\n"
                      "for i in r: continue\nelse: pass\n"
                      "while w: break\nelse: pass\n", NULL);
    assert_contains(s, "(If 1:1-4:11\n"
                       "    (Binary 1:4-1:20 :op \"||\"\n"
                       "      (Binary 1:4-1:15 :op \"&&\"\n"
                       "        (Ident \"a\" 1:4-1:5)\n"
                       "        (Unary 1:10-1:15 :op \"!\"\n");
    assert_contains(s, "    (If 2:1-4:11\n"
                       "      (Binary 2:6-2:16 :op \"&&\"\n"
                       "        (Binary 2:6-2:11 :op \"<\"\n"
                       "          (Ident \"a\" 2:6-2:7)\n"
                       "          (Ident \"b\" 2:10-2:11))\n"
                       "        (Binary 2:10-2:16 :op \"<=\"\n"
                       "          (Ident \"b\" 2:10-2:11)\n");
    assert_contains(s, "(Binary 3:6-3:12 :op \"in\"");
    assert_contains(s, "(Binary 3:17-3:27 :op \"not in\"");
    assert_contains(s, "(Binary 3:32-3:45 :op \"is not\"");
    assert_contains(s, "(Block 4:7-4:11\n");
    assert_contains(s, "(Loop 5:1-6:11 :op \"foreach\"\n"
                       "    (Ident \"i\" 5:5-5:6)\n"
                       "    (Ident \"r\" 5:10-5:11)\n"
                       "    (Block 5:13-5:21\n"
                       "      (Continue 5:13-5:21))\n"
                       "    (Block 6:7-6:11 :flags \"else\"");
    assert_contains(s, "(Loop 7:1-8:11 :op \"while\"");
    free(s);
}

static void test_try_with_raise(void **state)
{
    (void)state;
    char *s = dump_py("with open(p) as fh, lock: fh.read()\n"
                      "try: x\nexcept (A, B) as e: raise C(\"x\") from e\nexcept D: pass\nelse: y\nfinally: z\n", NULL);
    assert_contains(s, "(Try 1:1-1:36\n"
                       "    (Block 1:1-1:36\n"
                       "      (ExprStmt 1:6-1:19\n"
                       "        (Assign 1:6-1:19 :op \"=\"\n"
                       "          (Ident \"fh\" 1:17-1:19)\n"
                       "          (Call 1:6-1:13\n");
    assert_contains(s, "(ExprStmt 1:21-1:25\n        (Ident \"lock\" 1:21-1:25))");
    assert_contains(s, "(Catch \"e\" 3:1-3:40 :type \"(A,B)\"\n"
                       "      (Block 3:21-3:40\n"
                       "        (Throw 3:21-3:40\n"
                       "          (Call 3:27-3:33\n");
    assert_contains(s, "(Catch 4:1-4:15 :type \"D\"");
    assert_contains(s, "(Block 5:7-5:8 :flags \"else\"");
    assert_contains(s, "(Block 6:10-6:11 :flags \"finally\"");
    free(s);
}

static void test_scope_statements_are_kept(void **state)
{
    (void)state;
    char *s = dump_py("def g():\n    global G\n    nonlocal H\n    assert a, \"m\"\n    del v\n    await w\n", NULL);
    assert_contains(s, "(Other 2:5-2:13 :text \"global_statement\"\n        (Ident \"G\" 2:12-2:13))");
    assert_contains(s, "(Other 3:5-3:15 :text \"nonlocal_statement\"\n        (Ident \"H\" 3:14-3:15))");
    assert_contains(s, "(Other 4:5-4:18 :text \"assert_statement\"\n        (Ident \"a\" 4:12-4:13)");
    assert_contains(s, "(Unary 6:5-6:12 :op \"await\"");
    free(s);
}

static void test_syntax_error_and_utf8(void **state)
{
    (void)state;
    DiagList d = {0};
    char *s = dump_py("def f(\xff\xfe):\n  return \"\xc3\x28\"\nx = 1\n", &d);
    assert_contains(s, "(Func \"f\" 1:1-2:14");
    assert_contains(s, "(Assign 3:1-3:6 :op \"=\"");
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].type, "Syntax error");
    assert_int_equal(d.v[0].line, 1);
    assert_int_equal(d.v[0].col, 7);
    assert_contains(d.v[0].message, "t.py:1:7");
    free(s);
    diag_list_free(&d);
}

static void test_empty_and_huge(void **state)
{
    (void)state;
    DiagList d = {0};
    AstFile *f = lang_parse_file(P, LANG_PYTHON, "e.py", "", 0, &d);
    assert_int_equal(f->root->kind, AST_PROGRAM);
    assert_int_equal(f->root->nkids, 0);
    lang_file_free(f);
    StrBuf b;                                     /* 10 MB on one line */
    sb_init(&b);
    sb_puts(&b, "x = [");
    char item[1001];
    memset(item, 'a', 1000);
    item[1000] = '\0';
    while (b.len < (10u << 20)) sb_printf(&b, "'%s', a.b, ", item);
    sb_puts(&b, "1]\n");
    f = lang_parse_file(P, LANG_PYTHON, "big.py", b.s, b.len, &d);
    assert_int_equal(d.n, 0);
    AstNode *list = f->root->kids[0]->kids[0]->kids[1];
    assert_int_equal(list->kind, AST_COLLECTION);
    assert_true(list->nkids > 20000);
    assert_true(list->kids[list->nkids - 1]->start.col > 10000000);
    lang_file_free(f);
    sb_free(&b);
    diag_list_free(&d);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "x = ");
    for (int i = 0; i < 100000; i++) sb_putc(&b, '(');
    sb_putc(&b, '1');
    for (int i = 0; i < 100000; i++) sb_putc(&b, ')');
    sb_puts(&b, "\ny = ");
    for (int i = 0; i < 100000; i++) sb_putc(&b, '[');
    for (int i = 0; i < 100000; i++) sb_putc(&b, ']');
    sb_puts(&b, "\ndef after(): pass\n");
    DiagList d = {0};
    AstFile *f = lang_parse_file(P, LANG_PYTHON, "deep.py", b.s, b.len, &d);
    assert_int_equal(f->root->nkids, 3);
    assert_string_equal(f->root->kids[2]->name, "after");
    assert_true(d.n >= 1);
    assert_string_equal(d.v[0].type, "Too deep");
    assert_int_equal(d.v[0].line, 1);
    char *s = ast_dump_string(f->root);
    free(s);
    lang_file_free(f);
    diag_list_free(&d);
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_lower_fully),
        cmocka_unit_test(test_imports),
        cmocka_unit_test(test_functions_decorators_params),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_calls_and_assignments),
        cmocka_unit_test(test_collections_and_access),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_control_flow),
        cmocka_unit_test(test_try_with_raise),
        cmocka_unit_test(test_scope_statements_are_kept),
        cmocka_unit_test(test_syntax_error_and_utf8),
        cmocka_unit_test(test_empty_and_huge),
        cmocka_unit_test(test_deep_nesting),
    };
    P = lang_parser_new();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lang_parser_delete(P);
    base_intern_shutdown();
    return rc;
}
