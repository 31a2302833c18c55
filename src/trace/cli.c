/* cli.c: `sluice trace`: options, then one run: policy, sandbox, filter, launch, the
 * tracer loop, the after-run checks, the report and the exit code.
 *
 * Exit codes: 0 the run finished and no violation reached --fail-on; 1 a violation at
 * or above --fail-on; 2 a usage or setup error (bad option, bad policy, command not
 * found, no sandbox); 3 the run was cut short (time or process limit, interrupted). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/trace.h"
#include "trace/trace_internal.h"

enum { EXIT_CLEAN = 0, EXIT_VIOLATIONS = 1, EXIT_USAGE = 2, EXIT_CUT_SHORT = 3 };

static const char usage_text[] =
    "usage: sluice trace [options] [--] COMMAND [ARGS...]\n"
    "Runs COMMAND under a ptrace + seccomp-bpf tracer, in a sandbox, and reports what it\n"
    "did against a policy.\n"
    "\n"
    "  --policy FILE         policy YAML read over the built-in default\n"
    "  --text | --json | --sarif\n"
    "                        report format (text by default)\n"
    "  -o, --output FILE     write the report to FILE instead of stdout\n"
    "  --events FILE         write every event as a JSON line to FILE\n"
    "  --fail-on SEVERITY    exit 1 when a violation is INFO, WARNING or ERROR or above\n"
    "  --timeout SECONDS     kill the whole process tree after this long (default 600; 0: none)\n"
    "  --max-procs N         kill the tree when more than N tasks live at once (default 1024)\n"
    "  --no-sandbox          run on the host: no network namespace, no canaries, real HOME\n"
    "  --no-sink             in the sandbox, do not answer loopback connections\n"
    "  --capture-writes      also stop on write/writev to read bytes written to sockets\n"
    "  --command-output FILE send the command's stdout and stderr to FILE (default: stderr)\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit codes: 0 no violation at or above --fail-on; 1 violations at or above it;\n"
    "2 usage or setup error; 3 the run was cut short (time or process limit).\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("sluice trace: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(sluice trace --help for the options)\n", stderr);
    return EXIT_USAGE;
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0)
        return false;
    *out = v;
    return true;
}

/* Returns -1 when the options are fine, else an exit code. */
static int parse_options(int argc, char **argv, TraceOptions *o)
{
    memset(o, 0, sizeof *o);
    o->timeout = 600;
    o->max_procs = 1024;
    o->sandbox = true;
    o->sink = true;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-')
            break;
        bool takes = !strcmp(a, "--policy") || !strcmp(a, "-o") || !strcmp(a, "--output")
                  || !strcmp(a, "--events") || !strcmp(a, "--fail-on")
                  || !strcmp(a, "--timeout") || !strcmp(a, "--max-procs")
                  || !strcmp(a, "--command-output");
        if (takes && !next)
            return usage_error("%s needs a value", a);
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            return EXIT_CLEAN;
        } else if (!strcmp(a, "--policy")) {
            o->policy_file = next;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            o->output_file = next;
        } else if (!strcmp(a, "--events")) {
            o->events_file = next;
        } else if (!strcmp(a, "--command-output")) {
            o->command_output = next;
        } else if (!strcmp(a, "--fail-on")) {
            if (!severity_parse(next, &o->fail_on) || o->fail_on == SEV_NONE)
                return usage_error("--fail-on takes INFO, WARNING or ERROR, not %s", next);
        } else if (!strcmp(a, "--timeout")) {
            if (!parse_number(next, &o->timeout))
                return usage_error("--timeout takes seconds, not %s", next);
        } else if (!strcmp(a, "--max-procs")) {
            double v;
            if (!parse_number(next, &v) || v < 1 || v > 1e6 || v != (int)v)
                return usage_error("--max-procs takes a whole number from 1, not %s", next);
            o->max_procs = (int)v;
        } else if (!strcmp(a, "--text")) {
            o->format = OUT_TEXT;
        } else if (!strcmp(a, "--json")) {
            o->format = OUT_JSON;
        } else if (!strcmp(a, "--sarif")) {
            o->format = OUT_SARIF;
        } else if (!strcmp(a, "--no-sandbox")) {
            o->sandbox = false;
        } else if (!strcmp(a, "--no-sink")) {
            o->sink = false;
        } else if (!strcmp(a, "--capture-writes")) {
            o->capture_writes = true;
        } else {
            return usage_error("unknown option %s", a);
        }
        if (takes)
            i++;
    }
    if (i >= argc)
        return usage_error("%s", "no command given: sluice trace [options] -- COMMAND [ARGS...]");
    o->argv = argv + i;
    o->argc = argc - i;
    return -1;
}

int trace_command(int argc, char **argv)
{
    TraceOptions o;
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0)
        return rc;
    return trace_execute(&o);
}

