/* lower.c: the shared half of lowering tree-sitter trees into the generic AST (lower
 * stage): grammar tables, child collection, positions, text, literals, bounded
 * recursion and the OTHER fallback. The front ends are lower_c.c, lower_python.c and
 * lower_java.c. */
#include "lang/lower.h"

#include <stdlib.h>
#include <string.h>

/* A splice is a BLOCK with this op: BLOCK has no op of its own, so no real node can
 * carry it, and lower_into()/lower_node() never let one escape. */
#define LOWER_SPLICE_OP 1

/* ---------------------------------------------------------------- tables */

typedef struct OpName { const char *tok; AstOp op; } OpName;

/* Operator tokens of all three grammars; a grammar without a token simply has no
 * symbol for it. */
static const OpName binops[] = {
    { "+", AST_OP_ADD }, { "-", AST_OP_SUB }, { "*", AST_OP_MUL }, { "/", AST_OP_DIV },
    { "%", AST_OP_MOD }, { "**", AST_OP_POW }, { "//", AST_OP_FLOORDIV }, { "@", AST_OP_MATMUL },
    { "<<", AST_OP_SHL }, { ">>", AST_OP_SHR }, { ">>>", AST_OP_USHR }, { "&", AST_OP_BITAND },
    { "|", AST_OP_BITOR }, { "^", AST_OP_BITXOR }, { "&&", AST_OP_AND }, { "and", AST_OP_AND },
    { "||", AST_OP_OR }, { "or", AST_OP_OR }, { "==", AST_OP_EQ }, { "!=", AST_OP_NE },
    { "<>", AST_OP_NE }, { "<", AST_OP_LT }, { "<=", AST_OP_LE }, { ">", AST_OP_GT },
    { ">=", AST_OP_GE }, { "is", AST_OP_IS }, { "is not", AST_OP_ISNOT }, { "in", AST_OP_IN },
    { "not in", AST_OP_NOTIN }, { "instanceof", AST_OP_INSTANCEOF },
};
static const OpName unops[] = {
    { "-", AST_OP_NEG }, { "+", AST_OP_PLUS }, { "!", AST_OP_NOT }, { "not", AST_OP_NOT },
    { "~", AST_OP_BITNOT }, { "*", AST_OP_DEREF }, { "&", AST_OP_ADDR },
    { "sizeof", AST_OP_SIZEOF }, { "await", AST_OP_AWAIT },
};
static const OpName asgops[] = {
    { "=", AST_OP_ASSIGN }, { ":=", AST_OP_ASSIGN }, { "+=", AST_OP_ADD }, { "-=", AST_OP_SUB },
    { "*=", AST_OP_MUL }, { "/=", AST_OP_DIV }, { "%=", AST_OP_MOD }, { "**=", AST_OP_POW },
    { "//=", AST_OP_FLOORDIV }, { "@=", AST_OP_MATMUL }, { "<<=", AST_OP_SHL },
    { ">>=", AST_OP_SHR }, { ">>>=", AST_OP_USHR }, { "&=", AST_OP_BITAND },
    { "|=", AST_OP_BITOR }, { "^=", AST_OP_BITXOR },
};

static void fill_ops(const TSLanguage *lang, uint8_t *map, uint32_t nsym,
                     const OpName *ops, size_t nops)
{
    for (size_t i = 0; i < nops; i++) {
        TSSymbol s = ts_language_symbol_for_name(lang, ops[i].tok,
                                                 (uint32_t)strlen(ops[i].tok), false);
        if (s && s < nsym) map[s] = (uint8_t)ops[i].op;
    }
}

void lower_tables_init(LowerTables *t, const LowerLang *def)
{
    memset(t, 0, sizeof *t);
    t->lang = def->language();
    t->nsym = ts_language_symbol_count(t->lang);
    t->code = xcalloc(t->nsym, sizeof *t->code);
    t->binop = xcalloc(t->nsym, 1);
    t->unop = xcalloc(t->nsym, 1);
    t->asgop = xcalloc(t->nsym, 1);
    for (int i = 1; i < def->nsyms; i++) {
        const char *name = def->syms[i];
        TSSymbol s = ts_language_symbol_for_name(t->lang, name, (uint32_t)strlen(name), true);
        if (s && s < t->nsym) t->code[s] = (uint16_t)i;
    }
    for (int i = 1; i < def->nfields && i < LOWER_MAX_FIELDS; i++)
        t->field[i] = ts_language_field_id_for_name(t->lang, def->fields[i],
                                                    (uint32_t)strlen(def->fields[i]));
    fill_ops(t->lang, t->binop, t->nsym, binops, sizeof binops / sizeof *binops);
    fill_ops(t->lang, t->unop, t->nsym, unops, sizeof unops / sizeof *unops);
    fill_ops(t->lang, t->asgop, t->nsym, asgops, sizeof asgops / sizeof *asgops);
}

void lower_tables_free(LowerTables *t)
{
    free(t->code);
    free(t->binop);
    free(t->unop);
    free(t->asgop);
    memset(t, 0, sizeof *t);
}

