/* test_report.c: the report stage: deep copies, the total order of findings, and the
 * text, Semgrep JSON and SARIF 2.1.0 writers on one report with a taint path,
 * metavariables, errors, skipped files and bytes that are not UTF-8. */
#include "testutil.h"

#include "report/report.h"
#include "report/report_int.h"

#include <errno.h>
#include <jansson.h>

/* ---------------------------------------------------------------- the report */

static const ReportStep memcpy_path[] = {
    { STEP_SOURCE, "src/handler.c", { 30, 11, 600 }, { 30, 28, 617 }, "recv_msg(sock)", "attacker data enters" },
    { STEP_STEP, NULL, { 35, 5, 700 }, { 35, 19, 714 }, "n = msg->len;", "tainted by msg->len" },
    { STEP_SINK, "src/handler.c", { 41, 5, 800 }, { 41, 30, 825 }, "memcpy(buf, msg->data, n)", NULL },
};

static const ReportMetavar env_metavars[] = {
    { "$X", { 7, 1, 120 }, { 7, 2, 121 }, "x" },
    { "$KEY", { 7, 16, 135 }, { 7, 22, 141 }, "'HOME'" },
};

static ReportFinding memcpy_finding(void)
{
    return (ReportFinding){
        .rule_id = "c.memcpy-size", .path = "src/handler.c",
        .start = { 41, 5, 800 }, .end = { 41, 30, 825 },
        .message = "attacker-controlled size reaches memcpy",
        .severity = "ERROR",
        .metadata_json = "{\"category\": \"security\", \"cwe\": [\"CWE-120\"]}",
        .lines = "    memcpy(buf, msg->data, n);\n",
        .steps = (ReportStep *)memcpy_path, .nsteps = 3,
        .fingerprint = "fp-memcpy",
    };
}

static ReportFinding env_finding(void)
{
    return (ReportFinding){
        .rule_id = "py.env-read", .path = "pkg/setup.py",
        .start = { 7, 1, 120 }, .end = { 7, 23, 142 },
        .message = "x reads environment variable 'HOME'",
        .severity = "WARNING",
        .lines = "x = os.environ['HOME']\n",
        .metavars = (ReportMetavar *)env_metavars, .nmetavars = 2,
    };
}

static ReportFinding info_finding(void)
{
    return (ReportFinding){
        .rule_id = "c.info-rule", .path = "src/handler.c",
        .start = { 12, 3, 200 }, .end = { 13, 7, 215 },
        .message = "two calls in a row\nsecond line of the message",
        .severity = "INFO",
        .lines = "  a();\n  b();\n",
    };
}

/* A line with a byte that is no UTF-8 (0xFF) and a truncated sequence (0xC3 at the end). */
static ReportFinding binary_finding(void)
{
    return (ReportFinding){
        .rule_id = "c.utf8", .path = "src/util.c",
        .start = { 3, 1, 40 }, .end = { 3, 9, 48 },
        .message = "odd bytes \xff here",
        .severity = "WARNING",
        .lines = "s = \"\xff\xfe\"; t = \"\xc3",
    };
}

static void add_rules(Report *r)
{
    report_add_rule(r, &(ReportRule){ "py.env-read", "reads the environment", "WARNING", NULL });
    report_add_rule(r, &(ReportRule){ "c.memcpy-size", "size from the message\nmore", "ERROR",
                                      "{\"category\": \"security\", \"cwe\": [\"CWE-120\", \"CWE-787\"]}" });
    report_add_rule(r, &(ReportRule){ "c.info-rule", "two calls", "INFO", NULL });
    report_add_rule(r, &(ReportRule){ "unused.rule", "never matches", "WARNING", NULL });
}

static void add_errors(Report *r, bool reversed)
{
    DiagList l = { 0 };
    if (reversed) diag_add(&l, DIAG_WARN, "Syntax error", "src/bad.c", 3, 7, NULL, "unexpected '%c'", '}');
    diag_add(&l, DIAG_ERROR, "Rule parse error", NULL, 0, 0, "bad.rule", "missing key '%s'", "pattern");
    if (!reversed) diag_add(&l, DIAG_WARN, "Syntax error", "src/bad.c", 3, 7, NULL, "unexpected '%c'", '}');
    report_take_errors(r, &l);
    assert_int_equal(l.n, 0);
}

/* The fixture, filled in one order or its reverse (as two -j runs might). */
static void build_report(Report *r, bool reversed)
{
    report_init(r);
    report_set_version(r, "0.1.0");
    ReportFinding f[] = { memcpy_finding(), env_finding(), info_finding(), binary_finding() };
    const char *scanned[] = { "src/handler.c", "pkg/setup.py", "src/util.c", "src/bad.c" };
    for (size_t i = 0; i < 4; i++) {
        size_t k = reversed ? 3 - i : i;
        report_add_finding(r, &f[k]);
        report_add_scanned(r, scanned[k]);
    }
    add_rules(r);
    add_errors(r, reversed);
    report_add_skipped(r, "vendor/z.min.js", "minified");
    report_add_skipped(r, "vendor/a.bin", "binary file");
    report_sort(r);
}

/* The writer's whole output as a heap string. */
static char *write_to_string(const Report *r, ReportFormat fmt, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ReportOptions opt = { .color = color, .show_skipped = true };
    assert_true(report_write(r, fmt, &opt, f));
    fclose(f);
    return buf;
}

