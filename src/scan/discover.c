/* discover.c: the discover stage: walk the scan roots, honour .sluiceignore files and
 * --include/--exclude, pick each file's language, and note what is skipped and why. */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DIR_DEPTH 256

/* The .sluiceignore files in force: one per directory on the way down that has one. */
typedef struct IgnoreStack {
    VEC(IgnoreList *) lists;
    VEC(size_t) dir_len;        /* length of the directory prefix of each list */
} IgnoreStack;

typedef struct Walk {
    const DiscoverOptions *opt;
    TargetList *out;
    Report *report;
    IgnoreStack ignores;
} Walk;

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    if (n == 1 && dir[0] == '.') return xstrdup(name);    /* "./x" reads better as "x" */
    StrBuf b;
    sb_init(&b);
    sb_append(&b, dir, n);
    if (n == 0 || dir[n - 1] != '/') sb_putc(&b, '/');
    sb_puts(&b, name);
    return sb_take(&b);
}

/* Deeper .sluiceignore files are consulted last, so they override shallower ones. */
static bool is_ignored(const Walk *w, const char *path, bool is_dir)
{
    int verdict = 0;
    for (size_t i = 0; i < w->ignores.lists.n; i++) {
        size_t skip = w->ignores.dir_len.v[i];
        const char *rel = path + skip;
        while (*rel == '/') rel++;
        int v = scan_ignore_match(w->ignores.lists.v[i], rel, is_dir);
        if (v) verdict = v;
    }
    return verdict > 0;
}

static bool any_glob(const StrList *globs, const char *path)
{
    for (size_t i = 0; i < globs->n; i++)
        if (scan_glob_match(globs->v[i], path)) return true;
    return false;
}

static Lang language_of(const char *path)
{
    Lang l = lang_detect(path, NULL, 0);
    if (l != LANG_NONE) return l;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strchr(base, '.')) return LANG_NONE;    /* an extension we do not know */
    char head[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return LANG_NONE;
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n > 2 ? lang_detect(path, head, (size_t)n) : LANG_NONE;
}

static void add_file(Walk *w, const char *path, const struct stat *st, bool explicit_root)
{
    Lang lang = language_of(path);
    if (lang == LANG_NONE || (w->opt->only_lang && lang != w->opt->only_lang)) {
        if (explicit_root)
            report_add_skipped(w->report, path, "language not recognised");
        return;
    }
    if (w->opt->include.n && !any_glob(&w->opt->include, path)) return;
    if (any_glob(&w->opt->exclude, path)) return;
    if (w->opt->max_target_bytes > 0 && st->st_size > w->opt->max_target_bytes) {
        char reason[96];
        snprintf(reason, sizeof reason, "exceeds --max-target-bytes (%lld > %lld bytes)",
                 (long long)st->st_size, w->opt->max_target_bytes);
        report_add_skipped(w->report, path, reason);
        diag_add(&w->report->errors, DIAG_WARN, "Skipped", path, 0, 0, NULL,
                 "file skipped: %s", reason);
        return;
    }
    ScanTarget t = { xstrdup(path), lang };
    VEC_PUSH(w->out->v, t);
}

static void walk_dir(Walk *w, const char *dir, int depth);

