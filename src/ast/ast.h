/* ast.h: the generic AST that every front end lowers into (lower stage) and that
 * matching, taint and summaries read. One shape for C, Python and Java.
 *
 * Nodes live in the arena of the file (or pattern) they came from. Names are
 * interned (compare with ==). Children are never NULL: an absent optional part is
 * an AST_EMPTY node, so walkers need no NULL checks. The layout of each kind's
 * children is fixed and written beside the kind below; front ends must follow it
 * and tests check it. */
#ifndef SLUICE_AST_H
#define SLUICE_AST_H

#include "base/base.h"

#include <stdio.h>

typedef enum AstKind {
    AST_PROGRAM,     /* kids: top-level items */
    AST_FUNC,        /* name (NULL if anonymous); type: return type or NULL;
                        kids: ANNOTATION*, PARAM*, then BLOCK body when defined */
    AST_PARAM,       /* name (NULL if unnamed); type; kids: [default value] */
    AST_BLOCK,       /* kids: statements */
    AST_EXPR_STMT,   /* kids: expr */
    AST_IF,          /* kids: cond, then, else-or-EMPTY */
    AST_LOOP,        /* op: AstLoopKind. WHILE: cond, body[, else]; DO: body, cond;
                        FOR: init, cond, update, body (EMPTY where absent);
                        FOREACH: target, iterable, body[, else] */
    AST_SWITCH,      /* kids: subject, CASE* (Python match: subject, CASE*) */
    AST_CASE,        /* kids: value* (none for default, flag DEFAULT), then BLOCK */
    AST_RETURN,      /* kids: [value] */
    AST_BREAK,       /* no kids */
    AST_CONTINUE,    /* no kids */
    AST_GOTO,        /* name: label */
    AST_LABEL,       /* name: label; kids: [statement] */
    AST_TRY,         /* kids: BLOCK body, CATCH*, then BLOCK with flag FINALLY if any;
                        a Python else-block is a BLOCK with flag ELSE before it */
    AST_CATCH,       /* name: bound variable or NULL; type: caught type(s) or NULL; kids: BLOCK */
    AST_THROW,       /* kids: [value] (throw, raise) */
    AST_DECL,        /* name; type or NULL; kids: [initializer]. Several declarators
                        give several sibling DECLs. flags: STATIC, TYPEDEF, EXTERN, CONST */
    AST_ASSIGN,      /* op: AST_OP_ASSIGN or the compound operator; kids: lhs, rhs */
    AST_CALL,        /* kids: callee, args (KEYWORD for named args). flag NEW for
                        constructors (Java new, callee is a TYPE or IDENT) */
    AST_IDENT,       /* name */
    AST_LITERAL,     /* op: AstLitKind; text: the value (strings unquoted and without
                        prefixes, escapes kept as written); the range gives the raw text */
    AST_FIELD,       /* name: field; kids: object. flag ARROW for C's -> */
    AST_INDEX,       /* kids: object, index */
    AST_BINARY,      /* op: AstOp; kids: lhs, rhs */
    AST_UNARY,       /* op: AstOp; kids: operand */
    AST_CAST,        /* type; kids: expr */
    AST_COND,        /* kids: cond, then, else (?: and Python's x if c else y) */
    AST_LAMBDA,      /* kids: PARAM*, body (expression or BLOCK) */
    AST_INIT_LIST,   /* kids: elements (C braces, Java array initializers);
                        designators become KEYWORD (".f = v" -> name f) */
    AST_COLLECTION,  /* op: AstCollKind; kids: elements (PAIR for dict entries) */
    AST_PAIR,        /* kids: key, value */
    AST_KEYWORD,     /* name; kids: value (keyword argument, designated initializer) */
    AST_CLASS,       /* name; op: AstClassKind; kids: ANNOTATION*, TYPE* with flag BASE
                        (superclasses, interfaces, Python bases), then members */
    AST_IMPORT,      /* name: dotted path of what is imported ("os.path", "a.b.c");
                        text: local alias or NULL; flags FROM, WILDCARD, STATIC */
    AST_ANNOTATION,  /* name: annotation or decorator name (dotted); kids: arguments */
    AST_TYPE,        /* name: the type as written, whitespace normalised; kids: none */
    AST_PREPROC,     /* name: directive ("#include", "#define", "#ifdef", ...);
                        text: the rest of the line; kids: items inside #if blocks */
    AST_ELLIPSIS,    /* "..." in a pattern (a Python Ellipsis literal in a target) */
    AST_METAVAR,     /* name: "$X" or "$...X"; flag VARIADIC for $...X */
    AST_DEEP,        /* kids: expr — "<... e ...>" in a pattern */
    AST_EMPTY,       /* an absent optional part */
    AST_OTHER,       /* text: the tree-sitter node type; kids: whatever it contained;
                        flag ERROR when it came from a parse error */
    AST_KIND_COUNT
} AstKind;

