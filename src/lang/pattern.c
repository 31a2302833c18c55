/* pattern.c: parsing Semgrep patterns (parse and lower stages). "$X", "$...X", "..."
 * and "<... e ...>" are rewritten into placeholder identifiers the grammar accepts;
 * the text is parsed in the language's wrappings (expression, statements, members,
 * top level) until one parses cleanly; the lowered placeholders then become METAVAR,
 * ELLIPSIS and DEEP nodes whose ranges point into the pattern as written. */
#include "lang/lower.h"

#include <stdlib.h>
#include <string.h>

/* Placeholders: identifiers that every grammar accepts and no real code uses. */
#define PH          "__sluice_"
#define PH_MV       PH "mv_"        /* $X */
#define PH_MVS      PH "mvs_"       /* $...X */
#define PH_TMV      PH "tmv_"       /* the $X of a typed metavariable (T $X) */
#define PH_ELLIPSIS PH "ellipsis"   /* ... */
#define PH_DEEP     PH "deep"       /* <... e ...> is __sluice_deep(e) */
#define PH_PTYPE    PH "pty"        /* the type of a "..." parameter in C and Java */

/* ---------------------------------------------------------------- the text to lex */

/* A text and, for each byte (and one past the end), its offset in the pattern as
 * written: dedenting and rewriting drop and insert bytes, ranges must not move. */
typedef struct MappedText {
    StrBuf text;
    VEC(uint32_t) orig;
} MappedText;

static void mt_put(MappedText *m, const char *s, size_t n, uint32_t orig, bool advance)
{
    sb_append(&m->text, s, n);
    for (size_t i = 0; i < n; i++) VEC_PUSH(m->orig, advance ? orig + (uint32_t)i : orig);
}

static void mt_free(MappedText *m)
{
    sb_free(&m->text);
    VEC_FREE(m->orig);
}

static bool is_blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

/* Python cares about indentation, and patterns from YAML block scalars may all be
 * indented alike: the common leading whitespace of the non-blank lines is dropped. */
static size_t common_indent(const char *s, size_t n)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n, k = i;
        if (!is_blank_line(s + i, end - i)) {
            while (k < end && (s[k] == ' ' || s[k] == '\t')) k++;
            if (k - i < best) best = k - i;
        }
        i = end + 1;
    }
    return best == SIZE_MAX ? 0 : best;
}

static void source_text(Lang lang, const char *s, size_t n, MappedText *out)
{
    size_t indent = lang == LANG_PYTHON ? common_indent(s, n) : 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) + 1 : n;
        size_t skip = indent < end - i ? indent : end - i;
        if (is_blank_line(s + i, end - i - (nl ? 1 : 0))) skip = end - i - (nl ? 1 : 0);
        mt_put(out, s + i + skip, end - i - skip, (uint32_t)(i + skip), true);
        i = end;
    }
    VEC_PUSH(out->orig, (uint32_t)n);
}

/* ---------------------------------------------------------------- lexing */

typedef enum TokKind {
    T_WORD, T_STRING, T_COMMENT, T_PUNCT, T_OPEN, T_CLOSE,
    T_MV, T_MVS, T_ELLIPSIS, T_DEEP_OPEN, T_DEEP_CLOSE,
} TokKind;

/* How a token is written out: as is, or as one of the placeholder forms. */
typedef enum TokForm {
    F_COPY, F_MV, F_MVS, F_MVS_STMT, F_MVS_PARAM, F_TMV, F_ELL, F_ELL_STMT, F_ELL_PARAM,
    F_ELL_DICT, F_ELL_FOR, F_DEEP_OPEN, F_DEEP_CLOSE,
} TokForm;

typedef struct Tok {
    uint8_t kind;          /* TokKind */
    uint8_t form;          /* TokForm */
    bool open_before;      /* a typed metavariable's type starts here: "(" first */
    bool close_after;      /* ... and ends here: ")" after */
    uint32_t start, end;   /* in the dedented text */
    int32_t match;         /* brackets: the partner's index, -1 if unbalanced */
    int32_t parent;        /* the innermost enclosing opening bracket, -1 at top */
} Tok;

