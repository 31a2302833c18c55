/* taint_bench.c: throughput of the taint stage (bench/taint): the same files parsed
 * and lowered alone, then with a pack of search rules, then with a pack of taint
 * rules, on every core, with the time of each and the findings. Patterns go through
 * the unit tests' harness, so the benchmark runs before the front ends parse
 * Semgrep patterns. Not part of the sluice binary. */
#include "taint_harness.h"

typedef struct Bench {
    char **paths;
    size_t n;
    LangParser **parsers;
    TaintHarness *search, *taint;
    int mode;                     /* 0 parse, 1 search, 2 taint */
    size_t *findings, *errors;
} Bench;

static void one(void *ctx, size_t i, int worker)
{
    Bench *b = ctx;
    char *src;
    size_t len;
    char err[256];
    if (!file_read_all(b->paths[i], &src, &len, err, sizeof err)) return;
    DiagList d = {0};
    AstFile *f = lang_parse_file(b->parsers[worker], LANG_C, b->paths[i], src, len, &d);
    MatchResults res;
    match_results_init(&res);
    if (b->mode == 1) match_file(b->search->e, b->parsers[worker], f, LANG_C, &res, &d);
    if (b->mode == 2) taint_file(b->taint->te, b->parsers[worker], f, LANG_C, &res, &d);
    b->findings[i] = res.findings.n;
    b->errors[i] = 0;
    for (size_t k = 0; k < d.n; k++) b->errors[i] += !strcmp(d.v[k].type, TAINT_DIAG_LIMIT);
    match_results_free(&res);
    diag_list_free(&d);
    lang_file_free(f);
    free(src);
}

/* The search pack: each rule's formula compiled through the harness. */
static void load_search(TaintHarness *h, const char *yaml)
{
    th_load(h, "rules: []\n", LANG_C, NULL);
    DiagList d = {0};
    rule_set_load_string(h->rs, "search.yml", yaml, strlen(yaml), &d);
    diag_list_free(&d);
    for (size_t i = 0; i < rule_set_count(h->rs); i++) {
        MatchRule mr = { .rule = rule_set_get(h->rs, i), .lang_mask = 1u << LANG_C };
        th_leaves(h, &mr, mr.rule->formula, LANG_C);
        VEC_PUSH(h->e->v, mr);
    }
    h->e->npatterns = h->next;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: taint_bench TAINT.yml SEARCH.yml FILE-LIST [JOBS]\n");
        return 2;
    }
    char *taint_yaml = NULL, *search_yaml = NULL, *list = NULL;
    size_t n;
    char err[256];
    if (!file_read_all(argv[1], &taint_yaml, &n, err, sizeof err) || !file_read_all(argv[2], &search_yaml, &n, err, sizeof err)
        || !file_read_all(argv[3], &list, &n, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    int jobs = argc > 4 ? atoi(argv[4]) : cpu_count();
    Bench b = {0};
    VEC(char *) paths = {0};
    size_t bytes = 0;
    for (char *s = strtok(list, "\n"); s; s = strtok(NULL, "\n")) VEC_PUSH(paths, s);
    b.paths = paths.v;
    b.n = paths.n;
    b.parsers = xcalloc((size_t)jobs, sizeof *b.parsers);
    for (int i = 0; i < jobs; i++) b.parsers[i] = lang_parser_new();
    b.findings = xcalloc(b.n + 1, sizeof *b.findings);
    b.errors = xcalloc(b.n + 1, sizeof *b.errors);
    TaintHarness taint, search;
    th_load(&taint, taint_yaml, LANG_C, NULL);
    load_search(&search, search_yaml);
    b.taint = &taint;
    b.search = &search;
    for (size_t i = 0; i < b.n; i++) {
        char *s;
        size_t len;
        if (file_read_all(b.paths[i], &s, &len, err, sizeof err)) { bytes += len; free(s); }
    }
    static const char *const names[] = {"parse+lower only", "+ 20 search rules", "+ 20 taint rules"};
    double base = 0;
    for (int mode = 0; mode < 3; mode++) {
        b.mode = mode;
        double t0 = now_seconds();
        parallel_for(b.n, jobs, one, &b);
        double t = now_seconds() - t0;
        size_t found = 0, errors = 0;
        for (size_t i = 0; i < b.n; i++) found += b.findings[i], errors += b.errors[i];
        if (mode == 0) base = t;
        printf("%-18s %7.2f s  %7.1f MB/s  %6zu findings  %zu taint-limit errors  (%.2fx parse)\n",
               names[mode], t, (double)bytes / 1e6 / t, found, errors, t / base);
    }
    printf("%zu files, %.1f MB, %d threads, %zu taint rules\n", b.n, (double)bytes / 1e6, jobs,
           rule_set_count(taint.rs));
    th_free(&taint);
    th_free(&search);
    for (int i = 0; i < jobs; i++) lang_parser_delete(b.parsers[i]);
    free(b.parsers);
    free(b.findings);
    free(b.errors);
    VEC_FREE(paths);
    free(list);
    free(taint_yaml);
    free(search_yaml);
    base_intern_shutdown();
    return 0;
}
