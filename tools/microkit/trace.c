/* Kernel trace rings and hooks: hypOS elements of a .system file.
 *
 *   <hypos:trace_ring name="events" mr="ring" pd="bpf" id="5" threshold="16" />
 *   <hypos:trace_hook name="server_ipc" ring="events" endpoint="server" events="call reply" mr="lat" />
 *
 * A ring is a memory region of exactly one page (the kernel writes
 * records into one frame) that its consumer PD maps read-write; the
 * kernel signals the consumer's notification with the bit of channel
 * `id` when `threshold` records are unread. A hook makes the kernel
 * record the events of one object into a ring: the endpoint, the
 * notification or the threads (TCB) of a PD, an interrupt by number, or
 * the system-wide events (system="true"). `thread` may list several PDs
 * (or "*": all of them): one kernel hook each, one trace hook for the
 * programs. `mr` is the region (mapped read-write by the consumer) where
 * the bpf PD runs the hook's programs and keeps their maps; their native
 * code goes into a region the tool adds (add_default_jit).
 *
 * The initialiser carries the result out with the trace control cap
 * (SetRing, then Hook for each object). */
#include "trace.h"
#include "hypos/microkit_abi.h"
#include "sdf_xml.h"
#include "elf.h"
#include <hypos/bpftrace.h>
#include <stdlib.h>
#include <string.h>

typedef struct sdf_trace_ring {
    char *name, *mr_name, *pd_name;
    int mr, pd, id, index;
    uint32_t threshold, capacity;
    loc_t loc, name_loc, mr_loc, pd_loc, id_loc, threshold_loc;
} trace_ring_t;

typedef struct sdf_trace_hook {
    char *name, *ring_name, *target, *events_text, *mr_name;
    int kind; /* enum spec_trace_kind */
    int ring, mr;
    uint32_t events;
    uint64_t irq;
    int *pds; /* observed PDs (one per kernel hook; -1 for the system) */
    int n_pds;
    loc_t loc, name_loc, ring_loc, target_loc, events_loc, mr_loc;
} trace_hook_t;

static trace_ring_t *rings;
static int n_rings;
static trace_hook_t *hooks;
static int n_hooks;
static spec_trace_ring_t *out_rings;
static spec_trace_hook_t *out_hooks;
static uint32_t n_out_rings, n_out_hooks;

#define GROW(arr, n) \
    ((arr) = realloc((arr), sizeof *(arr) * (size_t)((n) + 1)), memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

void trace_reset(void)
{
    for (int i = 0; i < n_hooks; i++)
        free(hooks[i].pds);
    free(rings);
    free(hooks);
    free(out_rings);
    free(out_hooks);
    rings = NULL;
    hooks = NULL;
    out_rings = NULL;
    out_hooks = NULL;
    n_rings = n_hooks = 0;
    n_out_rings = n_out_hooks = 0;
}

static const char *kind_attr[] = {"endpoint", "notification", "thread", "irq", "system"};
#define EV(t) (1u << (t))
static const uint32_t kind_events[] = {
    EV(TRACE_IPC_SEND) | EV(TRACE_IPC_CALL) | EV(TRACE_IPC_RECV) | EV(TRACE_IPC_REPLY),
    EV(TRACE_SIGNAL) | EV(TRACE_WAIT),
    EV(TRACE_SCHED) | EV(TRACE_FAULT),
    EV(TRACE_IRQ) | EV(TRACE_IRQ_ACK),
    EV(TRACE_SCHED) | EV(TRACE_FAULT) | EV(TRACE_INVOKE_FAIL) | EV(TRACE_RETYPE) | EV(TRACE_DELETE),
};

bool hook_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= BPFHOOK_NAME_LEN)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-'))
            return false;
    return true;
}