typedef struct Lexed {
    Lang lang;
    const char *s;
    size_t n;
    VEC(Tok) t;
} Lexed;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_word_byte(unsigned char c)
{
    return c == '_' || c == '$' || c >= 0x80 || (c >= '0' && c <= '9') ||
           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_mv_start(unsigned char c)
{
    return c == '_' || (c >= 'A' && c <= 'Z');
}

static bool is_mv_byte(unsigned char c)
{
    return is_mv_start(c) || (c >= '0' && c <= '9');
}

/* The end of a string or character literal starting at i (a quote); triple quotes
 * in Python and Java. Escapes skip a byte; an unterminated literal runs to the end. */
static size_t string_end(const Lexed *x, size_t i)
{
    char q = x->s[i];
    bool triple = x->lang != LANG_C && i + 2 < x->n && x->s[i + 1] == q && x->s[i + 2] == q;
    size_t qn = triple ? 3 : 1;
    for (size_t k = i + qn; k < x->n; k++) {
        if (x->s[k] == '\\') { k++; continue; }
        if (x->s[k] != q) continue;
        if (!triple) return k + 1;
        if (k + 2 < x->n && x->s[k + 1] == q && x->s[k + 2] == q) return k + 3;
    }
    return x->n;
}

/* The end of a comment starting at i, or i when there is none. */
static size_t comment_end(const Lexed *x, size_t i)
{
    const char *s = x->s;
    bool line = x->lang == LANG_PYTHON ? s[i] == '#'
                                       : (s[i] == '/' && i + 1 < x->n && s[i + 1] == '/');
    if (line) {
        const char *nl = memchr(s + i, '\n', x->n - i);
        return nl ? (size_t)(nl - s) : x->n;
    }
    if (x->lang != LANG_PYTHON && s[i] == '/' && i + 1 < x->n && s[i + 1] == '*') {
        for (size_t k = i + 2; k + 1 < x->n; k++)
            if (s[k] == '*' && s[k + 1] == '/') return k + 2;
        return x->n;
    }
    return i;
}

static bool at(const Lexed *x, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    return i + k <= x->n && memcmp(x->s + i, lit, k) == 0;
}

/* A metavariable at i ("$X" or "$...X"): its end, or i when there is none. */
static size_t metavar_end(const Lexed *x, size_t i, bool *variadic)
{
    size_t k = i + 1;
    *variadic = at(x, k, "...");
    if (*variadic) k += 3;
    if (k >= x->n || !is_mv_start((unsigned char)x->s[k])) return i;
    while (k < x->n && is_mv_byte((unsigned char)x->s[k])) k++;
    if (k < x->n && is_word_byte((unsigned char)x->s[k])) return i;   /* $Xy: not one */
    return k;
}

/* One token at i: its kind and end. deep counts the open "<..." so that "...>"
 * closes one only inside one. */
static TokKind next_token(const Lexed *x, size_t i, int deep, size_t *end)
{
    unsigned char c = (unsigned char)x->s[i];
    size_t e;
    bool variadic;
    if ((e = comment_end(x, i)) > i) { *end = e; return T_COMMENT; }
    if (c == '"' || c == '\'') { *end = string_end(x, i); return T_STRING; }
    if (c == '$' && (e = metavar_end(x, i, &variadic)) > i) {
        *end = e;
        return variadic ? T_MVS : T_MV;
    }
    if (at(x, i, "<...")) { *end = i + 4; return T_DEEP_OPEN; }
    if (deep > 0 && at(x, i, "...>")) { *end = i + 4; return T_DEEP_CLOSE; }
    if (at(x, i, "...")) { *end = i + 3; return T_ELLIPSIS; }
    if (is_word_byte(c)) {
        for (e = i + 1; e < x->n && is_word_byte((unsigned char)x->s[e]);) e++;
        *end = e;
        return T_WORD;
    }
    *end = i + 1;
    if (c == '(' || c == '[' || c == '{') return T_OPEN;
    if (c == ')' || c == ']' || c == '}') return T_CLOSE;
    return T_PUNCT;
}

/* Tokens with their brackets paired (deep markers pair like brackets). */
static void lex(Lexed *x)
{
    VEC(int32_t) open = {0};
    int deep = 0;
    for (size_t i = 0; i < x->n;) {
        unsigned char c = (unsigned char)x->s[i];
        if (is_space((char)c) || c == '\\') {      /* a backslash continues a line */
            i++;
            continue;
        }
        size_t end;
        TokKind k = next_token(x, i, deep, &end);
        Tok t = { .kind = (uint8_t)k, .start = (uint32_t)i, .end = (uint32_t)end, .match = -1,
                  .parent = open.n ? open.v[open.n - 1] : -1 };
        int32_t idx = (int32_t)x->t.n;
        if (k == T_OPEN || k == T_DEEP_OPEN) {
            VEC_PUSH(open, idx);
            deep += k == T_DEEP_OPEN;
        } else if ((k == T_CLOSE || k == T_DEEP_CLOSE) && open.n) {
            int32_t o = open.v[--open.n];
            x->t.v[o].match = idx;
            t.match = o;
            t.parent = open.n ? open.v[open.n - 1] : -1;
            deep -= x->t.v[o].kind == T_DEEP_OPEN;
        }
        VEC_PUSH(x->t, t);
        i = end;
    }
    VEC_FREE(open);
}

/* ---------------------------------------------------------------- token context */

static int prev_tok(const Lexed *x, int i)
{
    for (i--; i >= 0; i--)
        if (x->t.v[i].kind != T_COMMENT) return i;
    return -1;
}

static int next_tok(const Lexed *x, int i)
{
    for (i++; i < (int)x->t.n; i++)
        if (x->t.v[i].kind != T_COMMENT) return i;
    return -1;
}

static char tok_char(const Lexed *x, int i)
{
    return i < 0 ? 0 : x->s[x->t.v[i].start];
}

static bool tok_is(const Lexed *x, int i, const char *word)
{
    if (i < 0) return false;
    const Tok *t = &x->t.v[i];
    size_t k = strlen(word);
    return t->end - t->start == k && memcmp(x->s + t->start, word, k) == 0;
}

static bool tok_is_any(const Lexed *x, int i, const char *const *words)
{
    for (; *words; words++)
        if (tok_is(x, i, *words)) return true;
    return false;
}

/* Keywords after which "(" opens an expression, not a call or a parameter list. */
static const char *const expr_keywords[] = {
    "return", "case", "throw", "yield", "assert", "else", "do", "in", "not", "and", "or",
    "await", "new", NULL,
};
/* Keywords after which "(" holds a condition or a header, not parameters. */
static const char *const control_keywords[] = {
    "if", "while", "for", "switch", "catch", "synchronized", "try", "sizeof", "return",
    "elif", "with", NULL,
};

/* A C or Java statement "..." (it needs a ";"): it follows the start, ";", "{",
 * "}" or ":" and no operator or closing bracket other than "}" follows it. */
static bool stmt_position(const Lexed *x, int i)
{
    int a = prev_tok(x, i), b = next_tok(x, i);
    if (a >= 0 && !strchr(";{}:", tok_char(x, a))) return false;
    if (a >= 0 && x->t.v[a].kind == T_STRING) return false;
    if (b < 0) return true;
    TokKind k = (TokKind)x->t.v[b].kind;
    if (k == T_CLOSE) return tok_char(x, b) == '}';
    if (k == T_PUNCT) return !strchr(";,.:=+-*/%<>!&|^?", tok_char(x, b));
    return k != T_DEEP_CLOSE;
}

static bool is_name_tok(const Lexed *x, int i)
{
    return i >= 0 && (x->t.v[i].kind == T_WORD || x->t.v[i].kind == T_MV);
}

/* A "..." (or $...X) directly in the parameter list of a C or Java function: a
 * definition "name(...) {" / "name(...) throws", or a declaration "T name(...);"
 * (a type before the name, where a call has an operator, "." or nothing). */
static bool param_position(const Lexed *x, int i)
{
    int o = x->t.v[i].parent;
    if (o < 0 || tok_char(x, o) != '(' || x->t.v[o].match < 0) return false;
    int after = next_tok(x, x->t.v[o].match), before = prev_tok(x, o);
    if (!is_name_tok(x, before) || tok_is_any(x, before, control_keywords)) return false;
    if (tok_char(x, after) == '{' || tok_is(x, after, "throws")) return true;
    int type = prev_tok(x, before);
    bool typed = is_name_tok(x, type) ? !tok_is_any(x, type, expr_keywords)
                                      : type >= 0 && strchr("*>]", tok_char(x, type));
    return tok_char(x, after) == ';' && typed;
}

/* C and Java "for (...)": the whole loop header. */
static bool for_header(const Lexed *x, int i)
{
    int o = x->t.v[i].parent;
    return o >= 0 && tok_char(x, o) == '(' && tok_is(x, prev_tok(x, o), "for")
           && next_tok(x, o) == i && next_tok(x, i) == x->t.v[o].match;
}

/* A Python "{...}" holding "key: value" pairs at its top level is a dict. */
static bool in_dict(const Lexed *x, int i)
{
    int o = x->t.v[i].parent;
    if (o < 0 || tok_char(x, o) != '{' || x->t.v[o].match < 0) return false;
    for (int k = o + 1; k < x->t.v[o].match; k++)
        if (x->t.v[k].parent == o && tok_char(x, k) == ':' && x->t.v[k].kind == T_PUNCT) return true;
    return false;
}

static bool type_token(const Lexed *x, int i)
{
    TokKind k = (TokKind)x->t.v[i].kind;
    if (k == T_WORD || k == T_MV) return !tok_is_any(x, i, expr_keywords);
    if (k == T_PUNCT) return strchr("*&.<>,?", tok_char(x, i)) != NULL;
    return (k == T_OPEN || k == T_CLOSE) && strchr("[]", tok_char(x, i));
}

/* "(T $X)" in C or Java is a typed metavariable when the "(" opens an expression:
 * not after a name (a call, a parameter list) and not before "{" or "->". Returns
 * the index of the $X, or -1. */
static int typed_metavar_at(const Lexed *x, int o)
{
    int c = x->t.v[o].match;
    if (tok_char(x, o) != '(' || c < 0) return -1;
    int mv = prev_tok(x, c), last = prev_tok(x, mv), first = next_tok(x, o);
    if (mv <= o || x->t.v[mv].kind != T_MV || last <= o) return -1;
    if (x->t.v[first].kind != T_WORD && x->t.v[first].kind != T_MV) return -1;
    if (!strchr("*]>", tok_char(x, last)) && x->t.v[last].kind != T_WORD && x->t.v[last].kind != T_MV)
        return -1;
    for (int k = first; k <= last; k++)
        if (x->t.v[k].kind != T_COMMENT && !type_token(x, k)) return -1;
    int before = prev_tok(x, o), after = next_tok(x, c);
    if (before >= 0) {
        TokKind bk = (TokKind)x->t.v[before].kind;
        if ((bk == T_WORD && !tok_is_any(x, before, expr_keywords)) || bk == T_MV || bk == T_CLOSE
            || bk == T_STRING)
            return -1;
    }
    if (tok_char(x, after) == '{') return -1;
    if (tok_char(x, after) == '-' && tok_char(x, next_tok(x, after)) == '>') return -1;
    x->t.v[first].open_before = true;
    x->t.v[last].close_after = true;
    return mv;
}

/* Decides how each token is written out. */
static void choose_forms(Lexed *x)
{
    bool c_like = x->lang != LANG_PYTHON;
    for (int i = 0; i < (int)x->t.n; i++) {
        Tok *t = &x->t.v[i];
        switch ((TokKind)t->kind) {
        case T_MV: if (t->form == F_COPY) t->form = F_MV; break;
        case T_MVS:
            t->form = !c_like ? F_MVS : param_position(x, i) ? F_MVS_PARAM
                    : stmt_position(x, i) ? F_MVS_STMT : F_MVS;
            break;
        case T_ELLIPSIS:
            if (c_like)
                t->form = param_position(x, i) ? F_ELL_PARAM : for_header(x, i) ? F_ELL_FOR
                        : stmt_position(x, i) ? F_ELL_STMT : F_ELL;
            else t->form = in_dict(x, i) ? F_ELL_DICT : F_ELL;
            break;
        case T_DEEP_OPEN: t->form = F_DEEP_OPEN; break;
        case T_DEEP_CLOSE: t->form = F_DEEP_CLOSE; break;
        case T_OPEN:
            if (c_like) {
                int mv = typed_metavar_at(x, i);
                if (mv >= 0) x->t.v[mv].form = F_TMV;
            }
            break;
        default: break;
        }
    }
}

/* ---------------------------------------------------------------- rewriting */

/* Writes n bytes of the dedented text from `from`, each mapped to where it was. */
static void put_copy(MappedText *out, const MappedText *src, size_t from, size_t n)
{
    sb_append(&out->text, src->text.s + from, n);
    for (size_t i = 0; i < n; i++) VEC_PUSH(out->orig, src->orig.v[from + i]);
}

/* A placeholder for a token spanning [a, b) of the pattern: its first byte maps to
 * a and the rest to b, so a node made of it spans the token, and text inserted
 * before (pre, at a) or after (post, at b) stays out of the nodes' ranges. */
static void put_placeholder(MappedText *out, const char *pre, const char *core, size_t core_n,
                            const char *post, uint32_t a, uint32_t b)
{
    if (pre) mt_put(out, pre, strlen(pre), a, false);
    mt_put(out, core, 1, a, false);
    mt_put(out, core + 1, core_n - 1, b, false);
    if (post) mt_put(out, post, strlen(post), b, false);
}

static void put_token(MappedText *out, const MappedText *src, const Lexed *x, const Tok *t,
                      int variant)
{
    uint32_t a = src->orig.v[t->start], b = src->orig.v[t->end - 1] + 1;
    const char *name = x->s + t->start + 1;            /* after "$" */
    size_t nlen = t->end - t->start - 1;
    if (t->kind == T_MVS) { name += 3; nlen -= 3; }
    const char *ell_stmt_pre = variant ? "int " : NULL;
    StrBuf core;
    sb_init(&core);
    switch ((TokForm)t->form) {
    case F_MV: case F_TMV: case F_MVS: case F_MVS_STMT: case F_MVS_PARAM:
        sb_puts(&core, t->form == F_MV ? PH_MV : t->form == F_TMV ? PH_TMV : PH_MVS);
        sb_append(&core, name, nlen);
        break;
    case F_DEEP_OPEN: sb_puts(&core, PH_DEEP "("); break;
    case F_DEEP_CLOSE: sb_puts(&core, ")"); break;
    case F_ELL: case F_ELL_STMT: case F_ELL_PARAM: case F_ELL_DICT: sb_puts(&core, PH_ELLIPSIS); break;
    case F_ELL_FOR:                                   /* each of init; cond; update */
        sb_puts(&core, PH_ELLIPSIS ";" PH_ELLIPSIS ";" PH_ELLIPSIS);
        break;
    case F_COPY: break;
    }
    switch ((TokForm)t->form) {
    case F_COPY: put_copy(out, src, t->start, t->end - t->start); break;
    case F_MVS_STMT: put_placeholder(out, NULL, core.s, core.len, ";", a, b); break;
    case F_ELL_STMT: put_placeholder(out, ell_stmt_pre, core.s, core.len, ";", a, b); break;
    case F_MVS_PARAM: case F_ELL_PARAM:
        put_placeholder(out, PH_PTYPE " ", core.s, core.len, NULL, a, b);
        break;
    case F_ELL_DICT: put_placeholder(out, "**", core.s, core.len, NULL, a, b); break;
    default: put_placeholder(out, NULL, core.s, core.len, NULL, a, b); break;
    }
    sb_free(&core);
}

/* The dedented pattern with every token in its chosen form; the gaps between
 * tokens (spaces, newlines) are copied. variant 1 writes a statement "..." as a
 * declaration, which Java class bodies and C struct bodies accept. */
static void rewrite(const MappedText *src, const Lexed *x, int variant, MappedText *out)
{
    size_t pos = 0;
    for (size_t i = 0; i < x->t.n; i++) {
        const Tok *t = &x->t.v[i];
        put_copy(out, src, pos, t->start - pos);
        uint32_t a = src->orig.v[t->start], b = src->orig.v[t->end - 1] + 1;
        if (t->open_before) mt_put(out, "(", 1, a, false);
        put_token(out, src, x, t, variant);
        if (t->close_after) mt_put(out, ")", 1, b, false);
        pos = t->end;
    }
    put_copy(out, src, pos, x->n - pos);
}

/* ---------------------------------------------------------------- wrappings */

typedef enum Shape {
    SH_EXPR,          /* the rhs of the wrapper's assignment */
    SH_STMTS,         /* the statements of the wrapper function's body */
    SH_STMTS_SEMI,    /* the same, the pattern followed by ";" (an expression statement) */
    SH_MEMBERS,       /* the members of the wrapper class */
    SH_TOP,           /* the file's top-level items */
} Shape;

typedef struct Wrap {
    Shape shape;
    const char *pre, *post;
} Wrap;

#define C_FN "void __sluice_f(void) {"
#define J_FN "class __sluice_c { void __sluice_f() {"

static const Wrap c_wraps[] = {
    { SH_EXPR, C_FN " __sluice_e = (\n", "\n); }" },
    { SH_STMTS, C_FN "\n", "\n}" },
    { SH_STMTS_SEMI, C_FN "\n", "\n;}" },
    { SH_TOP, "", "" },
};
static const Wrap java_wraps[] = {
    { SH_EXPR, J_FN " __sluice_e = (\n", "\n); } }" },
    { SH_STMTS, J_FN "\n", "\n} }" },
    { SH_STMTS_SEMI, J_FN "\n", "\n;} }" },
    { SH_MEMBERS, "class __sluice_c {\n", "\n}" },
    { SH_TOP, "", "" },
};
static const Wrap python_wraps[] = {
    { SH_TOP, "", "" },
};

static const Wrap *wraps_of(Lang lang, size_t *n)
{
    switch (lang) {
    case LANG_C: *n = sizeof c_wraps / sizeof *c_wraps; return c_wraps;
    case LANG_JAVA: *n = sizeof java_wraps / sizeof *java_wraps; return java_wraps;
    default: *n = sizeof python_wraps / sizeof *python_wraps; return python_wraps;
    }
}

static AstNode *only_kid(AstNode *n, AstKind kind)
{
    return n && n->nkids == 1 && n->kids[0]->kind == kind ? n->kids[0] : NULL;
}

/* The wrapper function's body: through the wrapper class in Java. */
static AstNode *wrapper_body(AstNode *root, Lang lang)
{
    AstNode *outer = lang == LANG_JAVA ? only_kid(root, AST_CLASS) : root;
    AstNode *fn = only_kid(outer, AST_FUNC);
    return fn ? ast_func_body(fn) : NULL;
}

/* The pattern's nodes inside the lowered wrapping, or false when the tree does not
 * have the wrapping's shape (the pattern closed a brace of the wrapper, say). */
static bool unwrap(AstNode *root, Lang lang, Shape shape, AstNode ***items, uint32_t *n)
{
    AstNode *holder = root;
    if (shape == SH_EXPR) {
        AstNode *st = only_kid(wrapper_body(root, lang), AST_EXPR_STMT);
        AstNode *as = st ? only_kid(st, AST_ASSIGN) : NULL;
        if (!as || as->nkids != 2) return false;
        *items = &as->kids[1];
        *n = 1;
        return true;
    }
    if (shape == SH_STMTS || shape == SH_STMTS_SEMI) holder = wrapper_body(root, lang);
    else if (shape == SH_MEMBERS) holder = only_kid(root, AST_CLASS);
    if (!holder) return false;
    *items = holder->kids;
    *n = holder->nkids;
    return true;
}

/* ---------------------------------------------------------------- placeholders back */

/* The placeholders in a name or type text replaced by what they stood for:
 * "List<__sluice_mv_T>" -> "List<$T>". Interned; s itself when it has none. */
static const char *restore_text(const char *s)
{
    if (!s || !strstr(s, PH)) return s;
    StrBuf b;
    sb_init(&b);
    while (*s) {
        const char *p = strstr(s, PH);
        if (!p) { sb_puts(&b, s); break; }
        sb_append(&b, s, (size_t)(p - s));
        s = p;
        const char *dollar = NULL;
        if (str_starts_with(s, PH_MVS)) { dollar = "$..."; s += strlen(PH_MVS); }
        else if (str_starts_with(s, PH_MV)) { dollar = "$"; s += strlen(PH_MV); }
        else if (str_starts_with(s, PH_TMV)) { dollar = "$"; s += strlen(PH_TMV); }
        else if (str_starts_with(s, PH_ELLIPSIS)) { sb_puts(&b, "..."); s += strlen(PH_ELLIPSIS); continue; }
        else { sb_puts(&b, PH); s += strlen(PH); continue; }
        sb_puts(&b, dollar);
        while (is_mv_byte((unsigned char)*s)) sb_putc(&b, *s++);
    }
    const char *r = intern(b.s ? b.s : "");
    sb_free(&b);
    return r;
}

/* "$X" or "$...X" as restore_text() writes them (a dotted "a.$X" is no metavariable). */
static bool is_metavar(const char *s)
{
    if (!s || s[0] != '$') return false;
    s += strncmp(s, "$...", 4) == 0 ? 4 : 1;
    if (!is_mv_start((unsigned char)*s)) return false;
    while (is_mv_byte((unsigned char)*s)) s++;
    return *s == 0;
}

static bool is_name(const char *s, const char *ph)
{
    return s && strcmp(s, ph) == 0;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return s && str_starts_with(s, prefix);
}

/* n becomes the metavariable `name` ("$X" or "$...X", already restored). */
static void make_metavar(AstNode *n, const char *name)
{
    n->kind = AST_METAVAR;
    n->op = 0;
    n->flags = strncmp(name, "$...", 4) == 0 ? AST_F_VARIADIC : 0;
    n->name = name;
    n->text = NULL;
    n->nkids = 0;
}

static void make_ellipsis(AstNode *n, uint32_t keep_kids)
{
    n->kind = AST_ELLIPSIS;
    n->op = 0;
    n->flags = 0;
    n->name = NULL;
    n->text = NULL;
    n->type = NULL;
    if (n->nkids > keep_kids) n->nkids = keep_kids;
}

typedef struct Lines {
    VEC(uint32_t) starts;
} Lines;

static AstPos pos_at(const Lines *ln, uint32_t off)
{
    size_t lo = 0, hi = ln->starts.n;            /* the last line start <= off */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ln->starts.v[mid] <= off) lo = mid; else hi = mid;
    }
    return (AstPos){ off, (uint32_t)lo + 1, off - ln->starts.v[lo] + 1 };
}