static AstOp op_of(const Lowerer *L, const uint8_t *map, TSNode tok)
{
    if (ts_node_is_null(tok)) return AST_OP_NONE;
    TSSymbol s = ts_node_symbol(tok);
    return s < L->t->nsym ? (AstOp)map[s] : AST_OP_NONE;
}

AstOp lower_binop(const Lowerer *L, TSNode tok) { return op_of(L, L->t->binop, tok); }
AstOp lower_unop(const Lowerer *L, TSNode tok) { return op_of(L, L->t->unop, tok); }
AstOp lower_asgop(const Lowerer *L, TSNode tok) { return op_of(L, L->t->asgop, tok); }

/* ---------------------------------------------------------------- lowerer */

void lower_init(Lowerer *L, Arena *a, const char *src, uint32_t len, const LowerTables *t,
                LowerFn fn)
{
    memset(L, 0, sizeof *L);
    L->arena = a;
    L->src = src;
    L->len = len;
    L->t = t;
    L->lower = fn;
    L->stack_base = (uintptr_t)__builtin_frame_address(0);
}

void lower_fini(Lowerer *L)
{
    if (L->has_cursor) ts_tree_cursor_delete(&L->cursor);
    VEC_FREE(L->scratch);
}

/* One cursor serves every collection: it is reset to the parent, walks the children
 * once (O(1) each, where ts_node_child(i) is O(i)) and is free again before any child
 * is lowered. */
static LowerSpan collect(Lowerer *L, TSNode n, bool named_only, bool fields)
{
    LowerSpan s = { (uint32_t)L->scratch.n, 0 };
    if (ts_node_is_null(n) || ts_node_child_count(n) == 0) return s;
    if (!L->has_cursor) {
        L->cursor = ts_tree_cursor_new(n);
        L->has_cursor = true;
    } else {
        ts_tree_cursor_reset(&L->cursor, n);
    }
    if (!ts_tree_cursor_goto_first_child(&L->cursor)) return s;
    do {
        TSNode c = ts_tree_cursor_current_node(&L->cursor);
        if (ts_node_is_extra(c) && !ts_node_is_error(c)) continue;
        if (named_only && !ts_node_is_named(c)) continue;
        LowerChild ch = { c, fields ? ts_tree_cursor_current_field_id(&L->cursor) : 0 };
        VEC_PUSH(L->scratch, ch);
        s.n++;
    } while (ts_tree_cursor_goto_next_sibling(&L->cursor));
    return s;
}

LowerSpan lower_kids(Lowerer *L, TSNode n, bool named_only)
{
    return collect(L, n, named_only, false);
}

LowerSpan lower_kids_fields(Lowerer *L, TSNode n, bool named_only)
{
    return collect(L, n, named_only, true);
}

void lower_span_end(Lowerer *L, LowerSpan s)
{
    L->scratch.n = s.at;
}

/* ---------------------------------------------------------------- nodes and text */

AstNode *lower_new(Lowerer *L, AstKind kind, TSNode n)
{
    return ast_new(L->arena, kind, lower_start(n), lower_end(n));
}

AstNode *lower_empty_at(Lowerer *L, AstPos at)
{
    return ast_empty(L->arena, at);
}

void lower_set(Lowerer *L, AstNode *node, AstNode **kids, size_t n)
{
    ast_set_kids(L->arena, node, kids, n);
}

/* Byte range of n clamped to the source, so a malformed tree cannot read past it. */
static const char *node_bytes(const Lowerer *L, TSNode n, size_t *len)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (a > L->len) a = L->len;
    if (b > L->len) b = L->len;
    if (b < a) b = a;
    *len = b - a;
    return L->src + a;
}

const char *lower_intern(Lowerer *L, TSNode n)
{
    size_t len;
    const char *s = node_bytes(L, n, &len);
    return intern_n(s, len);
}

char *lower_text(Lowerer *L, TSNode n)
{
    size_t len;
    const char *s = node_bytes(L, n, &len);
    return arena_strndup(L->arena, s, len);
}

static bool is_word(unsigned char c)
{
    return c == '_' || c == '$' || c >= 0x80 || (c >= '0' && c <= '9') ||
           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\\';
}

const char *lower_type_name(const char *s, size_t n)
{
    char small[256];
    small[0] = '\0';
    char *buf = n < sizeof small ? small : xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_space(c)) { buf[o++] = (char)c; continue; }
        size_t j = i;
        while (j < n && is_space((unsigned char)s[j])) j++;
        if (o > 0 && j < n && is_word((unsigned char)buf[o - 1]) && is_word((unsigned char)s[j]))
            buf[o++] = ' ';
        i = j - 1;
    }
    const char *r = intern_n(buf, o);
    if (buf != small) free(buf);
    return r;
}

AstNode *lower_type_named(Lowerer *L, TSNode n, const char *name)
{
    AstNode *t = lower_new(L, AST_TYPE, n);
    t->name = name;
    return t;
}

AstNode *lower_type(Lowerer *L, TSNode n)
{
    size_t len;
    const char *s = node_bytes(L, n, &len);
    return lower_type_named(L, n, lower_type_name(s, len));
}