/* Lowering conventions the front ends (src/lang/) follow beyond the layouts above:
 *  - DECL and PARAM: ANNOTATION kids (Java annotations) come first, then the
 *    initializer or default value. Java FUNC/CLASS/DECL text: the modifier keywords
 *    as written ("public static final"); static sets STATIC, final sets CONST.
 *  - TYPE names: whitespace removed except one space between two words ("unsigned
 *    int", "Map<String,Integer>"). C types are built from the declarator: "UINT8*",
 *    "char[64]", "int(*)(int,char**)" for a function pointer.
 *  - C struct/union/enum with a body: a CLASS sibling placed before the DECLs that
 *    use it; an untagged one in a typedef takes the typedef's name, and the DECLs'
 *    type is "struct NAME". Enumerators and members are DECLs. A bitfield width is
 *    an OTHER "bitfield_clause" after its DECL.
 *  - C prototypes are FUNCs without a BLOCK; "(void)" gives no PARAM; "..." is a PARAM
 *    without name, flag VARIADIC. sizeof(type) is UNARY SIZEOF over a TYPE kid; a
 *    compound literal (T){...} is CAST of an INIT_LIST. The empty statement ";" is
 *    dropped. Designators name the KEYWORD as written: "f", "[2]", "a.b".
 *  - PREPROC #if/#ifdef/#elif: text = the condition; kids = the items inside, then
 *    the #elif/#else that follows as a nested PREPROC.
 *  - LITERAL may have kids: the interpolated expressions of a Python f-string, the
 *    macros inside a C string concatenation ("a" PRIx64 "b"); concatenated strings
 *    are one LITERAL whose text joins the parts.
 *  - Python `with A as a, B:` and Java try-with-resources are a TRY whose body BLOCK
 *    starts with the resources: EXPR_STMT(ASSIGN(a, A)) / DECL, EXPR_STMT(B).
 *  - THROW kids: value, then the cause of Python's `raise X from Y`.
 *  - Python: decorators are ANNOTATION kids (first) of the FUNC/CLASS, whose range
 *    then starts at the first decorator; class keyword arguments (metaclass=M) are
 *    KEYWORD kids after the BASE TYPEs; `x: T = v` is ASSIGN with type T and `x: T`
 *    a DECL; `*a` and `**k` in calls and displays are the operand flagged VARIADIC or
 *    KWARGS; `a < b < c` is (a < b) && (b < c) with b lowered twice; elif is an IF
 *    in the else slot, its range running to the end of the chain; pass, global,
 *    nonlocal, assert, del, yield, slices and comprehensions are OTHER with kids.
 *  - Java: package is OTHER "package_declaration" with name = the package; a
 *    constructor is a FUNC named after its class with no type; this(...)/super(...)
 *    are EXPR_STMT(CALL(IDENT this/super, args)); `new T() { body }` puts a CLASS
 *    (no name) last among the CALL's kids; `new T[n]` / `new T[]{...}` are CALL NEW
 *    of TYPE "T[]" with the sizes or the INIT_LIST; enum constants are DECLs
 *    initialised by CALL NEW when they have arguments; record components are DECL
 *    members; `x instanceof T t` has DECL t (type T) as its right side; `T.class` is
 *    FIELD "class" of IDENT T; BREAK/CONTINUE with a label carry it as name; several
 *    for-init or for-update parts make a BLOCK; a switch group with several labels is
 *    one CASE with all the values; yield is OTHER. */

typedef enum AstLoopKind { LOOP_WHILE, LOOP_DO, LOOP_FOR, LOOP_FOREACH } AstLoopKind;

typedef enum AstLitKind {
    LIT_INT, LIT_FLOAT, LIT_STRING, LIT_CHAR, LIT_BOOL, LIT_NULL
} AstLitKind;

typedef enum AstCollKind { COLL_LIST, COLL_TUPLE, COLL_SET, COLL_DICT } AstCollKind;

typedef enum AstClassKind {
    CLASS_CLASS, CLASS_INTERFACE, CLASS_STRUCT, CLASS_UNION, CLASS_ENUM, CLASS_RECORD
} AstClassKind;

typedef enum AstOp {
    AST_OP_NONE,
    AST_OP_ASSIGN,                                            /* = */
    AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD, AST_OP_POW, AST_OP_FLOORDIV,
    AST_OP_MATMUL,
    AST_OP_SHL, AST_OP_SHR, AST_OP_USHR, AST_OP_BITAND, AST_OP_BITOR, AST_OP_BITXOR,
    AST_OP_AND, AST_OP_OR,                                    /* && and, || or */
    AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE,
    AST_OP_IS, AST_OP_ISNOT, AST_OP_IN, AST_OP_NOTIN, AST_OP_INSTANCEOF,
    AST_OP_NEG, AST_OP_PLUS, AST_OP_NOT, AST_OP_BITNOT,       /* unary */
    AST_OP_DEREF, AST_OP_ADDR, AST_OP_SIZEOF, AST_OP_AWAIT,
    AST_OP_PREINC, AST_OP_PREDEC, AST_OP_POSTINC, AST_OP_POSTDEC,
    AST_OP_COMMA,
    AST_OP_COUNT
} AstOp;

