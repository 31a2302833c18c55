/* verdict.c: judges each finished event against the policy and gathers violations,
 * one per rule and subject (a path, a command, a destination), each holding the events
 * behind it. Also the after-run checks: canaries in files written outside the sandbox
 * and in the bytes the sink received. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "trace/trace_internal.h"

#define EVENTS_PER_VIOLATION 20
#define WRITTEN_FILES_MAX 4000
#define WRITTEN_FILE_SCAN (4u << 20)

/* ---------------------------------------------------------------- violations */

static Violation *find_violation(TraceRun *r, RuleKind rule, const char *subject)
{
    for (size_t i = 0; i < r->violations.n; i++)
        if (r->violations.v[i].rule == rule && strcmp(r->violations.v[i].subject, subject) == 0)
            return &r->violations.v[i];
    return NULL;
}

static void hold_event(TraceRun *r, Violation *v, TraceEvent *e)
{
    for (size_t i = 0; i < v->events.n; i++)
        if (v->events.v[i] == e)
            return;
    if (v->events.n >= EVENTS_PER_VIOLATION) {
        /* Full: a success takes the place of a failed attempt (an exec's walk along
         * PATH can fill the list before the exec that worked). */
        v->more_events++;
        if (e->has_result && e->result < 0)
            return;
        size_t k = 0;
        while (k < v->events.n && !(v->events.v[k]->has_result && v->events.v[k]->result < 0))
            k++;
        if (k == v->events.n)
            return;
        memmove(v->events.v + k, v->events.v + k + 1, (v->events.n - k - 1) * sizeof *v->events.v);
        v->events.n--;
    }
    VEC_PUSH(v->events, e);
    if (e->refs++ == 0)
        VEC_PUSH(r->kept, e);
}

/* Adds e to the violation (rule, subject), making it with message if new. A later
 * event whose syscall succeeded replaces a message made from a failed attempt. */
static Violation *violate(TraceRun *r, RuleKind rule, const char *subject, TraceEvent *e,
                          const char *message, bool succeeded)
{
    Severity sev = r->policy->severity[rule];
    if (sev == SEV_NONE)
        return NULL;
    Violation *v = find_violation(r, rule, subject);
    if (!v) {
        Violation nv = { .rule = rule, .severity = sev, .subject = xstrdup(subject),
                         .message = xstrdup(message), .succeeded = succeeded };
        VEC_PUSH(r->violations, nv);
        v = &r->violations.v[r->violations.n - 1];
    } else if (succeeded && !v->succeeded) {
        free(v->message);
        v->message = xstrdup(message);
        v->succeeded = true;
    }
    if (e)
        hold_event(r, v, e);
    return v;
}

void violation_free(Violation *v)
{
    free(v->subject);
    free(v->message);
    VEC_FREE(v->events);
    VEC_FREE(v->canaries);
}

size_t verdict_count(const TraceRun *r, Severity at_least)
{
    size_t n = 0;
    for (size_t i = 0; i < r->violations.n; i++)
        n += r->violations.v[i].severity >= at_least;
    return n;
}

static const char *result_text(const TraceEvent *e, char *buf, size_t n)
{
    if (!e->has_result || e->result >= 0)
        return "";
    if (e->kind == EV_CONNECT && e->result == -EINPROGRESS)
        return " (non-blocking, in progress)";
    const char *name = errno_name((int)-e->result);
    if (name)
        snprintf(buf, n, " (failed: %s)", name);
    else
        snprintf(buf, n, " (failed: errno %ld)", -e->result);
    return buf;
}

static bool succeeded(const TraceEvent *e)
{
    /* a non-blocking connect that is under way has reached out all the same */
    return !e->has_result || e->result >= 0
        || (e->kind == EV_CONNECT && e->result == -EINPROGRESS);
}

/* ---------------------------------------------------------------- paths */

