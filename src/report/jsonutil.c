/* jsonutil.c: the report stage's shared pieces for the JSON and SARIF writers: source
 * text made valid UTF-8, Semgrep positions, rule metadata, severity levels.
 *
 * Source lines are whatever bytes the scanned file had, and jansson refuses a string
 * that is not UTF-8 (json_string returns NULL), so every string goes through here. */
#include "report/report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- UTF-8 */

/* The length of the well-formed sequence at s (at most n bytes), or 0. The second
 * byte's range excludes overlong forms (E0, F0), surrogates (ED) and code points
 * past U+10FFFF (F4), as RFC 3629 does. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else return 0;
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return len;
}

bool report_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len(p + i, n - i);
        if (!k) return false;
        i += k;
    }
    return true;
}

char *report_utf8_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq_len(p + i, n - i);
        if (k) {
            sb_append(&b, s + i, k);
            i += k;
        } else {
            sb_append(&b, "\xEF\xBF\xBD", 3);   /* U+FFFD for each bad byte */
            i++;
        }
    }
    return sb_take(&b);
}

/* ---------------------------------------------------------------- jansson */

json_t *report_json_str(const char *s)
{
    if (!s) return json_string("");
    if (report_utf8_valid(s, strlen(s))) return json_string(s);
    char *clean = report_utf8_clean(s);
    json_t *j = json_string(clean);
    free(clean);
    return j;
}

json_t *report_json_pos(ReportPos p)
{
    return json_pack("{s:I, s:I, s:I}", "line", (json_int_t)p.line, "col", (json_int_t)p.col,
                     "offset", (json_int_t)p.offset);
}

json_t *report_json_metadata(const char *metadata_json)
{
    if (!metadata_json) return json_object();
    json_error_t err;
    json_t *j = json_loads(metadata_json, JSON_DECODE_ANY, &err);
    if (!j) return json_object();   /* the rule loader wrote it; a bad one is not the reader's fault */
    return j;
}

bool report_json_dump(json_t *root, FILE *out)
{
    errno = 0;
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF || fflush(out) == EOF || ferror(out)) {
        if (!errno) errno = EIO;
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- shared facts */

const char *report_sarif_level(const char *severity)
{
    if (!severity) return "warning";
    if (!strcmp(severity, "ERROR") || !strcmp(severity, "CRITICAL") || !strcmp(severity, "HIGH"))
        return "error";
    if (!strcmp(severity, "INFO") || !strcmp(severity, "LOW") || !strcmp(severity, "INVENTORY") ||
        !strcmp(severity, "EXPERIMENT"))
        return "note";
    return "warning";   /* WARNING, MEDIUM and anything unknown */
}

const char *report_step_path(const ReportFinding *f, const ReportStep *s)
{
    return s->path ? s->path : f->path;
}
