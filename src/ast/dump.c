/* dump.c: the S-expression form of the generic AST that `sluice dump-ast` prints and
 * tests compare. One node a line, indented two spaces a level:
 *   (Kind "name" L:C-L:C :op "+" :type "int" :text "..." :flags "static")  */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

static const char *op_label(const AstNode *n)
{
    static const char *const loops[] = { "while", "do", "for", "foreach" };
    static const char *const lits[] = { "int", "float", "string", "char", "bool", "null" };
    static const char *const colls[] = { "list", "tuple", "set", "dict" };
    static const char *const classes[] = { "class", "interface", "struct", "union", "enum", "record" };
    switch (n->kind) {
    case AST_LOOP: return n->op < 4 ? loops[n->op] : "?";
    case AST_LITERAL: return n->op < 6 ? lits[n->op] : "?";
    case AST_COLLECTION: return n->op < 4 ? colls[n->op] : "?";
    case AST_CLASS: return n->op < 6 ? classes[n->op] : "?";
    case AST_ASSIGN: case AST_BINARY: case AST_UNARY:
        return n->op ? ast_op_name((AstOp)n->op) : NULL;
    default: return NULL;
    }
}

static void put_quoted(StrBuf *b, const char *s)
{
    sb_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { sb_putc(b, '\\'); sb_putc(b, (char)c); }
        else if (c == '\n') sb_puts(b, "\\n");
        else if (c == '\t') sb_puts(b, "\\t");
        else if (c < 32) sb_printf(b, "\\x%02x", c);
        else sb_putc(b, (char)c);
    }
    sb_putc(b, '"');
}

static void put_flags(StrBuf *b, unsigned flags)
{
    static const char *const names[] = {
        "static", "typedef", "extern", "const", "arrow", "new", "default", "finally",
        "else", "base", "from", "wildcard", "variadic", "kwargs", "error", "async",
    };
    if (!flags) return;
    sb_puts(b, " :flags \"");
    bool first = true;
    for (unsigned i = 0; i < 16; i++) {
        if (!(flags & (1u << i))) continue;
        if (!first) sb_putc(b, ' ');
        sb_puts(b, names[i]);
        first = false;
    }
    sb_putc(b, '"');
}

static void dump_line(StrBuf *b, const AstNode *n, int depth)
{
    for (int i = 0; i < depth; i++) sb_puts(b, "  ");
    sb_printf(b, "(%s", ast_kind_name((AstKind)n->kind));
    if (n->name) { sb_putc(b, ' '); put_quoted(b, n->name); }
    sb_printf(b, " %u:%u-%u:%u", n->start.line, n->start.col, n->end.line, n->end.col);
    const char *op = op_label(n);
    if (op) { sb_puts(b, " :op "); put_quoted(b, op); }
    if (n->type && n->type->name) { sb_puts(b, " :type "); put_quoted(b, n->type->name); }
    if (n->text) { sb_puts(b, " :text "); put_quoted(b, n->text); }
    put_flags(b, n->flags);
}

/* Iterative so that a deep tree cannot overflow the stack: each stack entry is a
 * node and whether its closing parenthesis is due. */
typedef struct DumpFrame { const AstNode *n; int depth; bool close; } DumpFrame;

char *ast_dump_string(const AstNode *root)
{
    StrBuf b;
    sb_init(&b);
    if (!root) return sb_take(&b);
    VEC(DumpFrame) st = {0};
    VEC_PUSH(st, ((DumpFrame){ root, 0, false }));
    while (st.n) {
        DumpFrame f = st.v[--st.n];
        if (f.close) { sb_puts(&b, ")"); continue; }
        if (b.len) sb_putc(&b, '\n');
        dump_line(&b, f.n, f.depth);
        VEC_PUSH(st, ((DumpFrame){ f.n, f.depth, true }));
        for (uint32_t i = f.n->nkids; i-- > 0;)
            VEC_PUSH(st, ((DumpFrame){ f.n->kids[i], f.depth + 1, false }));
    }
    VEC_FREE(st);
    sb_putc(&b, '\n');
    return sb_take(&b);
}

void ast_dump(FILE *out, const AstNode *root)
{
    char *s = ast_dump_string(root);
    fputs(s, out);
    free(s);
}
