/* sandbox.c: the throw-away world the traced command runs in: a temporary HOME full of
 * canary credentials, an environment with canary variables and nothing that names the
 * tracer, and (in the child, see launch.c) the loopback interface of its own network
 * namespace. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <net/if.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace/trace_internal.h"

extern char **environ;

/* ---------------------------------------------------------------- canary files */

static const Canary *canary_named(const Sandbox *s, const char *name)
{
    for (size_t i = 0; i < s->canaries.n; i++)
        if (strcmp(s->canaries.v[i].name, name) == 0)
            return &s->canaries.v[i];
    return NULL;
}

static bool write_home_file(const Sandbox *s, const char *rel, const char *text, mode_t mode,
                            char *err, size_t errn)
{
    char *path = path_join_normalize(s->home, rel);
    /* make the parent directories */
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errn, "cannot create %s: %s", path, strerror(errno));
            free(path);
            return false;
        }
        *p = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    size_t len = strlen(text);
    bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len;
    if (!ok)
        snprintf(err, errn, "cannot write %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    free(path);
    return ok;
}

/* The text of each canary file; %s is the canary's value. */
static const struct { const char *canary, *rel, *fmt; mode_t mode; } canary_files[] = {
    { "~/.aws/credentials", ".aws/credentials",
      "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = us-east-1\n", 0600 },
    { "~/.ssh/id_rsa", ".ssh/id_rsa",
      "-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n%s\n-----END OPENSSH PRIVATE KEY-----\n", 0600 },
    { "~/.netrc", ".netrc", "machine github.com\n  login octocat\n  password %s\n%s", 0600 },
    { "~/.git-credentials", ".git-credentials", "https://octocat:%s@github.com\n%s", 0600 },
    { "~/.npmrc", ".npmrc", "//registry.npmjs.org/:_authToken=%s\n%s", 0600 },
    { "~/.pypirc", ".pypirc",
      "[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\npassword = %s\n%s", 0600 },
    { "~/.docker/config.json", ".docker/config.json",
      "{\n  \"auths\": {\n    \"https://index.docker.io/v1/\": {\n      \"auth\": \"%s\"\n    }\n  }\n}\n%s", 0600 },
    { "~/.bashrc", ".bashrc",
      "# ~/.bashrc: executed by bash(1) for non-login shells.\n"
      "[ -z \"$PS1\" ] && return\nalias ll='ls -l'\nexport GITLAB_TOKEN=%s\n%s", 0644 },
    { "~/.profile", ".profile",
      "# ~/.profile: executed by the command interpreter for login shells.\n"
      "export HF_TOKEN=%s\n%sif [ -n \"$BASH_VERSION\" ] && [ -f \"$HOME/.bashrc\" ]; then\n"
      "    . \"$HOME/.bashrc\"\nfi\n", 0644 },
};

