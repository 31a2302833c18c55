/* report_int.h: what the report stage's writers share and nobody else needs: clean
 * UTF-8, jansson helpers, severity names. Private to src/report/. */
#ifndef SLUICE_REPORT_INT_H
#define SLUICE_REPORT_INT_H

#include "report/report.h"

#include <jansson.h>

/* True when s[0..n) is well-formed UTF-8 as jansson checks it: no overlong forms,
 * no surrogates, nothing above U+10FFFF. */
bool report_utf8_valid(const char *s, size_t n);

/* A heap copy of s with every byte that is not part of a well-formed UTF-8 sequence
 * replaced by U+FFFD, so that source lines of any bytes can go into JSON. */
char *report_utf8_clean(const char *s);

/* A JSON string of s made valid UTF-8 first; "" for NULL. Never returns NULL. */
json_t *report_json_str(const char *s);

/* {"line","col","offset"}: Semgrep's position. */
json_t *report_json_pos(ReportPos p);

/* The rule's metadata text parsed, or {} when absent or not valid JSON. */
json_t *report_json_metadata(const char *metadata_json);

/* Writes root indented with a final newline and releases it. False on a write error. */
bool report_json_dump(json_t *root, FILE *out);

/* "error", "warning" or "note": SARIF's level for a Semgrep severity. */
const char *report_sarif_level(const char *severity);

/* The path a data-flow step is in: its own, or the finding's when it has none. */
const char *report_step_path(const ReportFinding *f, const ReportStep *s);

#endif
