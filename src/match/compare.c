/* compare.c: metavariable-comparison (match stage): a small evaluator for the subset
 * of Python expressions Semgrep documents: integers, strings, booleans, lists;
 * not/and/or, comparisons (chained), in / not in, + - * / // %, unary minus;
 * int(), str(), re.match(); metavariables as their bound values. */
#include "match/match_int.h"

#include <ctype.h>
#include <string.h>

typedef enum { V_ERR, V_INT, V_STR, V_BOOL, V_LIST } VKind;

typedef struct Value {
    VKind kind;
    long long i;                    /* V_INT, V_BOOL */
    const char *s;                  /* V_STR (arena), or V_LIST's element values */
    size_t len;
    const char *src;                /* a metavariable's source text, for str() */
    size_t src_len;
    struct Value *items;            /* V_LIST */
    size_t nitems;
} Value;

typedef struct Parser {
    MatchCtx *cx;
    const RuleFormula *f;
    const MatchRange *r;
    const char *p;
    int depth;
    bool err;
} Parser;

static Value expr(Parser *ps);

static Value err_value(Parser *ps)
{
    ps->err = true;
    return (Value){ .kind = V_ERR };
}

static void skip_ws(Parser *ps)
{
    while (isspace((unsigned char)*ps->p)) ps->p++;
}

static bool eat(Parser *ps, const char *tok)
{
    skip_ws(ps);
    size_t n = strlen(tok);
    if (strncmp(ps->p, tok, n) != 0) return false;
    if (isalpha((unsigned char)tok[0]) && (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_'))
        return false;
    ps->p += n;
    return true;
}

static bool truthy(Value v)
{
    switch (v.kind) {
    case V_INT: case V_BOOL: return v.i != 0;
    case V_STR: return v.len != 0;
    case V_LIST: return v.nitems != 0;
    default: return false;
    }
}

static Value int_value(long long i) { return (Value){ .kind = V_INT, .i = i }; }
static Value bool_value(bool b) { return (Value){ .kind = V_BOOL, .i = b }; }

static Value str_value(Parser *ps, const char *s, size_t n)
{
    return (Value){ .kind = V_STR, .s = arena_strndup(&ps->cx->arena, s, n), .len = n };
}

/* ---------------------------------------------------------------- metavariables */

/* strtoll, plus the integer literal forms strtoll lacks: Python's 0o17 and 0b101 (and
 * Java's 0b101), digit separators (1_000), and C/Java suffixes (10L, 4u). */
static long long int_literal(const char *s, char **end, int base)
{
    char buf[64];
    size_t n = 0;
    const char *p = s;
    while (isspace((unsigned char)*p)) p++;
    if (*p == '-' || *p == '+') buf[n++] = *p++;
    if (base == 0 && p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) base = 8, p += 2;
    else if ((base == 0 || base == 2) && p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) base = 2, p += 2;
    for (; (isalnum((unsigned char)*p) || *p == '_') && n + 1 < sizeof buf; p++)
        if (*p != '_') buf[n++] = *p;
    buf[n] = 0;
    char *e;
    long long v = strtoll(buf, &e, base);
    while (*e == 'l' || *e == 'L' || *e == 'u' || *e == 'U') e++;
    *end = *e ? (char *)s : (char *)p;   /* junk inside the literal: nothing parsed */
    return *e ? 0 : v;
}

static bool parse_int(const char *s, size_t n, int base, long long *out)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    long long v = int_literal(buf, &end, base);
    if (end == buf) return false;
    while (isspace((unsigned char)*end)) end++;
    if (*end) return false;
    *out = v;
    return true;
}

static void strip_quotes(const char **s, size_t *n)
{
    if (*n >= 2 && ((*s)[0] == '"' || (*s)[0] == '\'') && (*s)[*n - 1] == (*s)[0]) {
        (*s)++;
        *n -= 2;
    }
}

/* An integer or string literal gives its value (a local holding one literal for good
 * gives that literal's); anything else gives its source text as a string. */
static Value metavar_value(Parser *ps, const char *name)
{
    const MatchBind *b = match_find_bind(ps->r->binds, ps->r->nbinds, intern(name));
    if (!b) return err_value(ps);
    MatchVal v = b->val;
    const AstNode *lit = NULL;
    if (v.kind == MV_NODE && v.node->kind == AST_LITERAL) lit = v.node;
    if (v.kind == MV_NODE && v.node->kind == AST_IDENT) {
        match_facts_build(ps->cx);
        lit = match_const_lookup(ps->cx, v.node->name);
    }
    size_t len;
    const char *text = match_val_text(ps->cx, &v, &len);
    Value out = { .kind = V_STR, .src = text, .src_len = len };
    if (lit) text = ps->cx->file->src + lit->start.offset, len = lit->end.offset - lit->start.offset;
    if (ps->f->strip) strip_quotes(&text, &len);
    long long i;
    if (parse_int(text, len, ps->f->base, &i) && (!lit || lit->op == LIT_INT || ps->f->strip
                                                  || ps->f->base)) {
        out.kind = V_INT;
        out.i = i;
        return out;
    }
    if (lit && lit->op == LIT_STRING && lit->text) { text = lit->text; len = strlen(text); }
    else if (lit && lit->op == LIT_BOOL) return bool_value(strcmp(lit->text, "true") == 0
                                                           || strcmp(lit->text, "True") == 0);
    out.s = arena_strndup(&ps->cx->arena, text, len);
    out.len = len;
    return out;
}

/* ---------------------------------------------------------------- primaries */

static Value string_literal(Parser *ps)
{
    char q = *ps->p++;
    const char *start = ps->p;
    while (*ps->p && *ps->p != q) {
        if (*ps->p == '\\' && ps->p[1]) ps->p++;
        ps->p++;
    }
    if (*ps->p != q) return err_value(ps);
    Value v = str_value(ps, start, (size_t)(ps->p - start));
    ps->p++;
    return v;
}

static Value to_int(Parser *ps, Value v)
{
    long long i;
    if (v.kind == V_INT || v.kind == V_BOOL) return int_value(v.i);
    if (v.kind == V_STR && parse_int(v.s, v.len, 10, &i)) return int_value(i);
    return err_value(ps);
}

static Value to_str(Parser *ps, Value v)
{
    if (v.src) return str_value(ps, v.src, v.src_len);
    if (v.kind == V_STR) return v;
    if (v.kind == V_INT) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%lld", v.i);
        return str_value(ps, buf, (size_t)n);
    }
    if (v.kind == V_BOOL) return str_value(ps, v.i ? "True" : "False", v.i ? 4 : 5);
    return err_value(ps);
}