/* The line starts of the pattern as written, for line:col. */
static void lines_init(Lines *ln, const char *src, size_t len)
{
    memset(ln, 0, sizeof *ln);
    VEC_PUSH(ln->starts, 0);
    for (size_t i = 0; i < len; i++)
        if (src[i] == '\n') VEC_PUSH(ln->starts, (uint32_t)(i + 1));
}

typedef struct Restore {
    const char *src;      /* the pattern as written */
    size_t len;
    const Lines *lines;
} Restore;

/* (T $X): the METAVAR spans the parentheses, which the rewrite kept outside the cast. */
static void widen_to_parens(const Restore *r, AstNode *n)
{
    uint32_t a = n->start.offset, b = n->end.offset;
    while (a > 0 && is_space(r->src[a - 1])) a--;
    while (b < r->len && is_space(r->src[b])) b++;
    if (a > 0 && r->src[a - 1] == '(' && b < r->len && r->src[b] == ')') {
        n->start = pos_at(r->lines, a - 1);
        n->end = pos_at(r->lines, b + 1);
    }
}

/* Pattern bases must each be among the target's, so "(...)" among them says
 * nothing more than leaving them out. */
static void drop_ellipsis_bases(AstNode *n)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n->nkids; i++) {
        AstNode *c = n->kids[i];
        bool base = c->kind == AST_TYPE && (c->flags & AST_F_BASE);
        if (base && is_name(restore_text(c->name), "...")) continue;   /* kids are not restored yet */
        n->kids[k++] = c;
    }
    n->nkids = k;
}

