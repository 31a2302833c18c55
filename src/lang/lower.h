/* lower.h: what the three front ends share while lowering a tree-sitter tree into the
 * generic AST (lower stage): positions, text, symbol tables, bounded recursion and the
 * OTHER fallback. Internal to src/lang/; lang.h is the module's interface.
 *
 * A front end is a table of the grammar names it cares about (looked up once per
 * LangParser, so the hot path compares small integers, never strings) and one function
 * that lowers a node. Every recursive step goes through lower_node() or lower_into(),
 * which count depth, so that a hostile file cannot overflow the stack. */
#ifndef SLUICE_LANG_LOWER_H
#define SLUICE_LANG_LOWER_H

#include "lang/lang.h"

#include <tree_sitter/api.h>

#define LOWER_MAX_FIELDS 64
/* Stack that lowering may use, whatever LANG_MAX_DEPTH says: sanitizers make frames
 * several times bigger, and the caller's thread may have only the default 8 MB. */
#define LOWER_STACK_BUDGET (3u << 20)

/* Grammar lookups resolved once per language: TSSymbol -> the front end's own code
 * (0 when it has none), TSSymbol -> operator for anonymous operator tokens, and the
 * front end's field codes -> TSFieldId. */
typedef struct LowerTables {
    const TSLanguage *lang;
    uint32_t nsym;
    uint16_t *code;          /* [nsym] */
    uint8_t *binop;          /* [nsym] AstOp of a binary operator token, or 0 */
    uint8_t *unop;           /* [nsym] AstOp of a prefix operator token, or 0 */
    uint8_t *asgop;          /* [nsym] AstOp of an assignment operator token, or 0 */
    TSFieldId field[LOWER_MAX_FIELDS];
} LowerTables;

typedef struct Lowerer Lowerer;
typedef AstNode *(*LowerFn)(Lowerer *L, TSNode n);

/* One front end: its grammar, the names it looks up and its lowering function.
 * syms[i] and fields[i] are the names of the front end's code i (index 0 unused). */
typedef struct LowerLang {
    const TSLanguage *(*language)(void);
    const char *const *syms;
    int nsyms;
    const char *const *fields;
    int nfields;
    LowerFn lower;
} LowerLang;

extern const LowerLang lower_c_lang, lower_python_lang, lower_java_lang;

void lower_tables_init(LowerTables *t, const LowerLang *def);

/* What lang.c lends the pattern parser (pattern.c): a parse of a text under the
 * parse deadline (NULL when it passed), and the language's tables and lowering. */
TSTree *lower_parse_text(LangParser *p, Lang lang, const char *src, uint32_t len);
const LowerTables *lower_parser_tables(LangParser *p, Lang lang);
LowerFn lower_front_end(Lang lang);
void lower_tables_free(LowerTables *t);

/* A child collected by lower_kids(): the node and the field it fills (0 if none). */
typedef struct LowerChild {
    TSNode node;
    TSFieldId field;
} LowerChild;

/* A run of children on the lowerer's scratch stack. Spans nest like calls: release
 * the most recent one first, and read entries by index (the stack may move). */
typedef struct LowerSpan {
    uint32_t at, n;
} LowerSpan;

struct Lowerer {
    Arena *arena;             /* the AstFile's arena: every node and string goes here */
    const char *src;
    uint32_t len;
    const LowerTables *t;
    LowerFn lower;            /* the front end's node function */
    void *lang_state;         /* the front end's own per-file state, if any */
    uint32_t depth;           /* current lower_node() nesting */
    uintptr_t stack_base;     /* frame address where lowering began */
    bool too_deep;            /* the depth limit cut a subtree off */
    AstPos deep_at;           /* where it first did */
    TSTreeCursor cursor;      /* one cursor, reset for every child collection */
    bool has_cursor;
    VEC(LowerChild) scratch;  /* children of the nodes being lowered, as spans */
};

void lower_init(Lowerer *L, Arena *a, const char *src, uint32_t len, const LowerTables *t,
                LowerFn fn);
void lower_fini(Lowerer *L);

/* ---------------------------------------------------------------- grammar */

static inline uint16_t lower_sym(const Lowerer *L, TSNode n)
{
    TSSymbol s = ts_node_symbol(n);
    return s < L->t->nsym ? L->t->code[s] : 0;
}

static inline TSNode lower_field(const Lowerer *L, TSNode n, int field_code)
{
    return ts_node_child_by_field_id(n, L->t->field[field_code]);
}

/* Collects n's children (named ones only, or all), skipping comments and other extras.
 * lower_kids() leaves the field ids 0; lower_kids_fields() fills them, at a cost that
 * grows with the hidden nodes above each child, so it is for nodes with few children. */