static void parse_ring(const elem_t *e)
{
    static const char *const ok[] = {"name", "mr", "pd", "id", "threshold", NULL};
    only_attrs(e, ok);
    trace_ring_t *r = GROW(rings, n_rings);
    r->loc = e->loc;
    r->name = need(e, "name");
    r->name_loc = aloc(e, "name");
    r->mr_name = need(e, "mr");
    r->mr_loc = aloc(e, "mr");
    r->pd_name = need(e, "pd");
    r->pd_loc = aloc(e, "pd");
    r->id_loc = aloc(e, "id");
    uint64_t id = num(e, "id", need(e, "id"));
    if (id > PD_MAX_ID)
        fail_at(r->id_loc, "trace ring channel id %llu is out of range: 0 to %d", (unsigned long long)id, PD_MAX_ID);
    r->id = (int)id;
    char *v = attr(e, "threshold");
    r->threshold = 1;
    r->threshold_loc = aloc(e, "threshold");
    if (v) {
        uint64_t t = num(e, "threshold", v);
        if (t == 0 || t > 0xffffffffull)
            fail_at(r->threshold_loc, "threshold %llu of trace ring '%s' must be at least 1", (unsigned long long)t,
                    r->name);
        r->threshold = (uint32_t)t;
    }
    if (!hook_name_ok(r->name))
        fail_at(r->name_loc, "trace ring name '%s' must be 1 to 31 letters, digits, '_' or '-'", r->name);
    for (int i = 0; i < n_rings - 1; i++)
        if (!strcmp(rings[i].name, r->name))
            fail_at(r->name_loc, "duplicate trace ring name '%s' (first at line %d)", r->name, rings[i].loc.line);
    if (n_rings > BPFTRACE_MAX_RINGS)
        fail_at(e->loc, "more than %d trace rings: the kernel has %d", BPFTRACE_MAX_RINGS, BPFTRACE_MAX_RINGS);
}

static void parse_hook(const elem_t *e)
{
    static const char *const ok[] = {"name",         "ring",   "events", "mr",     "endpoint",
                                     "notification", "thread", "irq",    "system", NULL};
    only_attrs(e, ok);
    trace_hook_t *h = GROW(hooks, n_hooks);
    h->loc = e->loc;
    h->name = need(e, "name");
    h->name_loc = aloc(e, "name");
    if (!hook_name_ok(h->name))
        fail_at(h->name_loc, "trace hook name '%s' must be 1 to 31 letters, digits, '_' or '-'", h->name);
    for (int i = 0; i < n_hooks - 1; i++)
        if (!strcmp(hooks[i].name, h->name))
            fail_at(h->name_loc, "duplicate trace hook name '%s' (first at line %d)", h->name, hooks[i].loc.line);
    if (n_hooks > BPFTRACE_MAX_TRACE_HOOKS)
        fail_at(e->loc, "more than %d trace hooks", BPFTRACE_MAX_TRACE_HOOKS);
    h->ring_name = need(e, "ring");
    h->ring_loc = aloc(e, "ring");
    h->kind = -1;
    for (int k = 0; k < 5; k++) {
        char *v = attr(e, kind_attr[k]);
        if (!v)
            continue;
        if (h->kind >= 0)
            fail_at(aloc(e, kind_attr[k]), "trace hook '%s' names both '%s' and '%s': one object per hook", h->name,
                    kind_attr[h->kind], kind_attr[k]);
        h->kind = k;
        h->target = v;
        h->target_loc = aloc(e, kind_attr[k]);
    }
    if (h->kind < 0)
        fail_at(e->loc, "trace hook '%s' names no object: give endpoint, notification, thread, irq or system", h->name);
    if (h->kind == SPEC_TRACE_SYSTEM && !boolean(e, "system", h->target))
        fail_at(h->target_loc, "trace hook '%s': system=\"false\" names no object", h->name);
    if (h->kind == SPEC_TRACE_IRQ)
        h->irq = num(e, "irq", h->target);
    h->events_loc = aloc(e, "events");
    h->events_text = attr(e, "events");
    if (h->events_text) {
        char bad[32];
        if (bpftrace_parse_events(h->events_text, &h->events, bad, sizeof bad))
            fail_at(h->events_loc,
                    "unknown event '%s' in trace hook '%s' (send call recv reply signal wait sched fault irq irq_ack "
                    "invoke_fail retype delete, or ipc notification thread irq system)",
                    bad, h->name);
        if (!h->events)
            fail_at(h->events_loc, "trace hook '%s' has an empty event list", h->name);
        static const char *const what[] = {"an endpoint", "a notification", "threads", "an IRQ", "the system"};
        if (h->events & ~kind_events[h->kind]) {
            char have[160] = "";
            for (uint32_t t = 1; t < TRACE_NTYPES; t++)
                if ((kind_events[h->kind] >> t) & 1)
                    snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", *have ? " " : "",
                             bpftrace_type_name(t));
            fail_at(h->events_loc, "trace hook '%s' observes %s, which cannot produce all of '%s' (only %s)", h->name,
                    what[h->kind], h->events_text, have);
        }
    } else {
        h->events = kind_events[h->kind];
    }
    h->mr_name = attr(e, "mr");
    h->mr_loc = aloc(e, "mr");
    h->mr = -1;
}

