/* yaml.c: reading libyaml's document nodes for the rule loader (rule stage): typed
 * scalars, positions that point into the YAML text, diagnostics, YAML to JSON. */
#include "rule/rule_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- nodes */

yaml_node_t *rule_yaml_node(Loader *ld, int id)
{
    return yaml_document_get_node(ld->doc, id);
}

bool rule_yaml_is_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}

const char *rule_yaml_scalar(const yaml_node_t *n)
{
    return rule_yaml_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

static bool is_plain(const yaml_node_t *n)
{
    return rule_yaml_is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* libyaml tags every untagged scalar !!str, so plain scalars are typed here the way
 * YAML 1.2's core schema (and Semgrep's loader) types them. */
bool rule_yaml_is_null(const yaml_node_t *n)
{
    const char *s = rule_yaml_scalar(n);
    return is_plain(n) && (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
                           !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

static int plain_bool(const yaml_node_t *n)   /* 1 true, 0 false, -1 neither */
{
    const char *s = rule_yaml_scalar(n);
    if (!is_plain(n)) return -1;
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) return 1;
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) return 0;
    return -1;
}

yaml_node_t *rule_yaml_get(Loader *ld, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE) return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = rule_yaml_scalar(rule_yaml_node(ld, p->key));
        if (k && !strcmp(k, key)) return rule_yaml_node(ld, p->value);
    }
    return NULL;
}

/* Aliases can share one node many times over, or point back at an ancestor, so
 * every walk counts its depth and the nodes it has seen. */
bool rule_yaml_enter(Loader *ld, const yaml_node_t *n)
{
    if (ld->depth >= RULE_MAX_DEPTH || ld->visits >= RULE_MAX_VISITS) {
        rule_error(ld, RULE_DIAG_INVALID, n, "rule is nested too deeply or too large "
                   "(more than %d levels or %d nodes, counting YAML aliases)",
                   RULE_MAX_DEPTH, RULE_MAX_VISITS);
        return false;
    }
    ld->depth++;
    ld->visits++;
    return true;
}

void rule_yaml_leave(Loader *ld)
{
    ld->depth--;
}

/* ---------------------------------------------------------------- positions */

RulePos rule_yaml_pos(const yaml_node_t *n)
{
    if (!n) return (RulePos){0, 0};
    return (RulePos){(int)n->start_mark.line + 1, (int)n->start_mark.column + 1};
}

/* Line starts by libyaml's own idea of a line break (CR LF, CR, LF, NEL, LS, PS),
 * so that its line numbers index this table. */
