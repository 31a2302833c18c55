/* scan.h: the driver of `sluice scan`: discover targets, then parse, lower and
 * analyse each in parallel, and collect everything into one Report.
 *   paths -> discover -> parse -> lower -> match -> taint -> program -> report */
#ifndef SLUICE_SCAN_H
#define SLUICE_SCAN_H

#include "lang/lang.h"
#include "report/report.h"

#define SCAN_DEFAULT_MAX_TARGET_BYTES (1000 * 1000)   /* Semgrep's default, 1 MB */

/* ---------------------------------------------------------------- discover */

typedef struct ScanTarget {
    char *path;        /* as it will be reported: relative when the root was */
    Lang lang;
} ScanTarget;

typedef VEC(const char *) StrList;

typedef struct DiscoverOptions {
    StrList include;           /* --include globs: when any, only matching files */
    StrList exclude;           /* --exclude globs */
    long long max_target_bytes;/* 0: no limit */
    Lang only_lang;            /* LANG_NONE: every language sluice knows */
} DiscoverOptions;

typedef struct TargetList {
    VEC(ScanTarget) v;
} TargetList;

/* Walks every root (file or directory). Files that cannot be scanned are recorded in
 * the report: unreadable or missing paths and symlink loops as errors, binary and
 * oversized files as skipped with a note. Returns false when a root does not exist,
 * which is a usage error (exit 2). Targets come out sorted by path. */
bool scan_discover(const char *const *roots, size_t nroots, const DiscoverOptions *opt,
                   TargetList *out, Report *report);
void scan_targets_free(TargetList *t);

/* Gitignore-style pattern lists (.sluiceignore). */
typedef struct IgnoreList IgnoreList;
/* The patterns of one .sluiceignore; the caller matches paths relative to its directory. */
IgnoreList *scan_ignore_load(const char *text);
void scan_ignore_free(IgnoreList *l);
/* Decides for one path (relative to the list's dir): 1 ignored, -1 re-included by a
 * "!" pattern, 0 no pattern matched. */
int scan_ignore_match(const IgnoreList *l, const char *relpath, bool is_dir);
/* Glob for --include/--exclude: matches the whole path or any trailing part of it,
 * as Semgrep does: "*.py", "tests/", "src/gen". */
bool scan_glob_match(const char *glob, const char *path);

/* ---------------------------------------------------------------- scan */

struct MatchEngine;
struct TaintEngine;

typedef struct ScanOptions {
    DiscoverOptions discover;
    const struct MatchEngine *engine;  /* search rules to run on each file, or NULL */
    const struct TaintEngine *taint;   /* taint rules to run on each file's functions, or NULL */
    int jobs;                  /* worker threads; <= 0: every core */
    bool progress;             /* a progress line on stderr after a second */
    const char *summaries_in;  /* --summaries FILE: models of code outside the scan */
    const char *summaries_out; /* --emit-summaries FILE: every computed summary */
    bool intraprocedural;      /* --intraprocedural: taint inside each function only,
                                  file by file, no program stage (fast, Semgrep OSS's scope) */
} ScanOptions;

/* Statistics of a run, for --time and the benchmarks. */
typedef struct ScanStats {
    size_t files, bytes, lines;
    double discover_s, parse_s;
    double callgraph_s, summaries_s, report_s;  /* the program stage (taint rules) */
    size_t rounds;                              /* its passes over the program */
    long peak_rss_parse_kb, peak_rss_program_kb;/* peak resident memory after each */
} ScanStats;

/* Runs the pipeline over the targets, filling the report. With taint rules, each
 * file's tree is kept after the per-file stages for the program stage, which runs
 * on all of them at once and is freed before scan_run returns. False when a
 * summaries file could not be read or written (the report says why). */
bool scan_run(const ScanOptions *opt, const TargetList *targets, Report *report, ScanStats *stats);

#endif
