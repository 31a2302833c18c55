/* trace.h: `sluice trace`: run a command under the ptrace + seccomp tracer in a
 * sandbox and report what it did against a policy. */
#ifndef SLUICE_TRACE_H
#define SLUICE_TRACE_H

/* The whole `sluice trace` command: argv[0] is "trace". Returns the exit code. */
int trace_command(int argc, char **argv);

#endif
