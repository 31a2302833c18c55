/* lower_python.c: the Python front end (lower stage): tree-sitter-python trees into
 * the generic AST. Decorators become ANNOTATION kids of what they decorate, each
 * imported name its own IMPORT, elif chains nested IFs, `with` a TRY whose body
 * starts with the bound items, and comparison chains a conjunction of comparisons. */
#include "lang/lower.h"

#include <string.h>

const TSLanguage *tree_sitter_python(void);

#define PY_SYMS(X) \
    X(module) X(function_definition) X(decorated_definition) X(decorator) \
    X(class_definition) X(parameters) X(lambda_parameters) X(identifier) \
    X(typed_parameter) X(default_parameter) X(typed_default_parameter) \
    X(list_splat_pattern) X(dictionary_splat_pattern) X(keyword_separator) \
    X(positional_separator) X(block) X(expression_statement) X(assignment) \
    X(augmented_assignment) X(return_statement) X(if_statement) X(elif_clause) \
    X(else_clause) X(for_statement) X(while_statement) X(try_statement) X(except_clause) \
    X(finally_clause) X(with_statement) X(with_clause) X(with_item) X(as_pattern) \
    X(as_pattern_target) X(raise_statement) X(break_statement) X(continue_statement) \
    X(import_statement) X(import_from_statement) X(future_import_statement) \
    X(aliased_import) X(dotted_name) X(relative_import) X(wildcard_import) X(call) \
    X(argument_list) X(keyword_argument) X(list_splat) X(dictionary_splat) X(attribute) \
    X(subscript) X(list) X(tuple) X(set) X(dictionary) X(pair) \
    X(parenthesized_expression) X(expression_list) X(pattern_list) X(tuple_pattern) \
    X(list_pattern) X(string) X(concatenated_string) X(interpolation) X(integer) \
    X(float) X(true) X(false) X(none) X(ellipsis) X(lambda) X(conditional_expression) \
    X(boolean_operator) X(not_operator) X(comparison_operator) X(binary_operator) \
    X(unary_operator) X(await) X(named_expression) X(type) X(match_statement) \
    X(case_clause) X(case_pattern)

#define PY_FIELDS(X) \
    X(name) X(parameters) X(body) X(return_type) X(superclasses) X(left) X(right) \
    X(type) X(operator) X(condition) X(consequence) X(alternative) X(value) X(alias) \
    X(module_name) X(function) X(arguments) X(object) X(attribute) X(subscript) X(key) \
    X(argument) X(definition) X(cause) X(subject) X(guard) X(expression)

#define AS_CODE(n) S_##n,
#define AS_FIELD(n) F_##n,
#define AS_NAME(n) #n,
enum { S_NONE_, PY_SYMS(AS_CODE) S_COUNT_ };
enum { F_NONE_, PY_FIELDS(AS_FIELD) F_COUNT_ };
static const char *const py_sym_names[] = { "", PY_SYMS(AS_NAME) };
static const char *const py_field_names[] = { "", PY_FIELDS(AS_NAME) };

/* ---------------------------------------------------------------- helpers */

static bool starts_with_word(Lowerer *L, TSNode n, const char *w)
{
    size_t k = strlen(w);
    uint32_t a = ts_node_start_byte(n);
    return a + k <= L->len && memcmp(L->src + a, w, k) == 0;
}

/* A dotted name as written, whitespace removed: "os.path". */
static const char *dotted(Lowerer *L, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > L->len) b = L->len;
    return lower_type_name(L->src + a, a < b ? b - a : 0);
}

/* A block (or a clause's body) with a flag; EMPTY-safe. */
static AstNode *flagged_block(Lowerer *L, TSNode body, uint16_t flag)
{
    AstNode *b = lower_node(L, body);
    if (b->kind != AST_BLOCK) {
        AstNode *w = ast_new(L->arena, AST_BLOCK, b->start, b->end);
        lower_set(L, w, &b, 1);
        b = w;
    }
    b->flags |= flag;
    return b;
}

/* ---------------------------------------------------------------- definitions */

