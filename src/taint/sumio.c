/* sumio.c: summary files of the program stage (DESIGN.md, seed 003's tuple): every
 * computed summary written as JSON lines (--emit-summaries), and such lines loaded
 * back as models of functions outside the scan (--summaries), with the same meaning
 * as the code they came from: the sink's place and message, and the steps inside.
 *
 * One line: {"type","signature","rule","from","from_path","to","to_path","labels",
 * "checks":{"added","kept"},"sink":{...},"steps":[...]}; docs/taint.md shows one. */
#include "taint/taint_ip.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- positions */

static json_t *position(int pos, const char *global, bool to)
{
    if (pos >= 0) return json_sprintf("P%d", pos);
    switch (pos) {
    case TAINT_POS_RECV: return json_string("O");
    case TAINT_POS_GLOBAL: return json_sprintf("global:%s", global);
    case TAINT_POS_RET: return json_string("R");
    case TAINT_POS_SINK: return json_string("sink");
    default: return json_string(to ? "?" : "source");
    }
}

static bool parse_position(const char *s, int *pos, const char **global)
{
    *global = NULL;
    if (!s) return false;
    if (s[0] == 'P' && s[1] >= '0' && s[1] <= '9') *pos = atoi(s + 1);
    else if (!strcmp(s, "O")) *pos = TAINT_POS_RECV;
    else if (!strcmp(s, "R")) *pos = TAINT_POS_RET;
    else if (!strcmp(s, "sink")) *pos = TAINT_POS_SINK;
    else if (!strcmp(s, "source")) *pos = TAINT_POS_SOURCE;
    else if (str_starts_with(s, "global:")) *pos = TAINT_POS_GLOBAL, *global = intern(s + 7);
    else return false;
    return true;
}

static const char *check_names(uint8_t bits)
{
    static const char *const names[] = {"", "lower", "upper", "lower,upper", "any", "lower,any",
                                        "upper,any", "lower,upper,any"};
    return names[bits & 7];
}

static uint8_t check_bits(const char *s)
{
    uint8_t b = 0;
    if (s && strstr(s, "lower")) b |= CHECK_LOWER;
    if (s && strstr(s, "upper")) b |= CHECK_UPPER;
    if (s && strstr(s, "any")) b |= CHECK_ANY;
    return b;
}

static json_t *pos_json(ReportPos p)
{
    return json_pack("{s:i,s:i,s:i}", "line", (json_int_t)p.line, "col", (json_int_t)p.col, "offset",
                     (json_int_t)p.offset);
}

static ReportPos pos_of(json_t *o)
{
    return (ReportPos){ (uint32_t)json_integer_value(json_object_get(o, "line")),
                        (uint32_t)json_integer_value(json_object_get(o, "col")),
                        (uint32_t)json_integer_value(json_object_get(o, "offset")) };
}

/* ---------------------------------------------------------------- writing */

static ReportPos rpos(AstPos p)
{
    return (ReportPos){ p.line, p.col, p.offset };
}

static json_t *step_json(const TaintTrace *t)
{
    static const char *const kinds[] = {"source", "step", "sink"};
    char *content = NULL;
    if (t->content) content = xstrdup(t->content);
    else if (t->src && t->end.offset >= t->start.offset) {
        const char *s = t->src + t->start.offset, *nl = memchr(s, '\n', t->end.offset - t->start.offset);
        content = xstrndup(s, nl ? (size_t)(nl - s) : t->end.offset - t->start.offset);
    }
    json_t *o = json_pack("{s:s,s:s,s:o,s:o,s:s,s:s}", "kind", kinds[t->kind % 3], "path", t->path ? t->path : "",
                          "start", pos_json(rpos(t->start)), "end", pos_json(rpos(t->end)), "content",
                          content ? content : "", "note", t->note ? t->note : "");
    free(content);
    return o;
}

/* Where a sink is: its file and start. */
static void sink_place(const TaintProgram *p, const Rule *r, const TaintSink *s, const char **path,
                       ReportPos *start)
{
    if (s->file == TAINT_NO_FILE) {
        *path = s->path ? s->path : "";
        *start = s->start;
        return;
    }
    const TaintProgFile *pf = &p->files[s->file];
    const TaintRuleCtx *rc = NULL;
    for (size_t i = 0; i < p->nrules && !rc; i++)
        if (pf->rc[i].rule == r) rc = &pf->rc[i];
    *path = pf->file->path;
    *start = rpos(rc->sink[s->spec].v[s->span].start);
}

