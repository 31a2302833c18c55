/* report.h: the report stage: the findings, errors and scanned paths of a run, and
 * the writers that print them as text, Semgrep-compatible JSON or SARIF 2.1.0.
 *
 * A Report owns copies of everything put into it (its own arena), so the stages that
 * fill it may free their files and trees right after. report_sort() puts findings in
 * the one order sluice prints them: path, line, column, rule id, end, message — the
 * same for any -j (the other fields break the remaining ties). It also sorts rules by
 * id, scanned and skipped paths, and errors by place. */
#ifndef SLUICE_REPORT_H
#define SLUICE_REPORT_H

#include "base/base.h"

#include <stdio.h>

typedef struct ReportPos {
    uint32_t line, col, offset;     /* 1-based line and column, byte offset */
} ReportPos;

/* A metavariable binding shown in JSON's extra.metavars. */
typedef struct ReportMetavar {
    const char *name;               /* "$X" */
    ReportPos start, end;
    const char *content;            /* the bound source text */
} ReportMetavar;

/* One step of a data-flow path: the source, each assignment or call, the sink. */
typedef enum ReportStepKind { STEP_SOURCE, STEP_STEP, STEP_SINK } ReportStepKind;
typedef struct ReportStep {
    ReportStepKind kind;
    const char *path;
    ReportPos start, end;
    const char *content;            /* the code of the step */
    const char *note;               /* what happens here ("tainted by pMsgReq->index1") */
} ReportStep;

typedef struct ReportFinding {
    const char *rule_id;
    const char *path;
    ReportPos start, end;
    const char *message;            /* metavariables already interpolated */
    const char *severity;           /* ERROR, WARNING, INFO (Semgrep's) */
    const char *metadata_json;      /* the rule's metadata as JSON text, or NULL */
    const char *lines;              /* the source lines of the match */
    ReportMetavar *metavars;
    size_t nmetavars;
    ReportStep *steps;              /* data-flow path, empty for search findings */
    size_t nsteps;
    const char *fingerprint;        /* stable id for SARIF partialFingerprints, or NULL */
} ReportFinding;

/* A rule as SARIF's tool.driver.rules lists it. */
typedef struct ReportRule {
    const char *id;
    const char *message;
    const char *severity;
    const char *metadata_json;      /* or NULL */
} ReportRule;

typedef struct ReportSkip {
    const char *path;
    const char *reason;             /* "binary file", "exceeds --max-target-bytes", ... */
} ReportSkip;

typedef struct Report {
    Arena arena;                    /* owns every string and array below */
    VEC(ReportFinding) findings;
    VEC(ReportRule) rules;
    VEC(const char *) scanned;      /* paths parsed (sorted by report_sort) */
    VEC(ReportSkip) skipped;
    DiagList errors;                /* owned; freed by report_free */
    const char *version;            /* sluice's version */
} Report;

void report_init(Report *r);
void report_free(Report *r);
void report_set_version(Report *r, const char *version);   /* copied; NULL prints "unknown" */

/* Each add copies its argument deeply into the report's arena. */
void report_add_finding(Report *r, const ReportFinding *f);
void report_add_rule(Report *r, const ReportRule *rule);
void report_add_scanned(Report *r, const char *path);
void report_add_skipped(Report *r, const char *path, const char *reason);
void report_take_errors(Report *r, DiagList *errors);   /* moves them in */

void report_sort(Report *r);

typedef enum ReportFormat { REPORT_TEXT, REPORT_JSON, REPORT_SARIF } ReportFormat;

typedef struct ReportOptions {
    bool color;                     /* ANSI colours: only when writing to a terminal */
    bool show_skipped;              /* text: list skipped files */
} ReportOptions;

/* Write the report; return false if writing failed (errno set). */
bool report_write(const Report *r, ReportFormat fmt, const ReportOptions *opt, FILE *out);
bool report_write_text(const Report *r, const ReportOptions *opt, FILE *out);
bool report_write_json(const Report *r, FILE *out);
bool report_write_sarif(const Report *r, FILE *out);

#endif