static Value re_match(Parser *ps, Value re, Value s)
{
    if (re.kind != V_STR || s.kind != V_STR) return err_value(ps);
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re.s, re.len, PCRE2_ANCHORED, &code, &off, NULL);
    if (!c) return err_value(ps);
    int rc = match_regex_text(ps->cx, c, s.s, s.len);
    pcre2_code_free(c);
    return rc < 0 ? err_value(ps) : bool_value(rc == 1);
}

static Value call_args(Parser *ps, Value *args, int max, int *n)
{
    *n = 0;
    if (eat(ps, ")")) return bool_value(true);
    do {
        if (*n == max) return err_value(ps);
        args[(*n)++] = expr(ps);
    } while (eat(ps, ","));
    if (!eat(ps, ")")) return err_value(ps);
    return bool_value(true);
}

static Value list_literal(Parser *ps)
{
    VEC(Value) items = {0};
    if (!eat(ps, "]")) {
        do VEC_PUSH(items, expr(ps)); while (eat(ps, ","));
        if (!eat(ps, "]")) { VEC_FREE(items); return err_value(ps); }
    }
    Value v = { .kind = V_LIST, .nitems = items.n };
    v.items = arena_alloc(&ps->cx->arena, (items.n + 1) * sizeof *v.items);
    if (items.n) memcpy(v.items, items.v, items.n * sizeof *v.items);
    VEC_FREE(items);
    return v;
}

