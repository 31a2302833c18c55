/* fuzz_pattern.c: libFuzzer target for the pattern side of the match stage: the input
 * is "LANG\nPATTERN\n---\nTARGET"; the pattern is parsed with lang_parse_pattern and
 * matched against the target's tree. Nothing may crash, leak or hang. */
#include "match/match_int.h"

#include <string.h>

static LangParser *parser;

static const RuleFormula leaf_template = { .kind = RULE_F_PATTERN };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!parser) parser = lang_parser_new();
    char *buf = xstrndup((const char *)data, size);
    char *nl = strchr(buf, '\n');
    char *sep = nl ? strstr(nl + 1, "\n---\n") : NULL;
    if (!sep) { free(buf); return 0; }
    *nl = 0;
    *sep = 0;
    Lang lang = lang_from_name(buf);
    if (lang == LANG_NONE) lang = LANG_PYTHON;
    RuleFormula leaf = leaf_template;
    leaf.text = nl + 1;
    char *err = NULL;
    MatchPattern *mp = match_pattern_compile(parser, &leaf, lang, &err);
    free(err);
    if (mp) {
        const char *target = sep + 5;
        AstFile *f = lang_parse_file(parser, lang, "fuzz", target, strlen(target), NULL);
        MatchCtx cx;
        DiagList diags = {0};
        match_ctx_init(&cx, NULL, f, lang, parser, &diags);
        MatchRangeList out = {0};
        match_search(&cx, f->root, &mp, 1, &out);
        VEC_FREE(out);
        match_ctx_fini(&cx);
        diag_list_free(&diags);
        lang_file_free(f);
        match_pattern_free(mp);
    }
    free(buf);
    return 0;
}
