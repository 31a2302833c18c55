/* execchain: execs itself N times (argv[1]), then opens argv[2] and exits 0. With
 * argv[3] == "thread", each exec is made from a second thread, so that the kernel
 * gives the exec'ing thread the process id. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char **args;

static void next(void)
{
    char n[16];
    snprintf(n, sizeof n, "%d", atoi(args[1]) - 1);
    char *argv[] = { args[0], n, args[2], args[3], NULL };
    execv("/proc/self/exe", argv);
    _exit(127);
}

static void *from_thread(void *arg)
{
    (void)arg;
    next();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    args = argv;
    if (atoi(argv[1]) <= 0) {
        int fd = open(argv[2], O_RDONLY);
        if (fd >= 0)
            close(fd);
        return 0;
    }
    if (strcmp(argv[3], "thread") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, from_thread, NULL);
        for (;;)
            pause();
    }
    next();
}
