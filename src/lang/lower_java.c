/* lower_java.c: the Java front end (lower stage): tree-sitter-java trees into the
 * generic AST. Modifiers become flags, annotations ANNOTATION kids of what they
 * annotate, `a.b(c)` a CALL of a FIELD, `new T(x)` a CALL flagged NEW, and
 * try-with-resources a TRY whose body starts with the resource declarations. */
#include "lang/lower.h"

#include <string.h>

const TSLanguage *tree_sitter_java(void);

#define JAVA_SYMS(X) \
    X(program) X(package_declaration) X(import_declaration) X(scoped_identifier) \
    X(identifier) X(asterisk) X(class_declaration) X(interface_declaration) \
    X(enum_declaration) X(record_declaration) X(class_body) X(interface_body) \
    X(enum_body) X(enum_body_declarations) X(enum_constant) X(superclass) \
    X(super_interfaces) X(extends_interfaces) X(type_list) X(modifiers) X(annotation) \
    X(marker_annotation) X(annotation_argument_list) X(element_value_pair) \
    X(element_value_array_initializer) X(method_declaration) X(constructor_declaration) \
    X(compact_constructor_declaration) X(constructor_body) X(formal_parameters) \
    X(formal_parameter) X(spread_parameter) X(receiver_parameter) X(variable_declarator) \
    X(field_declaration) X(constant_declaration) X(local_variable_declaration) X(block) \
    X(expression_statement) X(if_statement) X(while_statement) X(for_statement) \
    X(enhanced_for_statement) X(do_statement) X(switch_expression) X(switch_block) \
    X(switch_block_statement_group) X(switch_rule) X(switch_label) X(try_statement) \
    X(try_with_resources_statement) X(resource_specification) X(resource) \
    X(catch_clause) X(catch_formal_parameter) X(catch_type) X(finally_clause) \
    X(throw_statement) X(return_statement) X(break_statement) X(continue_statement) \
    X(labeled_statement) X(method_invocation) X(argument_list) \
    X(object_creation_expression) X(field_access) X(array_access) \
    X(array_creation_expression) X(dimensions_expr) X(array_initializer) \
    X(assignment_expression) X(binary_expression) X(unary_expression) \
    X(update_expression) X(cast_expression) X(ternary_expression) \
    X(instanceof_expression) X(lambda_expression) X(inferred_parameters) \
    X(parenthesized_expression) X(this) X(super) X(string_literal) X(character_literal) \
    X(decimal_integer_literal) X(hex_integer_literal) X(octal_integer_literal) \
    X(binary_integer_literal) X(decimal_floating_point_literal) \
    X(hex_floating_point_literal) X(true) X(false) X(null_literal) X(class_literal) \
    X(explicit_constructor_invocation) X(type_identifier) X(generic_type) X(array_type) \
    X(scoped_type_identifier) X(integral_type) X(floating_point_type) X(boolean_type) \
    X(void_type) X(dimensions)

#define JAVA_FIELDS(X) \
    X(name) X(body) X(superclass) X(interfaces) X(type) X(parameters) X(declarator) \
    X(value) X(arguments) X(object) X(field) X(array) X(index) X(dimensions) X(left) \
    X(right) X(operator) X(operand) X(condition) X(consequence) X(alternative) X(init) \
    X(update) X(key) X(constructor) X(resources) X(pattern)

#define AS_CODE(n) S_##n,
#define AS_FIELD(n) F_##n,
#define AS_NAME(n) #n,
enum { S_NONE_, JAVA_SYMS(AS_CODE) S_COUNT_ };
enum { F_NONE_, JAVA_FIELDS(AS_FIELD) F_COUNT_ };
static const char *const java_sym_names[] = { "", JAVA_SYMS(AS_NAME) };
static const char *const java_field_names[] = { "", JAVA_FIELDS(AS_NAME) };

/* ---------------------------------------------------------------- helpers */

/* A (possibly dotted) name as written, whitespace removed: "java.io.File". */
static const char *dotted(Lowerer *L, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > L->len) b = L->len;
    return lower_type_name(L->src + a, a < b ? b - a : 0);
}

static AstNode *ident(Lowerer *L, TSNode n)
{
    AstNode *id = lower_new(L, AST_IDENT, n);
    id->name = dotted(L, n);
    return id;
}

static TSNode child_of(Lowerer *L, TSNode n, uint16_t code)
{
    LowerSpan s = lower_kids(L, n, true);
    TSNode r = {0};
    for (uint32_t i = 0; i < s.n && ts_node_is_null(r); i++)
        if (lower_sym(L, lower_kid(L, s, i)) == code) r = lower_kid(L, s, i);
    lower_span_end(L, s);
    return r;
}

