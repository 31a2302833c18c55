/* text.c: the report stage's text writer for people at a terminal: findings grouped
 * under their file, each with its rule, message, code and taint path, then a summary
 * line and the errors.
 *
 * Scanned code is hostile input and goes to a terminal: control bytes, escape
 * sequences and bidirectional overrides in it are printed as visible escapes, never
 * passed through, and bytes that are not UTF-8 print as U+FFFD. */
#include "report/report_int.h"

#include <errno.h>
#include <string.h>

/* A finding spanning more lines than this shows its first lines and a count. */
#define TEXT_MAX_CODE_LINES 12

/* ANSI styles; all empty when colour is off, so the printing code never asks. */
typedef struct Style {
    const char *reset, *bold, *dim, *path, *error, *warning, *info, *taint;
} Style;

static const Style STYLE_COLOR = {
    "\033[0m", "\033[1m", "\033[2m", "\033[1;4m", "\033[1;31m", "\033[1;33m", "\033[1;34m", "\033[36m",
};
static const Style STYLE_PLAIN = { "", "", "", "", "", "", "", "" };

/* ---------------------------------------------------------------- safe text */

/* The length of the UTF-8 sequence at p that may go to a terminal as is, or 0 when
 * it must be escaped: C0 and C1 controls, DEL, and the bidi embedding, override and
 * isolate characters that make code read differently from how it runs. */
static size_t printable_seq(const unsigned char *p, size_t n)
{
    if (p[0] < 0x20 || p[0] == 0x7f) return p[0] == '\t' ? 1 : 0;
    if (p[0] < 0x80) return 1;
    size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
    if (len > n || !report_utf8_valid((const char *)p, len)) return 0;
    if (len == 2 && p[0] == 0xC2 && p[1] < 0xA0) return 0;                         /* C1 */
    if (len == 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) return 0;
    if (len == 3 && p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9) return 0;
    return len;
}

/* Writes s[0..n) with everything unsafe made visible: a control byte as \xNN, a
 * bidi control as <U+NNNN>, a byte that is not UTF-8 as U+FFFD. */
static void put_safe(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = printable_seq(p + i, n - i);
        if (k) {
            fwrite(p + i, 1, k, out);
            i += k;
        } else if (p[i] < 0x80) {
            fprintf(out, "\\x%02x", p[i]);
            i++;
        } else if (i + 1 < n && p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] < 0xA0) {
            fprintf(out, "\\u%04x", p[i + 1]);
            i += 2;
        } else if (i + 2 < n && p[i] == 0xE2 && report_utf8_valid(s + i, 3)) {
            fprintf(out, "<U+%04X>", ((p[i] & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F));
            i += 3;
        } else {
            fputs("\xEF\xBF\xBD", out);
            i++;
        }
    }
}

static void put_safe_str(FILE *out, const char *s)
{
    if (s) put_safe(out, s, strlen(s));
}

/* Calls each line of s (without its "\n" or "\r\n") in turn; a final newline does not
 * start an empty last line. Returns how many lines s has. */
typedef void (*LineFn)(void *ctx, size_t index, const char *line, size_t len);

static size_t each_line(const char *s, LineFn fn, void *ctx)
{
    size_t index = 0;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        size_t shown = len && s[len - 1] == '\r' ? len - 1 : len;
        if (fn) fn(ctx, index, s, shown);
        index++;
        s = nl ? nl + 1 : s + len;
    }
    return index;
}

/* ---------------------------------------------------------------- one finding */

typedef struct LineCtx {
    FILE *out;
    const Style *st;
    const char *indent;
    uint32_t first_line;   /* number of line 0, or 0 when unknown */
} LineCtx;

static void put_message_line(void *ctx, size_t index, const char *line, size_t len)
{
    LineCtx *c = ctx;
    fputs(c->indent, c->out);
    put_safe(c->out, line, len);
    fputc('\n', c->out);
}

static void put_code_line(void *ctx, size_t index, const char *line, size_t len)
{
    LineCtx *c = ctx;
    if (index >= TEXT_MAX_CODE_LINES) return;
    if (c->first_line) fprintf(c->out, "%s%s%8u |%s ", c->indent, c->st->dim, c->first_line + (uint32_t)index, c->st->reset);
    else fprintf(c->out, "%s%s         |%s ", c->indent, c->st->dim, c->st->reset);
    put_safe(c->out, line, len);
    fputc('\n', c->out);
}

static const char *severity_style(const Style *st, const char *severity)
{
    const char *level = report_sarif_level(severity);
    if (!strcmp(level, "error")) return st->error;
    if (!strcmp(level, "note")) return st->info;
    return st->warning;
}

static const char *step_label(ReportStepKind kind)
{
    switch (kind) {
    case STEP_SOURCE: return "source";
    case STEP_SINK: return "sink  ";
    case STEP_STEP: break;
    }
    return "step  ";
}

