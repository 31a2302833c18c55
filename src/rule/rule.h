/* rule.h: Semgrep-format rules loaded from YAML (rule stage). Placeholder until the
 * rule loader lands; see issue 3. */
#ifndef SLUICE_RULE_H
#define SLUICE_RULE_H
#endif
