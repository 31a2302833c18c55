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
 * pattern; the others are kept. Taint rules are not run here: their specs' patterns
 * are compiled for match_taint_spans(), which the taint stage calls. */
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

/* ---------------------------------------------------------------- taint specs */

/* The taint stage asks this stage where the sources, sinks, sanitizers and
 * propagators of its rules match: each spec's formula is evaluated like a search
 * rule's, with the same range semantics, into spans with their bindings. */
typedef struct MatchSpanBind {
    const char *mv;                 /* interned "$X" */
    AstPos start, end;              /* the bound code */
} MatchSpanBind;

typedef struct MatchSpan {
    AstPos start, end;
    MatchSpanBind *binds;
    uint32_t nbinds;
} MatchSpan;

typedef struct MatchSpanList {
    MatchSpan *v;
    size_t n;
} MatchSpanList;

/* The taint rules the engine compiled, in rule-set order. */
size_t match_engine_taint_count(const MatchEngine *e);
const Rule *match_engine_taint_rule(const MatchEngine *e, size_t i);

/* The spans of every taint rule on one file. specs[i] has one list per spec of
 * taint rule i, in the order sources, sinks, sanitizers, propagators; applies[i]
 * is false when the rule does not run on the file (language, paths:), and a spec
 * whose prefilter rules the file out has an empty list. Owned by arena. */
typedef struct MatchTaintSpans {
    Arena arena;
    size_t nrules;
    bool *applies;
    MatchSpanList **specs;
} MatchTaintSpans;

void match_taint_spans(const MatchEngine *e, LangParser *p, const AstFile *f, Lang lang,
                       MatchTaintSpans *out, DiagList *diags);
void match_taint_spans_free(MatchTaintSpans *s);

/* A finding of rule r at span s of f, made as search findings are (the message with
 * $X from the span's bindings, the matched lines, the metavariables), its strings in
 * out's arena; false when a nosemgrep comment suppresses it. The caller adds it. */
bool match_span_finding(const Rule *r, const AstFile *f, const MatchSpan *s, MatchResults *out,
                        ReportFinding *finding);

/* `sluice test PATH...`: returns the process exit code (0, 1 on a failed test, 2 on
 * a configuration error). */
int match_test_command(int argc, char **argv);

#endif
