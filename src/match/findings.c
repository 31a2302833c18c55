/* findings.c: from a rule's final ranges to report findings (match stage, handing
 * over to report): one finding per distinct range and message, the message with $X
 * replaced by the bound code, the matched lines, the bindings, minus the findings a
 * `nosemgrep` comment on their first line (or alone on the line before) suppresses. */
#include "match/match_int.h"

#include <ctype.h>
#include <string.h>

/* ---------------------------------------------------------------- nosemgrep */

static const char *line_start(const char *src, size_t off)
{
    while (off > 0 && src[off - 1] != '\n') off--;
    return src + off;
}

static const char *line_end(const char *src, size_t len, const char *p)
{
    const char *e = memchr(p, '\n', (size_t)(src + len - p));
    return e ? e : src + len;
}

static bool is_id_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '/';
}

/* The ids after "nosemgrep:" (comma or space separated) name this rule when one is
 * the rule's id or ends it after a dot (registry ids are dotted paths). */
static bool ids_name_rule(const char *p, const char *end, const char *rule_id)
{
    size_t rl = strlen(rule_id);
    while (p < end) {
        while (p < end && (*p == ',' || *p == ' ' || *p == '\t')) p++;
        const char *s = p;
        while (p < end && is_id_char(*p)) p++;
        size_t n = (size_t)(p - s);
        if (n == 0) break;
        if (n == rl && memcmp(s, rule_id, n) == 0) return true;
        if (n < rl && memcmp(rule_id + rl - n, s, n) == 0 && rule_id[rl - n - 1] == '.') return true;
    }
    return false;
}

static bool comment_before(const char *ls, const char *at)
{
    for (const char *p = ls; p < at; p++)
        if (*p == '#' || (p[0] == '/' && (p[1] == '/' || p[1] == '*'))) return true;
    return false;
}

/* One line: a comment holding nosem / nosemgrep, bare or with this rule's id. */
static bool line_suppresses(const char *ls, const char *le, const char *rule_id, bool alone)
{
    if (alone) {
        const char *p = ls;
        while (p < le && isspace((unsigned char)*p)) p++;
        if (!(p < le && (*p == '#' || (p + 1 < le && p[0] == '/' && (p[1] == '/' || p[1] == '*')))))
            return false;
    }
    for (const char *p = ls; p + 5 <= le; p++) {
        if (strncasecmp(p, "nosem", 5) != 0 || !comment_before(ls, p)) continue;
        /* a word of its own: "# ruleid: py-nosemgrep" names a rule, it is no nosemgrep */
        if (p > ls && is_id_char(p[-1])) continue;
        const char *q = p + 5;
        if (q + 4 <= le && strncasecmp(q, "grep", 4) == 0) q += 4;
        if (q < le && is_id_char(*q)) continue;
        while (q < le && *q == ' ') q++;
        if (q >= le || *q != ':') return true;
        return ids_name_rule(q + 1, le, rule_id);
    }
    return false;
}

static bool suppressed(const AstFile *f, AstPos start, const char *rule_id)
{
    if (!f->src || start.offset > f->src_len) return false;
    const char *ls = line_start(f->src, start.offset);
    const char *le = line_end(f->src, f->src_len, ls);
    if (line_suppresses(ls, le, rule_id, false)) return true;
    if (ls == f->src) return false;
    const char *pls = line_start(f->src, (size_t)(ls - 1 - f->src));
    return line_suppresses(pls, ls - 1, rule_id, true);
}

/* ---------------------------------------------------------------- messages */