void trace_parse_element(const elem_t *e)
{
    const char *n = (const char *)e->node->name;
    if (!strcmp(n, "trace_ring"))
        parse_ring(e);
    else if (!strcmp(n, "trace_hook"))
        parse_hook(e);
    else
        fail_at(e->loc,
                "invalid hypOS element <%s> inside <system>: only trace_ring, trace_hook, bpf_object and pd_hook", n);
}

static void check_ring(sdf_system_t *sys, trace_ring_t *r)
{
    r->mr = sdf_mr_named(sys, r->mr_name);
    if (r->mr < 0)
        fail_at(r->mr_loc, "trace ring '%s' names memory region '%s', which does not exist", r->name, r->mr_name);
    const sdf_mr_t *mr = &sys->mrs[r->mr];
    if (mr->size != mr->page_size)
        fail_at(r->mr_loc,
                "memory region '%s' of trace ring '%s' must be exactly one page (the kernel writes a ring into one "
                "frame): size 0x%llx, page size 0x%llx",
                mr->name, r->name, (unsigned long long)mr->size, (unsigned long long)mr->page_size);
    if (mr->fixed && (mr->paddr < 0x80000000ull || mr->paddr >= 0x100000000ull))
        fail_at(r->mr_loc, "memory region '%s' of trace ring '%s' is device memory: a ring must be in RAM", mr->name,
                r->name);
    if (mr->prefill)
        fail_at(r->mr_loc, "memory region '%s' of trace ring '%s' is prefilled: the kernel owns its contents", mr->name,
                r->name);
    r->capacity = (uint32_t)(mr->size / 64 - 1);
    if (r->threshold > r->capacity)
        fail_at(r->threshold_loc, "threshold %u of trace ring '%s' is larger than its %u record slots", r->threshold,
                r->name, r->capacity);
    r->pd = sdf_pd_named(sys, r->pd_name);
    if (r->pd < 0)
        fail_at(r->pd_loc, "trace ring '%s' names protection domain '%s', which does not exist", r->name, r->pd_name);
    const sdf_map_t *m = sdf_map_of(sys, r->pd, r->mr);
    if (!m || !(m->perms & PERM_W))
        fail_at(r->mr_loc, "'%s' consumes trace ring '%s' but does not map its region '%s' read-write", r->pd_name,
                r->name, mr->name);
    for (int p = 0; p < sys->n_pds; p++) {
        const sdf_map_t *o = sdf_map_of(sys, p, r->mr);
        if (p != r->pd && o && (o->perms & PERM_W))
            fail_at(o->loc, "'%s' maps trace ring region '%s' writable: only its consumer '%s' may write it",
                    sys->pds[p].name, mr->name, r->pd_name);
    }
    /* the ring's channel id shares the PD's ids with its channels and IRQs */
    const sdf_pd_t *pd = &sys->pds[r->pd];
    for (int k = 0; k < pd->n_irqs; k++)
        if (pd->irqs[k].id == r->id)
            fail_at(r->id_loc, "id %d of trace ring '%s' is already IRQ %llu of '%s'", r->id, r->name,
                    (unsigned long long)pd->irqs[k].irq, pd->name);
    for (int c = 0; c < sys->n_channels; c++)
        for (int k = 0; k < 2; k++)
            if (sys->channels[c].end[k].pd == r->pd && sys->channels[c].end[k].id == r->id)
                fail_at(r->id_loc, "id %d of trace ring '%s' is already a channel of '%s' (line %d)", r->id, r->name,
                        pd->name, sys->channels[c].loc.line);
    for (trace_ring_t *o = rings; o < r; o++) {
        if (o->mr == r->mr)
            fail_at(r->mr_loc, "memory region '%s' is already trace ring '%s'", mr->name, o->name);
        if (o->pd == r->pd && o->id == r->id)
            fail_at(r->id_loc, "id %d of '%s' is already trace ring '%s'", r->id, pd->name, o->name);
    }
}

