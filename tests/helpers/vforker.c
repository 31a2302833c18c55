/* vforker: vfork()s a child that execs argv[1] (default /bin/true) with the remaining
 * arguments; exits with the child's status. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char *def[] = { "/bin/true", NULL };
    char **cmd = argc > 1 ? argv + 1 : def;
    pid_t p = vfork();
    if (p == 0) {
        execv(cmd[0], cmd);
        _exit(127);
    }
    if (p < 0)
        return 2;
    int st;
    if (waitpid(p, &st, 0) != p)
        return 3;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 4;
}
