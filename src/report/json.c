/* json.c: the report stage's JSON writer, in the shape of Semgrep's `--json` output
 * (semgrep_output_v1's cli_output), so that tools reading Semgrep's JSON read ours.
 *
 * Keys are inserted in one fixed order and jansson keeps that order, so the same
 * Report always gives the same bytes. */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- results */

/* Semgrep's fingerprint field is a required string. When the scan gave none, a hash of
 * rule, path, matched text and how many same matches came before it stands in: stable
 * when unrelated lines move, distinct for repeated identical matches. FNV-1a, 64 bits. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    h ^= 0xff;   /* ends the field, so ("ab","c") and ("a","bc") differ */
    return h * 0x100000001b3ULL;
}

static bool same_match(const ReportFinding *a, const ReportFinding *b)
{
    return !strcmp(a->rule_id ? a->rule_id : "", b->rule_id ? b->rule_id : "") &&
           !strcmp(a->lines ? a->lines : "", b->lines ? b->lines : "");
}

static json_t *fingerprint(const Report *r, size_t i)
{
    const ReportFinding *f = &r->findings.v[i];
    if (f->fingerprint) return report_json_str(f->fingerprint);
    /* Sorted findings keep a file's findings together: look back only within the file. */
    unsigned occurrence = 0;
    for (size_t j = i; j-- > 0;) {
        const ReportFinding *g = &r->findings.v[j];
        if (strcmp(g->path ? g->path : "", f->path ? f->path : "")) break;
        if (same_match(f, g)) occurrence++;
    }
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, f->rule_id);
    h = fnv1a(h, f->path);
    h = fnv1a(h, f->lines);
    char buf[40];
    snprintf(buf, sizeof buf, "%016llx_%u", (unsigned long long)h, occurrence);
    return json_string(buf);
}

static json_t *metavars(const ReportFinding *f)
{
    json_t *o = json_object();
    for (size_t i = 0; i < f->nmetavars; i++) {
        const ReportMetavar *m = &f->metavars[i];
        if (!m->name) continue;
        json_t *v = json_object();
        json_object_set_new(v, "start", report_json_pos(m->start));
        json_object_set_new(v, "end", report_json_pos(m->end));
        json_object_set_new(v, "abstract_content", report_json_str(m->content));
        /* Keys must be UTF-8 too; metavariable names are ASCII unless a rule is odd. */
        char *key = report_utf8_clean(m->name);
        json_object_set_new(o, key, v);
        free(key);
    }
    return o;
}

/* ---------------------------------------------------------------- dataflow trace */

/* Semgrep's location: {"path","start","end"}. */
static json_t *step_location(const ReportFinding *f, const ReportStep *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "path", report_json_str(report_step_path(f, s)));
    json_object_set_new(o, "start", report_json_pos(s->start));
    json_object_set_new(o, "end", report_json_pos(s->end));
    return o;
}

/* match_call_trace's CliLoc variant: ATD writes a variant with arguments as
 * ["CliLoc", [location, content]]. */
static json_t *cli_loc(const ReportFinding *f, const ReportStep *s)
{
    json_t *pair = json_array();
    json_array_append_new(pair, step_location(f, s));
    json_array_append_new(pair, report_json_str(s->content));
    json_t *v = json_array();
    json_array_append_new(v, json_string("CliLoc"));
    json_array_append_new(v, pair);
    return v;
}

/* The first source is taint_source and the last sink is taint_sink; every other step,
 * in path order, is an intermediate variable. Notes have no place in Semgrep's schema;
 * the text and SARIF writers show them. */
static json_t *dataflow_trace(const ReportFinding *f)
{
    const ReportStep *source = NULL, *sink = NULL;
    for (size_t i = 0; i < f->nsteps; i++) {
        if (f->steps[i].kind == STEP_SOURCE && !source) source = &f->steps[i];
        if (f->steps[i].kind == STEP_SINK) sink = &f->steps[i];
    }
    json_t *vars = json_array();
    for (size_t i = 0; i < f->nsteps; i++) {
        const ReportStep *s = &f->steps[i];
        if (s == source || s == sink) continue;
        json_t *v = json_object();
        json_object_set_new(v, "location", step_location(f, s));
        json_object_set_new(v, "content", report_json_str(s->content));
        json_array_append_new(vars, v);
    }
    json_t *o = json_object();
    if (source) json_object_set_new(o, "taint_source", cli_loc(f, source));
    json_object_set_new(o, "intermediate_vars", vars);
    if (sink) json_object_set_new(o, "taint_sink", cli_loc(f, sink));
    return o;
}

