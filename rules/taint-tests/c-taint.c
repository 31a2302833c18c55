#include <stdio.h>
#include <string.h>

typedef struct { int len; char name[32]; struct { int id; } hdr; } Req;
typedef struct { char *cmd; int n; } Msg;

void direct(void)
{
    // ruleid: c-taint-cmd
    run_command(read_input());
    // ok: c-taint-cmd
    run_command("ls");
}

void through_vars(void)
{
    char *a = read_input();
    char *b = a;
    char *c;
    c = b;
    // ruleid: c-taint-cmd
    run_command(c);
}

void overwritten(void)
{
    char *a = read_input();
    a = "safe";
    // ok: c-taint-cmd
    run_command(a);
}

void sanitized(void)
{
    char *a = read_input();
    char *b = escape_shell(a);
    // ok: c-taint-cmd
    run_command(b);
    // ruleid: c-taint-cmd
    run_command(a);
}

void string_building(void)
{
    char buf[64];
    char *in = read_input();
    snprintf(buf, sizeof buf, "echo %s", in);
    // ruleid: c-taint-cmd
    run_command(buf);
    char other[64];
    strcpy(other, in);
    // ruleid: c-taint-cmd
    run_command(other);
    char clean[64];
    strcpy(clean, "x");
    // ok: c-taint-cmd
    run_command(clean);
}

void arithmetic(void)
{
    int n = read_input_len(read_input());
    int m = n * 2 + 1;
    // ruleid: c-taint-cmd
    run_command(m);
}

void fields(Msg *m, Msg *other)
{
    m->cmd = read_input();
    // ruleid: c-taint-cmd
    run_command(m->cmd);
    // ok: c-taint-cmd
    run_command(m->n);
    // ok: c-taint-cmd
    run_command(other->cmd);
    m->cmd = "fixed";
    // ok: c-taint-cmd
    run_command(m->cmd);
}

void whole_struct(Msg m)
{
    m.cmd = read_input();
    // ruleid: c-taint-cmd
    run_command(m);
}

void elements(char **argv)
{
    char *arr[4];
    arr[1] = read_input();
    // ruleid: c-taint-cmd
    run_command(arr[2]);
    // ruleid: c-taint-cmd
    run_command(arr);
}

void pointers(char **out)
{
    *out = read_input();
    // ruleid: c-taint-cmd
    run_command(*out);
}

void cast_fields(void)
{
    char *raw = read_input();
    Req *r = (Req *)raw;
    // ruleid: c-taint-cmd
    run_command(r->len);
    // ruleid: c-taint-cmd
    run_command(r->hdr.id);
    // ruleid: c-taint-cmd
    run_command(((Req *)raw)->name);
}

void branches(int c)
{
    char *a = "safe";
    if (c) a = read_input();
    // ruleid: c-taint-cmd
    run_command(a);
    char *b = read_input();
    if (c) b = "x"; else b = "y";
    // ok: c-taint-cmd
    run_command(b);
    char *t = c ? read_input() : "z";
    // ruleid: c-taint-cmd
    run_command(t);
}

void loops(int n)
{
    char *a = "safe", *b = "safe";
    for (int i = 0; i < n; i++) {
        // ruleid: c-taint-cmd
        run_command(b);
        b = a;
        a = read_input();
    }
    char *w = read_input();
    while (n--) {
        w = "clean";
    }
    // ruleid: c-taint-cmd
    run_command(w);
}

void jumps(int n)
{
    char *a = read_input();
    if (n) goto out;
    a = "clean";
out:
    // ruleid: c-taint-cmd
    run_command(a);
    char *s = read_input();
    switch (n) {
    case 1:
        s = "one";
        break;
    case 2:
        s = "two";
    default:
        s = "other";
    }
    // ok: c-taint-cmd
    run_command(s);
    char *f = read_input();
    switch (n) {
    case 1:
        f = "one";
        break;
    case 2:
        break;
    }
    // ruleid: c-taint-cmd
    run_command(f);
}

int early_return(int n)
{
    char *a = read_input();
    if (n) return 0;
    a = "clean";
    // ok: c-taint-cmd
    run_command(a);
    return 1;
}

void side_effects(char *x, char *y)
{
    mark_tainted(x);
    // ruleid: c-taint-side-effect
    consume(x);
    // ok: c-taint-side-effect
    consume(y);
    validate(x);
    // ok: c-taint-side-effect
    consume(x);
}

void side_effect_only(char *x)
{
    // ok: c-taint-only
    consume_only(mark_only(x));
    // ruleid: c-taint-only
    consume_only(x);
}

void propagators(void)
{
    char dst[8];
    char *s = get_secret();
    my_copy(s, dst);
    // ruleid: c-taint-prop
    leak(dst);
    char other[8];
    my_copy("x", other);
    // ok: c-taint-prop
    leak(other);
}

void labels(void)
{
    char *u = user_data();
    // ok: c-taint-labels
    store(u);
    char *d = decode(u);
    // ruleid: c-taint-labels
    store(d);
    // ok: c-taint-labels
    store(decode("constant"));
    // ruleid: c-taint-labels
    log_raw(u);
}

void guards(int *table, char *dst, char *src)
{
    int i = recv_word();
    // ruleid: c-taint-index
    table[i] = 0;
    if (i >= 0 && i < 16) {
        // ok: c-taint-index
        table[i] = 1;
        // ruleid: c-taint-index
        table[i - 2] = 1;
    }
    if (i >= 0) {
        // ruleid: c-taint-index
        table[i] = 2;
    }
    if (i < 16) {
        // ruleid: c-taint-index
        table[i] = 3;
    }
    // ok: c-taint-index
    table[i & 15] = 4;
    int n = recv_word();
    // ruleid: c-taint-size
    memcpy(dst, src, n);
    if (n > 64) return;
    // ok: c-taint-size
    memcpy(dst, src, n);
}

void guard_early_exit(int *table)
{
    int i = recv_word();
    int before = i;
    if (i < 0 || i >= 16) return;
    int after = i;
    // ok: c-taint-index
    table[i] = 1;
    // ok: c-taint-index
    table[after] = 1;
    // ruleid: c-taint-index
    table[before] = 1;
}

void guard_underflow(int *table)
{
    int i = recv_word();
    if (i >= 16) return;
    // ruleid: c-taint-index
    table[i - 2] = 1;
}

void guard_loop(int *table, int count)
{
    for (int k = 0; k < count; k++) {
        int i = recv_word();
        if (i < 0 || i >= 16) continue;
        // ok: c-taint-index
        table[i] = k;
    }
    int j = recv_word();
    if (j >= 16) goto bad;
    if (j < 0) goto bad;
    // ok: c-taint-index
    table[j] = 0;
bad:
    return;
}

void guard_else(int *table)
{
    int i = recv_word();
    if (i < 0 || i >= 16) {
        log_error(i);
    }
    // ruleid: c-taint-index
    table[i] = 1;
    int j = recv_word();
    if (j < 0 || j >= 16) {
        j = 0;
    }
    // ok: c-taint-index
    table[j] = 1;
}

void safe_options(int *table)
{
    int n = read_num();
    // ok: c-taint-safe-numbers
    show(n);
    char *s = read_num();
    // ruleid: c-taint-safe-numbers
    show(s);
    // ok: c-taint-safe-numbers
    show(table[s]);
}

void exact_sources(void)
{
    // ruleid: c-taint-exact-source, c-taint-inexact-source
    emit(wrap(read_raw()));
    // ok: c-taint-exact-source
    emit(read_raw());
    // ok: c-taint-exact-source
    // ruleid: c-taint-inexact-source
    wrap(emit(read_raw()));
}
