/* lower_c.c: the C front end (lower stage): tree-sitter-c trees into the generic AST.
 * Declarators are unwound into a name, a type string and, for functions, a parameter
 * list; struct/union/enum bodies become CLASS nodes beside the declarations that use
 * them; preprocessor lines stay as PREPROC nodes holding the items of #if blocks. */
#include "lang/lower.h"

#include <string.h>

const TSLanguage *tree_sitter_c(void);

/* The grammar names this front end looks up, as codes S_<name>. */
#define C_SYMS(X) \
    X(translation_unit) X(function_definition) X(declaration) X(type_definition) \
    X(field_declaration) X(field_declaration_list) X(struct_specifier) X(union_specifier) \
    X(enum_specifier) X(enumerator_list) X(enumerator) X(init_declarator) \
    X(pointer_declarator) X(array_declarator) X(function_declarator) \
    X(parenthesized_declarator) X(attributed_declarator) X(parameter_list) \
    X(parameter_declaration) X(variadic_parameter) X(type_descriptor) \
    X(storage_class_specifier) X(type_qualifier) X(identifier) X(field_identifier) \
    X(type_identifier) X(statement_identifier) X(compound_statement) \
    X(expression_statement) X(if_statement) X(else_clause) X(for_statement) \
    X(while_statement) X(do_statement) X(switch_statement) X(case_statement) \
    X(return_statement) X(break_statement) X(continue_statement) X(goto_statement) \
    X(labeled_statement) X(assignment_expression) X(binary_expression) \
    X(unary_expression) X(pointer_expression) X(update_expression) X(cast_expression) \
    X(sizeof_expression) X(call_expression) X(argument_list) X(field_expression) \
    X(subscript_expression) X(conditional_expression) X(comma_expression) \
    X(parenthesized_expression) X(number_literal) X(string_literal) \
    X(concatenated_string) X(char_literal) X(true) X(false) X(null) X(initializer_list) \
    X(initializer_pair) X(compound_literal_expression) X(preproc_include) X(preproc_def) \
    X(preproc_function_def) X(preproc_call) X(preproc_if) X(preproc_ifdef) \
    X(preproc_else) X(preproc_elif) X(preproc_elifdef) X(attributed_statement) \
    X(declaration_list) X(linkage_specification) X(macro_type_specifier)

#define C_FIELDS(X) \
    X(type) X(declarator) X(value) X(body) X(name) X(parameters) X(condition) \
    X(consequence) X(alternative) X(initializer) X(update) X(left) X(right) X(operator) \
    X(argument) X(function) X(arguments) X(field) X(index) X(designator) X(path) \
    X(directive) X(label) X(size)

#define AS_CODE(n) S_##n,
#define AS_FIELD(n) F_##n,
#define AS_NAME(n) #n,
enum { S_NONE_, C_SYMS(AS_CODE) S_COUNT_ };
enum { F_NONE_, C_FIELDS(AS_FIELD) F_COUNT_ };
static const char *const c_sym_names[] = { "", C_SYMS(AS_NAME) };
static const char *const c_field_names[] = { "", C_FIELDS(AS_NAME) };

/* ---------------------------------------------------------------- declarators */

/* A declarator unwound: what it declares and how its type is built around the
 * declaration's specifiers. */
typedef struct CDecl {
    TSNode name;          /* the declared identifier, or a null node */
    TSNode params;        /* parameter_list of a function declarator, or null */
    TSNode value;         /* initializer, or null */
    int ptr;              /* pointer levels outside any function declarator */
    int ret_ptr;          /* pointer levels of a function's return type */
    bool is_func;
    char suffix[128];     /* array dimensions as written, "[16][4]" */
} CDecl;

static void append_dim(Lowerer *L, CDecl *d, TSNode arr)
{
    TSNode size = lower_field(L, arr, F_size);
    size_t len = strlen(d->suffix);
    const char *s = "";
    size_t n = 0;
    if (!ts_node_is_null(size)) {
        uint32_t a = ts_node_start_byte(size), b = ts_node_end_byte(size);
        if (b <= L->len && a <= b) { s = L->src + a; n = b - a; }
    }
    if (len + n + 3 > sizeof d->suffix) return;      /* absurd dimensions: keep what fits */
    /* Declarators nest inside out, so the outer dimension comes first. */
    char tmp[sizeof d->suffix];
    int w = snprintf(tmp, sizeof tmp, "[%.*s]%s", (int)n, s, d->suffix);
    if (w > 0 && (size_t)w < sizeof tmp) memcpy(d->suffix, tmp, (size_t)w + 1);
}

