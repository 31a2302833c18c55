/* names.c: the printable names of AST kinds and operators, used by dumps and messages. */
#include "ast.h"

static const char *const kind_names[AST_KIND_COUNT] = {
    [AST_PROGRAM] = "Program", [AST_FUNC] = "Func", [AST_PARAM] = "Param",
    [AST_BLOCK] = "Block", [AST_EXPR_STMT] = "ExprStmt", [AST_IF] = "If",
    [AST_LOOP] = "Loop", [AST_SWITCH] = "Switch", [AST_CASE] = "Case",
    [AST_RETURN] = "Return", [AST_BREAK] = "Break", [AST_CONTINUE] = "Continue",
    [AST_GOTO] = "Goto", [AST_LABEL] = "Label", [AST_TRY] = "Try", [AST_CATCH] = "Catch",
    [AST_THROW] = "Throw", [AST_DECL] = "Decl", [AST_ASSIGN] = "Assign", [AST_CALL] = "Call",
    [AST_IDENT] = "Ident", [AST_LITERAL] = "Literal", [AST_FIELD] = "Field",
    [AST_INDEX] = "Index", [AST_BINARY] = "Binary", [AST_UNARY] = "Unary",
    [AST_CAST] = "Cast", [AST_COND] = "Cond", [AST_LAMBDA] = "Lambda",
    [AST_INIT_LIST] = "InitList", [AST_COLLECTION] = "Collection", [AST_PAIR] = "Pair",
    [AST_KEYWORD] = "Keyword", [AST_CLASS] = "Class", [AST_IMPORT] = "Import",
    [AST_ANNOTATION] = "Annotation", [AST_TYPE] = "Type", [AST_PREPROC] = "Preproc",
    [AST_ELLIPSIS] = "Ellipsis", [AST_METAVAR] = "Metavar", [AST_DEEP] = "Deep",
    [AST_EMPTY] = "Empty", [AST_OTHER] = "Other",
};

const char *ast_kind_name(AstKind k)
{
    return k < AST_KIND_COUNT && kind_names[k] ? kind_names[k] : "?";
}

static const char *const op_names[AST_OP_COUNT] = {
    [AST_OP_NONE] = "", [AST_OP_ASSIGN] = "=",
    [AST_OP_ADD] = "+", [AST_OP_SUB] = "-", [AST_OP_MUL] = "*", [AST_OP_DIV] = "/",
    [AST_OP_MOD] = "%", [AST_OP_POW] = "**", [AST_OP_FLOORDIV] = "//", [AST_OP_MATMUL] = "@",
    [AST_OP_SHL] = "<<", [AST_OP_SHR] = ">>", [AST_OP_USHR] = ">>>",
    [AST_OP_BITAND] = "&", [AST_OP_BITOR] = "|", [AST_OP_BITXOR] = "^",
    [AST_OP_AND] = "&&", [AST_OP_OR] = "||",
    [AST_OP_EQ] = "==", [AST_OP_NE] = "!=", [AST_OP_LT] = "<", [AST_OP_LE] = "<=",
    [AST_OP_GT] = ">", [AST_OP_GE] = ">=", [AST_OP_IS] = "is", [AST_OP_ISNOT] = "is not",
    [AST_OP_IN] = "in", [AST_OP_NOTIN] = "not in", [AST_OP_INSTANCEOF] = "instanceof",
    [AST_OP_NEG] = "-", [AST_OP_PLUS] = "+", [AST_OP_NOT] = "!", [AST_OP_BITNOT] = "~",
    [AST_OP_DEREF] = "*", [AST_OP_ADDR] = "&", [AST_OP_SIZEOF] = "sizeof",
    [AST_OP_AWAIT] = "await",
    [AST_OP_PREINC] = "++x", [AST_OP_PREDEC] = "--x", [AST_OP_POSTINC] = "x++",
    [AST_OP_POSTDEC] = "x--", [AST_OP_COMMA] = ",",
};

const char *ast_op_name(AstOp op)
{
    return op < AST_OP_COUNT && op_names[op] ? op_names[op] : "?";
}
