/* output.c: the report of a trace in text, JSON (jansson) or SARIF 2.1.0, and the
 * event lines of --events. The JSON shapes are documented in docs/trace.md. */
#include <ctype.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "trace/trace_internal.h"

static const char *const kind_names[] = {
    [EV_EXEC] = "exec", [EV_OPEN] = "open", [EV_CONNECT] = "connect", [EV_BIND] = "bind",
    [EV_SEND] = "send", [EV_UNLINK] = "unlink", [EV_RENAME] = "rename", [EV_CHMOD] = "chmod",
    [EV_DENIED] = "denied", [EV_SPAWN] = "spawn", [EV_EXIT] = "exit", [EV_SINK] = "sink",
    [EV_FILE] = "file", [EV_LINK] = "link",
};

/* Bytes as text: printable ASCII kept, the rest as \xNN (\n, \r, \t as such). */
static char *printable(const unsigned char *d, size_t n)
{
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = d[i];
        if (c == '\n') sb_puts(&b, "\\n");
        else if (c == '\r') sb_puts(&b, "\\r");
        else if (c == '\t') sb_puts(&b, "\\t");
        else if (c == '\\') sb_puts(&b, "\\\\");
        else if (c >= 0x20 && c < 0x7f) sb_putc(&b, (char)c);
        else sb_printf(&b, "\\x%02x", c);
    }
    if (!b.s)
        sb_puts(&b, "");
    return sb_take(&b);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Strings read from a tracee may not be UTF-8; jansson rejects those, so they are
 * escaped first. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    char *p = printable((const unsigned char *)s, strlen(s));
    j = json_string(p);
    free(p);
    return j;
}

static json_t *address_json(const SockAddr *a, int sock_type)
{
    json_t *o = json_object();
    const char *fam = a->family == AF_INET ? "inet" : a->family == AF_INET6 ? "inet6"
                    : a->family == AF_UNIX ? "unix" : a->family == AF_NETLINK ? "netlink" : "other";
    json_object_set_new(o, "family", json_string(fam));
    if (a->family == AF_INET || a->family == AF_INET6) {
        json_object_set_new(o, "address", json_string(a->text));
        json_object_set_new(o, "port", json_integer(a->port));
    } else if (a->family == AF_UNIX) {
        json_object_set_new(o, "path", jstr(a->text));
    }
    if (sock_type)
        json_object_set_new(o, "type", json_string(sock_type == SOCK_STREAM ? "stream"
                                                   : sock_type == SOCK_DGRAM ? "dgram" : "other"));
    return o;
}

static json_t *event_args(const TraceEvent *e)
{
    json_t *a = json_object();
    char flags[256];
    switch (e->kind) {
    case EV_EXEC: {
        json_object_set_new(a, "path", jstr(e->path));
        json_t *argv = json_array();
        for (size_t i = 0; i < e->argv.n; i++)
            json_array_append_new(argv, jstr(e->argv.v[i]));
        json_object_set_new(a, "argv", argv);
        break;
    }
    case EV_OPEN:
        if (e->dirfd)
            json_object_set_new(a, "dirfd", jstr(e->dirfd));
        json_object_set_new(a, "path", jstr(e->path));
        decode_open_flags(e->flags, flags, sizeof flags);
        json_object_set_new(a, "flags", json_string(flags));
        if (e->flags & O_CREAT)
            json_object_set_new(a, "mode", json_integer(e->mode));
        break;
    case EV_UNLINK: case EV_CHMOD: case EV_RENAME: case EV_LINK:
        if (e->dirfd)
            json_object_set_new(a, "dirfd", jstr(e->dirfd));
        json_object_set_new(a, "path", jstr(e->path));
        if (e->kind == EV_RENAME || e->kind == EV_LINK)
            json_object_set_new(a, "newpath", jstr(e->path2));
        if (e->kind == EV_CHMOD)
            json_object_set_new(a, "mode", json_integer(e->mode));
        break;
    case EV_CONNECT: case EV_BIND: case EV_SEND:
        json_object_set_new(a, "fd", json_integer(e->fd));
        if (e->addr.family)
            json_object_set_new(a, "address", address_json(&e->addr, e->sock_type));
        break;
    case EV_SINK:
        json_object_set_new(a, "address", address_json(&e->addr, e->sock_type));
        break;
    case EV_SPAWN:
        json_object_set_new(a, "child", json_integer(e->child));
        break;
    case EV_DENIED:
        if (e->flags)
            json_object_set_new(a, "flags", json_integer(e->flags));
        break;
    default:
        break;
    }
    return a;
}