static Value function_call(Parser *ps, const char *name, size_t n)
{
    Value args[2];
    int na;
    call_args(ps, args, 2, &na);
    if (ps->err) return err_value(ps);
    if (n == 3 && strncmp(name, "int", 3) == 0 && na == 1) return to_int(ps, args[0]);
    if (n == 3 && strncmp(name, "str", 3) == 0 && na == 1) return to_str(ps, args[0]);
    if (n == 8 && strncmp(name, "re.match", 8) == 0 && na == 2) return re_match(ps, args[0], args[1]);
    return err_value(ps);
}

static Value primary(Parser *ps)
{
    skip_ws(ps);
    const char *s = ps->p;
    if (*s == '(') { ps->p++; Value v = expr(ps); return eat(ps, ")") ? v : err_value(ps); }
    if (*s == '[') { ps->p++; return list_literal(ps); }
    if (*s == '"' || *s == '\'') return string_literal(ps);
    if (isdigit((unsigned char)*s)) {
        char *end;
        long long v = int_literal(s, &end, 0);
        if (end == s) return err_value(ps);
        ps->p = end;
        return int_value(v);
    }
    if (*s == '$') {
        const char *e = s + 1;
        while (isalnum((unsigned char)*e) || *e == '_' || *e == '.') e++;
        ps->p = e;
        char name[128];
        size_t n = (size_t)(e - s);
        if (n >= sizeof name) return err_value(ps);
        memcpy(name, s, n);
        name[n] = 0;
        return metavar_value(ps, name);
    }
    const char *e = s;
    while (isalnum((unsigned char)*e) || *e == '_' || *e == '.') e++;
    size_t n = (size_t)(e - s);
    ps->p = e;
    if (n == 4 && strncmp(s, "True", 4) == 0) return bool_value(true);
    if (n == 5 && strncmp(s, "False", 5) == 0) return bool_value(false);
    if (n && eat(ps, "(")) return function_call(ps, s, n);
    return err_value(ps);
}

/* ---------------------------------------------------------------- operators */

static Value unary(Parser *ps)
{
    if (++ps->depth > 100) return err_value(ps);
    Value v;
    if (eat(ps, "-")) {
        v = unary(ps);
        v = v.kind == V_INT ? int_value(-v.i) : err_value(ps);
    } else if (eat(ps, "+")) {
        v = unary(ps);
    } else {
        v = primary(ps);
    }
    ps->depth--;
    return v;
}