/* A loop, not recursion: declarators can nest arbitrarily deep ("int ******p"). */
static void unwind_declarator(Lowerer *L, TSNode d, CDecl *out)
{
    memset(out, 0, sizeof *out);
    out->name = out->params = out->value = (TSNode){0};
    while (!ts_node_is_null(d)) {
        switch (lower_sym(L, d)) {
        case S_init_declarator:
            out->value = lower_field(L, d, F_value);
            d = lower_field(L, d, F_declarator);
            break;
        case S_pointer_declarator:
            out->ptr++;
            d = lower_field(L, d, F_declarator);
            break;
        case S_array_declarator:
            append_dim(L, out, d);
            d = lower_field(L, d, F_declarator);
            break;
        case S_function_declarator:
            if (!out->is_func) {
                out->is_func = true;
                out->params = lower_field(L, d, F_parameters);
                out->ret_ptr = out->ptr;
                out->ptr = 0;
            }
            d = lower_field(L, d, F_declarator);
            break;
        case S_parenthesized_declarator: case S_attributed_declarator:
            d = ts_node_named_child(d, 0);
            break;
        case S_identifier: case S_field_identifier: case S_type_identifier:
            out->name = d;
            return;
        default:
            return;
        }
    }
}

/* The specifiers of a declaration: storage class flags and the base type's name. */
typedef struct CSpecs {
    uint16_t flags;
    TSNode type;          /* the type specifier node */
    char quals[64];       /* qualifiers as written, "const volatile " */
} CSpecs;

static void read_specs(Lowerer *L, TSNode decl, CSpecs *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->type = lower_field(L, decl, F_type);
    LowerSpan s = lower_kids(L, decl, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code != S_storage_class_specifier && code != S_type_qualifier) continue;
        size_t n = ts_node_end_byte(k) - ts_node_start_byte(k);
        const char *t = L->src + ts_node_start_byte(k);
        if (code == S_storage_class_specifier) {
            if (n == 6 && memcmp(t, "static", 6) == 0) sp->flags |= AST_F_STATIC;
            if (n == 6 && memcmp(t, "extern", 6) == 0) sp->flags |= AST_F_EXTERN;
            continue;
        }
        if (n == 5 && memcmp(t, "const", 5) == 0) sp->flags |= AST_F_CONST;
        size_t q = strlen(sp->quals);
        if (q + n + 2 < sizeof sp->quals) {
            memcpy(sp->quals + q, t, n);
            sp->quals[q + n] = ' ';
            sp->quals[q + n + 1] = '\0';
        }
    }
    lower_span_end(L, s);
}

static bool is_record(uint16_t code)
{
    return code == S_struct_specifier || code == S_union_specifier || code == S_enum_specifier;
}

/* The base type as written; a struct with a body is named by its tag ("struct T"),
 * or by `alias` (a typedef's name) when it has none. */
static void base_type(Lowerer *L, const CSpecs *sp, const char *alias, StrBuf *b)
{
    sb_puts(b, sp->quals);
    TSNode t = sp->type;
    if (ts_node_is_null(t)) return;
    uint16_t code = lower_sym(L, t);
    if (is_record(code) && !ts_node_is_null(lower_field(L, t, F_body))) {
        TSNode tag = lower_field(L, t, F_name);
        sb_puts(b, code == S_struct_specifier ? "struct " : code == S_union_specifier ? "union " : "enum ");
        if (!ts_node_is_null(tag)) sb_puts(b, lower_intern(L, tag));
        else if (alias) sb_puts(b, alias);
        return;
    }
    sb_append(b, L->src + ts_node_start_byte(t), ts_node_end_byte(t) - ts_node_start_byte(t));
}

