/* formula.c: a rule's formula evaluated over one file with Semgrep's range semantics
 * (match stage). Every operator yields ranges with bindings: pattern-either is their
 * union; patterns intersects its positive terms by inclusion with compatible bindings
 * (pattern-inside ranges may only contain others), then filters by the metavariable
 * conditions, removes what pattern-not (same range), pattern-not-inside (inside) and
 * pattern-not-regex (either includes the other) match, and focuses last. */
#include "match/match_int.h"

#include <string.h>

typedef struct Eval {
    MatchCtx *cx;
    const MatchRule *rule;
    const MatchRangeList *found;    /* one-pass results by pattern index; NULL: search */
    const AstNode *scope;           /* subtree a nested formula is confined to, or NULL */
} Eval;

static void eval(const Eval *ev, const RuleFormula *f, MatchRangeList *out);

/* ---------------------------------------------------------------- range algebra */

static bool range_in(const MatchRange *x, const MatchRange *y)
{
    return x->start.offset >= y->start.offset && x->end.offset <= y->end.offset;
}

static bool binds_compatible(const MatchRange *x, const MatchRange *y)
{
    for (uint32_t i = 0; i < x->nbinds; i++) {
        const MatchBind *o = match_find_bind(y->binds, y->nbinds, x->binds[i].mv);
        if (o && !match_val_equal(&x->binds[i].val, &o->val)) return false;
    }
    return true;
}

static bool included_in(const MatchRange *x, const MatchRange *y)
{
    return range_in(x, y) && binds_compatible(x, y);
}

/* x extended with the bindings only y has. */
static MatchRange merge(MatchCtx *cx, const MatchRange *x, const MatchRange *y)
{
    MatchRange r = *x;
    uint32_t extra = 0;
    for (uint32_t i = 0; i < y->nbinds; i++)
        if (!match_find_bind(x->binds, x->nbinds, y->binds[i].mv)) extra++;
    if (!extra) return r;
    r.binds = arena_alloc(&cx->arena, (x->nbinds + extra) * sizeof *r.binds);
    if (x->nbinds) memcpy(r.binds, x->binds, x->nbinds * sizeof *r.binds);
    r.nbinds = x->nbinds;
    for (uint32_t i = 0; i < y->nbinds; i++)
        if (!match_find_bind(x->binds, x->nbinds, y->binds[i].mv)) r.binds[r.nbinds++] = y->binds[i];
    return r;
}

static void push_range(MatchRangeList *l, MatchRange r)
{
    if (l->n < MATCH_MAX_RANGES) VEC_PUSH(*l, r);
}

/* An inside range survives only against another inside range. */
static void left_merge(MatchCtx *cx, const MatchRangeList *us, const MatchRangeList *vs,
                       MatchRangeList *out)
{
    for (size_t i = 0; i < us->n; i++)
        for (size_t j = 0; j < vs->n; j++) {
            const MatchRange *u = &us->v[i], *v = &vs->v[j];
            if (u->kind == RK_INSIDE && v->kind != RK_INSIDE) continue;
            if (included_in(u, v)) push_range(out, merge(cx, u, v));
        }
}

static void intersect(MatchCtx *cx, MatchRangeList *acc, const MatchRangeList *other)
{
    MatchRangeList out = {0};
    left_merge(cx, acc, other, &out);
    left_merge(cx, other, acc, &out);
    VEC_FREE(*acc);
    *acc = out;
}

static bool excluded(const MatchRange *x, const MatchRange *y)
{
    switch (y->kind) {
    case RK_INSIDE: return included_in(x, y);
    case RK_REGEXP: return included_in(x, y) || included_in(y, x);
    default: return included_in(x, y) && included_in(y, x);
    }
}

static void difference(MatchRangeList *pos, const MatchRangeList *neg)
{
    size_t w = 0;
    for (size_t i = 0; i < pos->n; i++) {
        bool gone = false;
        for (size_t j = 0; j < neg->n && !gone; j++) gone = excluded(&pos->v[i], &neg->v[j]);
        if (!gone) pos->v[w++] = pos->v[i];
    }
    pos->n = w;
}

static bool same_range_binds(const MatchRange *a, const MatchRange *b)
{
    return a->start.offset == b->start.offset && a->end.offset == b->end.offset
           && a->nbinds == b->nbinds && binds_compatible(a, b) && binds_compatible(b, a);
}

static void dedup(MatchRangeList *l)
{
    size_t w = 0;
    for (size_t i = 0; i < l->n; i++) {
        bool dup = false;
        for (size_t j = 0; j < w && !dup; j++) dup = same_range_binds(&l->v[i], &l->v[j]);
        if (!dup) l->v[w++] = l->v[i];
    }
    l->n = w;
}