/* A type with the declarator's extra dimensions ("int x[]" is "int[]"). */
static AstNode *type_with_dims(Lowerer *L, TSNode type, TSNode dims)
{
    if (ts_node_is_null(dims)) return lower_type(L, type);
    StrBuf b;
    sb_init(&b);
    uint32_t a = ts_node_start_byte(type);
    sb_append(&b, L->src + a, ts_node_end_byte(type) - a);
    a = ts_node_start_byte(dims);
    sb_append(&b, L->src + a, ts_node_end_byte(dims) - a);
    AstNode *t = lower_type_named(L, type, lower_type_name(b.s, b.len));
    sb_free(&b);
    return t;
}

/* ---------------------------------------------------------------- modifiers */

/* What a declaration's modifiers say: annotations (lowered), flags and keywords. */
typedef struct JMods {
    AstKids annots;
    uint16_t flags;
    const char *text;     /* "public static final", or NULL */
} JMods;

static void read_modifiers(Lowerer *L, TSNode decl, JMods *m)
{
    memset(m, 0, sizeof *m);
    TSNode mods = child_of(L, decl, S_modifiers);
    if (ts_node_is_null(mods)) return;
    StrBuf b;
    sb_init(&b);
    LowerSpan s = lower_kids(L, mods, false);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (ts_node_is_named(k)) { lower_into(L, k, &m->annots); continue; }
        const char *kw = ts_node_type(k);
        if (strcmp(kw, "static") == 0) m->flags |= AST_F_STATIC;
        if (strcmp(kw, "final") == 0) m->flags |= AST_F_CONST;
        if (b.len) sb_putc(&b, ' ');
        sb_puts(&b, kw);
    }
    lower_span_end(L, s);
    if (b.len) m->text = arena_strdup(L->arena, b.s);
    sb_free(&b);
}

/* Annotations written directly on a declaration (not inside its modifiers). */
static void loose_annotations(Lowerer *L, TSNode decl, AstKids *out)
{
    LowerSpan s = lower_kids_fields(L, decl, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if ((code == S_annotation || code == S_marker_annotation) && !lower_kid_field(L, s, i))
            lower_into(L, k, out);
    }
    lower_span_end(L, s);
}

/* @Name or @Name(args): key = value arguments become KEYWORD. */
static AstNode *lower_annotation(Lowerer *L, TSNode n)
{
    AstNode *a = lower_new(L, AST_ANNOTATION, n);
    TSNode name = lower_field(L, n, F_name);
    a->name = dotted(L, name);
    lower_set_list(L, a, NULL, lower_field(L, n, F_arguments));
    return a;
}

/* ---------------------------------------------------------------- declarations */

static AstNode *lower_param(Lowerer *L, TSNode n)
{
    AstNode *p = lower_new(L, AST_PARAM, n);
    JMods m;
    read_modifiers(L, n, &m);
    p->flags = m.flags & AST_F_CONST;
    TSNode name = lower_field(L, n, F_name), type = lower_field(L, n, F_type);
    if (lower_sym(L, n) == S_spread_parameter) {
        p->flags |= AST_F_VARIADIC;
        TSNode d = child_of(L, n, S_variable_declarator);
        name = ts_node_is_null(d) ? d : lower_field(L, d, F_name);
        LowerSpan s = lower_kids(L, n, true);     /* the type is the child before the declarator */
        for (uint32_t i = 0; i < s.n; i++) {
            uint16_t c = lower_sym(L, lower_kid(L, s, i));
            if (c != S_modifiers && c != S_variable_declarator && ts_node_is_null(type))
                type = lower_kid(L, s, i);
        }
        lower_span_end(L, s);
    }
    if (!ts_node_is_null(name)) p->name = lower_intern(L, name);
    if (!ts_node_is_null(type)) p->type = type_with_dims(L, type, lower_field(L, n, F_dimensions));
    ast_kids_finish(L->arena, p, &m.annots);
    return p;
}

static void lower_params(Lowerer *L, TSNode list, AstKids *out)
{
    LowerSpan s = lower_kids(L, list, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code == S_receiver_parameter) continue;        /* "Foo this": not a parameter */
        if (code == S_identifier) {                        /* lambda (a, b) */
            AstNode *p = lower_new(L, AST_PARAM, k);
            p->name = lower_intern(L, k);
            VEC_PUSH(*out, p);
        } else if (code == S_formal_parameter || code == S_spread_parameter) {
            VEC_PUSH(*out, lower_param(L, k));
        } else {
            lower_into(L, k, out);
        }
    }
    lower_span_end(L, s);
}

