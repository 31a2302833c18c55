/* io_uring: calls io_uring_setup. Exits 0 when it was refused with EPERM, 1 when it
 * made a ring, 2 on any other error (printed). */
#include <errno.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    long fd = syscall(SYS_io_uring_setup, 4, &p);
    if (fd >= 0) {
        printf("io_uring_setup made ring %ld\n", fd);
        return 1;
    }
    printf("io_uring_setup: %s\n", strerror(errno));
    return errno == EPERM ? 0 : 2;
}
