/* hang: never ends. Before hanging it leaves a daemon behind: a grandchild that
 * double-forks away, starts its own session, ignores the polite signals and writes its
 * pid to argv[1], so that a test can check the time limit leaves no orphan alive. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    pid_t p = fork();
    if (p == 0) {
        if (fork() == 0) {
            setsid();
            signal(SIGTERM, SIG_IGN);
            signal(SIGHUP, SIG_IGN);
            signal(SIGINT, SIG_IGN);
            if (argc > 1) {
                FILE *f = fopen(argv[1], "w");
                if (f) {
                    fprintf(f, "%d\n", (int)getpid());
                    fclose(f);
                }
            }
            for (;;)
                pause();
        }
        _exit(0);           /* the daemon is now an orphan */
    }
    waitpid(p, NULL, 0);
    signal(SIGTERM, SIG_IGN);
    for (;;)
        pause();
}