/* The smallest hook region the bpf PD can run a program in: the hook
 * library's header page, staging and code for BPFTRACE_MAX_INSNS
 * instructions plus initial data, and a page of maps. */
#define PAGE_UP(x) (((x) + 0xfffull) & ~0xfffull)
#define MIN_HOOK_REGION \
    (BPFHOOK_HEADER_SIZE + 2 * PAGE_UP(8ull * BPFTRACE_MAX_INSNS) + 4096 /* initial data */ + 4096 /* maps */)

static void add_target_pd(trace_hook_t *h, int pd)
{
    h->pds = realloc(h->pds, sizeof *h->pds * (size_t)(h->n_pds + 1));
    h->pds[h->n_pds++] = pd;
}

static void check_hook(sdf_system_t *sys, trace_hook_t *h)
{
    h->ring = -1;
    for (int i = 0; i < n_rings; i++)
        if (!strcmp(rings[i].name, h->ring_name))
            h->ring = i;
    if (h->ring < 0)
        fail_at(h->ring_loc, "trace hook '%s' names trace ring '%s', which does not exist", h->name, h->ring_name);
    const trace_ring_t *r = &rings[h->ring];
    switch (h->kind) {
    case SPEC_TRACE_ENDPOINT:
    case SPEC_TRACE_NOTIFICATION: {
        int p = sdf_pd_named(sys, h->target);
        if (p < 0)
            fail_at(h->target_loc, "trace hook '%s' names protection domain '%s', which does not exist", h->name,
                    h->target);
        if (h->kind == SPEC_TRACE_ENDPOINT && !sys->pds[p].has_endpoint)
            fail_at(h->target_loc,
                    "trace hook '%s': '%s' has no endpoint (nothing calls it and it has no children); hook its "
                    "notification instead",
                    h->name, h->target);
        add_target_pd(h, p);
        break;
    }
    case SPEC_TRACE_THREAD: {
        if (!strcmp(h->target, "*")) {
            /* every PD; but the consumer's own scheduling would be caused
             * by its draining, a loop that feeds itself: it is left out */
            for (int p = 0; p < sys->n_pds; p++)
                if (p != r->pd || !(h->events & EV(TRACE_SCHED)))
                    add_target_pd(h, p);
            break;
        }
        char *list = strdup(h->target), *save = NULL;
        for (char *w = strtok_r(list, " \t\n,", &save); w; w = strtok_r(NULL, " \t\n,", &save)) {
            int p = sdf_pd_named(sys, w);
            if (p < 0)
                fail_at(h->target_loc, "trace hook '%s' names protection domain '%s', which does not exist", h->name,
                        w);
            for (int k = 0; k < h->n_pds; k++)
                if (h->pds[k] == p)
                    fail_at(h->target_loc, "trace hook '%s' names '%s' twice", h->name, w);
            add_target_pd(h, p);
        }
        free(list);
        if (!h->n_pds)
            fail_at(h->target_loc, "trace hook '%s' names no protection domain in thread=\"\"", h->name);
        break;
    }
    case SPEC_TRACE_IRQ: {
        int owner = -1;
        for (int p = 0; p < sys->n_pds; p++)
            for (int k = 0; k < sys->pds[p].n_irqs; k++)
                if (sys->pds[p].irqs[k].irq == h->irq)
                    owner = p;
        if (owner < 0)
            fail_at(h->target_loc, "trace hook '%s' names IRQ %llu, which no protection domain claims", h->name,
                    (unsigned long long)h->irq);
        add_target_pd(h, owner);
        break;
    }
    default:
        add_target_pd(h, -1);
    }
    /* one hook per kernel object: a second Hook would replace the first */
    for (trace_hook_t *o = hooks; o < h; o++) {
        if (o->kind != h->kind || (h->kind == SPEC_TRACE_IRQ && o->irq != h->irq))
            continue;
        for (int a = 0; a < o->n_pds; a++)
            for (int b = 0; b < h->n_pds; b++)
                if (o->pds[a] == h->pds[b])
                    fail_at(h->target_loc, "trace hook '%s' observes the %s of %s, which trace hook '%s' already does",
                            h->name, h->kind == SPEC_TRACE_SYSTEM ? "events" : kind_attr[h->kind],
                            h->pds[b] < 0 ? "the system" : sys->pds[h->pds[b]].name, o->name);
    }
    if (h->mr_name) {
        h->mr = sdf_mr_named(sys, h->mr_name);
        if (h->mr < 0)
            fail_at(h->mr_loc, "trace hook '%s' names memory region '%s', which does not exist", h->name, h->mr_name);
        const sdf_map_t *m = sdf_map_of(sys, r->pd, h->mr);
        if (!m || !(m->perms & PERM_W))
            fail_at(h->mr_loc, "'%s' runs the programs of trace hook '%s' but does not map its region '%s' read-write",
                    sys->pds[r->pd].name, h->name, h->mr_name);
        if (sys->mrs[h->mr].size < MIN_HOOK_REGION)
            fail_at(h->mr_loc, "memory region '%s' of trace hook '%s' is too small: at least 0x%llx bytes", h->mr_name,
                    h->name, (unsigned long long)MIN_HOOK_REGION);
        for (int p = 0; p < sys->n_pds; p++) {
            const sdf_map_t *o = sdf_map_of(sys, p, h->mr);
            if (p != r->pd && o && (o->perms & PERM_W))
                fail_at(o->loc, "'%s' maps the region '%s' of trace hook '%s' writable: other PDs may only read it",
                        sys->pds[p].name, h->mr_name, h->name);
        }
        for (trace_hook_t *o = hooks; o < h; o++)
            if (o->mr == h->mr)
                fail_at(h->mr_loc, "memory region '%s' is already the region of trace hook '%s'", h->mr_name, o->name);
        for (int i = 0; i < n_rings; i++)
            if (rings[i].mr == h->mr)
                fail_at(h->mr_loc, "memory region '%s' is trace ring '%s'", h->mr_name, rings[i].name);
    }
}