static void set_kind(MatchRangeList *l, MatchRangeKind k)
{
    for (size_t i = 0; i < l->n; i++) l->v[i].kind = (uint8_t)k;
}

/* ---------------------------------------------------------------- leaves */

static void eval_pattern(const Eval *ev, const RuleFormula *f, MatchRangeList *out)
{
    MatchPattern *mp = match_rule_pattern(ev->rule, f, ev->cx->lang);
    if (!mp) return;
    if (ev->found && !ev->scope) {
        const MatchRangeList *l = &ev->found[mp->index];
        for (size_t i = 0; i < l->n; i++) push_range(out, l->v[i]);
        return;
    }
    MatchRangeList tmp = {0};
    match_search(ev->cx, ev->scope ? ev->scope : ev->cx->file->root, &mp, 1, &tmp);
    for (size_t i = 0; i < tmp.n; i++) push_range(out, tmp.v[i]);
    VEC_FREE(tmp);
}

/* Named groups of pattern-regex bind metavariables of the same name. */
static void regex_binds(MatchCtx *cx, const pcre2_code *re, MatchRange *g)
{
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table;
    pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
    if (!count) return;
    pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(cx->re_data);
    g->binds = arena_alloc(&cx->arena, count * sizeof *g->binds);
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR e = table + i * size;
        uint32_t grp = (uint32_t)(e[0] << 8 | e[1]);
        if (ov[2 * grp] == PCRE2_UNSET) continue;
        MatchBind *b = &g->binds[g->nbinds++];
        b->mv = intern(arena_printf(&cx->arena, "$%s", (const char *)(e + 2)));
        b->val = (MatchVal){ .kind = MV_TEXT, .start = match_offset_pos(cx, (uint32_t)ov[2 * grp]),
                             .end = match_offset_pos(cx, (uint32_t)ov[2 * grp + 1]) };
    }
}

static void eval_regex(const Eval *ev, const RuleFormula *f, MatchRangeList *out)
{
    MatchCtx *cx = ev->cx;
    if (!f->re) return;
    size_t lo = ev->scope ? ev->scope->start.offset : 0;
    size_t hi = ev->scope ? ev->scope->end.offset : cx->file->src_len;
    size_t at = lo, s, e;
    while (at <= hi && out->n < MATCH_MAX_RANGES) {
        if (match_regex_exec(cx, f->re, cx->file->src, hi, at, &s, &e) != 1) break;
        MatchRange g = { .start = match_offset_pos(cx, (uint32_t)s),
                         .end = match_offset_pos(cx, (uint32_t)e), .kind = RK_REGEXP };
        regex_binds(cx, f->re, &g);
        VEC_PUSH(*out, g);
        at = e > s ? e : e + 1;
    }
}

/* ---------------------------------------------------------------- conditions */

static const MatchBind *bound(const MatchRange *r, const char *mv)
{
    return mv ? match_find_bind(r->binds, r->nbinds, intern(mv)) : NULL;
}

static bool metavar_regex(MatchCtx *cx, const RuleFormula *f, const MatchRange *r)
{
    const MatchBind *b = bound(r, f->metavar);
    if (!b || !f->re) return false;
    MatchVal v = b->val;
    if (f->constant_propagation && v.kind == MV_NODE && v.node->kind == AST_IDENT) {
        match_facts_build(cx);
        const AstNode *lit = match_const_lookup(cx, v.node->name);
        if (lit) { v.start = lit->start; v.end = lit->end; }
    }
    size_t len;
    const char *text = match_val_text(cx, &v, &len);
    return match_regex_text(cx, f->re, text, len) == 1;
}

/* metavariable-pattern in another language (or regex): the bound text, or a string
 * literal's content, is parsed on its own and the nested formula must match in it.
 * Its bindings refer to that temporary tree, so they are not carried out. */
static bool metavar_pattern_foreign(const Eval *ev, const RuleFormula *f, const MatchVal *v)
{
    MatchCtx *cx = ev->cx;
    const char *text;
    size_t len;
    if (v->kind == MV_NODE && v->node->kind == AST_LITERAL && v->node->op == LIT_STRING
        && v->node->text) {
        text = v->node->text;
        len = strlen(text);
    } else {
        text = match_val_text(cx, v, &len);
    }
    char *copy = xstrndup(text, len);
    Lang lang = f->lang != LANG_NONE ? f->lang : cx->lang;
    bool regex_only = f->lang == LANG_NONE && f->language;
    AstFile *sub = NULL;
    AstFile fake = { .src = copy, .src_len = len, .path = cx->file->path };
    AstNode empty = { .kind = AST_PROGRAM };
    if (regex_only) {
        fake.root = &empty;
    } else {
        sub = lang_parse_file(cx->parser, lang, cx->file->path, copy, len, NULL);
    }
    MatchCtx sc;
    match_ctx_init(&sc, cx->engine, sub ? sub : &fake, lang, cx->parser, cx->diags);
    sc.rule_id = cx->rule_id;
    Eval sev = { .cx = &sc, .rule = ev->rule };
    MatchRangeList res = {0};
    eval(&sev, f->kids[0], &res);
    bool any = res.n > 0;
    VEC_FREE(res);
    match_ctx_fini(&sc);
    if (sub) lang_file_free(sub);
    free(copy);
    return any;
}

