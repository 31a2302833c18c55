/* threads: N threads (argv[1], default 8) each open a file of their own,
 * DIR/thread-K (argv[2], default /tmp), then all are joined. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *dir = "/tmp";

static void *worker(void *arg)
{
    char path[512];
    snprintf(path, sizeof path, "%s/thread-%ld", dir, (long)arg);
    int fd = open(path, O_RDONLY);
    if (fd >= 0)
        close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 8;
    if (argc > 2)
        dir = argv[2];
    pthread_t t[64];
    if (n > 64)
        n = 64;
    for (long i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
            return 1;
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    return 0;
}