/* One node, before its kids (which still carry their placeholders): restore the
 * names, then turn placeholder shapes into pattern nodes. */
static bool restore_visit(AstNode *n, void *ctx)
{
    n->name = restore_text(n->name);
    if (n->kind != AST_LITERAL && n->text && strstr(n->text, PH)) n->text = restore_text(n->text);
    if (n->type) n->type->name = restore_text(n->type->name);
    switch ((AstKind)n->kind) {
    case AST_IDENT:
        if (is_name(n->name, "...")) make_ellipsis(n, 0);
        else if (is_metavar(n->name)) make_metavar(n, n->name);
        break;
    case AST_FIELD:                                   /* $X. ... .foo() */
        if (is_name(n->name, "...")) make_ellipsis(n, 1);
        break;
    case AST_PARAM:                                   /* f(...), f($...ARGS), C f(int, ...) */
        if (is_name(n->name, "...") || (!n->name && n->type && is_name(n->type->name, "...")))
            make_ellipsis(n, 0);
        else if (has_prefix(n->name, "$...")) { n->type = NULL; make_metavar(n, n->name); }
        break;
    case AST_DECL:                                    /* int __sluice_ellipsis; */
        if (is_name(n->name, "...")) make_ellipsis(n, 0);
        break;
    case AST_CALL:
        if (n->nkids == 2 && n->kids[0]->kind == AST_IDENT && is_name(n->kids[0]->name, PH_DEEP)) {
            n->kind = AST_DEEP;
            n->kids[0] = n->kids[1];
            n->nkids = 1;
            n->flags = 0;
        }
        break;
    case AST_CLASS:                                   /* class $C(...): any bases, as none */
        drop_ellipsis_bases(n);
        break;
    case AST_CAST:                                    /* ((T)__sluice_tmv_X) */
        if (n->nkids == 1 && n->kids[0]->kind == AST_IDENT && has_prefix(n->kids[0]->name, PH_TMV)) {
            AstNode *type = n->type;
            make_metavar(n, restore_text(n->kids[0]->name));
            n->type = type;
            widen_to_parens(ctx, n);
        }
        break;
    default:
        break;
    }
    return true;
}

