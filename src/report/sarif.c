/* sarif.c: the report stage's SARIF 2.1.0 writer: one run whose driver lists every rule,
 * one result per finding with its data-flow path as a code flow, and the scan's errors
 * as tool execution notifications.
 *
 * The schema forbids properties it does not name (additionalProperties: false), so
 * everything written here is a property SARIF 2.1.0 defines. Columns are the scan's
 * 1-based byte columns; SARIF has no byte column kind, and for ASCII lines they are the
 * same as the default UTF-16 code units. */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* ---------------------------------------------------------------- rules */

/* driver.rules: every rule the report names, and every rule id a finding names even
 * when no ReportRule was added for it, sorted by id so that ruleIndex is a search. */
typedef struct SarifRule {
    const char *id;
    const ReportRule *rule;   /* NULL when only a finding names the id */
} SarifRule;

typedef VEC(SarifRule) RuleTable;

static int cmp_sarif_rule(const void *pa, const void *pb)
{
    const SarifRule *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c) return c;
    if (!a->rule != !b->rule) return a->rule ? -1 : 1;   /* a described rule wins */
    return (a->rule > b->rule) - (a->rule < b->rule);     /* then the first added */
}

static void rule_table_build(const Report *r, RuleTable *t)
{
    for (size_t i = 0; i < r->rules.n; i++)
        if (r->rules.v[i].id) VEC_PUSH(*t, ((SarifRule){ r->rules.v[i].id, &r->rules.v[i] }));
    for (size_t i = 0; i < r->findings.n; i++)
        if (r->findings.v[i].rule_id) VEC_PUSH(*t, ((SarifRule){ r->findings.v[i].rule_id, NULL }));
    if (t->n) qsort(t->v, t->n, sizeof *t->v, cmp_sarif_rule);
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++)
        if (k == 0 || strcmp(t->v[k - 1].id, t->v[i].id)) t->v[k++] = t->v[i];
    t->n = k;
}

static long rule_index(const RuleTable *t, const char *id)
{
    size_t lo = 0, hi = t->n;
    while (id && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->v[mid].id, id);
        if (!c) return (long)mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

/* The metadata keys whose values become the rule's tags, as code-scanning UIs show. */
static void add_tag(json_t *tags, json_t *v)
{
    if (!json_is_string(v)) return;
    for (size_t i = 0; i < json_array_size(tags); i++)
        if (json_equal(json_array_get(tags, i), v)) return;
    json_array_append(tags, v);
}

static json_t *rule_tags(json_t *metadata)
{
    static const char *const keys[] = { "category", "subcategory", "cwe", "owasp", "technology" };
    json_t *tags = json_array();
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        json_t *v = json_object_get(metadata, keys[k]);
        if (json_is_array(v))
            for (size_t i = 0; i < json_array_size(v); i++) add_tag(tags, json_array_get(v, i));
        else add_tag(tags, v);
    }
    return tags;
}

static json_t *text_message(const char *text)
{
    json_t *m = json_object();
    json_object_set_new(m, "text", report_json_str(text));
    return m;
}

/* shortDescription is the message's first line; fullDescription the whole message. */
static json_t *first_line(const char *s)
{
    const char *nl = strchr(s, '\n');
    if (!nl) return text_message(s);
    char *line = xstrndup(s, (size_t)(nl - s));
    json_t *m = text_message(line);
    free(line);
    return m;
}

static json_t *rule_descriptor(const SarifRule *sr)
{
    const ReportRule *rule = sr->rule;
    const char *message = rule && rule->message && *rule->message ? rule->message : sr->id;
    json_t *metadata = report_json_metadata(rule ? rule->metadata_json : NULL);
    json_t *config = json_object();
    json_object_set_new(config, "level", json_string(report_sarif_level(rule ? rule->severity : NULL)));
    json_t *props = json_object();
    json_object_set_new(props, "tags", rule_tags(metadata));
    json_object_set_new(props, "metadata", metadata);

    json_t *o = json_object();
    json_object_set_new(o, "id", report_json_str(sr->id));
    json_object_set_new(o, "name", report_json_str(sr->id));
    json_object_set_new(o, "shortDescription", first_line(message));
    json_object_set_new(o, "fullDescription", text_message(message));
    json_object_set_new(o, "defaultConfiguration", config);
    json_object_set_new(o, "properties", props);
    return o;
}

/* ---------------------------------------------------------------- locations */

/* artifactLocation.uri is a URI reference: keep RFC 3986's unreserved bytes and '/',
 * percent-encode the rest (':' too, so that "a:b.c" is not read as a scheme). An
 * absolute path becomes a file: URI. */
static char *path_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    StrBuf b;
    sb_init(&b);
    if (path[0] == '/') sb_puts(&b, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            sb_putc(&b, (char)*p);
        } else {
            sb_putc(&b, '%');
            sb_putc(&b, hex[*p >> 4]);
            sb_putc(&b, hex[*p & 15]);
        }
    }
    return sb_take(&b);
}

static void set_positive(json_t *o, const char *key, uint32_t v)
{
    if (v > 0) json_object_set_new(o, key, json_integer(v));
}