/* What PD p finds in its hypos_trace_config. */
void trace_pd_config(const sdf_system_t *sys, int p, struct bpftrace_config *c)
{
    memset(c, 0, sizeof *c);
    c->magic = BPFTRACE_CONFIG_MAGIC;
    int local_ring[BPFTRACE_MAX_RINGS];
    for (int i = 0; i < n_rings; i++) {
        local_ring[i] = -1;
        if (rings[i].pd != p)
            continue;
        const sdf_map_t *m = sdf_map_of(sys, p, rings[i].mr);
        struct bpftrace_config_ring *cr = &c->rings[c->n_rings];
        cr->vaddr = m->vaddr;
        cr->size = sys->mrs[rings[i].mr].size;
        cr->ring = (uint32_t)rings[i].index;
        cr->channel = (uint32_t)rings[i].id;
        local_ring[i] = (int)c->n_rings++;
    }
    for (int i = 0; i < n_hooks; i++) {
        const trace_hook_t *h = &hooks[i];
        struct bpftrace_config_hook *ch = &c->hooks[c->n_hooks++];
        snprintf(ch->name, sizeof ch->name, "%s", h->name);
        const sdf_map_t *m = h->mr >= 0 ? sdf_map_of(sys, p, h->mr) : NULL;
        if (m) {
            ch->region = m->vaddr;
            ch->region_size = sys->mrs[h->mr].size;
        }
        ch->events = h->events;
        ch->consumer = local_ring[h->ring] >= 0;
        ch->ring = ch->consumer ? (uint32_t)local_ring[h->ring] : (uint32_t)rings[h->ring].index;
        ch->n_objects = (uint32_t)h->n_pds;
    }
    c->n_pds = (uint32_t)sys->n_pds;
    for (int i = 0; i < sys->n_pds && i < BPFTRACE_MAX_PDS; i++)
        snprintf(c->pd_names[i], BPFTRACE_PD_NAME_LEN, "%s", sys->pds[i].name);
}

