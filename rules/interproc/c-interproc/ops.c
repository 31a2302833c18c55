/* ops.c: handlers reached through a table of function pointers (entry points), and a
 * dispatcher that calls through the table. */
#include "api.h"

static unsigned char g_buf[64];

static void put(const unsigned char *data, int n) {
    // ruleid: c-ip-size
    memcpy(g_buf, data, n);
}

static int op_copy(const struct req *r) {
    put(r->data, r->len);
    return 0;
}

static void put_small(const unsigned char *data, int n) {
    // ok: c-ip-size
    memcpy(g_buf, data, n);
}

static int op_copy_checked(const struct req *r) {
    if (r->len > 64) return -1;
    put_small(r->data, r->len);
    return 0;
}

static int op_copy_clamped(const struct req *r) {
    int n = r->len;
    if (n < 0 || n > 64) return -1;
    put_small(r->data, n);
    return 0;
}

/* reached only through the table: the command comes from serve() below */
static int op_run(const struct req *r) {
    // ruleid: c-ip-cmd
    run_command((const char *)r->data);
    return 0;
}

const struct op g_ops[] = {
    { 1, op_copy },
    { 2, op_copy_checked },
    { .code = 3, .handler = op_copy_clamped },
    { 4, op_run },
};

int dispatch(const struct req *r, int code) {
    for (int i = 0; i < 4; i++)
        if (g_ops[i].code == code) return g_ops[i].handler(r);
    return -1;
}

/* the pointer call reaches every handler: input read here flows into op_run */
void serve(void) {
    struct req r;
    strcpy((char *)r.data, read_input());
    dispatch(&r, 4);
}
