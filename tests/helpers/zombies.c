/* zombies: leaves children unreaped. Forks 5 children that exit at once, sleeps so
 * they stay zombies, forks a child that leaves its own zombie grandchild behind, and
 * exits without waiting for anyone. */
#include <time.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 5; i++)
        if (fork() == 0)
            _exit(i);
    struct timespec ts = { 0, 200 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    if (fork() == 0) {
        if (fork() == 0)
            _exit(7);
        nanosleep(&ts, NULL);
        _exit(0);
    }
    nanosleep(&ts, NULL);
    return 0;
}