/* ---------------------------------------------------------------- positions back */

typedef VEC(AstNode *) NodeList;

static bool collect_visit(AstNode *n, void *ctx)
{
    NodeList *l = ctx;
    VEC_PUSH(*l, n);
    if (n->type) VEC_PUSH(*l, n->type);
    return true;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(AstNode *const *)a, y = (uintptr_t)*(AstNode *const *)b;
    return x < y ? -1 : x > y;
}

static uint32_t orig_of(const MappedText *w, uint32_t off)
{
    return off < w->orig.n ? w->orig.v[off] : w->orig.v[w->orig.n - 1];
}

/* Every node's range, from the wrapped text to the pattern as written. Front ends
 * may share a node between parents (Java annotations of several declarators), so
 * each node is moved once. */
static void move_ranges(AstNode *root, const MappedText *w, const Lines *ln)
{
    NodeList all = {0};
    ast_walk(root, collect_visit, &all);
    if (all.n) qsort(all.v, all.n, sizeof *all.v, cmp_ptr);
    for (size_t i = 0; i < all.n; i++) {
        if (i > 0 && all.v[i] == all.v[i - 1]) continue;
        AstNode *n = all.v[i];
        uint32_t a = orig_of(w, n->start.offset), b = orig_of(w, n->end.offset);
        n->start = pos_at(ln, a);
        n->end = pos_at(ln, b < a ? a : b);
    }
    VEC_FREE(all);
}

