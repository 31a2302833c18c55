/* test_lang_c.c: the C front end: each construct lowers to the generic AST shape that
 * ast.h documents, with 1-based ranges; bad input costs a diagnostic, never a crash. */
#include "testutil.h"

#include "lang/lang.h"

static LangParser *P;

/* Parses src as C and returns the dump (heap); diagnostics go to *d when given. */
static char *dump_c(const char *src, DiagList *d)
{
    DiagList local = {0};
    AstFile *f = lang_parse_file(P, LANG_C, "t.c", src, strlen(src), d ? d : &local);
    char *s = ast_dump_string(f->root);
    lang_file_free(f);
    diag_list_free(&local);
    return s;
}

static bool count_other(AstNode *n, void *ctx)
{
    if (n->kind == AST_OTHER) (*(int *)ctx)++;
    return true;
}

/* Parses a file of the shared examples; returns the dump, counting OTHER nodes and diags. */
static char *dump_example(const char *rel, int *others, size_t *ndiags)
{
    char path[512], err[256], *src;
    size_t len;
    snprintf(path, sizeof path, "%s/examples/%s", SHARED_DIR, rel);
    assert_true(file_read_all(path, &src, &len, err, sizeof err));
    DiagList d = {0};
    AstFile *f = lang_parse_file(P, LANG_C, path, src, len, &d);
    *others = 0;
    ast_walk(f->root, count_other, others);
    *ndiags = d.n;
    char *s = ast_dump_string(f->root);
    lang_file_free(f);
    diag_list_free(&d);
    free(src);
    return s;
}

static void test_names_and_detection(void **state)
{
    (void)state;
    assert_string_equal(lang_name(LANG_C), "c");
    assert_null(lang_name(LANG_NONE));
    assert_int_equal(lang_from_name("C"), LANG_C);
    assert_int_equal(lang_from_name("py"), LANG_PYTHON);
    assert_int_equal(lang_from_name("python3"), LANG_PYTHON);
    assert_int_equal(lang_from_name("java"), LANG_JAVA);
    assert_int_equal(lang_from_name("cobol"), LANG_NONE);
    assert_int_equal(lang_detect("a/b/x.c", NULL, 0), LANG_C);
    assert_int_equal(lang_detect("x.h", NULL, 0), LANG_C);
    assert_int_equal(lang_detect("pkg/setup.py", NULL, 0), LANG_PYTHON);
    assert_int_equal(lang_detect("stub.pyi", NULL, 0), LANG_PYTHON);
    assert_int_equal(lang_detect("A.java", NULL, 0), LANG_JAVA);
    const char *sh = "#!/usr/bin/env python3\nprint(1)\n";
    assert_int_equal(lang_detect("bin/tool", sh, strlen(sh)), LANG_PYTHON);
    const char *bash = "#!/bin/sh\necho python\n";
    assert_int_equal(lang_detect("bin/tool", bash, strlen(bash)), LANG_NONE);
    assert_int_equal(lang_detect("README", NULL, 0), LANG_NONE);
}

static void test_firmware_examples_lower_fully(void **state)
{
    (void)state;
    static const char *const files[] = { "firmware/dispatch.c", "firmware/handlers.c", "firmware/msg.h" };
    for (size_t i = 0; i < 3; i++) {
        int others;
        size_t ndiags;
        char *s = dump_example(files[i], &others, &ndiags);
        assert_int_equal(others, 0);
        assert_int_equal(ndiags, 0);
        free(s);
    }
}