static json_t *event_json(const TraceRun *r, const TraceEvent *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "seq", json_integer(e->seq));
    json_object_set_new(o, "time", json_real(round(e->time * 1e6) / 1e6));
    json_object_set_new(o, "pid", json_integer(e->pid));
    json_object_set_new(o, "tid", json_integer(e->tid));
    json_object_set_new(o, "ppid", json_integer(e->ppid));
    json_object_set_new(o, "exe", jstr(e->exe));
    json_object_set_new(o, "syscall", json_string(e->syscall));
    json_object_set_new(o, "kind", json_string(kind_names[e->kind]));
    json_object_set_new(o, "args", event_args(e));
    if (e->abspath)
        json_object_set_new(o, "path", jstr(e->abspath));
    if (e->abspath2)
        json_object_set_new(o, "newpath", jstr(e->abspath2));
    if (e->real_path)
        json_object_set_new(o, "real_path", jstr(e->real_path));
    if (e->has_result) {
        json_object_set_new(o, "result", json_integer(e->result));
        if (e->result < 0 && e->kind != EV_EXIT) {
            const char *name = errno_name((int)-e->result);
            json_object_set_new(o, "error", str_or_null(name));
        }
    } else {
        json_object_set_new(o, "result", json_null());
    }
    if (e->kind == EV_SEND || e->kind == EV_SINK) {
        json_t *d = json_object();
        json_object_set_new(d, "length", json_integer((json_int_t)e->data_total));
        char *p = printable(e->data, e->data_len);
        json_object_set_new(d, "preview", json_string(p));
        free(p);
        json_object_set_new(o, "data", d);
    }
    if (e->dns_query)
        json_object_set_new(o, "dns_query", jstr(e->dns_query));
    if (e->note)
        json_object_set_new(o, "note", jstr(e->note));
    if (e->root)
        json_object_set_new(o, "root", json_true());
    if (e->canaries.n && r->sandbox) {
        json_t *c = json_array();
        for (size_t i = 0; i < e->canaries.n; i++)
            json_array_append_new(c, json_string(r->sandbox->canaries.v[e->canaries.v[i]].name));
        json_object_set_new(o, "canaries", c);
    }
    return o;
}

void output_event_line(FILE *f, const TraceRun *r, const TraceEvent *e)
{
    json_t *o = event_json(r, e);
    /* one string, one write: json_dumpf writes token by token, each a locked fwrite */
    char *line = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(12));
    if (line) {
        fputs(line, f);
        fputc('\n', f);
        free(line);
    }
    json_decref(o);
}

/* ---------------------------------------------------------------- shared pieces */