static bool write_canary_files(Sandbox *s, char *err, size_t errn)
{
    char extra[2048];
    for (size_t i = 0; i < sizeof canary_files / sizeof canary_files[0]; i++) {
        const Canary *c = canary_named(s, canary_files[i].canary);
        if (!c)
            continue;
        extra[0] = '\0';
        if (strcmp(canary_files[i].rel, ".aws/credentials") == 0) {
            canary_random_chars(extra, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        } else if (strcmp(canary_files[i].rel, ".ssh/id_rsa") == 0) {
            /* more key lines after the canary line, 70 characters each */
            size_t o = 0;
            for (int line = 0; line < 20; line++) {
                canary_random_chars(extra + o, 70, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
                o += 70;
                extra[o++] = '\n';
            }
            canary_random_chars(extra + o, 20, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        }
        char text[4096];
        snprintf(text, sizeof text, canary_files[i].fmt, c->value, extra);
        if (!write_home_file(s, canary_files[i].rel, text, canary_files[i].mode, err, errn))
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- environment */

static bool env_dropped(const char *entry, bool sandbox)
{
    static const char *const moved[] = {
        "HOME=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=", "XDG_DATA_HOME=", "XDG_STATE_HOME=",
    };
    if (strncmp(entry, "SLUICE", 6) == 0)        /* nothing may name the tracer */
        return true;
    if (!sandbox)
        return false;
    for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++)
        if (str_starts_with(entry, moved[i]))
            return true;
    return false;
}

static bool env_overridden(const Sandbox *s, const char *entry)
{
    for (size_t i = 0; i < s->canaries.n; i++) {
        const Canary *c = &s->canaries.v[i];
        size_t n = strlen(c->name);
        if (strcmp(c->where, "env") == 0 && strncmp(entry, c->name, n) == 0 && entry[n] == '=')
            return true;
    }
    return false;
}

static void build_env(Sandbox *s)
{
    for (char **e = environ; e && *e; e++) {
        if (env_dropped(*e, s->enabled) || (s->enabled && env_overridden(s, *e)))
            continue;
        VEC_PUSH(s->env, xstrdup(*e));
    }
    if (s->enabled) {
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "HOME=%s", s->home);
        VEC_PUSH(s->env, sb_take(&b));
        for (size_t i = 0; i < s->canaries.n; i++) {
            const Canary *c = &s->canaries.v[i];
            if (strcmp(c->where, "env") != 0)
                continue;
            if (strcmp(c->name, "DATABASE_URL") == 0)
                sb_printf(&b, "%s=postgres://app:%s@db.internal:5432/app", c->name, c->value);
            else
                sb_printf(&b, "%s=%s", c->name, c->value);
            VEC_PUSH(s->env, sb_take(&b));
        }
    }
    VEC_PUSH(s->env, NULL);
}

/* ---------------------------------------------------------------- lifetime */

static char *user_home(void)
{
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_dir && pw->pw_dir[0])
        return xstrdup(pw->pw_dir);
    const char *h = getenv("HOME");
    return xstrdup(h && h[0] ? h : "/root");
}

bool sandbox_create(Sandbox *s, bool enabled, char *err, size_t errn)
{
    memset(s, 0, sizeof *s);
    s->enabled = enabled;
    s->real_home = user_home();
    if (enabled) {
        /* An ordinary-looking temporary directory, named as mktemp names them. */
        char tmpl[32];
        int tries = 0;
        do {
            char rnd[11];
            canary_random_chars(rnd, 10, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
            snprintf(tmpl, sizeof tmpl, "/tmp/tmp.%s", rnd);
        } while (mkdir(tmpl, 0700) != 0 && errno == EEXIST && ++tries < 100);
        if (access(tmpl, F_OK) != 0) {
            snprintf(err, errn, "cannot create a temporary directory: %s", strerror(errno));
            return false;
        }
        s->root = xstrdup(tmpl);
        struct passwd *pw = getpwuid(getuid());
        const char *user = pw && pw->pw_name && strcmp(pw->pw_name, "root") != 0
                         ? pw->pw_name : "builder";
        StrBuf b;
        sb_init(&b);
        sb_printf(&b, "%s/home/%s", s->root, user);
        s->home = sb_take(&b);
        canary_generate(&s->canaries);
        if (!write_canary_files(s, err, errn))
            return false;
        chmod(s->root, 0755);
    }
    build_env(s);
    return true;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void sandbox_destroy(Sandbox *s)
{
    if (s->root)
        nftw(s->root, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
    free(s->root);
    free(s->home);
    free(s->real_home);
    canary_list_free(&s->canaries);
    for (size_t i = 0; i < s->env.n; i++)
        free(s->env.v[i]);
    VEC_FREE(s->env);
    memset(s, 0, sizeof *s);
}

bool sandbox_contains(const Sandbox *s, const char *path)
{
    if (!s->root || !path)
        return false;
    size_t n = strlen(s->root);
    return strncmp(path, s->root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

int sandbox_loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return rc;
}