enum AstFlag {
    AST_F_STATIC   = 1u << 0,
    AST_F_TYPEDEF  = 1u << 1,
    AST_F_EXTERN   = 1u << 2,
    AST_F_CONST    = 1u << 3,
    AST_F_ARROW    = 1u << 4,   /* FIELD: p->f */
    AST_F_NEW      = 1u << 5,   /* CALL: constructor */
    AST_F_DEFAULT  = 1u << 6,   /* CASE: default */
    AST_F_FINALLY  = 1u << 7,   /* BLOCK: finally clause */
    AST_F_ELSE     = 1u << 8,   /* BLOCK: else clause of try / loop */
    AST_F_BASE     = 1u << 9,   /* TYPE: a base class or interface */
    AST_F_FROM     = 1u << 10,  /* IMPORT: from a import b */
    AST_F_WILDCARD = 1u << 11,  /* IMPORT: * */
    AST_F_VARIADIC = 1u << 12,  /* PARAM: *args, ...; METAVAR: $...X */
    AST_F_KWARGS   = 1u << 13,  /* PARAM: **kwargs; argument **d */
    AST_F_ERROR    = 1u << 14,  /* OTHER: a parse error node */
    AST_F_ASYNC    = 1u << 15,  /* FUNC, LOOP: async */
};

typedef struct AstPos {
    uint32_t offset;   /* byte offset from the start of the source */
    uint32_t line;     /* 1-based */
    uint32_t col;      /* 1-based, in bytes, as Semgrep's JSON */
} AstPos;

typedef struct AstNode AstNode;
struct AstNode {
    uint8_t kind;          /* AstKind */
    uint8_t op;            /* AstOp, AstLoopKind, AstLitKind, AstCollKind, AstClassKind */
    uint16_t flags;        /* AstFlag bits */
    uint32_t nkids;
    const char *name;      /* interned; see the kind */
    const char *text;      /* arena string; see the kind */
    AstNode *type;         /* AST_TYPE, for FUNC/PARAM/DECL/CAST/CATCH, else NULL */
    AstNode *parent;       /* set by ast_link_parents(); NULL for the root */
    AstNode **kids;
    AstPos start, end;     /* end is exclusive */
};

/* The result of lowering one file or pattern: the tree and the source it points into. */
typedef struct AstFile {
    Arena arena;           /* owns every node and string below */
    AstNode *root;
    const char *path;      /* arena copy */
    const char *src;       /* the source text (owned by the caller, not the arena) */
    size_t src_len;
} AstFile;

/* ---------------------------------------------------------------- building */

AstNode *ast_new(Arena *a, AstKind kind, AstPos start, AstPos end);
/* Sets the children from an array (copied into the arena). */
void ast_set_kids(Arena *a, AstNode *n, AstNode **kids, size_t nkids);
AstNode *ast_empty(Arena *a, AstPos at);
/* Sets every node's parent pointer; front ends call it once on the finished root. */
void ast_link_parents(AstNode *root);

/* A growable list of children used while lowering; its storage is the heap and is
 * released by ast_kids_finish(), which moves the nodes into the arena. */
typedef VEC(AstNode *) AstKids;
void ast_kids_finish(Arena *a, AstNode *n, AstKids *kids);

/* ---------------------------------------------------------------- reading */

const char *ast_kind_name(AstKind k);
const char *ast_op_name(AstOp op);   /* "+", "==", "&&", ... */
/* The function body, or NULL for a declaration without one. */
AstNode *ast_func_body(const AstNode *fn);
/* The source text of a node (a slice of src, not NUL-terminated). */
static inline const char *ast_source(const AstFile *f, const AstNode *n, size_t *len)
{
    *len = n->end.offset - n->start.offset;
    return f->src + n->start.offset;
}

/* Visits nodes in pre-order; return false from fn to skip a node's children. */
typedef bool (*AstVisitFn)(AstNode *n, void *ctx);
void ast_walk(AstNode *root, AstVisitFn fn, void *ctx);

/* Writes the tree as an indented S-expression, one node a line, with line:col ranges:
 *   (Func "main" 1:1-3:2
 *     (Param "argc" 1:10-1:18 :type "int")
 * The format is stable: tests compare it. */
void ast_dump(FILE *out, const AstNode *root);
char *ast_dump_string(const AstNode *root);   /* heap string */

#endif