static json_t *write_json(const Report *r, ReportFormat fmt)
{
    char *text = write_to_string(r, fmt, false);
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j) print_error("JSON does not parse: %s at line %d\n%s\n", err.text, err.line, text);
    free(text);
    assert_non_null(j);
    return j;
}

/* Asserts that object o has exactly the n keys given. */
static void assert_keys(json_t *o, const char *const *keys, size_t n)
{
    assert_true(json_is_object(o));
    for (size_t i = 0; i < n; i++) {
        if (!json_object_get(o, keys[i])) print_error("missing key %s\n", keys[i]);
        assert_non_null(json_object_get(o, keys[i]));
    }
    assert_int_equal(json_object_size(o), n);
}
#define ASSERT_KEYS(o, ...) do { \
        static const char *const k_[] = { __VA_ARGS__ }; \
        assert_keys((o), k_, sizeof k_ / sizeof k_[0]); \
    } while (0)

static const char *str_at(json_t *root, const char *path)
{
    json_t *v = json_object_get(root, path);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static long long int_at(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static void assert_pos(json_t *pos, long long line, long long col, long long offset)
{
    ASSERT_KEYS(pos, "line", "col", "offset");
    assert_int_equal(int_at(pos, "line"), line);
    assert_int_equal(int_at(pos, "col"), col);
    assert_int_equal(int_at(pos, "offset"), offset);
}

/* ---------------------------------------------------------------- store and order */

static void test_sort_total_order(void **state)
{
    (void)state;
    Report r;
    report_init(&r);
    /* Each pair differs in exactly one key, in the key order the header promises. */
    ReportFinding base = { .rule_id = "b.rule", .path = "b.c", .start = { 5, 5, 0 }, .end = { 5, 9, 50 },
                           .message = "m2" };
    ReportFinding v[8];
    for (int i = 0; i < 8; i++) v[i] = base;
    v[0].path = "a.c";                  /* path first */
    v[1].start.line = 2;                /* then line */
    v[2].start.col = 1;                 /* then column */
    v[3].rule_id = "a.rule";            /* then rule id */
    v[4].end.offset = 40;               /* then end offset */
    v[5].message = "m1";                /* then message */
    v[6] = base;                        /* the base itself */
    v[7].path = "c.c"; v[7].start.line = 1;   /* a later path beats an earlier line */
    int shuffled[8] = { 6, 2, 7, 0, 5, 3, 1, 4 };
    for (int i = 0; i < 8; i++) report_add_finding(&r, &v[shuffled[i]]);
    report_sort(&r);
    int expect[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    for (int i = 0; i < 8; i++) {
        const ReportFinding *f = &r.findings.v[i], *e = &v[expect[i]];
        assert_string_equal(f->path, e->path);
        assert_int_equal(f->start.line, e->start.line);
        assert_int_equal(f->start.col, e->start.col);
        assert_string_equal(f->rule_id, e->rule_id);
        assert_int_equal(f->end.offset, e->end.offset);
        assert_string_equal(f->message, e->message);
    }
    report_free(&r);
}

static void test_sort_paths_rules_errors(void **state)
{
    (void)state;
    Report r;
    build_report(&r, true);
    assert_string_equal(r.scanned.v[0], "pkg/setup.py");
    assert_string_equal(r.scanned.v[3], "src/util.c");
    assert_string_equal(r.skipped.v[0].path, "vendor/a.bin");
    assert_string_equal(r.rules.v[0].id, "c.info-rule");
    assert_string_equal(r.rules.v[3].id, "unused.rule");
    /* Errors without a path come first, then by path. */
    assert_null(r.errors.v[0].path);
    assert_string_equal(r.errors.v[1].path, "src/bad.c");
    /* Findings: pkg/ before src/, and within src/handler.c line 12 before 41. */
    assert_string_equal(r.findings.v[0].rule_id, "py.env-read");
    assert_string_equal(r.findings.v[1].rule_id, "c.info-rule");
    assert_string_equal(r.findings.v[2].rule_id, "c.memcpy-size");
    assert_string_equal(r.findings.v[3].rule_id, "c.utf8");
    report_free(&r);
}

static void test_add_copies_deeply(void **state)
{
    (void)state;
    char rule[] = "r.id", path[] = "x.c", content[] = "value", note[] = "why";
    ReportStep step = { STEP_SOURCE, path, { 1, 1, 0 }, { 1, 2, 1 }, content, note };
    ReportMetavar mv = { "$V", { 1, 1, 0 }, { 1, 2, 1 }, content };
    ReportFinding f = { .rule_id = rule, .path = path, .steps = &step, .nsteps = 1,
                        .metavars = &mv, .nmetavars = 1 };
    Report r;
    report_init(&r);
    report_add_finding(&r, &f);
    strcpy(rule, "XXXX");
    strcpy(path, "YYY");
    strcpy(content, "ZZZZZ");
    step.kind = STEP_SINK;
    const ReportFinding *c = &r.findings.v[0];
    assert_string_equal(c->rule_id, "r.id");
    assert_string_equal(c->path, "x.c");
    assert_ptr_not_equal(c->steps, &step);
    assert_int_equal(c->steps[0].kind, STEP_SOURCE);
    assert_string_equal(c->steps[0].path, "x.c");
    assert_string_equal(c->steps[0].content, "value");
    assert_string_equal(c->metavars[0].content, "value");
    assert_null(c->message);
    assert_null(c->fingerprint);
    report_free(&r);
}

/* ---------------------------------------------------------------- JSON */

static void test_json_shape(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    json_t *j = write_json(&r, REPORT_JSON);
    ASSERT_KEYS(j, "version", "results", "errors", "paths", "skipped_rules", "interfile_languages_used");
    assert_string_equal(str_at(j, "version"), "0.1.0");
    assert_int_equal(json_array_size(json_object_get(j, "skipped_rules")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "interfile_languages_used")), 0);

    json_t *results = json_object_get(j, "results");
    assert_int_equal(json_array_size(results), 4);
    json_t *env = json_array_get(results, 0), *memcpy_r = json_array_get(results, 2);
    ASSERT_KEYS(env, "check_id", "path", "start", "end", "extra");
    assert_string_equal(str_at(env, "check_id"), "py.env-read");
    assert_string_equal(str_at(env, "path"), "pkg/setup.py");
    assert_pos(json_object_get(env, "start"), 7, 1, 120);
    assert_pos(json_object_get(env, "end"), 7, 23, 142);

    json_t *x = json_object_get(env, "extra");
    ASSERT_KEYS(x, "message", "severity", "metadata", "lines", "metavars", "fingerprint", "engine_kind",
                "is_ignored");
    assert_string_equal(str_at(x, "message"), "x reads environment variable 'HOME'");
    assert_string_equal(str_at(x, "severity"), "WARNING");
    assert_int_equal(json_object_size(json_object_get(x, "metadata")), 0);
    assert_string_equal(str_at(x, "lines"), "x = os.environ['HOME']\n");
    assert_string_equal(str_at(x, "engine_kind"), "OSS");
    assert_true(json_is_false(json_object_get(x, "is_ignored")));
    json_t *mv = json_object_get(x, "metavars");
    ASSERT_KEYS(mv, "$X", "$KEY");
    json_t *key = json_object_get(mv, "$KEY");
    ASSERT_KEYS(key, "start", "end", "abstract_content");
    assert_pos(json_object_get(key, "start"), 7, 16, 135);
    assert_pos(json_object_get(key, "end"), 7, 22, 141);
    assert_string_equal(str_at(key, "abstract_content"), "'HOME'");

    x = json_object_get(memcpy_r, "extra");
    assert_string_equal(str_at(x, "fingerprint"), "fp-memcpy");
    json_t *meta = json_object_get(x, "metadata");
    assert_string_equal(str_at(meta, "category"), "security");
    assert_string_equal(json_string_value(json_array_get(json_object_get(meta, "cwe"), 0)), "CWE-120");
    assert_int_equal(json_object_size(json_object_get(x, "metavars")), 0);
    json_decref(j);
    report_free(&r);
}

/* ["CliLoc", [{"path","start","end"}, content]] */
static void assert_cli_loc(json_t *v, const char *path, long long line, const char *content)
{
    assert_int_equal(json_array_size(v), 2);
    assert_string_equal(json_string_value(json_array_get(v, 0)), "CliLoc");
    json_t *pair = json_array_get(v, 1);
    assert_int_equal(json_array_size(pair), 2);
    json_t *loc = json_array_get(pair, 0);
    ASSERT_KEYS(loc, "path", "start", "end");
    assert_string_equal(str_at(loc, "path"), path);
    assert_int_equal(int_at(json_object_get(loc, "start"), "line"), line);
    assert_string_equal(json_string_value(json_array_get(pair, 1)), content);
}

static void test_json_dataflow_trace(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    json_t *j = write_json(&r, REPORT_JSON);
    json_t *results = json_object_get(j, "results");
    json_t *x = json_object_get(json_array_get(results, 2), "extra");
    json_t *trace = json_object_get(x, "dataflow_trace");
    ASSERT_KEYS(trace, "taint_source", "intermediate_vars", "taint_sink");
    assert_cli_loc(json_object_get(trace, "taint_source"), "src/handler.c", 30, "recv_msg(sock)");
    assert_cli_loc(json_object_get(trace, "taint_sink"), "src/handler.c", 41, "memcpy(buf, msg->data, n)");
    json_t *vars = json_object_get(trace, "intermediate_vars");
    assert_int_equal(json_array_size(vars), 1);
    json_t *var = json_array_get(vars, 0);
    ASSERT_KEYS(var, "location", "content");
    assert_string_equal(str_at(var, "content"), "n = msg->len;");
    json_t *loc = json_object_get(var, "location");
    assert_string_equal(str_at(loc, "path"), "src/handler.c");   /* the finding's: the step has none */
    assert_pos(json_object_get(loc, "start"), 35, 5, 700);
    /* Search findings carry no trace at all. */
    for (size_t i = 0; i < 4; i++)
        if (i != 2) assert_null(json_object_get(json_object_get(json_array_get(results, i), "extra"), "dataflow_trace"));
    json_decref(j);
    report_free(&r);
}

static void test_json_errors_and_paths(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    json_t *j = write_json(&r, REPORT_JSON);
    json_t *errors = json_object_get(j, "errors");
    assert_int_equal(json_array_size(errors), 2);

    json_t *rule_err = json_array_get(errors, 0);
    ASSERT_KEYS(rule_err, "code", "level", "type", "message", "rule_id");
    assert_int_equal(int_at(rule_err, "code"), 4);
    assert_string_equal(str_at(rule_err, "level"), "error");
    assert_string_equal(str_at(rule_err, "type"), "Rule parse error");
    assert_string_equal(str_at(rule_err, "message"), "missing key 'pattern'");
    assert_string_equal(str_at(rule_err, "rule_id"), "bad.rule");

    json_t *syn = json_array_get(errors, 1);
    ASSERT_KEYS(syn, "code", "level", "type", "message", "path", "spans");
    assert_int_equal(int_at(syn, "code"), 3);
    assert_string_equal(str_at(syn, "level"), "warn");
    assert_string_equal(str_at(syn, "path"), "src/bad.c");
    json_t *span = json_array_get(json_object_get(syn, "spans"), 0);
    ASSERT_KEYS(span, "file", "start", "end");
    assert_string_equal(str_at(span, "file"), "src/bad.c");
    assert_int_equal(int_at(json_object_get(span, "start"), "line"), 3);
    assert_int_equal(int_at(json_object_get(span, "start"), "col"), 7);

    json_t *paths = json_object_get(j, "paths");
    ASSERT_KEYS(paths, "scanned", "skipped");
    json_t *scanned = json_object_get(paths, "scanned");
    assert_int_equal(json_array_size(scanned), 4);
    assert_string_equal(json_string_value(json_array_get(scanned, 0)), "pkg/setup.py");
    json_t *skip = json_array_get(json_object_get(paths, "skipped"), 1);
    ASSERT_KEYS(skip, "path", "reason");
    assert_string_equal(str_at(skip, "path"), "vendor/z.min.js");
    assert_string_equal(str_at(skip, "reason"), "minified");
    json_decref(j);
    report_free(&r);
}

/* A file error without a line has a path but no span (a span needs a position). */
static void test_json_error_without_line(void **state)
{
    (void)state;
    Report r;
    report_init(&r);
    DiagList l = { 0 };
    diag_add(&l, DIAG_ERROR, "Read error", "gone.c", 0, 0, NULL, "No such file");
    report_take_errors(&r, &l);
    json_t *j = write_json(&r, REPORT_JSON);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    ASSERT_KEYS(e, "code", "level", "type", "message", "path");
    assert_int_equal(int_at(e, "code"), 2);
    assert_string_equal(str_at(e, "path"), "gone.c");
    json_decref(j);
    report_free(&r);
}

/* Without a fingerprint from the scan, JSON still gives a stable one, distinct for
 * identical matches in one file. */
static void test_json_fingerprint_fallback(void **state)
{
    (void)state;
    Report r;
    report_init(&r);
    ReportFinding f = { .rule_id = "r", .path = "a.c", .start = { 1, 1, 0 }, .lines = "x();" };
    report_add_finding(&r, &f);
    f.start = (ReportPos){ 9, 1, 90 };
    report_add_finding(&r, &f);
    report_sort(&r);
    json_t *j = write_json(&r, REPORT_JSON);
    json_t *res = json_object_get(j, "results");
    const char *a = str_at(json_object_get(json_array_get(res, 0), "extra"), "fingerprint");
    const char *b = str_at(json_object_get(json_array_get(res, 1), "extra"), "fingerprint");
    assert_int_equal(strlen(a), 18);
    assert_true(str_ends_with(a, "_0"));
    assert_true(str_ends_with(b, "_1"));
    assert_memory_equal(a, b, 16);   /* same rule, path and text */
    json_decref(j);
    report_free(&r);
}

/* ---------------------------------------------------------------- SARIF */

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list)) return true;
    return false;
}