LowerSpan lower_kids(Lowerer *L, TSNode n, bool named_only);
LowerSpan lower_kids_fields(Lowerer *L, TSNode n, bool named_only);
void lower_span_end(Lowerer *L, LowerSpan s);
static inline TSNode lower_kid(const Lowerer *L, LowerSpan s, uint32_t i)
{
    return L->scratch.v[s.at + i].node;
}
static inline TSFieldId lower_kid_field(const Lowerer *L, LowerSpan s, uint32_t i)
{
    return L->scratch.v[s.at + i].field;
}

/* The operator of an operator token, by the kind of operator expected; 0 if none. */
AstOp lower_binop(const Lowerer *L, TSNode tok);
AstOp lower_unop(const Lowerer *L, TSNode tok);
AstOp lower_asgop(const Lowerer *L, TSNode tok);

/* ---------------------------------------------------------------- positions, text */

static inline AstPos lower_pos(TSPoint p, uint32_t byte)
{
    return (AstPos){ byte, p.row + 1, p.column + 1 };
}
static inline AstPos lower_start(TSNode n)
{
    return lower_pos(ts_node_start_point(n), ts_node_start_byte(n));
}
static inline AstPos lower_end(TSNode n)
{
    return lower_pos(ts_node_end_point(n), ts_node_end_byte(n));
}

/* A new node spanning n (no children yet). */
AstNode *lower_new(Lowerer *L, AstKind kind, TSNode n);
AstNode *lower_empty_at(Lowerer *L, AstPos at);
/* An optional part: its lowering, or EMPTY at `at` when the node is absent. */
AstNode *lower_opt(Lowerer *L, TSNode n, AstPos at);
/* A node of `kind` for n with one child (EMPTY at n's end when kid is absent). */
AstNode *lower_with1(Lowerer *L, AstKind kind, TSNode n, TSNode kid);
/* ... with two children (EMPTY at n's start / end when absent). */
AstNode *lower_with2(Lowerer *L, AstKind kind, TSNode n, TSNode a, TSNode b);
/* Sets a node's children from an array of nodes. */
void lower_set(Lowerer *L, AstNode *node, AstNode **kids, size_t n);

const char *lower_intern(Lowerer *L, TSNode n);           /* names only */
char *lower_text(Lowerer *L, TSNode n);                   /* arena copy of the source */
/* A type name with whitespace normalised: removed except one space between two word
 * characters ("unsigned int", "Map<String,Integer>", "char*"). Interned. */
const char *lower_type_name(const char *s, size_t n);
AstNode *lower_type(Lowerer *L, TSNode n);                /* TYPE named n's text */
AstNode *lower_type_named(Lowerer *L, TSNode n, const char *name);
/* The contents of a quoted literal: drops a prefix (L, u8, r, b, f, ...) and the
 * quotes, single or triple; escapes stay as written. */
char *lower_unquote(Lowerer *L, const char *s, size_t n);
AstNode *lower_literal(Lowerer *L, TSNode n, AstLitKind kind);  /* text = source */
AstNode *lower_string(Lowerer *L, TSNode n, AstLitKind kind);   /* text = unquoted */

/* ---------------------------------------------------------------- recursion */

/* Lowers n to one node (EMPTY when n is null). Depth-checked: past LANG_MAX_DEPTH
 * the subtree becomes one childless OTHER and the lowerer records where. */
AstNode *lower_node(Lowerer *L, TSNode n);
/* Lowers n, appending its node(s) to out: a construct that lowers to several
 * siblings (C "int a, b;") returns a splice, which is flattened here. */
void lower_into(Lowerer *L, TSNode n, AstKids *out);
/* A splice: a temporary BLOCK whose kids are spliced into the enclosing list by
 * lower_into(); lower_node() turns a leftover one into its single kid or a BLOCK. */
AstNode *lower_splice(Lowerer *L, TSNode n, AstKids *kids);
/* Lowers every named child of n into out. */
void lower_named_kids(Lowerer *L, TSNode n, AstKids *out);
/* Sets node's children to head (when not NULL) followed by the lowered named
 * children of list: a switch's subject and cases, a call's callee and arguments. */
void lower_set_list(Lowerer *L, AstNode *node, AstNode *head, TSNode list);
/* The fallback: OTHER with text = tree-sitter type (flag ERROR for parse errors)
 * and every named child lowered. */
AstNode *lower_other(Lowerer *L, TSNode n);
/* A node of the given kind whose kids are n's named children, lowered. */
AstNode *lower_with_kids(Lowerer *L, AstKind kind, TSNode n);

#endif
