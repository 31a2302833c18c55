/* pack.c: the rule packs built into the binary (rule stage): rules/<lang>/<name>.yml
 * embedded by scripts/embed-packs, found by name as Semgrep's --config p/NAME. */
#include "rule/rule_internal.h"

#include <string.h>

size_t rule_pack_count(void)
{
    return rule_pack_data_count;
}

const char *rule_pack_name(size_t i)
{
    return i < rule_pack_data_count ? rule_pack_data[i].name : NULL;
}

const char *rule_pack_short_name(size_t i)
{
    return i < rule_pack_data_count ? rule_pack_data[i].short_name : NULL;
}

void rule_pack_yaml(size_t i, const char **yaml, size_t *len)
{
    *yaml = i < rule_pack_data_count ? (const char *)rule_pack_data[i].yaml : "";
    *len = i < rule_pack_data_count ? rule_pack_data[i].len : 0;
}

static const char *strip_prefix(const char *name)
{
    return str_starts_with(name, "p/") ? name + 2 : name;
}

/* A full name wins; a short name counts only when one pack has it. */
int rule_pack_find(const char *name)
{
    name = strip_prefix(name);
    int found = -1, shorts = 0;
    for (size_t i = 0; i < rule_pack_data_count; i++) {
        if (!strcmp(rule_pack_data[i].name, name)) return (int)i;
        if (!strcmp(rule_pack_data[i].short_name, name)) found = (int)i, shorts++;
    }
    return shorts == 1 ? found : -1;
}

static bool load_pack(RuleSet *s, size_t i, DiagList *diags)
{
    char *label = arena_printf(&s->arena, "p/%s", rule_pack_data[i].name);
    return rule_set_load_string(s, label, (const char *)rule_pack_data[i].yaml,
                                rule_pack_data[i].len, diags);
}

/* "python" selects every pack named "python/...". */
static bool load_group(RuleSet *s, const char *group, DiagList *diags, bool *any)
{
    size_t n = strlen(group);
    bool ok = true;
    for (size_t i = 0; i < rule_pack_data_count; i++)
        if (!strncmp(rule_pack_data[i].name, group, n) && rule_pack_data[i].name[n] == '/') {
            ok &= load_pack(s, i, diags);
            *any = true;
        }
    return ok;
}

static void unknown_pack(const char *name, DiagList *diags)
{
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < rule_pack_data_count; i++)
        sb_printf(&b, "%sp/%s", i ? ", " : "", rule_pack_data[i].name);
    diag_add(diags, DIAG_ERROR, RULE_DIAG_PARSE, name, 0, 0, NULL,
             "no built-in rule pack '%s'; the packs are: %s", name, b.len ? b.s : "(none)");
    sb_free(&b);
}

/* "all" selects every language pack (rules/<language>/...), not the annotated
 * feature tests under other folders, which exist to exercise the engine. */
static bool load_all(RuleSet *s, DiagList *diags)
{
    bool ok = true;
    for (size_t i = 0; i < rule_pack_data_count; i++) {
        const char *name = rule_pack_data[i].name, *slash = strchr(name, '/');
        if (!slash) continue;
        char group[32];
        size_t glen = (size_t)(slash - name);
        if (glen >= sizeof group) continue;
        memcpy(group, name, glen);
        group[glen] = 0;
        if (lang_from_name(group) != LANG_NONE) ok &= load_pack(s, i, diags);
    }
    return ok;
}

bool rule_set_load_pack(RuleSet *s, const char *name, DiagList *diags)
{
    int i = rule_pack_find(name);
    if (i >= 0) return load_pack(s, (size_t)i, diags);
    if (!strcmp(strip_prefix(name), "all")) return load_all(s, diags);
    bool any = false, ok = load_group(s, strip_prefix(name), diags, &any);
    if (!any) unknown_pack(name, diags);
    return any && ok;
}