static void judge_path(TraceRun *r, TraceEvent *e)
{
    const char *p = e->abspath, *hit = policy_match_path(r->policy, p);
    if (!hit && e->real_path && (hit = policy_match_path(r->policy, e->real_path)))
        p = e->real_path;
    if (!hit && e->kind != EV_LINK && e->abspath2
        && (hit = policy_match_path(r->policy, e->abspath2)))
        p = e->abspath2;
    if (!hit && !(e->kind == EV_LINK && e->abspath))
        return;
    const char *what = "access to";
    if (e->kind == EV_LINK && !hit && policy_is_ancestor(r->policy, e->abspath)) {
        /* a link to "/", a HOME or /etc reaches its sensitive files by other names */
        char res[64], msg[4400];
        snprintf(msg, sizeof msg, "Link %s -> %s, a directory holding sensitive files%s",
                 e->abspath2 ? e->abspath2 : "?", e->abspath, result_text(e, res, sizeof res));
        violate(r, RULE_SENSITIVE_PATH, e->abspath, e, msg, succeeded(e));
        return;
    }
    if (!hit)
        return;
    switch (e->kind) {
    case EV_OPEN: what = open_flags_write(e->flags) ? "write to" : "read of"; break;
    case EV_UNLINK: what = "removal of"; break;
    case EV_RENAME: what = "rename of"; break;
    case EV_CHMOD: what = "chmod of"; break;
    case EV_LINK: what = "link to"; break;
    default: break;
    }
    char res[64], msg[4400];
    snprintf(msg, sizeof msg, "%s sensitive file %s%s", what, p, result_text(e, res, sizeof res));
    msg[0] = (char)(msg[0] - 'a' + 'A');
    /* Every process has its own /proc/PID: one violation for the pattern, not per pid. */
    const char *subject = str_starts_with(p, "/proc/") ? hit : p;
    violate(r, RULE_SENSITIVE_PATH, subject, e, msg, succeeded(e));
}

/* ---------------------------------------------------------------- commands */

static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p ? p : "";
}

static char *join_words(char *const *w, size_t n)
{
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_putc(&b, ' ');
        sb_puts(&b, w[i]);
    }
    if (!b.s)
        sb_puts(&b, "");
    return sb_take(&b);
}

static void judge_command(TraceRun *r, TraceEvent *e, const char *name, char *const *args,
                          size_t nargs, const char *via)
{
    char *joined = join_words(args, nargs);
    const PolicyCommand *c = policy_match_command(r->policy, name, joined);
    if (c) {
        char res[64], msg[600];
        if (via)
            snprintf(msg, sizeof msg, "Shell script runs `%s%s%.200s` (%s)%s", name,
                     nargs ? " " : "", joined, via, result_text(e, res, sizeof res));
        else
            snprintf(msg, sizeof msg, "Ran `%s%s%.200s`%s", name, nargs ? " " : "", joined,
                     result_text(e, res, sizeof res));
        violate(r, RULE_SENSITIVE_COMMAND, name, e, msg, succeeded(e));
    }
    free(joined);
}

/* Shell words that precede the command proper. */
static bool shell_prefix_word(const char *w)
{
    static const char *const words[] = {
        "if", "then", "else", "elif", "do", "while", "until", "!", "time", "exec",
        "command", "builtin", "eval", "nohup", "sudo", "xargs",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(w, words[i]) == 0)
            return true;
    /* VAR=value */
    const char *eq = strchr(w, '=');
    return eq && eq != w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
                            == (size_t)(eq - w);
}

/* The script of `sh [options] -c SCRIPT ...`, or NULL. */
static const char *shell_script(const TraceEvent *e, size_t first)
{
    for (size_t i = first; i < e->argv.n; i++) {
        const char *a = e->argv.v[i];
        if (a[0] != '-' && a[0] != '+')
            return NULL;
        if (strcmp(a, "--") == 0)
            return NULL;
        if (a[1] != '-' && strchr(a, 'c'))
            return i + 1 < e->argv.n ? e->argv.v[i + 1] : NULL;
        if (strcmp(a, "-o") == 0 || strcmp(a, "+o") == 0)
            i++;                                    /* its option name */
    }
    return NULL;
}