/* Fails unless every key of o is one the SARIF 2.1.0 schema defines for it: the schema
 * sets additionalProperties to false on all of these objects. */
static void assert_only_keys(json_t *o, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        if (!in_list(k, allowed)) print_error("property %s is not in the SARIF schema here\n", k);
        assert_true(in_list(k, allowed));
    }
}

static const char *const sarif_levels[] = { "none", "note", "warning", "error", NULL };
static const char *const log_keys[] = { "$schema", "version", "runs", "inlineExternalProperties", "properties", NULL };
static const char *const result_keys[] = {
    "ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
    "correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows",
    "graphs", "graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank",
    "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa", "webRequest",
    "webResponse", "properties", NULL };
static const char *const region_keys[] = {
    "startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
    "byteLength", "snippet", "message", "sourceLanguage", "properties", NULL };

/* A message object needs text (or an id, which sluice never uses). */
static void check_message(json_t *m)
{
    assert_true(json_is_object(m));
    assert_true(json_is_string(json_object_get(m, "text")));
}

static void check_location(json_t *loc)
{
    json_t *phys = json_object_get(loc, "physicalLocation");
    assert_true(json_is_object(phys));
    assert_true(json_is_string(json_object_get(json_object_get(phys, "artifactLocation"), "uri")));
    json_t *region = json_object_get(phys, "region");
    if (region) {
        assert_only_keys(region, region_keys);
        assert_true(int_at(region, "startLine") >= 1);
    }
}