/* Methods and constructors: FUNC(ANNOTATION*, PARAM*, BLOCK); text = the modifiers. */
static AstNode *lower_method(Lowerer *L, TSNode n)
{
    AstNode *fn = lower_new(L, AST_FUNC, n);
    JMods m;
    read_modifiers(L, n, &m);
    loose_annotations(L, n, &m.annots);
    fn->flags = m.flags & AST_F_STATIC;
    fn->text = m.text;
    fn->name = lower_intern(L, lower_field(L, n, F_name));
    TSNode type = lower_field(L, n, F_type);
    if (!ts_node_is_null(type)) fn->type = type_with_dims(L, type, lower_field(L, n, F_dimensions));
    TSNode params = lower_field(L, n, F_parameters);
    if (!ts_node_is_null(params)) lower_params(L, params, &m.annots);
    TSNode body = lower_field(L, n, F_body);
    if (!ts_node_is_null(body)) {
        AstNode *b = lower_node(L, body);
        b->kind = AST_BLOCK;                               /* constructor_body */
        VEC_PUSH(m.annots, b);
    }
    ast_kids_finish(L->arena, fn, &m.annots);
    return fn;
}

/* Fields and locals: one DECL a declarator, with the annotations first. */
static AstNode *lower_var_decl(Lowerer *L, TSNode n)
{
    JMods m;
    read_modifiers(L, n, &m);
    TSNode type = lower_field(L, n, F_type);
    AstKids out = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        if (lower_kid_field(L, s, i) != L->t->field[F_declarator]) continue;
        TSNode d = lower_kid(L, s, i);
        AstNode *decl = lower_new(L, AST_DECL, d);
        decl->start = lower_start(n);
        decl->name = lower_intern(L, lower_field(L, d, F_name));
        decl->type = type_with_dims(L, type, lower_field(L, d, F_dimensions));
        decl->flags = m.flags;
        decl->text = m.text;
        AstKids kids = {0};
        for (size_t j = 0; j < m.annots.n; j++) VEC_PUSH(kids, m.annots.v[j]);
        TSNode v = lower_field(L, d, F_value);
        if (!ts_node_is_null(v)) VEC_PUSH(kids, lower_node(L, v));
        ast_kids_finish(L->arena, decl, &kids);
        VEC_PUSH(out, decl);
    }
    lower_span_end(L, s);
    if (out.n == 1) out.v[0]->end = lower_end(n);
    VEC_FREE(m.annots);
    return lower_splice(L, n, &out);
}

static void push_bases(Lowerer *L, TSNode clause, AstKids *out)
{
    if (ts_node_is_null(clause)) return;
    TSNode list = child_of(L, clause, S_type_list);
    if (ts_node_is_null(list)) list = clause;
    LowerSpan s = lower_kids(L, list, true);
    for (uint32_t i = 0; i < s.n; i++) {
        AstNode *t = lower_type(L, lower_kid(L, s, i));
        t->flags |= AST_F_BASE;
        VEC_PUSH(*out, t);
    }
    lower_span_end(L, s);
}

/* enum E { A, B(1) { ... }; members }: constants are DECLs, initialised by a NEW call
 * when they have arguments. */
static AstNode *lower_enum_constant(Lowerer *L, TSNode n, const char *enum_name)
{
    AstNode *d = lower_new(L, AST_DECL, n);
    d->name = lower_intern(L, lower_field(L, n, F_name));
    JMods m;
    read_modifiers(L, n, &m);
    TSNode args = lower_field(L, n, F_arguments), body = lower_field(L, n, F_body);
    if (!ts_node_is_null(args) || !ts_node_is_null(body)) {
        AstNode *call = lower_new(L, AST_CALL, n);
        call->flags |= AST_F_NEW;
        AstKids ck = {0};
        AstNode *t = lower_new(L, AST_TYPE, lower_field(L, n, F_name));
        t->name = enum_name;
        VEC_PUSH(ck, t);
        lower_named_kids(L, args, &ck);
        if (!ts_node_is_null(body)) VEC_PUSH(ck, lower_with_kids(L, AST_CLASS, body));
        ast_kids_finish(L->arena, call, &ck);
        VEC_PUSH(m.annots, call);
    }
    ast_kids_finish(L->arena, d, &m.annots);
    return d;
}

static void class_members(Lowerer *L, TSNode body, const char *name, AstKids *out)
{
    LowerSpan s = lower_kids(L, body, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code == S_enum_constant) VEC_PUSH(*out, lower_enum_constant(L, k, name));
        else if (code == S_enum_body_declarations) class_members(L, k, name, out);
        else lower_into(L, k, out);
    }
    lower_span_end(L, s);
}