/* hypos_trace_config of PD p, when its program defines one */
static void write_config(sdf_system_t *sys, int p)
{
    sdf_pd_t *pd = &sys->pds[p];
    uint64_t a, sz;
    if (!elf_symbol(pd->elf, "hypos_trace_config", &a, &sz))
        return;
    static struct bpftrace_config c;
    if (sz && sz < sizeof c)
        fail_at(pd->program_loc,
                "'hypos_trace_config' in '%s' is %llu bytes, not %zu: built against another hypos/bpftrace.h?",
                pd->program_path, (unsigned long long)sz, sizeof c);
    trace_pd_config(sys, p, &c);
    if (!elf_patch(pd->elf, a, &c, sizeof c))
        fail_at(pd->program_loc, "'hypos_trace_config' in '%s' is not in initialised data (give it an initial value)",
                pd->program_path);
}

/* Trace programs run as native code by default: a consumer whose program
 * has the bpf PD's JIT variables (bpf_trace_jit_rw, _rx, _size) and is not
 * given a JIT region by the file gets one, 16 KiB per hook with a region,
 * mapped writable and, at another address, executable (never both); with
 * bpf_trace_jit_frames too, the writable view is a hypos:jit_write one,
 * mapped only while the PD compiles. */
#define JIT_BYTES_PER_HOOK 0x4000ull
#define JIT_FIRST_VADDR 0x3e00000000ull

static bool range_free(const sdf_system_t *sys, const sdf_pd_t *pd, uint64_t va, uint64_t size)
{
    if (va < 0x1000 || va + size > PD_STACK_TOP - pd->stack_size)
        return false;
    for (int k = 0; k < pd->n_maps; k++) {
        uint64_t lo = pd->maps[k].vaddr, n = sys->mrs[pd->maps[k].mr].size;
        if (va < lo + n && lo < va + size)
            return false;
    }
    for (int s = 0; s < pd->elf->n_segs; s++) {
        uint64_t lo = pd->elf->segs[s].vaddr & ~0xfffull, hi = pd->elf->segs[s].vaddr + pd->elf->segs[s].memsz;
        if (va < hi && lo < va + size)
            return false;
    }
    return true;
}

static uint64_t free_vaddr(const sdf_system_t *sys, const sdf_pd_t *pd, uint64_t size, loc_t where)
{
    for (uint64_t va = JIT_FIRST_VADDR; va >= 0x40000000ull; va -= 0x40000000ull)
        if (range_free(sys, pd, va, size))
            return va;
    fail_at(where, "no room in the address space of '%s' for its trace programs' native code", pd->name);
}

