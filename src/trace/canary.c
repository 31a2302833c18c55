/* canary.c: fake secrets, fresh and random on every run, shaped like the real thing
 * (AWS key ids start with AKIA, GitHub tokens with ghp_, ...), and the search for them
 * in bytes a traced program sends. Finding one outside the sandbox proves that the
 * program read it and passed it on, where a read alone only suggests intent.
 *
 * Each canary is searched as written, in base64 at each of the three alignments it can
 * take inside a longer encoded text, and in hex. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "trace/trace_internal.h"

static const char UPPER_DIGITS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char ALNUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char DIGITS[] = "0123456789";

void canary_random_chars(char *buf, size_t n, const char *alphabet)
{
    size_t k = strlen(alphabet);
    unsigned char rnd[256];
    size_t have = 0, used = 0;
    for (size_t i = 0; i < n; i++) {
        if (used == have) {
            have = sizeof rnd;
            if (getrandom(rnd, have, 0) != (ssize_t)have)
                abort();            /* the kernel's generator does not fail for 256 bytes */
            used = 0;
        }
        unsigned char c = rnd[used++];
        if (c >= 256 - 256 % k) {   /* reject to keep the choice uniform */
            i--;
            continue;
        }
        buf[i] = alphabet[c % k];
    }
    buf[n] = '\0';
}

/* A value made of literal parts and random runs: "AKIA" + 16 of UPPER_DIGITS. */
static char *make_value(const char *prefix, size_t n, const char *alphabet, const char *suffix)
{
    size_t pl = strlen(prefix), sl = strlen(suffix);
    char *v = xmalloc(pl + n + sl + 1);
    memcpy(v, prefix, pl);
    canary_random_chars(v + pl, n, alphabet);
    memcpy(v + pl + n, suffix, sl + 1);
    return v;
}

char *canary_base64(const unsigned char *data, size_t n)
{
    char *out = xmalloc((n + 2) / 3 * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < n) v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < n) v |= data[i + 2];
        out[o++] = B64[v >> 18 & 63];
        out[o++] = B64[v >> 12 & 63];
        out[o++] = i + 1 < n ? B64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? B64[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* The part of the base64 of (shift filler bytes + value) that depends only on the
 * value, whatever bytes surround it: skip the groups touching the filler and drop the
 * last group, which may touch what follows. */
static char *base64_core(const char *value, int shift)
{
    size_t n = strlen(value);
    unsigned char *buf = xmalloc(n + 3);
    memset(buf, 0, (size_t)shift);
    memcpy(buf + shift, value, n);
    char *enc = canary_base64(buf, n + (size_t)shift);
    free(buf);
    size_t len = strlen(enc);
    size_t skip = shift ? 4 : 0;
    size_t full = (n + (size_t)shift) / 3 * 4;     /* chars of complete groups */
    char *core = (full > skip) ? xstrndup(enc + skip, full - skip) : xstrdup("");
    (void)len;
    free(enc);
    return core;
}

static void add_canary(CanaryList *l, const char *name, const char *where, char *value)
{
    Canary c = { .name = xstrdup(name), .where = xstrdup(where), .value = value };
    int k = 0;
    c.variants[k++] = xstrdup(value);
    for (int shift = 0; shift < 3; shift++) {
        char *core = base64_core(value, shift);
        if (strlen(core) >= 12)
            c.variants[k++] = core;
        else
            free(core);
    }
    size_t n = strlen(value);
    char *hex = xmalloc(2 * n + 1);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)value[i]);
    c.variants[k++] = hex;
    VEC_PUSH(*l, c);
}

void canary_generate(CanaryList *l)
{
    add_canary(l, "AWS_ACCESS_KEY_ID", "env", make_value("AKIA", 16, UPPER_DIGITS, ""));
    add_canary(l, "AWS_SECRET_ACCESS_KEY", "env", make_value("", 40, B64, ""));
    add_canary(l, "GITHUB_TOKEN", "env", make_value("ghp_", 36, ALNUM, ""));
    add_canary(l, "NPM_TOKEN", "env", make_value("npm_", 36, ALNUM, ""));
    add_canary(l, "PYPI_API_TOKEN", "env", make_value("pypi-AgEIcHlwaS5vcmc", 64, ALNUM, ""));
    char *slack = make_value("xoxb-", 12, DIGITS, "-");
    char *slack2 = make_value(slack, 13, DIGITS, "-");
    add_canary(l, "SLACK_BOT_TOKEN", "env", make_value(slack2, 24, ALNUM, ""));
    free(slack);
    free(slack2);
    add_canary(l, "OPENAI_API_KEY", "env", make_value("sk-proj-", 48, ALNUM, ""));
    add_canary(l, "DATABASE_URL", "env", make_value("", 24, ALNUM, ""));   /* the password */
    /* the secrets written into canary files by sandbox.c */
    add_canary(l, "~/.aws/credentials", "file", make_value("AKIA", 16, UPPER_DIGITS, ""));
    add_canary(l, "~/.ssh/id_rsa", "file", make_value("b3BlbnNzaC1rZXktdjEAAAAA", 40, B64, ""));
    add_canary(l, "~/.netrc", "file", make_value("ghp_", 36, ALNUM, ""));
    add_canary(l, "~/.git-credentials", "file", make_value("ghp_", 36, ALNUM, ""));
    add_canary(l, "~/.npmrc", "file", make_value("npm_", 36, ALNUM, ""));
    add_canary(l, "~/.pypirc", "file", make_value("pypi-AgEIcHlwaS5vcmc", 64, ALNUM, ""));
    add_canary(l, "~/.docker/config.json", "file", make_value("", 32, B64, "="));
    add_canary(l, "~/.bashrc", "file", make_value("glpat-", 20, ALNUM, ""));
    add_canary(l, "~/.profile", "file", make_value("hf_", 34, ALNUM, ""));
}

void canary_list_free(CanaryList *l)
{
    for (size_t i = 0; i < l->n; i++) {
        Canary *c = &l->v[i];
        free(c->name);
        free(c->where);
        free(c->value);
        for (int k = 0; k < CANARY_VARIANTS && c->variants[k]; k++)
            free(c->variants[k]);
    }
    VEC_FREE(*l);
}

size_t canary_scan(const CanaryList *l, const void *data, size_t n, IntVec *hits)
{
    size_t found = 0;
    for (size_t i = 0; i < l->n; i++) {
        const Canary *c = &l->v[i];
        for (int k = 0; k < CANARY_VARIANTS && c->variants[k]; k++) {
            if (memmem(data, n, c->variants[k], strlen(c->variants[k]))) {
                bool dup = false;
                for (size_t h = 0; h < hits->n; h++)
                    dup |= hits->v[h] == (int)i;
                if (!dup) {
                    VEC_PUSH(*hits, (int)i);
                    found++;
                }
                break;
            }
        }
    }
    return found;
}
