/* test_interproc.c: the program stage's call graph: C names with static scope,
 * pointer calls through tables and variables, table entry points, Java calls through
 * interfaces and superclasses, Python imports and methods on self, and the strongly
 * connected components in bottom-up levels (iteratively, on a 20,000-deep chain);
 * the cap on pass-through sinks in a summary. */
#include "testutil.h"

#include "callgraph/callgraph.h"
#include "taint/taint_ip.h"

typedef struct Prog {
    LangParser *p;
    AstFile *files[8];
    CgFileIn in[8];
    size_t n;
    CgGraph *g;
} Prog;

static void add(Prog *pr, Lang lang, const char *path, const char *src)
{
    pr->files[pr->n] = lang_parse_file(pr->p, lang, path, src, strlen(src), NULL);
    pr->in[pr->n] = (CgFileIn){ pr->files[pr->n], lang };
    pr->n++;
}

static void build(Prog *pr)
{
    pr->g = cg_build(pr->in, pr->n);
}

static void done(Prog *pr)
{
    cg_free(pr->g);
    for (size_t i = 0; i < pr->n; i++) lang_file_free(pr->files[i]);
    lang_parser_delete(pr->p);
}

static uint32_t func_named(const CgGraph *g, const char *name, uint32_t file)
{
    for (uint32_t i = 0; i < cg_func_count(g); i++) {
        const CgFunc *f = cg_func(g, i);
        if (f->name && !strcmp(f->name, name) && (file == CG_NONE || f->file == file)) return i;
    }
    return CG_NONE;
}

/* The names of the functions func calls, sorted, joined by spaces, with their file. */
static char *callees_of(const CgGraph *g, uint32_t func)
{
    uint32_t n;
    const uint32_t *c = cg_callees(g, func, &n);
    char buf[1024] = "";
    const char *names[64];
    for (uint32_t i = 0; i < n && i < 64; i++) {
        static char tmp[64][64];
        snprintf(tmp[i], sizeof tmp[i], "%s@%u", cg_func(g, c[i])->name, cg_func(g, c[i])->file);
        names[i] = tmp[i];
    }
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            const char *t = names[k];
            names[k] = names[k - 1];
            names[k - 1] = t;
        }
    for (uint32_t i = 0; i < n && i < 64; i++) {
        if (i) strcat(buf, " ");
        strcat(buf, names[i]);
    }
    return strdup(buf);
}

#define ASSERT_CALLEES(g, f, want) do { char *s_ = callees_of((g), (f)); \
    assert_string_equal(s_, (want)); free(s_); } while (0)

static void test_c_static_scope(void **state)
{
    (void)state;
    Prog pr = { .p = lang_parser_new() };
    add(&pr, LANG_C, "a.c", "static int helper(int x) { return x; }\nint a(int x) { return helper(x); }\n");
    add(&pr, LANG_C, "b.c", "static int helper(int x) { return x + 1; }\nint b(int x) { return helper(a(x)); }\n");
    build(&pr);
    ASSERT_CALLEES(pr.g, func_named(pr.g, "a", 0), "helper@0");
    ASSERT_CALLEES(pr.g, func_named(pr.g, "b", 1), "a@0 helper@1");
    done(&pr);
}

static const char *tables_c =
    "typedef int (*Handler)(char *req, int len);\n"
    "typedef struct { int cmd; int size; Handler handler; } Row;\n"
    "typedef struct { int cat; Row *rows; } Cat;\n"
    "static int h1(char *r, int n) { return 0; }\n"
    "static int h2(char *r, int n) { return 1; }\n"
    "static int h3(char *r, int n) { return 2; }\n"
    "static int other(int x) { return x; }\n"
    "Row g_rows[] = { { 1, 4, h1 }, { 2, 8, h2 }, { 0, 0, 0 } };\n"
    "Row g_more[] = { { .cmd = 3, .handler = h3 } };\n"
    "Cat g_cats[] = { { 1, g_rows }, { 2, g_more } };\n"
    "int dispatch(Row *r, char *req, int len) { return r->handler(req, len); }\n"
    "int via_var(char *req) { Handler fp = h2; return fp(req, 1); }\n";

