/* policy.c: the trace policy: which paths and commands are sensitive, which hosts may
 * be reached, and how severe each kind of violation is. Loaded from YAML (libyaml's
 * document API, whose marks give the line and column of every error); the built-in
 * default is YAML text too, so that it is documented by what it is.
 *
 * A policy file is read on top of the default: each section it names replaces that
 * section, the others stay as the default has them. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <yaml.h>

#include "trace/trace_internal.h"

const char policy_default_yaml[] =
    "# sluice trace: the default policy\n"
    "sensitive-paths:\n"
    "  severity: ERROR\n"
    "  paths:\n"
    "    # seed 000: files that hold environment variables\n"
    "    - /etc/environment\n"
    "    - /etc/profile\n"
    "    - /etc/bashrc\n"
    "    - ~/.bash_profile\n"
    "    - ~/.bashrc\n"
    "    - ~/.profile\n"
    "    - ~/.cshrc\n"
    "    - ~/.zshrc\n"
    "    - ~/.tcshrc\n"
    "    # the environment of a process\n"
    "    - /proc/*/environ\n"
    "    - /proc/*/task/*/environ\n"
    "    # credentials\n"
    "    - ~/.aws/**\n"
    "    - ~/.ssh/**\n"
    "    - ~/.gnupg/**\n"
    "    - ~/.netrc\n"
    "    - ~/.git-credentials\n"
    "    - ~/.npmrc\n"
    "    - ~/.pypirc\n"
    "    - ~/.docker/config.json\n"
    "    - ~/.kube/config\n"
    "    - ~/.config/gh/hosts.yml\n"
    "    - ~/.config/gcloud/**\n"
    "    - ~/.azure/**\n"
    "    - ~/.bash_history\n"
    "    - /etc/shadow\n"
    "    - /etc/gshadow\n"
    "    - /etc/sudoers\n"
    "    # sockets that give control of the machine\n"
    "    - /var/run/docker.sock\n"
    "    - /run/docker.sock\n"
    "sensitive-commands:\n"
    "  severity: ERROR\n"
    "  commands:\n"
    "    # env with no command to run prints the environment\n"
    "    - name: env\n"
    "      args: '^((-[^ ]*|[A-Za-z_][A-Za-z0-9_]*=[^ ]*)( |$))*$'\n"
    "    - printenv\n"
    "    # the shell builtins that print every variable\n"
    "    - name: set\n"
    "      args: '^(-o|\\+o)?$'\n"
    "    - name: export\n"
    "      args: '^(-p)?$'\n"
    "    - name: declare\n"
    "      args: '^(-p|-x|-px)?$'\n"
    "    - curl\n"
    "    - wget\n"
    "    - nc\n"
    "    - ncat\n"
    "    - netcat\n"
    "    - socat\n"
    "shell-commands:\n"
    "  severity: WARNING\n"
    "  shells: [sh, bash, dash, zsh, ksh, mksh, ash, busybox]\n"
    "network:\n"
    "  severity: ERROR\n"
    "  allowed-hosts: []\n"
    "exfiltration:\n"
    "  severity: ERROR\n"
    "evasion:\n"
    "  severity: ERROR\n";

/* ---------------------------------------------------------------- names */

static const char *const rule_ids[RULE_COUNT] = {
    "sensitive-path", "sensitive-command", "shell-command", "network", "exfiltration", "evasion",
};
static const char *const rule_sections[RULE_COUNT] = {
    "sensitive-paths", "sensitive-commands", "shell-commands", "network", "exfiltration", "evasion",
};
static const char *const rule_descriptions[RULE_COUNT] = {
    "A file that holds secrets or environment variables was opened, changed or removed.",
    "A command that prints the environment or moves data over the network was run.",
    "A shell was run with a script to interpret (sh -c).",
    "A connection or datagram went to a host the policy does not allow.",
    "A canary secret appeared in sent bytes, in a command line or in a written file.",
    "The program tried a way around the tracer (io_uring, CLONE_UNTRACED, another ABI).",
};

const char *rule_id(RuleKind k) { return rule_ids[k]; }
const char *rule_description(RuleKind k) { return rule_descriptions[k]; }

const char *severity_name(Severity s)
{
    switch (s) {
    case SEV_INFO: return "INFO";
    case SEV_WARNING: return "WARNING";
    case SEV_ERROR: return "ERROR";
    default: return "OFF";
    }
}

bool severity_parse(const char *s, Severity *out)
{
    static const struct { const char *name; Severity sev; } names[] = {
        { "INFO", SEV_INFO }, { "WARNING", SEV_WARNING }, { "ERROR", SEV_ERROR },
        { "OFF", SEV_NONE }, { "NONE", SEV_NONE },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].sev;
            return true;
        }
    return false;
}