static AstNode *lower_class(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CLASS, n);
    switch (lower_sym(L, n)) {
    case S_interface_declaration: c->op = CLASS_INTERFACE; break;
    case S_enum_declaration: c->op = CLASS_ENUM; break;
    case S_record_declaration: c->op = CLASS_RECORD; break;
    default: c->op = CLASS_CLASS; break;
    }
    c->name = lower_intern(L, lower_field(L, n, F_name));
    JMods m;
    read_modifiers(L, n, &m);
    c->flags = m.flags & AST_F_STATIC;
    c->text = m.text;
    push_bases(L, lower_field(L, n, F_superclass), &m.annots);
    push_bases(L, lower_field(L, n, F_interfaces), &m.annots);
    push_bases(L, child_of(L, n, S_extends_interfaces), &m.annots);
    TSNode rec = lower_field(L, n, F_parameters);            /* record components: fields */
    if (!ts_node_is_null(rec)) {
        AstKids ps = {0};
        lower_params(L, rec, &ps);
        for (size_t i = 0; i < ps.n; i++) {
            ps.v[i]->kind = AST_DECL;
            VEC_PUSH(m.annots, ps.v[i]);
        }
        VEC_FREE(ps);
    }
    class_members(L, lower_field(L, n, F_body), c->name, &m.annots);
    ast_kids_finish(L->arena, c, &m.annots);
    return c;
}

/* import [static] a.b.C; / import a.b.*; */
static AstNode *lower_import(Lowerer *L, TSNode n)
{
    AstNode *imp = lower_new(L, AST_IMPORT, n);
    LowerSpan s = lower_kids(L, n, false);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code == S_scoped_identifier || code == S_identifier) imp->name = dotted(L, k);
        else if (code == S_asterisk) imp->flags |= AST_F_WILDCARD;
        else if (!ts_node_is_named(k) && strcmp(ts_node_type(k), "static") == 0) imp->flags |= AST_F_STATIC;
    }
    lower_span_end(L, s);
    return imp;
}

/* package a.b; -> OTHER "package_declaration" named "a.b" (no kind of its own). */
static AstNode *lower_package(Lowerer *L, TSNode n)
{
    AstNode *o = lower_other(L, n);
    TSNode name = child_of(L, n, S_scoped_identifier);
    if (ts_node_is_null(name)) name = child_of(L, n, S_identifier);
    if (!ts_node_is_null(name)) o->name = dotted(L, name);
    return o;
}

/* ---------------------------------------------------------------- statements */

static AstNode *lower_if(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_IF, n);
    AstNode *k[3] = {
        lower_node(L, lower_field(L, n, F_condition)),
        lower_node(L, lower_field(L, n, F_consequence)),
        lower_opt(L, lower_field(L, n, F_alternative), lower_end(n)),
    };
    lower_set(L, r, k, 3);
    return r;
}

/* The parts a field names several times (for's init and update): one node, or a
 * BLOCK of them. */
static AstNode *field_parts(Lowerer *L, TSNode n, int field, AstPos at)
{
    AstKids parts = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++)
        if (lower_kid_field(L, s, i) == L->t->field[field]) lower_into(L, lower_kid(L, s, i), &parts);
    lower_span_end(L, s);
    if (parts.n == 0) { VEC_FREE(parts); return lower_empty_at(L, at); }
    if (parts.n == 1) { AstNode *one = parts.v[0]; VEC_FREE(parts); return one; }
    AstNode *b = ast_new(L->arena, AST_BLOCK, parts.v[0]->start, parts.v[parts.n - 1]->end);
    ast_kids_finish(L->arena, b, &parts);
    return b;
}

static AstNode *lower_loop(Lowerer *L, TSNode n, AstLoopKind kind)
{
    AstNode *r = lower_new(L, AST_LOOP, n);
    r->op = (uint8_t)kind;
    AstPos at = lower_start(n);
    TSNode body = lower_field(L, n, F_body), cond = lower_field(L, n, F_condition);
    if (kind == LOOP_FOR) {
        AstNode *k[4] = { field_parts(L, n, F_init, at), lower_opt(L, cond, at),
                          field_parts(L, n, F_update, at), lower_node(L, body) };
        lower_set(L, r, k, 4);
    } else if (kind == LOOP_FOREACH) {
        AstNode *var = lower_new(L, AST_DECL, lower_field(L, n, F_name));
        var->name = lower_intern(L, lower_field(L, n, F_name));
        var->type = type_with_dims(L, lower_field(L, n, F_type), lower_field(L, n, F_dimensions));
        AstNode *k[3] = { var, lower_node(L, lower_field(L, n, F_value)), lower_node(L, body) };
        lower_set(L, r, k, 3);
    } else if (kind == LOOP_DO) {
        AstNode *k[2] = { lower_node(L, body), lower_node(L, cond) };
        lower_set(L, r, k, 2);
    } else {
        AstNode *k[2] = { lower_node(L, cond), lower_node(L, body) };
        lower_set(L, r, k, 2);
    }
    return r;
}