static void add_default_jit(sdf_system_t *sys, int p, loc_t where)
{
    sdf_pd_t *pd = &sys->pds[p];
    uint64_t a, sz;
    if (!elf_symbol(pd->elf, "bpf_trace_jit_rw", &a, &sz) || !elf_symbol(pd->elf, "bpf_trace_jit_rx", &a, &sz) ||
        !elf_symbol(pd->elf, "bpf_trace_jit_size", &a, &sz))
        return;
    for (int k = 0; k < pd->n_maps; k++)
        if (pd->maps[k].setvar_vaddr && (!strcmp(pd->maps[k].setvar_vaddr, "bpf_trace_jit_rw") ||
                                         !strcmp(pd->maps[k].setvar_vaddr, "bpf_trace_jit_rx")))
            return; /* the file gives it one */
    int programs = 0;
    for (int i = 0; i < n_hooks; i++)
        programs += hooks[i].mr >= 0 && rings[hooks[i].ring].pd == p;
    if (!programs)
        return;
    uint64_t size = JIT_BYTES_PER_HOOK * (uint64_t)programs;
    sdf_mr_t *mr = GROW(sys->mrs, sys->n_mrs);
    char name[96];
    snprintf(name, sizeof name, "hypos_trace_jit_%s", pd->name);
    mr->name = strdup(name);
    mr->size = size;
    mr->page_size = 0x1000;
    mr->loc = mr->size_loc = mr->page_size_loc = mr->paddr_loc = where;
    for (int k = 0; k < 2; k++) {
        uint64_t va = free_vaddr(sys, pd, size, where);
        sdf_map_t *m = GROW(pd->maps, pd->n_maps);
        m->mr_name = strdup(name);
        m->mr = sys->n_mrs - 1;
        m->vaddr = va;
        m->perms = k == 0 ? (PERM_R | PERM_W) : (PERM_R | PERM_X);
        m->cached = true;
        m->setvar_vaddr = strdup(k == 0 ? "bpf_trace_jit_rw" : "bpf_trace_jit_rx");
        m->setvar_size = k == 0 ? strdup("bpf_trace_jit_size") : NULL;
        /* the writable view only while a program is compiled, when the
         * bpf PD knows how (hypos:jit_write, microkit_abi.h) */
        if (k == 0 && elf_symbol(pd->elf, "bpf_trace_jit_frames", &a, &sz)) {
            m->jit_write = strdup("bpf_trace_jit_frames");
            m->jit_write_loc = where;
        }
        m->loc = m->vaddr_loc = m->setvar_loc = m->setvar_size_loc = where;
    }
}

void trace_check(sdf_system_t *sys)
{
    for (int i = 0; i < n_rings; i++) {
        rings[i].index = i;
        check_ring(sys, &rings[i]);
    }
    int kernel_hooks = 0;
    for (int i = 0; i < n_hooks; i++) {
        check_hook(sys, &hooks[i]);
        kernel_hooks += hooks[i].n_pds;
        if (kernel_hooks > BPFTRACE_MAX_HOOKS)
            fail_at(hooks[i].loc, "the trace hooks need %d kernel hooks: the kernel has %d", kernel_hooks,
                    BPFTRACE_MAX_HOOKS);
    }
    if (!n_rings && !n_hooks)
        return;
    for (int i = 0; i < n_rings; i++) /* once per consumer: a second call finds the maps */
        add_default_jit(sys, rings[i].pd, rings[i].loc);
    for (int p = 0; p < sys->n_pds; p++)
        write_config(sys, p);
}