static void judge_exec(TraceRun *r, TraceEvent *e)
{
    if (e->root)
        return;                 /* the command itself: asked for, not a finding */
    const char *name = base_name(e->abspath ? e->abspath : e->path);
    size_t first = 1;
    if (strcmp(name, "busybox") == 0 && e->argv.n > 1) {
        name = base_name(e->argv.v[1]);
        first = 2;
    }
    judge_command(r, e, name, e->argv.n > first ? e->argv.v + first : NULL,
                  e->argv.n > first ? e->argv.n - first : 0, NULL);
    if (!policy_is_shell(r->policy, name))
        return;
    const char *script = shell_script(e, first);
    if (!script)
        return;
    char res[64], msg[400], subject[260];
    snprintf(subject, sizeof subject, "%s -c %.240s", name, script);
    snprintf(msg, sizeof msg, "Ran a shell script: %s -c '%.300s'%s", name, script,
             result_text(e, res, sizeof res));
    violate(r, RULE_SHELL_COMMAND, subject, e, msg, succeeded(e));
    ShellCommands cmds = { 0 };
    shell_split(script, &cmds);
    for (size_t i = 0; i < cmds.n; i++) {
        Words *w = &cmds.v[i];
        size_t k = 0;
        while (k < w->n && shell_prefix_word(w->v[k]))
            k++;
        if (k < w->n) {
            char via[300];
            snprintf(via, sizeof via, "%s -c '%.200s'", name, script);
            judge_command(r, e, base_name(w->v[k]), w->v + k + 1, w->n - k - 1, via);
        }
    }
    shell_commands_free(&cmds);
}

/* ---------------------------------------------------------------- network */

static void destination(const TraceEvent *e, char *buf, size_t n)
{
    const char *proto = e->sock_type == SOCK_STREAM ? "tcp" : e->sock_type == SOCK_DGRAM ? "udp"
                      : "socket";
    if (e->addr.family == AF_INET)
        snprintf(buf, n, "%s:%d/%s", e->addr.text, e->addr.port, proto);
    else if (e->addr.family == AF_INET6)
        snprintf(buf, n, "[%s]:%d/%s", e->addr.text, e->addr.port, proto);
    else if (e->addr.family == AF_UNIX)
        snprintf(buf, n, "unix:%s", e->addr.text[0] ? e->addr.text : "(unnamed)");
    else if (e->addr.family)
        snprintf(buf, n, "%s", e->addr.text);
    else
        snprintf(buf, n, "fd %d (destination unknown)", e->fd);
}

static void judge_network(TraceRun *r, TraceEvent *e)
{
    const SockAddr *a = &e->addr;
    char dest[200], res[64], msg[600];
    destination(e, dest, sizeof dest);
    if (a->family == AF_UNIX && (e->kind == EV_CONNECT || e->kind == EV_SEND)) {
        const char *hit = policy_match_path(r->policy, a->text);
        if (hit) {
            snprintf(msg, sizeof msg, "Connection to sensitive socket %s%s", a->text,
                     result_text(e, res, sizeof res));
            violate(r, RULE_SENSITIVE_PATH, a->text, e, msg, succeeded(e));
        }
        return;
    }
    if (a->family != AF_INET && a->family != AF_INET6)
        return;
    if (e->kind != EV_CONNECT && e->kind != EV_SEND)
        return;
    if (policy_host_allowed(r->policy, a->family, a->addr, a->port))
        return;
    if (e->dns_query)
        snprintf(msg, sizeof msg, "DNS query for %s sent to %s%s", e->dns_query, dest,
                 result_text(e, res, sizeof res));
    else
        snprintf(msg, sizeof msg, "%s %s%s", e->kind == EV_CONNECT ? "Connection to"
                 : "Data sent to", dest, result_text(e, res, sizeof res));
    violate(r, RULE_NETWORK, dest, e, msg, succeeded(e));
}

/* ---------------------------------------------------------------- canaries */

static void judge_canaries(TraceRun *r, TraceEvent *e, const char *where)
{
    if (e->canaries.n == 0)
        return;
    StrBuf names;
    sb_init(&names);
    for (size_t i = 0; i < e->canaries.n; i++) {
        const Canary *c = &r->sandbox->canaries.v[e->canaries.v[i]];
        sb_printf(&names, "%s%s (%s)", i ? ", " : "", c->name, c->where);
    }
    char msg[1400];
    snprintf(msg, sizeof msg, "Canary secrets %s: %.1000s", where, names.s);
    sb_free(&names);
    Violation *v = violate(r, RULE_EXFILTRATION, where, e, msg, true);
    if (!v)
        return;
    for (size_t i = 0; i < e->canaries.n; i++) {
        bool dup = false;
        for (size_t k = 0; k < v->canaries.n; k++)
            dup |= v->canaries.v[k] == e->canaries.v[i];
        if (!dup)
            VEC_PUSH(v->canaries, e->canaries.v[i]);
    }
    /* the message lists all the canaries the violation has seen */
    StrBuf all;
    sb_init(&all);
    sb_printf(&all, "Canary secrets %s: ", where);
    for (size_t i = 0; i < v->canaries.n; i++) {
        const Canary *c = &r->sandbox->canaries.v[v->canaries.v[i]];
        sb_printf(&all, "%s%s (%s)", i ? ", " : "", c->name, c->where);
    }
    free(v->message);
    v->message = sb_take(&all);
}

