/* main.c: callers in another file than their callees (lib.c). */
#include "api.h"

static char g_saved[64];

void through_callee(void) {
    run_checked(read_input());
}

void through_propagator(void) {
    const char *s = pass_through(read_input());
    // ruleid: c-ip-cmd
    run_command(s);
}

void through_sanitizer(void) {
    const char *s = cleaned(read_input());
    // ok: c-ip-cmd
    run_command(s);
    run_clean(read_input());
}

void through_recursion(void) {
    run_later(read_input(), 3);
    ping(read_input(), 4);
}

void through_fields(void) {
    struct job j;
    fill(&j, read_input());
    // ruleid: c-ip-cmd
    run_command(j.name);
    // ok: c-ip-cmd
    run_command(j.other);
    run_job_name(&j);
    run_job_flags(&j);
}

void deep(void) { d1(read_input()); }

/* a global: one entry point stores, another reads */
void save(void) { strcpy(g_saved, read_input()); }
void replay(void) {
    // ruleid: c-ip-cmd
    run_command(g_saved);
}