/* The values of one `case a, b:` / `default:` label, appended to out. */
static void label_values(Lowerer *L, TSNode label, AstNode *c, AstKids *out)
{
    if (ts_node_named_child_count(label) == 0) c->flags |= AST_F_DEFAULT;
    else if (L->src[ts_node_start_byte(label)] == 'd') c->flags |= AST_F_DEFAULT;  /* "default" */
    lower_named_kids(L, label, out);
}

/* A statement group (case 1: case 2: stmts) or an arrow rule (case 1 -> x): one CASE. */
static AstNode *lower_case(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CASE, n);
    AstKids kids = {0}, body = {0};
    AstPos from = lower_end(n);
    bool any = false;
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (lower_sym(L, k) == S_switch_label) { label_values(L, k, c, &kids); continue; }
        if (!any) { from = lower_start(k); any = true; }
        if (lower_sym(L, n) == S_switch_rule && lower_sym(L, k) == S_block) lower_named_kids(L, k, &body);
        else lower_into(L, k, &body);
    }
    lower_span_end(L, s);
    AstNode *b = ast_new(L->arena, AST_BLOCK, from, lower_end(n));
    ast_kids_finish(L->arena, b, &body);
    VEC_PUSH(kids, b);
    ast_kids_finish(L->arena, c, &kids);
    return c;
}

static AstNode *lower_switch(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_SWITCH, n);
    lower_set_list(L, r, lower_node(L, lower_field(L, n, F_condition)), lower_field(L, n, F_body));
    return r;
}

static AstNode *lower_catch(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CATCH, n);
    TSNode p = child_of(L, n, S_catch_formal_parameter);
    if (!ts_node_is_null(p)) {
        c->name = lower_intern(L, lower_field(L, p, F_name));
        TSNode t = child_of(L, p, S_catch_type);
        if (!ts_node_is_null(t)) c->type = lower_type(L, t);
    }
    AstNode *b = lower_node(L, lower_field(L, n, F_body));
    lower_set(L, c, &b, 1);
    return c;
}

/* A resource of try (...): a declaration, or an existing variable as an expression. */
static AstNode *lower_resource(Lowerer *L, TSNode r)
{
    TSNode name = lower_field(L, r, F_name);
    if (ts_node_is_null(name)) {
        AstNode *st = lower_new(L, AST_EXPR_STMT, r);
        AstNode *e = lower_node(L, ts_node_named_child(r, 0));
        lower_set(L, st, &e, 1);
        return st;
    }
    AstNode *d = lower_new(L, AST_DECL, r);
    d->name = lower_intern(L, name);
    d->type = type_with_dims(L, lower_field(L, r, F_type), lower_field(L, r, F_dimensions));
    TSNode v = lower_field(L, r, F_value);
    if (!ts_node_is_null(v)) {
        AstNode *k = lower_node(L, v);
        lower_set(L, d, &k, 1);
    }
    return d;
}

/* try [(resources)] block catch* [finally]: resources open the body BLOCK. */
static AstNode *lower_try(Lowerer *L, TSNode n)
{
    AstNode *t = lower_new(L, AST_TRY, n);
    AstKids kids = {0}, body = {0};
    TSNode res = lower_field(L, n, F_resources), blk = lower_field(L, n, F_body);
    LowerSpan rs = lower_kids(L, res, true);
    for (uint32_t i = 0; i < rs.n; i++) VEC_PUSH(body, lower_resource(L, lower_kid(L, rs, i)));
    lower_span_end(L, rs);
    lower_named_kids(L, blk, &body);
    AstNode *b = lower_new(L, AST_BLOCK, blk);
    if (!ts_node_is_null(res)) b->start = lower_start(res);
    ast_kids_finish(L->arena, b, &body);
    VEC_PUSH(kids, b);
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code == S_catch_clause) VEC_PUSH(kids, lower_catch(L, k));
        else if (code == S_finally_clause) {
            AstNode *f = lower_node(L, ts_node_named_child(k, 0));
            f->flags |= AST_F_FINALLY;
            VEC_PUSH(kids, f);
        }
    }
    lower_span_end(L, s);
    ast_kids_finish(L->arena, t, &kids);
    return t;
}

/* break/continue [label]: the label, if any, is the name. */
static AstNode *lower_jump(Lowerer *L, TSNode n, AstKind kind)
{
    AstNode *j = lower_new(L, kind, n);
    TSNode label = ts_node_named_child(n, 0);
    if (!ts_node_is_null(label)) j->name = lower_intern(L, label);
    return j;
}

static AstNode *lower_labeled(Lowerer *L, TSNode n)
{
    AstNode *r = lower_new(L, AST_LABEL, n);
    AstKids kids = {0};
    LowerSpan s = lower_kids(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        if (i == 0 && lower_sym(L, k) == S_identifier) r->name = lower_intern(L, k);
        else lower_into(L, k, &kids);
    }
    lower_span_end(L, s);
    ast_kids_finish(L->arena, r, &kids);
    return r;
}