/* ---------------------------------------------------------------- loading */

typedef struct Loader {
    yaml_document_t doc;
    const char *name;
    char *err;
    size_t errn;
    bool failed;
} Loader;

static bool fail_at(Loader *l, yaml_node_t *n, const char *fmt, const char *what)
{
    if (l->failed)
        return false;
    char msg[512];
    snprintf(msg, sizeof msg, fmt, what);
    snprintf(l->err, l->errn, "%s:%zu:%zu: %s", l->name,
             n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1, msg);
    l->failed = true;
    return false;
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(Loader *l, int id)
{
    return yaml_document_get_node(&l->doc, id);
}

static void free_string_vec(char ***v, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*v)[i]);
    free(*v);
    *v = NULL;
    *n = 0;
}

static void free_commands(Policy *p)
{
    for (size_t i = 0; i < p->commands.n; i++) {
        PolicyCommand *c = &p->commands.v[i];
        free(c->name);
        free(c->args_regex);
        if (c->compiled) {
            regfree(c->compiled);
            free(c->compiled);
        }
    }
    VEC_FREE(p->commands);
}

static bool load_string_list(Loader *l, yaml_node_t *seq, char ***v, size_t *n, size_t *cap,
                             const char *what)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return fail_at(l, seq, "%s must be a list", what);
    free_string_vec(v, n);
    *cap = 0;
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        yaml_node_t *e = node(l, *it);
        const char *s = scalar(e);
        if (!s || !*s)
            return fail_at(l, e, "each entry of %s must be a non-empty string", what);
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 8;
            *v = xrealloc(*v, *cap * sizeof **v);
        }
        (*v)[(*n)++] = xstrdup(s);
    }
    return true;
}

static bool load_command(Loader *l, Policy *p, yaml_node_t *e)
{
    PolicyCommand c = { 0 };
    if (scalar(e)) {
        c.name = xstrdup(scalar(e));
    } else if (e->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *pr = e->data.mapping.pairs.start;
             pr < e->data.mapping.pairs.top; pr++) {
            const char *k = scalar(node(l, pr->key));
            yaml_node_t *v = node(l, pr->value);
            if (k && strcmp(k, "name") == 0 && scalar(v)) {
                free(c.name);
                c.name = xstrdup(scalar(v));
            } else if (k && strcmp(k, "args") == 0 && scalar(v)) {
                free(c.args_regex);
                c.args_regex = xstrdup(scalar(v));
            } else {
                free(c.name);
                free(c.args_regex);
                return fail_at(l, node(l, pr->key), "unknown key in a command: %s", k ? k : "?");
            }
        }
    }
    if (!c.name || !*c.name) {
        free(c.name);
        free(c.args_regex);
        return fail_at(l, e, "%s", "a command needs a name");
    }
    if (c.args_regex) {
        regex_t *re = xmalloc(sizeof *re);
        int rc = regcomp(re, c.args_regex, REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char msg[256];
            regerror(rc, re, msg, sizeof msg);
            free(re);
            free(c.name);
            free(c.args_regex);
            return fail_at(l, e, "bad args regex: %s", msg);
        }
        c.compiled = re;
    }
    VEC_PUSH(p->commands, c);
    return true;
}

static bool parse_host(const char *text, AllowedHost *h)
{
    memset(h, 0, sizeof *h);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    char *addr = buf;
    /* [v6]:port, v4:port, v4/prefix, v6/prefix, or a bare address */
    char *port = NULL;
    if (addr[0] == '[') {
        char *e = strchr(addr, ']');
        if (!e)
            return false;
        *e = '\0';
        addr++;
        if (e[1] == ':')
            port = e + 2;
        else if (e[1] != '\0')
            return false;
    } else if (strchr(addr, ':') == strrchr(addr, ':') && strchr(addr, ':')) {
        port = strchr(addr, ':');
        *port++ = '\0';
    }
    char *slash = strchr(addr, '/');
    if (slash)
        *slash++ = '\0';
    if (inet_pton(AF_INET, addr, h->addr) == 1) {
        h->family = AF_INET;
        h->prefix = 32;
    } else if (inet_pton(AF_INET6, addr, h->addr) == 1) {
        h->family = AF_INET6;
        h->prefix = 128;
    } else {
        return false;
    }
    if (slash) {
        char *end;
        long pre = strtol(slash, &end, 10);
        if (*end || pre < 0 || pre > h->prefix)
            return false;
        h->prefix = (int)pre;
    }
    if (port) {
        char *end;
        long pt = strtol(port, &end, 10);
        if (*end || pt <= 0 || pt > 65535)
            return false;
        h->port = (int)pt;
    }
    h->text = xstrdup(text);
    return true;
}

