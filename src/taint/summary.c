/* summary.c: function summaries of the program stage (seed 003's tuple: type,
 * signature, from-position and access path, to-position and access path): entries
 * kept once per flow, in a fixed order, compared for the fixpoint inside a
 * recursive component; label sets as names for summary files. */
#include "taint/taint_ip.h"

#include <stdlib.h>
#include <string.h>

static int cmp_str(const char *a, const char *b)
{
    if (a == b) return 0;
    if (!a) return -1;
    if (!b) return 1;
    return strcmp(a, b);
}

static int cmp_int(long a, long b)
{
    return a < b ? -1 : a > b;
}

static int cmp_sink(const TaintSink *a, const TaintSink *b)
{
    if (a == b) return 0;
    if (!a || !b) return a ? 1 : -1;
    int c = cmp_int(a->file, b->file);
    if (!c) c = cmp_int(a->spec, b->spec);
    if (!c) c = cmp_int(a->span, b->span);
    if (!c) c = cmp_str(a->path, b->path);
    if (!c) c = cmp_int(a->start.offset, b->start.offset);
    return c;
}

/* The flow an entry describes, without its trace and checks. */
static int cmp_key(const TaintSumEntry *a, const TaintSumEntry *b)
{
    int c = cmp_int(a->from, b->from);
    if (!c) c = cmp_str(a->from_global, b->from_global);
    if (!c) c = cmp_str(a->from_path, b->from_path);
    if (!c) c = cmp_int(a->to, b->to);
    if (!c) c = cmp_str(a->to_global, b->to_global);
    if (!c) c = cmp_str(a->to_path, b->to_path);
    if (!c) c = cmp_sink(a->sink, b->sink);
    if (!c) c = cmp_int(a->labels, b->labels);
    if (!c) c = cmp_str(a->label_names, b->label_names);
    return c;
}

static int cmp_entry(const void *x, const void *y)
{
    return cmp_key(x, y);
}

/* Two ways to the same place: checks hold only if they hold on both, and the
 * shorter trace is the one shown. */
static void merge(TaintSumEntry *into, const TaintSumEntry *e)
{
    into->checked &= e->checked;
    if (e->trace && (!into->trace || e->trace->len < into->trace->len)) into->trace = e->trace;
}

/* Equality of keys: their strings are interned (label_names only in loaded models,
 * which are never built here), so pointers decide. */
static bool same_key(const TaintSumEntry *a, const TaintSumEntry *b)
{
    return a->from == b->from && a->to == b->to && a->from_global == b->from_global
           && a->to_global == b->to_global && a->from_path == b->from_path && a->to_path == b->to_path
           && a->labels == b->labels && !cmp_sink(a->sink, b->sink);
}

static size_t key_hash(const TaintSumEntry *e)
{
    uint64_t h = (uint64_t)(uint32_t)e->from * 31u + (uint64_t)(uint32_t)e->to;
    h = h * 0x9E3779B97F4A7C15ull ^ (uintptr_t)e->from_global ^ ((uintptr_t)e->to_global << 1);
    h = h * 0x9E3779B97F4A7C15ull ^ (uintptr_t)e->from_path ^ ((uintptr_t)e->to_path << 1);
    h = h * 0x9E3779B97F4A7C15ull ^ e->labels;
    if (e->sink) h = h * 0x9E3779B97F4A7C15ull ^ ((uint64_t)e->sink->file << 40 ^ (uint64_t)e->sink->spec << 32 ^ e->sink->span);
    return (size_t)(h ^ (h >> 29));
}

static void reindex(TaintSummary *s)
{
    free(s->slots);
    s->nslots = s->nslots ? s->nslots * 2 : 64;
    s->slots = xcalloc(s->nslots, sizeof *s->slots);
    for (size_t i = 0; i < s->n; i++) {
        size_t j = key_hash(&s->v[i]) & (s->nslots - 1);
        while (s->slots[j]) j = (j + 1) & (s->nslots - 1);
        s->slots[j] = (uint32_t)i + 1;
    }
}

void taint_sum_add(TaintSummary *s, const TaintSumEntry *e)
{
    if ((s->n + 1) * 2 > s->nslots) reindex(s);
    size_t j = key_hash(e) & (s->nslots - 1);
    for (; s->slots[j]; j = (j + 1) & (s->nslots - 1))
        if (same_key(&s->v[s->slots[j] - 1], e)) {
            merge(&s->v[s->slots[j] - 1], e);
            return;
        }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->slots[j] = (uint32_t)s->n + 1;
    s->v[s->n++] = *e;
}