static void check_code_flows(json_t *flows)
{
    assert_true(json_array_size(flows) >= 1);
    for (size_t i = 0; i < json_array_size(flows); i++) {
        json_t *threads = json_object_get(json_array_get(flows, i), "threadFlows");
        assert_true(json_array_size(threads) >= 1);                 /* required, minItems 1 */
        for (size_t t = 0; t < json_array_size(threads); t++) {
            json_t *locs = json_object_get(json_array_get(threads, t), "locations");
            assert_true(json_array_size(locs) >= 1);                /* required, minItems 1 */
        }
    }
}

static void check_result(json_t *res, json_t *rules)
{
    assert_only_keys(res, result_keys);
    check_message(json_object_get(res, "message"));                 /* required */
    assert_true(in_list(str_at(res, "level"), sarif_levels));
    if (json_object_get(res, "ruleIndex")) {   /* optional; when there, it names the same rule */
        json_t *rule = json_array_get(rules, (size_t)int_at(res, "ruleIndex"));
        assert_non_null(rule);
        assert_string_equal(str_at(rule, "id"), str_at(res, "ruleId"));
    }
    json_t *locs = json_object_get(res, "locations");
    for (size_t i = 0; i < json_array_size(locs); i++) check_location(json_array_get(locs, i));
    if (json_object_get(res, "codeFlows")) check_code_flows(json_object_get(res, "codeFlows"));
}