static AstNode *decl_type(Lowerer *L, const CSpecs *sp, const CDecl *d, TSNode at, const char *alias)
{
    StrBuf b;
    sb_init(&b);
    base_type(L, sp, alias, &b);
    int stars = d->is_func ? d->ret_ptr : d->ptr;
    for (int i = 0; i < stars; i++) sb_putc(&b, '*');
    if (d->is_func && d->ptr > 0) {                 /* pointer to function */
        sb_puts(&b, "(*)");
        if (!ts_node_is_null(d->params))
            sb_append(&b, L->src + ts_node_start_byte(d->params),
                      ts_node_end_byte(d->params) - ts_node_start_byte(d->params));
    }
    sb_puts(&b, d->suffix);
    AstNode *t = lower_type_named(L, ts_node_is_null(sp->type) ? at : sp->type,
                                  lower_type_name(b.s ? b.s : "", b.len));
    sb_free(&b);
    return t;
}

/* ---------------------------------------------------------------- functions */

static AstNode *lower_param(Lowerer *L, TSNode n)
{
    AstNode *p = lower_new(L, AST_PARAM, n);
    if (lower_sym(L, n) == S_variadic_parameter) { p->flags |= AST_F_VARIADIC; return p; }
    if (lower_sym(L, n) == S_identifier) { p->name = lower_intern(L, n); return p; }  /* K&R */
    CSpecs sp;
    CDecl d;
    read_specs(L, n, &sp);
    unwind_declarator(L, lower_field(L, n, F_declarator), &d);
    if (!ts_node_is_null(d.name)) p->name = lower_intern(L, d.name);
    p->type = decl_type(L, &sp, &d, n, NULL);
    p->flags |= sp.flags & AST_F_CONST;
    return p;
}

/* "(void)" declares no parameters, so it lowers to none. */
static bool is_void_list(Lowerer *L, LowerSpan s)
{
    if (s.n != 1) return false;
    TSNode p = lower_kid(L, s, 0);
    if (lower_sym(L, p) != S_parameter_declaration) return false;
    if (!ts_node_is_null(lower_field(L, p, F_declarator))) return false;
    TSNode t = lower_field(L, p, F_type);
    return ts_node_end_byte(t) - ts_node_start_byte(t) == 4 &&
           memcmp(L->src + ts_node_start_byte(t), "void", 4) == 0;
}

static void lower_params(Lowerer *L, TSNode list, AstKids *out)
{
    LowerSpan s = lower_kids(L, list, true);
    if (!is_void_list(L, s)) {
        for (uint32_t i = 0; i < s.n; i++) {
            TSNode k = lower_kid(L, s, i);
            uint16_t code = lower_sym(L, k);
            if (code == S_parameter_declaration || code == S_variadic_parameter || code == S_identifier)
                VEC_PUSH(*out, lower_param(L, k));
            else
                lower_into(L, k, out);
        }
    }
    lower_span_end(L, s);
}

/* FUNC for a definition (body given) or a prototype (body null). */
static AstNode *make_func(Lowerer *L, TSNode n, const CSpecs *sp, const CDecl *d, TSNode body)
{
    AstNode *fn = lower_new(L, AST_FUNC, n);
    if (!ts_node_is_null(d->name)) fn->name = lower_intern(L, d->name);
    fn->type = decl_type(L, sp, d, n, NULL);
    fn->flags = sp->flags & (AST_F_STATIC | AST_F_EXTERN);
    AstKids kids = {0};
    if (!ts_node_is_null(d->params)) lower_params(L, d->params, &kids);
    if (!ts_node_is_null(body)) VEC_PUSH(kids, lower_node(L, body));
    ast_kids_finish(L->arena, fn, &kids);
    return fn;
}

static AstNode *lower_function(Lowerer *L, TSNode n)
{
    CSpecs sp;
    CDecl d;
    read_specs(L, n, &sp);
    unwind_declarator(L, lower_field(L, n, F_declarator), &d);
    return make_func(L, n, &sp, &d, lower_field(L, n, F_body));
}

/* ---------------------------------------------------------------- declarations */

static AstNode *lower_record(Lowerer *L, TSNode n, const char *alias)
{
    AstNode *c = lower_new(L, AST_CLASS, n);
    uint16_t code = lower_sym(L, n);
    c->op = code == S_struct_specifier ? CLASS_STRUCT : code == S_union_specifier ? CLASS_UNION : CLASS_ENUM;
    TSNode tag = lower_field(L, n, F_name);
    c->name = !ts_node_is_null(tag) ? lower_intern(L, tag) : alias;
    lower_set_list(L, c, NULL, lower_field(L, n, F_body));
    return c;
}