/* A "call" step: the callee tuple the flow goes through, in place of its steps. */
static json_t *call_json(const TaintProgram *p, const TaintRuleCtx *rc, const TaintCallRef *ref, Arena *tmp)
{
    const CgFunc *cf = cg_func(p->cg, ref->func);
    const TaintSumEntry *e = &ref->key;
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string("call"));
    json_object_set_new(o, "signature", json_string(cf->signature));
    json_object_set_new(o, "file", json_string(p->files[cf->file].file->path));
    json_object_set_new(o, "line", json_integer((json_int_t)cf->fn->start.line));
    json_object_set_new(o, "from", position(e->from, e->from_global, false));
    json_object_set_new(o, "from_path", json_string(e->from_path ? e->from_path : ""));
    if (e->from == TAINT_POS_SOURCE)
        json_object_set_new(o, "labels", json_string(e->label_names ? e->label_names
                                                                    : taint_label_names(tmp, rc, e->labels)));
    json_object_set_new(o, "to", position(e->to, e->to_global, true));
    json_object_set_new(o, "to_path", json_string(e->to_path ? e->to_path : ""));
    if (e->sink) {
        const char *path;
        ReportPos start;
        sink_place(p, rc->rule, e->sink, &path, &start);
        json_object_set_new(o, "sink", json_pack("{s:s,s:o}", "path", path, "start", pos_json(start)));
    }
    return o;
}

/* The steps inside the function, oldest first: its own steps, a "call" step where
 * the flow goes through a callee in the scan (whose own line holds the callee's
 * steps), and a loaded model's steps written out (the file stands alone). At most
 * TAINT_MAX_TRACE, keeping the first ones and the last. */
static json_t *steps_json(const TaintProgram *p, const TaintRuleCtx *rc, const TaintTrace *trace, Arena *tmp)
{
    VEC(const TaintTrace *) own = {0};
    for (const TaintTrace *t = trace; t; t = t->prev) VEC_PUSH(own, t);
    json_t *arr = json_array();
    for (size_t i = own.n; i-- > 0;) {
        const TaintTrace *t = own.v[i];
        if (t->inner && t->ref && t->ref->func != TAINT_NO_FUNC) {
            json_array_append_new(arr, call_json(p, rc, t->ref, tmp));
        } else if (t->inner) {
            const TaintTrace *v[TAINT_MAX_TRACE];
            size_t n = taint_trace_flatten(t->inner, v, TAINT_MAX_TRACE);
            for (size_t k = 0; k < n; k++) json_array_append_new(arr, step_json(v[k]));
        } else {
            json_array_append_new(arr, step_json(t));
        }
    }
    VEC_FREE(own);
    while (json_array_size(arr) > TAINT_MAX_TRACE) json_array_remove(arr, TAINT_MAX_TRACE - 1);
    return arr;
}

static json_t *sink_json(const TaintProgram *p, const Rule *r, const TaintSink *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(r->id));
    if (s->file != TAINT_NO_FILE) {
        const TaintProgFile *pf = &p->files[s->file];
        MatchResults tmp;
        match_results_init(&tmp);
        ReportFinding rf;
        const TaintRuleCtx *rc = NULL;
        for (size_t i = 0; i < p->nrules && !rc; i++)
            if (pf->rc[i].rule == r) rc = &pf->rc[i];
        const MatchSpan *span = &rc->sink[s->spec].v[s->span];
        bool ok = match_span_finding(r, pf->file, span, &tmp, &rf);
        json_object_set_new(o, "path", json_string(pf->file->path));
        json_object_set_new(o, "start", pos_json(rpos(span->start)));
        json_object_set_new(o, "end", pos_json(rpos(span->end)));
        json_object_set_new(o, "message", json_string(ok ? rf.message : r->message));
        json_object_set_new(o, "lines", json_string(ok && rf.lines ? rf.lines : ""));
        match_results_free(&tmp);
    } else {
        json_object_set_new(o, "path", json_string(s->path));
        json_object_set_new(o, "start", pos_json(s->start));
        json_object_set_new(o, "end", pos_json(s->end));
        json_object_set_new(o, "message", json_string(s->message ? s->message : ""));
        json_object_set_new(o, "lines", json_string(s->lines ? s->lines : ""));
    }
    if (s->requires) json_object_set_new(o, "requires", json_string(s->requires));
    static const char *const guards[] = {"none", "any", "upper", "lower", "bounded"};
    json_object_set_new(o, "guard", json_string(guards[s->guard % 5]));
    return o;
}