static AstNode *lower_param(Lowerer *L, TSNode n)
{
    AstNode *p = lower_new(L, AST_PARAM, n);
    TSNode name = n, value = {0};
    switch (lower_sym(L, n)) {
    case S_typed_parameter:
        p->type = lower_type(L, lower_field(L, n, F_type));
        name = ts_node_named_child(n, 0);
        break;
    case S_default_parameter: case S_typed_default_parameter:
        name = lower_field(L, n, F_name);
        value = lower_field(L, n, F_value);
        TSNode t = lower_field(L, n, F_type);
        if (!ts_node_is_null(t)) p->type = lower_type(L, t);
        break;
    default: break;
    }
    uint16_t code = lower_sym(L, name);
    if (code == S_list_splat_pattern || code == S_dictionary_splat_pattern) {
        p->flags |= code == S_list_splat_pattern ? AST_F_VARIADIC : AST_F_KWARGS;
        name = ts_node_named_child(name, 0);
    }
    if (!ts_node_is_null(name)) p->name = lower_intern(L, name);
    if (!ts_node_is_null(value)) {
        AstNode *v = lower_node(L, value);
        lower_set(L, p, &v, 1);
    }
    return p;
}

/* Parameters, skipping the bare "*" and "/" markers, which declare nothing. */
static void lower_params(Lowerer *L, TSNode list, AstKids *out)
{
    LowerSpan s = lower_kids(L, list, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code == S_keyword_separator || code == S_positional_separator) continue;
        if (code == S_identifier || code == S_typed_parameter || code == S_default_parameter ||
            code == S_typed_default_parameter || code == S_list_splat_pattern ||
            code == S_dictionary_splat_pattern)
            VEC_PUSH(*out, lower_param(L, k));
        else
            lower_into(L, k, out);
    }
    lower_span_end(L, s);
}

static AstNode *lower_function(Lowerer *L, TSNode n)
{
    AstNode *fn = lower_new(L, AST_FUNC, n);
    fn->name = lower_intern(L, lower_field(L, n, F_name));
    TSNode rt = lower_field(L, n, F_return_type);
    if (!ts_node_is_null(rt)) fn->type = lower_type(L, rt);
    if (starts_with_word(L, n, "async")) fn->flags |= AST_F_ASYNC;
    AstKids kids = {0};
    lower_params(L, lower_field(L, n, F_parameters), &kids);
    VEC_PUSH(kids, flagged_block(L, lower_field(L, n, F_body), 0));
    ast_kids_finish(L->arena, fn, &kids);
    return fn;
}

static AstNode *lower_lambda(Lowerer *L, TSNode n)
{
    AstNode *fn = lower_new(L, AST_LAMBDA, n);
    AstKids kids = {0};
    TSNode ps = lower_field(L, n, F_parameters);
    if (!ts_node_is_null(ps)) lower_params(L, ps, &kids);
    VEC_PUSH(kids, lower_node(L, lower_field(L, n, F_body)));
    ast_kids_finish(L->arena, fn, &kids);
    return fn;
}

/* class C(Base, metaclass=M): bases are TYPE flag BASE; keyword arguments follow
 * them as KEYWORD; then the members. */
static AstNode *lower_class(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CLASS, n);
    c->op = CLASS_CLASS;
    c->name = lower_intern(L, lower_field(L, n, F_name));
    AstKids kids = {0};
    LowerSpan s = lower_kids(L, lower_field(L, n, F_superclasses), true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_sym(L, k) == S_keyword_argument) { lower_into(L, k, &kids); continue; }
        AstNode *t = lower_type(L, k);
        t->flags |= AST_F_BASE;
        VEC_PUSH(kids, t);
    }
    lower_span_end(L, s);
    lower_named_kids(L, lower_field(L, n, F_body), &kids);
    ast_kids_finish(L->arena, c, &kids);
    return c;
}

