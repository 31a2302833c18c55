/* base.h: the foundations every stage of sluice uses: arenas, vectors, string
 * buffers, the shared name interner, files, diagnostics and the parallel loop.
 *
 * Ownership: an Arena owns everything allocated from it and frees it in one call.
 * The interner is the one piece of process-wide state; it is thread-safe and lives
 * until base_intern_shutdown(). Everything else belongs to whoever created it. */
#ifndef SLUICE_BASE_H
#define SLUICE_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- memory */

/* Out of memory is not an error sluice can report usefully; it stops the process. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A bump allocator: many small allocations, one free. Blocks grow geometrically. */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;     /* block currently allocated from */
    size_t used_total;    /* bytes handed out, for statistics */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n);          /* zeroed, 8-byte aligned */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A typed growable array: VEC(int) v = {0}; VEC_PUSH(v, 3); free(v.v). */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, x) do { \
        if ((vec).n == (vec).cap) { \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 8; \
            (vec).v = xrealloc((vec).v, (vec).cap * sizeof *(vec).v); \
        } \
        (vec).v[(vec).n++] = (x); \
    } while (0)
#define VEC_FREE(vec) do { free((vec).v); (vec).v = NULL; (vec).n = (vec).cap = 0; } while (0)

/* ---------------------------------------------------------------- strings */

/* A growable NUL-terminated string on the heap. */
typedef struct StrBuf {
    char *s;
    size_t len, cap;
} StrBuf;

void sb_init(StrBuf *b);
void sb_free(StrBuf *b);
void sb_putc(StrBuf *b, char c);
void sb_append(StrBuf *b, const char *s, size_t n);
void sb_puts(StrBuf *b, const char *s);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *b, const char *fmt, va_list ap);
char *sb_take(StrBuf *b);   /* returns the string, leaves b empty */

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);

/* Interned names: equal strings give the same pointer, so names compare with ==.
 * Thread-safe. Strings live until base_intern_shutdown(). */
const char *intern(const char *s);
const char *intern_n(const char *s, size_t n);
void base_intern_shutdown(void);

/* ---------------------------------------------------------------- files */

/* Reads a whole file into a NUL-terminated heap buffer. On failure returns false and
 * writes a message naming the cause into err (size errn). */
bool file_read_all(const char *path, char **data, size_t *len, char *err, size_t errn);

/* True when the first bytes look like a binary file (a NUL byte, or mostly control bytes). */
bool file_looks_binary(const char *data, size_t len);

/* ---------------------------------------------------------------- diagnostics */

typedef enum DiagLevel { DIAG_WARN, DIAG_ERROR } DiagLevel;

/* One problem, with where it happened. Strings are owned by the Diag (heap). */
typedef struct Diag {
    DiagLevel level;
    char *type;       /* short class, as Semgrep's error types: "Syntax error", "Skipped", ... */
    char *message;
    char *path;       /* NULL when not about a file */
    int line, col;    /* 1-based; 0 when unknown */
    char *rule_id;    /* NULL when not about a rule */
} Diag;

typedef VEC(Diag) DiagList;

void diag_add(DiagList *l, DiagLevel level, const char *type, const char *path, int line, int col,
              const char *rule_id, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void diag_addv(DiagList *l, DiagLevel level, const char *type, const char *path, int line, int col,
               const char *rule_id, const char *fmt, va_list ap);
void diag_list_free(DiagList *l);
void diag_list_move(DiagList *dst, DiagList *src);   /* appends src to dst, empties src */

/* ---------------------------------------------------------------- parallel */

/* Calls fn(ctx, index, worker) for index in [0, count) on `workers` threads (the
 * caller's thread counts as one). Items are taken in order from a shared counter;
 * worker is in [0, workers) so that callers can keep per-thread state. Worker
 * threads get a large stack because lowering and matching recurse over trees. */
typedef void (*ParallelFn)(void *ctx, size_t index, int worker);
void parallel_for(size_t count, int workers, ParallelFn fn, void *ctx);

int cpu_count(void);

/* Monotonic seconds, for progress and statistics. */
double now_seconds(void);

#endif
