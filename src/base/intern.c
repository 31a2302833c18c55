/* intern.c: the process-wide name interner. Equal names share one pointer, so the
 * AST, rules and taint compare identifiers with ==. A mutex guards the table; the
 * lookups are short and the parse threads spend their time elsewhere. */
#include "base.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct InternEntry {
    const char *s;
    size_t n;
    uint32_t hash;
} InternEntry;

static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
static InternEntry *table;        /* open addressing, power-of-two size */
static size_t table_cap, table_used;
static Arena intern_arena;        /* the strings themselves */

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;      /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static void intern_grow(void)
{
    size_t cap = table_cap ? table_cap * 2 : 4096;
    InternEntry *t = xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < table_cap; i++) {
        if (!table[i].s) continue;
        size_t j = table[i].hash & (cap - 1);
        while (t[j].s) j = (j + 1) & (cap - 1);
        t[j] = table[i];
    }
    free(table);
    table = t;
    table_cap = cap;
}

const char *intern_n(const char *s, size_t n)
{
    uint32_t h = hash_bytes(s, n);
    pthread_mutex_lock(&intern_lock);
    if ((table_used + 1) * 2 > table_cap) intern_grow();
    size_t j = h & (table_cap - 1);
    while (table[j].s) {
        if (table[j].hash == h && table[j].n == n && memcmp(table[j].s, s, n) == 0) {
            const char *found = table[j].s;
            pthread_mutex_unlock(&intern_lock);
            return found;
        }
        j = (j + 1) & (table_cap - 1);
    }
    const char *copy = arena_strndup(&intern_arena, s, n);
    table[j] = (InternEntry){ copy, n, h };
    table_used++;
    pthread_mutex_unlock(&intern_lock);
    return copy;
}

const char *intern(const char *s)
{
    return intern_n(s, strlen(s));
}

void base_intern_shutdown(void)
{
    pthread_mutex_lock(&intern_lock);
    free(table);
    table = NULL;
    table_cap = table_used = 0;
    arena_free(&intern_arena);
    pthread_mutex_unlock(&intern_lock);
}
