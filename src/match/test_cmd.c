/* test_cmd.c: `sluice test PATH...` (rule stage + match stage, Semgrep's convention):
 * each rule file foo.yml is run over its targets (foo.<ext> beside it, or the files
 * of a directory foo/), and the findings are checked against the annotation comments
 * `ruleid:`, `ok:`, `todoruleid:`, `todook:` in the targets. One result per rule and
 * target file; the last line is "N passed, N failed" counting those pairs. Taint
 * rules run through the taint and program stages, as in a scan: the targets of one
 * rule file (the files of foo/) are one program, so flows may cross them. */
#include "match/match_int.h"
#include "taint/taint.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef VEC(char *) PathList;
typedef VEC(int) LineList;

/* What the annotations of one target say about one rule id. */
typedef struct Expect {
    const char *id;
    LineList want;                  /* ruleid: and todook: lines (todook is a known FP) */
} Expect;

typedef VEC(Expect) ExpectList;

typedef struct TestRun {
    int passed, failed;
    bool config_error;
    LangParser *parser;
} TestRun;

/* ---------------------------------------------------------------- files */

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_rule_file(const char *name)
{
    if (str_ends_with(name, ".test.yml") || str_ends_with(name, ".test.yaml")) return false;
    return str_ends_with(name, ".yml") || str_ends_with(name, ".yaml");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, bool recurse, bool rules_only, PathList *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *p = NULL;
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s/%s", dir, e->d_name);
        p = sb_take(&b);
        if (is_dir(p)) {
            if (recurse) list_dir(p, true, rules_only, out);
            free(p);
        } else if (!rules_only || is_rule_file(e->d_name)) {
            VEC_PUSH(*out, p);
        } else {
            free(p);
        }
    }
    closedir(d);
    if (out->n) qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

/* foo.yml's targets: foo.<ext> for a language sluice parses, and every file under foo/. */
static void find_targets(const char *rule_path, PathList *out)
{
    const char *slash = strrchr(rule_path, '/');
    const char *base = slash ? slash + 1 : rule_path;
    size_t stem = (size_t)(strrchr(base, '.') - base);
    char *dir = slash ? xstrndup(rule_path, (size_t)(slash - rule_path)) : xstrdup(".");
    PathList all = {0};
    list_dir(dir, false, false, &all);
    for (size_t i = 0; i < all.n; i++) {
        const char *name = strrchr(all.v[i], '/') + 1;
        if (strncmp(name, base, stem) == 0 && name[stem] == '.' && !is_rule_file(name)
            && lang_detect(name, NULL, 0) != LANG_NONE) {
            VEC_PUSH(*out, all.v[i]);
            all.v[i] = NULL;
        }
    }
    for (size_t i = 0; i < all.n; i++) free(all.v[i]);
    VEC_FREE(all);
    char *sub = xstrndup(rule_path, (size_t)(base - rule_path) + stem);
    if (is_dir(sub)) list_dir(sub, true, false, out);
    free(sub);
    free(dir);
}

/* ---------------------------------------------------------------- annotations */

static Expect *expect_for(ExpectList *l, const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].id, id) == 0) return &l->v[i];
    VEC_PUSH(*l, ((Expect){ .id = intern(id) }));
    return &l->v[l->n - 1];
}

/* The comment text on a line, or NULL; *code says whether code precedes it. */
static const char *comment_of(const char *ls, const char *le, Lang lang, bool *code)
{
    const char *p = ls;
    while (p < le && isspace((unsigned char)*p)) p++;
    for (const char *c = p; c < le; c++) {
        bool hash = lang == LANG_PYTHON && *c == '#';
        bool slash = lang != LANG_PYTHON && c + 1 < le && c[0] == '/' && (c[1] == '/' || c[1] == '*');
        if (hash || slash) {
            *code = c > p;
            return c + (hash ? 1 : 2);
        }
    }
    return NULL;
}

typedef struct Annot {
    int kind;                       /* 'r' ruleid, 'o' ok, 't' todoruleid, 'k' todook */
    char ids[512];
} Annot;

static bool parse_annotation(const char *c, const char *le, Annot *a)
{
    static const struct { const char *word; int kind; } words[] = {
        { "todoruleid:", 't' }, { "todook:", 'k' }, { "ruleid:", 'r' }, { "ok:", 'o' },
    };
    while (c < le && (isspace((unsigned char)*c) || *c == '*')) c++;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i].word);
        if ((size_t)(le - c) < n || strncmp(c, words[i].word, n) != 0) continue;
        a->kind = words[i].kind;
        c += n;
        size_t len = (size_t)(le - c);
        if (len >= sizeof a->ids) len = sizeof a->ids - 1;
        memcpy(a->ids, c, len);
        a->ids[len] = 0;
        char *end = strstr(a->ids, "*/");
        if (end) *end = 0;
        return true;
    }
    return false;
}

