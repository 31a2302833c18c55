/* main.c: sluice's command line: dispatch to one function per command.
 * Exit codes follow Semgrep's: 0 success, 1 findings with --error, 2 usage or
 * configuration errors (see the README). */
#include "lang/lang.h"
#include "match/match.h"
#include "report/report.h"
#include "rule/rule.h"
#include "scan/scan.h"
#include "taint/taint.h"
#include "trace/trace.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLUICE_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char main_usage[] =
    "usage: sluice COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Find security bugs with Semgrep-format rules and interprocedural taint, and watch\n"
    "what a package does when it installs.\n"
    "\n"
    "commands:\n"
    "  scan       scan files and directories (sluice scan --help)\n"
    "  dump-ast   print a file's generic AST as an S-expression\n"
    "  test       check rules against their annotated targets (sluice test --help)\n"
    "  trace      run a command under the sandboxed syscall tracer\n"
    "  packs      list the rule packs built in (use one with --config p/NAME)\n"
    "\n"
    "  sluice --version   print the version\n"
    "  sluice --help      this text\n";

static const char scan_usage[] =
    "usage: sluice scan [OPTIONS] PATH...\n"
    "\n"
    "Discover C, Python and Java files under each PATH, parse them in parallel and report.\n"
    "\n"
    "rules:\n"
    "  -c, --config PATH      rules: a YAML file, a directory of them, or p/NAME (repeatable)\n"
    "  -e, --pattern PAT      a one-off pattern, in the language given with --lang\n"
    "  --strict               stop (exit 2) when any rule fails to load\n"
    "  --taint-depth K        selectors kept in a taint access path (default 3, at most 8)\n"
    "  --intraprocedural      taint inside each function only, file by file: no call\n"
    "                         graph or summaries (fast; what Semgrep OSS does)\n"
    "  --summaries FILE       load function summaries (JSON lines) as models of code\n"
    "                         outside the scan\n"
    "  --emit-summaries FILE  write every function summary the taint rules computed\n"
    "output:\n"
    "  --text                 text grouped by file (the default)\n"
    "  --json                 Semgrep-compatible JSON\n"
    "  --sarif                SARIF 2.1.0\n"
    "  -o, --output FILE      write the report to FILE instead of standard output\n"
    "  --error                exit 1 when there are findings\n"
    "  -q, --quiet            no progress line\n"
    "targets:\n"
    "  --include GLOB         scan only files matching GLOB (repeatable)\n"
    "  --exclude GLOB         skip files and directories matching GLOB (repeatable)\n"
    "  --max-target-bytes N   skip files larger than N bytes (default 1000000; 0: no limit)\n"
    "  -l, --lang LANG        scan only files of LANG (c, python, java)\n"
    "  -j, --jobs N           worker threads (default: every core)\n"
    "  --time                 print the time and peak memory of each phase on stderr\n"
    "  -h, --help             this text\n"
    "\n"
    "exit codes: 0 success, 1 findings with --error, 2 usage or configuration error\n";

static const char dump_usage[] =
    "usage: sluice dump-ast [--lang LANG] FILE\n"
    "\n"
    "Print FILE's generic AST as an indented S-expression with line:col ranges.\n"
    "Syntax errors are printed on standard error; the partial tree is still shown.\n";

/* ---------------------------------------------------------------- scan */

typedef struct ScanCli {
    ScanOptions scan;
    StrList configs;           /* --config, in order */
    const char *pattern;       /* -e */
    const char *pattern_lang;  /* --lang, for -e */
    bool strict;
    ReportFormat format;
    const char *output;
    bool error_on_findings;
    bool quiet;
    bool time;
    TaintOptions taint;
} ScanCli;

static bool parse_count(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0) return false;
    *out = v;
    return true;
}

