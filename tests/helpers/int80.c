/* int80: makes a syscall through the i386 ABI (int $0x80: getpid is 20 there), which
 * a filter written for x86_64 numbers would misread. Exits 0 when it was refused with
 * ENOSYS, 1 when it ran. */
#include <errno.h>
#include <stdio.h>

int main(void)
{
    long rc;
    __asm__ volatile("int $0x80" : "=a"(rc) : "a"(20L) : "memory");
    printf("i386 getpid: %ld\n", rc);
    return rc == -ENOSYS ? 0 : 1;
}