static void check_invocations(json_t *invs)
{
    for (size_t i = 0; i < json_array_size(invs); i++) {
        json_t *inv = json_array_get(invs, i);
        assert_true(json_is_boolean(json_object_get(inv, "executionSuccessful")));   /* required */
        json_t *notes = json_object_get(inv, "toolExecutionNotifications");
        for (size_t n = 0; n < json_array_size(notes); n++) {
            json_t *note = json_array_get(notes, n);
            check_message(json_object_get(note, "message"));        /* required */
            assert_true(in_list(str_at(note, "level"), sarif_levels));
        }
    }
}

/* What SARIF 2.1.0 requires of the objects sluice writes. */
static void check_sarif_required(json_t *log)
{
    assert_only_keys(log, log_keys);
    assert_string_equal(str_at(log, "version"), "2.1.0");            /* required */
    json_t *runs = json_object_get(log, "runs");                     /* required */
    assert_true(json_is_array(runs));
    for (size_t i = 0; i < json_array_size(runs); i++) {
        json_t *run = json_array_get(runs, i);
        json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");   /* both required */
        assert_true(json_is_object(driver));
        assert_true(json_is_string(json_object_get(driver, "name")));              /* required */
        json_t *rules = json_object_get(driver, "rules");
        for (size_t k = 0; k < json_array_size(rules); k++) {
            json_t *rule = json_array_get(rules, k);
            assert_true(json_is_string(json_object_get(rule, "id")));             /* required */
            check_message(json_object_get(rule, "shortDescription"));   /* multiformat: text required */
            check_message(json_object_get(rule, "fullDescription"));
            assert_true(in_list(str_at(json_object_get(rule, "defaultConfiguration"), "level"), sarif_levels));
        }
        json_t *results = json_object_get(run, "results");
        for (size_t k = 0; k < json_array_size(results); k++) check_result(json_array_get(results, k), rules);
        check_invocations(json_object_get(run, "invocations"));
    }
}

