/* lang.c: the front ends' entry points (parse and lower stages): language names and
 * detection, the per-thread parser, and lang_parse_file(), which parses with
 * tree-sitter under a deadline, reports the first syntax error, and lowers the tree
 * with the language's front end (lower_c.c, lower_python.c, lower_java.c). Patterns
 * are parsed in pattern.c through the same parsers. */
#include "lang/lower.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct LangParser {
    TSParser *ts[LANG_COUNT];
    LowerTables tables[LANG_COUNT];   /* grammar names resolved once per parser */
};

static const LowerLang *const front_ends[LANG_COUNT] = {
    [LANG_C] = &lower_c_lang, [LANG_PYTHON] = &lower_python_lang, [LANG_JAVA] = &lower_java_lang,
};

/* ---------------------------------------------------------------- names, detection */

const char *lang_name(Lang l)
{
    switch (l) {
    case LANG_C: return "c";
    case LANG_PYTHON: return "python";
    case LANG_JAVA: return "java";
    default: return NULL;
    }
}

Lang lang_from_name(const char *name)
{
    static const struct { const char *name; Lang lang; } names[] = {
        { "c", LANG_C }, { "python", LANG_PYTHON }, { "py", LANG_PYTHON },
        { "python3", LANG_PYTHON }, { "python2", LANG_PYTHON }, { "java", LANG_JAVA },
    };
    if (!name) return LANG_NONE;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(name, names[i].name) == 0) return names[i].lang;
    return LANG_NONE;
}

static bool shebang_names_python(const char *head, size_t len)
{
    if (!head || len < 2 || head[0] != '#' || head[1] != '!') return false;
    const char *nl = memchr(head, '\n', len);
    size_t line = nl ? (size_t)(nl - head) : len;
    for (size_t i = 2; i + 6 <= line; i++)
        if (memcmp(head + i, "python", 6) == 0) return true;
    return false;
}

Lang lang_detect(const char *path, const char *head, size_t head_len)
{
    const char *base = path ? strrchr(path, '/') : NULL;
    base = base ? base + 1 : path;
    const char *dot = base ? strrchr(base, '.') : NULL;
    if (dot && dot != base) {
        if (strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0) return LANG_C;
        if (strcmp(dot, ".py") == 0 || strcmp(dot, ".pyi") == 0) return LANG_PYTHON;
        if (strcmp(dot, ".java") == 0) return LANG_JAVA;
    }
    return shebang_names_python(head, head_len) ? LANG_PYTHON : LANG_NONE;
}

/* ---------------------------------------------------------------- parser */

LangParser *lang_parser_new(void)
{
    LangParser *p = xcalloc(1, sizeof *p);
    for (int l = 1; l < LANG_COUNT; l++) {
        lower_tables_init(&p->tables[l], front_ends[l]);
        p->ts[l] = ts_parser_new();
        if (!ts_parser_set_language(p->ts[l], p->tables[l].lang)) abort();  /* ABI mismatch: a build bug */
    }
    return p;
}

void lang_parser_delete(LangParser *p)
{
    if (!p) return;
    for (int l = 1; l < LANG_COUNT; l++) {
        ts_parser_delete(p->ts[l]);
        lower_tables_free(&p->tables[l]);
    }
    free(p);
}

void lang_file_free(AstFile *f)
{
    if (!f) return;
    arena_free(&f->arena);
    free(f);
}

/* tree-sitter calls this every few hundred operations; returning true cancels. */
static bool past_deadline(TSParseState *state)
{
    const double *deadline = state->payload;
    return now_seconds() > *deadline;
}

/* The source as one chunk: tree-sitter asks for the text from a byte offset on. */
typedef struct SourceInput { const char *src; uint32_t len; } SourceInput;

static const char *read_source(void *payload, uint32_t byte, TSPoint pos, uint32_t *n)
{
    (void)pos;
    const SourceInput *in = payload;
    if (byte >= in->len) { *n = 0; return ""; }
    *n = in->len - byte;
    return in->src + byte;
}

/* Returns NULL when the deadline passed; the parser is then reset for the next file. */
static TSTree *parse_with_deadline(TSParser *ts, const char *src, uint32_t len)
{
    double deadline = now_seconds() + LANG_PARSE_TIMEOUT_S;
    SourceInput in = { src, len };
    TSInput input = { .payload = &in, .read = read_source, .encoding = TSInputEncodingUTF8 };
    TSParseOptions opts = { .payload = &deadline, .progress_callback = past_deadline };
    TSTree *tree = ts_parser_parse_with_options(ts, NULL, input, opts);
    if (!tree) ts_parser_reset(ts);
    return tree;
}

/* ---------------------------------------------------------------- errors */

/* The first ERROR or MISSING node in document order, found without recursion: the
 * cursor descends only into subtrees that contain an error. */