static void test_firmware_dispatch_table_and_handlers(void **state)
{
    (void)state;
    int others;
    size_t nd;
    char *s = dump_example("firmware/handlers.c", &others, &nd);
    assert_contains(s, "(Func \"SetEntry\" 19:1-25:2 :type \"int\" :flags \"static\"\n"
                       "    (Param \"pRequest\" 19:21-19:36 :type \"UINT8*\")");
    assert_contains(s, "(Decl \"pMsgReq\" 20:5-20:60 :type \"SetEntryRequest*\"\n"
                       "        (Cast 20:32-20:59 :type \"SetEntryRequest*\"\n"
                       "          (Ident \"pRequest\" 20:51-20:59)))");
    assert_contains(s, "(Decl \"g_CommandHandlers_Base\" 86:1-92:3 :type \"CommandHandlerTable[]\"\n"
                       "    (InitList 86:48-92:2\n"
                       "      (InitList 87:5-87:69\n"
                       "        (Ident \"CMD_GET_COMPONENT_VER\" 87:7-87:28)\n"
                       "        (Literal 87:30-87:31 :op \"int\" :text \"0\")\n"
                       "        (Ident \"GetComponentVer\" 87:33-87:48)\n"
                       "        (Literal 87:50-87:67 :op \"string\" :text \"GetComponentVer\"))");
    assert_contains(s, "(Unary 88:22-88:45 :op \"sizeof\"");
    assert_contains(s, "(Decl \"pTable1\" 8:1-8:35 :type \"Entry[PTABLE_SIZE]\" :flags \"static\")");
    free(s);
    s = dump_example("firmware/dispatch.c", &others, &nd);
    assert_contains(s, "(Call 20:20-20:46\n"
                       "                  (Field \"handler\" 20:20-20:30 :flags \"arrow\"\n"
                       "                    (Ident \"h\" 20:20-20:21))\n"
                       "                  (Ident \"req\" 20:31-20:34)");
    assert_contains(s, "(Decl \"g_MessageCategoryTable\" 3:1-3:54 :type \"MessageCategoryTable[]\" :flags \"extern\")");
    free(s);
}

static void test_functions_and_params(void **state)
{
    (void)state;
    char *s = dump_c("static int f(void);\nint g(const char *s, ...) { return s[0]; }\n", NULL);
    assert_contains(s, "(Func \"f\" 1:1-1:20 :type \"int\" :flags \"static\")\n");
    assert_contains(s, "(Func \"g\" 2:1-2:43 :type \"int\"\n"
                       "    (Param \"s\" 2:7-2:20 :type \"const char*\" :flags \"const\")\n"
                       "    (Param 2:22-2:25 :flags \"variadic\")\n"
                       "    (Block 2:27-2:43\n"
                       "      (Return 2:29-2:41\n"
                       "        (Index 2:36-2:40\n");
    free(s);
}

static void test_records_and_typedefs(void **state)
{
    (void)state;
    char *s = dump_c("typedef union { int a; } U;\nenum color { RED, GREEN = 2 };\n"
                     "struct p { int x, y; char name[8]; } g = { .x = 1, [2] = 3 };\n", NULL);
    assert_contains(s, "(Class \"U\" 1:9-1:25 :op \"union\"\n"
                       "    (Decl \"a\" 1:17-1:23 :type \"int\"))\n"
                       "  (Decl \"U\" 1:1-1:28 :type \"union U\" :flags \"typedef\")");
    assert_contains(s, "(Class \"color\" 2:1-2:30 :op \"enum\"\n"
                       "    (Decl \"RED\" 2:14-2:17)\n"
                       "    (Decl \"GREEN\" 2:19-2:28\n");
    assert_contains(s, "(Decl \"x\" 3:12-3:17 :type \"int\")\n"
                       "    (Decl \"y\" 3:12-3:20 :type \"int\")\n"
                       "    (Decl \"name\" 3:22-3:35 :type \"char[8]\")");
    assert_contains(s, "(Decl \"g\" 3:1-3:62 :type \"struct p\"\n"
                       "    (InitList 3:42-3:61\n"
                       "      (Keyword \"x\" 3:44-3:50\n");
    assert_contains(s, "(Keyword \"[2]\" 3:52-3:59");
    free(s);
}