static void build_lines(Loader *ld)
{
    VEC(size_t) v = {0};
    VEC_PUSH(v, 0);
    const unsigned char *s = (const unsigned char *)ld->src;
    for (size_t i = 0; i < ld->len; i++) {
        size_t w = 0;
        if (s[i] == '\n') w = 1;
        else if (s[i] == '\r') w = (i + 1 < ld->len && s[i + 1] == '\n') ? 2 : 1;
        else if (s[i] == 0xC2 && i + 1 < ld->len && s[i + 1] == 0x85) w = 2;
        else if (s[i] == 0xE2 && i + 2 < ld->len && s[i + 1] == 0x80 &&
                 (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) w = 3;
        if (!w) continue;
        i += w - 1;
        VEC_PUSH(v, i + 1);
    }
    ld->line_starts = v.v;
    ld->nlines = v.n;
}

/* The indentation of the first non-blank line at or after `line` (0-based); sets
 * *found false when the rest of the text is blank. */
static int block_indent(Loader *ld, size_t line, bool *found)
{
    if (!ld->line_starts) build_lines(ld);
    for (; line < ld->nlines; line++) {
        size_t i = ld->line_starts[line], end = line + 1 < ld->nlines ? ld->line_starts[line + 1] : ld->len;
        int indent = 0;
        while (i < end && ld->src[i] == ' ') i++, indent++;
        if (i < end && ld->src[i] != '\n' && ld->src[i] != '\r') {
            *found = true;
            return indent;
        }
    }
    *found = false;
    return 0;
}

static bool is_block(const yaml_node_t *n)
{
    return rule_yaml_is_scalar(n) && (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                                      n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE);
}

static bool is_quoted(const yaml_node_t *n)
{
    return rule_yaml_is_scalar(n) && (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                                      n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

RulePos rule_yaml_text_pos(Loader *ld, const yaml_node_t *n)
{
    return rule_yaml_offset_pos(ld, n, 0);
}

/* Where byte `offset` of a scalar's value sits in the YAML text. Exact for block
 * scalars (a block's text starts on the line after its | or > indicator) and for
 * one-line scalars without escapes; a best guess otherwise. */
RulePos rule_yaml_offset_pos(Loader *ld, const yaml_node_t *n, size_t offset)
{
    RulePos p = rule_yaml_pos(n);
    if (!rule_yaml_is_scalar(n)) return p;
    const char *text = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length, nl = 0, last = 0;
    if (offset > len) offset = len;
    /* An error "at the end" of a block points at its last line, not past its newline. */
    if (offset == len && offset > 0 && text[offset - 1] == '\n') offset--;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n') nl++, last = i + 1;
    if (is_block(n)) {
        bool found;
        int indent = ld->src ? block_indent(ld, n->start_mark.line + 1, &found) : 0;
        return (RulePos){p.line + 1 + (int)nl, indent + 1 + (int)(offset - last)};
    }
    int first = p.col + (is_quoted(n) ? 1 : 0);
    if (nl == 0) return (RulePos){p.line, first + (int)offset};
    return (RulePos){p.line + (int)nl, 1 + (int)(offset - last)};
}

/* ---------------------------------------------------------------- diagnostics */

void rule_error(Loader *ld, const char *type, const yaml_node_t *at, const char *fmt, ...)
{
    RulePos p = rule_yaml_pos(at);
    va_list ap;
    va_start(ap, fmt);
    diag_addv(ld->diags, DIAG_ERROR, type, ld->path, p.line, p.col, ld->rule_id, fmt, ap);
    va_end(ap);
    ld->failed = true;
}

void rule_warn(Loader *ld, const yaml_node_t *at, const char *fmt, ...)
{
    RulePos p = rule_yaml_pos(at);
    va_list ap;
    va_start(ap, fmt);
    diag_addv(ld->diags, DIAG_WARN, RULE_DIAG_WARNING, ld->path, p.line, p.col, ld->rule_id, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- typed values */

/* A string value copied into the set's arena; an error naming `what` otherwise. */
const char *rule_yaml_string(Loader *ld, yaml_node_t *n, const char *what)
{
    if (!rule_yaml_is_scalar(n) || rule_yaml_is_null(n)) {
        rule_error(ld, RULE_DIAG_INVALID, n, "%s must be a string", what);
        return NULL;
    }
    return arena_strndup(&ld->set->arena, (const char *)n->data.scalar.value,
                         n->data.scalar.length);
}

bool rule_yaml_bool(Loader *ld, yaml_node_t *n, const char *what, bool *out)
{
    int b = plain_bool(n);
    if (b < 0) {
        rule_error(ld, RULE_DIAG_INVALID, n, "%s must be true or false", what);
        return false;
    }
    *out = b;
    return true;
}

/* ---------------------------------------------------------------- YAML to JSON */

static json_t *scalar_to_json(const yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    if (is_plain(n) && len > 0) {
        if (rule_yaml_is_null(n)) return json_null();
        int b = plain_bool(n);
        if (b >= 0) return json_boolean(b);
        char *end;
        errno = 0;
        long long i = strtoll(s, &end, 10);
        if (!*end && !errno && (s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9')))
            return json_integer(i);
        double d = strtod(s, &end);
        json_t *real = (!*end && (s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
                       ? json_real(d) : NULL;   /* NULL for inf and nan: kept as text */
        if (real) return real;
    } else if (rule_yaml_is_null(n)) {
        return json_null();
    }
    return json_stringn(s, len);
}

static json_t *node_to_json(Loader *ld, yaml_node_t *n);

static json_t *seq_to_json(Loader *ld, yaml_node_t *n)
{
    json_t *a = json_array();
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        json_t *v = node_to_json(ld, rule_yaml_node(ld, *it));
        if (!v) {
            json_decref(a);
            return NULL;
        }
        json_array_append_new(a, v);
    }
    return a;
}

static json_t *map_to_json(Loader *ld, yaml_node_t *n)
{
    json_t *o = json_object();
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = rule_yaml_node(ld, p->key);
        if (!rule_yaml_is_scalar(k)) {
            rule_error(ld, RULE_DIAG_INVALID, k, "metadata keys must be strings");
            json_decref(o);
            return NULL;
        }
        json_t *v = node_to_json(ld, rule_yaml_node(ld, p->value));
        if (!v) {
            json_decref(o);
            return NULL;
        }
        /* jansson keys are C strings: a key with a NUL byte is cut there. */
        json_object_set_new(o, (const char *)k->data.scalar.value, v);
    }
    return o;
}

static json_t *node_to_json(Loader *ld, yaml_node_t *n)
{
    if (!n) return json_null();
    if (!rule_yaml_enter(ld, n)) return NULL;
    json_t *j = NULL;
    switch (n->type) {
    case YAML_SCALAR_NODE:
        j = scalar_to_json(n);
        if (!j) rule_error(ld, RULE_DIAG_INVALID, n, "metadata value is not valid UTF-8");
        break;
    case YAML_SEQUENCE_NODE: j = seq_to_json(ld, n); break;
    case YAML_MAPPING_NODE: j = map_to_json(ld, n); break;
    default: j = json_null(); break;
    }
    rule_yaml_leave(ld);
    return j;
}

char *rule_yaml_to_json(Loader *ld, yaml_node_t *n)
{
    json_t *j = node_to_json(ld, n);
    if (!j) return NULL;
    char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(j);
    return s;
}