/* @d(args) -> ANNOTATION "d" with the arguments; @a.b -> ANNOTATION "a.b". */
static AstNode *lower_decorator(Lowerer *L, TSNode n)
{
    AstNode *a = lower_new(L, AST_ANNOTATION, n);
    TSNode e = ts_node_named_child(n, 0);
    AstKids kids = {0};
    if (lower_sym(L, e) == S_call) {
        a->name = dotted(L, lower_field(L, e, F_function));
        lower_named_kids(L, lower_field(L, e, F_arguments), &kids);
    } else if (!ts_node_is_null(e)) {
        a->name = dotted(L, e);
    }
    ast_kids_finish(L->arena, a, &kids);
    return a;
}

/* Decorators go first among the definition's kids; its range starts at the first. */
static AstNode *lower_decorated(Lowerer *L, TSNode n)
{
    AstNode *def = lower_node(L, lower_field(L, n, F_definition));
    AstKids kids = {0};
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++)
        if (lower_sym(L, lower_kid(L, s, i)) == S_decorator) lower_into(L, lower_kid(L, s, i), &kids);
    lower_span_end(L, s);
    for (uint32_t i = 0; i < def->nkids; i++) VEC_PUSH(kids, def->kids[i]);
    ast_kids_finish(L->arena, def, &kids);
    def->start = lower_start(n);
    return def;
}

/* ---------------------------------------------------------------- imports */

static AstNode *import_node(Lowerer *L, TSNode n, const char *module, TSNode item, uint16_t flags)
{
    AstNode *imp = lower_new(L, AST_IMPORT, ts_node_is_null(item) ? n : item);
    imp->flags = flags;
    TSNode name = item, alias = {0};
    if (!ts_node_is_null(item) && lower_sym(L, item) == S_aliased_import) {
        name = lower_field(L, item, F_name);
        alias = lower_field(L, item, F_alias);
    }
    const char *leaf = ts_node_is_null(name) ? NULL : dotted(L, name);
    if (!module) imp->name = leaf;
    else if (!leaf) imp->name = module;
    else {
        size_t m = strlen(module);
        bool dot = m > 0 && module[m - 1] != '.';
        imp->name = intern(arena_printf(L->arena, "%s%s%s", module, dot ? "." : "", leaf));
    }
    if (!ts_node_is_null(alias)) imp->text = lower_text(L, alias);
    return imp;
}

/* import a.b as c, d / from m import x as y, z / from m import *: one IMPORT a name. */
static AstNode *lower_import(Lowerer *L, TSNode n)
{
    uint16_t code = lower_sym(L, n);
    const char *module = NULL;
    uint16_t flags = 0;
    if (code == S_import_from_statement) {
        module = dotted(L, lower_field(L, n, F_module_name));
        flags = AST_F_FROM;
    } else if (code == S_future_import_statement) {
        module = intern("__future__");
        flags = AST_F_FROM;
    }
    AstKids out = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_kid_field(L, s, i) == L->t->field[F_name])
            VEC_PUSH(out, import_node(L, n, module, k, flags));
        else if (lower_sym(L, k) == S_wildcard_import)
            VEC_PUSH(out, import_node(L, n, module, (TSNode){0}, flags | AST_F_WILDCARD));
    }
    lower_span_end(L, s);
    return lower_splice(L, n, &out);
}

/* ---------------------------------------------------------------- statements */

static AstNode *lower_expr_stmt(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_EXPR_STMT, n);
    AstNode *e;
    if (ts_node_named_child_count(n) == 1) {
        e = lower_node(L, ts_node_named_child(n, 0));
        if (e->kind == AST_DECL) return e;     /* "x: int" declares, it is no expression */
    } else {                                   /* "1, 2" as a statement is a tuple */
        e = lower_with_kids(L, AST_COLLECTION, n);
        e->op = COLL_TUPLE;
    }
    lower_set(L, r, &e, 1);
    return r;
}