static void test_sarif_required_properties(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    json_t *log = write_json(&r, REPORT_SARIF);
    check_sarif_required(log);
    assert_string_equal(str_at(log, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
    json_t *run = json_array_get(json_object_get(log, "runs"), 0);
    json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
    assert_string_equal(str_at(driver, "name"), "sluice");
    assert_string_equal(str_at(driver, "semanticVersion"), "0.1.0");
    assert_int_equal(json_array_size(json_object_get(run, "results")), 4);
    json_decref(log);

    /* An empty report is a valid log too. */
    Report empty;
    report_init(&empty);
    log = write_json(&empty, REPORT_SARIF);
    check_sarif_required(log);
    json_decref(log);
    report_free(&empty);
    report_free(&r);
}

static void test_sarif_rules_and_levels(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    json_t *log = write_json(&r, REPORT_SARIF);
    json_t *run = json_array_get(json_object_get(log, "runs"), 0);
    json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
    /* The four rules added, plus c.utf8 which only a finding names; sorted by id. */
    assert_int_equal(json_array_size(rules), 5);
    const char *ids[] = { "c.info-rule", "c.memcpy-size", "c.utf8", "py.env-read", "unused.rule" };
    const char *levels[] = { "note", "error", "warning", "warning", "warning" };
    for (size_t i = 0; i < 5; i++) {
        json_t *rule = json_array_get(rules, i);
        assert_string_equal(str_at(rule, "id"), ids[i]);
        assert_string_equal(str_at(rule, "name"), ids[i]);
        assert_string_equal(str_at(json_object_get(rule, "defaultConfiguration"), "level"), levels[i]);
    }
    json_t *mc = json_array_get(rules, 1);
    assert_string_equal(str_at(json_object_get(mc, "shortDescription"), "text"), "size from the message");
    assert_string_equal(str_at(json_object_get(mc, "fullDescription"), "text"), "size from the message\nmore");
    json_t *tags = json_object_get(json_object_get(mc, "properties"), "tags");
    assert_int_equal(json_array_size(tags), 3);
    assert_string_equal(json_string_value(json_array_get(tags, 0)), "security");
    assert_string_equal(json_string_value(json_array_get(tags, 2)), "CWE-787");

    json_t *results = json_object_get(run, "results");
    const char *result_levels[] = { "warning", "note", "error", "warning" };
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(str_at(json_array_get(results, i), "level"), result_levels[i]);
    json_decref(log);
    report_free(&r);
}

static void test_sarif_regions_flows_notifications(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    json_t *log = write_json(&r, REPORT_SARIF);
    json_t *run = json_array_get(json_object_get(log, "runs"), 0);
    json_t *res = json_array_get(json_object_get(run, "results"), 2);
    assert_string_equal(str_at(res, "ruleId"), "c.memcpy-size");
    assert_int_equal(int_at(res, "ruleIndex"), 1);
    assert_string_equal(str_at(json_object_get(res, "message"), "text"), "attacker-controlled size reaches memcpy");
    json_t *phys = json_object_get(json_array_get(json_object_get(res, "locations"), 0), "physicalLocation");
    assert_string_equal(str_at(json_object_get(phys, "artifactLocation"), "uri"), "src/handler.c");
    json_t *region = json_object_get(phys, "region");
    assert_int_equal(int_at(region, "startLine"), 41);
    assert_int_equal(int_at(region, "startColumn"), 5);
    assert_int_equal(int_at(region, "endLine"), 41);
    assert_int_equal(int_at(region, "endColumn"), 30);
    assert_string_equal(str_at(json_object_get(region, "snippet"), "text"), "    memcpy(buf, msg->data, n);\n");
    assert_string_equal(str_at(json_object_get(res, "partialFingerprints"), "sluice/v1"), "fp-memcpy");

    json_t *tf = json_array_get(json_object_get(json_array_get(json_object_get(res, "codeFlows"), 0), "threadFlows"), 0);
    json_t *locs = json_object_get(tf, "locations");
    assert_int_equal(json_array_size(locs), 3);
    json_t *step = json_object_get(json_array_get(locs, 1), "location");
    assert_string_equal(str_at(json_object_get(step, "message"), "text"), "tainted by msg->len");
    assert_int_equal(int_at(json_object_get(json_object_get(step, "physicalLocation"), "region"), "startLine"), 35);
    json_t *sink = json_object_get(json_array_get(locs, 2), "location");
    assert_string_equal(str_at(json_object_get(sink, "message"), "text"), "taint sink");   /* no note given */

    /* A search finding has no code flow and, without a fingerprint, no partialFingerprints. */
    json_t *env = json_array_get(json_object_get(run, "results"), 0);
    assert_null(json_object_get(env, "codeFlows"));
    assert_null(json_object_get(env, "partialFingerprints"));

    json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
    assert_true(json_is_true(json_object_get(inv, "executionSuccessful")));
    json_t *notes = json_object_get(inv, "toolExecutionNotifications");
    assert_int_equal(json_array_size(notes), 2);
    json_t *n0 = json_array_get(notes, 0), *n1 = json_array_get(notes, 1);
    assert_string_equal(str_at(n0, "level"), "error");
    assert_string_equal(str_at(json_object_get(n0, "descriptor"), "id"), "Rule parse error");
    assert_string_equal(str_at(json_object_get(n0, "associatedRule"), "id"), "bad.rule");
    assert_null(json_object_get(n0, "locations"));
    assert_string_equal(str_at(n1, "level"), "warning");
    assert_string_equal(str_at(json_object_get(n1, "message"), "text"), "unexpected '}'");
    json_t *nphys = json_object_get(json_array_get(json_object_get(n1, "locations"), 0), "physicalLocation");
    assert_string_equal(str_at(json_object_get(nphys, "artifactLocation"), "uri"), "src/bad.c");
    assert_int_equal(int_at(json_object_get(nphys, "region"), "startColumn"), 7);
    json_decref(log);
    report_free(&r);
}

static void test_sarif_uri_escaping(void **state)
{
    (void)state;
    Report r;
    report_init(&r);
    report_add_finding(&r, &(ReportFinding){ .rule_id = "r", .path = "dir with space/a:b#c%.c", .start = { 1, 1, 0 } });
    report_add_finding(&r, &(ReportFinding){ .rule_id = "r", .path = "/abs/\xc3\xa9.c", .start = { 1, 1, 0 } });
    report_sort(&r);
    json_t *log = write_json(&r, REPORT_SARIF);
    json_t *results = json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results");
    const char *uris[2];
    for (size_t i = 0; i < 2; i++) {
        json_t *loc = json_array_get(json_object_get(json_array_get(results, i), "locations"), 0);
        uris[i] = str_at(json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation"), "uri");
    }
    assert_string_equal(uris[0], "file:///abs/%C3%A9.c");
    assert_string_equal(uris[1], "dir%20with%20space/a%3Ab%23c%25.c");
    json_decref(log);
    report_free(&r);
}

/* ---------------------------------------------------------------- text */

static void test_text_plain(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    char *t = write_to_string(&r, REPORT_TEXT, false);
    assert_not_contains(t, "\033");
    /* One header per file, the handler's two findings under one header. */
    assert_contains(t, "pkg/setup.py\n  WARNING py.env-read\n    x reads environment variable 'HOME'\n");
    assert_contains(t, "src/handler.c\n  INFO c.info-rule\n    two calls in a row\n    second line of the message\n");
    assert_contains(t, "      12 | " "  a();\n");
    assert_contains(t, "      13 | " "  b();\n");
    assert_contains(t, "      41 |     memcpy(buf, msg->data, n);\n");
    assert_contains(t, "    taint path:\n"
                       "      source src/handler.c:30:11  recv_msg(sock)  (attacker data enters)\n"
                       "      step   src/handler.c:35:5  n = msg->len;  (tainted by msg->len)\n"
                       "      sink   src/handler.c:41:5  memcpy(buf, msg->data, n)\n");
    assert_contains(t, "\nskipped:\n  vendor/a.bin (binary file)\n  vendor/z.min.js (minified)\n");
    assert_contains(t, "\nerrors:\n"
                       "  [error] Rule parse error: missing key 'pattern' (rule bad.rule)\n"
                       "  [warn] Syntax error: src/bad.c:3:7: unexpected '}'\n");
    assert_contains(t, "\n4 findings in 3 files; 4 files scanned; 2 files skipped; 2 errors\n");
    free(t);
    report_free(&r);
}

static void test_text_header_once_per_file(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    char *t = write_to_string(&r, REPORT_TEXT, false);
    size_t headers = 0;
    for (const char *p = t; (p = strstr(p, "\nsrc/handler.c\n")); p++) headers++;
    assert_int_equal(headers, 1);
    free(t);
    report_free(&r);
}

static void test_text_color(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    char *t = write_to_string(&r, REPORT_TEXT, true);
    assert_contains(t, "\033[1;31mERROR\033[0m");
    assert_contains(t, "\033[1;4mpkg/setup.py\033[0m");
    assert_contains(t, "\033[36mtaint path:\033[0m");
    free(t);
    report_free(&r);
}

/* Scanned code must not drive the terminal: escapes, C1 controls and bidi overrides
 * show as text, even with colour on. */
static void test_text_hostile_source(void **state)
{
    (void)state;
    Report r;
    report_init(&r);
    report_add_finding(&r, &(ReportFinding){
        .rule_id = "r", .path = "evil.c", .start = { 2, 1, 0 },
        .message = "bell\a", .lines = "x\033[2J y \xc2\x9b z /*\xe2\x80\xae*/ \xff" });
    char *plain = write_to_string(&r, REPORT_TEXT, false);
    assert_not_contains(plain, "\033");
    assert_not_contains(plain, "\a");
    assert_not_contains(plain, "\xc2\x9b");
    assert_not_contains(plain, "\xe2\x80\xae");
    assert_contains(plain, "x\\x1b[2J y \\u009b z /*<U+202E>*/ \xef\xbf\xbd\n");
    assert_contains(plain, "bell\\x07\n");
    char *color = write_to_string(&r, REPORT_TEXT, true);
    assert_contains(color, "x\\x1b[2J");
    free(plain);
    free(color);
    report_free(&r);
}

static void test_text_long_match_is_cut(void **state)
{
    (void)state;
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < 20; i++) sb_printf(&b, "line%d\n", i);
    Report r;
    report_init(&r);
    report_add_finding(&r, &(ReportFinding){ .rule_id = "r", .path = "a.c", .start = { 100, 1, 0 }, .lines = b.s });
    char *t = write_to_string(&r, REPORT_TEXT, false);
    assert_contains(t, "     111 | line11\n");
    assert_not_contains(t, "line12");
    assert_contains(t, "| ... 8 more lines\n");
    assert_contains(t, "1 finding in 1 file; 0 files scanned; 0 files skipped; 0 errors\n");
    free(t);
    sb_free(&b);
    report_free(&r);
}

/* ---------------------------------------------------------------- UTF-8 and robustness */

static void test_utf8_validation(void **state)
{
    (void)state;
    assert_true(report_utf8_valid("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 10));
    assert_false(report_utf8_valid("\xc0\x80", 2));           /* overlong NUL */
    assert_false(report_utf8_valid("\xe0\x80\xaf", 3));       /* overlong '/' */
    assert_false(report_utf8_valid("\xed\xa0\x80", 3));       /* surrogate */
    assert_false(report_utf8_valid("\xf4\x90\x80\x80", 4));   /* past U+10FFFF */
    assert_false(report_utf8_valid("\xe2\x82", 2));           /* truncated */
    char *c = report_utf8_clean("a\xff" "b\xe2\x82" "c\xc3\xa9");
    assert_string_equal(c, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xc3\xa9");
    free(c);
}

static void test_invalid_utf8_in_json_and_sarif(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    /* Raw bytes must not fail the writers (jansson refuses them) and come out as U+FFFD. */
    ReportMetavar mv = { "$S", { 3, 5, 44 }, { 3, 7, 46 }, "\"\xff\xfe\"" };
    report_add_finding(&r, &(ReportFinding){ .rule_id = "c.utf8", .path = "src/\xff.c", .start = { 1, 1, 0 },
                                             .lines = "\xc3(", .metavars = &mv, .nmetavars = 1 });
    report_sort(&r);
    json_t *j = write_json(&r, REPORT_JSON);
    json_t *results = json_object_get(j, "results");
    json_t *x = json_object_get(json_array_get(results, 3), "extra");
    assert_string_equal(str_at(x, "lines"), "s = \"\xef\xbf\xbd\xef\xbf\xbd\"; t = \"\xef\xbf\xbd");
    assert_string_equal(str_at(x, "message"), "odd bytes \xef\xbf\xbd here");
    json_t *odd = json_array_get(results, 4);
    assert_string_equal(str_at(odd, "path"), "src/\xef\xbf\xbd.c");
    x = json_object_get(odd, "extra");
    assert_string_equal(str_at(x, "lines"), "\xef\xbf\xbd(");
    assert_string_equal(str_at(json_object_get(json_object_get(x, "metavars"), "$S"), "abstract_content"),
                        "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    json_decref(j);

    json_t *log = write_json(&r, REPORT_SARIF);
    check_sarif_required(log);
    json_t *res = json_array_get(json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results"), 3);
    json_t *region = json_object_get(json_object_get(json_array_get(json_object_get(res, "locations"), 0),
                                                     "physicalLocation"), "region");
    assert_string_equal(str_at(json_object_get(region, "snippet"), "text"),
                        "s = \"\xef\xbf\xbd\xef\xbf\xbd\"; t = \"\xef\xbf\xbd");
    json_decref(log);
    report_free(&r);
}

/* Every optional field left NULL or empty: nothing crashes and the JSON is valid. */
static void test_null_fields(void **state)
{
    (void)state;
    Report r;
    report_init(&r);
    report_add_finding(&r, &(ReportFinding){ 0 });
    report_add_finding(&r, &(ReportFinding){ .nsteps = 1, .steps = &(ReportStep){ .kind = STEP_STEP } });
    report_add_rule(&r, &(ReportRule){ .id = "only.id" });
    report_add_skipped(&r, "p", NULL);
    DiagList l = { 0 };
    diag_add(&l, DIAG_WARN, "Skipped", NULL, 4, 0, NULL, "no path");
    report_take_errors(&r, &l);
    report_sort(&r);
    json_t *j = write_json(&r, REPORT_JSON);
    json_t *res = json_object_get(j, "results");
    assert_string_equal(str_at(json_array_get(res, 0), "check_id"), "");
    assert_string_equal(str_at(json_object_get(json_array_get(res, 0), "extra"), "severity"), "WARNING");
    json_t *trace = json_object_get(json_object_get(json_array_get(res, 1), "extra"), "dataflow_trace");
    ASSERT_KEYS(trace, "intermediate_vars");
    assert_string_equal(str_at(j, "version"), "unknown");
    ASSERT_KEYS(json_array_get(json_object_get(j, "errors"), 0), "code", "level", "type", "message");
    json_decref(j);
    json_t *log = write_json(&r, REPORT_SARIF);
    check_sarif_required(log);
    json_decref(log);
    char *t = write_to_string(&r, REPORT_TEXT, false);
    assert_contains(t, "(no rule id)");
    assert_contains(t, "2 findings in 1 file;");
    free(t);
    report_free(&r);
}

static void test_deterministic_output(void **state)
{
    (void)state;
    Report a, b;
    build_report(&a, false);
    build_report(&b, true);   /* filled in the other order, then sorted */
    for (int fmt = REPORT_TEXT; fmt <= REPORT_SARIF; fmt++) {
        char *a1 = write_to_string(&a, (ReportFormat)fmt, fmt == REPORT_TEXT);
        char *a2 = write_to_string(&a, (ReportFormat)fmt, fmt == REPORT_TEXT);
        char *b1 = write_to_string(&b, (ReportFormat)fmt, fmt == REPORT_TEXT);
        assert_string_equal(a1, a2);
        assert_string_equal(a1, b1);
        free(a1);
        free(a2);
        free(b1);
    }
    report_free(&a);
    report_free(&b);
}

static void test_dispatch_and_write_failure(void **state)
{
    (void)state;
    Report r;
    build_report(&r, false);
    char *via_dispatch = write_to_string(&r, REPORT_JSON, false);
    char *direct = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&direct, &len);
    assert_true(report_write_json(&r, f));
    fclose(f);
    assert_string_equal(via_dispatch, direct);
    free(via_dispatch);
    free(direct);

    /* /dev/full accepts the open and fails every write: the writers must say so. */
    for (int fmt = REPORT_TEXT; fmt <= REPORT_SARIF; fmt++) {
        FILE *full = fopen("/dev/full", "w");
        if (!full) skip();
        ReportOptions opt = { 0 };
        errno = 0;
        assert_false(report_write(&r, (ReportFormat)fmt, &opt, full));
        assert_int_equal(errno, ENOSPC);
        fclose(full);
    }
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_total_order),
        cmocka_unit_test(test_sort_paths_rules_errors),
        cmocka_unit_test(test_add_copies_deeply),
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_json_dataflow_trace),
        cmocka_unit_test(test_json_errors_and_paths),
        cmocka_unit_test(test_json_error_without_line),
        cmocka_unit_test(test_json_fingerprint_fallback),
        cmocka_unit_test(test_sarif_required_properties),
        cmocka_unit_test(test_sarif_rules_and_levels),
        cmocka_unit_test(test_sarif_regions_flows_notifications),
        cmocka_unit_test(test_sarif_uri_escaping),
        cmocka_unit_test(test_text_plain),
        cmocka_unit_test(test_text_header_once_per_file),
        cmocka_unit_test(test_text_color),
        cmocka_unit_test(test_text_hostile_source),
        cmocka_unit_test(test_text_long_match_is_cut),
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_invalid_utf8_in_json_and_sarif),
        cmocka_unit_test(test_null_fields),
        cmocka_unit_test(test_deterministic_output),
        cmocka_unit_test(test_dispatch_and_write_failure),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    base_intern_shutdown();
    return failed;
}