static json_t *result_extra(const Report *r, size_t i)
{
    const ReportFinding *f = &r->findings.v[i];
    json_t *x = json_object();
    json_object_set_new(x, "message", report_json_str(f->message));
    json_object_set_new(x, "severity", report_json_str(f->severity ? f->severity : "WARNING"));
    json_object_set_new(x, "metadata", report_json_metadata(f->metadata_json));
    json_object_set_new(x, "lines", report_json_str(f->lines));
    json_object_set_new(x, "metavars", metavars(f));
    json_object_set_new(x, "fingerprint", fingerprint(r, i));
    json_object_set_new(x, "engine_kind", json_string("OSS"));
    json_object_set_new(x, "is_ignored", json_false());
    if (f->nsteps) json_object_set_new(x, "dataflow_trace", dataflow_trace(f));
    return x;
}

static json_t *result(const Report *r, size_t i)
{
    const ReportFinding *f = &r->findings.v[i];
    json_t *o = json_object();
    json_object_set_new(o, "check_id", report_json_str(f->rule_id));
    json_object_set_new(o, "path", report_json_str(f->path));
    json_object_set_new(o, "start", report_json_pos(f->start));
    json_object_set_new(o, "end", report_json_pos(f->end));
    json_object_set_new(o, "extra", result_extra(r, i));
    return o;
}

/* ---------------------------------------------------------------- errors */

/* Semgrep's cli_error.code is the exit code of the error's class (pysemgrep's error.py
 * and core_runner): 3 for a target that does not parse, 4 for a rule or pattern that
 * does not, 5 for YAML that does not, 8 for an unknown language, and 2 ("fatal") for
 * the rest, timeouts and memory limits included. Unknown sluice types get 2 as well. */
static int error_code(const char *type)
{
    static const struct { const char *type; int code; } codes[] = {
        { "Lexical error", 3 }, { "Syntax error", 3 }, { "Other syntax error", 3 },
        { "AST builder error", 3 }, { "Partial parsing", 3 },
        { "Rule parse error", 4 }, { "Pattern parse error", 4 },
        { "InvalidRuleSchemaError", 4 },
        { "Invalid YAML", 5 }, { "UnknownLanguageError", 8 },
    };
    for (size_t i = 0; type && i < sizeof codes / sizeof codes[0]; i++)
        if (!strcmp(type, codes[i].type)) return codes[i].code;
    return 2;
}

/* An error_span: the one position we know, as both start and end (offsets unknown,
 * which Semgrep's schema allows by leaving them out). */
static json_t *error_spans(const Diag *d)
{
    json_t *pos = json_object();
    json_object_set_new(pos, "line", json_integer(d->line));
    json_object_set_new(pos, "col", json_integer(d->col > 0 ? d->col : 1));
    json_t *span = json_object();
    json_object_set_new(span, "file", report_json_str(d->path));
    json_object_set_new(span, "start", pos);
    json_object_set_new(span, "end", json_deep_copy(pos));
    json_t *spans = json_array();
    json_array_append_new(spans, span);
    return spans;
}

static json_t *cli_error(const Diag *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_integer(error_code(d->type)));
    json_object_set_new(o, "level", json_string(d->level == DIAG_ERROR ? "error" : "warn"));
    json_object_set_new(o, "type", report_json_str(d->type));
    json_object_set_new(o, "message", report_json_str(d->message));
    if (d->path) json_object_set_new(o, "path", report_json_str(d->path));
    if (d->path && d->line > 0) json_object_set_new(o, "spans", error_spans(d));
    if (d->rule_id) json_object_set_new(o, "rule_id", report_json_str(d->rule_id));
    return o;
}

/* ---------------------------------------------------------------- the document */

static json_t *paths(const Report *r)
{
    json_t *scanned = json_array();
    for (size_t i = 0; i < r->scanned.n; i++)
        json_array_append_new(scanned, report_json_str(r->scanned.v[i]));
    json_t *skipped = json_array();
    for (size_t i = 0; i < r->skipped.n; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "path", report_json_str(r->skipped.v[i].path));
        json_object_set_new(s, "reason", report_json_str(r->skipped.v[i].reason));
        json_array_append_new(skipped, s);
    }
    json_t *o = json_object();
    json_object_set_new(o, "scanned", scanned);
    json_object_set_new(o, "skipped", skipped);
    return o;
}

bool report_write_json(const Report *r, FILE *out)
{
    json_t *results = json_array();
    for (size_t i = 0; i < r->findings.n; i++) json_array_append_new(results, result(r, i));
    json_t *errors = json_array();
    for (size_t i = 0; i < r->errors.n; i++) json_array_append_new(errors, cli_error(&r->errors.v[i]));

    json_t *root = json_object();
    json_object_set_new(root, "version", report_json_str(r->version ? r->version : "unknown"));
    json_object_set_new(root, "results", results);
    json_object_set_new(root, "errors", errors);
    json_object_set_new(root, "paths", paths(r));
    json_object_set_new(root, "skipped_rules", json_array());
    json_object_set_new(root, "interfile_languages_used", json_array());
    return report_json_dump(root, out);
}