static void free_allowed(Policy *p)
{
    for (size_t i = 0; i < p->allowed.n; i++)
        free(p->allowed.v[i].text);
    VEC_FREE(p->allowed);
}

/* One key of a section's mapping. */
static bool load_section_key(Loader *l, Policy *p, RuleKind kind, yaml_node_t *kn,
                             yaml_node_t *v)
{
    const char *k = scalar(kn);
    if (strcmp(k, "severity") == 0) {
        if (!scalar(v) || !severity_parse(scalar(v), &p->severity[kind]))
            return fail_at(l, v, "severity must be INFO, WARNING, ERROR or OFF, not %s",
                           scalar(v) ? scalar(v) : "a collection");
        return true;
    }
    if (kind == RULE_SENSITIVE_PATH && strcmp(k, "paths") == 0)
        return load_string_list(l, v, &p->paths.v, &p->paths.n, &p->paths.cap, "paths");
    if (kind == RULE_SHELL_COMMAND && strcmp(k, "shells") == 0)
        return load_string_list(l, v, &p->shells.v, &p->shells.n, &p->shells.cap, "shells");
    if (kind == RULE_SENSITIVE_COMMAND && strcmp(k, "commands") == 0) {
        if (v->type != YAML_SEQUENCE_NODE)
            return fail_at(l, v, "%s must be a list", "commands");
        free_commands(p);
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top; it++)
            if (!load_command(l, p, node(l, *it)))
                return false;
        return true;
    }
    if (kind == RULE_NETWORK && strcmp(k, "allowed-hosts") == 0) {
        if (v->type != YAML_SEQUENCE_NODE)
            return fail_at(l, v, "%s must be a list", "allowed-hosts");
        free_allowed(p);
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top; it++) {
            yaml_node_t *e = node(l, *it);
            AllowedHost h;
            if (!scalar(e) || !parse_host(scalar(e), &h))
                return fail_at(l, e, "not an address, network or address:port: %s",
                               scalar(e) ? scalar(e) : "a collection");
            VEC_PUSH(p->allowed, h);
        }
        return true;
    }
    return fail_at(l, kn, "unknown key in this section: %s", k);
}

static bool load_document(Loader *l, Policy *p)
{
    yaml_node_t *root = yaml_document_get_root_node(&l->doc);
    if (!root)
        return true;                                /* an empty file: the default */
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(l, root, "%s", "a policy is a mapping of sections");
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = node(l, pr->key), *vn = node(l, pr->value);
        const char *k = scalar(kn);
        if (k && strcmp(k, "version") == 0)
            continue;
        int kind = -1;
        for (int i = 0; i < RULE_COUNT && k; i++)
            if (strcmp(k, rule_sections[i]) == 0)
                kind = i;
        if (kind < 0)
            return fail_at(l, kn, "unknown section: %s (expected sensitive-paths, "
                           "sensitive-commands, shell-commands, network, exfiltration, evasion)",
                           k ? k : "?");
        if (vn->type != YAML_MAPPING_NODE)
            return fail_at(l, vn, "section %s must be a mapping", k);
        for (yaml_node_pair_t *q = vn->data.mapping.pairs.start;
             q < vn->data.mapping.pairs.top; q++) {
            yaml_node_t *skn = node(l, q->key);
            if (!scalar(skn))
                return fail_at(l, skn, "%s", "keys must be strings");
            if (!load_section_key(l, p, (RuleKind)kind, skn, node(l, q->value)))
                return false;
        }
    }
    return true;
}

static bool load_yaml(Policy *p, const char *name, const char *text, size_t len,
                      char *err, size_t errn)
{
    yaml_parser_t parser;
    Loader l = { .name = name, .err = err, .errn = errn };
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &l.doc)) {
        snprintf(err, errn, "%s:%zu:%zu: %s%s%s", name, parser.problem_mark.line + 1,
                 parser.problem_mark.column + 1, parser.problem ? parser.problem : "bad YAML",
                 parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return false;
    }
    bool ok = load_document(&l, p);
    yaml_document_delete(&l.doc);
    yaml_parser_delete(&parser);
    return ok;
}

static bool load_default(Policy *p, char *err, size_t errn)
{
    memset(p, 0, sizeof *p);
    return load_yaml(p, "(built-in policy)", policy_default_yaml, strlen(policy_default_yaml),
                     err, errn);
}

bool policy_load_text(Policy *p, const char *name, const char *text, size_t len,
                      char *err, size_t errn)
{
    if (!load_default(p, err, errn))
        return false;
    if (name && !load_yaml(p, name, text, len, err, errn)) {
        policy_free(p);
        return false;
    }
    p->source = xstrdup(name ? name : "(built-in)");
    return true;
}