/* Fills cli from argv; returns -1 to go on, or the exit code to stop with. */
static int parse_scan_args(int argc, char **argv, ScanCli *cli)
{
    enum { OPT_JSON = 256, OPT_SARIF, OPT_TEXT, OPT_ERROR, OPT_INCLUDE, OPT_EXCLUDE, OPT_MAXB,
           OPT_STRICT, OPT_TAINT_DEPTH, OPT_SUMMARIES, OPT_EMIT_SUMMARIES, OPT_TIME,
           OPT_INTRA };
    static const struct option longopts[] = {
        { "json", no_argument, NULL, OPT_JSON },
        { "sarif", no_argument, NULL, OPT_SARIF },
        { "text", no_argument, NULL, OPT_TEXT },
        { "output", required_argument, NULL, 'o' },
        { "error", no_argument, NULL, OPT_ERROR },
        { "quiet", no_argument, NULL, 'q' },
        { "include", required_argument, NULL, OPT_INCLUDE },
        { "exclude", required_argument, NULL, OPT_EXCLUDE },
        { "max-target-bytes", required_argument, NULL, OPT_MAXB },
        { "lang", required_argument, NULL, 'l' },
        { "jobs", required_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { "config", required_argument, NULL, 'c' },
        { "pattern", required_argument, NULL, 'e' },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "taint-depth", required_argument, NULL, OPT_TAINT_DEPTH },
        { "summaries", required_argument, NULL, OPT_SUMMARIES },
        { "emit-summaries", required_argument, NULL, OPT_EMIT_SUMMARIES },
        { "intraprocedural", no_argument, NULL, OPT_INTRA },
        { "time", no_argument, NULL, OPT_TIME },
        { 0, 0, 0, 0 },
    };
    long long n;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:ql:j:hc:e:", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_JSON: cli->format = REPORT_JSON; break;
        case OPT_SARIF: cli->format = REPORT_SARIF; break;
        case OPT_TEXT: cli->format = REPORT_TEXT; break;
        case 'o': cli->output = optarg; break;
        case OPT_ERROR: cli->error_on_findings = true; break;
        case 'q': cli->quiet = true; break;
        case 'c': VEC_PUSH(cli->configs, optarg); break;
        case 'e': cli->pattern = optarg; break;
        case OPT_TAINT_DEPTH:
            if (!parse_count(optarg, &n) || n < 1 || n > TAINT_MAX_K) {
                fprintf(stderr, "sluice scan: --taint-depth needs a number from 1 to %d, not '%s'\n",
                        TAINT_MAX_K, optarg);
                return EXIT_USAGE;
            }
            cli->taint.k = (int)n;
            break;
        case OPT_STRICT: cli->strict = true; break;
        case OPT_SUMMARIES: cli->scan.summaries_in = optarg; break;
        case OPT_EMIT_SUMMARIES: cli->scan.summaries_out = optarg; break;
        case OPT_INTRA: cli->scan.intraprocedural = true; break;
        case OPT_TIME: cli->time = true; break;
        case OPT_INCLUDE: VEC_PUSH(cli->scan.discover.include, optarg); break;
        case OPT_EXCLUDE: VEC_PUSH(cli->scan.discover.exclude, optarg); break;
        case OPT_MAXB:
            if (!parse_count(optarg, &n)) {
                fprintf(stderr, "sluice scan: --max-target-bytes needs a number of bytes, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            cli->scan.discover.max_target_bytes = n;
            break;
        case 'l':
            cli->pattern_lang = optarg;
            cli->scan.discover.only_lang = lang_from_name(optarg);
            if (!cli->scan.discover.only_lang) {
                fprintf(stderr, "sluice scan: unknown language '%s' (c, python, java)\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'j':
            if (!parse_count(optarg, &n) || n < 1 || n > 1024) {
                fprintf(stderr, "sluice scan: --jobs needs a number from 1 to 1024, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            cli->scan.jobs = (int)n;
            break;
        case 'h': fputs(scan_usage, stdout); return EXIT_OK;
        case ':':
            fprintf(stderr, "sluice scan: option '%s' needs a value\n%s", argv[optind - 1], scan_usage);
            return EXIT_USAGE;
        default:
            fprintf(stderr, "sluice scan: unknown option '%s'\n%s", argv[optind - 1], scan_usage);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "sluice scan: no PATH given\n%s", scan_usage);
        return EXIT_USAGE;
    }
    if (cli->pattern && !cli->pattern_lang) {
        fprintf(stderr, "sluice scan: -e/--pattern needs --lang\n");
        return EXIT_USAGE;
    }
    return -1;
}

static void print_root_errors(const Report *r)
{
    for (size_t i = 0; i < r->errors.n; i++) {
        const Diag *d = &r->errors.v[i];
        if (!strcmp(d->type, "Invalid scanning root"))
            fprintf(stderr, "sluice scan: %s: %s\n", d->path, d->message);
    }
}

static int write_report(const ScanCli *cli, const Report *report)
{
    FILE *out = stdout;
    if (cli->output && !(out = fopen(cli->output, "w"))) {
        fprintf(stderr, "sluice scan: cannot write %s: %s\n", cli->output, strerror(errno));
        return EXIT_USAGE;
    }
    ReportOptions ro = { .color = !cli->output && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") };
    bool ok = report_write(report, cli->format, &ro, out);
    if (out != stdout) ok = (fclose(out) == 0) && ok;
    else ok = (fflush(out) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "sluice scan: writing the report failed: %s\n", strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static bool is_directory(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Loads --config and -e into rules and compiles them; returns -1 to go on, or the
 * exit code. Bad rules are reported and left out unless --strict. */
/* Entry points from tables are found by the program stage, which --intraprocedural
 * leaves out: say so once per rule rather than silently finding nothing. */
static void warn_entry_points_unused(const RuleSet *rules, DiagList *diags)
{
    for (size_t i = 0; i < rule_set_count(rules); i++) {
        const Rule *r = rule_set_get(rules, i);
        for (size_t k = 0; k < r->sources.n; k++) {
            if (!r->sources.v[k].entry) continue;
            diag_add(diags, DIAG_WARN, RULE_DIAG_WARNING, r->path, r->sources.v[k].line,
                     r->sources.v[k].col, r->id,
                     "rule %s: entry-points sources need the program stage and find nothing "
                     "with --intraprocedural", r->id);
            break;
        }
    }
}

static int load_rules(const ScanCli *cli, RuleSet *rules, MatchEngine **engine, Report *report)
{
    DiagList diags = {0};
    for (size_t i = 0; i < cli->configs.n; i++) {
        const char *c = cli->configs.v[i];
        if (str_starts_with(c, "p/")) rule_set_load_pack(rules, c, &diags);
        else if (is_directory(c)) rule_set_load_dir(rules, c, &diags);
        else rule_set_load_file(rules, c, &diags);
    }
    if (cli->pattern) rule_set_add_pattern(rules, cli->pattern, cli->pattern_lang, &diags);
    *engine = match_engine_new(rules, &diags);
    if (cli->scan.intraprocedural) warn_entry_points_unused(rules, &diags);
    bool errors = false;
    for (size_t i = 0; i < diags.n; i++) {
        const Diag *d = &diags.v[i];
        errors |= d->level == DIAG_ERROR;
        fprintf(stderr, "sluice scan: %s: %s\n", d->level == DIAG_ERROR ? "error" : "warning", d->message);
    }
    for (size_t i = 0; i < rule_set_count(rules); i++) {
        const Rule *r = rule_set_get(rules, i);
        report_add_rule(report, &(ReportRule){ r->id, r->message, rule_severity_name(r->severity),
                                               r->metadata_json });
    }
    bool none = rule_set_count(rules) == 0 && (cli->configs.n || cli->pattern);
    report_take_errors(report, &diags);
    if ((errors && cli->strict) || none) {
        if (none) fprintf(stderr, "sluice scan: no rule loaded\n");
        return EXIT_USAGE;
    }
    return -1;
}

/* --time: each phase's seconds and the peak resident memory so far, on stderr. */
static void print_times(const ScanStats *st, double total)
{
    fprintf(stderr, "sluice scan --time: %zu files, %zu lines, %.1f MB\n", st->files, st->lines,
            (double)st->bytes / 1e6);
    fprintf(stderr, "  discover            %8.3f s\n", st->discover_s);
    fprintf(stderr, "  parse+match+spans   %8.3f s   peak RSS %6ld MB\n", st->parse_s,
            st->peak_rss_parse_kb / 1024);
    fprintf(stderr, "  call graph          %8.3f s\n", st->callgraph_s);
    fprintf(stderr, "  summaries (%zu rounds) %6.3f s   peak RSS %6ld MB\n", st->rounds, st->summaries_s,
            st->peak_rss_program_kb / 1024);
    fprintf(stderr, "  report              %8.3f s\n", st->report_s);
    fprintf(stderr, "  total               %8.3f s\n", total);
}

static int cmd_scan(int argc, char **argv)
{
    ScanCli cli = { .format = REPORT_TEXT };
    cli.scan.discover.max_target_bytes = SCAN_DEFAULT_MAX_TARGET_BYTES;
    int rc = parse_scan_args(argc, argv, &cli);
    double started = now_seconds();
    if (rc < 0) {
        cli.scan.progress = !cli.quiet && isatty(STDERR_FILENO);
        Report report;
        report_init(&report);
        report_set_version(&report, SLUICE_VERSION);
        TargetList targets = {0};
        RuleSet *rules = rule_set_new();
        MatchEngine *engine = NULL;
        rc = load_rules(&cli, rules, &engine, &report);
        cli.scan.engine = engine;
        TaintEngine *taint = engine && match_engine_taint_count(engine)
                                 ? taint_engine_new(engine, &cli.taint) : NULL;
        cli.scan.taint = taint;
        if (rc >= 0) {
            /* a configuration error: nothing is scanned */
        } else if (!scan_discover((const char *const *)argv + optind, (size_t)(argc - optind),
                           &cli.scan.discover, &targets, &report)) {
            print_root_errors(&report);
            rc = EXIT_USAGE;
        } else {
            ScanStats st = {0};
            st.discover_s = now_seconds() - started;
            bool ok = scan_run(&cli.scan, &targets, &report, &st);
            double t = now_seconds();
            report_sort(&report);
            rc = write_report(&cli, &report);
            st.report_s += now_seconds() - t;
            if (cli.time) print_times(&st, now_seconds() - started);
            if (!ok) {
                for (size_t i = 0; i < report.errors.n; i++)
                    if (!strcmp(report.errors.v[i].type, "Summaries error"))
                        fprintf(stderr, "sluice scan: %s\n", report.errors.v[i].message);
                if (rc == EXIT_OK) rc = EXIT_USAGE;
            }
            if (rc == EXIT_OK && cli.error_on_findings && report.findings.n > 0) rc = EXIT_FINDINGS;
        }
        scan_targets_free(&targets);
        report_free(&report);
        taint_engine_free(taint);
        match_engine_free(engine);
        rule_set_free(rules);
    }
    VEC_FREE(cli.configs);
    VEC_FREE(cli.scan.discover.include);
    VEC_FREE(cli.scan.discover.exclude);
    return rc;
}

/* ---------------------------------------------------------------- dump-ast */

static int cmd_dump_ast(int argc, char **argv)
{
    Lang lang = LANG_NONE;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(dump_usage, stdout);
            return EXIT_OK;
        } else if ((!strcmp(argv[i], "--lang") || !strcmp(argv[i], "-l")) && i + 1 < argc) {
            if (!(lang = lang_from_name(argv[++i]))) {
                fprintf(stderr, "sluice dump-ast: unknown language '%s'\n", argv[i]);
                return EXIT_USAGE;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "sluice dump-ast: unknown option '%s'\n%s", argv[i], dump_usage);
            return EXIT_USAGE;
        } else if (path) {
            fprintf(stderr, "sluice dump-ast: one FILE only\n%s", dump_usage);
            return EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        fprintf(stderr, "sluice dump-ast: no FILE given\n%s", dump_usage);
        return EXIT_USAGE;
    }
    char *src;
    size_t len;
    char err[256];
    if (!file_read_all(path, &src, &len, err, sizeof err)) {
        fprintf(stderr, "sluice dump-ast: %s: %s\n", path, err);
        return EXIT_USAGE;
    }
    if (!lang) lang = lang_detect(path, src, len);
    if (!lang) {
        fprintf(stderr, "sluice dump-ast: %s: cannot tell the language; use --lang\n", path);
        free(src);
        return EXIT_USAGE;
    }
    DiagList diags = {0};
    LangParser *p = lang_parser_new();
    AstFile *f = lang_parse_file(p, lang, path, src, len, &diags);
    ast_dump(stdout, f->root);
    for (size_t i = 0; i < diags.n; i++)
        fprintf(stderr, "%s:%d:%d: %s: %s\n", diags.v[i].path ? diags.v[i].path : path,
                diags.v[i].line, diags.v[i].col, diags.v[i].type, diags.v[i].message);
    lang_file_free(f);
    lang_parser_delete(p);
    diag_list_free(&diags);
    free(src);
    return EXIT_OK;
}

/* ---------------------------------------------------------------- packs */

/* Lists the built-in packs with how many rules each holds, loading each to count. */
static int cmd_packs(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs("usage: sluice packs\n\nList the rule packs built into sluice; scan with one as "
              "--config p/NAME\n(NAME is the full name, a unique short name, or a language).\n",
              stdout);
        return EXIT_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "sluice packs: no arguments expected\n");
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < rule_pack_count(); i++) {
        const char *yaml;
        size_t len;
        rule_pack_yaml(i, &yaml, &len);
        RuleSet *set = rule_set_new();
        DiagList diags = {0};
        rule_set_load_string(set, rule_pack_name(i), yaml, len, &diags);
        printf("p/%-28s %3zu rules\n", rule_pack_name(i), rule_set_count(set));
        diag_list_free(&diags);
        rule_set_free(set);
    }
    return EXIT_OK;
}

/* ---------------------------------------------------------------- dispatch */

typedef struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
} Command;

static const Command commands[] = {
    { "scan", cmd_scan },
    { "dump-ast", cmd_dump_ast },
    { "test", match_test_command },
    { "trace", trace_command },
    { "packs", cmd_packs },
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(main_usage, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(main_usage, stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("sluice %s\n", SLUICE_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (!strcmp(argv[1], commands[i].name)) {
            int rc = commands[i].run(argc - 1, argv + 1);
            base_intern_shutdown();
            return rc;
        }
    }
    fprintf(stderr, "sluice: unknown command '%s'\n%s", argv[1], main_usage);
    return EXIT_USAGE;
}