static void walk_entry(Walk *w, const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        diag_add(&w->report->errors, DIAG_ERROR, "Read error", path, 0, 0, NULL,
                 "cannot read: %s", strerror(errno));
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0) {
            if (errno == ELOOP)
                diag_add(&w->report->errors, DIAG_WARN, "Skipped", path, 0, 0, NULL,
                         "symlink loop, not followed");
            else
                report_add_skipped(w->report, path, "broken symlink");
            return;
        }
        /* Links to directories are not followed: they cause loops and double scans. */
        if (S_ISDIR(st.st_mode)) {
            report_add_skipped(w->report, path, "symlink to a directory, not followed");
            return;
        }
    }
    if (S_ISDIR(st.st_mode)) {
        if (is_ignored(w, path, true) || any_glob(&w->opt->exclude, path)) return;
        walk_dir(w, path, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
        if (is_ignored(w, path, false)) return;
        add_file(w, path, &st, false);
    }
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_ignore_file(Walk *w, const char *dir)
{
    char *ign = join_path(dir, ".sluiceignore");
    char *text;
    size_t len;
    char err[128];
    if (file_read_all(ign, &text, &len, err, sizeof err)) {
        VEC_PUSH(w->ignores.lists, scan_ignore_load(text));
        size_t dl = strlen(dir);
        if (dl == 1 && dir[0] == '.') dl = 0;
        VEC_PUSH(w->ignores.dir_len, dl);
        free(text);
    }
    free(ign);
}

static void walk_dir(Walk *w, const char *dir, int depth)
{
    if (depth > MAX_DIR_DEPTH) {
        diag_add(&w->report->errors, DIAG_WARN, "Skipped", dir, 0, 0, NULL,
                 "directory nesting deeper than %d levels, not scanned", MAX_DIR_DEPTH);
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        diag_add(&w->report->errors, DIAG_ERROR, "Read error", dir, 0, 0, NULL,
                 "cannot open directory: %s", strerror(errno));
        return;
    }
    size_t ignores_before = w->ignores.lists.n;
    push_ignore_file(w, dir);

    VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".git") || !strcmp(n, ".hg") ||
            !strcmp(n, ".svn"))
            continue;
        VEC_PUSH(names, xstrdup(n));
    }
    closedir(d);
    if (names.n) qsort(names.v, names.n, sizeof *names.v, compare_names);
    for (size_t i = 0; i < names.n; i++) {
        char *path = join_path(dir, names.v[i]);
        walk_entry(w, path, depth);
        free(path);
        free(names.v[i]);
    }
    VEC_FREE(names);

    while (w->ignores.lists.n > ignores_before) {
        scan_ignore_free(w->ignores.lists.v[--w->ignores.lists.n]);
        w->ignores.dir_len.n--;
    }
}

static int compare_targets(const void *a, const void *b)
{
    return strcmp(((const ScanTarget *)a)->path, ((const ScanTarget *)b)->path);
}

static void sort_and_dedupe(TargetList *t)
{
    if (t->v.n == 0) return;             /* qsort must not see NULL, even with 0 items */
    qsort(t->v.v, t->v.n, sizeof *t->v.v, compare_targets);
    size_t k = 0;
    for (size_t i = 0; i < t->v.n; i++) {
        if (k > 0 && !strcmp(t->v.v[k - 1].path, t->v.v[i].path)) {
            free(t->v.v[i].path);
            continue;
        }
        t->v.v[k++] = t->v.v[i];
    }
    t->v.n = k;
}

bool scan_discover(const char *const *roots, size_t nroots, const DiscoverOptions *opt,
                   TargetList *out, Report *report)
{
    Walk w = { .opt = opt, .out = out, .report = report };
    bool ok = true;
    for (size_t i = 0; i < nroots; i++) {
        const char *root = roots[i];
        struct stat st;
        if (stat(root, &st) != 0) {
            diag_add(&report->errors, DIAG_ERROR, "Invalid scanning root", root, 0, 0, NULL,
                     "%s: %s", errno == ELOOP ? "symlink loop" : "cannot scan path",
                     strerror(errno));
            ok = false;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk_dir(&w, root, 0);
        } else if (S_ISREG(st.st_mode)) {
            if (access(root, R_OK) != 0) {
                diag_add(&report->errors, DIAG_ERROR, "Read error", root, 0, 0, NULL,
                         "cannot read: %s", strerror(errno));
                continue;
            }
            add_file(&w, root, &st, true);
        } else {
            report_add_skipped(report, root, "not a regular file");
        }
    }
    VEC_FREE(w.ignores.lists);
    VEC_FREE(w.ignores.dir_len);
    sort_and_dedupe(out);
    return ok;
}

void scan_targets_free(TargetList *t)
{
    for (size_t i = 0; i < t->v.n; i++) free(t->v.v[i].path);
    VEC_FREE(t->v);
}
