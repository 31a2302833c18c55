/* scan.c: the stages of `sluice scan`: per file in parallel, read, parse, lower,
 * match (search rules) and the spans of the taint rules; then the program stage
 * (call graph, summaries, interprocedural taint) over every file at once. Each
 * file's results are stored by its index and merged in target order, so the report
 * is the same for any -j. */
#include "scan.h"
#include "match/match.h"
#include "taint/taint.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one file produced; merged into the report after the parallel loop. */
typedef struct FileResult {
    DiagList diags;
    bool scanned;
    const char *skip_reason;   /* static string, or NULL */
    size_t bytes, lines;
    MatchResults matches;      /* findings of the search rules */
    AstFile *ast;              /* kept for the program stage (taint rules) */
    char *src;
} FileResult;

typedef struct ScanJob {
    const ScanOptions *opt;
    const TargetList *targets;
    FileResult *results;
    LangParser **parsers;      /* one per worker */
    TaintProgram *program;     /* the program stage, when there are taint rules */
    atomic_size_t done;
    pthread_mutex_t progress_lock;
    double started, last_progress;
} ScanJob;

static size_t count_lines(const char *s, size_t n)
{
    size_t lines = n > 0 && s[n - 1] != '\n' ? 1 : 0;
    for (const char *p = s; (p = memchr(p, '\n', (size_t)(s + n - p))) != NULL; p++) lines++;
    return lines;
}

/* Invalid UTF-8 does not stop a scan (tree-sitter copes); it is noted once per file. */
static long first_invalid_utf8_line(const char *s, size_t n)
{
    long line = 1;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') line++;
        if (c < 0x80) { i++; continue; }
        size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || i + len > n || (len == 2 && c < 0xC2)) return line;
        for (size_t k = 1; k < len; k++)
            if (((unsigned char)s[i + k] & 0xC0) != 0x80) return line;
        i += len;
    }
    return 0;
}

static void show_progress(ScanJob *job, bool final)
{
    if (!job->opt->progress) return;
    double t = now_seconds();
    if (!final && (t - job->started < 1.0 || t - job->last_progress < 0.2)) return;
    if (pthread_mutex_trylock(&job->progress_lock) != 0) return;
    size_t done = atomic_load(&job->done), total = job->targets->v.n;
    if (final) {
        if (job->last_progress > 0) fprintf(stderr, "\r\033[K");
    } else {
        fprintf(stderr, "\rscanning: %zu/%zu files (%zu%%)\033[K", done, total,
                total ? done * 100 / total : 100);
        job->last_progress = t;
    }
    fflush(stderr);
    pthread_mutex_unlock(&job->progress_lock);
}

