/* forker: a fork bomb with a bound. Forks up to N children (argv[1], default 2000)
 * that each sleep, writing every child's pid to the file argv[2] (when given), so that
 * a test can check none survives. Without a tracer it stops at N and kills them. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    FILE *pids = argc > 2 ? fopen(argv[2], "w") : NULL;
    pid_t *kids = calloc((size_t)n, sizeof *kids);
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) {
            sleep(30);
            _exit(0);
        }
        if (p < 0)
            break;
        kids[i] = p;
        if (pids) {
            fprintf(pids, "%d\n", (int)p);
            fflush(pids);
        }
    }
    for (int i = 0; i < n; i++)
        if (kids[i] > 0)
            kill(kids[i], SIGKILL);
    while (wait(NULL) > 0)
        ;
    return 0;
}
