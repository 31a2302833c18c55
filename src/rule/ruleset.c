/* ruleset.c: the RuleSet and where its rules come from (rule stage): rule files,
 * directories of them, and semgrep -e style one-pattern rules. */
#include "rule/rule_internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

RuleSet *rule_set_new(void)
{
    RuleSet *s = xcalloc(1, sizeof *s);
    arena_init(&s->arena);
    return s;
}

void rule_set_free(RuleSet *s)
{
    if (!s) return;
    rule_regex_free_all(&s->regexes);
    VEC_FREE(s->rules);
    arena_free(&s->arena);
    free(s);
}

size_t rule_set_count(const RuleSet *s)
{
    return s->rules.n;
}

const Rule *rule_set_get(const RuleSet *s, size_t i)
{
    return i < s->rules.n ? s->rules.v[i] : NULL;
}

const Rule *rule_set_find(const RuleSet *s, const char *id)
{
    for (size_t i = 0; i < s->rules.n; i++)
        if (!strcmp(s->rules.v[i]->id, id)) return s->rules.v[i];
    return NULL;
}

/* ---------------------------------------------------------------- files */

bool rule_set_load_file(RuleSet *s, const char *path, DiagList *diags)
{
    char *data, err[256];
    size_t len;
    if (!file_read_all(path, &data, &len, err, sizeof err)) {
        diag_add(diags, DIAG_ERROR, RULE_DIAG_PARSE, path, 0, 0, NULL, "%s", err);
        return false;
    }
    bool ok = rule_set_load_string(s, path, data, len, diags);
    free(data);
    return ok;
}

static bool is_rule_file(const char *name)
{
    if (str_ends_with(name, ".test.yml") || str_ends_with(name, ".test.yaml")) return false;
    return str_ends_with(name, ".yml") || str_ends_with(name, ".yaml");
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir, sorted, without hidden ones; NULL when it cannot be read. */
static char **sorted_entries(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) return NULL;
    VEC(char *) names = {0};
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') VEC_PUSH(names, xstrdup(e->d_name));
    closedir(d);
    if (names.n) qsort(names.v, names.n, sizeof *names.v, compare_names);
    *n = names.n;
    return names.v ? names.v : xcalloc(1, sizeof(char *));
}

/* Symbolic links are followed; the depth bound stops a link that loops. */
#define RULE_DIR_MAX_DEPTH 32

static bool load_dir(RuleSet *s, const char *dir, int depth, DiagList *diags)
{
    size_t n = 0;
    char **names = sorted_entries(dir, &n);
    if (!names) {
        diag_add(diags, DIAG_ERROR, RULE_DIAG_PARSE, dir, 0, 0, NULL, "cannot read directory");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char *path = arena_printf(&s->arena, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(path, &st) != 0) continue;   /* a dangling link: not a rule file */
        if (S_ISDIR(st.st_mode) && depth < RULE_DIR_MAX_DEPTH)
            ok &= load_dir(s, path, depth + 1, diags);
        else if (S_ISREG(st.st_mode) && is_rule_file(names[i]))
            ok &= rule_set_load_file(s, path, diags);
        free(names[i]);
    }
    free(names);
    return ok;
}

bool rule_set_load_dir(RuleSet *s, const char *dir, DiagList *diags)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') len--;   /* "rules/" names files "rules/x.yml" */
    char *clean = xstrndup(dir, len);
    bool ok = load_dir(s, clean, 0, diags);
    free(clean);
    return ok;
}

/* ---------------------------------------------------------------- -e PATTERN */

static RuleFormula *pattern_formula(RuleSet *s, const char *pattern, bool regex, DiagList *diags)
{
    RuleFormula *f = arena_alloc(&s->arena, sizeof *f);
    f->kind = regex ? RULE_F_REGEX : RULE_F_PATTERN;
    f->line = f->col = 1;
    f->text = arena_strdup(&s->arena, pattern);
    if (!regex) return f;
    char err[256];
    f->re = rule_regex_compile_plain(s, pattern, false, err, sizeof err);
    if (!f->re)
        diag_add(diags, DIAG_ERROR, RULE_DIAG_REGEX, "-e", 1, 1, "-",
                 "PCRE2 cannot compile '%s': %s", pattern, err);
    return f->re ? f : NULL;
}

/* As semgrep -e: the rule id is "-", the message the pattern, the severity ERROR. */
bool rule_set_add_pattern(RuleSet *s, const char *pattern, const char *lang, DiagList *diags)
{
    bool known, regex = !strcasecmp(lang, "regex");
    Lang l = rule_lang_from_name(lang, &known);
    if (!*pattern) {
        diag_add(diags, DIAG_ERROR, RULE_DIAG_INVALID, "-e", 0, 0, "-", "the pattern is empty");
        return false;
    }
    if (l == LANG_NONE && !regex) {
        diag_add(diags, DIAG_ERROR, known ? RULE_DIAG_UNSUPPORTED : RULE_DIAG_INVALID, "-e", 0, 0,
                 "-", known ? "language '%s' is not supported by sluice yet"
                            : "unknown language '%s'", lang);
        return false;
    }
    RuleFormula *f = pattern_formula(s, pattern, regex, diags);
    if (!f) return false;
    Rule *r = arena_alloc(&s->arena, sizeof *r);
    r->id = "-";
    r->message = f->text;
    r->severity = RULE_SEV_ERROR;
    r->severity_name = "ERROR";
    r->languages = arena_alloc(&s->arena, sizeof *r->languages);
    r->languages[0] = arena_strdup(&s->arena, lang);
    r->nlanguages = 1;
    r->lang_mask = regex ? 0 : 1u << l;
    r->any_language = regex;
    r->formula = f;
    r->path = "-e";
    r->line = r->col = 1;
    VEC_PUSH(s->rules, r);
    return true;
}