static void add_expect(ExpectList *l, const Annot *a, int line)
{
    char *save = NULL;
    char ids[512];
    memcpy(ids, a->ids, sizeof ids);
    for (char *id = strtok_r(ids, ", \t\r", &save); id; id = strtok_r(NULL, ", \t\r", &save)) {
        Expect *e = expect_for(l, id);
        if (a->kind == 'r' || a->kind == 'k') VEC_PUSH(e->want, line);
    }
}

/* A comment annotates its own line when code precedes it, else the next line that
 * is not itself an annotation comment. */
static void read_annotations(const char *src, size_t len, Lang lang, ExpectList *out)
{
    VEC(Annot) pending = {0};
    int line = 1;
    for (const char *ls = src; ls < src + len; line++) {
        const char *le = memchr(ls, '\n', (size_t)(src + len - ls));
        if (!le) le = src + len;
        bool code = false;
        const char *c = comment_of(ls, le, lang, &code);
        Annot a;
        bool is_annot = c && parse_annotation(c, le, &a);
        if (is_annot && code) {
            add_expect(out, &a, line);
        } else if (is_annot) {
            VEC_PUSH(pending, a);
        } else {
            for (size_t i = 0; i < pending.n; i++) add_expect(out, &pending.v[i], line);
            pending.n = 0;
        }
        ls = le + 1;
    }
    VEC_FREE(pending);
}

/* ---------------------------------------------------------------- checking */

static bool has_line(const LineList *l, int line)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == line) return true;
    return false;
}

static void print_lines(const char *what, const LineList *l)
{
    printf("    %s lines:", what);
    for (size_t i = 0; i < l->n; i++) printf(" %d", l->v[i]);
    printf("\n");
}

static void check_rule(TestRun *run, const Rule *r, const char *target, const MatchResults *res,
                       ExpectList *ex)
{
    LineList got = {0}, missed = {0}, extra = {0};
    for (size_t i = 0; i < res->findings.n; i++) {
        const ReportFinding *f = &res->findings.v[i];
        if (strcmp(f->rule_id, r->id) == 0 && !has_line(&got, (int)f->start.line))
            VEC_PUSH(got, (int)f->start.line);
    }
    Expect *e = expect_for(ex, r->id);
    for (size_t i = 0; i < e->want.n; i++)
        if (!has_line(&got, e->want.v[i]) && !has_line(&missed, e->want.v[i]))
            VEC_PUSH(missed, e->want.v[i]);
    for (size_t i = 0; i < got.n; i++)
        if (!has_line(&e->want, got.v[i])) VEC_PUSH(extra, got.v[i]);
    if (!missed.n && !extra.n) {
        run->passed++;
        printf("PASS %s (%s)\n", r->id, target);
    } else {
        run->failed++;
        printf("FAIL %s (%s)\n", r->id, target);
        if (missed.n) print_lines("missed", &missed);
        if (extra.n) print_lines("unexpected", &extra);
    }
    VEC_FREE(got); VEC_FREE(missed); VEC_FREE(extra);
}

static void print_diags(DiagList *d, TestRun *run)
{
    for (size_t i = 0; i < d->n; i++) {
        fprintf(stderr, "%s: %s\n", d->v[i].level == DIAG_ERROR ? "error" : "warning", d->v[i].message);
        if (d->v[i].level == DIAG_ERROR) run->config_error = true;
    }
}

/* One target: read, parsed and searched; its taint findings come later. */
typedef struct Target {
    const char *path;
    char *src;
    size_t len;
    Lang lang;
    AstFile *file;
    MatchResults res;
} Target;

static bool load_target(TestRun *run, const MatchEngine *e, Target *t, DiagList *diags)
{
    char err[256];
    match_results_init(&t->res);
    if (!file_read_all(t->path, &t->src, &t->len, err, sizeof err)) {
        fprintf(stderr, "error: %s\n", err);
        run->config_error = true;
        return false;
    }
    t->lang = lang_detect(t->path, t->src, t->len);
    t->file = lang_parse_file(run->parser, t->lang, t->path, t->src, t->len, diags);
    match_file(e, run->parser, t->file, t->lang, &t->res, diags);
    return true;
}