/* The first declarator's name, which names an anonymous struct in a typedef. */
static const char *first_alias(Lowerer *L, LowerSpan s)
{
    for (uint32_t i = 0; i < s.n; i++) {
        if (lower_kid_field(L, s, i) != L->t->field[F_declarator]) continue;
        CDecl d;
        unwind_declarator(L, lower_kid(L, s, i), &d);
        return ts_node_is_null(d.name) ? NULL : lower_intern(L, d.name);
    }
    return NULL;
}

static AstNode *declarator_item(Lowerer *L, TSNode n, TSNode dn, const CSpecs *sp,
                                const char *alias, bool typedef_, bool single)
{
    CDecl d;
    unwind_declarator(L, dn, &d);
    AstNode *decl;
    if (d.is_func && d.ptr == 0 && !typedef_) decl = make_func(L, dn, sp, &d, (TSNode){0});
    else decl = lower_new(L, AST_DECL, dn);
    /* The range covers the specifiers too, and the ";" when there is one declarator. */
    decl->start = lower_start(n);
    if (single) decl->end = lower_end(n);
    if (decl->kind == AST_FUNC) return decl;
    if (!ts_node_is_null(d.name)) decl->name = lower_intern(L, d.name);
    decl->type = decl_type(L, sp, &d, n, alias);
    decl->flags = sp->flags | (typedef_ ? AST_F_TYPEDEF : 0);
    if (!ts_node_is_null(d.value)) {
        AstNode *v = lower_node(L, d.value);
        lower_set(L, decl, &v, 1);
    }
    return decl;
}

/* declaration, field_declaration, type_definition: a CLASS for a struct body, then one
 * DECL (or prototype FUNC) per declarator, spliced into the enclosing list. */
static AstNode *lower_declaration(Lowerer *L, TSNode n, bool typedef_)
{
    CSpecs sp;
    read_specs(L, n, &sp);
    LowerSpan s = lower_kids_fields(L, n, true);
    const char *alias = typedef_ ? first_alias(L, s) : NULL;
    AstKids out = {0};
    uint16_t tcode = ts_node_is_null(sp.type) ? 0 : lower_sym(L, sp.type);
    if (is_record(tcode) && !ts_node_is_null(lower_field(L, sp.type, F_body)))
        VEC_PUSH(out, lower_record(L, sp.type, alias));
    TSFieldId fdecl = L->t->field[F_declarator];
    uint32_t ndecl = 0;
    for (uint32_t i = 0; i < s.n; i++) ndecl += lower_kid_field(L, s, i) == fdecl;
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_kid_field(L, s, i) == fdecl) {
            VEC_PUSH(out, declarator_item(L, n, k, &sp, alias, typedef_, ndecl == 1));
        } else if (lower_kid_field(L, s, i) != L->t->field[F_type] &&
                   lower_sym(L, k) != S_storage_class_specifier &&
                   lower_sym(L, k) != S_type_qualifier) {
            lower_into(L, k, &out);            /* bitfields, attributes: kept, not dropped */
        }
    }
    lower_span_end(L, s);
    return lower_splice(L, n, &out);
}

static AstNode *lower_enumerator(Lowerer *L, TSNode n)
{
    AstNode *d = lower_new(L, AST_DECL, n);
    d->name = lower_intern(L, lower_field(L, n, F_name));
    TSNode v = lower_field(L, n, F_value);
    if (!ts_node_is_null(v)) {
        AstNode *k = lower_node(L, v);
        lower_set(L, d, &k, 1);
    }
    return d;
}

/* ---------------------------------------------------------------- preprocessor */

