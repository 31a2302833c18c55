/* fuzz_rule_load.c: libFuzzer target for the rule loader (rule stage): any bytes
 * as a rules file give rules or located diags, never a crash, a hang or a leak.
 * Seeds: fuzz/corpus/rule_load/; dictionary: fuzz/rule_load.dict. */
#include "rule/rule.h"

#include <stdint.h>
#include <string.h>

/* Reads every string a loaded formula holds, so that a dangling pointer shows. */
static size_t walk(const RuleFormula *f)
{
    if (!f) return 0;
    size_t n = (f->text ? strlen(f->text) : 0) + (f->metavar ? strlen(f->metavar) : 0);
    for (size_t i = 0; i < f->nmetavars; i++) n += strlen(f->metavars[i]);
    for (size_t i = 0; i < f->nkids; i++) n += walk(f->kids[i]);
    return n;
}

static size_t walk_specs(const RuleTaintSpecs *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) n += walk(s->v[i].formula);
    return n;
}

static volatile size_t sink;   /* keeps the walks from being optimized away */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    RuleSet *s = rule_set_new();
    DiagList d = {0};
    rule_set_load_string(s, "fuzz.yml", (const char *)data, size, &d);
    size_t n = 0;
    for (size_t i = 0; i < rule_set_count(s); i++) {
        const Rule *r = rule_set_get(s, i);
        n += strlen(r->id) + strlen(r->message) + walk(r->formula);
        n += walk_specs(&r->sources) + walk_specs(&r->sinks) + walk_specs(&r->sanitizers);
        n += walk_specs(&r->propagators) + (r->metadata_json ? strlen(r->metadata_json) : 0);
    }
    for (size_t i = 0; i < d.n; i++) n += strlen(d.v[i].message);
    sink = n;
    rule_set_free(s);
    diag_list_free(&d);
    return 0;
}