/* Same language: the nested formula runs on the bound subtree(s); each of its
 * matches that agrees with r's bindings gives r extended with the new ones. */
static void metavar_pattern(const Eval *ev, const RuleFormula *f, const MatchRange *r,
                            MatchRangeList *out)
{
    const MatchBind *b = bound(r, f->metavar);
    if (!b || !f->nkids) return;
    bool same = f->lang == ev->cx->lang || (f->lang == LANG_NONE && !f->language);
    if (!same || b->val.kind == MV_NAME || b->val.kind == MV_TEXT) {
        if (metavar_pattern_foreign(ev, f, &b->val)) push_range(out, *r);
        return;
    }
    AstNode *const *nodes = b->val.kind == MV_SEQ ? b->val.seq : (AstNode *const *)&b->val.node;
    uint32_t n = b->val.kind == MV_SEQ ? b->val.nseq : 1;
    for (uint32_t i = 0; i < n; i++) {
        Eval sev = { .cx = ev->cx, .rule = ev->rule, .scope = nodes[i] };
        MatchRangeList res = {0};
        eval(&sev, f->kids[0], &res);
        for (size_t j = 0; j < res.n; j++)
            if (binds_compatible(&res.v[j], r)) push_range(out, merge(ev->cx, r, &res.v[j]));
        VEC_FREE(res);
    }
}

static void apply_condition(const Eval *ev, const RuleFormula *f, MatchRangeList *rs)
{
    MatchRangeList out = {0};
    for (size_t i = 0; i < rs->n; i++) {
        const MatchRange *r = &rs->v[i];
        switch (f->kind) {
        case RULE_F_METAVAR_REGEX:
            if (metavar_regex(ev->cx, f, r)) push_range(&out, *r);
            break;
        case RULE_F_METAVAR_COMPARISON:
            if (match_compare_eval(ev->cx, f, r)) push_range(&out, *r);
            break;
        case RULE_F_METAVAR_PATTERN:
            metavar_pattern(ev, f, r, &out);
            break;
        default:
            push_range(&out, *r);
        }
    }
    VEC_FREE(*rs);
    *rs = out;
    dedup(rs);
}

/* ---------------------------------------------------------------- focus */

static void focus_one(const RuleFormula *f, const MatchRange *r, MatchRangeList *out)
{
    for (size_t m = 0; m < f->nmetavars; m++) {
        const MatchBind *b = bound(r, f->metavars[m]);
        if (!b || (b->val.kind == MV_SEQ && b->val.nseq == 0)) continue;
        MatchRange g = *r;
        g.start = b->val.start;
        g.end = b->val.end;
        g.kind = RK_PLAIN;
        push_range(out, g);
    }
}

/* One focus-metavariable: each range becomes the range of the bound value (a list of
 * metavariables gives their union). A later one keeps only what lies inside what an
 * earlier one chose, which is Semgrep's intersection of several foci. */
static void apply_focus(const RuleFormula *const *foci, size_t n, MatchRangeList *rs)
{
    if (!n) return;
    MatchRangeList out = {0};
    for (size_t i = 0; i < rs->n; i++) {
        MatchRangeList cur = {0};
        focus_one(foci[0], &rs->v[i], &cur);
        for (size_t k = 1; k < n; k++) {
            MatchRangeList nxt = {0}, keep = {0};
            focus_one(foci[k], &rs->v[i], &nxt);
            for (size_t a = 0; a < nxt.n; a++)
                for (size_t c = 0; c < cur.n; c++)
                    if (range_in(&nxt.v[a], &cur.v[c])) { push_range(&keep, nxt.v[a]); break; }
            VEC_FREE(nxt);
            VEC_FREE(cur);
            cur = keep;
        }
        for (size_t a = 0; a < cur.n; a++) push_range(&out, cur.v[a]);
        VEC_FREE(cur);
    }
    VEC_FREE(*rs);
    *rs = out;
    dedup(rs);
}

/* ---------------------------------------------------------------- operators */

static bool is_positive(RuleFormulaKind k)
{
    return k == RULE_F_PATTERN || k == RULE_F_PATTERNS || k == RULE_F_EITHER
           || k == RULE_F_INSIDE || k == RULE_F_REGEX;
}