/* The text after the directive token, trimmed; NULL when there is none. */
static const char *directive_rest(Lowerer *L, TSNode n, TSNode from)
{
    uint32_t a = ts_node_is_null(from) ? ts_node_end_byte(n) : ts_node_start_byte(from);
    uint32_t b = ts_node_end_byte(n);
    if (b > L->len) b = L->len;
    while (a < b && (L->src[a] == ' ' || L->src[a] == '\t')) a++;
    while (b > a && (L->src[b - 1] == '\n' || L->src[b - 1] == '\r' || L->src[b - 1] == ' ' ||
                     L->src[b - 1] == '\t')) b--;
    return a < b ? arena_strndup(L->arena, L->src + a, b - a) : NULL;
}

/* tree-sitter ends a directive after its newline; the node ends before it, on the
 * directive's own (last) line. */
static void trim_newline(Lowerer *L, AstNode *p)
{
    uint32_t b = p->end.offset;
    if (b > L->len || b <= p->start.offset || L->src[b - 1] != '\n') return;
    b--;
    if (b > p->start.offset && L->src[b - 1] == '\r') b--;
    uint32_t line = p->start.line, line_start = p->start.offset - (p->start.col - 1);
    for (uint32_t i = p->start.offset; i < b; i++)
        if (L->src[i] == '\n') { line++; line_start = i + 1; }
    p->end = (AstPos){ b, line, b - line_start + 1 };
}

/* #include, #define, #pragma, ...: name = the directive, text = the rest. */
static AstNode *lower_directive(Lowerer *L, TSNode n)
{
    AstNode *p = lower_new(L, AST_PREPROC, n);
    trim_newline(L, p);
    TSNode dir = ts_node_child(n, 0);
    uint16_t code = lower_sym(L, n);
    if (code == S_preproc_call) {
        dir = lower_field(L, n, F_directive);
        p->name = lower_intern(L, dir);
        p->text = directive_rest(L, n, lower_field(L, n, F_argument));
        return p;
    }
    p->name = intern(ts_node_type(dir));
    TSNode rest = code == S_preproc_include ? lower_field(L, n, F_path) : lower_field(L, n, F_name);
    p->text = directive_rest(L, n, rest);
    return p;
}

/* #if/#ifdef/#elif/#else: the condition as text; kids are the items inside, then the
 * #elif or #else that follows, nested. */
static AstNode *lower_conditional(Lowerer *L, TSNode n)
{
    AstNode *p = lower_new(L, AST_PREPROC, n);
    uint16_t code = lower_sym(L, n);
    p->name = intern(ts_node_type(ts_node_child(n, 0)));
    TSNode cond = code == S_preproc_ifdef || code == S_preproc_elifdef
                  ? lower_field(L, n, F_name) : lower_field(L, n, F_condition);
    if (!ts_node_is_null(cond)) p->text = lower_text(L, cond);
    AstKids kids = {0};
    TSNode alt = lower_field(L, n, F_alternative);
    /* Compared by node, not field id: an include guard holds a whole header. */
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (ts_node_eq(k, cond) || ts_node_eq(k, alt)) continue;
        lower_into(L, k, &kids);
    }
    lower_span_end(L, s);
    if (!ts_node_is_null(alt)) VEC_PUSH(kids, lower_node(L, alt));
    ast_kids_finish(L->arena, p, &kids);
    return p;
}

/* ---------------------------------------------------------------- statements */

static AstNode *node2(Lowerer *L, AstKind kind, TSNode n, TSNode a, TSNode b)
{
    AstNode *r = lower_new(L, kind, n);
    AstNode *k[2] = { lower_node(L, a), lower_node(L, b) };
    if (ts_node_is_null(a)) k[0] = lower_empty_at(L, lower_start(n));
    if (ts_node_is_null(b)) k[1] = lower_empty_at(L, lower_end(n));
    lower_set(L, r, k, 2);
    return r;
}

static AstNode *lower_if(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_IF, n);
    TSNode alt = lower_field(L, n, F_alternative);
    if (!ts_node_is_null(alt) && lower_sym(L, alt) == S_else_clause) alt = ts_node_named_child(alt, 0);
    AstNode *k[3] = {
        lower_node(L, lower_field(L, n, F_condition)),
        lower_node(L, lower_field(L, n, F_consequence)),
        lower_opt(L, alt, lower_end(n)),
    };
    lower_set(L, r, k, 3);
    return r;
}

