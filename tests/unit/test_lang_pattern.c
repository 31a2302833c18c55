/* test_lang_pattern.c: Semgrep patterns parsed by the front ends (lang_parse_pattern):
 * each pattern feature in C, Python and Java comes back in the shape the matcher
 * reads, with ranges in the pattern as written; unparsable patterns are errors. */
#include "testutil.h"

#include "lang/lang.h"

static LangParser *P;

/* The pattern's tree as ast_dump writes it, or "error: <message>". Heap. */
static char *pat(Lang lang, const char *text)
{
    char *err = NULL;
    AstFile *f = lang_parse_pattern(P, lang, text, &err);
    if (!f) {
        size_t n = strlen(err) + 8;
        char *s = malloc(n);
        snprintf(s, n, "error: %s", err);
        free(err);
        return s;
    }
    assert_null(err);
    char *s = ast_dump_string(f->root);
    assert_not_contains(s, "__sluice");       /* no placeholder survives */
    lang_file_free(f);
    return s;
}

#define assert_pattern(lang, text, want) do { \
        char *got_ = pat((lang), (text)); \
        if (strcmp(got_, (want)) != 0) { \
            print_error("pattern:\n%s\nwanted:\n%s\ngot:\n%s\n", (text), (want), got_); \
            free(got_); fail(); \
        } \
        free(got_); \
    } while (0)

#define assert_pattern_has(lang, text, part) do { \
        char *got_ = pat((lang), (text)); \
        assert_contains(got_, (part)); \
        free(got_); \
    } while (0)

/* ---------------------------------------------------------------- Python */

static void test_python_metavariables(void **state)
{
    (void)state;
    assert_pattern(LANG_PYTHON, "$X == $X",
        "(Binary 1:1-1:9 :op \"==\"\n"
        "  (Metavar \"$X\" 1:1-1:3)\n"
        "  (Metavar \"$X\" 1:7-1:9))\n");
    assert_pattern(LANG_PYTHON, "$Y.in_dll($LIB, 'environ')",
        "(Call 1:1-1:27\n"
        "  (Field \"in_dll\" 1:1-1:10\n"
        "    (Metavar \"$Y\" 1:1-1:3))\n"
        "  (Metavar \"$LIB\" 1:11-1:15)\n"
        "  (Literal 1:17-1:26 :op \"string\" :text \"environ\"))\n");
    assert_pattern(LANG_PYTHON, "$_ = foo()",
        "(Assign 1:1-1:11 :op \"=\"\n"
        "  (Metavar \"$_\" 1:1-1:3)\n"
        "  (Call 1:6-1:11\n"
        "    (Ident \"foo\" 1:6-1:9)))\n");
}

static void test_python_metavariables_in_names(void **state)
{
    (void)state;
    assert_pattern_has(LANG_PYTHON, "subprocess.$FUNC(...)", "(Field \"$FUNC\" 1:1-1:17");
    assert_pattern_has(LANG_PYTHON, "def $F(...):\n    ...\n", "(Func \"$F\" 1:1-2:8");
    assert_pattern_has(LANG_PYTHON, "class $C($B):\n    ...\n", "(Class \"$C\" 1:1-2:8");
    assert_pattern_has(LANG_PYTHON, "class $C($B):\n    ...\n", "(Type \"$B\" 1:10-1:12 :flags \"base\")");
    /* "(...)" bases say nothing: bases in a pattern are a subset anyway. */
    assert_pattern(LANG_PYTHON, "class $C(...):\n  ...\n",
        "(Class \"$C\" 1:1-2:6 :op \"class\"\n"
        "  (ExprStmt 2:3-2:6\n"
        "    (Ellipsis 2:3-2:6)))\n");
    assert_pattern_has(LANG_PYTHON, "f($K=1)", "(Keyword \"$K\" 1:3-1:7");
    assert_pattern_has(LANG_PYTHON, "import $X", "(Import \"$X\" 1:8-1:10)");
    assert_pattern_has(LANG_PYTHON, "@$DECO\ndef $F(...):\n    ...\n", "(Annotation \"$DECO\" 1:1-1:7)");
}