/* x = v -> ASSIGN; x: T = v -> ASSIGN with type T; x: T -> DECL. */
static AstNode *lower_assignment(Lowerer *L, TSNode n)
{
    TSNode left = lower_field(L, n, F_left), right = lower_field(L, n, F_right);
    TSNode type = lower_field(L, n, F_type);
    if (ts_node_is_null(right)) {
        AstNode *d = lower_new(L, AST_DECL, n);
        d->name = lower_intern(L, left);
        if (!ts_node_is_null(type)) d->type = lower_type(L, type);
        return d;
    }
    AstNode *a = lower_with2(L, AST_ASSIGN, n, left, right);
    a->op = lower_sym(L, n) == S_augmented_assignment
            ? (uint8_t)lower_asgop(L, lower_field(L, n, F_operator)) : AST_OP_ASSIGN;
    if (!ts_node_is_null(type)) a->type = lower_type(L, type);
    return a;
}

/* The `alternative` clauses of if/for/while/try, in order. */
static LowerSpan alternatives(Lowerer *L, TSNode n)
{
    LowerSpan all = lower_kids_fields(L, n, true);
    LowerSpan s = { (uint32_t)L->scratch.n, 0 };
    for (uint32_t i = 0; i < all.n; i++) {
        if (lower_kid_field(L, all, i) != L->t->field[F_alternative]) continue;
        LowerChild c = L->scratch.v[all.at + i];
        VEC_PUSH(L->scratch, c);
        s.n++;
    }
    /* Move the selection down over the full list, so the span ends where it began. */
    memmove(&L->scratch.v[all.at], &L->scratch.v[s.at], s.n * sizeof *L->scratch.v);
    L->scratch.n = all.at + s.n;
    return (LowerSpan){ all.at, s.n };
}

/* if/elif/else: each elif is an IF nested in the else slot of the one before. */
static AstNode *lower_if(Lowerer *L, TSNode n)
{
    LowerSpan alts = alternatives(L, n);
    AstNode *tail = lower_empty_at(L, lower_end(n));
    for (uint32_t i = alts.n; i-- > 0;) {
        TSNode c = lower_kid(L, alts, i);
        if (lower_sym(L, c) == S_else_clause) { tail = flagged_block(L, lower_field(L, c, F_body), 0); continue; }
        AstNode *elif = lower_new(L, AST_IF, c);
        AstNode *k[3] = { lower_node(L, lower_field(L, c, F_condition)),
                          flagged_block(L, lower_field(L, c, F_consequence), 0), tail };
        lower_set(L, elif, k, 3);
        if (tail->kind != AST_EMPTY) elif->end = tail->end;
        tail = elif;
    }
    lower_span_end(L, alts);
    AstNode *r = lower_new(L, AST_IF, n);
    AstNode *k[3] = { lower_node(L, lower_field(L, n, F_condition)),
                      flagged_block(L, lower_field(L, n, F_consequence), 0), tail };
    lower_set(L, r, k, 3);
    return r;
}

/* for/while with their optional else-block (flag ELSE) as a last kid. */
static AstNode *lower_loop(Lowerer *L, TSNode n, AstLoopKind kind)
{
    AstNode *r = lower_new(L, AST_LOOP, n);
    r->op = (uint8_t)kind;
    if (starts_with_word(L, n, "async")) r->flags |= AST_F_ASYNC;
    AstKids kids = {0};
    if (kind == LOOP_FOREACH) {
        VEC_PUSH(kids, lower_node(L, lower_field(L, n, F_left)));
        VEC_PUSH(kids, lower_node(L, lower_field(L, n, F_right)));
    } else {
        VEC_PUSH(kids, lower_node(L, lower_field(L, n, F_condition)));
    }
    VEC_PUSH(kids, flagged_block(L, lower_field(L, n, F_body), 0));
    TSNode alt = lower_field(L, n, F_alternative);
    if (!ts_node_is_null(alt)) VEC_PUSH(kids, flagged_block(L, lower_field(L, alt, F_body), AST_F_ELSE));
    ast_kids_finish(L->arena, r, &kids);
    return r;
}

