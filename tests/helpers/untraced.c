/* untraced: asks for a child with CLONE_UNTRACED, which would escape a tracer. Exits 0
 * when clone refused with EPERM, 1 when the child was made. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    long rc = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
    if (rc == 0)
        _exit(0);
    if (rc > 0) {
        waitpid((pid_t)rc, NULL, 0);
        printf("CLONE_UNTRACED child made\n");
        return 1;
    }
    printf("clone(CLONE_UNTRACED): %s\n", strerror(errno));
    return errno == EPERM ? 0 : 2;
}
