/* hyposctl's connection to a running system: the UNIX socket of QEMU's
 * character device behind the system's virtio console, carrying
 * length-delimited Protocol Buffers messages (proto/control.proto). */
#pragma once
#include <control.pb.h>
#include <stddef.h>
#include <stdint.h>

struct client {
    int fd;
    uint32_t next_id;
    int timeout_ms;
    uint64_t connection; /* the agent's count, from its greeting */
    size_t skipped;      /* bytes before the greeting (an earlier connection's) */
};

/* Connect and wait for the agent's greeting; on failure prints why and
 * returns -1. */
int client_open(struct client *c, const char *path, int timeout_ms);
void client_close(struct client *c);
/* Connect only (tests: bytes sent before the greeting). */
int client_open_raw(struct client *c, const char *path, int timeout_ms);

/* Send req (its id is set here), wait for the response with that id.
 * Returns 0, or -1 after printing why (connection lost, timeout, a
 * response that does not decode). */
int client_call(struct client *c, hypos_control_Request *req, hypos_control_Response *resp);

/* Send req (its id is set here) without waiting for anything. */
int client_send(struct client *c, hypos_control_Request *req);

/* Send bytes as they are (tests: malformed messages), no framing. */
int client_send_raw(struct client *c, const void *buf, size_t len);
/* Read one framed response (tests). */
int client_recv(struct client *c, hypos_control_Response *resp);