static void test_c_pointer_tables(void **state)
{
    (void)state;
    Prog pr = { .p = lang_parser_new() };
    add(&pr, LANG_C, "t.c", tables_c);
    build(&pr);
    ASSERT_CALLEES(pr.g, func_named(pr.g, "dispatch", 0), "h1@0 h2@0 h3@0");
    ASSERT_CALLEES(pr.g, func_named(pr.g, "via_var", 0), "h2@0");
    /* entry points: g_cats -> column 1 -> tables -> column "handler" -> functions */
    const AstNode *root = pr.files[0]->root, *cats = NULL;
    for (uint32_t i = 0; i < root->nkids; i++)
        if (root->kids[i]->kind == AST_DECL && root->kids[i]->name && !strcmp(root->kids[i]->name, "g_cats"))
            cats = root->kids[i];
    assert_non_null(cats);
    const char *via[] = { "1", "2" };
    CgIdList ids = {0};
    cg_table_functions(pr.g, 0, cats, via, 2, &ids);
    assert_int_equal(ids.n, 2);   /* h3 is designated (.handler), not in column 2 */
    const char *via2[] = { "1", "handler" };
    ids.n = 0;
    cg_table_functions(pr.g, 0, cats, via2, 2, &ids);
    assert_int_equal(ids.n, 3);
    VEC_FREE(ids);
    done(&pr);
}

static void test_java_interface(void **state)
{
    (void)state;
    Prog pr = { .p = lang_parser_new() };
    add(&pr, LANG_JAVA, "R.java",
        "interface Repo { void find(String n); }\n"
        "class A implements Repo { public void find(String n) {} }\n"
        "class B implements Repo { public void find(String n) {} public void find(String n, int k) {} }\n"
        "class C extends B { public void find(String n) {} }\n");
    add(&pr, LANG_JAVA, "U.java",
        "class U { Repo r; void go(Repo q, B b) { q.find(\"x\"); b.find(\"y\"); r.find(\"z\", 1); new A().find(\"w\"); } }\n");
    build(&pr);
    /* q.find: A, B and C's find/1; b.find: B's and C's (already in); r.find(.., 1): B's find/2 */
    ASSERT_CALLEES(pr.g, func_named(pr.g, "go", 1), "find@0 find@0 find@0 find@0");
    done(&pr);
}

static void test_python_imports(void **state)
{
    (void)state;
    Prog pr = { .p = lang_parser_new() };
    add(&pr, LANG_PYTHON, "pkg/util.py",
        "def helper(x):\n    return x\n\nclass K:\n    def m(self):\n        return self.n()\n    def n(self):\n        return 1\n");
    add(&pr, LANG_PYTHON, "pkg/main.py",
        "from pkg import util\nfrom pkg.util import helper as h, K\n\n"
        "def go(a):\n    util.helper(a)\n    h(a)\n    k = K()\n    k.m()\n");
    build(&pr);
    ASSERT_CALLEES(pr.g, func_named(pr.g, "go", 1), "helper@0 m@0");
    ASSERT_CALLEES(pr.g, func_named(pr.g, "m", 0), "n@0");
    done(&pr);
}

static void test_scc_levels(void **state)
{
    (void)state;
    Prog pr = { .p = lang_parser_new() };
    add(&pr, LANG_C, "r.c",
        "int leaf(int x) { return x; }\n"
        "int pong(int x);\n"
        "int ping(int x) { return x ? pong(x - 1) : leaf(x); }\n"
        "int pong(int x) { return ping(x); }\n"
        "int self(int x) { return x ? self(x - 1) : 0; }\n"
        "int top(int x) { return ping(x) + self(x); }\n");
    build(&pr);
    const CgGraph *g = pr.g;
    uint32_t ping = func_named(g, "ping", 0), pong = func_named(g, "pong", 0), leaf = func_named(g, "leaf", 0);
    uint32_t top = func_named(g, "top", 0);
    assert_int_equal(cg_scc_of(g, ping), cg_scc_of(g, pong));
    assert_int_not_equal(cg_scc_of(g, ping), cg_scc_of(g, leaf));
    /* every callee's component is on a lower level */
    size_t level_of[64] = {0};
    for (size_t l = 0; l < cg_level_count(g); l++) {
        uint32_t n;
        const uint32_t *s = cg_level(g, l, &n);
        for (uint32_t i = 0; i < n; i++) level_of[s[i]] = l;
    }
    assert_true(level_of[cg_scc_of(g, leaf)] < level_of[cg_scc_of(g, ping)]);
    assert_true(level_of[cg_scc_of(g, ping)] < level_of[cg_scc_of(g, top)]);
    done(&pr);
}