static bool first_error(TSNode root, TSNode *out)
{
    if (!ts_node_has_error(root)) return false;
    TSTreeCursor c = ts_tree_cursor_new(root);
    bool found = false;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_is_error(n) || ts_node_is_missing(n)) { *out = n; found = true; break; }
        if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c)) continue;
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&c)))
            if (!ts_tree_cursor_goto_parent(&c)) break;
        if (!moved) break;
    }
    ts_tree_cursor_delete(&c);
    return found;
}

/* A short printable excerpt of the source at an error, for the message. */
static void excerpt(const char *src, uint32_t len, uint32_t at, char *buf, size_t bufn)
{
    size_t o = 0;
    for (uint32_t i = at; i < len && o + 1 < bufn && i < at + 24; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\n') break;
        buf[o++] = (c >= 32 && c < 127) ? (char)c : '?';
    }
    buf[o] = '\0';
}

static void report_syntax_error(TSNode root, const AstFile *f, uint32_t len, DiagList *diags)
{
    TSNode e;
    if (!diags || !first_error(root, &e)) return;
    AstPos at = lower_start(e);
    if (ts_node_is_missing(e)) {
        diag_add(diags, DIAG_WARN, "Syntax error", f->path, (int)at.line, (int)at.col, NULL,
                 "%s:%u:%u: syntax error: missing \"%s\"", f->path, at.line, at.col,
                 ts_node_type(e));
        return;
    }
    char ex[32];
    excerpt(f->src, len, at.offset, ex, sizeof ex);
    diag_add(diags, DIAG_WARN, "Syntax error", f->path, (int)at.line, (int)at.col, NULL,
             "%s:%u:%u: syntax error at `%s`", f->path, at.line, at.col, ex);
}

/* ---------------------------------------------------------------- parse and lower */

static AstFile *file_new(const char *path, const char *src, size_t len)
{
    AstFile *f = xcalloc(1, sizeof *f);
    arena_init(&f->arena);
    f->path = arena_strdup(&f->arena, path ? path : "<input>");
    f->src = src;
    f->src_len = len;
    return f;
}

static AstNode *empty_program(AstFile *f)
{
    return ast_new(&f->arena, AST_PROGRAM, (AstPos){ 0, 1, 1 }, (AstPos){ 0, 1, 1 });
}

static AstNode *lower_tree(const LowerTables *t, LowerFn fn, AstFile *f, TSNode root,
                           uint32_t len, DiagList *diags)
{
    Lowerer L;
    lower_init(&L, &f->arena, f->src, len, t, fn);
    AstNode *r = lower_node(&L, root);
    if (r->kind != AST_PROGRAM) {          /* a root that is all error: still a program */
        AstNode *prog = ast_new(&f->arena, AST_PROGRAM, r->start, r->end);
        ast_set_kids(&f->arena, prog, &r, 1);
        r = prog;
    }
    if (L.too_deep && diags)
        diag_add(diags, DIAG_WARN, "Too deep", f->path, (int)L.deep_at.line, (int)L.deep_at.col,
                 NULL, "%s:%u:%u: nesting too deep (over %d levels or the lowering stack budget); the subtree there is not analysed",
                 f->path, L.deep_at.line, L.deep_at.col, LANG_MAX_DEPTH);
    lower_fini(&L);
    return r;
}

AstFile *lang_parse_file(LangParser *p, Lang lang, const char *path,
                         const char *src, size_t len, DiagList *diags)
{
    AstFile *f = file_new(path, src, len);
    if (lang <= LANG_NONE || lang >= LANG_COUNT || !src || len > UINT32_MAX) {
        if (diags)
            diag_add(diags, DIAG_WARN, "Skipped", f->path, 0, 0, NULL, "%s: %s", f->path,
                     src && len > UINT32_MAX ? "file too large to parse" : "no parser for this language");
        f->root = empty_program(f);
        return f;
    }
    uint32_t n = (uint32_t)len;
    TSTree *tree = parse_with_deadline(p->ts[lang], src, n);
    if (!tree) {
        if (diags)
            diag_add(diags, DIAG_WARN, "Timeout", f->path, 0, 0, NULL,
                     "%s: parsing took longer than %.0f s", f->path, LANG_PARSE_TIMEOUT_S);
        f->root = empty_program(f);
        return f;
    }
    TSNode root = ts_tree_root_node(tree);
    report_syntax_error(root, f, n, diags);
    f->root = lower_tree(&p->tables[lang], front_ends[lang]->lower, f, root, n, diags);
    ts_tree_delete(tree);
    ast_link_parents(f->root);
    return f;
}

/* ---------------------------------------------------------------- for the pattern parser */

TSTree *lower_parse_text(LangParser *p, Lang lang, const char *src, uint32_t len)
{
    return parse_with_deadline(p->ts[lang], src, len);
}

const LowerTables *lower_parser_tables(LangParser *p, Lang lang)
{
    return &p->tables[lang];
}

LowerFn lower_front_end(Lang lang)
{
    return front_ends[lang]->lower;
}