void taint_sum_sort(TaintSummary *s)
{
    free(s->slots);   /* built: the index is no longer needed */
    s->slots = NULL;
    s->nslots = 0;
    if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, cmp_entry);
}

/* The cap on pass-through sinks (TAINT_SUMMARY_CAP). A group is one from's sink
 * entries (position, global, access path: adjacent once sorted). The function's
 * own sinks (reached in its body) are all kept: their TaintSink is not kept yet,
 * as taint_sum_cap runs before keep_results, while a callee's or a loaded model's
 * is. Of the others, the shortest traces (fewest steps) first; ties in the
 * summary's own order (the sink's file, spec and span, then labels), so the choice
 * depends on nothing but the summary and is the same for any -j. */
static bool own_sink(const TaintSumEntry *e)
{
    return e->sink && !e->sink->kept;   /* a callee's (or a model's) sink is kept already */
}

static int cmp_cap(const void *x, const void *y)
{
    const TaintSumEntry *a = x, *b = y;
    int c = cmp_int(!own_sink(a), !own_sink(b));
    if (!c) c = cmp_int(a->trace ? a->trace->len : 0, b->trace ? b->trace->len : 0);
    return c ? c : cmp_key(a, b);
}

static bool same_from(const TaintSumEntry *a, const TaintSumEntry *b)
{
    return a->from == b->from && !cmp_str(a->from_global, b->from_global) && !cmp_str(a->from_path, b->from_path);
}

size_t taint_sum_cap(TaintSummary *s, size_t k)
{
    size_t dropped = 0, out = 0, tmpcap = 0;
    TaintSumEntry *tmp = NULL;
    for (size_t i = 0; i < s->n;) {
        size_t j = i + 1;
        if (s->v[i].to == TAINT_POS_SINK)   /* sorted: one from's sink entries are adjacent */
            while (j < s->n && s->v[j].to == TAINT_POS_SINK && same_from(&s->v[i], &s->v[j])) j++;
        size_t n = j - i, own = 0;
        for (size_t m = i; m < j; m++) own += own_sink(&s->v[m]);
        if (s->v[i].to != TAINT_POS_SINK || n - own <= k) {
            memmove(&s->v[out], &s->v[i], n * sizeof *s->v);
            out += n;
        } else {
            if (n > tmpcap) {
                tmpcap = n;
                tmp = xrealloc(tmp, tmpcap * sizeof *tmp);
            }
            memcpy(tmp, &s->v[i], n * sizeof *tmp);
            size_t keep = own + k;
            qsort(tmp, n, sizeof *tmp, cmp_cap);       /* the ones to keep come first... */
            qsort(tmp, keep, sizeof *tmp, cmp_entry);  /* ...and go back in summary order */
            memcpy(&s->v[out], tmp, keep * sizeof *tmp);
            out += keep;
            dropped += n - keep;
        }
        i = j;
    }
    free(tmp);
    s->n = out;
    return dropped;
}

bool taint_sum_same(const TaintSummary *a, const TaintSummary *b)
{
    if (a->known != b->known || a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (cmp_key(&a->v[i], &b->v[i]) || a->v[i].checked != b->v[i].checked) return false;
    return true;
}

void taint_sum_free(TaintSummary *s)
{
    free(s->v);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------- labels */

const char *taint_label_names(Arena *a, const TaintRuleCtx *rc, uint32_t labels)
{
    StrBuf b;
    sb_init(&b);
    for (uint32_t i = 0; i < rc->nlabels; i++) {
        if (!(labels & (1u << i))) continue;
        if (b.len) sb_putc(&b, ',');
        sb_puts(&b, rc->labels[i]);
    }
    const char *s = arena_strdup(a, b.s ? b.s : "");
    sb_free(&b);
    return s;
}

uint32_t taint_label_bits(const TaintRuleCtx *rc, const char *names)
{
    uint32_t bits = 0;
    for (const char *s = names; s && *s;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        for (uint32_t i = 0; i < rc->nlabels; i++)
            if (strlen(rc->labels[i]) == n && !strncmp(rc->labels[i], s, n)) bits |= 1u << i;
        s = e ? e + 1 : s + n;
    }
    return bits;
}