static void test_python_ellipsis(void **state)
{
    (void)state;
    assert_pattern(LANG_PYTHON, "subprocess.$FUNC([..., \"=~/^(env|set)$/\", ...], ...)",
        "(Call 1:1-1:53\n"
        "  (Field \"$FUNC\" 1:1-1:17\n"
        "    (Ident \"subprocess\" 1:1-1:11))\n"
        "  (Collection 1:18-1:47 :op \"list\"\n"
        "    (Ellipsis 1:19-1:22)\n"
        "    (Literal 1:24-1:41 :op \"string\" :text \"=~/^(env|set)$/\")\n"
        "    (Ellipsis 1:43-1:46))\n"
        "  (Ellipsis 1:49-1:52))\n");
    assert_pattern(LANG_PYTHON, "pathlib.Path('/proc') / ... / 'environ'",
        "(Binary 1:1-1:40 :op \"/\"\n"
        "  (Binary 1:1-1:28 :op \"/\"\n"
        "    (Call 1:1-1:22\n"
        "      (Field \"Path\" 1:1-1:13\n"
        "        (Ident \"pathlib\" 1:1-1:8))\n"
        "      (Literal 1:14-1:21 :op \"string\" :text \"/proc\"))\n"
        "    (Ellipsis 1:25-1:28))\n"
        "  (Literal 1:31-1:40 :op \"string\" :text \"environ\"))\n");
    assert_pattern(LANG_PYTHON, "{..., \"=~/.../\", ...}",
        "(Collection 1:1-1:22 :op \"set\"\n"
        "  (Ellipsis 1:2-1:5)\n"
        "  (Literal 1:7-1:16 :op \"string\" :text \"=~/.../\")\n"
        "  (Ellipsis 1:18-1:21))\n");
    assert_pattern(LANG_PYTHON, "{..., \"a\": $V, ...}",
        "(Collection 1:1-1:20 :op \"dict\"\n"
        "  (Ellipsis 1:2-1:5)\n"
        "  (Pair 1:7-1:14\n"
        "    (Literal 1:7-1:10 :op \"string\" :text \"a\")\n"
        "    (Metavar \"$V\" 1:12-1:14))\n"
        "  (Ellipsis 1:16-1:19))\n");
    assert_pattern_has(LANG_PYTHON, "os.environ[...]", "(Ellipsis 1:12-1:15)");
    /* Parameters: an ELLIPSIS among the FUNC's kids, not a PARAM named "...". */
    assert_pattern(LANG_PYTHON, "def $F(...):\n    ...\n",
        "(Func \"$F\" 1:1-2:8\n"
        "  (Ellipsis 1:8-1:11)\n"
        "  (Block 2:5-2:8\n"
        "    (ExprStmt 2:5-2:8\n"
        "      (Ellipsis 2:5-2:8))))\n");
}

static void test_python_statement_sequences(void **state)
{
    (void)state;
    assert_pattern(LANG_PYTHON, "$LIB = ctypes.CDLL(...)\n...\n",
        "(Block 1:1-2:4\n"
        "  (ExprStmt 1:1-1:24\n"
        "    (Assign 1:1-1:24 :op \"=\"\n"
        "      (Metavar \"$LIB\" 1:1-1:5)\n"
        "      (Call 1:8-1:24\n"
        "        (Field \"CDLL\" 1:8-1:19\n"
        "          (Ident \"ctypes\" 1:8-1:14))\n"
        "        (Ellipsis 1:20-1:23))))\n"
        "  (ExprStmt 2:1-2:4\n"
        "    (Ellipsis 2:1-2:4)))\n");
    /* A block scalar that keeps its indentation: dedented, ranges as written. */
    assert_pattern(LANG_PYTHON, "    $F = open(...)\n    ...\n    $F.close()\n",
        "(Block 1:5-3:15\n"
        "  (ExprStmt 1:5-1:19\n"
        "    (Assign 1:5-1:19 :op \"=\"\n"
        "      (Metavar \"$F\" 1:5-1:7)\n"
        "      (Call 1:10-1:19\n"
        "        (Ident \"open\" 1:10-1:14)\n"
        "        (Ellipsis 1:15-1:18))))\n"
        "  (ExprStmt 2:5-2:8\n"
        "    (Ellipsis 2:5-2:8))\n"
        "  (ExprStmt 3:5-3:15\n"
        "    (Call 3:5-3:15\n"
        "      (Field \"close\" 3:5-3:13\n"
        "        (Metavar \"$F\" 3:5-3:7)))))\n");
}