static void check_target(TestRun *run, const RuleSet *rs, Target *t)
{
    ExpectList ex = {0};
    read_annotations(t->src, t->len, t->lang, &ex);
    for (size_t i = 0; i < rule_set_count(rs); i++) {
        const Rule *r = rule_set_get(rs, i);
        bool runs = r->mode == RULE_MODE_SEARCH || r->mode == RULE_MODE_TAINT;
        if (runs && (r->any_language || (r->lang_mask & (1u << t->lang))))
            check_rule(run, r, t->path, &t->res, &ex);
    }
    for (size_t i = 0; i < ex.n; i++) VEC_FREE(ex.v[i].want);
    VEC_FREE(ex);
}

static void test_targets(TestRun *run, const RuleSet *rs, const MatchEngine *e, const TaintEngine *te,
                         PathList *paths)
{
    size_t n = paths->n;
    Target *t = xcalloc(n + 1, sizeof *t);
    bool *ok = xcalloc(n + 1, sizeof *ok);
    MatchResults *taint = xcalloc(n + 1, sizeof *taint);
    DiagList diags = {0};
    TaintProgramOptions po = { .jobs = 1 };
    TaintProgram *prog = taint_engine_rule_count(te) ? taint_program_new(te, n, &po) : NULL;
    for (size_t i = 0; i < n; i++) {
        t[i].path = paths->v[i];
        match_results_init(&taint[i]);
        ok[i] = load_target(run, e, &t[i], &diags);
        if (ok[i] && prog) taint_program_add_file(prog, i, run->parser, t[i].file, t[i].lang, &diags);
    }
    if (prog) taint_program_run(prog, taint, &diags);
    for (size_t i = 0; i < diags.n; i++)
        fprintf(stderr, "warning: %s\n", diags.v[i].message);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < taint[i].findings.n; k++) {
            ReportFinding *f = &taint[i].findings.v[k];   /* check_rule reads ids and lines */
            VEC_PUSH(t[i].res.findings, *f);
        }
        if (ok[i]) check_target(run, rs, &t[i]);
    }
    taint_program_free(prog);
    for (size_t i = 0; i < n; i++) {
        match_results_free(&t[i].res);
        match_results_free(&taint[i]);
        if (t[i].file) lang_file_free(t[i].file);
        free(t[i].src);
    }
    diag_list_free(&diags);
    free(t);
    free(ok);
    free(taint);
}

static void test_rule_file(TestRun *run, const char *path)
{
    PathList targets = {0};
    find_targets(path, &targets);
    if (!targets.n) {
        fprintf(stderr, "warning: %s: no target with the same base name; skipped\n", path);
        return;
    }
    RuleSet *rs = rule_set_new();
    DiagList diags = {0};
    rule_set_load_file(rs, path, &diags);
    MatchEngine *e = match_engine_new(rs, &diags);
    TaintEngine *te = taint_engine_new(e, NULL);
    print_diags(&diags, run);
    test_targets(run, rs, e, te, &targets);
    for (size_t i = 0; i < targets.n; i++) free(targets.v[i]);
    VEC_FREE(targets);
    diag_list_free(&diags);
    taint_engine_free(te);
    match_engine_free(e);
    rule_set_free(rs);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: sluice test PATH...\n"
                 "  Runs each rule file (*.yml, *.yaml) under PATH over the targets with the same\n"
                 "  base name (foo.yml -> foo.py, foo.c, foo.java, or the files under foo/) and\n"
                 "  checks its findings against `ruleid:`, `ok:`, `todoruleid:` and `todook:`\n"
                 "  comments; a comment annotates the next line that is not an annotation.\n"
                 "  Prints one result per rule and target file, then \"N passed, N failed\".\n"
                 "  Exit status: 0 all passed, 1 a test failed, 2 a configuration error.\n");
}

int match_test_command(int argc, char **argv)
{
    PathList rules = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) { usage(stdout); return 0; }
        if (argv[i][0] == '-') { fprintf(stderr, "sluice test: unknown option '%s'\n", argv[i]); usage(stderr); return 2; }
        if (is_dir(argv[i])) list_dir(argv[i], true, true, &rules);
        else if (is_rule_file(argv[i])) VEC_PUSH(rules, xstrdup(argv[i]));
        else { fprintf(stderr, "sluice test: %s: not a rule file or directory\n", argv[i]); return 2; }
    }
    if (argc < 2) { usage(stderr); return 2; }
    TestRun run = { .parser = lang_parser_new() };
    for (size_t i = 0; i < rules.n; i++) {
        test_rule_file(&run, rules.v[i]);
        free(rules.v[i]);
    }
    VEC_FREE(rules);
    lang_parser_delete(run.parser);
    printf("%d passed, %d failed\n", run.passed, run.failed);
    if (run.config_error) return 2;
    return run.failed ? 1 : 0;
}