static bool is_propagator(const TaintSumEntry *e)
{
    return e->from != TAINT_POS_SOURCE && e->to != TAINT_POS_SINK;
}

/* One line; without "rule" (with_rule false) it holds for every rule. */
static json_t *entry_json(const TaintProgram *p, const CgFunc *cf, const TaintRuleCtx *rc,
                          const TaintSumEntry *e, bool with_rule, Arena *tmp)
{
    const char *type = e->from == TAINT_POS_SOURCE ? "source" : e->to == TAINT_POS_SINK ? "sink" : "propagator";
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "signature", json_string(cf->signature));
    if (with_rule) json_object_set_new(o, "rule", json_string(rc->rule->id));
    json_object_set_new(o, "from", position(e->from, e->from_global, false));
    json_object_set_new(o, "from_path", json_string(e->from_path ? e->from_path : ""));
    if (e->from == TAINT_POS_SOURCE)
        json_object_set_new(o, "labels", json_string(taint_label_names(tmp, rc, e->labels)));
    json_object_set_new(o, "to", position(e->to, e->to_global, true));
    json_object_set_new(o, "to_path", json_string(e->to_path ? e->to_path : ""));
    json_object_set_new(o, "file", json_string(p->files[cf->file].file->path));
    json_object_set_new(o, "line", json_integer((json_int_t)cf->fn->start.line));
    json_object_set_new(o, "checks", json_pack("{s:s,s:s}", "added", check_names(e->checked),
                                               "kept", check_names((uint8_t)(e->checked >> CHECK_SYM_SHIFT))));
    if (e->sink) json_object_set_new(o, "sink", sink_json(p, rc->rule, e->sink));
    json_object_set_new(o, "steps", steps_json(p, rc, e->trace, tmp));
    return o;
}

static char *dump_line(json_t *o)
{
    char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return line;
}

/* A line of one function's summaries, by rule, before it is written. */
typedef struct Line {
    char *text;                  /* the propagators': without "rule" */
    uint32_t rule;
    size_t order;
    bool shared, skip;           /* the same for every rule: written once, without "rule" */
} Line;