/* except T as e: -> CATCH name e, type T, kids BLOCK. */
static AstNode *lower_except(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CATCH, n);
    TSNode alias = lower_field(L, n, F_alias), body = {0};
    uint32_t t0 = 0, t1 = 0;
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_kid_field(L, s, i) == L->t->field[F_value]) {
            if (lower_sym(L, k) == S_as_pattern) {     /* except T as e, as newer grammars parse it */
                alias = lower_field(L, k, F_alias);
                k = ts_node_named_child(k, 0);
            }
            if (!t1) t0 = ts_node_start_byte(k);
            t1 = ts_node_end_byte(k);
        } else if (lower_sym(L, k) == S_block) {
            body = k;
        }
    }
    lower_span_end(L, s);
    if (t1 > t0 && t1 <= L->len) {
        c->type = ast_new(L->arena, AST_TYPE, c->start, c->end);
        c->type->name = lower_type_name(L->src + t0, t1 - t0);
    }
    if (!ts_node_is_null(alias) && lower_sym(L, alias) == S_as_pattern_target)
        alias = ts_node_named_child(alias, 0);
    if (!ts_node_is_null(alias)) c->name = lower_intern(L, alias);
    AstNode *b = ts_node_is_null(body) ? ast_new(L->arena, AST_BLOCK, c->end, c->end)
                                       : flagged_block(L, body, 0);
    lower_set(L, c, &b, 1);
    return c;
}

static AstNode *lower_try(Lowerer *L, TSNode n)
{
    AstNode *t = lower_new(L, AST_TRY, n);
    AstKids kids = {0};
    VEC_PUSH(kids, flagged_block(L, lower_field(L, n, F_body), 0));
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code == S_except_clause) VEC_PUSH(kids, lower_except(L, k));
        else if (code == S_else_clause)
            VEC_PUSH(kids, flagged_block(L, lower_field(L, k, F_body), AST_F_ELSE));
        else if (code == S_finally_clause)
            VEC_PUSH(kids, flagged_block(L, ts_node_named_child(k, 0), AST_F_FINALLY));
        else if (lower_kid_field(L, s, i) != L->t->field[F_body])
            lower_into(L, k, &kids);
    }
    lower_span_end(L, s);
    ast_kids_finish(L->arena, t, &kids);
    return t;
}

/* One `with` item as the statement that binds it: `open(p) as f` -> f = open(p). */
static AstNode *with_item(Lowerer *L, TSNode item)
{
    TSNode v = lower_field(L, item, F_value);
    AstNode *st = lower_new(L, AST_EXPR_STMT, item);
    AstNode *e;
    if (lower_sym(L, v) == S_as_pattern) {
        e = lower_new(L, AST_ASSIGN, v);
        e->op = AST_OP_ASSIGN;
        AstNode *k[2] = { lower_node(L, lower_field(L, v, F_alias)),
                          lower_node(L, ts_node_named_child(v, 0)) };
        lower_set(L, e, k, 2);
    } else {
        e = lower_node(L, v);
    }
    lower_set(L, st, &e, 1);
    return st;
}

/* with A as a, B: body -> TRY(BLOCK(a = A; B; body...)): a resource block, as Java's
 * try-with-resources. */
static AstNode *lower_with(Lowerer *L, TSNode n)
{
    AstNode *t = lower_new(L, AST_TRY, n);
    if (starts_with_word(L, n, "async")) t->flags |= AST_F_ASYNC;
    AstKids stmts = {0};
    LowerSpan s = lower_kids(L, ts_node_named_child(n, 0), true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_sym(L, k) == S_with_item) VEC_PUSH(stmts, with_item(L, k));
        else lower_into(L, k, &stmts);
    }
    lower_span_end(L, s);
    TSNode body = lower_field(L, n, F_body);
    lower_named_kids(L, body, &stmts);
    AstNode *b = ast_new(L->arena, AST_BLOCK, lower_start(n), lower_end(n));
    ast_kids_finish(L->arena, b, &stmts);
    lower_set(L, t, &b, 1);
    return t;
}

static AstNode *lower_raise(Lowerer *L, TSNode n)
{
    return lower_with_kids(L, AST_THROW, n);   /* value, then the `from` cause */
}

