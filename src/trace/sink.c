/* sink.c: a listener inside the sandbox's network namespace that answers the
 * connections the traced command makes to loopback addresses, so that a program which
 * connects and sends goes on to send, and keeps the bytes it receives.
 *
 * It runs on a thread of its own that has entered the namespace (setns applies to the
 * calling thread only), so its sockets live there while the tracer stays on the host.
 * The tracer asks it, at a connect's entry, to listen on the destination; the request
 * is answered before the tracee is resumed, so the connect finds the listener. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "trace/trace_internal.h"

typedef struct SinkConn {
    int fd;
    SinkCapture cap;
} SinkConn;

typedef struct SinkListener {
    int fd;
    SockAddr addr;
} SinkListener;

typedef struct SinkRequest {
    char op;            /* 'L' listen, 'Q' quit */
    SockAddr addr;
} SinkRequest;

struct Sink {
    pthread_t thread;
    int netns_fd;
    int req[2], ack[2];         /* tracer -> sink requests, sink -> tracer answers */
    double t0;
    VEC(SinkListener) listeners;
    VEC(SinkConn) conns;
    SinkCaptureList done;
    bool setns_ok;
};

static double sink_now(const Sink *s)
{
    return now_seconds() - s->t0;
}

static int make_listener(const SockAddr *a)
{
    int fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (a->family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)a->port);
        memcpy(&in->sin_addr, a->addr, 4);
        len = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)a->port);
        memcpy(&in6->sin6_addr, a->addr, 16);
        len = sizeof *in6;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void sink_handle_request(Sink *s, const SinkRequest *rq)
{
    for (size_t i = 0; i < s->listeners.n; i++) {
        const SockAddr *l = &s->listeners.v[i].addr;
        if (l->family == rq->addr.family && l->port == rq->addr.port
            && memcmp(l->addr, rq->addr.addr, 16) == 0)
            return;                             /* already listening */
    }
    int fd = make_listener(&rq->addr);
    if (fd >= 0) {
        SinkListener l = { fd, rq->addr };
        VEC_PUSH(s->listeners, l);
    }
}

static void sink_accept(Sink *s, SinkListener *l)
{
    for (;;) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return;
        SinkConn c = { .fd = fd };
        c.cap.dest = l->addr;
        c.cap.sock_type = SOCK_STREAM;
        c.cap.time = sink_now(s);
        VEC_PUSH(s->conns, c);
    }
}

/* Reads what is available; returns false at end of stream or error. */
static bool sink_read(SinkConn *c)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(c->fd, buf, sizeof buf);
        if (n == 0)
            return false;
        if (n < 0)
            return errno == EAGAIN || errno == EINTR;
        size_t keep = c->cap.len < TRACE_SCAN_MAX ? TRACE_SCAN_MAX - c->cap.len : 0;
        if (keep > (size_t)n)
            keep = (size_t)n;
        if (keep) {
            c->cap.data = xrealloc(c->cap.data, c->cap.len + keep);
            memcpy(c->cap.data + c->cap.len, buf, keep);
            c->cap.len += keep;
        }
        c->cap.total += (size_t)n;
    }
}

static void sink_close(Sink *s, size_t i)
{
    close(s->conns.v[i].fd);
    VEC_PUSH(s->done, s->conns.v[i].cap);
    s->conns.v[i] = s->conns.v[--s->conns.n];
}

