/* ignore.c: gitignore-style .sluiceignore lists and the globs of --include/--exclude
 * (discover stage). Globs: "*" and "?" stop at "/", "**" crosses directories,
 * "[a-z]" classes, "\" escapes. */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

typedef struct IgnorePattern {
    char *glob;        /* without "!", leading "/" and trailing "/" */
    bool negate;       /* "!pattern" re-includes */
    bool dir_only;     /* "pattern/" matches directories only */
    bool anchored;     /* contains "/": matched against the whole relative path */
} IgnorePattern;

struct IgnoreList {
    VEC(IgnorePattern) pats;
};

/* ---------------------------------------------------------------- globs */

static bool class_match(const char **pp, char c)
{
    const char *p = *pp + 1;
    bool negate = (*p == '!' || *p == '^');
    if (negate) p++;
    bool found = false;
    bool first = true;
    while (*p && (*p != ']' || first)) {
        char lo = *p, hi = lo;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            hi = p[2];
            p += 2;
        }
        if (c >= lo && c <= hi) found = true;
        p++;
        first = false;
    }
    if (*p != ']') return false;            /* unterminated: no match */
    *pp = p + 1;
    return found != negate;
}

static bool glob_at(const char *p, const char *s)
{
    while (*p) {
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/') {                 /* "**\/": zero or more whole directories */
                p++;
                for (const char *t = s;; t++) {
                    if ((t == s || t[-1] == '/') && glob_at(p, t)) return true;
                    if (!*t) return false;
                }
            }
            for (const char *t = s;; t++) {  /* "**": anything, "/" included */
                if (glob_at(p, t)) return true;
                if (!*t) return false;
            }
        }
        switch (*p) {
        case '*':
            for (const char *t = s;; t++) {
                if (glob_at(p + 1, t)) return true;
                if (!*t || *t == '/') return false;
            }
        case '?':
            if (!*s || *s == '/') return false;
            p++, s++;
            break;
        case '[':
            if (!*s || *s == '/' || !class_match(&p, *s)) return false;
            s++;
            break;
        case '\\':
            if (p[1]) p++;
            /* fall through */
        default:
            if (*p != *s) return false;
            p++, s++;
        }
    }
    return *s == '\0';
}

/* Semgrep's --include/--exclude: the glob may match any run of whole path
 * components, so "tests" excludes a/tests/x.py and "*.py" matches src/a.py. */
bool scan_glob_match(const char *glob, const char *path)
{
    size_t gl = strlen(glob);
    bool dir_only = gl > 1 && glob[gl - 1] == '/';
    char *g = xstrndup(glob, dir_only ? gl - 1 : gl);
    const char *pat = g;
    bool anchored = (*pat == '/');
    if (anchored) pat++;
    while (pat[0] == '.' && pat[1] == '/') pat += 2;   /* "./src" means "src" */
    while (path[0] == '.' && path[1] == '/') path += 2;
    size_t n = strlen(path);
    char *buf = xmalloc(n + 1);
    bool hit = false;
    for (size_t i = 0; i <= n && !hit; i++) {
        if (i > 0 && path[i - 1] != '/') continue;        /* component starts */
        if (anchored && i > 0) break;
        for (size_t j = i + 1; j <= n && !hit; j++) {
            if (j < n && path[j] != '/') continue;          /* component ends */
            if (dir_only && j == n) continue;               /* "x/" needs more after it */
            memcpy(buf, path + i, j - i);
            buf[j - i] = '\0';
            hit = glob_at(pat, buf);
        }
    }
    free(buf);
    free(g);
    return hit;
}

/* ---------------------------------------------------------------- .sluiceignore */

static void add_pattern(IgnoreList *l, const char *line, size_t n)
{
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r')) {
        if (n >= 2 && line[n - 2] == '\\') break;      /* "\ " keeps a trailing space */
        n--;
    }
    if (n == 0 || line[0] == '#') return;
    IgnorePattern p = {0};
    if (line[0] == '!') { p.negate = true; line++; n--; }
    else if (line[0] == '\\' && n > 1 && (line[1] == '#' || line[1] == '!')) { line++; n--; }
    if (n > 0 && line[n - 1] == '/') { p.dir_only = true; n--; }
    if (n > 0 && line[0] == '/') { p.anchored = true; line++; n--; }
    if (n == 0) return;
    if (memchr(line, '/', n)) p.anchored = true;
    p.glob = xstrndup(line, n);
    VEC_PUSH(l->pats, p);
}

IgnoreList *scan_ignore_load(const char *text)
{
    IgnoreList *l = xcalloc(1, sizeof *l);
    while (*text) {
        const char *eol = strchr(text, '\n');
        size_t n = eol ? (size_t)(eol - text) : strlen(text);
        add_pattern(l, text, n);
        text += n + (eol ? 1 : 0);
    }
    return l;
}

void scan_ignore_free(IgnoreList *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->pats.n; i++) free(l->pats.v[i].glob);
    VEC_FREE(l->pats);
    free(l);
}

/* The last matching pattern wins, as in git. */
int scan_ignore_match(const IgnoreList *l, const char *relpath, bool is_dir)
{
    const char *base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    int verdict = 0;
    for (size_t i = 0; i < l->pats.n; i++) {
        const IgnorePattern *p = &l->pats.v[i];
        if (p->dir_only && !is_dir) continue;
        if (glob_at(p->glob, p->anchored ? relpath : base)) verdict = p->negate ? -1 : 1;
    }
    return verdict;
}