static void test_preprocessor(void **state)
{
    (void)state;
    char *s = dump_c("#include <stdio.h>\n#define N 4\n#ifdef DEBUG\nint dbg;\n#else\nint nodbg;\n#endif\n"
                     "#pragma pack(1)\n", NULL);
    assert_contains(s, "(Preproc \"#include\" 1:1-1:19 :text \"<stdio.h>\")\n"
                       "  (Preproc \"#define\" 2:1-2:12 :text \"N 4\")\n"
                       "  (Preproc \"#ifdef\" 3:1-7:7 :text \"DEBUG\"\n"
                       "    (Decl \"dbg\" 4:1-4:9 :type \"int\")\n"
                       "    (Preproc \"#else\" 5:1-6:11\n"
                       "      (Decl \"nodbg\" 6:1-6:11 :type \"int\")))");
    assert_contains(s, "(Preproc \"#pragma\" 8:1-8:16 :text \"pack(1)\")");
    free(s);
}

/* Macros tree-sitter cannot parse cost at most the construct they sit in. */
static void test_macros_keep_surrounding_functions(void **state)
{
    (void)state;
    DiagList d = {0};
    char *s = dump_c("int before(void) { return 1; }\n"
                     "FOO_MACRO(x) int f(void) { return 2; }\n"
                     "int g(int a) {\n    MY_MACRO(a)\n    return a;\n}\n"
                     "int after(void) { return 3; }\n", &d);
    assert_contains(s, "(Func \"before\" 1:1-1:31");
    assert_contains(s, "(Func \"f\" 2:1-2:39");
    assert_contains(s, "(Func \"g\" 3:1-6:2");
    assert_contains(s, "(Func \"after\" 7:1-7:30");
    assert_true(d.n >= 1);
    assert_string_equal(d.v[0].type, "Syntax error");
    free(s);
    diag_list_free(&d);
}

static void test_expressions(void **state)
{
    (void)state;
    char *s = dump_c("void f(void) {\n"
                     "  r = p->a.b;\n"
                     "  a += sizeof n + sizeof(int);\n"
                     "  x = (Req *)buf;\n"
                     "  y = c ? a[i] : -b;\n"
                     "  h->handler(req, 1);\n"
                     "  s = \"a\" \"b\";\n"
                     "  i++; --j; *q = &v;\n"
                     "}\n", NULL);
    assert_contains(s, "(Assign 2:3-2:13 :op \"=\"\n"
                       "          (Ident \"r\" 2:3-2:4)\n"
                       "          (Field \"b\" 2:7-2:13\n"
                       "            (Field \"a\" 2:7-2:11 :flags \"arrow\"\n"
                       "              (Ident \"p\" 2:7-2:8)))))");
    assert_contains(s, "(Assign 3:3-3:30 :op \"+\"");
    assert_contains(s, "(Unary 3:8-3:16 :op \"sizeof\"\n"
                       "              (Ident \"n\" 3:15-3:16))\n"
                       "            (Unary 3:19-3:30 :op \"sizeof\"\n"
                       "              (Type \"int\" 3:26-3:29))");
    assert_contains(s, "(Cast 4:7-4:17 :type \"Req*\"\n"
                       "            (Ident \"buf\" 4:14-4:17))");
    assert_contains(s, "(Cond 5:7-5:20\n"
                       "            (Ident \"c\" 5:7-5:8)\n"
                       "            (Index 5:11-5:15\n");
    assert_contains(s, "(Unary 5:18-5:20 :op \"-\"");
    assert_contains(s, "(Call 6:3-6:21\n"
                       "          (Field \"handler\" 6:3-6:13 :flags \"arrow\"\n"
                       "            (Ident \"h\" 6:3-6:4))");
    assert_contains(s, "(Literal 7:7-7:14 :op \"string\" :text \"ab\")");
    assert_contains(s, "(Unary 8:3-8:6 :op \"x++\"");
    assert_contains(s, "(Unary 8:8-8:11 :op \"--x\"");
    assert_contains(s, "(Unary 8:13-8:15 :op \"*\"");
    assert_contains(s, "(Unary 8:18-8:20 :op \"&\"");
    free(s);
}