static void *sink_main(void *arg)
{
    Sink *s = arg;
    s->setns_ok = setns(s->netns_fd, CLONE_NEWNET) == 0;
    char ok = s->setns_ok ? 'Y' : 'N';
    if (write(s->ack[1], &ok, 1) != 1 || !s->setns_ok)
        return NULL;
    for (;;) {
        size_t nl = s->listeners.n, nc = s->conns.n;
        struct pollfd *pfd = xcalloc(1 + nl + nc, sizeof *pfd);
        pfd[0] = (struct pollfd){ .fd = s->req[0], .events = POLLIN };
        for (size_t i = 0; i < nl; i++)
            pfd[1 + i] = (struct pollfd){ .fd = s->listeners.v[i].fd, .events = POLLIN };
        for (size_t i = 0; i < nc; i++)
            pfd[1 + nl + i] = (struct pollfd){ .fd = s->conns.v[i].fd, .events = POLLIN };
        int n = poll(pfd, 1 + nl + nc, -1);
        bool quit = false;
        if (n > 0) {
            /* connections first (from the end, since closing moves the last one in) */
            for (size_t i = nc; i-- > 0;)
                if (pfd[1 + nl + i].revents && !sink_read(&s->conns.v[i]))
                    sink_close(s, i);
            for (size_t i = 0; i < nl; i++)
                if (pfd[1 + i].revents)
                    sink_accept(s, &s->listeners.v[i]);
            if (pfd[0].revents) {
                SinkRequest rq;
                if (read(s->req[0], &rq, sizeof rq) != (ssize_t)sizeof rq || rq.op == 'Q')
                    quit = true;
                else
                    sink_handle_request(s, &rq);
                char a = 'A';
                if (write(s->ack[1], &a, 1) != 1)
                    quit = true;
            }
        }
        free(pfd);
        if (quit)
            break;
    }
    /* last words: accept and drain what is already there */
    for (size_t i = 0; i < s->listeners.n; i++)
        sink_accept(s, &s->listeners.v[i]);
    while (s->conns.n) {
        sink_read(&s->conns.v[s->conns.n - 1]);
        sink_close(s, s->conns.n - 1);
    }
    return NULL;
}

Sink *sink_start(int netns_fd, double t0, char *err, size_t errn)
{
    Sink *s = xcalloc(1, sizeof *s);
    s->netns_fd = netns_fd;
    s->t0 = t0;
    if (pipe2(s->req, O_CLOEXEC) != 0 || pipe2(s->ack, O_CLOEXEC) != 0) {
        snprintf(err, errn, "sink: pipe: %s", strerror(errno));
        free(s);
        return NULL;
    }
    if (pthread_create(&s->thread, NULL, sink_main, s) != 0) {
        snprintf(err, errn, "sink: cannot start its thread");
        close(s->req[0]); close(s->req[1]); close(s->ack[0]); close(s->ack[1]);
        free(s);
        return NULL;
    }
    char ok = 'N';
    if (read(s->ack[0], &ok, 1) != 1 || ok != 'Y') {
        snprintf(err, errn, "sink: cannot enter the sandbox's network namespace");
        pthread_join(s->thread, NULL);
        close(s->req[0]); close(s->req[1]); close(s->ack[0]); close(s->ack[1]);
        free(s);
        return NULL;
    }
    return s;
}

static void sink_request(Sink *s, const SinkRequest *rq)
{
    char a;
    if (write(s->req[1], rq, sizeof *rq) == (ssize_t)sizeof *rq)
        while (read(s->ack[0], &a, 1) < 0 && errno == EINTR)
            ;
}

void sink_listen(Sink *s, const SockAddr *addr, int sock_type)
{
    if (!s || sock_type != SOCK_STREAM || addr->port == 0)
        return;
    SinkRequest rq = { .op = 'L', .addr = *addr };
    sink_request(s, &rq);
}

void sink_stop(Sink *s, SinkCaptureList *out)
{
    if (!s)
        return;
    SinkRequest rq = { .op = 'Q' };
    sink_request(s, &rq);
    pthread_join(s->thread, NULL);
    for (size_t i = 0; i < s->listeners.n; i++)
        close(s->listeners.v[i].fd);
    VEC_FREE(s->listeners);
    VEC_FREE(s->conns);
    for (size_t i = 0; i < s->done.n; i++)
        VEC_PUSH(*out, s->done.v[i]);
    VEC_FREE(s->done);
    close(s->req[0]); close(s->req[1]); close(s->ack[0]); close(s->ack[1]);
    free(s);
}

void sink_capture_free(SinkCapture *c)
{
    free(c->data);
    c->data = NULL;
}