bool policy_load_file(Policy *p, const char *path, char *err, size_t errn)
{
    if (!path)
        return policy_load_text(p, NULL, NULL, 0, err, errn);
    char *data;
    size_t len;
    char msg[256];
    if (!file_read_all(path, &data, &len, msg, sizeof msg)) {
        snprintf(err, errn, "%s: %s", path, msg);
        return false;
    }
    bool ok = policy_load_text(p, path, data, len, err, errn);
    free(data);
    return ok;
}

void policy_free(Policy *p)
{
    free(p->source);
    free_string_vec(&p->paths.v, &p->paths.n);
    free_string_vec(&p->shells.v, &p->shells.n);
    free_commands(p);
    free_allowed(p);
    memset(p, 0, sizeof *p);
}

void policy_expand_home(Policy *p, const char *const *homes, size_t nhomes)
{
    size_t n = p->paths.n;
    char **old = p->paths.v;
    memset(&p->paths, 0, sizeof p->paths);
    for (size_t i = 0; i < n; i++) {
        if (!str_starts_with(old[i], "~/")) {
            VEC_PUSH(p->paths, old[i]);
            continue;
        }
        for (size_t h = 0; h < nhomes; h++) {
            bool dup = false;
            for (size_t k = 0; k < h; k++)
                dup |= strcmp(homes[k], homes[h]) == 0;
            if (dup || !homes[h])
                continue;
            char *joined = xmalloc(strlen(homes[h]) + strlen(old[i]) + 1);
            strcpy(joined, homes[h]);
            strcat(joined, old[i] + 1);
            VEC_PUSH(p->paths, joined);
        }
        free(old[i]);
    }
    free(old);
}

/* ---------------------------------------------------------------- matching */

bool path_glob_match(const char *g, const char *s)
{
    while (*g) {
        if (g[0] == '*' && g[1] == '*') {
            g += 2;
            if (*g == '/')
                g++;
            if (*g == '\0')
                return true;
            for (const char *t = s; ; t++) {     /* any number of components */
                if ((t == s || t[-1] == '/') && path_glob_match(g, t))
                    return true;
                if (*t == '\0')
                    return false;
            }
        }
        if (*g == '*') {
            g++;
            for (const char *t = s; ; t++) {
                if (path_glob_match(g, t))
                    return true;
                if (*t == '\0' || *t == '/')
                    return false;
            }
        }
        if (*g == '/' && g[1] == '*' && g[2] == '*' && g[3] == '\0' && *s == '\0')
            return true;                        /* a trailing slash-star-star matches X */
        if (*s == '\0')
            return false;
        if (*g == '?' ? *s == '/' : *g != *s)
            return false;
        g++;
        s++;
    }
    return *s == '\0';
}

const char *policy_match_path(const Policy *p, const char *path)
{
    if (!path)
        return NULL;
    for (size_t i = 0; i < p->paths.n; i++)
        if (path_glob_match(p->paths.v[i], path))
            return p->paths.v[i];
    return NULL;
}

bool policy_is_ancestor(const Policy *p, const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    for (size_t i = 0; i < p->paths.n; i++) {
        const char *g = p->paths.v[i];
        size_t lit = strcspn(g, "*?[");            /* the literal part before a wildcard */
        if (n == 1 && path[0] == '/')
            return true;
        if (lit > n && strncmp(g, path, n) == 0 && g[n] == '/')
            return true;
    }
    return false;
}

const PolicyCommand *policy_match_command(const Policy *p, const char *name, const char *args)
{
    for (size_t i = 0; i < p->commands.n; i++) {
        const PolicyCommand *c = &p->commands.v[i];
        if (strcmp(c->name, name) != 0)
            continue;
        if (!c->compiled || regexec(c->compiled, args ? args : "", 0, NULL, 0) == 0)
            return c;
    }
    return NULL;
}

bool policy_is_shell(const Policy *p, const char *name)
{
    for (size_t i = 0; i < p->shells.n; i++)
        if (strcmp(p->shells.v[i], name) == 0)
            return true;
    return false;
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, int bits)
{
    int bytes = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)bytes) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[bytes] & mask) == (b[bytes] & mask);
}

bool policy_host_allowed(const Policy *p, int family, const uint8_t *addr, int port)
{
    for (size_t i = 0; i < p->allowed.n; i++) {
        const AllowedHost *h = &p->allowed.v[i];
        if (h->family == family && prefix_equal(h->addr, addr, h->prefix)
            && (h->port == 0 || h->port == port))
            return true;
    }
    return false;
}