/* ---------------------------------------------------------------- expressions */

/* a.b(c) -> CALL(FIELD(a, b), c); b(c) -> CALL(IDENT b, c); super.b() -> FIELD(super). */
static AstNode *lower_invocation(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CALL, n);
    TSNode obj = lower_field(L, n, F_object), name = lower_field(L, n, F_name);
    if (ts_node_is_null(obj)) obj = child_of(L, n, S_super);
    AstNode *callee;
    if (ts_node_is_null(obj)) {
        callee = ident(L, name);
    } else {
        callee = ast_new(L->arena, AST_FIELD, lower_start(obj), lower_end(name));
        callee->name = lower_intern(L, name);
        AstNode *o = lower_node(L, obj);
        lower_set(L, callee, &o, 1);
    }
    lower_set_list(L, c, callee, lower_field(L, n, F_arguments));
    return c;
}

/* new T(args) [{ body }] -> CALL flag NEW (TYPE T, args..., [CLASS body]). */
static AstNode *lower_new_object(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CALL, n);
    c->flags |= AST_F_NEW;
    AstKids kids = {0};
    VEC_PUSH(kids, lower_type(L, lower_field(L, n, F_type)));
    lower_named_kids(L, lower_field(L, n, F_arguments), &kids);
    TSNode body = child_of(L, n, S_class_body);
    if (!ts_node_is_null(body)) {
        AstNode *cls = lower_new(L, AST_CLASS, body);
        AstKids members = {0};
        class_members(L, body, NULL, &members);
        ast_kids_finish(L->arena, cls, &members);
        VEC_PUSH(kids, cls);
    }
    ast_kids_finish(L->arena, c, &kids);
    return c;
}

/* new T[n][m] / new T[]{...} -> CALL flag NEW (TYPE "T[][]", sizes... or INIT_LIST). */
static AstNode *lower_new_array(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CALL, n);
    c->flags |= AST_F_NEW;
    TSNode type = lower_field(L, n, F_type);
    StrBuf b;
    sb_init(&b);
    sb_append(&b, L->src + ts_node_start_byte(type), ts_node_end_byte(type) - ts_node_start_byte(type));
    AstKids kids = {0}, sizes = {0};
    LowerSpan s = lower_kids_fields(L, n, true);
    for (uint32_t i = 0; i < s.n; i++) {
        TSNode k = lower_kid(L, s, i);
        uint16_t code = lower_sym(L, k);
        if (code == S_dimensions_expr) { sb_puts(&b, "[]"); lower_named_kids(L, k, &sizes); }
        else if (code == S_dimensions) sb_append(&b, L->src + ts_node_start_byte(k),
                                                 ts_node_end_byte(k) - ts_node_start_byte(k));
        else if (lower_kid_field(L, s, i) == L->t->field[F_value]) lower_into(L, k, &sizes);
    }
    lower_span_end(L, s);
    VEC_PUSH(kids, lower_type_named(L, type, lower_type_name(b.s, b.len)));
    sb_free(&b);
    for (size_t i = 0; i < sizes.n; i++) VEC_PUSH(kids, sizes.v[i]);
    VEC_FREE(sizes);
    ast_kids_finish(L->arena, c, &kids);
    return c;
}

static AstNode *lower_field_access(Lowerer *L, TSNode n)
{
    TSNode obj = lower_field(L, n, F_object);
    if (ts_node_is_null(obj)) obj = child_of(L, n, S_super);
    AstNode *f = lower_with1(L, AST_FIELD, n, obj);
    f->name = lower_intern(L, lower_field(L, n, F_field));
    return f;
}

static AstNode *lower_update(Lowerer *L, TSNode n)
{
    AstNode *u = lower_new(L, AST_UNARY, n);
    TSNode first = ts_node_child(n, 0);
    bool pre = !ts_node_is_named(first);
    TSNode op = pre ? first : ts_node_child(n, 1);
    bool inc = !ts_node_is_null(op) && L->src[ts_node_start_byte(op)] == '+';
    u->op = (uint8_t)(pre ? (inc ? AST_OP_PREINC : AST_OP_PREDEC) : (inc ? AST_OP_POSTINC : AST_OP_POSTDEC));
    AstNode *k = lower_node(L, ts_node_named_child(n, 0));
    lower_set(L, u, &k, 1);
    return u;
}