/* ---------------------------------------------------------------- parsing */

typedef struct Attempt {
    LangParser *p;
    Lang lang;
    AstFile *f;
    const char *src;      /* the pattern as written (the file's copy) */
    size_t len;
    size_t ellipses;      /* "..." tokens in the pattern */
} Attempt;

/* One statement or expression as the root, several in a BLOCK. */
static AstNode *pattern_root(Attempt *at, AstNode **items, uint32_t n, Shape shape)
{
    if (n == 1) {
        AstNode *r = items[0];
        bool expr_stmt = r->kind == AST_EXPR_STMT && r->nkids == 1 && r->kids[0]->kind != AST_ELLIPSIS;
        if (expr_stmt && (shape == SH_STMTS_SEMI || at->lang == LANG_PYTHON)) r = r->kids[0];
        return r;
    }
    AstNode *b = ast_new(&at->f->arena, AST_BLOCK, items[0]->start, items[n - 1]->end);
    ast_set_kids(&at->f->arena, b, items, n);
    return b;
}

/* The "..." placeholders that made it into the lowered tree, before they are
 * restored: a grammar may parse a placeholder and lower it to nothing (a C member
 * "__sluice_ellipsis;" declares no name), and such a wrapping must not win. */
static size_t count_in(const char *s)
{
    size_t n = 0;
    for (; s && (s = strstr(s, PH_ELLIPSIS)); s += strlen(PH_ELLIPSIS)) n++;
    return n;
}

