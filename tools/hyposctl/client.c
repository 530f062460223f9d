/* hyposctl's connection (client.h). */
#define _GNU_SOURCE
#include "client.h"
#include "../../system/include/hypos/control_sync.h"
#include <errno.h>
#include <pb_decode.h>
#include <pb_encode.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int read_exact(struct client *c, uint8_t *buf, size_t len);

/* The agent greets each connection once it has dropped whatever an
 * earlier one left unfinished: the marker, then a Response with a Hello.
 * Nothing may be sent before it (it would count as the earlier
 * connection's and be dropped). */
static int wait_greeting(struct client *c)
{
    uint8_t win[HYPOS_CONTROL_SYNC_LEN];
    size_t seen = 0;
    for (;;) {
        if (seen >= (1u << 20)) {
            fprintf(stderr, "hyposctl: no greeting from the agent in 1 MiB of input\n");
            return -1;
        }
        memmove(win, win + 1, sizeof(win) - 1);
        if (read_exact(c, &win[sizeof(win) - 1], 1)) {
            fprintf(stderr, "hyposctl: (waiting for the agent's greeting; a system whose control port is a "
                            "virtconsole sends none: use virtserialport)\n");
            return -1;
        }
        if (++seen >= sizeof(win) && !memcmp(win, HYPOS_CONTROL_SYNC, sizeof(win)))
            break;
    }
    static hypos_control_Response hello;
    if (client_recv(c, &hello))
        return -1;
    if (hello.which_result != hypos_control_Response_hello_tag) {
        fprintf(stderr, "hyposctl: the agent's greeting is not a greeting\n");
        return -1;
    }
    c->connection = hello.result.hello.connection;
    c->skipped = seen - sizeof(win);
    return 0;
}

int client_open_raw(struct client *c, const char *path, int timeout_ms)
{
    memset(c, 0, sizeof(*c));
    c->next_id = (uint32_t)getpid() << 8;
    c->timeout_ms = timeout_ms;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "hyposctl: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "hyposctl: cannot connect to %s: %s (is the system running with its control socket?)\n", path,
                strerror(errno));
        if (c->fd >= 0)
            close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

int client_open(struct client *c, const char *path, int timeout_ms)
{
    if (client_open_raw(c, path, timeout_ms))
        return -1;
    if (wait_greeting(c)) {
        client_close(c);
        return -1;
    }
    return 0;
}

void client_close(struct client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

int client_send_raw(struct client *c, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "hyposctl: connection lost while sending: %s\n", strerror(errno));
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_exact(struct client *c, uint8_t *buf, size_t len)
{
    while (len) {
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        int r = poll(&pfd, 1, c->timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0) {
            fprintf(stderr, "hyposctl: no response from the agent within %d ms\n", c->timeout_ms);
            return -1;
        }
        ssize_t n = recv(c->fd, buf, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "hyposctl: connection closed by the system\n");
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int client_recv(struct client *c, hypos_control_Response *resp)
{
    uint32_t len = 0;
    for (int i = 0;; i++) {
        uint8_t b;
        if (read_exact(c, &b, 1))
            return -1;
        len |= (uint32_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80))
            break;
        if (i == 4) {
            fprintf(stderr, "hyposctl: malformed length prefix from the agent\n");
            return -1;
        }
    }
    if (len > 1 << 20) {
        fprintf(stderr, "hyposctl: response of %u bytes is implausible\n", len);
        return -1;
    }
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf || read_exact(c, buf, len)) {
        free(buf);
        return -1;
    }
    memset(resp, 0, sizeof(*resp));
    pb_istream_t is = pb_istream_from_buffer(buf, len);
    int ok = pb_decode(&is, hypos_control_Response_fields, resp);
    free(buf);
    if (!ok) {
        fprintf(stderr, "hyposctl: response does not decode: %s\n", PB_GET_ERROR(&is));
        return -1;
    }
    return 0;
}

int client_send(struct client *c, hypos_control_Request *req)
{
    req->id = ++c->next_id;
    size_t size = 0;
    if (!pb_get_encoded_size(&size, hypos_control_Request_fields, req)) {
        fprintf(stderr, "hyposctl: request does not encode\n");
        return -1;
    }
    uint8_t *buf = malloc(size + 5);
    if (!buf)
        return -1;
    size_t np = 0;
    for (uint32_t v = (uint32_t)size;;) {
        uint8_t b = v & 0x7f;
        v >>= 7;
        buf[np++] = (uint8_t)(v ? b | 0x80 : b);
        if (!v)
            break;
    }
    pb_ostream_t os = pb_ostream_from_buffer(buf + np, size);
    int ok = pb_encode(&os, hypos_control_Request_fields, req);
    int rc = ok ? client_send_raw(c, buf, np + size) : -1;
    free(buf);
    return rc;
}

int client_call(struct client *c, hypos_control_Request *req, hypos_control_Response *resp)
{
    if (client_send(c, req))
        return -1;
    for (;;) { /* responses to earlier, abandoned requests are skipped */
        if (client_recv(c, resp))
            return -1;
        if (resp->id == req->id)
            return 0;
    }
}