/* match x: case p if g: body -> SWITCH(x, CASE(p..., [OTHER guard], BLOCK)). */
static AstNode *lower_case_clause(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CASE, n);
    AstKids kids = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++)
        if (lower_kid_field(L, s, i) != L->t->field[F_consequence]) lower_into(L, lower_kid(L, s, i), &kids);
    lower_span_end(L, s);
    VEC_PUSH(kids, flagged_block(L, lower_field(L, n, F_consequence), 0));
    ast_kids_finish(L->arena, c, &kids);
    return c;
}

static AstNode *lower_match(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_SWITCH, n);
    AstKids kids = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++)
        if (lower_kid_field(L, s, i) == L->t->field[F_subject]) lower_into(L, lower_kid(L, s, i), &kids);
    lower_span_end(L, s);
    lower_named_kids(L, lower_field(L, n, F_body), &kids);
    ast_kids_finish(L->arena, r, &kids);
    return r;
}

/* ---------------------------------------------------------------- expressions */

/* The contents of a string; f-string interpolations are kept as kids. */
static void string_parts(Lowerer *L, TSNode str, StrBuf *text, AstKids *kids)
{
    uint32_t a = ts_node_start_byte(str), b = ts_node_end_byte(str);
    if (b > L->len) b = L->len;
    if (text) sb_puts(text, lower_unquote(L, L->src + a, a < b ? b - a : 0));
    LowerSpan s = lower_kids(L, str, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_sym(L, k) == S_interpolation) lower_into(L, lower_field(L, k, F_expression), kids);
    }
    lower_span_end(L, s);
}

static AstNode *lower_string_lit(Lowerer *L, TSNode n)
{
    AstNode *lit = lower_string(L, n, LIT_STRING);
    AstKids kids = {0};
    string_parts(L, n, NULL, &kids);
    ast_kids_finish(L->arena, lit, &kids);
    return lit;
}

/* "a" "b" f"{c}": one string whose text joins the parts. */
static AstNode *lower_concat(Lowerer *L, TSNode n)
{
    AstNode *lit = lower_new(L, AST_LITERAL, n);
    lit->op = LIT_STRING;
    StrBuf text;
    sb_init(&text);
    AstKids kids = {0};
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_sym(L, k) == S_string) string_parts(L, k, &text, &kids);
        else lower_into(L, k, &kids);
    }
    lower_span_end(L, s);
    lit->text = arena_strdup(L->arena, text.s ? text.s : "");
    sb_free(&text);
    ast_kids_finish(L->arena, lit, &kids);
    return lit;
}

static AstNode *lower_call(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CALL, n);
    AstKids kids = {0};
    VEC_PUSH(kids, lower_node(L, lower_field(L, n, F_function)));
    TSNode args = lower_field(L, n, F_arguments);
    if (lower_sym(L, args) == S_argument_list) lower_named_kids(L, args, &kids);
    else lower_into(L, args, &kids);            /* f(x for x in y) */
    ast_kids_finish(L->arena, c, &kids);
    return c;
}

static AstNode *lower_keyword(Lowerer *L, TSNode n)
{
    AstNode *k = lower_with1(L, AST_KEYWORD, n, lower_field(L, n, F_value));
    k->name = lower_intern(L, lower_field(L, n, F_name));
    return k;
}

/* *x and **x in calls and displays: the operand, flagged VARIADIC or KWARGS. */
static AstNode *lower_splat(Lowerer *L, TSNode n, uint16_t flag)
{
    TSNode inner = ts_node_named_child(n, 0);
    AstNode *e = ts_node_is_null(inner) ? lower_other(L, n) : lower_node(L, inner);
    e->flags |= flag;
    return e;
}

static AstNode *lower_attribute(Lowerer *L, TSNode n)
{
    AstNode *f = lower_with1(L, AST_FIELD, n, lower_field(L, n, F_object));
    f->name = lower_intern(L, lower_field(L, n, F_attribute));
    return f;
}

