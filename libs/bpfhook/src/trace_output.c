/* Ring-buffer output of trace programs, taken out by the PD that runs
 * them (hypos/bpftrace.h). Apart from trace.c, which the microkit tool's
 * fuzzer links without the eBPF runtime. */
#include "internal.h"
#include <hypos/bpftrace.h>

struct consume_ctx {
    void (*fn)(void *arg, const char *map, const void *data, uint32_t len);
    void *arg;
    const char *map;
};

static int consume_one(void *cbctx, const void *data, uint32_t len)
{
    struct consume_ctx *c = cbctx;
    c->fn(c->arg, c->map, data, len);
    return 0;
}

long bpftrace_ringbuf_consume(struct bpfhook *h, void (*fn)(void *arg, const char *map, const void *data, uint32_t len),
                              void *arg)
{
    if (!h->live || !h->shared)
        return 0;
    long n = 0;
    /* the live set's own table (the shared one may already describe a
     * prepared successor) */
    uint32_t nmaps = h->nmaps[h->cur];
    for (uint32_t i = 0; i < nmaps && i < BPFHOOK_MAX_MAPS; i++) {
        struct bpf_map *m = h->map_ptrs[h->cur][i];
        if (m->def.type != BPF_MAP_TYPE_RINGBUF)
            continue;
        struct consume_ctx c = {fn, arg, m->name};
        long got = bpf_ringbuf_consume(m, consume_one, &c);
        if (got > 0)
            n += got;
    }
    return n;
}