static void scan_one(void *ctx, size_t index, int worker)
{
    ScanJob *job = ctx;
    const ScanTarget *t = &job->targets->v.v[index];
    FileResult *r = &job->results[index];
    char *src;
    size_t len;
    char err[256];
    if (!file_read_all(t->path, &src, &len, err, sizeof err)) {
        diag_add(&r->diags, DIAG_ERROR, "Read error", t->path, 0, 0, NULL, "%s", err);
        goto done;
    }
    if (file_looks_binary(src, len)) {
        r->skip_reason = "binary file";
        free(src);
        goto done;
    }
    long bad_line = first_invalid_utf8_line(src, len);
    if (bad_line)
        diag_add(&r->diags, DIAG_WARN, "Invalid UTF-8", t->path, (int)bad_line, 0, NULL,
                 "invalid UTF-8 at line %ld; scanned as bytes", bad_line);
    AstFile *f = lang_parse_file(job->parsers[worker], t->lang, t->path, src, len, &r->diags);
    r->scanned = true;
    r->bytes = len;
    r->lines = count_lines(src, len);
    if (job->opt->engine)
        match_file(job->opt->engine, job->parsers[worker], f, t->lang, &r->matches, &r->diags);
    if (job->opt->taint && job->opt->intraprocedural)
        taint_file(job->opt->taint, job->parsers[worker], f, t->lang, &r->matches, &r->diags);
    if (job->program && taint_program_add_file(job->program, index, job->parsers[worker], f, t->lang,
                                               &r->diags)) {
        r->ast = f;          /* the program stage reads every file at once */
        r->src = src;
    } else {
        lang_file_free(f);
        free(src);
    }
done:
    atomic_fetch_add(&job->done, 1);
    show_progress(job, false);
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* The program stage: summaries in, the interprocedural analysis, summaries out. */
static bool run_program(const ScanOptions *opt, ScanJob *job, Report *report, ScanStats *stats)
{
    size_t n = job->targets->v.n;
    bool ok = true;
    DiagList diags = {0};
    if (opt->summaries_in) ok = taint_program_load_models(job->program, opt->summaries_in, &diags);
    MatchResults *out = xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++) match_results_init(&out[i]);
    taint_program_run(job->program, out, &diags);
    double t = now_seconds();
    if (opt->summaries_out) {
        FILE *f = fopen(opt->summaries_out, "w");
        if (!f || !taint_program_write_summaries(job->program, f)) {
            diag_add(&diags, DIAG_ERROR, "Summaries error", opt->summaries_out, 0, 0, NULL,
                     "cannot write the summaries: %s", strerror(errno));
            ok = false;
        }
        if (f) fclose(f);
    }
    for (size_t i = 0; i < n; i++) {
        match_results_to_report(&out[i], report);
        match_results_free(&out[i]);
    }
    free(out);
    report_take_errors(report, &diags);
    if (stats) {
        taint_program_times(job->program, &stats->callgraph_s, &stats->summaries_s, &stats->rounds);
        stats->report_s = now_seconds() - t;
        stats->peak_rss_program_kb = peak_rss_kb();
    }
    return ok;
}

bool scan_run(const ScanOptions *opt, const TargetList *targets, Report *report, ScanStats *stats)
{
    bool ok = true;
    size_t n = targets->v.n;
    int workers = opt->jobs > 0 ? opt->jobs : cpu_count();
    ScanJob job = { .opt = opt, .targets = targets };
    job.results = xcalloc(n ? n : 1, sizeof *job.results);
    for (size_t i = 0; i < n; i++) match_results_init(&job.results[i].matches);
    job.parsers = xcalloc((size_t)workers, sizeof *job.parsers);
    for (int i = 0; i < workers; i++) job.parsers[i] = lang_parser_new();
    atomic_init(&job.done, 0);
    pthread_mutex_init(&job.progress_lock, NULL);
    job.started = now_seconds();
    if (opt->taint && !opt->intraprocedural) {
        TaintProgramOptions po = { .all_summaries = opt->summaries_out != NULL, .jobs = workers };
        job.program = taint_program_new(opt->taint, n, &po);
    }

    parallel_for(n, workers, scan_one, &job);
    show_progress(&job, true);
    if (stats) {
        stats->parse_s = now_seconds() - job.started;
        stats->peak_rss_parse_kb = peak_rss_kb();
    }
    if (job.program) ok = run_program(opt, &job, report, stats);

    for (size_t i = 0; i < n; i++) {
        FileResult *r = &job.results[i];
        const char *path = targets->v.v[i].path;
        if (r->scanned) report_add_scanned(report, path);
        if (r->skip_reason) report_add_skipped(report, path, r->skip_reason);
        report_take_errors(report, &r->diags);
        match_results_to_report(&r->matches, report);
        match_results_free(&r->matches);
        if (r->ast) lang_file_free(r->ast);
        free(r->src);
        if (stats) {
            stats->files += r->scanned;
            stats->bytes += r->bytes;
            stats->lines += r->lines;
        }
    }
    taint_program_free(job.program);
    for (int i = 0; i < workers; i++) lang_parser_delete(job.parsers[i]);
    pthread_mutex_destroy(&job.progress_lock);
    free(job.parsers);
    free(job.results);
    return ok;
}
