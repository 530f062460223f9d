/* Declaration checks, region layout and the small string and memory
 * routines both sides of the PD hook library use (PDs have no C library). */
#include "internal.h"

void msg_init(struct msgbuf *m, char *buf, size_t cap)
{
    m->buf = buf;
    m->cap = buf ? cap : 0;
    m->len = 0;
    if (m->cap)
        buf[0] = 0;
}

void msg_str(struct msgbuf *m, const char *s)
{
    while (*s && m->len + 1 < m->cap)
        m->buf[m->len++] = *s++;
    if (m->cap)
        m->buf[m->len] = 0;
}

void msg_uint(struct msgbuf *m, uint64_t v)
{
    char tmp[21];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    char out[22];
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = 0;
    msg_str(m, out);
}

void msg_int(struct msgbuf *m, int64_t v)
{
    if (v < 0) {
        msg_str(m, "-");
        msg_uint(m, (uint64_t)0 - (uint64_t)v);
    } else {
        msg_uint(m, (uint64_t)v);
    }
}

void copy_bytes(void *dst, const void *src, size_t n)
{
    volatile uint8_t *d = dst; /* volatile: no call to a memcpy the PD may not have */
    const uint8_t *s = src;
    while (n--)
        *d++ = *s++;
}

void zero_bytes(void *dst, size_t n)
{
    volatile uint8_t *d = dst;
    while (n--)
        *d++ = 0;
}

int names_equal(const char *a, const char *b, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        if (a[i] != b[i])
            return 0;
        if (!a[i])
            return 1;
    }
    return 1;
}

int helper_offered(uint32_t id)
{
    switch (id) {
    case BPF_FUNC_map_lookup_elem:
    case BPF_FUNC_map_update_elem:
    case BPF_FUNC_map_delete_elem:
    case BPF_FUNC_ktime_get_ns:
    case BPF_FUNC_trace_printk:
    case BPF_FUNC_get_prandom_u32:
    case BPF_FUNC_get_smp_processor_id:
    case BPF_FUNC_ringbuf_output:
    case BPF_FUNC_ringbuf_reserve:
    case BPF_FUNC_ringbuf_submit:
    case BPF_FUNC_ringbuf_discard:
    case BPF_FUNC_ringbuf_query:
    case BPF_FUNC_trace_vprintk:
    case BPFHOOK_FUNC_pd_notify:
        return 1;
    default:
        return 0;
    }
}

static int bad(struct msgbuf *m, const char *what)
{
    msg_str(m, what);
    return -BPF_EINVAL;
}

int decl_check(const struct bpfhook_decl *d, struct msgbuf *m)
{
    size_t n = 0;
    while (n < BPFHOOK_NAME_LEN && d->name[n])
        n++;
    if (n == 0 || n == BPFHOOK_NAME_LEN)
        return bad(m, "hook name empty or not terminated within 32 bytes");
    for (size_t i = 0; i < n; i++) {
        char c = d->name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return bad(m, "hook name has a character other than letters, digits, '_' and '-'");
    }
    if (d->ctx_size == 0 || d->ctx_size > BPFHOOK_MAX_CTX)
        return bad(m, "context size not in 1..256 bytes");
    if (d->nfields > BPFHOOK_MAX_FIELDS)
        return bad(m, "more than 16 context fields");
    for (uint32_t i = 0; i < d->nfields; i++) {
        const struct bpfhook_field *f = &d->fields[i];
        if (f->size == 0 || f->off > d->ctx_size || f->size > d->ctx_size - f->off) {
            msg_str(m, "context field ");
            msg_uint(m, i);
            return bad(m, " lies outside the context");
        }
        if (!f->access || (f->access & ~(uint32_t)(BPF_FIELD_READ | BPF_FIELD_WRITE))) {
            msg_str(m, "context field ");
            msg_uint(m, i);
            return bad(m, " has no or unknown access rights");
        }
    }
    if (d->nhelpers > BPFHOOK_MAX_HELPERS)
        return bad(m, "more than 16 helpers");
    for (uint32_t i = 0; i < d->nhelpers; i++) {
        if (!helper_offered(d->helpers[i])) {
            msg_str(m, "helper ");
            msg_uint(m, d->helpers[i]);
            return bad(m, " cannot be offered to PD hooks");
        }
    }
    if (d->notify_channels >> 62)
        return bad(m, "notify_channels names a channel above 61");
    if (d->verdict_min > d->verdict_max)
        return bad(m, "verdict range is empty");
    if (d->max_insns == 0 || d->max_insns > BPF_MAX_INSNS)
        return bad(m, "max_insns not in 1..1048576");
    return 0;
}

static uint64_t page_up(uint64_t v) { return (v + 4095) & ~(uint64_t)4095; }

int areas_for(const struct bpfhook_decl *d, uint64_t region_size, struct areas *a)
{
    uint64_t code = page_up((uint64_t)d->max_insns * sizeof(struct bpf_insn));
    a->staging_off = BPFHOOK_HEADER_SIZE;
    a->staging_size = code + BPFHOOK_INIT_DATA_MAX;
    a->code_off = a->staging_off + a->staging_size;
    a->code_size = 2 * code; /* two slots: the live program's and the next one's */
    a->maps_off = a->code_off + a->code_size;
    if (region_size <= a->maps_off)
        return -BPF_EINVAL;
    a->maps_size = region_size - a->maps_off;
    return 0;
}