/* "taint path:" then one line per step: kind, place, code, and why in parentheses. */
static void put_taint_path(FILE *out, const Style *st, const ReportFinding *f)
{
    fprintf(out, "    %staint path:%s\n", st->taint, st->reset);
    for (size_t i = 0; i < f->nsteps; i++) {
        const ReportStep *s = &f->steps[i];
        fprintf(out, "      %s%s%s ", st->taint, step_label(s->kind), st->reset);
        put_safe_str(out, report_step_path(f, s));
        fprintf(out, ":%u:%u  ", s->start.line, s->start.col);
        /* A step's code is one line as the path shows it; later lines are dropped. */
        const char *code = s->content ? s->content : "";
        size_t len = strcspn(code, "\r\n");
        put_safe(out, code, len);
        if (code[len]) fputs(" ...", out);
        if (s->note) {
            fputs("  (", out);
            put_safe_str(out, s->note);
            fputc(')', out);
        }
        fputc('\n', out);
    }
}

static void put_finding(FILE *out, const Style *st, const ReportFinding *f)
{
    const char *sev = f->severity ? f->severity : "WARNING";
    fprintf(out, "  %s", severity_style(st, sev));
    put_safe_str(out, sev);
    fprintf(out, "%s %s", st->reset, st->bold);
    put_safe_str(out, f->rule_id ? f->rule_id : "(no rule id)");
    fprintf(out, "%s\n", st->reset);

    LineCtx c = { out, st, "    ", f->start.line };
    each_line(f->message, put_message_line, &c);
    c.indent = "  ";
    size_t nlines = each_line(f->lines, put_code_line, &c);
    if (nlines > TEXT_MAX_CODE_LINES)
        fprintf(out, "  %s         | ... %zu more lines%s\n", st->dim, nlines - TEXT_MAX_CODE_LINES, st->reset);
    if (f->nsteps) put_taint_path(out, st, f);
    fputc('\n', out);
}

/* ---------------------------------------------------------------- summary and errors */

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void put_location(FILE *out, const Diag *d)
{
    if (!d->path) return;
    put_safe_str(out, d->path);
    if (d->line > 0) fprintf(out, ":%d", d->line);
    if (d->line > 0 && d->col > 0) fprintf(out, ":%d", d->col);
    fputs(": ", out);
}

static void put_errors(FILE *out, const Style *st, const DiagList *errors)
{
    if (!errors->n) return;
    fputs("errors:\n", out);
    for (size_t i = 0; i < errors->n; i++) {
        const Diag *d = &errors->v[i];
        const char *level = d->level == DIAG_ERROR ? "error" : "warn";
        fprintf(out, "  %s[%s]%s ", d->level == DIAG_ERROR ? st->error : st->warning, level, st->reset);
        put_safe_str(out, d->type);
        fputs(": ", out);
        put_location(out, d);
        put_safe_str(out, d->message);
        if (d->rule_id) {
            fputs(" (rule ", out);
            put_safe_str(out, d->rule_id);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
}

static void put_skipped(FILE *out, const Report *r)
{
    if (!r->skipped.n) return;
    fputs("skipped:\n", out);
    for (size_t i = 0; i < r->skipped.n; i++) {
        fputs("  ", out);
        put_safe_str(out, r->skipped.v[i].path);
        if (r->skipped.v[i].reason) {
            fputs(" (", out);
            put_safe_str(out, r->skipped.v[i].reason);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
}

static bool same_path(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

bool report_write_text(const Report *r, const ReportOptions *opt, FILE *out)
{
    const Style *st = opt && opt->color ? &STYLE_COLOR : &STYLE_PLAIN;
    size_t files = 0;
    errno = 0;
    for (size_t i = 0; i < r->findings.n; i++) {
        const ReportFinding *f = &r->findings.v[i];
        if (i == 0 || !same_path(f->path, r->findings.v[i - 1].path)) {
            fprintf(out, "%s", st->path);
            put_safe_str(out, f->path ? f->path : "(no path)");
            fprintf(out, "%s\n", st->reset);
            files++;
        }
        put_finding(out, st, f);
    }
    if (opt && opt->show_skipped) put_skipped(out, r);
    put_errors(out, st, &r->errors);

    size_t n = r->findings.n;
    fprintf(out, "%s%zu %s in %zu %s%s; %zu %s scanned; %zu %s skipped; %zu %s\n", st->bold,
            n, plural(n, "finding", "findings"), files, plural(files, "file", "files"), st->reset,
            r->scanned.n, plural(r->scanned.n, "file", "files"), r->skipped.n,
            plural(r->skipped.n, "file", "files"), r->errors.n, plural(r->errors.n, "error", "errors"));
    if (fflush(out) == EOF || ferror(out)) {
        if (!errno) errno = EIO;
        return false;
    }
    return true;
}
