/* A storm of malformed messages against a running agent: random bodies,
 * bodies that claim more bytes than the agent takes, length prefixes that
 * never end, strings longer than their fields, wrong wire types. Each one
 * must get exactly one response (malformed ones an error with a reason),
 * and a normal request afterwards must still be served.
 *   storm SOCKET COUNT SEED
 * Prints one line per kind of message and "storm: N messages, N
 * responses, agent serving" on success; exits 1 otherwise. */
#define _GNU_SOURCE
#include "../../tools/hyposctl/client.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static size_t prefix(uint32_t len, uint8_t *out)
{
    size_t n = 0;
    do {
        uint8_t b = len & 0x7f;
        len >>= 7;
        out[n++] = (uint8_t)(len ? b | 0x80 : b);
    } while (len);
    return n;
}

static int send_framed(struct client *c, const uint8_t *body, uint32_t len)
{
    uint8_t p[5];
    size_t n = prefix(len, p);
    return client_send_raw(c, p, n) || client_send_raw(c, body, len);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: storm SOCKET COUNT SEED\n");
        return 2;
    }
    struct client c;
    if (client_open(&c, argv[1], 10000))
        return 2;
    long count = atol(argv[2]);
    rng = (uint64_t)atoll(argv[3]) * 0x9e3779b97f4a7c15ULL + 1;
    static uint8_t big[200000];
    static hypos_control_Response resp;
    long kinds[5] = {0}, errors[5] = {0}, ok_kinds[5] = {0};
    for (long i = 0; i < count; i++) {
        int kind = (int)(next() % 5);
        uint8_t body[300];
        uint32_t len = 0;
        int rc = 0;
        switch (kind) {
        case 0: /* random bytes */
            len = next() % 200;
            for (uint32_t b = 0; b < len; b++)
                body[b] = (uint8_t)next();
            rc = send_framed(&c, body, len);
            break;
        case 1: { /* longer than the agent takes: skipped whole */
            uint32_t n = 60000 + next() % 100000;
            for (uint32_t b = 0; b < n; b++)
                big[b] = (uint8_t)next();
            rc = send_framed(&c, big, n);
            break;
        }
        case 2: { /* a length prefix of five continuation bytes */
            uint8_t p[5] = {0x80 | (next() & 0x7f), 0xff, 0x80, 0xff, 0x80 | (next() & 0x7f)};
            rc = client_send_raw(&c, p, 5);
            break;
        }
        case 3: /* load with a hook name longer than the field (tag 12, hook tag 1) */
            len = 0;
            body[len++] = (12 << 3) | 2;
            body[len++] = 102;
            body[len++] = (1 << 3) | 2;
            body[len++] = 100;
            for (int b = 0; b < 100; b++)
                body[len++] = 'h';
            rc = send_framed(&c, body, len);
            break;
        case 4: /* the id as a length-delimited field, then a truncated varint */
            len = 0;
            body[len++] = (1 << 3) | 2;
            body[len++] = 3;
            body[len++] = 'a';
            body[len++] = 'b';
            body[len++] = 'c';
            body[len++] = (10 << 3) | 0;
            body[len++] = 0x80;
            rc = send_framed(&c, body, len);
            break;
        }
        if (rc || client_recv(&c, &resp)) {
            fprintf(stderr, "storm: message %ld (kind %d): no response\n", i, kind);
            return 1;
        }
        kinds[kind]++;
        if (resp.status != hypos_control_Status_OK) {
            errors[kind]++;
            if (!resp.reason[0]) {
                fprintf(stderr, "storm: message %ld (kind %d): error %d without a reason\n", i, kind, resp.status);
                return 1;
            }
        } else {
            ok_kinds[kind]++;
        }
        if (kind && resp.status == hypos_control_Status_OK) {
            fprintf(stderr, "storm: message %ld (kind %d) was accepted\n", i, kind);
            return 1;
        }
        if (i < 5 || (kind == 1 && kinds[1] == 1))
            printf("storm: kind %d -> status %d: %s\n", kind, resp.status, resp.reason);
    }
    static hypos_control_Request req;
    memset(&req, 0, sizeof(req));
    req.which_op = hypos_control_Request_status_tag;
    if (client_call(&c, &req, &resp) || resp.status != hypos_control_Status_OK) {
        fprintf(stderr, "storm: the agent no longer serves\n");
        return 1;
    }
    printf("storm: random %ld (refused %ld), too large %ld (refused %ld), bad prefix %ld (refused %ld), long string "
           "%ld (refused %ld), wrong wire type %ld (refused %ld)\n",
           kinds[0], errors[0], kinds[1], errors[1], kinds[2], errors[2], kinds[3], errors[3], kinds[4], errors[4]);
    printf("storm: %ld messages, %ld responses, agent serving (%llu requests so far)\n", count,
           kinds[0] + kinds[1] + kinds[2] + kinds[3] + kinds[4], (unsigned long long)resp.result.system.requests);
    client_close(&c);
    return 0;
}