/* (T) x; an intersection cast (A & B) x keeps the whole type text. */
static AstNode *lower_cast(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CAST, n);
    TSNode value = lower_field(L, n, F_value), first = lower_field(L, n, F_type);
    if (!ts_node_is_null(first)) {
        uint32_t a = ts_node_start_byte(first), b = ts_node_start_byte(value);
        while (b > a && L->src[b - 1] != ')') b--;
        if (b > a) b--;                                    /* drop the ")" */
        c->type = lower_type_named(L, first, lower_type_name(L->src + a, b - a));
    }
    AstNode *k = lower_node(L, value);
    lower_set(L, c, &k, 1);
    return c;
}

/* x instanceof T [t] -> BINARY(INSTANCEOF, x, TYPE T) or (x, DECL t : T). */
static AstNode *lower_instanceof(Lowerer *L, TSNode n)
{
    AstNode *b = lower_new(L, AST_BINARY, n);
    b->op = AST_OP_INSTANCEOF;
    TSNode right = lower_field(L, n, F_right), name = lower_field(L, n, F_name);
    TSNode pattern = lower_field(L, n, F_pattern);
    AstNode *rhs;
    if (!ts_node_is_null(right) && !ts_node_is_null(name)) {
        rhs = lower_new(L, AST_DECL, right);
        rhs->end = lower_end(name);
        rhs->name = lower_intern(L, name);
        rhs->type = lower_type(L, right);
    } else if (!ts_node_is_null(right)) {
        rhs = lower_type(L, right);
    } else {
        rhs = lower_opt(L, pattern, lower_end(n));
    }
    AstNode *k[2] = { lower_node(L, lower_field(L, n, F_left)), rhs };
    lower_set(L, b, k, 2);
    return b;
}

static AstNode *lower_lambda(Lowerer *L, TSNode n)
{
    AstNode *fn = lower_new(L, AST_LAMBDA, n);
    AstKids kids = {0};
    TSNode ps = lower_field(L, n, F_parameters);
    if (lower_sym(L, ps) == S_identifier) {
        AstNode *p = lower_new(L, AST_PARAM, ps);
        p->name = lower_intern(L, ps);
        VEC_PUSH(kids, p);
    } else if (!ts_node_is_null(ps)) {
        lower_params(L, ps, &kids);
    }
    VEC_PUSH(kids, lower_node(L, lower_field(L, n, F_body)));
    ast_kids_finish(L->arena, fn, &kids);
    return fn;
}

/* this(...) / super(...) / outer.super(...) in a constructor: a statement of its own,
 * so EXPR_STMT(CALL(IDENT super, args)). */
static AstNode *lower_ctor_call(Lowerer *L, TSNode n)
{
    AstNode *c = lower_new(L, AST_CALL, n);
    AstNode *st = lower_new(L, AST_EXPR_STMT, n);
    lower_set(L, st, &c, 1);
    uint32_t end = ts_node_end_byte(n);
    if (end > 0 && end <= L->len && L->src[end - 1] == ';') {   /* the call stops before ";" */
        c->end.offset--;
        c->end.col--;
    }
    TSNode ctor = lower_field(L, n, F_constructor), obj = lower_field(L, n, F_object);
    AstNode *callee = ident(L, ctor);
    if (!ts_node_is_null(obj)) {
        AstNode *f = ast_new(L->arena, AST_FIELD, lower_start(obj), lower_end(ctor));
        f->name = callee->name;
        AstNode *o = lower_node(L, obj);
        lower_set(L, f, &o, 1);
        callee = f;
    }
    lower_set_list(L, c, callee, lower_field(L, n, F_arguments));
    return st;
}

/* String.class -> FIELD "class" of IDENT String. */
static AstNode *lower_class_literal(Lowerer *L, TSNode n)
{
    AstNode *f = lower_new(L, AST_FIELD, n);
    f->name = intern("class");
    AstNode *t = ident(L, ts_node_named_child(n, 0));
    lower_set(L, f, &t, 1);
    return f;
}

static AstNode *lower_op(Lowerer *L, TSNode n, AstKind kind)
{
    TSNode op = lower_field(L, n, F_operator);
    if (kind == AST_UNARY) {
        AstNode *u = lower_with1(L, AST_UNARY, n, lower_field(L, n, F_operand));
        u->op = (uint8_t)lower_unop(L, op);
        return u;
    }
    AstNode *b = lower_with2(L, kind, n, lower_field(L, n, F_left), lower_field(L, n, F_right));
    b->op = (uint8_t)(kind == AST_ASSIGN ? lower_asgop(L, op) : lower_binop(L, op));
    return b;
}

/* ---------------------------------------------------------------- dispatch */