static void note_written(TraceRun *r, const TraceEvent *e)
{
    const char *p = e->real_path ? e->real_path : e->abspath;
    if (!p || p[0] != '/' || sandbox_contains(r->sandbox, p) || str_starts_with(p, "/dev/")
        || str_starts_with(p, "/proc/") || r->written.n >= WRITTEN_FILES_MAX)
        return;
    for (size_t i = r->written.n; i-- > 0 && i + 64 >= r->written.n;)
        if (strcmp(r->written.v[i], p) == 0)
            return;                         /* the same file again, just now */
    VEC_PUSH(r->written, xstrdup(p));
}

/* ---------------------------------------------------------------- entry points */

void verdict_observe(TraceRun *r, TraceEvent *e)
{
    char where[260], dest[200];
    switch (e->kind) {
    case EV_OPEN:
        judge_path(r, e);
        if (r->sandbox->enabled && succeeded(e) && open_flags_write(e->flags))
            note_written(r, e);
        break;
    case EV_UNLINK:
    case EV_RENAME:
    case EV_CHMOD:
    case EV_LINK:
        judge_path(r, e);
        break;
    case EV_EXEC:
        judge_exec(r, e);
        if (r->sandbox->enabled && !e->root) {
            char *line = join_words(e->argv.v, e->argv.n);
            canary_scan(&r->sandbox->canaries, line, strlen(line), &e->canaries);
            free(line);
            snprintf(where, sizeof where, "in the command line of %.200s",
                     base_name(e->abspath ? e->abspath : e->path));
            judge_canaries(r, e, where);
        }
        break;
    case EV_CONNECT:
        judge_network(r, e);
        break;
    case EV_SEND:
    case EV_SINK:
        if (e->kind == EV_SEND)
            judge_network(r, e);
        destination(e, dest, sizeof dest);
        snprintf(where, sizeof where, "sent to %s", dest);
        judge_canaries(r, e, where);
        break;
    case EV_FILE:
        snprintf(where, sizeof where, "written to %.220s", e->abspath);
        judge_canaries(r, e, where);
        break;
    case EV_DENIED:
        violate(r, RULE_EVASION, e->syscall, e, e->note, true);
        break;
    default:
        break;
    }
}

void verdict_scan_written_files(TraceRun *r)
{
    if (!r->sandbox->enabled)
        return;
    for (size_t i = 0; i < r->written.n; i++) {
        char *data;
        size_t len;
        char err[128];
        if (!file_read_all(r->written.v[i], &data, &len, err, sizeof err))
            continue;                   /* gone, or a directory */
        IntVec hits = { 0 };
        canary_scan(&r->sandbox->canaries, data, len < WRITTEN_FILE_SCAN ? len : WRITTEN_FILE_SCAN,
                    &hits);
        free(data);
        if (hits.n == 0) {
            VEC_FREE(hits);
            continue;
        }
        TraceEvent *e = event_new(EV_FILE, "file-scan");
        e->abspath = xstrdup(r->written.v[i]);
        e->canaries = hits;
        e->has_result = true;
        e->result = (long)len;
        run_finish_event(r, e);
    }
}

void verdict_add_sink(TraceRun *r, SinkCapture *c)
{
    TraceEvent *e = event_new(EV_SINK, "sink");
    e->time = c->time;
    e->addr = c->dest;
    e->sock_type = c->sock_type;
    event_keep_data(e, c->data, c->len, c->total);
    if (r->sandbox->enabled)
        canary_scan(&r->sandbox->canaries, c->data, c->len, &e->canaries);
    if (e->addr.port == 53)
        e->dns_query = decode_dns_query(c->data, c->len, true);
    e->has_result = true;
    e->result = (long)c->total;
    run_finish_event(r, e);
}
