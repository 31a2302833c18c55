/* finding_lines.h: what the match and taint test harnesses share: the start lines of
 * a list of findings, distinct and in order, as the string tests compare. */
#ifndef SLUICE_FINDING_LINES_H
#define SLUICE_FINDING_LINES_H

#include "report/report.h"

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* "3 7 12" (heap): each finding's start line once, ascending. */
static inline char *finding_lines(const ReportFinding *v, size_t n)
{
    int *lines = xcalloc(n ? n : 1, sizeof *lines);
    for (size_t i = 0; i < n; i++) lines[i] = (int)v[i].start.line;
    if (n) qsort(lines, n, sizeof *lines, compare_ints);
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "");
    for (size_t i = 0; i < n; i++)
        if (i == 0 || lines[i] != lines[i - 1]) sb_printf(&b, b.len ? " %d" : "%d", lines[i]);
    free(lines);
    return sb_take(&b);
}

#endif
