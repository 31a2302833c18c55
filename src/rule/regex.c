/* regex.c: compiling the regexes of rules with PCRE2 at load time (rule stage), so
 * that a bad regex is a load error naming its place and matching never compiles.
 *
 * Every regex is compiled with PCRE2_UTF | PCRE2_MATCH_INVALID_UTF: rules are UTF-8
 * text, so a non-ASCII character in a regex means that character, while targets
 * can hold any bytes (Latin-1, binary); with MATCH_INVALID_UTF an invalid sequence
 * in the subject simply never matches instead of failing the whole match. The one
 * cost: \xHH in a regex means the code point U+00HH, not the raw byte. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rule/rule_internal.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

static pcre2_code *compile(const char *re, size_t len, bool anchored, int *code, size_t *off)
{
    /* pattern-regex is PCRE2 "in multiline mode" (Semgrep rule-syntax docs);
     * metavariable-regex is "left anchored" and matched against one value, so
     * ^ and $ keep their whole-string meaning there. */
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    opts |= anchored ? PCRE2_ANCHORED : PCRE2_MULTILINE;
    PCRE2_SIZE eo = 0;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, len, opts, code, &eo, NULL);
    *off = eo;
    if (c) pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);   /* best effort: JIT may be absent */
    return c;
}

static void keep(RuleRegexList *l, pcre2_code *c)
{
    VEC_PUSH(*l, c);
}

/* Compiles the regex of operator `op` held by scalar `at`; on failure reports an
 * "Invalid regex" error at the offending character with PCRE2's message. */
struct pcre2_real_code_8 *rule_regex_compile(Loader *ld, yaml_node_t *at, const char *re,
                                             size_t len, bool anchored, const char *op)
{
    int code = 0;
    size_t off = 0;
    pcre2_code *c = compile(re, len, anchored, &code, &off);
    if (c) {
        keep(&ld->set->regexes, c);
        return c;
    }
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    RulePos p = rule_yaml_offset_pos(ld, at, off);
    diag_add(ld->diags, DIAG_ERROR, RULE_DIAG_REGEX, ld->path, p.line, p.col, ld->rule_id,
             "%s: PCRE2 cannot compile '%s': %s at offset %zu", op, re, (const char *)msg, off);
    ld->failed = true;
    return NULL;
}

/* For regexes that do not come from YAML (semgrep -e with --lang regex). */
struct pcre2_real_code_8 *rule_regex_compile_plain(RuleSet *s, const char *re, bool anchored,
                                                   char *err, size_t errn)
{
    int code = 0;
    size_t off = 0;
    pcre2_code *c = compile(re, strlen(re), anchored, &code, &off);
    if (c) {
        keep(&s->regexes, c);
        return c;
    }
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    snprintf(err, errn, "%s at offset %zu", (const char *)msg, off);
    return NULL;
}

void rule_regex_free_all(RuleRegexList *l)
{
    for (size_t i = 0; i < l->n; i++) pcre2_code_free(l->v[i]);
    VEC_FREE(*l);
}