static void test_python_variadic_metavariables(void **state)
{
    (void)state;
    assert_pattern(LANG_PYTHON, "f($...ARGS, k=$V)",
        "(Call 1:1-1:18\n"
        "  (Ident \"f\" 1:1-1:2)\n"
        "  (Metavar \"$...ARGS\" 1:3-1:11 :flags \"variadic\")\n"
        "  (Keyword \"k\" 1:13-1:17\n"
        "    (Metavar \"$V\" 1:15-1:17)))\n");
    assert_pattern_has(LANG_PYTHON, "def f($...P):\n    pass\n",
                       "(Metavar \"$...P\" 1:7-1:12 :flags \"variadic\")");
}

static void test_python_strings(void **state)
{
    (void)state;
    assert_pattern(LANG_PYTHON, "\"...\"", "(Literal 1:1-1:6 :op \"string\" :text \"...\")\n");
    assert_pattern(LANG_PYTHON, "os.system(\"=~/^\\s*(env|set)\\b/\")",
        "(Call 1:1-1:33\n"
        "  (Field \"system\" 1:1-1:10\n"
        "    (Ident \"os\" 1:1-1:3))\n"
        "  (Literal 1:11-1:32 :op \"string\" :text \"=~/^\\\\s*(env|set)\\\\b/\"))\n");
    /* "$X" and "..." inside strings and comments are left alone. */
    assert_pattern_has(LANG_PYTHON, "f('$X ... <... y ...>')", ":text \"$X ... <... y ...>\"");
    assert_pattern(LANG_PYTHON, "foo($X)  # with $Y and ...",
        "(Call 1:1-1:8\n"
        "  (Ident \"foo\" 1:1-1:4)\n"
        "  (Metavar \"$X\" 1:5-1:7))\n");
}

static void test_python_deep_and_chains(void **state)
{
    (void)state;
    assert_pattern(LANG_PYTHON, "<... $X ...>",
        "(Deep 1:1-1:13\n"
        "  (Metavar \"$X\" 1:6-1:8))\n");
    assert_pattern(LANG_PYTHON, "if <... input() ...>:\n    ...\n",
        "(If 1:1-2:8\n"
        "  (Deep 1:4-1:21\n"
        "    (Call 1:9-1:16\n"
        "      (Ident \"input\" 1:9-1:14)))\n"
        "  (Block 2:5-2:8\n"
        "    (ExprStmt 2:5-2:8\n"
        "      (Ellipsis 2:5-2:8)))\n"
        "  (Empty 2:8-2:8))\n");
    /* $X. ... .foo(): FIELD foo over an ELLIPSIS whose one kid is $X. */
    assert_pattern(LANG_PYTHON, "$X. ... .foo()",
        "(Call 1:1-1:15\n"
        "  (Field \"foo\" 1:1-1:13\n"
        "    (Ellipsis 1:1-1:8\n"
        "      (Metavar \"$X\" 1:1-1:3))))\n");
}

static void test_python_roots(void **state)
{
    (void)state;
    assert_pattern_has(LANG_PYTHON, "eval($X)", "(Call 1:1-1:9");          /* not in an ExprStmt */
    assert_pattern_has(LANG_PYTHON, "return $X", "(Return 1:1-1:10");
    assert_pattern_has(LANG_PYTHON, "foo()\nbar()\n", "(Block 1:1-2:6");
    assert_pattern_has(LANG_PYTHON, "class A:\n    def f(self):\n        ...\n", "(Class \"A\" 1:1-3:12");
}

static void test_python_errors(void **state)
{
    (void)state;
    assert_pattern(LANG_PYTHON, "if $X", "error: it does not parse as Python code");
    assert_pattern(LANG_PYTHON, "if $X:", "error: it does not parse as Python code");
    assert_pattern(LANG_PYTHON, "foo(", "error: it does not parse as Python code");
    assert_pattern(LANG_PYTHON, "", "error: the pattern is empty");
    assert_pattern(LANG_PYTHON, "  \n  \n", "error: the pattern is empty");
}

/* ---------------------------------------------------------------- C */

