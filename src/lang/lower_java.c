/* lower_java.c: placeholder */
#include "lang/lower.h"
const TSLanguage *tree_sitter_java(void);
static const char *const names[] = { "" };
static AstNode *lower_x(Lowerer *L, TSNode n) { return lower_other(L, n); }
const LowerLang lower_java_lang = { tree_sitter_java, names, 1, names, 1, lower_x };
