/* Length-delimited framing (frame.h). */
#include "frame.h"

void frame_init(struct framer *f, uint8_t *buf, uint32_t cap)
{
    f->buf = buf;
    f->cap = cap;
    f->want = f->have = 0;
    f->prefix = 0;
    f->prefix_bytes = 0;
    f->in_body = 0;
    f->skipping = 0;
}

static enum frame_event finish(struct framer *f, uint32_t *out_len)
{
    enum frame_event ev = f->skipping ? FRAME_NONE : FRAME_MESSAGE;
    *out_len = f->want;
    f->in_body = 0;
    f->skipping = 0;
    f->prefix = 0;
    f->prefix_bytes = 0;
    return ev;
}

enum frame_event frame_feed(struct framer *f, const uint8_t *data, size_t len, size_t *used, uint32_t *out_len)
{
    *out_len = 0;
    while (*used < len) {
        if (!f->in_body) {
            uint8_t b = data[(*used)++];
            f->prefix |= (uint64_t)(b & 0x7f) << (7 * f->prefix_bytes);
            f->prefix_bytes++;
            if (b & 0x80) {
                if (f->prefix_bytes == 5) { /* a sixth byte would follow: no 32-bit length */
                    f->prefix = 0;
                    f->prefix_bytes = 0;
                    return FRAME_BAD_PREFIX;
                }
                continue;
            }
            if (f->prefix >> 32) {
                f->prefix = 0;
                f->prefix_bytes = 0;
                return FRAME_BAD_PREFIX;
            }
            f->want = (uint32_t)f->prefix;
            f->have = 0;
            f->in_body = 1;
            f->skipping = f->want > f->cap;
            if (f->skipping) {
                *out_len = f->want;
                return FRAME_TOO_LARGE;
            }
            if (f->want == 0)
                return finish(f, out_len);
            continue;
        }
        size_t n = len - *used;
        if (n > f->want - f->have)
            n = f->want - f->have;
        if (!f->skipping)
            for (size_t i = 0; i < n; i++)
                f->buf[f->have + i] = data[*used + i];
        f->have += (uint32_t)n;
        *used += n;
        if (f->have == f->want) {
            enum frame_event ev = finish(f, out_len);
            if (ev != FRAME_NONE)
                return ev;
        }
    }
    return FRAME_NONE;
}

uint32_t frame_prefix(uint32_t len, uint8_t *out)
{
    uint32_t n = 0;
    do {
        uint8_t b = len & 0x7f;
        len >>= 7;
        out[n++] = (uint8_t)(len ? b | 0x80 : b);
    } while (len);
    return n;
}

uint32_t frame_pending(const struct framer *f) { return f->in_body ? f->prefix_bytes + f->have : f->prefix_bytes; }