static void test_c_expressions(void **state)
{
    (void)state;
    assert_pattern(LANG_C, "memcpy($DST, $SRC, $N)",
        "(Call 1:1-1:23\n"
        "  (Ident \"memcpy\" 1:1-1:7)\n"
        "  (Metavar \"$DST\" 1:8-1:12)\n"
        "  (Metavar \"$SRC\" 1:14-1:18)\n"
        "  (Metavar \"$N\" 1:20-1:22))\n");
    assert_pattern(LANG_C, "$ARR[$I]",
        "(Index 1:1-1:9\n"
        "  (Metavar \"$ARR\" 1:1-1:5)\n"
        "  (Metavar \"$I\" 1:6-1:8))\n");
    assert_pattern(LANG_C, "$X * $Y",                      /* an expression, not a declaration */
        "(Binary 1:1-1:8 :op \"*\"\n"
        "  (Metavar \"$X\" 1:1-1:3)\n"
        "  (Metavar \"$Y\" 1:6-1:8))\n");
    assert_pattern(LANG_C, "strcpy($DST, ...)",
        "(Call 1:1-1:18\n"
        "  (Ident \"strcpy\" 1:1-1:7)\n"
        "  (Metavar \"$DST\" 1:8-1:12)\n"
        "  (Ellipsis 1:14-1:17))\n");
    assert_pattern_has(LANG_C, "$X->$F", "(Field \"$F\" 1:1-1:7 :flags \"arrow\"");
    assert_pattern_has(LANG_C, "foo($...ARGS)", "(Metavar \"$...ARGS\" 1:5-1:13 :flags \"variadic\")");
}

static void test_c_typed_metavariables(void **state)
{
    (void)state;
    assert_pattern(LANG_C, "(int $X)", "(Metavar \"$X\" 1:1-1:9 :type \"int\")\n");
    assert_pattern(LANG_C, "(char *$X)", "(Metavar \"$X\" 1:1-1:11 :type \"char*\")\n");
    assert_pattern(LANG_C, "foo((unsigned int $X) + 1)",
        "(Call 1:1-1:27\n"
        "  (Ident \"foo\" 1:1-1:4)\n"
        "  (Binary 1:5-1:26 :op \"+\"\n"
        "    (Metavar \"$X\" 1:5-1:22 :type \"unsigned int\")\n"
        "    (Literal 1:25-1:26 :op \"int\" :text \"1\")))\n");
    /* The range covers the parentheses, across lines too. */
    assert_pattern(LANG_C, "(\n  int $X\n)", "(Metavar \"$X\" 1:1-3:2 :type \"int\")\n");
    /* A cast stays a cast. */
    assert_pattern_has(LANG_C, "(char *)$X", "(Cast 1:1-1:11 :type \"char*\"");
}

static void test_c_statements(void **state)
{
    (void)state;
    assert_pattern(LANG_C, "if ($X >= 0 && $X < $N) { ... }",
        "(If 1:1-1:32\n"
        "  (Binary 1:5-1:23 :op \"&&\"\n"
        "    (Binary 1:5-1:12 :op \">=\"\n"
        "      (Metavar \"$X\" 1:5-1:7)\n"
        "      (Literal 1:11-1:12 :op \"int\" :text \"0\"))\n"
        "    (Binary 1:16-1:23 :op \"<\"\n"
        "      (Metavar \"$X\" 1:16-1:18)\n"
        "      (Metavar \"$N\" 1:21-1:23)))\n"
        "  (Block 1:25-1:32\n"
        "    (ExprStmt 1:27-1:30\n"
        "      (Ellipsis 1:27-1:30)))\n"
        "  (Empty 1:32-1:32))\n");
    assert_pattern(LANG_C, "return $X;", "(Return 1:1-1:11\n  (Metavar \"$X\" 1:8-1:10))\n");
    assert_pattern(LANG_C, "$P = malloc(...);\n...\nif (<... $P ...>) { ... }\n",
        "(Block 1:1-3:26\n"
        "  (ExprStmt 1:1-1:18\n"
        "    (Assign 1:1-1:17 :op \"=\"\n"
        "      (Metavar \"$P\" 1:1-1:3)\n"
        "      (Call 1:6-1:17\n"
        "        (Ident \"malloc\" 1:6-1:12)\n"
        "        (Ellipsis 1:13-1:16))))\n"
        "  (ExprStmt 2:1-2:4\n"
        "    (Ellipsis 2:1-2:4))\n"
        "  (If 3:1-3:26\n"
        "    (Deep 3:5-3:17\n"
        "      (Metavar \"$P\" 3:10-3:12))\n"
        "    (Block 3:19-3:26\n"
        "      (ExprStmt 3:21-3:24\n"
        "        (Ellipsis 3:21-3:24)))\n"
        "    (Empty 3:26-3:26)))\n");
    assert_pattern(LANG_C, "{\n  $...BODY\n}\n",
        "(Block 1:1-3:2\n"
        "  (ExprStmt 2:3-2:11\n"
        "    (Metavar \"$...BODY\" 2:3-2:11 :flags \"variadic\")))\n");
    assert_pattern(LANG_C, "int $X;", "(Decl \"$X\" 1:1-1:8 :type \"int\")\n");
    /* for (...): any header, an ELLIPSIS for each of its three parts. */
    assert_pattern(LANG_C, "for (...) { ... }",
        "(Loop 1:1-1:18 :op \"for\"\n"
        "  (Ellipsis 1:6-1:9)\n"
        "  (Ellipsis 1:9-1:9)\n"
        "  (Ellipsis 1:9-1:9)\n"
        "  (Block 1:11-1:18\n"
        "    (ExprStmt 1:13-1:16\n"
        "      (Ellipsis 1:13-1:16))))\n");
}

