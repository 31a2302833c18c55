/* test_taint_rules.c: the annotated taint rule tests of rules/taint-tests (and the
 * firmware pack) run through the taint stage, annotation by annotation, as
 * `sluice test` runs them; this test also works while the front ends cannot parse
 * Semgrep patterns yet (the harness rewrites them into plain code). */
#include "taint_harness.h"

#include <ctype.h>

static char *read_text(const char *path)
{
    char *s;
    size_t n;
    char err[256];
    if (!file_read_all(path, &s, &n, err, sizeof err)) {
        print_error("%s\n", err);
        fail();
    }
    return s;
}

/* "line:id" for each finding, and the annotations' expectations, compared. */
static bool has_finding(const MatchResults *res, const char *id, int line)
{
    for (size_t i = 0; i < res->findings.n; i++)
        if ((int)res->findings.v[i].start.line == line && !strcmp(res->findings.v[i].rule_id, id))
            return true;
    return false;
}

typedef struct Check {
    int line;                    /* the annotated line */
    bool want;
    char id[128];
} Check;

/* A comment alone on its line annotates the next line that is not an annotation. */
static size_t read_checks(const char *src, Check *out, size_t max)
{
    size_t n = 0, pending_from = 0;
    int line = 1;
    char buf[512];
    for (const char *ls = src; *ls; line++) {
        const char *le = strchr(ls, '\n');
        if (!le) le = ls + strlen(ls);
        size_t len = (size_t)(le - ls) < sizeof buf - 1 ? (size_t)(le - ls) : sizeof buf - 1;
        memcpy(buf, ls, len);
        buf[len] = 0;
        const char *c = buf;
        while (isspace((unsigned char)*c)) c++;
        bool comment = (c[0] == '/' && (c[1] == '/' || c[1] == '*')) || c[0] == '#';
        const char *r = comment ? strstr(c, "ruleid:") : NULL, *o = comment ? strstr(c, "ok:") : NULL;
        bool todo = comment && (strstr(c, "todoruleid:") || strstr(c, "todook:"));
        if (comment && (r || o)) {
            const char *id = r ? r + 7 : o + 3;
            while (!todo && *id && n < max) {   /* "ruleid: a, b": one check per id */
                while (*id == ' ' || *id == ',') id++;
                size_t k = 0;
                while (id[k] && !isspace((unsigned char)id[k]) && id[k] != ',' && k < 127) k++;
                if (!k) break;
                Check ch = { 0, r != NULL, "" };
                memcpy(ch.id, id, k);
                out[n++] = ch;
                id += k;
            }
        } else {
            for (size_t i = pending_from; i < n; i++) out[i].line = line;
            pending_from = n;
        }
        ls = *le ? le + 1 : le;
    }
    return n;
}

static void run_pair(const char *yml, const char *target, Lang lang, size_t min_cases)
{
    char *rules = read_text(yml), *code = read_text(target);
    TaintHarness h;
    th_load(&h, rules, NULL);
    DiagList d = {0};
    AstFile *f = lang_parse_file(h.p, lang, target, code, strlen(code), &d);
    MatchResults res;
    match_results_init(&res);
    TaintProgram *prog = taint_program_new(h.te, 1, NULL);   /* as a scan runs it */
    taint_program_add_file(prog, 0, h.p, f, lang, &d);
    taint_program_run(prog, &res, &d);
    taint_program_free(prog);
    Check checks[512];
    size_t n = read_checks(code, checks, 512), bad = 0;
    for (size_t i = 0; i < n; i++) {
        bool got = has_finding(&res, checks[i].id, checks[i].line);
        if (got != checks[i].want) {
            print_error("%s:%d: %s %s\n", target, checks[i].line, checks[i].want ? "missed" : "unexpected",
                        checks[i].id);
            bad++;
        }
    }
    for (size_t i = 0; i < res.findings.n; i++) {   /* a finding with no annotation at all */
        bool annotated = false;
        for (size_t k = 0; k < n; k++)
            annotated |= checks[k].line == (int)res.findings.v[i].start.line
                         && !strcmp(checks[k].id, res.findings.v[i].rule_id);
        if (!annotated) {
            print_error("%s:%u: unannotated finding of %s\n", target, res.findings.v[i].start.line,
                        res.findings.v[i].rule_id);
            bad++;
        }
    }
    print_message("%s: %zu cases, %zu wrong\n", target, n, bad);
    assert_true(n >= min_cases);
    match_results_free(&res);
    diag_list_free(&d);
    lang_file_free(f);
    th_free(&h);
    free(rules);
    free(code);
    assert_int_equal(bad, 0);
}

static void test_c_rules(void **state)
{
    (void)state;
    run_pair("rules/taint-tests/c-taint.yml", "rules/taint-tests/c-taint.c", LANG_C, 50);
}

static void test_python_rules(void **state)
{
    (void)state;
    run_pair("rules/taint-tests/python-taint.yml", "rules/taint-tests/python-taint.py", LANG_PYTHON, 30);
}

static void test_java_rules(void **state)
{
    (void)state;
    run_pair("rules/taint-tests/java-taint.yml", "rules/taint-tests/java-taint.java", LANG_JAVA, 20);
}

/* Seed 004 inside single functions: SetEntry's index and GetPrevious's index - 2
 * are found; GetEntry (bounds-checked) and Checksum (length checked) are not. */
static void test_firmware_pack(void **state)
{
    (void)state;
    run_pair("rules/c/firmware.yml", "rules/c/firmware.c", LANG_C, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_firmware_pack),
        cmocka_unit_test(test_c_rules),
        cmocka_unit_test(test_python_rules),
        cmocka_unit_test(test_java_rules),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    base_intern_shutdown();
    return rc;
}