static AstNode *lower_loop(Lowerer *L, TSNode n, AstLoopKind kind)
{
    AstNode *r = lower_new(L, AST_LOOP, n);
    r->op = (uint8_t)kind;
    AstPos at = lower_start(n);
    if (kind == LOOP_FOR) {
        AstNode *k[4] = {
            lower_opt(L, lower_field(L, n, F_initializer), at), lower_opt(L, lower_field(L, n, F_condition), at),
            lower_opt(L, lower_field(L, n, F_update), at), lower_opt(L, lower_field(L, n, F_body), lower_end(n)),
        };
        lower_set(L, r, k, 4);
    } else if (kind == LOOP_DO) {
        AstNode *k[2] = { lower_node(L, lower_field(L, n, F_body)),
                          lower_node(L, lower_field(L, n, F_condition)) };
        lower_set(L, r, k, 2);
    } else {
        AstNode *k[2] = { lower_node(L, lower_field(L, n, F_condition)),
                          lower_opt(L, lower_field(L, n, F_body), lower_end(n)) };
        lower_set(L, r, k, 2);
    }
    return r;
}

/* switch (x) { case ...: ... }: the subject, then each case_statement as CASE. */
static AstNode *lower_switch(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_SWITCH, n);
    lower_set_list(L, r, lower_node(L, lower_field(L, n, F_condition)), lower_field(L, n, F_body));
    return r;
}

/* case v: stmts -> CASE(v, BLOCK(stmts)); default: -> CASE flag DEFAULT. */
static AstNode *lower_case(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CASE, n);
    TSNode value = lower_field(L, n, F_value);
    AstKids kids = {0}, body = {0};
    if (ts_node_is_null(value)) c->flags |= AST_F_DEFAULT;
    else VEC_PUSH(kids, lower_node(L, value));
    LowerSpan s = lower_kids(L, n, true);
    AstPos from = lower_end(n), to = lower_end(n);
    bool any = false;
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (ts_node_eq(k, value)) continue;
        if (!any) { from = lower_start(k); any = true; }
        to = lower_end(k);
        lower_into(L, k, &body);
    }
    lower_span_end(L, s);
    AstNode *b = ast_new(L->arena, AST_BLOCK, from, to);
    ast_kids_finish(L->arena, b, &body);
    VEC_PUSH(kids, b);
    ast_kids_finish(L->arena, c, &kids);
    return c;
}

static AstNode *lower_label(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_LABEL, n);
    r->name = lower_intern(L, lower_field(L, n, F_label));
    AstKids kids = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++)
        if (lower_kid_field(L, s, i) != L->t->field[F_label]) lower_into(L, lower_kid(L, s, i), &kids);
    lower_span_end(L, s);
    ast_kids_finish(L->arena, r, &kids);
    return r;
}

/* ---------------------------------------------------------------- expressions */

static AstNode *lower_number(Lowerer *L, TSNode n)
{
    AstNode *lit = lower_literal(L, n, LIT_INT);
    const char *s = lit->text;
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    for (; *s; s++) {
        char c = *s;
        if (c == '.' || (!hex && (c == 'e' || c == 'E')) || (hex && (c == 'p' || c == 'P')))
            lit->op = LIT_FLOAT;
    }
    return lit;
}

/* "a" "b" MACRO "c": one string; the text joins the parts, macros stay as kids. */
static AstNode *lower_concat(Lowerer *L, TSNode n)
{
    AstNode *lit = lower_new(L, AST_LITERAL, n);
    lit->op = LIT_STRING;
    StrBuf b;
    sb_init(&b);
    AstKids kids = {0};
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_sym(L, k) == S_string_literal) {
            uint32_t a = ts_node_start_byte(k);
            sb_puts(&b, lower_unquote(L, L->src + a, ts_node_end_byte(k) - a));
        } else {
            lower_into(L, k, &kids);
        }
    }
    lower_span_end(L, s);
    lit->text = arena_strdup(L->arena, b.s ? b.s : "");
    sb_free(&b);
    ast_kids_finish(L->arena, lit, &kids);
    return lit;
}

static AstNode *lower_binary(Lowerer *L, TSNode n, AstKind kind)
{
    TSNode op = lower_field(L, n, F_operator);
    AstNode *r = node2(L, kind, n, lower_field(L, n, F_left), lower_field(L, n, F_right));
    r->op = (uint8_t)(kind == AST_ASSIGN ? lower_asgop(L, op) : lower_binop(L, op));
    return r;
}