static int cmp_line(const void *x, const void *y)
{
    const Line *a = x, *b = y;
    int c = strcmp(a->text, b->text);
    return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_order(const void *x, const void *y)
{
    const Line *a = x, *b = y;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* A propagator that every rule applying to the function has, the same to the byte
 * (no rule's sanitizer or guard changes it), is one line without "rule". */
static void mark_shared(Line *v, size_t n, uint32_t nrules)
{
    if (n < 2 || nrules < 2) return;
    qsort(v, n, sizeof *v, cmp_line);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && !strcmp(v[i].text, v[j].text);) j++;
        if (j - i != nrules) continue;
        v[i].shared = true;
        for (size_t k = i + 1; k < j; k++) v[k].skip = true;
    }
    qsort(v, n, sizeof *v, cmp_order);
}

static bool write_function(const TaintProgram *p, uint32_t f, FILE *out, Arena *tmp)
{
    const CgFunc *cf = cg_func(p->cg, f);
    VEC(Line) lines = {0};
    uint32_t applying = 0;
    for (uint32_t r = 0; r < p->nrules; r++) {
        const TaintSummary *s = &p->sums[(size_t)f * p->nrules + r];
        if (!s->known) continue;
        applying++;
        for (size_t i = 0; i < s->n; i++) {
            if (!is_propagator(&s->v[i])) continue;
            Line l = { .text = dump_line(entry_json(p, cf, &p->files[cf->file].rc[r], &s->v[i], false, tmp)),
                       .rule = r, .order = lines.n };
            VEC_PUSH(lines, l);
        }
    }
    mark_shared(lines.v, lines.n, applying);
    bool ok = true;
    size_t k = 0;
    for (uint32_t r = 0; r < p->nrules && ok; r++) {
        const TaintSummary *s = &p->sums[(size_t)f * p->nrules + r];
        const TaintRuleCtx *rc = &p->files[cf->file].rc[r];
        for (size_t i = 0; s->known && i < s->n && ok; i++) {
            char *text;
            if (is_propagator(&s->v[i])) {
                Line *l = &lines.v[k++];
                if (l->skip) continue;
                text = l->shared ? l->text : dump_line(entry_json(p, cf, rc, &s->v[i], true, tmp));
                if (l->shared) l->text = NULL;
            } else {
                text = dump_line(entry_json(p, cf, rc, &s->v[i], true, tmp));
            }
            ok = text && fputs(text, out) != EOF && fputc('\n', out) != EOF;
            free(text);
        }
    }
    for (size_t i = 0; i < lines.n; i++) free(lines.v[i].text);
    VEC_FREE(lines);
    return ok;
}

bool taint_program_write_summaries(const TaintProgram *p, FILE *out)
{
    Arena tmp;
    arena_init(&tmp);
    bool ok = true;
    for (uint32_t f = 0; p->cg && f < p->nfuncs && ok; f++)
        if (cg_func(p->cg, f)->fn->kind == AST_FUNC)   /* top-level code is never called */
            ok = write_function(p, f, out, &tmp);
    arena_free(&tmp);
    return ok && fflush(out) == 0;
}

/* ---------------------------------------------------------------- loading */

static const char *str_of(Arena *a, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? arena_strdup(a, s) : NULL;
}

static const TaintSink *sink_of(Arena *a, json_t *o);
static bool entry_key_of(Arena *a, json_t *o, TaintSumEntry *e);

/* A "call" step: a node that stands for the callee tuple it names until the models
 * are resolved (taint_models_resolve); shown as a step of its own if it never is. */
static TaintTrace *call_step_of(Arena *a, json_t *st)
{
    TaintCallRef *r = arena_alloc(a, sizeof *r);
    r->kept = true;
    r->func = TAINT_NO_FUNC;
    const char *sig = json_string_value(json_object_get(st, "signature"));
    const char *file = json_string_value(json_object_get(st, "file"));
    if (!sig || !entry_key_of(a, st, &r->key)) return NULL;
    r->signature = intern(sig);
    r->file = intern(file ? file : "");
    r->line = (uint32_t)json_integer_value(json_object_get(st, "line"));
    TaintTrace *t = arena_alloc(a, sizeof *t);
    t->kind = STEP_STEP;
    t->ref = r;
    t->path = r->file;
    t->start = t->end = (AstPos){ 0, r->line, 1 };
    t->content = "";
    t->note = arena_printf(a, "through %s (%s to %s): its steps are not in the loaded summaries", sig,
                           json_string_value(json_object_get(st, "from")),
                           json_string_value(json_object_get(st, "to")));
    return t;
}

static const TaintTrace *trace_of(Arena *a, json_t *steps)
{
    const TaintTrace *cur = NULL;
    size_t i;
    json_t *st;
    json_array_foreach(steps, i, st) {
        const char *kind = json_string_value(json_object_get(st, "kind"));
        TaintTrace *t;
        if (kind && !strcmp(kind, "call")) {
            if (!(t = call_step_of(a, st))) continue;
        } else {
            t = arena_alloc(a, sizeof *t);
            t->kind = (uint8_t)(kind && !strcmp(kind, "source") ? STEP_SOURCE
                                : kind && !strcmp(kind, "sink") ? STEP_SINK : STEP_STEP);
            t->path = str_of(a, st, "path");
            ReportPos s = pos_of(json_object_get(st, "start")), e = pos_of(json_object_get(st, "end"));
            t->start = (AstPos){ s.offset, s.line, s.col };
            t->end = (AstPos){ e.offset, e.line, e.col };
            t->content = str_of(a, st, "content");
            t->note = str_of(a, st, "note");
            if (t->content && !*t->content) t->content = "";
        }
        t->kept = true;
        t->prev = cur;
        t->len = (uint16_t)(cur ? cur->len + 1 : 1);
        cur = t;
        if (t->len >= TAINT_MAX_TRACE) break;
    }
    return cur;
}

static const TaintSink *sink_of(Arena *a, json_t *o)
{
    if (!o) return NULL;
    TaintSink *s = arena_alloc(a, sizeof *s);
    s->kept = true;
    s->file = TAINT_NO_FILE;
    s->path = str_of(a, o, "path");
    s->start = pos_of(json_object_get(o, "start"));
    s->end = pos_of(json_object_get(o, "end"));
    s->message = str_of(a, o, "message");
    s->lines = str_of(a, o, "lines");
    s->requires = str_of(a, o, "requires");
    const char *g = json_string_value(json_object_get(o, "guard"));
    static const char *const guards[] = {"none", "any", "upper", "lower", "bounded"};
    for (int i = 0; g && i < 5; i++)
        if (!strcmp(g, guards[i])) s->guard = (RuleGuard)i;
    return s->path ? s : NULL;
}

static const char *tail_of(const char *sig)
{
    const char *slash = strrchr(sig, '/');
    const char *start = slash ? slash : sig + strlen(sig);
    while (start > sig && start[-1] != '.' && start[-1] != ':') start--;
    return intern(start);
}

/* The tuple's key fields of a line or a "call" step: from, to, paths, labels, sink. */
static bool entry_key_of(Arena *a, json_t *o, TaintSumEntry *e)
{
    memset(e, 0, sizeof *e);
    const char *from = json_string_value(json_object_get(o, "from"));
    const char *to = json_string_value(json_object_get(o, "to"));
    if (!parse_position(from, &e->from, &e->from_global) || !parse_position(to, &e->to, &e->to_global))
        return false;
    const char *fp = json_string_value(json_object_get(o, "from_path"));
    const char *tp = json_string_value(json_object_get(o, "to_path"));
    e->from_path = intern(fp ? fp : "");
    e->to_path = intern(tp ? tp : "");
    if (e->from == TAINT_POS_SOURCE) {
        const char *l = json_string_value(json_object_get(o, "labels"));
        e->label_names = arena_strdup(a, l && *l ? l : "__SOURCE__");
    }
    e->sink = sink_of(a, json_object_get(o, "sink"));
    return e->to != TAINT_POS_SINK || e->sink;
}

static bool model_of(TaintProgram *p, json_t *o, TaintModel *m)
{
    Arena *a = &p->models_arena;
    const char *sig = json_string_value(json_object_get(o, "signature"));
    const char *file = json_string_value(json_object_get(o, "file"));
    memset(m, 0, sizeof *m);
    if (!sig || !strchr(sig, ':')) return false;
    TaintSumEntry *e = &m->entry;
    if (!entry_key_of(a, o, e)) return false;
    m->signature = intern(sig);
    m->tail = tail_of(sig);
    m->file = intern(file ? file : "");
    m->line = (uint32_t)json_integer_value(json_object_get(o, "line"));
    m->rule_id = str_of(a, o, "rule");
    json_t *ch = json_object_get(o, "checks");
    const char *added = json_string_value(json_object_get(ch, "added"));
    const char *kept = json_string_value(json_object_get(ch, "kept"));
    e->checked = (uint8_t)(check_bits(added) | (uint8_t)((ch ? check_bits(kept) : 7) << CHECK_SYM_SHIFT));
    e->trace = trace_of(a, json_object_get(o, "steps"));
    return true;
}

static int cmp_model(const void *x, const void *y)
{
    const TaintModel *a = x, *b = y;
    if (a->tail != b->tail) return strcmp(a->tail, b->tail);
    return a->order < b->order ? -1 : a->order > b->order;
}

bool taint_program_load_models(TaintProgram *p, const char *path, DiagList *diags)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        diag_add(diags, DIAG_ERROR, "Summaries error", path, 0, 0, NULL, "cannot read the summaries: %s",
                 strerror(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;
    bool ok = true;
    while (getline(&line, &cap, in) > 0) {
        lineno++;
        if (line[0] == '\n' || line[0] == '#') continue;
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        TaintModel m;
        if (!o || !json_is_object(o) || !model_of(p, o, &m)) {
            diag_add(diags, DIAG_ERROR, "Summaries error", path, lineno, 0, NULL,
                     "line %d is not a summary (type, signature, from, to; a sink needs its place)", lineno);
            ok = false;
        } else {
            m.order = p->models.n;
            VEC_PUSH(p->models, m);
        }
        json_decref(o);
    }
    free(line);
    fclose(in);
    if (p->models.n > 1) qsort(p->models.v, p->models.n, sizeof *p->models.v, cmp_model);
    return ok;
}

const TaintModel *taint_models_find(const TaintProgram *p, const char *tail, const char *unused, size_t *n)
{
    (void)unused;
    *n = 0;
    size_t lo = 0, hi = p->models.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(p->models.v[mid].tail, tail) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t k = lo;
    while (k < p->models.n && p->models.v[k].tail == tail) k++;
    *n = k - lo;
    return *n ? &p->models.v[lo] : NULL;
}

/* ---------------------------------------------------------------- resolving references */

static bool same_sink_place(const TaintSink *a, const TaintSink *b)
{
    if (!a || !b) return a == b;
    return a->path && b->path && !strcmp(a->path, b->path) && a->start.offset == b->start.offset;
}

static bool model_is(const TaintModel *m, const TaintCallRef *r, const char *rule_id, bool exact_rule)
{
    const TaintSumEntry *a = &m->entry, *b = &r->key;
    if (m->signature != r->signature || m->file != r->file || m->line != r->line) return false;
    if (exact_rule ? m->rule_id != rule_id && (!m->rule_id || !rule_id || strcmp(m->rule_id, rule_id))
                   : m->rule_id && rule_id && strcmp(m->rule_id, rule_id))
        return false;
    return a->from == b->from && a->to == b->to && a->from_global == b->from_global
           && a->to_global == b->to_global && a->from_path == b->from_path && a->to_path == b->to_path
           && !strcmp(a->label_names ? a->label_names : "", b->label_names ? b->label_names : "")
           && same_sink_place(a->sink, b->sink);
}

/* The model a reference names: of the same rule if there is one, else one for every
 * rule (or, from a line for every rule, of any rule). */
static long model_named(const TaintProgram *p, const TaintCallRef *r, const char *rule_id)
{
    size_t n;
    const TaintModel *m = taint_models_find(p, tail_of(r->signature), NULL, &n);
    for (int exact = 1; exact >= 0; exact--)
        for (size_t i = 0; i < n; i++)
            if (model_is(&m[i], r, rule_id, exact)) return (long)(&m[i] - p->models.v);
    return -1;
}

enum { UNRESOLVED, RESOLVING, RESOLVED };
#define TAINT_MAX_REF_DEPTH 4096

/* Points each "call" step of model i at the steps of the model it names (resolved
 * first), then recounts the trace's lengths. A reference back into a model being
 * resolved (recursion), or to a tuple not loaded, stays a step of its own. */
static void resolve_model(TaintProgram *p, size_t i, uint8_t *state, int depth)
{
    state[i] = RESOLVING;
    VEC(TaintTrace *) own = {0};
    for (const TaintTrace *t = p->models.v[i].entry.trace; t; t = t->prev) VEC_PUSH(own, (TaintTrace *)t);
    for (size_t k = own.n; k-- > 0;) {
        TaintTrace *t = own.v[k];
        if (t->ref && !t->inner) {
            long j = model_named(p, t->ref, p->models.v[i].rule_id);
            if (j >= 0 && state[j] == UNRESOLVED && depth < TAINT_MAX_REF_DEPTH)
                resolve_model(p, (size_t)j, state, depth + 1);
            if (j >= 0 && state[j] == RESOLVED) t->inner = p->models.v[j].entry.trace;
        }
        size_t len = (size_t)(t->prev ? t->prev->len : 0) + (t->inner ? t->inner->len : 1);
        t->len = (uint16_t)(len < 60000 ? len : 60000);
    }
    VEC_FREE(own);
    state[i] = RESOLVED;
}

void taint_models_resolve(TaintProgram *p)
{
    uint8_t *state = xcalloc(p->models.n + 1, 1);
    for (size_t i = 0; i < p->models.n; i++)
        if (state[i] == UNRESOLVED) resolve_model(p, i, state, 0);
    free(state);
}
