/* match.h: the match stage: Semgrep search rules evaluated on a file's generic AST,
 * with Semgrep's pattern semantics and range semantics, producing report findings;
 * and `sluice test`, which checks rules against their annotated targets.
 *
 * A MatchEngine is built once from a loaded RuleSet (every pattern parsed for each
 * language its rule names) and is then read-only, so any number of threads may call
 * match_file() at once, each with its own LangParser and MatchResults. */
#ifndef SLUICE_MATCH_H
#define SLUICE_MATCH_H

#include "ast/ast.h"
#include "lang/lang.h"
#include "report/report.h"
#include "rule/rule.h"

/* Diag types the match stage reports. */
#define MATCH_DIAG_PATTERN "Pattern parse error"   /* a pattern that does not parse */
#define MATCH_DIAG_REGEX   "Regex error"           /* PCRE2 limit hit on one file */
#define MATCH_DIAG_LIMIT   "Match limit"           /* matching budget spent on one file */

typedef struct MatchEngine MatchEngine;

/* Compiles every search-mode rule of rules (which must outlive the engine). A rule
 * whose pattern does not parse is left out with a diag naming the rule and quoting the
 * pattern; the others are kept. Taint rules are not this module's and are skipped. */
MatchEngine *match_engine_new(const RuleSet *rules, DiagList *diags);
void match_engine_free(MatchEngine *e);
/* How many rules the engine will run. */
size_t match_engine_rule_count(const MatchEngine *e);

/* The findings of one file, in an arena of their own so that a worker can fill them
 * while the report is written by another thread later. */
typedef struct MatchResults {
    Arena arena;
    VEC(ReportFinding) findings;
} MatchResults;

void match_results_init(MatchResults *r);
void match_results_free(MatchResults *r);
/* Copies every finding into the report. */
void match_results_to_report(const MatchResults *r, Report *report);

/* Runs every rule that applies to f (its language, the rule's paths, the prefilter)
 * in one pass over the AST and appends the findings, minus those a nosemgrep
 * comment suppresses. Regex runaways and exhausted budgets become diags for that
 * rule and file. p parses metavariable-pattern content in another language. */
void match_file(const MatchEngine *e, LangParser *p, const AstFile *f, Lang lang,
                MatchResults *out, DiagList *diags);

/* `sluice test PATH...`: returns the process exit code (0, 1 on a failed test, 2 on
 * a configuration error). */
int match_test_command(int argc, char **argv);

#endif