static size_t metavar_len(const char *s)
{
    size_t n = 1;
    if (strncmp(s + 1, "...", 3) == 0) n += 3;
    if (!(isupper((unsigned char)s[n]) || s[n] == '_')) return 0;
    while (isupper((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '_') n++;
    return n;
}

static char *interpolate(MatchCtx *cx, Arena *a, const char *msg, const MatchRange *r)
{
    StrBuf b;
    sb_init(&b);
    for (const char *p = msg ? msg : ""; *p;) {
        size_t n = *p == '$' ? metavar_len(p) : 0;
        const MatchBind *mb = n ? match_find_bind(r->binds, r->nbinds, intern_n(p, n)) : NULL;
        if (mb) {
            size_t len;
            const char *text = match_val_text(cx, &mb->val, &len);
            sb_append(&b, text, len);
            p += n;
        } else {
            sb_putc(&b, *p++);
        }
    }
    char *s = arena_strdup(a, b.s ? b.s : "");
    sb_free(&b);
    return s;
}

/* ---------------------------------------------------------------- findings */

static ReportPos rpos(AstPos p)
{
    return (ReportPos){ p.line, p.col, p.offset };
}

static char *matched_lines(const AstFile *f, Arena *a, const MatchRange *r)
{
    if (!f->src || r->start.offset > f->src_len) return arena_strdup(a, "");
    const char *ls = line_start(f->src, r->start.offset);
    size_t endoff = r->end.offset > r->start.offset ? r->end.offset - 1 : r->start.offset;
    if (endoff > f->src_len) endoff = f->src_len;
    const char *le = line_end(f->src, f->src_len, f->src + endoff);
    return arena_strndup(a, ls, (size_t)(le - ls));
}

static void fill_metavars(MatchCtx *cx, Arena *a, const MatchRange *r, ReportFinding *out)
{
    out->metavars = arena_alloc(a, (r->nbinds + 1) * sizeof *out->metavars);
    for (uint32_t i = 0; i < r->nbinds; i++) {
        const MatchBind *b = &r->binds[i];
        size_t len;
        const char *text = match_val_text(cx, &b->val, &len);
        out->metavars[out->nmetavars++] = (ReportMetavar){
            .name = b->mv, .start = rpos(b->val.start), .end = rpos(b->val.end),
            .content = arena_strndup(a, text, len) };
    }
}

static bool already(const MatchResults *out, size_t from, const ReportFinding *f)
{
    for (size_t i = from; i < out->findings.n; i++) {
        const ReportFinding *o = &out->findings.v[i];
        if (o->start.offset == f->start.offset && o->end.offset == f->end.offset
            && strcmp(o->message, f->message) == 0)
            return true;
    }
    return false;
}

void match_emit_findings(MatchCtx *cx, const MatchRule *mr, MatchRangeList *ranges,
                         MatchResults *out)
{
    const Rule *rule = mr->rule;
    Arena *a = &out->arena;
    size_t from = out->findings.n;
    const char *path = NULL;   /* copied once: the AstFile is freed before the report */
    for (size_t i = 0; i < ranges->n; i++) {
        const MatchRange *r = &ranges->v[i];
        if (suppressed(cx->file, r->start, rule->id)) continue;
        if (!path) path = arena_strdup(a, cx->file->path);
        ReportFinding f = { .rule_id = rule->id, .path = path,
                            .start = rpos(r->start), .end = rpos(r->end),
                            .severity = rule_severity_name(rule->severity),
                            .metadata_json = rule->metadata_json };
        f.message = interpolate(cx, a, rule->message, r);
        if (already(out, from, &f)) continue;
        f.lines = matched_lines(cx->file, a, r);
        fill_metavars(cx, a, r, &f);
        VEC_PUSH(out->findings, f);
    }
}

/* ---------------------------------------------------------------- taint findings */

static char *interpolate_span(const AstFile *f, Arena *a, const char *msg, const MatchSpan *s)
{
    StrBuf b;
    sb_init(&b);
    for (const char *p = msg ? msg : ""; *p;) {
        size_t n = *p == '$' ? metavar_len(p) : 0;
        const char *mv = n ? intern_n(p, n) : NULL;
        const MatchSpanBind *hit = NULL;
        for (uint32_t i = 0; mv && i < s->nbinds && !hit; i++)
            if (s->binds[i].mv == mv) hit = &s->binds[i];
        if (hit && hit->end.offset <= f->src_len && hit->start.offset <= hit->end.offset) {
            sb_append(&b, f->src + hit->start.offset, hit->end.offset - hit->start.offset);
            p += n;
        } else {
            sb_putc(&b, *p++);
        }
    }
    char *out = arena_strdup(a, b.s ? b.s : "");
    sb_free(&b);
    return out;
}

bool match_span_finding(const Rule *r, const AstFile *f, const MatchSpan *s, MatchResults *out,
                        ReportFinding *finding)
{
    if (suppressed(f, s->start, r->id)) return false;
    Arena *a = &out->arena;
    MatchRange range = { .start = s->start, .end = s->end };
    *finding = (ReportFinding){ .rule_id = r->id, .path = arena_strdup(a, f->path),
                                .start = rpos(s->start), .end = rpos(s->end),
                                .severity = rule_severity_name(r->severity),
                                .metadata_json = r->metadata_json };
    finding->message = interpolate_span(f, a, r->message, s);
    finding->lines = matched_lines(f, a, &range);
    finding->metavars = arena_alloc(a, (s->nbinds + 1) * sizeof *finding->metavars);
    for (uint32_t i = 0; i < s->nbinds; i++) {
        const MatchSpanBind *b = &s->binds[i];
        if (b->end.offset > f->src_len || b->start.offset > b->end.offset) continue;
        finding->metavars[finding->nmetavars++] = (ReportMetavar){
            .name = b->mv, .start = rpos(b->start), .end = rpos(b->end),
            .content = arena_strndup(a, f->src + b->start.offset, b->end.offset - b->start.offset) };
    }
    return true;
}