static long long floordiv(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static Value term(Parser *ps)
{
    Value a = unary(ps);
    for (;;) {
        int op = eat(ps, "//") ? 'f' : eat(ps, "*") ? '*' : eat(ps, "/") ? '/' : eat(ps, "%") ? '%' : 0;
        if (!op) return a;
        Value b = unary(ps);
        if (a.kind != V_INT || b.kind != V_INT) return err_value(ps);
        if (op != '*' && b.i == 0) return err_value(ps);
        if (op == '*') a = int_value(a.i * b.i);
        else if (op == '%') a = int_value(a.i - b.i * floordiv(a.i, b.i));
        else a = int_value(op == 'f' ? floordiv(a.i, b.i) : a.i / b.i);
    }
}

static Value sum(Parser *ps)
{
    Value a = term(ps);
    for (;;) {
        int op = eat(ps, "+") ? '+' : eat(ps, "-") ? '-' : 0;
        if (!op) return a;
        Value b = term(ps);
        if (a.kind == V_STR && b.kind == V_STR && op == '+') {
            char *s = arena_alloc(&ps->cx->arena, a.len + b.len + 1);
            memcpy(s, a.s, a.len);
            memcpy(s + a.len, b.s, b.len);
            a = (Value){ .kind = V_STR, .s = s, .len = a.len + b.len };
            continue;
        }
        if (a.kind != V_INT || b.kind != V_INT) return err_value(ps);
        a = int_value(op == '+' ? a.i + b.i : a.i - b.i);
    }
}

static int compare3(Parser *ps, Value a, Value b)
{
    if ((a.kind == V_INT || a.kind == V_BOOL) && (b.kind == V_INT || b.kind == V_BOOL))
        return (a.i > b.i) - (a.i < b.i);
    if (a.kind == V_STR && b.kind == V_STR) {
        size_t n = a.len < b.len ? a.len : b.len;
        int c = memcmp(a.s, b.s, n);
        return c ? (c > 0) - (c < 0) : (a.len > b.len) - (a.len < b.len);
    }
    err_value(ps);
    return 2;
}

static bool values_equal(Value a, Value b)
{
    if (a.kind == V_STR && b.kind == V_STR) return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
    if ((a.kind == V_INT || a.kind == V_BOOL) && (b.kind == V_INT || b.kind == V_BOOL))
        return a.i == b.i;
    return false;
}

static bool contains(Value item, Value in)
{
    if (in.kind == V_LIST) {
        for (size_t i = 0; i < in.nitems; i++)
            if (values_equal(item, in.items[i])) return true;
        return false;
    }
    if (in.kind == V_STR && item.kind == V_STR)
        return item.len == 0 || memmem(in.s, in.len, item.s, item.len) != NULL;
    return false;
}

static int comparison_op(Parser *ps)
{
    if (eat(ps, "==")) return 'e';
    if (eat(ps, "!=")) return 'n';
    if (eat(ps, "<=")) return 'l';
    if (eat(ps, ">=")) return 'g';
    if (eat(ps, "<")) return '<';
    if (eat(ps, ">")) return '>';
    if (eat(ps, "in")) return 'i';
    const char *save = ps->p;
    if (eat(ps, "not") && eat(ps, "in")) return 'x';
    ps->p = save;
    return 0;
}

static bool apply_cmp(Parser *ps, int op, Value a, Value b)
{
    switch (op) {
    case 'e': return values_equal(a, b);
    case 'n': return !values_equal(a, b);
    case 'i': return contains(a, b);
    case 'x': return !contains(a, b);
    default: break;
    }
    int c = compare3(ps, a, b);
    if (c == 2) return false;
    return op == '<' ? c < 0 : op == '>' ? c > 0 : op == 'l' ? c <= 0 : c >= 0;
}

/* Python chains comparisons: a < b < c means a < b and b < c. */
static Value comparison(Parser *ps)
{
    Value a = sum(ps);
    int op = comparison_op(ps);
    if (!op) return a;
    bool all = true;
    while (op) {
        Value b = sum(ps);
        all = apply_cmp(ps, op, a, b) && all;
        a = b;
        op = comparison_op(ps);
    }
    return bool_value(all);
}

static Value not_expr(Parser *ps)
{
    if (eat(ps, "not")) {
        if (++ps->depth > 100) return err_value(ps);
        Value v = not_expr(ps);
        ps->depth--;
        return bool_value(!truthy(v));
    }
    return comparison(ps);
}

/* Python short-circuits: the side not evaluated may not fail the whole. */
static Value and_expr(Parser *ps)
{
    Value a = not_expr(ps);
    while (eat(ps, "and")) {
        bool err = ps->err;
        Value b = not_expr(ps);
        if (!truthy(a)) ps->err = err;
        else a = b;
    }
    return a;
}

static Value expr(Parser *ps)
{
    if (++ps->depth > 100) return err_value(ps);
    Value a = and_expr(ps);
    while (eat(ps, "or")) {
        bool err = ps->err;
        Value b = and_expr(ps);
        if (truthy(a)) ps->err = err;
        else a = b;
    }
    ps->depth--;
    return a;
}

bool match_compare_eval(MatchCtx *cx, const RuleFormula *f, const MatchRange *r)
{
    if (!f->text) return false;
    Parser ps = { .cx = cx, .f = f, .r = r, .p = f->text };
    Value v = expr(&ps);
    skip_ws(&ps);
    if (ps.err || *ps.p) return false;
    return truthy(v);
}
