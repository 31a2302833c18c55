/* parse_bench.c: measures tree-sitter parsing alone and parse+lower (the parse and
 * lower stages) over the same files, single-threaded, so that the cost of lowering
 * is a ratio. Run by bench/parse; not part of the sluice binary.
 *   parse_bench LANG FILELIST      (one path a line)
 *   parse_bench LANG FILELIST parse|lower|read
 *                                  one pass of one side (or only reading the
 *                                  files), silent: for counting
 *                                  instructions under callgrind, which noise on a
 *                                  shared machine does not move */
#include "lang/lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_java(void);

typedef struct Input { char *path, *src; size_t len; } Input;

static const TSLanguage *ts_language_of(Lang l)
{
    return l == LANG_C ? tree_sitter_c() : l == LANG_PYTHON ? tree_sitter_python() : tree_sitter_java();
}

static double parse_only(Lang lang, const Input *in, size_t n)
{
    TSParser *p = ts_parser_new();
    ts_parser_set_language(p, ts_language_of(lang));
    double t0 = now_seconds();
    for (size_t i = 0; i < n; i++) {
        TSTree *t = ts_parser_parse_string(p, NULL, in[i].src, (uint32_t)in[i].len);
        ts_tree_delete(t);
    }
    double dt = now_seconds() - t0;
    ts_parser_delete(p);
    return dt;
}

static double parse_and_lower(Lang lang, const Input *in, size_t n, size_t *nodes_errors)
{
    LangParser *p = lang_parser_new();
    double t0 = now_seconds();
    for (size_t i = 0; i < n; i++) {
        DiagList d = {0};
        AstFile *f = lang_parse_file(p, lang, in[i].path, in[i].src, in[i].len, &d);
        *nodes_errors += d.n;
        lang_file_free(f);
        diag_list_free(&d);
    }
    double dt = now_seconds() - t0;
    lang_parser_delete(p);
    return dt;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4 || !lang_from_name(argv[1])) {
        fprintf(stderr, "usage: parse_bench LANG FILELIST [parse|lower|read]\n");
        return 2;
    }
    Lang lang = lang_from_name(argv[1]);
    FILE *list = fopen(argv[2], "r");
    if (!list) { perror(argv[2]); return 2; }
    VEC(Input) in = {0};
    size_t bytes = 0, lines = 0;
    char line[4096];
    while (fgets(line, sizeof line, list)) {
        line[strcspn(line, "\n")] = '\0';
        Input x = { .path = xstrdup(line) };
        char err[128];
        if (!file_read_all(line, &x.src, &x.len, err, sizeof err)) { free(x.path); continue; }
        bytes += x.len;
        for (size_t k = 0; k < x.len; k++) lines += x.src[k] == '\n';
        VEC_PUSH(in, x);
    }
    fclose(list);
    if (argc == 4) {
        size_t ignored = 0;
        if (!strcmp(argv[3], "parse")) parse_only(lang, in.v, in.n);
        else if (!strcmp(argv[3], "lower")) parse_and_lower(lang, in.v, in.n, &ignored);
        for (size_t i = 0; i < in.n; i++) { free(in.v[i].path); free(in.v[i].src); }
        VEC_FREE(in);
        base_intern_shutdown();
        return 0;
    }
    /* Best of three for each, alternating, so that neither gets a warmer cache. */
    double best_parse = 1e30, best_lower = 1e30;
    size_t diags = 0;
    for (int round = 0; round < 3; round++) {
        double a = parse_only(lang, in.v, in.n);
        double b = parse_and_lower(lang, in.v, in.n, &diags);
        if (a < best_parse) best_parse = a;
        if (b < best_lower) best_lower = b;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double mb = (double)bytes / 1e6;
    printf("%-7s files %6zu  %8.1f MB  %9zu lines | tree-sitter %6.2f MB/s %9.0f lines/s | "
           "parse+lower %6.2f MB/s %9.0f lines/s | lowering +%.1f%% | peak RSS %ld MB | diags %zu\n",
           argv[1], in.n, mb, lines, mb / best_parse, (double)lines / best_parse,
           mb / best_lower, (double)lines / best_lower,
           (best_lower / best_parse - 1.0) * 100.0, ru.ru_maxrss / 1024, diags / 3);
    for (size_t i = 0; i < in.n; i++) { free(in.v[i].path); free(in.v[i].src); }
    VEC_FREE(in);
    base_intern_shutdown();
    return 0;
}