static bool is_condition(RuleFormulaKind k)
{
    return k == RULE_F_METAVAR_REGEX || k == RULE_F_METAVAR_PATTERN
           || k == RULE_F_METAVAR_COMPARISON;
}

static void eval_negative(const Eval *ev, const RuleFormula *f, MatchRangeList *rs)
{
    MatchRangeList neg = {0};
    if (f->kind == RULE_F_NOT_REGEX) {
        RuleFormula as_regex = *f;
        as_regex.kind = RULE_F_REGEX;
        eval(ev, &as_regex, &neg);
        set_kind(&neg, RK_REGEXP);
    } else if (f->nkids) {
        eval(ev, f->kids[0], &neg);
        set_kind(&neg, f->kind == RULE_F_NOT_INSIDE ? RK_INSIDE : RK_PLAIN);
    }
    difference(rs, &neg);
    VEC_FREE(neg);
}

static void eval_and(const Eval *ev, const RuleFormula *f, MatchRangeList *out)
{
    bool started = false;
    MatchRangeList acc = {0};
    for (size_t i = 0; i < f->nkids; i++) {
        if (!is_positive(f->kids[i]->kind)) continue;
        MatchRangeList r = {0};
        eval(ev, f->kids[i], &r);
        if (!started) { acc = r; started = true; continue; }
        intersect(ev->cx, &acc, &r);
        VEC_FREE(r);
        if (!acc.n) break;
    }
    for (size_t i = 0; i < f->nkids && acc.n; i++)
        if (is_condition(f->kids[i]->kind)) apply_condition(ev, f->kids[i], &acc);
    for (size_t i = 0; i < f->nkids && acc.n; i++) {
        RuleFormulaKind k = f->kids[i]->kind;
        if (k == RULE_F_NOT || k == RULE_F_NOT_INSIDE || k == RULE_F_NOT_REGEX)
            eval_negative(ev, f->kids[i], &acc);
    }
    const RuleFormula *foci[32];
    size_t nf = 0;
    for (size_t i = 0; i < f->nkids && nf < 32; i++)
        if (f->kids[i]->kind == RULE_F_FOCUS) foci[nf++] = f->kids[i];
    apply_focus(foci, nf, &acc);
    for (size_t i = 0; i < acc.n; i++) push_range(out, acc.v[i]);
    VEC_FREE(acc);
}

static void eval(const Eval *ev, const RuleFormula *f, MatchRangeList *out)
{
    switch (f->kind) {
    case RULE_F_PATTERN: eval_pattern(ev, f, out); break;
    case RULE_F_REGEX: eval_regex(ev, f, out); break;
    case RULE_F_PATTERNS: eval_and(ev, f, out); break;
    case RULE_F_EITHER:
        for (size_t i = 0; i < f->nkids; i++) eval(ev, f->kids[i], out);
        dedup(out);
        break;
    case RULE_F_INSIDE: {
        size_t from = out->n;
        if (f->nkids) eval(ev, f->kids[0], out);
        for (size_t i = from; i < out->n; i++) out->v[i].kind = RK_INSIDE;
        break;
    }
    default:
        /* Negations and conditions mean something only inside `patterns`. */
        break;
    }
}

void match_formula_eval(MatchCtx *cx, const MatchRule *r, const RuleFormula *f,
                        const MatchRangeList *found, MatchRangeList *out)
{
    Eval ev = { .cx = cx, .rule = r, .found = found };
    eval(&ev, f, out);
}

/* ---------------------------------------------------------------- prefilter */

static bool has_word(const char *src, size_t len, const char *w)
{
    return memmem(src, len, w, strlen(w)) != NULL;
}

bool match_prefilter(const MatchRule *r, const RuleFormula *f, Lang lang, const char *src,
                     size_t len)
{
    switch (f->kind) {
    case RULE_F_PATTERN: {
        const MatchPattern *mp = match_rule_pattern(r, f, lang);
        if (!mp) return false;
        for (size_t i = 0; i < mp->nneeds; i++)
            if (!has_word(src, len, mp->needs[i])) return false;
        return true;
    }
    case RULE_F_PATTERNS:
        for (size_t i = 0; i < f->nkids; i++)
            if (is_positive(f->kids[i]->kind) && !match_prefilter(r, f->kids[i], lang, src, len))
                return false;
        return true;
    case RULE_F_EITHER:
        for (size_t i = 0; i < f->nkids; i++)
            if (match_prefilter(r, f->kids[i], lang, src, len)) return true;
        return f->nkids == 0;
    case RULE_F_INSIDE:
        return !f->nkids || match_prefilter(r, f->kids[0], lang, src, len);
    default:
        return true;
    }
}