static bool count_visit(AstNode *n, void *ctx)
{
    *(size_t *)ctx += count_in(n->name) + (n->type ? count_in(n->type->name) : 0);
    return true;
}

static size_t count_ellipses(AstNode *root)
{
    size_t n = 0;
    ast_walk(root, count_visit, &n);
    return n;
}

/* tree-sitter-python accepts "if x:" at the end of the text with an empty block;
 * Python does not, and such a pattern would match nothing. */
static bool empty_block_visit(AstNode *n, void *ctx)
{
    if (n->kind == AST_BLOCK && n->nkids == 0 && n->start.offset == n->end.offset) *(bool *)ctx = true;
    return true;
}

static bool has_missing_body(AstNode *root)
{
    bool found = false;
    ast_walk(root, empty_block_visit, &found);
    return found;
}

/* Parses the wrapped text; the pattern's root, or NULL when it does not parse. */
static AstNode *try_wrap(Attempt *at, const MappedText *body, const Wrap *w)
{
    MappedText full = {0};
    size_t pre = strlen(w->pre);
    mt_put(&full, w->pre, pre, 0, false);
    sb_append(&full.text, body->text.s ? body->text.s : "", body->text.len);
    for (size_t i = 0; i < body->text.len; i++) VEC_PUSH(full.orig, body->orig.v[i]);
    mt_put(&full, w->post, strlen(w->post), (uint32_t)at->len, false);
    VEC_PUSH(full.orig, (uint32_t)at->len);
    AstNode *root = NULL;
    TSTree *tree = lower_parse_text(at->p, at->lang, full.text.s ? full.text.s : "",
                                    (uint32_t)full.text.len);
    if (tree && !ts_node_has_error(ts_tree_root_node(tree))) {
        Lowerer L;
        lower_init(&L, &at->f->arena, full.text.s, (uint32_t)full.text.len,
                   lower_parser_tables(at->p, at->lang), lower_front_end(at->lang));
        AstNode *tree_root = lower_node(&L, ts_tree_root_node(tree));
        bool deep = L.too_deep;
        lower_fini(&L);
        AstNode **items;
        uint32_t n;
        if (!deep && unwrap(tree_root, at->lang, w->shape, &items, &n) && n > 0) {
            Lines ln;
            lines_init(&ln, at->src, at->len);
            move_ranges(tree_root, &full, &ln);
            root = pattern_root(at, items, n, w->shape);
            Restore r = { at->src, at->len, &ln };
            if (count_ellipses(root) < at->ellipses) root = NULL;
            else ast_walk(root, restore_visit, &r);
            if (root && at->lang == LANG_PYTHON && has_missing_body(root)) root = NULL;
            VEC_FREE(ln.starts);
        }
    }
    if (tree) ts_tree_delete(tree);
    mt_free(&full);
    return root;
}