char *lower_unquote(Lowerer *L, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != '"' && s[i] != '\'') i++;   /* prefix: L u8 r b f rb ... */
    if (i == n) return arena_strndup(L->arena, s, n);
    char q = s[i];
    size_t ql = (n - i >= 6 && s[i + 1] == q && s[i + 2] == q) ? 3 : 1;
    size_t a = i + ql, b = n;
    if (b >= a + ql && s[b - 1] == q) b -= ql;          /* an unterminated string keeps its tail */
    if (b < a) b = a;
    return arena_strndup(L->arena, s + a, b - a);
}

AstNode *lower_literal(Lowerer *L, TSNode n, AstLitKind kind)
{
    AstNode *lit = lower_new(L, AST_LITERAL, n);
    lit->op = (uint8_t)kind;
    lit->text = lower_text(L, n);
    return lit;
}

AstNode *lower_string(Lowerer *L, TSNode n, AstLitKind kind)
{
    AstNode *lit = lower_new(L, AST_LITERAL, n);
    lit->op = (uint8_t)kind;
    size_t len;
    const char *s = node_bytes(L, n, &len);
    lit->text = lower_unquote(L, s, len);
    return lit;
}

/* ---------------------------------------------------------------- recursion */

static AstNode *too_deep(Lowerer *L, TSNode n)
{
    if (!L->too_deep) {
        L->too_deep = true;
        L->deep_at = lower_start(n);
    }
    AstNode *o = lower_new(L, AST_OTHER, n);
    o->text = ts_node_type(n);
    return o;
}

/* Stacks grow down on every platform sluice builds for. */
static bool stack_exhausted(const Lowerer *L)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    return sp < L->stack_base && L->stack_base - sp > LOWER_STACK_BUDGET;
}

static AstNode *lower_raw(Lowerer *L, TSNode n)
{
    if (L->depth >= LANG_MAX_DEPTH || stack_exhausted(L)) return too_deep(L, n);
    L->depth++;
    AstNode *r = L->lower(L, n);
    L->depth--;
    return r;
}

static bool is_splice(const AstNode *n)
{
    return n->kind == AST_BLOCK && n->op == LOWER_SPLICE_OP;
}

AstNode *lower_node(Lowerer *L, TSNode n)
{
    if (ts_node_is_null(n)) return lower_empty_at(L, (AstPos){ 0, 1, 1 });
    AstNode *r = lower_raw(L, n);
    if (!r) return lower_empty_at(L, lower_start(n));
    if (is_splice(r)) {
        if (r->nkids == 1) return r->kids[0];
        r->op = 0;
    }
    return r;
}

void lower_into(Lowerer *L, TSNode n, AstKids *out)
{
    if (ts_node_is_null(n)) return;
    AstNode *r = lower_raw(L, n);
    if (!r) return;
    if (!is_splice(r)) { VEC_PUSH(*out, r); return; }
    for (uint32_t i = 0; i < r->nkids; i++) VEC_PUSH(*out, r->kids[i]);
}

AstNode *lower_splice(Lowerer *L, TSNode n, AstKids *kids)
{
    AstNode *s = lower_new(L, AST_BLOCK, n);
    s->op = LOWER_SPLICE_OP;
    ast_kids_finish(L->arena, s, kids);
    return s;
}

void lower_named_kids(Lowerer *L, TSNode n, AstKids *out)
{
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) lower_into(L, lower_kid(L, s, i), out);
    lower_span_end(L, s);
}

void lower_set_list(Lowerer *L, AstNode *node, AstNode *head, TSNode list)
{
    AstKids kids = {0};
    if (head) VEC_PUSH(kids, head);
    lower_named_kids(L, list, &kids);
    ast_kids_finish(L->arena, node, &kids);
}

AstNode *lower_with_kids(Lowerer *L, AstKind kind, TSNode n)
{
    AstNode *node = lower_new(L, kind, n);
    AstKids kids = {0};
    lower_named_kids(L, n, &kids);
    ast_kids_finish(L->arena, node, &kids);
    return node;
}

AstNode *lower_other(Lowerer *L, TSNode n)
{
    AstNode *o = lower_with_kids(L, AST_OTHER, n);
    o->text = ts_node_type(n);
    if (ts_node_is_error(n)) o->flags |= AST_F_ERROR;
    return o;
}

AstNode *lower_opt(Lowerer *L, TSNode n, AstPos at)
{
    return ts_node_is_null(n) ? lower_empty_at(L, at) : lower_node(L, n);
}

AstNode *lower_with1(Lowerer *L, AstKind kind, TSNode n, TSNode kid)
{
    AstNode *r = lower_new(L, kind, n);
    AstNode *k = lower_opt(L, kid, lower_end(n));
    lower_set(L, r, &k, 1);
    return r;
}

AstNode *lower_with2(Lowerer *L, AstKind kind, TSNode n, TSNode a, TSNode b)
{
    AstNode *r = lower_new(L, kind, n);
    AstNode *k[2] = { lower_opt(L, a, lower_start(n)), lower_opt(L, b, lower_end(n)) };
    lower_set(L, r, k, 2);
    return r;
}