static void test_c_definitions(void **state)
{
    (void)state;
    assert_pattern(LANG_C, "$T $F(...) { ... }",
        "(Func \"$F\" 1:1-1:19 :type \"$T\"\n"
        "  (Ellipsis 1:7-1:10)\n"
        "  (Block 1:12-1:19\n"
        "    (ExprStmt 1:14-1:17\n"
        "      (Ellipsis 1:14-1:17))))\n");
    assert_pattern(LANG_C, "void f(int x, ...);",
        "(Func \"f\" 1:1-1:20 :type \"void\"\n"
        "  (Param \"x\" 1:8-1:13 :type \"int\")\n"
        "  (Ellipsis 1:15-1:18))\n");
    /* A "..." member: the declaration form of the placeholder. */
    assert_pattern(LANG_C, "struct $S { ... };",
        "(Class \"$S\" 1:1-1:18 :op \"struct\"\n"
        "  (Ellipsis 1:13-1:16))\n");
}

static void test_c_errors(void **state)
{
    (void)state;
    assert_pattern(LANG_C, "foo(", "error: it does not parse as C code");
    assert_pattern(LANG_C, "if ($X", "error: it does not parse as C code");
    assert_pattern(LANG_C, "} int x; {", "error: it does not parse as C code");
}

/* ---------------------------------------------------------------- Java */

static void test_java_expressions(void **state)
{
    (void)state;
    assert_pattern(LANG_JAVA, "new $T(...)",
        "(Call 1:1-1:12 :flags \"new\"\n"
        "  (Type \"$T\" 1:5-1:7)\n"
        "  (Ellipsis 1:8-1:11))\n");
    assert_pattern(LANG_JAVA, "$X.executeQuery(...)",
        "(Call 1:1-1:21\n"
        "  (Field \"executeQuery\" 1:1-1:16\n"
        "    (Metavar \"$X\" 1:1-1:3))\n"
        "  (Ellipsis 1:17-1:20))\n");
    assert_pattern(LANG_JAVA, "$X. ... .foo()",
        "(Call 1:1-1:15\n"
        "  (Field \"foo\" 1:1-1:13\n"
        "    (Ellipsis 1:1-1:8\n"
        "      (Metavar \"$X\" 1:1-1:3))))\n");
    assert_pattern(LANG_JAVA, "$X.foo(<... $Y ...>)",
        "(Call 1:1-1:21\n"
        "  (Field \"foo\" 1:1-1:7\n"
        "    (Metavar \"$X\" 1:1-1:3))\n"
        "  (Deep 1:8-1:20\n"
        "    (Metavar \"$Y\" 1:13-1:15)))\n");
}

static void test_java_typed_metavariables(void **state)
{
    (void)state;
    assert_pattern(LANG_JAVA, "(String $S)", "(Metavar \"$S\" 1:1-1:12 :type \"String\")\n");
    assert_pattern(LANG_JAVA, "$X == (String $Y)",
        "(Binary 1:1-1:18 :op \"==\"\n"
        "  (Metavar \"$X\" 1:1-1:3)\n"
        "  (Metavar \"$Y\" 1:7-1:18 :type \"String\"))\n");
    /* Parameters of a method are no typed metavariables. */
    assert_pattern_has(LANG_JAVA, "void $M(String $X) { ... }", "(Param \"$X\" 1:9-1:18 :type \"String\")");
}