static const char *lang_title(Lang lang)
{
    return lang == LANG_C ? "C" : lang == LANG_JAVA ? "Java" : "Python";
}

static AstNode *parse_variants(Attempt *at, const MappedText *src, Lexed *x)
{
    size_t nw;
    const Wrap *wraps = wraps_of(at->lang, &nw);
    int variants = at->lang == LANG_PYTHON ? 1 : 2;
    for (int v = 0; v < variants; v++) {
        MappedText body = {0};
        rewrite(src, x, v, &body);
        AstNode *root = NULL;
        for (size_t i = 0; i < nw && !root; i++) root = try_wrap(at, &body, &wraps[i]);
        mt_free(&body);
        if (root) return root;
    }
    return NULL;
}

AstFile *lang_parse_pattern(LangParser *p, Lang lang, const char *pattern, char **err)
{
    if (err) *err = NULL;
    size_t len = pattern ? strlen(pattern) : 0;
    if (lang <= LANG_NONE || lang >= LANG_COUNT || !pattern || len > UINT32_MAX / 4) {
        if (err) *err = xstrdup(pattern ? "no parser for this language" : "no pattern");
        return NULL;
    }
    AstFile *f = xcalloc(1, sizeof *f);
    arena_init(&f->arena);
    f->path = arena_strdup(&f->arena, "<pattern>");
    f->src = arena_strndup(&f->arena, pattern, len);   /* ranges point into this copy */
    f->src_len = len;
    MappedText src = {0};
    source_text(lang, f->src, len, &src);
    Lexed x = { .lang = lang, .s = src.text.s ? src.text.s : "", .n = src.text.len };
    lex(&x);
    choose_forms(&x);
    Attempt at = { p, lang, f, f->src, len, 0 };
    for (size_t i = 0; i < x.t.n; i++) at.ellipses += x.t.v[i].kind == T_ELLIPSIS;
    AstNode *root = x.t.n ? parse_variants(&at, &src, &x) : NULL;
    size_t ntokens = x.t.n;
    VEC_FREE(x.t);
    mt_free(&src);
    if (!root) {
        if (err) {
            StrBuf b;
            sb_init(&b);
            if (ntokens) sb_printf(&b, "it does not parse as %s code", lang_title(lang));
            else sb_puts(&b, "the pattern is empty");
            *err = sb_take(&b);
        }
        lang_file_free(f);
        return NULL;
    }
    root->parent = NULL;
    f->root = root;
    ast_link_parents(root);
    return f;
}
