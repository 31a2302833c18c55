/* state.c: taint values and the data-flow state of the taint stage: a sorted map
 * from access paths to values, with reads that see a tainted ancestor or tainted
 * fields, strong and weak writes, guard checks, and the join at CFG merges. */
#include "taint/taint_int.h"

#include <string.h>

/* ---------------------------------------------------------------- values */

/* A shorter trace is the more readable path; ties keep the first, so the choice is
 * the same on every run. */
static const TaintTrace *pick_trace(const TaintTrace *a, const TaintTrace *b)
{
    if (!a) return b;
    if (!b) return a;
    return b->len < a->len ? b : a;
}

TaintVal taint_val_join(TaintVal a, TaintVal b)
{
    if (!taint_val_tainted(a)) return b;
    if (!taint_val_tainted(b)) return a;
    /* a caller's checks (the high bits) belong to the parts with origins only */
    uint8_t sym = a.origins && b.origins ? (uint8_t)(a.checked & b.checked & CHECK_SYM)
                  : (uint8_t)((a.origins ? a.checked : b.checked) & CHECK_SYM);
    return (TaintVal){ .labels = a.labels | b.labels,
                       .checked = (uint8_t)((a.checked & b.checked & CHECK_REAL) | sym),
                       .origins = a.origins | b.origins,
                       .trace = pick_trace(a.labels ? a.trace : NULL, b.labels ? b.trace : NULL),
                       .otrace = pick_trace(a.origins ? a.otrace : NULL, b.origins ? b.otrace : NULL) };
}

static bool val_same(TaintVal a, TaintVal b)
{
    if (!taint_val_tainted(a) && !taint_val_tainted(b)) return true;
    return a.labels == b.labels && a.checked == b.checked && a.origins == b.origins;
}

/* ---------------------------------------------------------------- the map */

void taint_state_free(TaintState *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

void taint_state_copy(TaintState *dst, const TaintState *src)
{
    if (dst->cap < src->n) {
        dst->cap = src->n + 8;
        dst->v = xrealloc(dst->v, dst->cap * sizeof *dst->v);
    }
    if (src->n) memcpy(dst->v, src->v, src->n * sizeof *src->v);
    dst->n = src->n;
}

/* Index of the entry for p, or of where it would go (as a negative -1 - i). */
static long find(const TaintState *s, const TaintPath *p)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->v[mid].path->id < p->id) lo = mid + 1;
        else hi = mid;
    }
    if (lo < s->n && s->v[lo].path == p) return (long)lo;
    return -1 - (long)lo;
}

static void insert_at(TaintState *s, size_t i, const TaintPath *p, TaintVal v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof *s->v);
    s->v[i] = (TaintEntry){ p, v };
    s->n++;
}

static void remove_at(TaintState *s, size_t i)
{
    memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof *s->v);
    s->n--;
}

TaintVal taint_state_at(const TaintState *s, const TaintPath *p)
{
    for (; p; p = p->parent) {
        long i = find(s, p);
        if (i >= 0) return s->v[i].val;
    }
    return (TaintVal){0};
}

TaintVal taint_state_at_entry(const TaintState *s, const TaintPath *p, const TaintPath **where)
{
    for (; p; p = p->parent) {
        long i = find(s, p);
        if (i >= 0) {
            *where = p;
            return s->v[i].val;
        }
    }
    *where = NULL;
    return (TaintVal){0};
}

TaintVal taint_state_read(const TaintState *s, const TaintPath *p)
{
    TaintVal v = taint_state_at(s, p);
    if (!p->has_children) return v;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].path != p && s->v[i].path->depth > p->depth && taint_path_prefix(p, s->v[i].path))
            v = taint_val_join(v, s->v[i].val);
    return v;
}

static void put(TaintState *s, const TaintPath *p, TaintVal v)
{
    long i = find(s, p);
    if (i >= 0) s->v[i].val = v;
    else insert_at(s, (size_t)(-1 - i), p, v);
}

/* A clean entry is worth keeping only to hide a tainted ancestor. */
static bool ancestor_tainted(const TaintState *s, const TaintPath *p)
{
    return p->parent && taint_val_tainted(taint_state_at(s, p->parent));
}

void taint_state_write(TaintState *s, const TaintPath *p, TaintVal v)
{
    if (p->truncated) {
        put(s, p, taint_val_join(taint_state_at(s, p), v));
        return;
    }
    for (size_t i = s->n; p->has_children && i-- > 0;)
        if (s->v[i].path != p && taint_path_prefix(p, s->v[i].path)) remove_at(s, i);
    if (taint_val_tainted(v) || ancestor_tainted(s, p)) {
        put(s, p, v);
    } else {
        long i = find(s, p);
        if (i >= 0) remove_at(s, (size_t)i);
    }
}

void taint_state_check(TaintState *s, const TaintPath *p, uint8_t bits)
{
    TaintVal v = taint_state_at(s, p);
    if (!taint_val_tainted(v) || (v.checked & bits) == bits) return;
    v.checked |= bits;
    put(s, p, v);
}

/* ---------------------------------------------------------------- join */

/* Every path either side has an entry for gets the join of what each side reads
 * there (its own entry or an ancestor's), so a clean override on one side does not
 * hide taint that reaches the same path on the other. */
bool taint_state_join(TaintState *dst, const TaintState *src)
{
    TaintState out = {0};
    size_t i = 0, j = 0;
    bool changed = false;
    while (i < dst->n || j < src->n) {
        const TaintPath *p;
        if (j >= src->n || (i < dst->n && dst->v[i].path->id < src->v[j].path->id)) p = dst->v[i++].path;
        else if (i >= dst->n || src->v[j].path->id < dst->v[i].path->id) p = src->v[j++].path;
        else p = dst->v[i++].path, j++;
        TaintVal a = taint_state_at(dst, p), b = taint_state_at(src, p);
        TaintVal v = taint_val_join(a, b);
        if (!val_same(v, a)) {
            changed = true;
        } else if (taint_val_tainted(a)) {
            v.trace = a.trace;
            v.otrace = a.otrace;
        }
        if (out.n == out.cap) {
            out.cap = out.cap ? out.cap * 2 : 8;
            out.v = xrealloc(out.v, out.cap * sizeof *out.v);
        }
        out.v[out.n++] = (TaintEntry){ p, v };
    }
    free(dst->v);
    *dst = out;
    return changed;
}