/* A chain f0 -> f1 -> ... -> f19999 closing into a cycle: no recursion in Tarjan. */
static void test_scc_deep_chain(void **state)
{
    (void)state;
    enum { N = 20000 };
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < N; i++) sb_printf(&b, "int f%d(int x) { return f%d(x); }\n", i, (i + 1) % N);
    sb_puts(&b, "int main(void) { return f0(1); }\n");
    Prog pr = { .p = lang_parser_new() };
    add(&pr, LANG_C, "deep.c", b.s);
    build(&pr);
    uint32_t f0 = func_named(pr.g, "f0", 0), last = func_named(pr.g, "f19999", 0);
    assert_int_equal(cg_scc_of(pr.g, f0), cg_scc_of(pr.g, last));
    uint32_t n;
    cg_scc_members(pr.g, cg_scc_of(pr.g, f0), &n);
    assert_int_equal(n, N);
    assert_int_equal(cg_level_count(pr.g), 2);   /* the cycle, then main */
    done(&pr);
    sb_free(&b);
}

/* taint_sum_cap: a parameter reaching 12 callees' sinks and 2 of its own keeps both
 * of its own and the 8 callees' with the shortest traces (ties: the sink's place),
 * in summary order; another parameter under the cap and a non-sink entry stay. */
static void test_summary_cap(void **state)
{
    (void)state;
    static TaintSink sinks[16];
    static TaintTrace traces[16];
    TaintSummary s = {0};
    const char *none = intern("");
    for (uint32_t i = 0; i < 14; i++) {
        sinks[i] = (TaintSink){ .kept = i >= 2, .file = 0, .spec = 0, .span = i };
        traces[i].len = (uint16_t)(i < 2 ? 50 : 20 - i % 5);   /* own ones: long */
        TaintSumEntry e = { .from = 0, .to = TAINT_POS_SINK, .from_path = none, .to_path = none,
                            .sink = &sinks[i], .trace = &traces[i] };
        taint_sum_add(&s, &e);
    }
    sinks[14] = (TaintSink){ .kept = true, .span = 14 };
    TaintSumEntry other = { .from = 1, .to = TAINT_POS_SINK, .from_path = none, .to_path = none,
                            .sink = &sinks[14], .trace = &traces[0] };
    taint_sum_add(&s, &other);
    TaintSumEntry ret = { .from = 0, .to = TAINT_POS_RET, .from_path = none, .to_path = none };
    taint_sum_add(&s, &ret);
    taint_sum_sort(&s);
    assert_int_equal(taint_sum_cap(&s, 8), 4);
    assert_int_equal(s.n, 12);
    /* callees' lengths by span 2..13: 18 17 16 20 19 18 17 16 20 19 18 17; the 8
     * shortest: 16 (4, 9), 17 (3, 8, 13), 18 (2, 7, 12); dropped: 5, 6, 10, 11 */
    uint32_t want[] = { 0, 1, 2, 3, 4, 7, 8, 9, 12, 13 };
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++)
        if (s.v[i].from == 0 && s.v[i].to == TAINT_POS_SINK) assert_int_equal(s.v[i].sink->span, want[k++]);
    assert_int_equal(k, 10);
    assert_int_equal(taint_sum_cap(&s, 8), 0);   /* idempotent */
    taint_sum_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c_static_scope),
        cmocka_unit_test(test_c_pointer_tables),
        cmocka_unit_test(test_java_interface),
        cmocka_unit_test(test_python_imports),
        cmocka_unit_test(test_scc_levels),
        cmocka_unit_test(test_scc_deep_chain),
        cmocka_unit_test(test_summary_cap),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    base_intern_shutdown();
    return rc;
}
