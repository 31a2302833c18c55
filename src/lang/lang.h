/* lang.h: the language front ends (parse and lower stages): choose a language for a
 * file, parse it with tree-sitter and lower the tree into the generic AST.
 * A language is a front end, nothing more: everything after lowering is shared. */
#ifndef SLUICE_LANG_H
#define SLUICE_LANG_H

#include "ast/ast.h"

typedef enum Lang { LANG_NONE = 0, LANG_C, LANG_PYTHON, LANG_JAVA, LANG_COUNT } Lang;

/* "c", "python", "java"; NULL for LANG_NONE. */
const char *lang_name(Lang l);
/* Accepts Semgrep's language names and aliases ("c", "python", "py", "python3", "java"). */
Lang lang_from_name(const char *name);
/* By extension (.c .h / .py .pyi / .java) and, failing that, a #! line naming python. */
Lang lang_detect(const char *path, const char *head, size_t head_len);

/* Per-thread parsing state (a tree-sitter parser per language); not shared. */
typedef struct LangParser LangParser;
LangParser *lang_parser_new(void);
void lang_parser_delete(LangParser *p);

/* Limits that keep a hostile file from costing the scan. */
#define LANG_MAX_DEPTH 1000          /* deeper subtrees become one OTHER node and a diag */
#define LANG_PARSE_TIMEOUT_S 30.0    /* per file */

/* Parses src (len bytes, owned by the caller and kept alive as long as the AstFile)
 * and lowers it. Never fails outright: parse errors keep the partial tree (as OTHER
 * nodes with flag ERROR) and add a "Syntax error" diag naming the first error's
 * line and column; too-deep nesting and timeouts add diags too. The returned file is
 * freed with lang_file_free(). */
AstFile *lang_parse_file(LangParser *p, Lang lang, const char *path,
                         const char *src, size_t len, DiagList *diags);
void lang_file_free(AstFile *f);

/* Parses a Semgrep pattern in the given language. Metavariables, "...", "$...X" and
 * "<... e ...>" come back as METAVAR, ELLIPSIS and DEEP nodes. The root is the
 * single expression or statement when there is one, else a BLOCK of statements.
 * Returns NULL and sets *err (heap) when the pattern does not parse. */
AstFile *lang_parse_pattern(LangParser *p, Lang lang, const char *pattern, char **err);

#endif
