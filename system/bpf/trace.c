/* The bpf PD's kernel trace part. The microkit tool writes the rings this
 * PD consumes and the system's trace hooks into hypos_trace_config. Each
 * trace hook with a region becomes a PD hook this PD declares itself
 * (hypos/bpftrace.h: the record read-only, the trace helpers), offers the
 * hook's program to (verified like any PD hook program) and runs, on
 * every record whose cookie names the hook, in verified mode — as native
 * code when the system gives the PD a JIT region (bpf_trace_jit_rw/_rx).
 * Maps live in the hook's region, where other PDs read them. Rings are
 * drained whenever the PD is notified: a ring past its threshold, or any
 * other channel (a PD that wants results up to date notifies first). */
#include "trace.h"
#include <hypos/trace.h>
#include <microkit.h>

/* The kernel's ABI and the programs' view of a record must agree. */
#define SAME(a, b) \
    _Static_assert(__builtin_offsetof(hypos_trace_record_t, a) == __builtin_offsetof(struct trace_record, b), #a)
SAME(h.type, h.type);
SAME(h.length, h.length);
SAME(h.object, h.object);
SAME(h.time, h.time);
SAME(u.ipc.sender, u.ipc.sender);
SAME(u.ipc.receiver, u.ipc.receiver);
SAME(u.ipc.flags, u.ipc.flags);
SAME(u.ipc.length, u.ipc.length);
SAME(u.ipc.label, u.ipc.label);
SAME(u.ipc.badge, u.ipc.badge);
SAME(u.ntfn.badge, u.ntfn.badge);
SAME(u.sched.to_priority, u.sched.to_priority);
SAME(u.fault.code, u.fault.code);
SAME(u.irq.delay, u.irq.delay);
SAME(u.invoke_fail.cap_type, u.invoke_fail.cap_type);
SAME(u.object.count, u.object.count);
_Static_assert(sizeof(hypos_trace_ring_t) == sizeof(struct trace_ring), "ring header");
_Static_assert(__builtin_offsetof(hypos_trace_ring_t, threshold) == __builtin_offsetof(struct trace_ring, threshold),
               "ring threshold");
_Static_assert((int)HYPOS_TRACE_TYPES == (int)TRACE_NTYPES && (int)HYPOS_TRACE_DELETE == (int)TRACE_DELETE,
               "record types");

__attribute__((section(".data"))) struct bpftrace_config hypos_trace_config = {0};
__attribute__((section(".data"))) seL4_Word bpf_trace_jit_rw = 0;
__attribute__((section(".data"))) seL4_Word bpf_trace_jit_rx = 0;
__attribute__((section(".data"))) seL4_Word bpf_trace_jit_size = 0;

static struct bpfhook hooks[BPFTRACE_MAX_TRACE_HOOKS];
static uint8_t running[BPFTRACE_MAX_TRACE_HOOKS]; /* a program is attached */
/* The hook whose next two runs are timed (trace_take_over: the control
 * agent's program was just switched to; its running[] is 0 meanwhile):
 * drains use dispatch_timing then, so dispatch itself has no timing. */
static uint32_t timed_hook = UINT32_MAX, timed_stage;
static uint64_t records, unclaimed;
static uint32_t ring_said; /* bit r: a problem with ring r was reported */
static uint64_t dropped_seen[BPFTRACE_MAX_RINGS];

static void put_uint(uint64_t v)
{
    char buf[21];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(buf[--n]);
}

static void print(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        microkit_dbg_putc(s[i]);
}

/* ktime_get_ns: the time counter (QEMU virt: 10 MHz) in nanoseconds, the
 * clock the kernel stamps records with. Release kernels do not let user
 * mode read it; there a program gets the time of the record it runs on. */
static uint64_t record_time;
static uint64_t time_ns(void)
{
    uint64_t t = record_time;
#ifdef HYPOS_USER_COUNTERS
    __asm__ volatile("rdtime %0" : "=r"(t));
#endif
    return t * 100;
}

static void notify(unsigned ch) { microkit_notify((microkit_channel)ch); }

static int section_is(const char *sec, const char *name)
{
    const char *p = HYPOS_TRACE_SECTION_PREFIX;
    while (*p)
        if (*sec++ != *p++)
            return 0;
    while (*name && *sec == *name)
        sec++, name++;
    return *sec == 0 && *name == 0;
}

static void say(const char *hook, const char *what)
{
    microkit_dbg_puts("bpf: trace hook '");
    microkit_dbg_puts(hook);
    microkit_dbg_puts("': ");
    microkit_dbg_puts(what);
}

void trace_init(struct bpf_object *const *objects, int n_objects, const struct bpf_env *env,
                const struct bpf_allocator *alloc, struct bpf_arena *arena)
{
    struct bpftrace_config *c = &hypos_trace_config;
    if (c->magic != BPFTRACE_CONFIG_MAGIC || !c->n_rings)
        return;
    bpfhook_set_platform(print, time_ns, notify);
    uint32_t with_jit = 0;
    for (uint32_t i = 0; i < c->n_hooks && i < BPFTRACE_MAX_TRACE_HOOKS; i++)
        with_jit += c->hooks[i].consumer && c->hooks[i].region;
    uint64_t jit_slice = with_jit && bpf_trace_jit_rw ? (bpf_trace_jit_size / with_jit) & ~(uint64_t)4095 : 0;
    uint32_t slice = 0;
    for (uint32_t i = 0; i < c->n_hooks && i < BPFTRACE_MAX_TRACE_HOOKS; i++) {
        const struct bpftrace_config_hook *h = &c->hooks[i];
        if (!h->consumer || !h->region)
            continue;
        struct bpfhook_decl decl;
        void *region = (void *)h->region;
        if (bpftrace_decl(h->name, h->events, microkit_notifications, &decl) ||
            bpfhook_declare(&hooks[i], region, h->region_size, &decl)) {
            say(h->name, "cannot be declared in its region\n");
            continue;
        }
        if (jit_slice) {
            uint64_t off = (uint64_t)slice++ * jit_slice;
            bpfhook_use_jit(&hooks[i], (void *)(bpf_trace_jit_rw + off), (const void *)(bpf_trace_jit_rx + off),
                            jit_slice, arena);
        }
        int offered = 0, candidates = 0;
        for (int o = 0; o < n_objects && !offered; o++) {
            if (!objects[o])
                continue;
            for (uint32_t p = 0; p < bpf_object_prog_count(objects[o]) && !offered; p++) {
                struct bpf_prog *prog = bpf_object_prog_at(objects[o], p);
                if (!prog->section || !section_is(prog->section, h->name))
                    continue;
                candidates++;
                char msg[BPFHOOK_MESSAGE_LEN];
                int rc = bpfhook_offer(region, h->region_size, prog, env, alloc, msg, sizeof(msg));
                say(h->name, "program '");
                microkit_dbg_puts(prog->name ? prog->name : prog->section);
                microkit_dbg_puts("' of object ");
                put_uint((uint64_t)o);
                microkit_dbg_puts(rc ? " refused: " : " verified and ");
                microkit_dbg_puts(msg);
                microkit_dbg_puts("\n");
                offered = rc == 0;
            }
        }
        /* take it over now: the first record should not pay for compiling */
        running[i] = offered && bpfhook_poll(&hooks[i]);
        if (running[i])
            say(h->name, bpfhook_native(&hooks[i]) ? "runs as native code\n" : "runs interpreted\n");
        else if (!candidates)
            say(h->name, "no program for it; records are counted only\n");
    }
}

static inline uint64_t instret(void)
{
#if defined(HYPOS_USER_COUNTERS)
    uint64_t v;
    __asm__ volatile("csrr %0, instret" : "=r"(v));
    return v;
#else
    return 0;
#endif
}

/* The first two runs after the control agent's program was switched to:
 * the first shows what the switch costs the data path (nothing should be
 * left to do there), the second is an ordinary run to compare with. */
static uint64_t first_run[BPFTRACE_MAX_TRACE_HOOKS];
static void timed_run(uint32_t h, const struct trace_record *rec)
{
    uint64_t t0 = instret();
    bpfhook_run(&hooks[h], (void *)rec);
    uint64_t spent = instret() - t0;
    if (timed_stage++ == 0) {
        first_run[h] = spent;
        return;
    }
    timed_hook = UINT32_MAX;
    running[h] = 1;
    say(hypos_trace_config.hooks[h].name, "the first record after the switch took ");
    put_uint(first_run[h]);
    microkit_dbg_puts(" instructions, the next ");
    put_uint(spent);
    microkit_dbg_puts("\n");
}

static void dispatch(const struct trace_record *rec, void *arg)
{
    (void)arg;
    uint32_t h = TRACE_COOKIE_HOOK(rec->h.object);
    records++;
    record_time = rec->h.time;
    if (h < BPFTRACE_MAX_TRACE_HOOKS && running[h])
        bpfhook_run(&hooks[h], (void *)rec);
    else
        unclaimed++;
}

/* dispatch while a hook's runs are timed (drains after a switch only) */
static void dispatch_timing(const struct trace_record *rec, void *arg)
{
    if (TRACE_COOKIE_HOOK(rec->h.object) != timed_hook) {
        dispatch(rec, arg);
        return;
    }
    records++;
    record_time = rec->h.time;
    timed_run(timed_hook, rec);
}

/* ring-buffer output of a trace program: printed as 64-bit words in hex */
static void print_output(void *arg, const char *map, const void *data, uint32_t len)
{
    static const char hex[] = "0123456789abcdef";
    say((const char *)arg, "output (");
    microkit_dbg_puts(map);
    microkit_dbg_puts("):");
    const uint8_t *b = data;
    for (uint32_t w = 0; w < len; w += 8) {
        microkit_dbg_puts(" 0x");
        uint64_t v = 0;
        for (uint32_t k = 0; k < 8 && w + k < len; k++)
            v |= (uint64_t)b[w + k] << (8 * k);
        for (int d = 15; d >= 0; d--)
            microkit_dbg_putc(hex[(v >> (4 * d)) & 15]);
    }
    microkit_dbg_puts("\n");
}

void trace_drain(void)
{
    struct bpftrace_config *c = &hypos_trace_config;
    if (c->magic != BPFTRACE_CONFIG_MAGIC)
        return;
    for (uint32_t r = 0; r < c->n_rings && r < BPFTRACE_MAX_RINGS; r++) {
        const struct trace_ring *ring = (const struct trace_ring *)c->rings[r].vaddr;
        int64_t n = bpftrace_drain((void *)ring, c->rings[r].size,
                                   timed_hook == UINT32_MAX ? dispatch : dispatch_timing, 0, UINT64_MAX);
        uint64_t dropped = __atomic_load_n(&ring->dropped, __ATOMIC_RELAXED);
        if (n >= 0 && dropped != dropped_seen[r]) {
            /* a full ring: the kernel kept what was unread and counted the rest */
            microkit_dbg_puts("bpf: trace ring ");
            put_uint(c->rings[r].ring);
            microkit_dbg_puts(": ");
            put_uint(dropped - dropped_seen[r]);
            microkit_dbg_puts(" records dropped (ring full), ");
            put_uint(dropped);
            microkit_dbg_puts(" in all\n");
            dropped_seen[r] = dropped;
        }
        if (n > 0)
            for (uint32_t h = 0; h < c->n_hooks && h < BPFTRACE_MAX_TRACE_HOOKS; h++)
                if (running[h] || h == timed_hook)
                    bpftrace_ringbuf_consume(&hooks[h], print_output, c->hooks[h].name);
        if (n >= 0 || ring_said & (1u << r))
            continue;
        ring_said |= 1u << r; /* once: it is drained again on every notification */
        microkit_dbg_puts("bpf: trace ring ");
        put_uint(c->rings[r].ring);
        microkit_dbg_puts(n == -BPF_ENOENT ? " is not set up by the kernel; no events\n"
                                           : " has a damaged header; not read\n");
    }
}

/* ---- the control agent's changes (control.c) ---- */

int trace_hook_find(const char *name, void **region, uint64_t *size)
{
    struct bpftrace_config *c = &hypos_trace_config;
    if (c->magic != BPFTRACE_CONFIG_MAGIC)
        return -1;
    for (uint32_t i = 0; i < c->n_hooks && i < BPFTRACE_MAX_TRACE_HOOKS; i++) {
        const char *n = c->hooks[i].name, *m = name;
        while (*n && *n == *m)
            n++, m++;
        if (*n == *m && hooks[i].shared) {
            *region = hooks[i].region;
            *size = c->hooks[i].region_size;
            return (int)i;
        }
    }
    return -1;
}

/* Called between two records (this PD drains in its one thread, and a
 * control call is not served in the middle of a drain): each record is
 * handled wholly by the old program or wholly by the new one. */
uint64_t trace_take_over(int i)
{
    if (timed_hook != UINT32_MAX && timed_hook != (uint32_t)i)
        running[timed_hook] = 1; /* another hook's timing is given up: it runs on untimed */
    uint64_t t0 = instret();
    int attached = bpfhook_poll(&hooks[i]);
    uint64_t spent = instret() - t0;
    running[i] = 0;
    timed_hook = attached ? (uint32_t)i : UINT32_MAX;
    timed_stage = 0;
    if (attached)
        say(hypos_trace_config.hooks[i].name, bpfhook_native(&hooks[i])
                                                  ? "the control agent's program runs as native code\n"
                                                  : "the control agent's program runs interpreted\n");
    else
        say(hypos_trace_config.hooks[i].name, "no program runs; records are counted only\n");
    return spent;
}