static AstNode *lower_java_stmt(Lowerer *L, TSNode n, uint16_t code)
{
    switch (code) {
    case S_package_declaration: return lower_package(L, n);
    case S_import_declaration: return lower_import(L, n);
    case S_class_declaration: case S_interface_declaration: case S_enum_declaration:
    case S_record_declaration:
        return lower_class(L, n);
    case S_method_declaration: case S_constructor_declaration: case S_compact_constructor_declaration:
        return lower_method(L, n);
    case S_field_declaration: case S_constant_declaration: case S_local_variable_declaration:
        return lower_var_decl(L, n);
    case S_annotation: case S_marker_annotation: return lower_annotation(L, n);
    case S_element_value_pair: {
        AstNode *k = lower_with1(L, AST_KEYWORD, n, lower_field(L, n, F_value));
        k->name = lower_intern(L, lower_field(L, n, F_key));
        return k;
    }
    case S_block: case S_constructor_body: return lower_with_kids(L, AST_BLOCK, n);
    case S_expression_statement: return lower_with1(L, AST_EXPR_STMT, n, ts_node_named_child(n, 0));
    case S_if_statement: return lower_if(L, n);
    case S_while_statement: return lower_loop(L, n, LOOP_WHILE);
    case S_do_statement: return lower_loop(L, n, LOOP_DO);
    case S_for_statement: return lower_loop(L, n, LOOP_FOR);
    case S_enhanced_for_statement: return lower_loop(L, n, LOOP_FOREACH);
    case S_switch_expression: return lower_switch(L, n);
    case S_switch_block_statement_group: case S_switch_rule: return lower_case(L, n);
    case S_try_statement: case S_try_with_resources_statement: return lower_try(L, n);
    case S_throw_statement: return lower_with_kids(L, AST_THROW, n);
    case S_return_statement: return lower_with_kids(L, AST_RETURN, n);
    case S_break_statement: return lower_jump(L, n, AST_BREAK);
    case S_continue_statement: return lower_jump(L, n, AST_CONTINUE);
    case S_labeled_statement: return lower_labeled(L, n);
    case S_explicit_constructor_invocation: return lower_ctor_call(L, n);
    default: return lower_other(L, n);
    }
}

static AstNode *lower_java(Lowerer *L, TSNode n)
{
    uint16_t code = lower_sym(L, n);
    switch (code) {
    case S_program: return lower_with_kids(L, AST_PROGRAM, n);
    case S_identifier: case S_this: case S_super: case S_scoped_identifier:
        return ident(L, n);
    case S_type_identifier: case S_generic_type: case S_array_type: case S_scoped_type_identifier:
    case S_integral_type: case S_floating_point_type: case S_boolean_type: case S_void_type:
        return lower_type(L, n);
    case S_string_literal: return lower_string(L, n, LIT_STRING);
    case S_character_literal: return lower_string(L, n, LIT_CHAR);
    case S_decimal_integer_literal: case S_hex_integer_literal: case S_octal_integer_literal:
    case S_binary_integer_literal:
        return lower_literal(L, n, LIT_INT);
    case S_decimal_floating_point_literal: case S_hex_floating_point_literal:
        return lower_literal(L, n, LIT_FLOAT);
    case S_true: case S_false: return lower_literal(L, n, LIT_BOOL);
    case S_null_literal: return lower_literal(L, n, LIT_NULL);
    case S_method_invocation: return lower_invocation(L, n);
    case S_object_creation_expression: return lower_new_object(L, n);
    case S_array_creation_expression: return lower_new_array(L, n);
    case S_array_initializer: case S_element_value_array_initializer:
        return lower_with_kids(L, AST_INIT_LIST, n);
    case S_field_access: return lower_field_access(L, n);
    case S_array_access: return lower_with2(L, AST_INDEX, n, lower_field(L, n, F_array), lower_field(L, n, F_index));
    case S_assignment_expression: return lower_op(L, n, AST_ASSIGN);
    case S_binary_expression: return lower_op(L, n, AST_BINARY);
    case S_unary_expression: return lower_op(L, n, AST_UNARY);
    case S_update_expression: return lower_update(L, n);
    case S_cast_expression: return lower_cast(L, n);
    case S_ternary_expression: {
        AstNode *r = lower_new(L, AST_COND, n);
        AstNode *k[3] = { lower_node(L, lower_field(L, n, F_condition)),
                          lower_node(L, lower_field(L, n, F_consequence)),
                          lower_node(L, lower_field(L, n, F_alternative)) };
        lower_set(L, r, k, 3);
        return r;
    }
    case S_instanceof_expression: return lower_instanceof(L, n);
    case S_lambda_expression: return lower_lambda(L, n);
    case S_class_literal: return lower_class_literal(L, n);
    case S_parenthesized_expression: {
        TSNode inner = ts_node_named_child(n, 0);
        return ts_node_is_null(inner) ? lower_other(L, n) : lower_node(L, inner);
    }
    default: return lower_java_stmt(L, n, code);
    }
}

const LowerLang lower_java_lang = {
    tree_sitter_java, java_sym_names, S_COUNT_, java_field_names, F_COUNT_, lower_java,
};