static void test_statements(void **state)
{
    (void)state;
    char *s = dump_c("void f(int n) {\n"
                     "  for (int i = 0; i < n; i++) continue;\n"
                     "  while (n) n--;\n"
                     "  do { n++; } while (n < 3);\n"
                     "  switch (n) { case 1: break; default: n = 0; }\n"
                     "again:\n"
                     "  if (n) goto again; else return;\n"
                     "}\n", NULL);
    assert_contains(s, "(Loop 2:3-2:40 :op \"for\"\n"
                       "        (Decl \"i\" 2:8-2:18 :type \"int\"\n");
    assert_contains(s, "(Continue 2:31-2:40)");
    assert_contains(s, "(Loop 3:3-3:17 :op \"while\"\n"
                       "        (Ident \"n\" 3:10-3:11)\n");
    assert_contains(s, "(Loop 4:3-4:29 :op \"do\"\n"
                       "        (Block 4:6-4:14\n");
    assert_contains(s, "(Switch 5:3-5:48\n"
                       "        (Ident \"n\" 5:11-5:12)\n"
                       "        (Case 5:16-5:30\n"
                       "          (Literal 5:21-5:22 :op \"int\" :text \"1\")\n"
                       "          (Block 5:24-5:30\n"
                       "            (Break 5:24-5:30)))\n"
                       "        (Case 5:31-5:46 :flags \"default\"\n");
    assert_contains(s, "(Label \"again\" 6:1-7:34\n"
                       "        (If 7:3-7:34\n"
                       "          (Ident \"n\" 7:7-7:8)\n"
                       "          (Goto \"again\" 7:10-7:21)\n"
                       "          (Return 7:27-7:34)))");
    free(s);
}

/* Ranges carry byte offsets and 1-based line and column in bytes. */
static void test_ranges(void **state)
{
    (void)state;
    const char *src = "int a;\n/* \xc3\xa9 */ int bb = 7;\n";
    AstFile *f = lang_parse_file(P, LANG_C, "r.c", src, strlen(src), NULL);
    assert_int_equal(f->root->nkids, 2);
    AstNode *d = f->root->kids[1];
    assert_int_equal(d->kind, AST_DECL);
    assert_string_equal(d->name, "bb");
    assert_int_equal(d->start.offset, 16);
    assert_int_equal(d->start.line, 2);
    assert_int_equal(d->start.col, 10);            /* bytes: the é counts two */
    AstNode *lit = d->kids[0];
    assert_int_equal(lit->start.col, 19);
    assert_int_equal(lit->end.col, 20);
    assert_ptr_equal(lit->parent, d);
    assert_ptr_equal(d->parent, f->root);
    assert_ptr_equal(d->name, intern("bb"));       /* names are interned */
    lang_file_free(f);
}

static void test_syntax_error_keeps_partial_tree(void **state)
{
    (void)state;
    DiagList d = {0};
    char *s = dump_c("int x;\nint f(void) { return ) ; }\nint after(void) { return 1; }\n", &d);
    assert_contains(s, "(Decl \"x\" 1:1-1:7");
    assert_contains(s, "(Func \"after\" 3:1-3:30");
    assert_contains(s, ":text \"ERROR\" :flags \"error\"");
    assert_int_equal(d.n, 1);
    assert_string_equal(d.v[0].type, "Syntax error");
    assert_string_equal(d.v[0].path, "t.c");
    assert_int_equal(d.v[0].line, 2);
    assert_int_equal(d.v[0].col, 22);
    assert_contains(d.v[0].message, "t.c:2:22");
    free(s);
    diag_list_free(&d);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    DiagList d = {0};
    char *s = dump_c("char *s = \"\xff\xfe\xc3\x28\";\nint \x80x;\nint ok;\n", &d);
    assert_contains(s, "(Decl \"s\" 1:1-1:18 :type \"char*\"");
    assert_contains(s, "(Decl \"ok\"");
    free(s);
    diag_list_free(&d);
}

static void test_empty_file(void **state)
{
    (void)state;
    DiagList d = {0};
    AstFile *f = lang_parse_file(P, LANG_C, "e.c", "", 0, &d);
    assert_int_equal(f->root->kind, AST_PROGRAM);
    assert_int_equal(f->root->nkids, 0);
    assert_int_equal(d.n, 0);
    lang_file_free(f);
}