/* a[i] -> INDEX(a, i); a[i, j] -> INDEX(a, tuple(i, j)). */
static AstNode *lower_subscript(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_INDEX, n);
    AstKids subs = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++)
        if (lower_kid_field(L, s, i) == L->t->field[F_subscript]) lower_into(L, lower_kid(L, s, i), &subs);
    lower_span_end(L, s);
    AstNode *idx;
    if (subs.n == 1) {
        idx = subs.v[0];
        VEC_FREE(subs);
    } else {
        AstPos at = subs.n ? subs.v[0]->start : lower_end(n);
        idx = ast_new(L->arena, AST_COLLECTION, at, subs.n ? subs.v[subs.n - 1]->end : at);
        idx->op = COLL_TUPLE;
        ast_kids_finish(L->arena, idx, &subs);
    }
    AstNode *k[2] = { lower_node(L, lower_field(L, n, F_value)), idx };
    lower_set(L, r, k, 2);
    return r;
}

static AstNode *lower_collection(Lowerer *L, TSNode n, AstCollKind kind)
{
    AstNode *c = lower_with_kids(L, AST_COLLECTION, n);
    c->op = (uint8_t)kind;
    return c;
}

/* a < b < c -> (a < b) and (b < c); b is lowered twice so the tree stays a tree. */
static AstNode *lower_comparison(Lowerer *L, TSNode n)
{
    LowerSpan s = lower_kids(L, n, false);
    AstNode *acc = NULL;
    TSNode prev = {0}, op = {0};
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (!ts_node_is_named(k)) { op = k; continue; }
        if (!ts_node_is_null(prev) && !ts_node_is_null(op)) {
            AstNode *cmp = ast_new(L->arena, AST_BINARY, lower_start(prev), lower_end(k));
            cmp->op = (uint8_t)lower_binop(L, op);
            AstNode *kk[2] = { lower_node(L, prev), lower_node(L, k) };
            lower_set(L, cmp, kk, 2);
            if (acc) {
                AstNode *and = ast_new(L->arena, AST_BINARY, acc->start, cmp->end);
                and->op = AST_OP_AND;
                AstNode *kk2[2] = { acc, cmp };
                lower_set(L, and, kk2, 2);
                acc = and;
            } else {
                acc = cmp;
            }
        }
        prev = k;
    }
    lower_span_end(L, s);
    return acc ? acc : lower_other(L, n);
}

static AstNode *lower_binary(Lowerer *L, TSNode n, AstKind kind)
{
    AstNode *b = lower_with2(L, kind, n, lower_field(L, n, F_left), lower_field(L, n, F_right));
    b->op = (uint8_t)lower_binop(L, lower_field(L, n, F_operator));
    return b;
}

static AstNode *lower_unary(Lowerer *L, TSNode n, AstOp op)
{
    TSNode arg = lower_field(L, n, F_argument);
    if (ts_node_is_null(arg)) arg = ts_node_named_child(n, 0);
    AstNode *u = lower_with1(L, AST_UNARY, n, arg);
    u->op = (uint8_t)(op ? op : lower_unop(L, lower_field(L, n, F_operator)));
    return u;
}

/* a if c else b -> COND(c, a, b). */
static AstNode *lower_conditional(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_COND, n);
    AstNode *k[3];
    for (uint32_t i = 0; i < 3; i++) {
        TSNode c = ts_node_named_child(n, i);
        k[i] = ts_node_is_null(c) ? lower_empty_at(L, lower_end(n)) : lower_node(L, c);
    }
    AstNode *ordered[3] = { k[1], k[0], k[2] };
    lower_set(L, r, ordered, 3);
    return r;
}

/* ---------------------------------------------------------------- dispatch */