void output_status_text(const TraceRun *r, char *buf, size_t n)
{
    int st = r->root_status;
    if (!r->root_exited)
        snprintf(buf, n, "did not finish");
    else if (WIFEXITED(st))
        snprintf(buf, n, "exited with %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
    {
        char sn[32];
        snprintf(buf, n, "killed by %s", signal_name(WTERMSIG(st), sn, sizeof sn));
    }
    else
        snprintf(buf, n, "status %#x", st);
}

void output_event_summary(const TraceRun *r, const TraceEvent *e, StrBuf *b)
{
    (void)r;
    char flags[256];
    if (e->kind == EV_SINK) {
        sb_printf(b, "sink received %zu bytes on %s:%d", e->data_total, e->addr.text, e->addr.port);
    } else if (e->kind == EV_FILE) {
        sb_printf(b, "after the run, %s holds canary values", e->abspath);
    } else {
        sb_printf(b, "pid %d %s  %s(", (int)e->pid, e->exe ? e->exe : "?", e->syscall);
        switch (e->kind) {
        case EV_EXEC:
            sb_printf(b, "\"%s\", [", e->path ? e->path : "?");
            for (size_t i = 0; i < e->argv.n && i < 8; i++)
                sb_printf(b, "%s\"%.80s\"", i ? ", " : "", e->argv.v[i]);
            sb_puts(b, e->argv.n > 8 ? ", ...])" : "])");
            break;
        case EV_OPEN:
            decode_open_flags(e->flags, flags, sizeof flags);
            sb_printf(b, "\"%s\", %s)", e->path ? e->path : "?", flags);
            break;
        case EV_UNLINK: case EV_CHMOD:
            sb_printf(b, "\"%s\")", e->path ? e->path : "?");
            break;
        case EV_RENAME: case EV_LINK:
            sb_printf(b, "\"%s\", \"%s\")", e->path ? e->path : "?", e->path2 ? e->path2 : "?");
            break;
        case EV_CONNECT: case EV_BIND: case EV_SEND:
            sb_printf(b, "%d, ", e->fd);
            if (e->addr.family == AF_INET || e->addr.family == AF_INET6)
                sb_printf(b, "%s port %d", e->addr.text, e->addr.port);
            else
                sb_printf(b, "%s", e->addr.family ? e->addr.text : "?");
            if (e->kind == EV_SEND)
                sb_printf(b, ", %zu bytes", e->data_total);
            sb_putc(b, ')');
            break;
        default:
            sb_putc(b, ')');
            break;
        }
        if (e->has_result) {
            const char *name = e->result < 0 ? errno_name((int)-e->result) : NULL;
            if (name)
                sb_printf(b, " = -1 %s", name);
            else
                sb_printf(b, " = %ld", e->result);
        }
    }
}

static const char *sarif_level(Severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* ---------------------------------------------------------------- text */

void output_text(FILE *f, const TraceRun *r)
{
    char status[80];
    output_status_text(r, status, sizeof status);
    fputs("sluice trace:", f);
    for (int i = 0; i < r->opt->argc; i++)
        fprintf(f, " %s", r->opt->argv[i]);
    fprintf(f, "\ncommand %s; %ld processes, %ld threads, %ld events, %.2f s\n", status,
            r->n_processes, r->n_threads, r->n_events, r->elapsed);
    if (r->sandbox->enabled)
        fprintf(f, "sandbox: own network namespace, HOME=%s, %zu canaries\n", r->sandbox->home,
                r->sandbox->canaries.n);
    else
        fprintf(f, "sandbox: off (--no-sandbox)\n");
    fprintf(f, "policy: %s\n", r->policy->source);
    if (r->stopped_reason)
        fprintf(f, "STOPPED: %s\n", r->stopped_reason);
    for (size_t i = 0; i < r->errors.n; i++)
        fprintf(f, "%s: %s\n", r->errors.v[i].level == DIAG_ERROR ? "error" : "warning",
                r->errors.v[i].message);
    fputc('\n', f);
    for (size_t i = 0; i < r->violations.n; i++) {
        const Violation *v = &r->violations.v[i];
        fprintf(f, "%-8s %-18s %s\n", severity_name(v->severity), rule_id(v->rule), v->message);
        for (size_t k = 0; k < v->canaries.n; k++) {
            const Canary *c = &r->sandbox->canaries.v[v->canaries.v[k]];
            fprintf(f, "         canary %s (%s) = %s\n", c->name, c->where, c->value);
        }
        /* When something succeeded, failed attempts (an exec's walk along PATH) are
         * only counted; JSON and SARIF list them all. */
        size_t hidden = v->more_events;
        for (size_t k = 0; k < v->events.n; k++) {
            const TraceEvent *e = v->events.v[k];
            if (v->succeeded && e->has_result && e->result < 0 && e->kind == EV_EXEC) {
                hidden++;
                continue;
            }
            StrBuf b;
            sb_init(&b);
            output_event_summary(r, e, &b);
            fprintf(f, "         %s\n", b.s);
            sb_free(&b);
        }
        if (hidden)
            fprintf(f, "         (%zu more event%s, failed attempts included: see --json)\n",
                    hidden, hidden == 1 ? "" : "s");
    }
    size_t ne = verdict_count(r, SEV_ERROR), nw = verdict_count(r, SEV_WARNING) - ne,
           ni = verdict_count(r, SEV_INFO) - ne - nw;
    if (r->violations.n == 0)
        fprintf(f, "no violations\n");
    else
        fprintf(f, "\n%zu violation%s: %zu ERROR, %zu WARNING, %zu INFO\n", r->violations.n,
                r->violations.n == 1 ? "" : "s", ne, nw, ni);
}

/* ---------------------------------------------------------------- JSON */

static json_t *violation_json(const TraceRun *r, const Violation *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(rule_id(v->rule)));
    json_object_set_new(o, "severity", json_string(severity_name(v->severity)));
    json_object_set_new(o, "subject", jstr(v->subject));
    json_object_set_new(o, "message", jstr(v->message));
    if (v->canaries.n) {
        json_t *c = json_array();
        for (size_t i = 0; i < v->canaries.n; i++) {
            const Canary *cn = &r->sandbox->canaries.v[v->canaries.v[i]];
            json_t *co = json_object();
            json_object_set_new(co, "name", json_string(cn->name));
            json_object_set_new(co, "where", json_string(cn->where));
            json_object_set_new(co, "value", json_string(cn->value));
            json_array_append_new(c, co);
        }
        json_object_set_new(o, "canaries", c);
    }
    json_t *ev = json_array();
    for (size_t i = 0; i < v->events.n; i++)
        json_array_append_new(ev, event_json(r, v->events.v[i]));
    json_object_set_new(o, "events", ev);
    if (v->more_events)
        json_object_set_new(o, "more_events", json_integer((json_int_t)v->more_events));
    return o;
}

static json_t *report_json(const TraceRun *r)
{
    json_t *o = json_object();
    json_t *cmd = json_array();
    for (int i = 0; i < r->opt->argc; i++)
        json_array_append_new(cmd, jstr(r->opt->argv[i]));
    json_object_set_new(o, "command", cmd);
    json_t *ex = json_object();
    char status[80];
    output_status_text(r, status, sizeof status);
    json_object_set_new(ex, "status", json_string(status));
    int st = r->root_status;
    json_object_set_new(ex, "code", r->root_exited && WIFEXITED(st)
                        ? json_integer(WEXITSTATUS(st)) : json_null());
    char sn[32];
    json_object_set_new(ex, "signal", r->root_exited && WIFSIGNALED(st)
                        ? json_string(signal_name(WTERMSIG(st), sn, sizeof sn)) : json_null());
    json_object_set_new(o, "exit", ex);
    json_object_set_new(o, "stopped", str_or_null(r->stopped_reason));
    json_t *sb = json_object();
    json_object_set_new(sb, "enabled", json_boolean(r->sandbox->enabled));
    if (r->sandbox->enabled) {
        json_object_set_new(sb, "network", json_string("own namespace, loopback only"));
        json_object_set_new(sb, "home", jstr(r->sandbox->home));
        json_t *c = json_array();
        for (size_t i = 0; i < r->sandbox->canaries.n; i++) {
            json_t *co = json_object();
            json_object_set_new(co, "name", json_string(r->sandbox->canaries.v[i].name));
            json_object_set_new(co, "where", json_string(r->sandbox->canaries.v[i].where));
            json_array_append_new(c, co);
        }
        json_object_set_new(sb, "canaries", c);
    }
    json_object_set_new(o, "sandbox", sb);
    json_object_set_new(o, "policy", jstr(r->policy->source));
    json_t *stats = json_object();
    json_object_set_new(stats, "events", json_integer(r->n_events));
    json_object_set_new(stats, "processes", json_integer(r->n_processes));
    json_object_set_new(stats, "threads", json_integer(r->n_threads));
    json_object_set_new(stats, "stops", json_integer(r->n_stops));
    json_object_set_new(stats, "seconds", json_real(round(r->elapsed * 1000) / 1000));
    json_object_set_new(o, "stats", stats);
    json_t *vs = json_array();
    for (size_t i = 0; i < r->violations.n; i++)
        json_array_append_new(vs, violation_json(r, &r->violations.v[i]));
    json_object_set_new(o, "violations", vs);
    json_t *errs = json_array();
    for (size_t i = 0; i < r->errors.n; i++) {
        json_t *eo = json_object();
        json_object_set_new(eo, "type", json_string(r->errors.v[i].type));
        json_object_set_new(eo, "level", json_string(r->errors.v[i].level == DIAG_ERROR ? "error"
                                                     : "warn"));
        json_object_set_new(eo, "message", jstr(r->errors.v[i].message));
        json_array_append_new(errs, eo);
    }
    json_object_set_new(o, "errors", errs);
    json_t *sum = json_object();
    size_t ne = verdict_count(r, SEV_ERROR), nw = verdict_count(r, SEV_WARNING) - ne;
    json_object_set_new(sum, "ERROR", json_integer((json_int_t)ne));
    json_object_set_new(sum, "WARNING", json_integer((json_int_t)nw));
    json_object_set_new(sum, "INFO", json_integer((json_int_t)(verdict_count(r, SEV_INFO) - ne - nw)));
    json_object_set_new(o, "summary", sum);
    return o;
}

void output_json(FILE *f, const TraceRun *r)
{
    json_t *o = report_json(r);
    json_dumpf(o, f, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    fputc('\n', f);
    json_decref(o);
}

/* ---------------------------------------------------------------- SARIF */

static json_t *text_obj(const char *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "text", jstr(s));
    return o;
}

static json_t *sarif_rules(const TraceRun *r)
{
    json_t *rules = json_array();
    for (int k = 0; k < RULE_COUNT; k++) {
        json_t *ru = json_object();
        char id[64];
        snprintf(id, sizeof id, "trace.%s", rule_id((RuleKind)k));
        json_object_set_new(ru, "id", json_string(id));
        json_object_set_new(ru, "name", json_string(rule_id((RuleKind)k)));
        json_object_set_new(ru, "shortDescription", text_obj(rule_description((RuleKind)k)));
        json_t *cfg = json_object();
        Severity s = r->policy->severity[k];
        json_object_set_new(cfg, "level", json_string(s == SEV_NONE ? "none" : sarif_level(s)));
        json_object_set_new(ru, "defaultConfiguration", cfg);
        json_array_append_new(rules, ru);
    }
    return rules;
}

static json_t *sarif_result(const TraceRun *r, const Violation *v)
{
    json_t *res = json_object();
    char id[64];
    snprintf(id, sizeof id, "trace.%s", rule_id(v->rule));
    json_object_set_new(res, "ruleId", json_string(id));
    json_object_set_new(res, "ruleIndex", json_integer(v->rule));
    json_object_set_new(res, "level", json_string(sarif_level(v->severity)));
    json_object_set_new(res, "message", text_obj(v->message));
    if (v->rule == RULE_SENSITIVE_PATH && v->subject[0] == '/') {
        json_t *loc = json_object(), *phys = json_object(), *art = json_object();
        StrBuf uri;
        sb_init(&uri);
        sb_puts(&uri, "file://");
        for (const char *p = v->subject; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (isalnum(c) || strchr("/-._~", c))
                sb_putc(&uri, (char)c);
            else
                sb_printf(&uri, "%%%02X", c);
        }
        json_object_set_new(art, "uri", json_string(uri.s));
        sb_free(&uri);
        json_object_set_new(phys, "artifactLocation", art);
        json_object_set_new(loc, "physicalLocation", phys);
        json_t *locs = json_array();
        json_array_append_new(locs, loc);
        json_object_set_new(res, "locations", locs);
    }
    json_t *props = json_object();
    json_object_set_new(props, "subject", jstr(v->subject));
    json_t *ev = json_array();
    for (size_t i = 0; i < v->events.n; i++)
        json_array_append_new(ev, event_json(r, v->events.v[i]));
    json_object_set_new(props, "events", ev);
    json_object_set_new(res, "properties", props);
    return res;
}

void output_sarif(FILE *f, const TraceRun *r)
{
    json_t *log = json_object();
    json_object_set_new(log, "version", json_string("2.1.0"));
    json_object_set_new(log, "$schema", json_string(
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"));
    json_t *run = json_object(), *tool = json_object(), *driver = json_object();
    json_object_set_new(driver, "name", json_string("sluice"));
    json_object_set_new(driver, "rules", sarif_rules(r));
    json_object_set_new(tool, "driver", driver);
    json_object_set_new(run, "tool", tool);
    json_t *inv = json_object();
    StrBuf cl;
    sb_init(&cl);
    for (int i = 0; i < r->opt->argc; i++)
        sb_printf(&cl, "%s%s", i ? " " : "", r->opt->argv[i]);
    json_object_set_new(inv, "commandLine", jstr(cl.s ? cl.s : ""));
    sb_free(&cl);
    json_object_set_new(inv, "executionSuccessful", json_boolean(r->stopped_reason == NULL
                                                                 && r->errors.n == 0));
    json_t *notes = json_array();
    if (r->stopped_reason) {
        json_t *n = json_object();
        json_object_set_new(n, "level", json_string("error"));
        json_object_set_new(n, "message", text_obj(r->stopped_reason));
        json_array_append_new(notes, n);
    }
    for (size_t i = 0; i < r->errors.n; i++) {
        json_t *n = json_object();
        json_object_set_new(n, "level", json_string(r->errors.v[i].level == DIAG_ERROR ? "error"
                                                    : "warning"));
        json_object_set_new(n, "message", text_obj(r->errors.v[i].message));
        json_array_append_new(notes, n);
    }
    json_object_set_new(inv, "toolExecutionNotifications", notes);
    char status[80];
    output_status_text(r, status, sizeof status);
    json_t *props = json_object();
    json_object_set_new(props, "commandStatus", json_string(status));
    json_object_set_new(inv, "properties", props);
    json_t *invs = json_array();
    json_array_append_new(invs, inv);
    json_object_set_new(run, "invocations", invs);
    json_t *results = json_array();
    for (size_t i = 0; i < r->violations.n; i++)
        json_array_append_new(results, sarif_result(r, &r->violations.v[i]));
    json_object_set_new(run, "results", results);
    json_t *runs = json_array();
    json_array_append_new(runs, run);
    json_object_set_new(log, "runs", runs);
    json_dumpf(log, f, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
    fputc('\n', f);
    json_decref(log);
}
