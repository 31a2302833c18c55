/* test_discover.c: the discover stage: globs, .sluiceignore, languages, binary and
 * oversized files, symlinks and loops. Each test builds a small tree in a temp dir. */
#include "testutil.h"

#include "scan/scan.h"

#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++) {      /* mkdir -p of the parents */
        if (*p != '/') continue;
        *p = '\0';
        mkdir(path, 0755);
        *p = '/';
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int make_root(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/sluice-discover-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int remove_root(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* Discovers under root; returns the targets' paths relative to root, one a line. */
static char *discover(const DiscoverOptions *opt, Report *report)
{
    TargetList t = {0};
    const char *roots[] = { root };
    assert_true(scan_discover(roots, 1, opt, &t, report));
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < t.v.n; i++) {
        sb_puts(&b, t.v.v[i].path + strlen(root) + 1);
        sb_printf(&b, " %s\n", lang_name(t.v.v[i].lang));
    }
    scan_targets_free(&t);
    return sb_take(&b);
}

static bool skipped_with(const Report *r, const char *file, const char *reason)
{
    for (size_t i = 0; i < r->skipped.n; i++)
        if (str_ends_with(r->skipped.v[i].path, file) && strstr(r->skipped.v[i].reason, reason))
            return true;
    return false;
}

static void test_globs(void **state)
{
    (void)state;
    assert_true(scan_glob_match("*.py", "src/a.py"));
    assert_true(scan_glob_match("*.py", "a.py"));
    assert_false(scan_glob_match("*.py", "a.pyc"));
    assert_true(scan_glob_match("tests", "a/tests/x.py"));
    assert_true(scan_glob_match("tests/", "a/tests/x.py"));
    assert_false(scan_glob_match("tests/", "a/tests"));
    assert_true(scan_glob_match("src/**/gen.c", "src/gen.c"));
    assert_true(scan_glob_match("src/**/gen.c", "src/a/b/gen.c"));
    assert_true(scan_glob_match("/src", "src/x.c"));
    assert_false(scan_glob_match("/src", "lib/src/x.c"));
    assert_true(scan_glob_match("f[0-9].c", "f7.c"));
    assert_false(scan_glob_match("f[!0-9].c", "f7.c"));
    assert_true(scan_glob_match("./vendor", "vendor/x.c"));
}

static void test_ignore_patterns(void **state)
{
    (void)state;
    IgnoreList *l = scan_ignore_load("# comment\n\nbuild/\n*.gen.c\n!keep.gen.c\n/top.py\ndocs/**/*.py\n");
    assert_int_equal(scan_ignore_match(l, "build", true), 1);
    assert_int_equal(scan_ignore_match(l, "build", false), 0);     /* dir-only pattern */
    assert_int_equal(scan_ignore_match(l, "a/b/x.gen.c", false), 1);
    assert_int_equal(scan_ignore_match(l, "a/keep.gen.c", false), -1);
    assert_int_equal(scan_ignore_match(l, "top.py", false), 1);
    assert_int_equal(scan_ignore_match(l, "sub/top.py", false), 0); /* anchored */
    assert_int_equal(scan_ignore_match(l, "docs/a/b/c.py", false), 1);
    assert_int_equal(scan_ignore_match(l, "src/main.c", false), 0);
    scan_ignore_free(l);
}

static void test_languages_and_ignore_file(void **state)
{
    (void)state;
    write_file("a.c", "int x;\n");
    write_file("b.h", "int y;\n");
    write_file("pkg/m.py", "x = 1\n");
    write_file("pkg/M.java", "class M {}\n");
    write_file("script", "#!/usr/bin/env python3\nprint(1)\n");
    write_file("notes.txt", "hello\n");
    write_file("gen/skip.c", "int z;\n");
    write_file("pkg/.sluiceignore", "m.py\n");
    write_file(".sluiceignore", "gen/\n");
    Report r;
    report_init(&r);
    DiscoverOptions opt = { .max_target_bytes = SCAN_DEFAULT_MAX_TARGET_BYTES };
    char *got = discover(&opt, &r);
    assert_string_equal(got, "a.c c\nb.h c\npkg/M.java java\nscript python\n");
    free(got);
    report_free(&r);
}

static void test_include_exclude_lang(void **state)
{
    (void)state;
    write_file("src/a.c", "int x;\n");
    write_file("src/t/b.py", "x = 1\n");
    write_file("tests/c.py", "x = 1\n");
    DiscoverOptions opt = { .max_target_bytes = 0 };
    VEC_PUSH(opt.exclude, "tests");
    Report r;
    report_init(&r);
    char *got = discover(&opt, &r);
    assert_string_equal(got, "src/a.c c\nsrc/t/b.py python\n");
    free(got);
    VEC_PUSH(opt.include, "*.py");
    got = discover(&opt, &r);
    assert_string_equal(got, "src/t/b.py python\n");
    free(got);
    VEC_FREE(opt.include);
    opt.only_lang = LANG_C;
    got = discover(&opt, &r);
    assert_string_equal(got, "src/a.c c\n");
    free(got);
    VEC_FREE(opt.exclude);
    report_free(&r);
}

static void test_size_limit(void **state)
{
    (void)state;
    char big[2048];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    write_file("big.c", big);
    write_file("small.c", "int x;\n");
    DiscoverOptions opt = { .max_target_bytes = 1000 };
    Report r;
    report_init(&r);
    char *got = discover(&opt, &r);
    assert_string_equal(got, "small.c c\n");
    assert_true(skipped_with(&r, "big.c", "max-target-bytes"));
    bool noted = false;
    for (size_t i = 0; i < r.errors.n; i++)
        noted |= str_ends_with(r.errors.v[i].path, "big.c");
    assert_true(noted);
    free(got);
    report_free(&r);
}

static void test_symlinks(void **state)
{
    (void)state;
    char a[512], b[512], d[512];
    write_file("real/x.c", "int x;\n");
    snprintf(a, sizeof a, "%s/loop1.c", root);
    snprintf(b, sizeof b, "%s/loop2.c", root);
    assert_int_equal(symlink(b, a), 0);          /* loop1.c -> loop2.c -> loop1.c */
    assert_int_equal(symlink(a, b), 0);
    snprintf(d, sizeof d, "%s/real/up", root);
    assert_int_equal(symlink("..", d), 0);       /* a directory loop */
    snprintf(a, sizeof a, "%s/link.c", root);
    assert_int_equal(symlink("real/x.c", a), 0);
    Report r;
    report_init(&r);
    DiscoverOptions opt = {0};
    char *got = discover(&opt, &r);
    assert_string_equal(got, "link.c c\nreal/x.c c\n");
    assert_true(skipped_with(&r, "real/up", "not followed"));
    int loops = 0;
    for (size_t i = 0; i < r.errors.n; i++)
        loops += strstr(r.errors.v[i].message, "symlink loop") != NULL;
    assert_int_equal(loops, 2);
    free(got);
    report_free(&r);
}

static void test_missing_root(void **state)
{
    (void)state;
    Report r;
    report_init(&r);
    TargetList t = {0};
    const char *roots[] = { "/nonexistent/sluice/path" };
    DiscoverOptions opt = {0};
    assert_false(scan_discover(roots, 1, &opt, &t, &r));
    assert_int_equal(t.v.n, 0);
    assert_int_equal(r.errors.n, 1);
    assert_string_equal(r.errors.v[0].path, "/nonexistent/sluice/path");
    assert_contains(r.errors.v[0].message, "No such file");
    scan_targets_free(&t);
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_globs),
        cmocka_unit_test(test_ignore_patterns),
        cmocka_unit_test_setup_teardown(test_languages_and_ignore_file, make_root, remove_root),
        cmocka_unit_test_setup_teardown(test_include_exclude_lang, make_root, remove_root),
        cmocka_unit_test_setup_teardown(test_size_limit, make_root, remove_root),
        cmocka_unit_test_setup_teardown(test_symlinks, make_root, remove_root),
        cmocka_unit_test(test_missing_root),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    base_intern_shutdown();
    return failed;
}
