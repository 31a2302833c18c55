/* regex.c: running PCRE2 for the match stage under match and depth limits, so that
 * a catastrophic regex costs one rule on one file an error, never a hang. */
#include "match/match_int.h"

static void ensure_ctx(MatchCtx *cx)
{
    if (cx->re_ctx) return;
    cx->re_ctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(cx->re_ctx, MATCH_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(cx->re_ctx, MATCH_REGEX_DEPTH_LIMIT);
    cx->re_data = pcre2_match_data_create(32, NULL);
}

void match_regex_error(MatchCtx *cx, int rc)
{
    if (cx->rule_failed) return;   /* one diag per rule and file */
    cx->rule_failed = true;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    diag_add(cx->diags, DIAG_ERROR, MATCH_DIAG_REGEX, cx->file->path, 0, 0, cx->rule_id,
             "%s: rule %s: regex stopped: %s", cx->file->path, cx->rule_id ? cx->rule_id : "?",
             (const char *)msg);
}

int match_regex_exec(MatchCtx *cx, const pcre2_code *re, const char *subject, size_t len,
                     size_t offset, size_t *mstart, size_t *mend)
{
    ensure_ctx(cx);
    int rc = pcre2_match(re, (PCRE2_SPTR)subject, len, offset, 0, cx->re_data, cx->re_ctx);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) {
        match_regex_error(cx, rc);
        return -1;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(cx->re_data);
    *mstart = ov[0];
    *mend = ov[1];
    return 1;
}

int match_regex_text(MatchCtx *cx, const pcre2_code *re, const char *s, size_t len)
{
    size_t a, b;
    return match_regex_exec(cx, re, s, len, 0, &a, &b);
}
