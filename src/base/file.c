/* file.c: reading targets and rule files whole, and telling binary files apart. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool file_read_all(const char *path, char **data, size_t *len, char *err, size_t errn)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errn, "cannot open: %s", strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        snprintf(err, errn, "%s", S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
        close(fd);
        return false;
    }
    /* Size from fstat is a hint only: pipes and /proc files report 0. */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR) continue;
            snprintf(err, errn, "cannot read: %s", strerror(errno));
            free(buf);
            close(fd);
            return false;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return true;
}

bool file_looks_binary(const char *data, size_t len)
{
    size_t n = len < 8192 ? len : 8192, control = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0) return true;
        if (c < 8 || (c > 13 && c < 32 && c != 27)) control++;
    }
    return n > 0 && control * 10 > n;   /* more than 10 % control bytes */
}