static AstNode *lower_py_stmt(Lowerer *L, TSNode n, uint16_t code)
{
    switch (code) {
    case S_function_definition: return lower_function(L, n);
    case S_class_definition: return lower_class(L, n);
    case S_decorated_definition: return lower_decorated(L, n);
    case S_decorator: return lower_decorator(L, n);
    case S_block: return lower_with_kids(L, AST_BLOCK, n);
    case S_expression_statement: return lower_expr_stmt(L, n);
    case S_return_statement: return lower_with_kids(L, AST_RETURN, n);
    case S_if_statement: return lower_if(L, n);
    case S_for_statement: return lower_loop(L, n, LOOP_FOREACH);
    case S_while_statement: return lower_loop(L, n, LOOP_WHILE);
    case S_try_statement: return lower_try(L, n);
    case S_except_clause: return lower_except(L, n);
    case S_with_statement: return lower_with(L, n);
    case S_raise_statement: return lower_raise(L, n);
    case S_break_statement: return lower_new(L, AST_BREAK, n);
    case S_continue_statement: return lower_new(L, AST_CONTINUE, n);
    case S_import_statement: case S_import_from_statement: case S_future_import_statement:
        return lower_import(L, n);
    case S_match_statement: return lower_match(L, n);
    case S_case_clause: return lower_case_clause(L, n);
    case S_case_pattern: {
        TSNode inner = ts_node_named_child(n, 0);
        return ts_node_is_null(inner) ? lower_other(L, n) : lower_node(L, inner);
    }
    default: return lower_other(L, n);
    }
}

static AstNode *lower_python(Lowerer *L, TSNode n)
{
    uint16_t code = lower_sym(L, n);
    switch (code) {
    case S_module: return lower_with_kids(L, AST_PROGRAM, n);
    case S_identifier: {
        AstNode *id = lower_new(L, AST_IDENT, n);
        id->name = lower_intern(L, n);
        return id;
    }
    case S_dotted_name: {
        AstNode *id = lower_new(L, AST_IDENT, n);
        id->name = dotted(L, n);
        return id;
    }
    case S_integer: return lower_literal(L, n, LIT_INT);
    case S_float: return lower_literal(L, n, LIT_FLOAT);
    case S_true: case S_false: return lower_literal(L, n, LIT_BOOL);
    case S_none: return lower_literal(L, n, LIT_NULL);
    case S_ellipsis: return lower_new(L, AST_ELLIPSIS, n);
    case S_string: return lower_string_lit(L, n);
    case S_concatenated_string: return lower_concat(L, n);
    case S_assignment: case S_augmented_assignment: return lower_assignment(L, n);
    case S_named_expression: {
        AstNode *a = lower_with2(L, AST_ASSIGN, n, lower_field(L, n, F_name), lower_field(L, n, F_value));
        a->op = AST_OP_ASSIGN;
        return a;
    }
    case S_call: return lower_call(L, n);
    case S_keyword_argument: return lower_keyword(L, n);
    case S_list_splat: case S_list_splat_pattern: return lower_splat(L, n, AST_F_VARIADIC);
    case S_dictionary_splat: case S_dictionary_splat_pattern: return lower_splat(L, n, AST_F_KWARGS);
    case S_attribute: return lower_attribute(L, n);
    case S_subscript: return lower_subscript(L, n);
    case S_list: case S_list_pattern: return lower_collection(L, n, COLL_LIST);
    case S_tuple: case S_expression_list: case S_pattern_list: case S_tuple_pattern:
        return lower_collection(L, n, COLL_TUPLE);
    case S_set: return lower_collection(L, n, COLL_SET);
    case S_dictionary: return lower_collection(L, n, COLL_DICT);
    case S_pair: return lower_with2(L, AST_PAIR, n, lower_field(L, n, F_key), lower_field(L, n, F_value));
    case S_parenthesized_expression: case S_as_pattern_target: {
        TSNode inner = ts_node_named_child(n, 0);
        return ts_node_is_null(inner) ? lower_other(L, n) : lower_node(L, inner);
    }
    case S_lambda: return lower_lambda(L, n);
    case S_conditional_expression: return lower_conditional(L, n);
    case S_boolean_operator: case S_binary_operator: return lower_binary(L, n, AST_BINARY);
    case S_comparison_operator: return lower_comparison(L, n);
    case S_not_operator: return lower_unary(L, n, AST_OP_NOT);
    case S_unary_operator: return lower_unary(L, n, AST_OP_NONE);
    case S_await: return lower_unary(L, n, AST_OP_AWAIT);
    case S_type: return lower_type(L, n);
    default: return lower_py_stmt(L, n, code);
    }
}

const LowerLang lower_python_lang = {
    tree_sitter_python, py_sym_names, S_COUNT_, py_field_names, F_COUNT_, lower_python,
};