static AstNode *lower_unary(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_UNARY, n);
    TSNode op = lower_field(L, n, F_operator), arg = lower_field(L, n, F_argument);
    if (lower_sym(L, n) == S_update_expression) {
        bool pre = ts_node_start_byte(op) < ts_node_start_byte(arg);
        bool inc = L->src[ts_node_start_byte(op)] == '+';
        r->op = (uint8_t)(pre ? (inc ? AST_OP_PREINC : AST_OP_PREDEC) : (inc ? AST_OP_POSTINC : AST_OP_POSTDEC));
    } else {
        r->op = (uint8_t)lower_unop(L, op);
    }
    AstNode *k = lower_node(L, arg);
    lower_set(L, r, &k, 1);
    return r;
}

static AstNode *lower_sizeof(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_UNARY, n);
    r->op = AST_OP_SIZEOF;
    TSNode t = lower_field(L, n, F_type);
    AstNode *k = ts_node_is_null(t) ? lower_node(L, lower_field(L, n, F_value)) : lower_type(L, t);
    lower_set(L, r, &k, 1);
    return r;
}

static AstNode *lower_cast(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_CAST, n);
    r->type = lower_type(L, lower_field(L, n, F_type));
    AstNode *k = lower_node(L, lower_field(L, n, F_value));
    lower_set(L, r, &k, 1);
    return r;
}

static AstNode *lower_call(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_CALL, n);
    lower_set_list(L, r, lower_node(L, lower_field(L, n, F_function)), lower_field(L, n, F_arguments));
    return r;
}

static AstNode *lower_field_expr(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_FIELD, n);
    r->name = lower_intern(L, lower_field(L, n, F_field));
    TSNode op = lower_field(L, n, F_operator);
    if (!ts_node_is_null(op) && L->src[ts_node_start_byte(op)] == '-') r->flags |= AST_F_ARROW;
    AstNode *k = lower_node(L, lower_field(L, n, F_argument));
    lower_set(L, r, &k, 1);
    return r;
}

static AstNode *lower_cond(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_COND, n);
    AstNode *k[3] = {
        lower_node(L, lower_field(L, n, F_condition)),
        lower_opt(L, lower_field(L, n, F_consequence), lower_start(n)),   /* GNU a ?: b */
        lower_node(L, lower_field(L, n, F_alternative)),
    };
    lower_set(L, r, k, 3);
    return r;
}

/* .f = v, [i] = v, .a.b[2] = v -> KEYWORD named "f", "[i]", "a.b[2]". */
static AstNode *lower_designated(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_KEYWORD, n);
    StrBuf b;
    sb_init(&b);
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        if (lower_kid_field(L, s, i) != L->t->field[F_designator]) continue;
        TSNode d = lower_kid(L, s, i);
        uint32_t a = ts_node_start_byte(d), e = ts_node_end_byte(d);
        if (b.len == 0 && a < e && L->src[a] == '.') a++;
        sb_append(&b, L->src + a, e - a);
    }
    lower_span_end(L, s);
    r->name = lower_type_name(b.s ? b.s : "", b.len);
    sb_free(&b);
    AstNode *v = lower_node(L, lower_field(L, n, F_value));
    lower_set(L, r, &v, 1);
    return r;
}

static AstNode *lower_compound_literal(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_CAST, n);
    r->type = lower_type(L, lower_field(L, n, F_type));
    AstNode *k = lower_node(L, lower_field(L, n, F_value));
    lower_set(L, r, &k, 1);
    return r;
}

static AstNode *lower_simple(Lowerer *L, TSNode n, AstKind kind)
{
    AstNode *r = lower_new(L, kind, n);
    if (kind == AST_GOTO) r->name = lower_intern(L, lower_field(L, n, F_label));
    if (kind == AST_IDENT) r->name = lower_intern(L, n);
    return r;
}

/* ---------------------------------------------------------------- dispatch */

