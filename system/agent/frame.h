/* Length-delimited messages on a byte stream: each message is its length
 * (a protobuf base-128 varint of at most 5 bytes, value below 2^32)
 * followed by that many bytes. The framer takes the stream in pieces of
 * any size and hands out whole messages; a message longer than its buffer
 * is skipped (its bytes counted, not kept) and reported once, so the
 * stream stays in step and the next message is read normally. */
#pragma once
#include <stddef.h>
#include <stdint.h>

enum frame_event {
    FRAME_NONE = 0,
    FRAME_MESSAGE,   /* buf[0, len) holds a whole message */
    FRAME_TOO_LARGE, /* a message of len bytes is being skipped */
    FRAME_BAD_PREFIX /* a length prefix of more than 5 bytes or >= 2^32: the prefix is dropped */
};

struct framer {
    uint8_t *buf;
    uint32_t cap;    /* largest message kept */
    uint32_t want;   /* body bytes of the current message */
    uint32_t have;   /* body bytes seen so far */
    uint64_t prefix; /* the length being read */
    uint32_t prefix_bytes;
    int in_body;
    int skipping;
};

void frame_init(struct framer *f, uint8_t *buf, uint32_t cap);

/* Feed bytes from data[*used, len): consumes until one event happens (or
 * the bytes run out: FRAME_NONE). *out_len is the message's length. Call
 * again with the same data and *used to go on. */
enum frame_event frame_feed(struct framer *f, const uint8_t *data, size_t len, size_t *used, uint32_t *out_len);

/* Bytes of the message under way taken so far (prefix and body; 0
 * between messages): what an ending connection cuts off. */
uint32_t frame_pending(const struct framer *f);

/* Write len's prefix into out (at least 5 bytes); returns its size. */
uint32_t frame_prefix(uint32_t len, uint8_t *out);