void trace_layout(const sdf_system_t *sys, spec_builder_t *b, const trace_pd_objects_t *pds, const uint32_t *mr_first,
                  FILE *report)
{
    for (int i = 0; i < n_rings; i++) {
        trace_ring_t *r = &rings[i];
        out_rings = realloc(out_rings, sizeof *out_rings * (n_out_rings + 1));
        spec_trace_ring_t *s = &out_rings[n_out_rings++];
        memset(s, 0, sizeof *s);
        s->ring = (uint32_t)r->index;
        s->frame = mr_first[r->mr];
        s->notification = pds[r->pd].notification;
        s->badged = b->n_extra++;
        s->badge = 1ull << r->id;
        s->threshold = r->threshold;
        if (report)
            fprintf(report,
                    "trace ring %d '%s': region %s (%u records), consumed by %s, notified on channel %d after %u "
                    "unread\n",
                    r->index, r->name, sys->mrs[r->mr].name, r->capacity, sys->pds[r->pd].name, r->id, r->threshold);
    }
    for (int i = 0; i < n_hooks; i++) {
        trace_hook_t *h = &hooks[i];
        if (report) {
            fprintf(report, "trace hook %d '%s' -> ring '%s', events", i, h->name, rings[h->ring].name);
            for (uint32_t t = 1; t < TRACE_NTYPES; t++)
                if ((h->events >> t) & 1)
                    fprintf(report, " %s", bpftrace_type_name(t));
            if (h->mr >= 0)
                fprintf(report, ", programs and maps in region %s", sys->mrs[h->mr].name);
            fprintf(report, "\n");
        }
        for (int k = 0; k < h->n_pds; k++) {
            int p = h->pds[k];
            out_hooks = realloc(out_hooks, sizeof *out_hooks * (n_out_hooks + 1));
            spec_trace_hook_t *s = &out_hooks[n_out_hooks++];
            memset(s, 0, sizeof *s);
            s->kind = (uint32_t)h->kind;
            s->ring = (uint32_t)rings[h->ring].index;
            s->events = h->events;
            s->cookie = TRACE_COOKIE(i, p + 1);
            switch (h->kind) {
            case SPEC_TRACE_ENDPOINT:
                s->object = pds[p].endpoint;
                break;
            case SPEC_TRACE_NOTIFICATION:
                s->object = pds[p].notification;
                break;
            case SPEC_TRACE_THREAD:
                s->object = pds[p].tcb;
                break;
            case SPEC_TRACE_IRQ:
                s->object = SPEC_NONE;
                for (uint32_t q = 0; q < b->n_irqs; q++)
                    if (b->irqs[q].irq == h->irq)
                        s->object = b->irqs[q].handler;
                if (s->object == SPEC_NONE)
                    fail("internal: IRQ %llu of trace hook '%s' was not laid out", (unsigned long long)h->irq, h->name);
                break;
            default:
                s->object = SPEC_NONE;
            }
            if (report)
                fprintf(report, "  kernel hook on the %s of %s, cookie 0x%x\n",
                        h->kind == SPEC_TRACE_SYSTEM ? "system events" : kind_attr[h->kind],
                        p < 0 ? "the system" : sys->pds[p].name, s->cookie);
        }
    }
}

uint64_t trace_tables_size(uint32_t *nr, uint32_t *nh)
{
    *nr = n_out_rings;
    *nh = n_out_hooks;
    return sizeof(spec_trace_ring_t) * n_out_rings + sizeof(spec_trace_hook_t) * n_out_hooks;
}

void trace_tables_write(uint8_t *rings_out, uint8_t *hooks_out, const uint32_t *newidx)
{
    for (uint32_t i = 0; i < n_out_rings; i++) {
        spec_trace_ring_t r = out_rings[i];
        r.frame = newidx[r.frame];
        r.notification = newidx[r.notification];
        memcpy(rings_out + i * sizeof r, &r, sizeof r);
    }
    for (uint32_t i = 0; i < n_out_hooks; i++) {
        spec_trace_hook_t h = out_hooks[i];
        /* IRQ handlers are extra slots, the system hook names no object */
        if (h.kind != SPEC_TRACE_IRQ && h.kind != SPEC_TRACE_SYSTEM)
            h.object = newidx[h.object];
        memcpy(hooks_out + i * sizeof h, &h, sizeof h);
    }
}