static AstNode *lower_c_stmt(Lowerer *L, TSNode n, uint16_t code)
{
    switch (code) {
    case S_compound_statement: case S_declaration_list: return lower_with_kids(L, AST_BLOCK, n);
    case S_expression_statement: {
        TSNode e = ts_node_named_child(n, 0);
        if (ts_node_is_null(e)) return NULL;         /* ";" says nothing */
        AstNode *r = lower_new(L, AST_EXPR_STMT, n);
        AstNode *k = lower_node(L, e);
        lower_set(L, r, &k, 1);
        return r;
    }
    case S_if_statement: return lower_if(L, n);
    case S_for_statement: return lower_loop(L, n, LOOP_FOR);
    case S_while_statement: return lower_loop(L, n, LOOP_WHILE);
    case S_do_statement: return lower_loop(L, n, LOOP_DO);
    case S_switch_statement: return lower_switch(L, n);
    case S_case_statement: return lower_case(L, n);
    case S_return_statement: return lower_with_kids(L, AST_RETURN, n);
    case S_break_statement: return lower_simple(L, n, AST_BREAK);
    case S_continue_statement: return lower_simple(L, n, AST_CONTINUE);
    case S_goto_statement: return lower_simple(L, n, AST_GOTO);
    case S_labeled_statement: return lower_label(L, n);
    case S_function_definition: return lower_function(L, n);
    case S_declaration: case S_field_declaration: return lower_declaration(L, n, false);
    case S_type_definition: return lower_declaration(L, n, true);
    case S_struct_specifier: case S_union_specifier: case S_enum_specifier:
        return lower_record(L, n, NULL);
    case S_enumerator: return lower_enumerator(L, n);
    case S_preproc_include: case S_preproc_def: case S_preproc_function_def: case S_preproc_call:
        return lower_directive(L, n);
    case S_preproc_if: case S_preproc_ifdef: case S_preproc_else: case S_preproc_elif:
    case S_preproc_elifdef:
        return lower_conditional(L, n);
    default: return lower_other(L, n);
    }
}

static AstNode *lower_c(Lowerer *L, TSNode n)
{
    uint16_t code = lower_sym(L, n);
    switch (code) {
    case S_translation_unit: return lower_with_kids(L, AST_PROGRAM, n);
    case S_identifier: case S_field_identifier: case S_type_identifier:
    case S_statement_identifier:
        return lower_simple(L, n, AST_IDENT);
    case S_number_literal: return lower_number(L, n);
    case S_string_literal: return lower_string(L, n, LIT_STRING);
    case S_char_literal: return lower_string(L, n, LIT_CHAR);
    case S_concatenated_string: return lower_concat(L, n);
    case S_true: case S_false: return lower_literal(L, n, LIT_BOOL);
    case S_null: return lower_literal(L, n, LIT_NULL);
    case S_assignment_expression: return lower_binary(L, n, AST_ASSIGN);
    case S_binary_expression: return lower_binary(L, n, AST_BINARY);
    case S_comma_expression: {
        AstNode *r = node2(L, AST_BINARY, n, lower_field(L, n, F_left), lower_field(L, n, F_right));
        r->op = AST_OP_COMMA;
        return r;
    }
    case S_unary_expression: case S_pointer_expression: case S_update_expression:
        return lower_unary(L, n);
    case S_sizeof_expression: return lower_sizeof(L, n);
    case S_cast_expression: return lower_cast(L, n);
    case S_call_expression: return lower_call(L, n);
    case S_field_expression: return lower_field_expr(L, n);
    case S_subscript_expression:
        return node2(L, AST_INDEX, n, lower_field(L, n, F_argument), lower_field(L, n, F_index));
    case S_conditional_expression: return lower_cond(L, n);
    case S_parenthesized_expression: {
        TSNode inner = ts_node_named_child(n, 0);
        return ts_node_is_null(inner) ? lower_other(L, n) : lower_node(L, inner);
    }
    case S_initializer_list: return lower_with_kids(L, AST_INIT_LIST, n);
    case S_initializer_pair: return lower_designated(L, n);
    case S_compound_literal_expression: return lower_compound_literal(L, n);
    case S_type_descriptor: return lower_type(L, n);
    default: return lower_c_stmt(L, n, code);
    }
}

const LowerLang lower_c_lang = {
    tree_sitter_c, c_sym_names, S_COUNT_, c_field_names, F_COUNT_, lower_c,
};
