/* clone3: calls clone3 directly. Exits 0 when it failed with ENOSYS and a thread
 * (which glibc makes with clone3, falling back to clone) still works; 1 when clone3
 * made a child; 2 when the thread failed. */
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(void)
{
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.exit_signal = SIGCHLD;
    long rc = syscall(SYS_clone3, &args, sizeof args);
    if (rc == 0)
        _exit(0);
    if (rc > 0) {
        waitpid((pid_t)rc, NULL, 0);
        printf("clone3 made a child\n");
        return 1;
    }
    printf("clone3: %s\n", strerror(errno));
    if (errno != ENOSYS)
        return 1;
    pthread_t t;
    void *out = NULL;
    if (pthread_create(&t, NULL, worker, (void *)42) != 0 || pthread_join(t, &out) != 0
        || out != (void *)42)
        return 2;
    printf("thread ok\n");
    return 0;
}