static void test_java_definitions(void **state)
{
    (void)state;
    assert_pattern(LANG_JAVA, "@GetMapping(...) $RET $M(...) { ... }",
        "(Func \"$M\" 1:1-1:38 :type \"$RET\"\n"
        "  (Annotation \"GetMapping\" 1:1-1:17\n"
        "    (Ellipsis 1:13-1:16))\n"
        "  (Ellipsis 1:26-1:29)\n"
        "  (Block 1:31-1:38\n"
        "    (ExprStmt 1:33-1:36\n"
        "      (Ellipsis 1:33-1:36))))\n");
    assert_pattern(LANG_JAVA, "class $C { ... }",
        "(Class \"$C\" 1:1-1:17 :op \"class\"\n"
        "  (Ellipsis 1:12-1:15))\n");
    assert_pattern_has(LANG_JAVA, "public $RET $M($...P) { ... }",
                       "(Metavar \"$...P\" 1:16-1:21 :flags \"variadic\")");
    assert_pattern_has(LANG_JAVA, "List<$T> $V = new ArrayList<>();", "(Decl \"$V\" 1:1-1:33 :type \"List<$T>\"");
    /* A declaration's "..." parameters: "T name(...);", not a call. */
    assert_pattern(LANG_JAVA, "interface $I { $RET $M(...); }",
        "(Class \"$I\" 1:1-1:31 :op \"interface\"\n"
        "  (Func \"$M\" 1:16-1:29 :type \"$RET\"\n"
        "    (Ellipsis 1:24-1:27)))\n");
    assert_pattern_has(LANG_JAVA, "return foo(...);", "(Call 1:8-1:16");
    assert_pattern_has(LANG_C, "char *$F(...);", "(Func \"$F\" 1:1-1:15 :type \"char*\"");
    assert_pattern_has(LANG_JAVA, "import java.io.$X;", "(Import \"java.io.$X\" 1:1-1:19)");
}

static void test_java_statements(void **state)
{
    (void)state;
    assert_pattern(LANG_JAVA, "$S.executeQuery(\"...\" + $X);\n...\n",
        "(Block 1:1-2:4\n"
        "  (ExprStmt 1:1-1:29\n"
        "    (Call 1:1-1:28\n"
        "      (Field \"executeQuery\" 1:1-1:16\n"
        "        (Metavar \"$S\" 1:1-1:3))\n"
        "      (Binary 1:17-1:27 :op \"+\"\n"
        "        (Literal 1:17-1:22 :op \"string\" :text \"...\")\n"
        "        (Metavar \"$X\" 1:25-1:27))))\n"
        "  (ExprStmt 2:1-2:4\n"
        "    (Ellipsis 2:1-2:4)))\n");
    assert_pattern_has(LANG_JAVA, "throw new $E(...);", "(Throw 1:1-1:19");
    assert_pattern_has(LANG_JAVA, "for (...) {\n  ...\n}\n", "(Loop 1:1-3:2 :op \"for\"");
    assert_pattern_has(LANG_JAVA, "try { ... } catch ($T $E) { ... }", "(Catch \"$E\" 1:13-1:34 :type \"$T\"");
}

static void test_java_errors(void **state)
{
    (void)state;
    assert_pattern(LANG_JAVA, "class {", "error: it does not parse as Java code");
    assert_pattern(LANG_JAVA, "$X.foo(", "error: it does not parse as Java code");
}

static void test_bad_arguments(void **state)
{
    (void)state;
    char *err = NULL;
    assert_null(lang_parse_pattern(P, LANG_NONE, "foo()", &err));
    assert_non_null(err);
    free(err);
    err = NULL;
    assert_null(lang_parse_pattern(P, LANG_C, NULL, &err));
    assert_non_null(err);
    free(err);
    assert_null(lang_parse_pattern(P, LANG_C, "foo(", NULL));   /* err may be NULL */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_python_metavariables),
        cmocka_unit_test(test_python_metavariables_in_names),
        cmocka_unit_test(test_python_ellipsis),
        cmocka_unit_test(test_python_statement_sequences),
        cmocka_unit_test(test_python_variadic_metavariables),
        cmocka_unit_test(test_python_strings),
        cmocka_unit_test(test_python_deep_and_chains),
        cmocka_unit_test(test_python_roots),
        cmocka_unit_test(test_python_errors),
        cmocka_unit_test(test_c_expressions),
        cmocka_unit_test(test_c_typed_metavariables),
        cmocka_unit_test(test_c_statements),
        cmocka_unit_test(test_c_definitions),
        cmocka_unit_test(test_c_errors),
        cmocka_unit_test(test_java_expressions),
        cmocka_unit_test(test_java_typed_metavariables),
        cmocka_unit_test(test_java_definitions),
        cmocka_unit_test(test_java_statements),
        cmocka_unit_test(test_java_errors),
        cmocka_unit_test(test_bad_arguments),
    };
    P = lang_parser_new();
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lang_parser_delete(P);
    base_intern_shutdown();
    return rc;
}