/* A region needs a start line; without one the location names only the file. */
static json_t *physical_location(const char *path, ReportPos start, ReportPos end, const char *snippet)
{
    char *uri = path_uri(path ? path : "");
    json_t *artifact = json_object();
    json_object_set_new(artifact, "uri", report_json_str(uri));
    free(uri);
    json_t *phys = json_object();
    json_object_set_new(phys, "artifactLocation", artifact);
    if (start.line > 0) {
        json_t *region = json_object();
        set_positive(region, "startLine", start.line);
        set_positive(region, "startColumn", start.col);
        set_positive(region, "endLine", end.line);
        set_positive(region, "endColumn", end.col);
        if (snippet) json_object_set_new(region, "snippet", text_message(snippet));
        json_object_set_new(phys, "region", region);
    }
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", phys);
    return loc;
}

/* ---------------------------------------------------------------- results */

static const char *step_default_note(ReportStepKind kind)
{
    switch (kind) {
    case STEP_SOURCE: return "taint source";
    case STEP_SINK: return "taint sink";
    case STEP_STEP: break;
    }
    return "taint propagates";
}

/* One code flow with one thread flow: source, each step, sink, each with its note. */
static json_t *code_flows(const ReportFinding *f)
{
    json_t *locs = json_array();
    for (size_t i = 0; i < f->nsteps; i++) {
        const ReportStep *s = &f->steps[i];
        json_t *loc = physical_location(report_step_path(f, s), s->start, s->end, s->content);
        json_object_set_new(loc, "message", text_message(s->note ? s->note : step_default_note(s->kind)));
        json_t *tfl = json_object();
        json_object_set_new(tfl, "location", loc);
        json_array_append_new(locs, tfl);
    }
    json_t *thread = json_object();
    json_object_set_new(thread, "locations", locs);
    json_t *threads = json_array();
    json_array_append_new(threads, thread);
    json_t *flow = json_object();
    json_object_set_new(flow, "threadFlows", threads);
    json_t *flows = json_array();
    json_array_append_new(flows, flow);
    return flows;
}

static json_t *result(const ReportFinding *f, const RuleTable *rules)
{
    json_t *o = json_object();
    if (f->rule_id) json_object_set_new(o, "ruleId", report_json_str(f->rule_id));
    long index = rule_index(rules, f->rule_id);
    if (index >= 0) json_object_set_new(o, "ruleIndex", json_integer(index));
    json_object_set_new(o, "level", json_string(report_sarif_level(f->severity)));
    json_object_set_new(o, "message", text_message(f->message));
    json_t *locs = json_array();
    json_array_append_new(locs, physical_location(f->path, f->start, f->end, f->lines));
    json_object_set_new(o, "locations", locs);
    if (f->fingerprint) {
        json_t *fp = json_object();
        json_object_set_new(fp, "sluice/v1", report_json_str(f->fingerprint));
        json_object_set_new(o, "partialFingerprints", fp);
    }
    if (f->nsteps) json_object_set_new(o, "codeFlows", code_flows(f));
    return o;
}

/* ---------------------------------------------------------------- invocation */

static json_t *notification(const Diag *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "level", json_string(d->level == DIAG_ERROR ? "error" : "warning"));
    json_object_set_new(o, "message", text_message(d->message));
    if (d->path) {
        ReportPos at = { (uint32_t)(d->line > 0 ? d->line : 0), (uint32_t)(d->col > 0 ? d->col : 0), 0 };
        ReportPos none = { 0, 0, 0 };
        json_t *locs = json_array();
        json_array_append_new(locs, physical_location(d->path, at, none, NULL));
        json_object_set_new(o, "locations", locs);
    }
    json_t *desc = json_object();
    json_object_set_new(desc, "id", report_json_str(d->type));
    json_object_set_new(o, "descriptor", desc);
    if (d->rule_id) {
        json_t *rule = json_object();
        json_object_set_new(rule, "id", report_json_str(d->rule_id));
        json_object_set_new(o, "associatedRule", rule);
    }
    return o;
}

/* The run finished, whatever it reported: a file that failed to parse is a notification,
 * not a failed execution (as Semgrep writes it). */
static json_t *invocations(const Report *r)
{
    json_t *notes = json_array();
    for (size_t i = 0; i < r->errors.n; i++) json_array_append_new(notes, notification(&r->errors.v[i]));
    json_t *inv = json_object();
    json_object_set_new(inv, "executionSuccessful", json_true());
    json_object_set_new(inv, "toolExecutionNotifications", notes);
    json_t *a = json_array();
    json_array_append_new(a, inv);
    return a;
}

/* ---------------------------------------------------------------- the log */

static json_t *driver(const Report *r, const RuleTable *rules)
{
    json_t *d = json_object();
    json_object_set_new(d, "name", json_string("sluice"));
    if (r->version) {
        json_object_set_new(d, "semanticVersion", report_json_str(r->version));
        json_object_set_new(d, "version", report_json_str(r->version));
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < rules->n; i++) json_array_append_new(arr, rule_descriptor(&rules->v[i]));
    json_object_set_new(d, "rules", arr);
    return d;
}

bool report_write_sarif(const Report *r, FILE *out)
{
    RuleTable rules = { 0 };
    rule_table_build(r, &rules);

    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver(r, &rules));
    json_t *results = json_array();
    for (size_t i = 0; i < r->findings.n; i++) json_array_append_new(results, result(&r->findings.v[i], &rules));
    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    json_object_set_new(run, "invocations", invocations(r));
    json_object_set_new(run, "results", results);
    VEC_FREE(rules);

    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_t *root = json_object();
    json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
    json_object_set_new(root, "version", json_string("2.1.0"));
    json_object_set_new(root, "runs", runs);
    return report_json_dump(root, out);
}