/* ---------------------------------------------------------------- one run */

static void write_report(const TraceRun *r, FILE *f)
{
    switch (r->opt->format) {
    case OUT_JSON: output_json(f, r); break;
    case OUT_SARIF: output_sarif(f, r); break;
    default: output_text(f, r); break;
    }
}

static void run_free(TraceRun *r)
{
    for (size_t i = 0; i < r->violations.n; i++)
        violation_free(&r->violations.v[i]);
    VEC_FREE(r->violations);
    for (size_t i = 0; i < r->kept.n; i++)
        event_free(r->kept.v[i]);
    VEC_FREE(r->kept);
    for (size_t i = 0; i < r->written.n; i++)
        free(r->written.v[i]);
    VEC_FREE(r->written);
    free(r->table);
    free(r->stopped_reason);
    diag_list_free(&r->errors);
}

/* Starts the command, runs the loop and the after-run checks. Returns false with a
 * message when the command could not be started at all. */
static bool run_traced(TraceRun *r, const FilterProgram *prog, char *err, size_t errn)
{
    int netns_fd = -1;
    r->t0 = now_seconds();
    r->root_pid = launch_command(r, prog, &netns_fd, err, errn);
    if (r->root_pid < 0)
        return false;
    if (netns_fd >= 0 && r->opt->sink) {
        char serr[256];
        r->sink = sink_start(netns_fd, r->t0, serr, sizeof serr);
        if (!r->sink)
            diag_add(&r->errors, DIAG_WARN, "Sink", NULL, 0, 0, NULL, "%s", serr);
    }
    if (!launch_go(r)) {
        snprintf(err, errn, "the command's process died before it could start");
        tracer_loop(r);
        return false;
    }
    tracer_loop(r);
    r->elapsed = now_seconds() - r->t0;
    bool failed = launch_failure(r, err, errn);
    SinkCaptureList caps = { 0 };
    sink_stop(r->sink, &caps);
    r->sink = NULL;
    if (netns_fd >= 0)
        close(netns_fd);
    for (size_t i = 0; i < caps.n; i++) {
        verdict_add_sink(r, &caps.v[i]);
        sink_capture_free(&caps.v[i]);
    }
    VEC_FREE(caps);
    verdict_scan_written_files(r);
    return !failed;
}

int trace_execute(const TraceOptions *opt)
{
    char err[1024];
    Policy policy;
    if (!policy_load_file(&policy, opt->policy_file, err, sizeof err)) {
        fprintf(stderr, "sluice trace: bad policy: %s\n", err);
        return EXIT_USAGE;
    }
    Sandbox sandbox;
    if (!sandbox_create(&sandbox, opt->sandbox, err, sizeof err)) {
        fprintf(stderr, "sluice trace: cannot make the sandbox: %s\n", err);
        sandbox_destroy(&sandbox);
        policy_free(&policy);
        return EXIT_USAGE;
    }
    const char *homes[] = { sandbox.home, sandbox.real_home, "/root", "/home/*" };
    if (sandbox.home)
        policy_expand_home(&policy, homes, 4);
    else
        policy_expand_home(&policy, homes + 1, 3);
    FilterProgram prog;
    int code = EXIT_USAGE;
    FILE *out = NULL;
    TraceRun r = { .opt = opt, .policy = &policy, .sandbox = &sandbox, .launch_fd = -1,
                   .go_fd = -1 };
    if (!filter_build(&prog, opt->capture_writes, err, sizeof err)) {
        fprintf(stderr, "sluice trace: %s\n", err);
        goto done;
    }
    if (opt->events_file && !(r.events_out = fopen(opt->events_file, "we"))) {
        fprintf(stderr, "sluice trace: cannot write %s: %s\n", opt->events_file, strerror(errno));
        goto done;
    }
    if (opt->output_file && !(out = fopen(opt->output_file, "we"))) {
        fprintf(stderr, "sluice trace: cannot write %s: %s\n", opt->output_file, strerror(errno));
        goto done;
    }
    if (!run_traced(&r, &prog, err, sizeof err)) {
        fprintf(stderr, "sluice trace: %s\n", err);
        goto done;
    }
    write_report(&r, out ? out : stdout);
    if (opt->fail_on != SEV_NONE && verdict_count(&r, opt->fail_on) > 0)
        code = EXIT_VIOLATIONS;
    else if (r.stopped_reason)
        code = EXIT_CUT_SHORT;
    else
        code = EXIT_CLEAN;
    if (r.stopped_reason)
        fprintf(stderr, "sluice trace: %s\n", r.stopped_reason);
done:
    if (out)
        fclose(out);
    else
        fflush(stdout);
    if (r.events_out)
        fclose(r.events_out);
    run_free(&r);
    filter_free(&prog);
    sandbox_destroy(&sandbox);
    policy_free(&policy);
    return code;
}
