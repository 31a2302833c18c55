/* diag.c: diagnostics are values with a location, collected and reported, never printed
 * where they happen. */
#include "base.h"

#include <stdlib.h>

void diag_addv(DiagList *l, DiagLevel level, const char *type, const char *path, int line, int col,
               const char *rule_id, const char *fmt, va_list ap)
{
    StrBuf b;
    sb_init(&b);
    sb_vprintf(&b, fmt, ap);
    Diag d = {
        .level = level,
        .type = xstrdup(type),
        .message = sb_take(&b),
        .path = path ? xstrdup(path) : NULL,
        .line = line,
        .col = col,
        .rule_id = rule_id ? xstrdup(rule_id) : NULL,
    };
    VEC_PUSH(*l, d);
}

void diag_add(DiagList *l, DiagLevel level, const char *type, const char *path, int line, int col,
              const char *rule_id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_addv(l, level, type, path, line, col, rule_id, fmt, ap);
    va_end(ap);
}

void diag_list_free(DiagList *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].type);
        free(l->v[i].message);
        free(l->v[i].path);
        free(l->v[i].rule_id);
    }
    VEC_FREE(*l);
}

void diag_list_move(DiagList *dst, DiagList *src)
{
    for (size_t i = 0; i < src->n; i++) VEC_PUSH(*dst, src->v[i]);
    VEC_FREE(*src);
}
