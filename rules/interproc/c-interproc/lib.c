/* lib.c: callees of main.c, in another file: sinks, propagators, sanitizers, recursion. */
#include "api.h"

void run_checked(const char *cmd) {
    // ruleid: c-ip-cmd
    run_command(cmd);
}

const char *pass_through(const char *s) { return s; }

const char *cleaned(const char *s) { return escape_shell(s); }

void run_clean(const char *cmd) {
    // ok: c-ip-cmd
    run_command(escape_shell(cmd));
}

/* recursion: the command reaches the sink after n turns */
void run_later(const char *cmd, int n) {
    if (n > 0) {
        run_later(cmd, n - 1);
        return;
    }
    // ruleid: c-ip-cmd
    run_command(cmd);
}

/* mutual recursion: ping and pong pass the command to each other */
void pong(const char *cmd, int n);
void ping(const char *cmd, int n) {
    if (n) pong(cmd, n - 1);
}
void pong(const char *cmd, int n) {
    if (n) ping(cmd, n - 1);
    // ruleid: c-ip-cmd
    else run_command(cmd);
}

/* a field of a struct passed by pointer */
void fill(struct job *j, const char *name) {
    j->name = name;
    j->flags = 0;
}

void run_job_name(struct job *j) {
    // ruleid: c-ip-cmd
    run_command(j->name);
}

void run_job_flags(struct job *j) {
    // ok: c-ip-cmd
    run_command(j->flags_text);
}

/* five functions deep */
void d5(const char *s) {
    // ruleid: c-ip-cmd
    run_command(s);
}
void d4(const char *s) { d5(s); }
void d3(const char *s) { d4(s); }
void d2(const char *s) { d3(s); }
void d1(const char *s) { d2(s); }