/* 10 MB on one line: long string arguments keep the parse quick even under the
 * sanitizers, and ten thousand statements still exercise the columns. */
static void test_huge_single_line(void **state)
{
    (void)state;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "void g(void) { ");
    char arg[1001];
    memset(arg, 'a', 1000);
    arg[1000] = '\0';
    while (b.len < (10u << 20)) sb_printf(&b, "f(\"%s\"); ", arg);
    sb_puts(&b, "}\n");
    DiagList d = {0};
    AstFile *f = lang_parse_file(P, LANG_C, "big.c", b.s, b.len, &d);
    assert_int_equal(d.n, 0);
    AstNode *fn = f->root->kids[0];
    assert_int_equal(fn->kind, AST_FUNC);
    AstNode *body = ast_func_body(fn);
    assert_true(body->nkids > 10000);
    AstNode *last = body->kids[body->nkids - 1];
    assert_int_equal(last->start.line, 1);
    assert_true(last->start.col > 10000000);
    assert_int_equal(strlen(last->kids[0]->kids[1]->text), 1000);
    lang_file_free(f);
    diag_list_free(&d);
    sb_free(&b);
}

static char *nested(const char *head, const char *open, const char *mid, const char *close,
                    const char *tail, int depth)
{
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, head);
    for (int i = 0; i < depth; i++) sb_puts(&b, open);
    sb_puts(&b, mid);
    for (int i = 0; i < depth; i++) sb_puts(&b, close);
    sb_puts(&b, tail);
    return sb_take(&b);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    char *exprs = nested("int x = ", "(", "1", ")", ";\nint after;\n", 100000);
    char *blocks = nested("void f(void) ", "{", "", "}", "\nint after(void) { return 0; }\n", 100000);
    const char *srcs[] = { exprs, blocks };
    for (int i = 0; i < 2; i++) {
        DiagList d = {0};
        AstFile *f = lang_parse_file(P, LANG_C, "deep.c", srcs[i], strlen(srcs[i]), &d);
        assert_int_equal(f->root->nkids, 2);
        assert_string_equal(f->root->kids[1]->name, "after");
        bool deep = false;
        for (size_t j = 0; j < d.n; j++) deep |= strcmp(d.v[j].type, "Too deep") == 0;
        assert_true(deep);
        char *s = ast_dump_string(f->root);     /* the cut tree is still a tree */
        free(s);
        lang_file_free(f);
        diag_list_free(&d);
    }
    free(exprs);
    free(blocks);
}

static void test_unknown_construct_is_other_with_kids(void **state)
{
    (void)state;
    char *s = dump_c("int f(void) { return __builtin_offsetof(struct s, m) + _Generic(x, int: y); }\n", NULL);
    assert_contains(s, ":text \"generic_expression\"");
    assert_contains(s, "(Ident \"y\"");
    free(s);
}

/* Patterns have their own tests (test_lang_pattern.c); this one checks they share
 * the parser with files. */
static void test_pattern_parses_with_the_same_parser(void **state)
{
    (void)state;
    char *err = NULL;
    AstFile *f = lang_parse_pattern(P, LANG_C, "foo($X)", &err);
    assert_non_null(f);
    assert_null(err);
    char *s = ast_dump_string(f->root);
    assert_contains(s, "(Metavar \"$X\"");
    free(s);
    lang_file_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_detection),
        cmocka_unit_test(test_firmware_examples_lower_fully),
        cmocka_unit_test(test_firmware_dispatch_table_and_handlers),
        cmocka_unit_test(test_functions_and_params),
        cmocka_unit_test(test_records_and_typedefs),
        cmocka_unit_test(test_preprocessor),
        cmocka_unit_test(test_macros_keep_surrounding_functions),
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_syntax_error_keeps_partial_tree),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_huge_single_line),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_unknown_construct_is_other_with_kids),
        cmocka_unit_test(test_pattern_parses_with_the_same_parser),
    };
    P = lang_parser_new();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lang_parser_delete(P);
    base_intern_shutdown();
    return rc;
}
