/* From a checked system to a specification: every PD becomes a TCB, a
 * CNode of 2^PD_CNODE_BITS slots, a VSpace with its page tables, a
 * notification, an endpoint when it is called or has children, frames for
 * its program, stack and IPC buffer; memory regions become frames shared
 * by every PD that maps them; channels, IRQs and children become badged
 * capabilities at the slots of the PD ABI. The monitor is laid out like a
 * PD at the highest priority. Objects are finally ordered so the
 * initialiser can carve them from untypeds without waste: fixed-address
 * objects by address first, then the rest from largest to smallest. */
#include "layout.h"
#include "measure.h"
#include "elf.h"
#include "trace.h"
#include "hypos/microkit_abi.h"
#include <sel4/constants.h>
#include <sel4/objecttype.h>
#include <sel4/types.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RIGHTS_ALL 0xfull
#define RIGHTS_RW 0x3ull
#define RIGHTS_R 0x2ull
#define WINDOW_VADDR 0x3000000000ull
#define RAM_BASE 0x80000000ull
#define RAM_SIZE (2ull << 30)

/* The tool is built against the non-MCS headers, whose architecture
 * object numbers are 2 lower than the MCS kernel's (seL4 numbers the
 * scheduling context 5 and the reply object 6 there, before them).
 * Objects are recorded with the non-MCS numbers and these two codes of
 * the tool's own; spec_serialise writes the numbers of the SDK's kernel. */
#define OBJ_SCHED_CONTEXT 0x100u
#define OBJ_REPLY 0x101u
#define MCS_SCHED_CONTEXT 5u
#define MCS_REPLY 6u
#define MCS_ARCH_SHIFT 2u
/* An MCS notification also names the SC bound to it: 2^6 bytes, not 2^5. */
#define MCS_NOTIFICATION_BITS 6u
/* The smallest SC: room for the two refills every SC has (extra refills 0). */
#define SC_BITS 7u
#define REPLY_BITS 5u
/* The monitor's own scheduling context: Microkit's defaults. */
#define MONITOR_BUDGET_US 1000u

#define PUSH(arr, n) \
    ((arr) = realloc((arr), sizeof *(arr) * ((size_t)(n) + 1)), memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

static spec_builder_t *B;
static FILE *R;

static uint32_t add_name(const char *s)
{
    uint32_t at = B->names_len;
    size_t n = strlen(s) + 1;
    B->names = realloc(B->names, B->names_len + n);
    memcpy(B->names + at, s, n);
    B->names_len += (uint32_t)n;
    return at;
}

uint64_t spec_object_bytes(uint32_t type, uint32_t bits)
{
    switch (type) {
    case seL4_TCBObject:
        return 1ull << seL4_TCBBits;
    case seL4_EndpointObject:
        return 1ull << seL4_EndpointBits;
    case seL4_NotificationObject:
        return 1ull << (sdf_mcs ? MCS_NOTIFICATION_BITS : seL4_NotificationBits);
    case seL4_CapTableObject:
        return 1ull << (bits + seL4_SlotBits);
    case seL4_RISCV_4K_Page:
        return 1ull << 12;
    case seL4_RISCV_Mega_Page:
        return 1ull << 21;
    case seL4_RISCV_PageTableObject:
        return 1ull << 12;
    default: /* CNodes, SCs, reply objects: size_bits is their size */
        return 1ull << bits;
    }
}

const char *spec_object_kind(uint32_t type)
{
    switch (type) {
    case seL4_TCBObject:
        return "TCB";
    case seL4_EndpointObject:
        return "endpoint";
    case seL4_NotificationObject:
        return "notification";
    case seL4_CapTableObject:
        return "CNode";
    case seL4_RISCV_4K_Page:
        return "4 KiB frame";
    case seL4_RISCV_Mega_Page:
        return "2 MiB frame";
    case seL4_RISCV_PageTableObject:
        return "page table";
    case OBJ_SCHED_CONTEXT:
        return "scheduling context";
    case OBJ_REPLY:
        return "reply object";
    default:
        return "object";
    }
}

/* What the objects added now belong to (set_origin). */
static obj_origin_t origin;

static void set_origin(loc_t loc, int mr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_origin(loc_t loc, int mr, const char *fmt, ...)
{
    char buf[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *what = strdup(buf);
    B->origin_texts = realloc(B->origin_texts, sizeof *B->origin_texts * ((size_t)B->n_origin_texts + 1));
    B->origin_texts[B->n_origin_texts++] = what;
    origin = (obj_origin_t){loc, what, mr};
}

static uint32_t add_object(uint32_t type, uint32_t bits, uint32_t flags, const char *name)
{
    B->origins = realloc(B->origins, sizeof *B->origins * ((size_t)B->n_objs + 1));
    B->origins[B->n_objs] = origin;
    spec_object_t *o = PUSH(B->objs, B->n_objs);
    o->type = type;
    o->size_bits = bits;
    o->flags = flags;
    o->name = name ? add_name(name) : 0;
    if (!(flags & SPEC_OBJ_DEVICE))
        B->ram_bytes += spec_object_bytes(type, bits);
    return B->n_objs - 1;
}

static void add_cap(uint32_t cnode, uint32_t slot, uint32_t source, uint32_t kind, uint64_t rights, uint64_t badge)
{
    spec_cap_t *c = PUSH(B->caps, B->n_caps);
    c->cnode = cnode;
    c->slot = slot;
    c->source = source;
    c->kind = kind;
    c->rights = rights;
    c->badge = badge;
}

static void add_fill(uint32_t frame, uint32_t offset, const void *bytes, uint32_t size)
{
    spec_fill_t *f = PUSH(B->fills, B->n_fills);
    f->object = frame;
    f->offset = offset;
    f->data = (uint32_t)B->data_len;
    f->size = size;
    B->data = realloc(B->data, B->data_len + size);
    memcpy(B->data + B->data_len, bytes, size);
    B->data_len += size;
    if (B->data_len > 0xffffffffull)
        fail("the system's initial data exceeds 4 GiB");
}

/* One boot measurement (spec.h): what the initialiser hashes, in log order. */
static void add_measure(uint32_t kind, uint32_t index, const char *name, const char *what, uint64_t data, uint64_t size)
{
    spec_measure_t *m = PUSH(B->measures, B->n_measures);
    *m = (spec_measure_t){
        .kind = kind, .index = index, .name = add_name(name), .what = add_name(what), .data = data, .size = size};
}

/* Page tables of one VSpace, by level (1: covers 1 GiB, 0: covers 2 MiB). */
typedef struct vspace {
    uint32_t root;
    uint64_t *keys;
    int n_keys;
    const char *owner;
} vspace_t;

static void need_pt(vspace_t *vs, uint64_t vaddr, int level)
{
    uint64_t key = level == 1 ? (vaddr >> 30) << 1 | 1 : (vaddr >> 21) << 1;
    for (int i = 0; i < vs->n_keys; i++)
        if (vs->keys[i] == key)
            return;
    vs->keys = realloc(vs->keys, sizeof *vs->keys * (size_t)(vs->n_keys + 1));
    vs->keys[vs->n_keys++] = key;
}

/* Frames mapped so far: the first mapping uses the object's cap, later
 * ones a copy in an extra slot (a frame cap maps into one place). */
static uint32_t *map_count;
static uint32_t map_count_len;

static void map_frame(vspace_t *vs, uint32_t frame, uint64_t vaddr, int perms, bool large)
{
    if (frame >= map_count_len) {
        map_count = realloc(map_count, sizeof *map_count * (frame + 1024));
        memset(map_count + map_count_len, 0, sizeof *map_count * (frame + 1024 - map_count_len));
        map_count_len = frame + 1024;
    }
    spec_map_t *m = PUSH(B->maps, B->n_maps);
    m->object = frame;
    m->vspace = vs->root;
    m->kind = SPEC_MAP_FRAME;
    m->extra = map_count[frame]++ ? B->n_extra++ : SPEC_NONE;
    m->vaddr = vaddr;
    m->rights = (perms & PERM_W) ? RIGHTS_RW : RIGHTS_R;
    m->attrs = (perms & PERM_X) ? 0 : 1 /* seL4_RISCV_ExecuteNever */;
    need_pt(vs, vaddr, 1);
    if (!large)
        need_pt(vs, vaddr, 0);
}

static void finish_vspace(vspace_t *vs)
{
    /* level-1 tables first: a level-0 table hangs off one */
    for (int pass = 1; pass >= 0; pass--)
        for (int i = 0; i < vs->n_keys; i++) {
            if ((int)(vs->keys[i] & 1) != pass)
                continue;
            uint64_t vaddr = pass ? (vs->keys[i] >> 1) << 30 : (vs->keys[i] >> 1) << 21;
            uint32_t pt = add_object(seL4_RISCV_PageTableObject, 12, 0, NULL);
            spec_map_t *m = PUSH(B->maps, B->n_maps);
            m->object = pt;
            m->vspace = vs->root;
            m->kind = SPEC_MAP_PAGE_TABLE;
            m->extra = SPEC_NONE;
            m->vaddr = vaddr;
        }
}

#define LATE_PLACEHOLDER 0x5e7a5e7a5e7a5e7aull

typedef struct pd_objs pd_objs_t;
static void add_late_patch(pd_objs_t *p, const sdf_pd_t *pd, const char *sym, uint32_t first_frame);

typedef struct pd_objs {
    uint32_t tcb, cnode, vspace, notification, endpoint, ipc, sc, reply;
    vspace_t vs;
    uint64_t entry;
    /* writable program pages (with the fills that give their initial
     * contents) and stack pages: what a restart reloads */
    uint32_t *wframe, *wfill_first, *wfill_end;
    int n_wframes;
    uint32_t *stack;
    int n_stack;
} pd_objs_t;

/* Finds where a patched variable's 8 bytes are in the data area (the fill
 * of its page) and records them for layout_late_patches. */
static void add_late_patch(pd_objs_t *p, const sdf_pd_t *pd, const char *sym, uint32_t first_frame)
{
    uint64_t va, size;
    if (!elf_symbol(pd->elf, sym, &va, &size))
        fail("setvar symbol '%s' of '%s' vanished", sym, pd->name);
    if ((va & 0xfff) > 0x1000 - 8)
        fail("setvar symbol '%s' of '%s' spans two pages: align it to 8 bytes", sym, pd->name);
    uint32_t frame = SPEC_NONE;
    for (uint32_t m = 0; m < B->n_maps && frame == SPEC_NONE; m++)
        if (B->maps[m].vspace == p->vspace && B->maps[m].kind == SPEC_MAP_FRAME && B->maps[m].vaddr == (va & ~0xfffull))
            frame = B->maps[m].object;
    uint32_t in_page = (uint32_t)(va & 0xfff);
    for (uint32_t f = 0; f < B->n_fills; f++) {
        const spec_fill_t *fl = &B->fills[f];
        if (fl->object == frame && in_page >= fl->offset && in_page + 8 <= fl->offset + fl->size) {
            B->late = realloc(B->late, sizeof *B->late * ((size_t)B->n_late + 1));
            B->late[B->n_late++] = (struct late_paddr){fl->data + (in_page - fl->offset), first_frame};
            return;
        }
    }
    fail("setvar symbol '%s' of '%s' has no initial data to patch", sym, pd->name);
}

void layout_late_patches(spec_builder_t *b)
{
    for (int i = 0; i < b->n_late; i++)
        memcpy(b->data + b->late[i].data_off, &b->objs[b->late[i].first_frame].paddr, 8);
}

static void layout_program(pd_objs_t *p, elf_file_t *elf, const char *name)
{
    /* pages of the image with the union of the permissions of the
     * segments that touch them, and the file bytes that fall in them */
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int s = 0; s < elf->n_segs; s++) {
        uint64_t a = elf->segs[s].vaddr & ~0xfffull, b = (elf->segs[s].vaddr + elf->segs[s].memsz + 0xfff) & ~0xfffull;
        lo = a < lo ? a : lo;
        hi = b > hi ? b : hi;
    }
    for (uint64_t va = lo; va < hi; va += 0x1000) {
        int perms = 0;
        uint32_t frame = SPEC_NONE, fill_first = B->n_fills;
        for (int s = 0; s < elf->n_segs; s++) {
            elf_segment_t *sg = &elf->segs[s];
            if (va + 0x1000 <= sg->vaddr || va >= sg->vaddr + sg->memsz)
                continue;
            if (frame == SPEC_NONE)
                frame = add_object(seL4_RISCV_4K_Page, 12, 0, NULL);
            perms |= sg->perms;
            uint64_t from = sg->vaddr > va ? sg->vaddr : va;
            uint64_t to = sg->vaddr + sg->filesz < va + 0x1000 ? sg->vaddr + sg->filesz : va + 0x1000;
            if (from < to) {
                /* leave out all-zero runs: frames start zeroed */
                const uint8_t *src = sg->data + (from - sg->vaddr);
                uint64_t n = to - from, first = 0, last = n;
                while (first < n && !src[first])
                    first++;
                while (last > first && !src[last - 1])
                    last--;
                if (first < last)
                    add_fill(frame, (uint32_t)(from + first - va), src + first, (uint32_t)(last - first));
            }
        }
        if (frame != SPEC_NONE)
            map_frame(&p->vs, frame, va, perms, false);
        if (frame != SPEC_NONE && (perms & PERM_W)) {
            int k = p->n_wframes++;
            p->wframe = realloc(p->wframe, sizeof *p->wframe * (size_t)p->n_wframes);
            p->wfill_first = realloc(p->wfill_first, sizeof *p->wfill_first * (size_t)p->n_wframes);
            p->wfill_end = realloc(p->wfill_end, sizeof *p->wfill_end * (size_t)p->n_wframes);
            p->wframe[k] = frame;
            p->wfill_first[k] = fill_first;
            p->wfill_end[k] = B->n_fills;
        }
    }
    if (R)
        fprintf(R, "  program %s: 0x%llx-0x%llx, entry 0x%llx\n", name, (unsigned long long)lo, (unsigned long long)hi,
                (unsigned long long)elf->entry);
}

static void layout_thread(pd_objs_t *p, const char *name, elf_file_t *elf, uint64_t stack_size, int priority,
                          bool endpoint, uint64_t budget_us, uint64_t period_us, bool passive)
{
    char buf[96];
    snprintf(buf, sizeof buf, "%s", name);
    p->tcb = add_object(seL4_TCBObject, seL4_TCBBits, 0, buf);
    p->cnode = add_object(seL4_CapTableObject, PD_CNODE_BITS, 0, NULL);
    p->vspace = add_object(seL4_RISCV_PageTableObject, 12, SPEC_OBJ_VSPACE, NULL);
    p->notification = add_object(seL4_NotificationObject, seL4_NotificationBits, 0, NULL);
    p->endpoint = endpoint ? add_object(seL4_EndpointObject, seL4_EndpointBits, 0, NULL) : SPEC_NONE;
    p->ipc = add_object(seL4_RISCV_4K_Page, 12, 0, NULL);
    /* MCS: the thread's scheduling context, and the reply object its
     * receives name (slot PD_REPLY_CAP, as in Microkit) */
    p->sc = sdf_mcs ? add_object(OBJ_SCHED_CONTEXT, SC_BITS, 0, NULL) : SPEC_NONE;
    p->reply = sdf_mcs ? add_object(OBJ_REPLY, REPLY_BITS, 0, NULL) : SPEC_NONE;
    if (sdf_mcs)
        add_cap(p->cnode, PD_REPLY_CAP, p->reply, SPEC_CAP_OBJECT, RIGHTS_ALL, 0);
    p->vs = (vspace_t){.root = p->vspace, .owner = name};
    p->entry = elf->entry;
    uint64_t data_before = B->data_len;
    layout_program(p, elf, name);
    if (B->n_bootlog_frames) {
        /* the program's fills are contiguous in the data area: its bytes as packed */
        add_measure(SPEC_MEASURE_PD, B->n_tcbs, name, "program image as packed", data_before,
                    B->data_len - data_before);
    }
    for (uint64_t va = PD_STACK_TOP - stack_size; va < PD_STACK_TOP; va += 0x1000) {
        uint32_t f = add_object(seL4_RISCV_4K_Page, 12, 0, NULL);
        map_frame(&p->vs, f, va, PERM_R | PERM_W, false);
        p->stack = realloc(p->stack, sizeof *p->stack * (size_t)(p->n_stack + 1));
        p->stack[p->n_stack++] = f;
    }
    map_frame(&p->vs, p->ipc, PD_IPC_BUFFER, PERM_R | PERM_W, false);
    add_cap(p->cnode, PD_INPUT_CAP, endpoint ? p->endpoint : p->notification, SPEC_CAP_OBJECT, RIGHTS_ALL, 0);
    spec_tcb_t *t = PUSH(B->tcbs, B->n_tcbs);
    t->tcb = p->tcb;
    t->cnode = p->cnode;
    t->vspace = p->vspace;
    t->ipc_frame = p->ipc;
    t->bound_notification = endpoint ? p->notification : SPEC_NONE;
    t->cnode_bits = PD_CNODE_BITS;
    t->priority = t->mcp = (uint32_t)priority;
    t->fault_ep = PD_FAULT_EP_CAP;
    t->ipc_vaddr = PD_IPC_BUFFER;
    t->pc = elf->entry;
    t->sp = PD_STACK_TOP;
    t->name = add_name(name);
    t->sc = p->sc;
    t->budget_us = budget_us;
    t->period_us = period_us;
    if (!R)
        return;
    if (sdf_mcs)
        fprintf(R, "  tcb: priority %d, budget %llu us, period %llu us%s", priority, (unsigned long long)budget_us,
                (unsigned long long)period_us, passive ? ", passive after init" : "");
    else
        fprintf(R, "  tcb: priority %d (no budget: the kernel is not MCS)", priority);
    fprintf(R, ", entry 0x%llx, sp 0x%llx, IPC buffer 0x%llx, stack 0x%llx bytes\n", (unsigned long long)elf->entry,
            (unsigned long long)PD_STACK_TOP, (unsigned long long)PD_IPC_BUFFER, (unsigned long long)stack_size);
}

static void patch(elf_file_t *elf, const char *sym, const void *bytes, uint64_t n, bool required, const char *pd)
{
    uint64_t a, sz;
    if (!elf_symbol(elf, sym, &a, &sz)) {
        if (required)
            fail("program image '%s' of '%s' does not define '%s'", elf->path, pd, sym);
        return;
    }
    if (sz && sz < n)
        fail("symbol '%s' in '%s' is %llu bytes, too small for %llu", sym, elf->path, (unsigned long long)sz,
             (unsigned long long)n);
    if (!elf_patch(elf, a, bytes, n))
        fail("symbol '%s' in '%s' is not in initialised data (define it with an initial value)", sym, elf->path);
}

static void patch_u64(elf_file_t *elf, const char *sym, uint64_t v, bool required, const char *pd)
{
    patch(elf, sym, &v, sizeof v, required, pd);
}

static const char *cap_text(uint32_t slot)
{
    static char buf[64];
    if (slot == PD_INPUT_CAP)
        return "input";
    if (slot == PD_FAULT_EP_CAP)
        return "fault endpoint";
    if (slot == PD_REPLY_CAP)
        return "reply object";
    if (slot == PD_MONITOR_EP_CAP)
        return "monitor endpoint (passive PD)";
    if (slot == PD_VSPACE_CAP)
        return "its own VSpace (JIT writable views)";
    if (slot >= PD_FRAME_CAP_BASE && slot < PD_FRAME_CAP_BASE + PD_MAX_FRAME_CAPS) {
        snprintf(buf, sizeof buf, "frame %u of the JIT writable views", slot - PD_FRAME_CAP_BASE);
        return buf;
    }
    if (slot >= PD_CHILD_TCB_BASE) {
        snprintf(buf, sizeof buf, "child %u TCB", slot - PD_CHILD_TCB_BASE);
        return buf;
    }
    if (slot >= PD_IRQ_BASE) {
        snprintf(buf, sizeof buf, "IRQ handler, channel %u", slot - PD_IRQ_BASE);
        return buf;
    }
    if (slot >= PD_PPC_BASE) {
        snprintf(buf, sizeof buf, "PPC endpoint, channel %u", slot - PD_PPC_BASE);
        return buf;
    }
    if (slot >= PD_NOTIFICATION_BASE) {
        snprintf(buf, sizeof buf, "notification, channel %u", slot - PD_NOTIFICATION_BASE);
        return buf;
    }
    return "";
}

static const char *monitor_cap_text(uint32_t slot)
{
    if (slot == MONITOR_SELF_CNODE)
        return "the monitor's own CNode";
    if (slot >= MONITOR_CNODE_BASE)
        return "CNode of a passive PD";
    if (slot >= MONITOR_NOTIFICATION_BASE)
        return "notification of a PD";
    if (slot >= MONITOR_SC_BASE)
        return "scheduling context of a PD";
    return "TCB of a PD";
}

void layout_system(sdf_system_t *sys, const char *monitor_path, spec_builder_t *b, FILE *report)
{
    memset(b, 0, sizeof *b);
    B = b;
    R = report;
    if (map_count)
        memset(map_count, 0, sizeof *map_count * map_count_len);
    add_name("");
    int n = sys->n_pds;
    pd_objs_t *po = calloc((size_t)n + 1, sizeof *po);

    /* the domain schedule, entry i at table index index_shift + i */
    sdf_domains_t *dom = &sys->domains;
    for (int i = 0; dom->present && i < dom->n_entries; i++) {
        spec_domain_entry_t *e = PUSH(b->domain_entries, b->n_domain_entries);
        e->index = (uint32_t)(dom->index_shift + (uint64_t)i);
        e->domain = dom->entries[i].ticks ? (uint32_t)dom->entries[i].domain : 0;
        e->ticks = dom->entries[i].ticks;
        if (R && e->ticks)
            fprintf(R, "domain schedule entry %u: domain %u for %llu ticks\n", e->index, e->domain,
                    (unsigned long long)e->ticks);
        else if (R)
            fprintf(R, "domain schedule entry %u: end marker\n", e->index);
    }
    b->domain_start = dom->index_shift + dom->start_index;

    /* the initialiser's own window for filling frames */
    set_origin((loc_t){0, 0}, -1, "the initialiser's window for filling frames");
    b->window_pts[0] = add_object(seL4_RISCV_PageTableObject, 12, SPEC_OBJ_WINDOW, "window L1");
    b->window_pts[1] = add_object(seL4_RISCV_PageTableObject, 12, SPEC_OBJ_WINDOW, "window L0");

    /* memory regions: frames shared by every mapping */
    uint32_t *mr_first = calloc((size_t)sys->n_mrs + 1, sizeof *mr_first);
    for (int i = 0; i < sys->n_mrs; i++) {
        sdf_mr_t *m = &sys->mrs[i];
        bool large = m->page_size == 0x200000;
        bool device = m->fixed && (m->paddr < RAM_BASE || m->paddr >= RAM_BASE + RAM_SIZE);
        uint64_t pages = m->size / m->page_size;
        set_origin(m->fixed ? m->paddr_loc : m->loc, m->fixed ? -1 : i, "memory region '%s'", m->name);
        mr_first[i] = b->n_objs;
        for (uint64_t k = 0; k < pages; k++) {
            uint32_t f = add_object(large ? seL4_RISCV_Mega_Page : seL4_RISCV_4K_Page, large ? 21 : 12,
                                    m->fixed ? SPEC_OBJ_FIXED | (device ? SPEC_OBJ_DEVICE : 0) : 0, NULL);
            if (m->fixed)
                b->objs[f].paddr = m->paddr + k * m->page_size;
        }
        if (m->prefill) {
            FILE *f = fopen(m->prefill, "rb");
            if (!f)
                fail("cannot read prefill file '%s'", m->prefill);
            uint8_t *page = malloc(m->page_size);
            for (uint64_t k = 0; k < pages; k++) {
                size_t got = fread(page, 1, m->page_size, f);
                if (!got)
                    break;
                add_fill(mr_first[i] + (uint32_t)k, 0, page, (uint32_t)got);
            }
            free(page);
            fclose(f);
        }
    }

    /* boot measurements: kernel and specification first, then each PD as
     * its program is laid out (layout_thread), the monitor last */
    for (int i = 0; i < sys->n_mrs; i++)
        if (i == measure_region(sys)) {
            /* measure_check allows only 4 KiB pages, at most SPEC_BOOTLOG_MAX_FRAMES */
            for (uint64_t k = 0; k < sys->mrs[i].size / sys->mrs[i].page_size && k < SPEC_BOOTLOG_MAX_FRAMES; k++)
                b->bootlog_frames[b->n_bootlog_frames++] = mr_first[i] + (uint32_t)k;
            add_measure(SPEC_MEASURE_KERNEL, 0, "kernel", "kernel copy, no root task", 0, 0);
            add_measure(SPEC_MEASURE_SYSTEM, 0, "system", "spec, programs left out", 0, 0);
            if (R)
                fprintf(R, "boot log region %s: %llu frames, the initialiser writes the boot measurements there\n",
                        sys->mrs[i].name, (unsigned long long)(sys->mrs[i].size / 0x1000));
        }

    /* PDs: patch their variables, then lay out their threads */
    for (int i = 0; i < n; i++) {
        sdf_pd_t *pd = &sys->pds[i];
        char name[PD_NAME_LEN] = {0};
        snprintf(name, sizeof name, "%s", pd->name);
        patch(pd->elf, "microkit_name", name, sizeof name, false, pd->name);
        patch_u64(pd->elf, "microkit_irqs", pd->irq_bits, false, pd->name);
        patch_u64(pd->elf, "microkit_notifications", pd->notification_bits, false, pd->name);
        patch_u64(pd->elf, "microkit_pps", pd->pp_bits, false, pd->name);
        uint8_t passive = pd->passive;
        patch(pd->elf, "microkit_passive", &passive, 1, pd->passive, pd->name);
        for (int k = 0; k < pd->n_maps; k++) {
            if (pd->maps[k].setvar_vaddr)
                patch_u64(pd->elf, pd->maps[k].setvar_vaddr, pd->maps[k].vaddr, true, pd->name);
            if (pd->maps[k].setvar_size)
                patch_u64(pd->elf, pd->maps[k].setvar_size, sys->mrs[pd->maps[k].mr].size, true, pd->name);
            if (pd->maps[k].jit_write) {
                const sdf_mr_t *mr = &sys->mrs[pd->maps[k].mr];
                struct microkit_hypos_frames f = {
                    .vaddr = pd->maps[k].vaddr,
                    .size = mr->size,
                    .first_cap = pd->maps[k].first_frame_cap,
                    .n_frames = mr->size / mr->page_size,
                    .page_bits = mr->page_size == 0x200000 ? 21 : 12,
                };
                patch(pd->elf, pd->maps[k].jit_write, &f, sizeof f, true, pd->name);
            }
        }
        /* a region without phys_addr gets its address when it is placed:
         * until then a value that is not zero, so its bytes are in a fill */
        for (int k = 0; k < pd->n_setvars; k++)
            patch_u64(pd->elf, pd->setvars[k].symbol,
                      sys->mrs[pd->setvars[k].mr].fixed ? sys->mrs[pd->setvars[k].mr].paddr : LATE_PLACEHOLDER, true,
                      pd->name);
        for (int k = 0; k < pd->n_idvars; k++)
            patch_u64(pd->elf, pd->idvars[k].symbol, pd->idvars[k].value, true, pd->name);
        for (int k = 0; R && k < pd->n_idvars; k++)
            fprintf(R, "  set %s to %llu (line %d)\n", pd->idvars[k].symbol, (unsigned long long)pd->idvars[k].value,
                    pd->idvars[k].loc.line);
        if (R)
            fprintf(R, "PD %s (index %d%s)\n", pd->name, i, pd->parent >= 0 ? ", child" : "");
        set_origin(pd->loc, -1, "protection domain '%s'", pd->name);
        layout_thread(&po[i], pd->name, pd->elf, pd->stack_size, pd->priority, pd->has_endpoint, pd->budget_us,
                      pd->period_us, pd->passive);
        B->tcbs[B->n_tcbs - 1].domain = (uint32_t)pd->domain;
        B->tcbs[B->n_tcbs - 1].flags = pd->no_fpu ? seL4_TCBFlag_fpuDisabled : 0;
        if (R && pd->no_fpu)
            fprintf(R,
                    "  fpu disabled (fpu=\"false\"): a floating-point instruction is an illegal instruction fault\n");
        for (int k = 0; k < pd->n_setvars; k++)
            if (!sys->mrs[pd->setvars[k].mr].fixed)
                add_late_patch(&po[i], pd, pd->setvars[k].symbol, mr_first[pd->setvars[k].mr]);
        for (int k = 0; k < pd->n_maps; k++) {
            sdf_map_t *m = &pd->maps[k];
            sdf_mr_t *mr = &sys->mrs[m->mr];
            uint64_t pages = mr->size / mr->page_size;
            if (m->jit_write) {
                /* not mapped: the page tables it needs, read-write caps to
                 * its frames and the PD's VSpace, so the PD maps it only
                 * while it writes code (microkit_abi.h) */
                for (uint64_t j = 0; j < pages; j++) {
                    need_pt(&po[i].vs, m->vaddr + j * mr->page_size, 1);
                    if (mr->page_size != 0x200000)
                        need_pt(&po[i].vs, m->vaddr + j * mr->page_size, 0);
                    add_cap(po[i].cnode, m->first_frame_cap + (uint32_t)j, mr_first[m->mr] + (uint32_t)j,
                            SPEC_CAP_OBJECT, RIGHTS_RW, 0);
                }
                add_cap(po[i].cnode, PD_VSPACE_CAP, po[i].vspace, SPEC_CAP_OBJECT, RIGHTS_ALL, 0);
                if (R)
                    fprintf(R,
                            "  JIT writable view of %s at 0x%llx (rw, 0x%llx bytes): not mapped at boot; frame caps "
                            "at slots %u-%u, VSpace cap at slot %u (%s)\n",
                            mr->name, (unsigned long long)m->vaddr, (unsigned long long)mr->size, m->first_frame_cap,
                            m->first_frame_cap + (uint32_t)pages - 1, PD_VSPACE_CAP, m->jit_write);
                continue;
            }
            for (uint64_t j = 0; j < pages; j++)
                map_frame(&po[i].vs, mr_first[m->mr] + (uint32_t)j, m->vaddr + j * mr->page_size, m->perms,
                          mr->page_size == 0x200000);
            if (R)
                fprintf(R, "  map %s at 0x%llx (%s%s%s, 0x%llx bytes)\n", mr->name, (unsigned long long)m->vaddr,
                        m->perms & PERM_R ? "r" : "", m->perms & PERM_W ? "w" : "", m->perms & PERM_X ? "x" : "",
                        (unsigned long long)mr->size);
        }
        finish_vspace(&po[i].vs);
    }

    /* the monitor: it knows every PD's name and stack, reads their
     * registers, and reloads the PDs that have a restart policy */
    const char *why;
    elf_file_t *mon = elf_load(monitor_path, &why);
    if (!mon)
        fail("monitor program '%s' %s", monitor_path, why);
    static char names[PD_MAX_PDS][PD_NAME_LEN];
    static uint64_t stack_bottom[PD_MAX_PDS], max_restarts[PD_MAX_PDS], entry[PD_MAX_PDS], live[PD_MAX_PDS],
        pristine[PD_MAX_PDS], n_pages[PD_MAX_PDS], stack_base[PD_MAX_PDS], n_stack[PD_MAX_PDS], period_ns[PD_MAX_PDS],
        passive[PD_MAX_PDS];
    bool any_period = false;
    memset(names, 0, sizeof names);
    uint64_t next_live = MONITOR_RELOAD_WINDOW, next_pristine = MONITOR_RELOAD_WINDOW + (1ull << 30),
             next_stack = MONITOR_RELOAD_WINDOW + (2ull << 30);
    for (int i = 0; i < n; i++) {
        snprintf(names[i], PD_NAME_LEN, "%s", sys->pds[i].name);
        stack_bottom[i] = PD_STACK_TOP - sys->pds[i].stack_size;
        entry[i] = po[i].entry;
        max_restarts[i] = (uint64_t)sys->pds[i].max_restarts;
        period_ns[i] = sys->pds[i].restart_period_us * 1000;
        passive[i] = sys->pds[i].passive;
        any_period |= period_ns[i] != 0;
        if (!max_restarts[i])
            continue;
        live[i] = next_live;
        pristine[i] = next_pristine;
        stack_base[i] = next_stack;
        n_pages[i] = (uint64_t)po[i].n_wframes;
        n_stack[i] = (uint64_t)po[i].n_stack;
        next_live += n_pages[i] << 12;
        next_pristine += n_pages[i] << 12;
        next_stack += n_stack[i] << 12;
    }
    patch(mon, "monitor_pd_names", names, sizeof names, true, "monitor");
    patch(mon, "monitor_pd_stack_bottom", stack_bottom, sizeof stack_bottom, true, "monitor");
    patch_u64(mon, "monitor_n_pds", (uint64_t)n, true, "monitor");
    patch(mon, "monitor_max_restarts", max_restarts, sizeof max_restarts, true, "monitor");
    patch(mon, "monitor_pd_entry", entry, sizeof entry, true, "monitor");
    patch(mon, "monitor_reload_live", live, sizeof live, true, "monitor");
    patch(mon, "monitor_reload_pristine", pristine, sizeof pristine, true, "monitor");
    patch(mon, "monitor_reload_pages", n_pages, sizeof n_pages, true, "monitor");
    patch(mon, "monitor_reload_stack", stack_base, sizeof stack_base, true, "monitor");
    patch(mon, "monitor_reload_stack_pages", n_stack, sizeof n_stack, true, "monitor");
    patch(mon, "monitor_restart_period_ns", period_ns, sizeof period_ns, true, "monitor");
    patch_u64(mon, "monitor_rtc", any_period ? MONITOR_RTC_VADDR : 0, true, "monitor");
    patch(mon, "monitor_pd_passive", passive, sizeof passive, true, "monitor");
    if (R)
        fprintf(R, "PD monitor\n");
    pd_objs_t *mo = &po[n];
    set_origin((loc_t){0, 0}, -1, "the monitor");
    layout_thread(mo, "monitor", mon, PD_DEFAULT_STACK, seL4_MaxPrio, true, MONITOR_BUDGET_US, MONITOR_BUDGET_US,
                  false);
    /* MCS kernels copy the fault endpoint into the TCB: the monitor has
     * none; it holds its own CNode (to move passive PDs' reply caps) */
    if (sdf_mcs) {
        B->tcbs[B->n_tcbs - 1].fault_ep = 0;
        add_cap(mo->cnode, MONITOR_SELF_CNODE, mo->cnode, SPEC_CAP_OBJECT, RIGHTS_ALL, 0);
    }
    for (int i = 0; i < n; i++) {
        /* every PD's TCB is readable by the monitor for its fault reports */
        add_cap(mo->cnode, MONITOR_TCB_BASE + (uint32_t)i, po[i].tcb, SPEC_CAP_OBJECT, RIGHTS_ALL, 0);
        if (sdf_mcs) {
            /* the monitor moves a passive PD's SC to its notification after
             * init() (the PD asks through its monitor endpoint) and back to
             * its thread when it restarts the PD */
            add_cap(mo->cnode, MONITOR_SC_BASE + (uint32_t)i, po[i].sc, SPEC_CAP_OBJECT, RIGHTS_ALL, 0);
            add_cap(mo->cnode, MONITOR_NOTIFICATION_BASE + (uint32_t)i, po[i].notification, SPEC_CAP_OBJECT, RIGHTS_ALL,
                    0);
            if (passive[i]) {
                add_cap(po[i].cnode, PD_MONITOR_EP_CAP, mo->endpoint, SPEC_CAP_OBJECT, RIGHTS_ALL, (uint64_t)i + 1);
                /* to answer the caller of the PD when it faults in
                 * protected(), through the PD's reply object */
                add_cap(mo->cnode, MONITOR_CNODE_BASE + (uint32_t)i, po[i].cnode, SPEC_CAP_OBJECT, RIGHTS_ALL, 0);
            }
        }
        if (!max_restarts[i])
            continue;
        /* a restart copies each writable page back from a pristine copy
         * (filled like the original) and clears the stack */
        set_origin(sys->pds[i].loc, -1, "the restart policy of '%s' (the monitor's copy of its data)",
                   sys->pds[i].name);
        for (int k = 0; k < po[i].n_wframes; k++) {
            uint32_t copy = add_object(seL4_RISCV_4K_Page, 12, 0, NULL);
            for (uint32_t f = po[i].wfill_first[k]; f < po[i].wfill_end[k]; f++) {
                spec_fill_t orig = B->fills[f];
                uint8_t *bytes = malloc(orig.size);
                memcpy(bytes, B->data + orig.data, orig.size);
                uint64_t at = B->data_len;
                add_fill(copy, orig.offset, bytes, orig.size);
                free(bytes);
                /* the pristine copy gets the placed address too */
                for (int l = 0, n_late = B->n_late; l < n_late; l++)
                    if (B->late[l].data_off >= orig.data && B->late[l].data_off < (uint64_t)orig.data + orig.size) {
                        B->late = realloc(B->late, sizeof *B->late * ((size_t)B->n_late + 1));
                        B->late[B->n_late++] =
                            (struct late_paddr){at + (B->late[l].data_off - orig.data), B->late[l].first_frame};
                    }
            }
            map_frame(&mo->vs, po[i].wframe[k], live[i] + ((uint64_t)k << 12), PERM_R | PERM_W, false);
            map_frame(&mo->vs, copy, pristine[i] + ((uint64_t)k << 12), PERM_R, false);
        }
        for (int k = 0; k < po[i].n_stack; k++)
            map_frame(&mo->vs, po[i].stack[k], stack_base[i] + ((uint64_t)k << 12), PERM_R | PERM_W, false);
        if (R) {
            fprintf(R, "restart policy of %s: at most %llu restarts", sys->pds[i].name,
                    (unsigned long long)max_restarts[i]);
            if (period_ns[i])
                fprintf(R, " per %llu us", (unsigned long long)sys->pds[i].restart_period_us);
            fprintf(R, ", %d data pages, %d stack pages reloaded\n", po[i].n_wframes, po[i].n_stack);
        }
    }
    set_origin((loc_t){0, 0}, -1, "the monitor");
    if (any_period) {
        /* the real-time clock's registers, read-only: the monitor's time */
        uint32_t rtc = add_object(seL4_RISCV_4K_Page, 12, SPEC_OBJ_FIXED | SPEC_OBJ_DEVICE, "rtc");
        B->objs[rtc].paddr = MONITOR_RTC_PADDR;
        map_frame(&mo->vs, rtc, MONITOR_RTC_VADDR, PERM_R, false);
        if (R)
            fprintf(R, "  map the real-time clock (0x%llx) at 0x%llx (r): restart periods are timed with it\n",
                    (unsigned long long)MONITOR_RTC_PADDR, (unsigned long long)MONITOR_RTC_VADDR);
    }
    finish_vspace(&mo->vs);

    /* fault endpoints: the parent's endpoint for children, else the monitor's */
    for (int i = 0; i < n; i++) {
        sdf_pd_t *pd = &sys->pds[i];
        if (pd->parent >= 0) {
            add_cap(po[i].cnode, PD_FAULT_EP_CAP, po[pd->parent].endpoint, SPEC_CAP_OBJECT, RIGHTS_ALL,
                    PD_BADGE_FAULT | (uint64_t)pd->child_id);
            add_cap(po[pd->parent].cnode, PD_CHILD_TCB_BASE + (uint32_t)pd->child_id, po[i].tcb, SPEC_CAP_OBJECT,
                    RIGHTS_ALL, 0);
        } else {
            add_cap(po[i].cnode, PD_FAULT_EP_CAP, mo->endpoint, SPEC_CAP_OBJECT, RIGHTS_ALL, (uint64_t)i + 1);
        }
    }
    /* channels */
    for (int c = 0; c < sys->n_channels; c++)
        for (int k = 0; k < 2; k++) {
            sdf_end_t *e = &sys->channels[c].end[k], *o = &sys->channels[c].end[1 - k];
            if (e->notify)
                add_cap(po[e->pd].cnode, PD_NOTIFICATION_BASE + (uint32_t)e->id, po[o->pd].notification,
                        SPEC_CAP_OBJECT, RIGHTS_ALL, 1ull << o->id);
            if (e->pp)
                add_cap(po[e->pd].cnode, PD_PPC_BASE + (uint32_t)e->id, po[o->pd].endpoint, SPEC_CAP_OBJECT, RIGHTS_ALL,
                        PD_BADGE_PPC | (uint64_t)o->id);
        }
    /* interrupts */
    for (int i = 0; i < n; i++)
        for (int k = 0; k < sys->pds[i].n_irqs; k++) {
            sdf_irq_t *q = &sys->pds[i].irqs[k];
            spec_irq_t *s = PUSH(b->irqs, b->n_irqs);
            s->irq = (uint32_t)q->irq;
            s->trigger = (uint32_t)q->trigger;
            s->handler = b->n_extra++;
            s->badged = b->n_extra++;
            s->notification = po[i].notification;
            s->badge = 1ull << q->id;
            add_cap(po[i].cnode, PD_IRQ_BASE + (uint32_t)q->id, s->handler, SPEC_CAP_EXTRA, RIGHTS_ALL, 0);
            if (R)
                fprintf(R, "IRQ %llu (%s) -> %s channel %d\n", (unsigned long long)q->irq,
                        q->trigger ? "edge" : "level", sys->pds[i].name, q->id);
        }
    /* kernel trace rings and hooks (trace.c) */
    trace_pd_objects_t *tpo = calloc((size_t)n + 1, sizeof *tpo);
    for (int i = 0; i < n; i++)
        tpo[i] = (trace_pd_objects_t){po[i].tcb, po[i].endpoint, po[i].notification};
    trace_layout(sys, b, tpo, mr_first, R);
    free(tpo);
    if (R) {
        /* each thread's kernel objects: what the initialiser creates for it */
        for (int p = 0; p <= n; p++) {
            int frames = 0;
            for (uint32_t i = 0; i < b->n_maps; i++)
                frames += b->maps[i].vspace == po[p].vspace && b->maps[i].kind == SPEC_MAP_FRAME;
            fprintf(R,
                    "objects of %s: TCB, CNode of %u slots, VSpace root and %d page tables, notification%s%s, "
                    "%d frame mappings (program, stack, IPC buffer, regions; %d writable program pages)\n",
                    p == n ? "monitor" : sys->pds[p].name, 1u << PD_CNODE_BITS, po[p].vs.n_keys,
                    po[p].endpoint != SPEC_NONE ? ", endpoint" : "",
                    sdf_mcs ? ", scheduling context, reply object" : "", frames, po[p].n_wframes);
        }
        for (uint32_t i = 0; i < b->n_caps; i++) {
            const spec_cap_t *c = &b->caps[i];
            const char *owner = "?";
            for (int p = 0; p <= n; p++)
                if (po[p].cnode == c->cnode)
                    owner = p == n ? "monitor" : sys->pds[p].name;
            fprintf(R, "cap %s slot %u: %s, rights 0x%llx, badge 0x%llx\n", owner, c->slot,
                    !strcmp(owner, "monitor") && c->slot >= MONITOR_TCB_BASE ? monitor_cap_text(c->slot)
                                                                             : cap_text(c->slot),
                    (unsigned long long)c->rights, (unsigned long long)c->badge);
        }
    }
    elf_free(mon);
    free(po);
    free(mr_first);
}

/* Object order for the initialiser: the order of creation, by boot
 * untyped and address within it (replay_place decided both). */
static spec_object_t *sort_base;
static int by_placement(const void *pa, const void *pb)
{
    const spec_object_t *a = &sort_base[*(const uint32_t *)pa], *b = &sort_base[*(const uint32_t *)pb];
    if (a->untyped != b->untyped)
        return a->untyped < b->untyped ? -1 : 1;
    if (a->paddr != b->paddr)
        return a->paddr < b->paddr ? -1 : 1;
    return *(const uint32_t *)pa < *(const uint32_t *)pb ? -1 : 1;
}

#define COPY(arr, n) ((n) ? memcpy(malloc(sizeof *(arr) * (n)), (arr), sizeof *(arr) * (n)) : NULL)

/* an empty table may have no storage at all (memcpy needs a valid source) */
static void put(uint8_t *out, uint64_t off, const void *src, uint64_t n)
{
    if (n)
        memcpy(out + off, src, n);
}

static uint64_t align8(uint64_t x) { return (x + 7) & ~7ull; }

uint8_t *spec_serialise(spec_builder_t *b, uint64_t *size)
{
    uint32_t n = b->n_objs;
    uint32_t *order = malloc(sizeof *order * (n + 1)), *newidx = malloc(sizeof *newidx * (n + 1));
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    sort_base = b->objs;
    qsort(order, n, sizeof *order, by_placement);
    spec_object_t *objs = malloc(sizeof *objs * (n + 1));
    for (uint32_t i = 0; i < n; i++) {
        objs[i] = b->objs[order[i]];
        newidx[order[i]] = i;
    }
    /* the builder's tables stay as they are (the image is serialised
     * twice: before and after placement); renumbered copies go out */
    spec_cap_t *caps = COPY(b->caps, b->n_caps);
    spec_map_t *bmaps = COPY(b->maps, b->n_maps);
    spec_fill_t *fills = COPY(b->fills, b->n_fills);
    spec_irq_t *irqs = COPY(b->irqs, b->n_irqs);
    spec_tcb_t *tcbs = COPY(b->tcbs, b->n_tcbs);
    uint32_t window_pts[2] = {b->window_pts[0], b->window_pts[1]};
#define RE(x) ((x) = (x) == SPEC_NONE ? SPEC_NONE : newidx[(x)])
    for (uint32_t i = 0; i < b->n_caps; i++) {
        RE(caps[i].cnode);
        if (caps[i].kind == SPEC_CAP_OBJECT)
            RE(caps[i].source);
    }
    for (uint32_t i = 0; i < b->n_maps; i++) {
        RE(bmaps[i].object);
        RE(bmaps[i].vspace);
    }
    for (uint32_t i = 0; i < b->n_fills; i++)
        RE(fills[i].object);
    for (uint32_t i = 0; i < b->n_irqs; i++)
        RE(irqs[i].notification);
    for (uint32_t i = 0; i < b->n_tcbs; i++) {
        spec_tcb_t *t = &tcbs[i];
        RE(t->tcb);
        RE(t->cnode);
        RE(t->vspace);
        RE(t->ipc_frame);
        RE(t->bound_notification);
        RE(t->sc);
    }
    /* object numbers of the SDK's kernel */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t *type = &objs[i].type;
        if (*type == OBJ_SCHED_CONTEXT)
            *type = MCS_SCHED_CONTEXT;
        else if (*type == OBJ_REPLY)
            *type = MCS_REPLY;
        else if (sdf_mcs && *type >= seL4_NonArchObjectTypeCount)
            *type += MCS_ARCH_SHIFT;
    }
    RE(window_pts[0]);
    RE(window_pts[1]);
    uint32_t bootlog_frames[SPEC_BOOTLOG_MAX_FRAMES];
    for (uint32_t i = 0; i < b->n_bootlog_frames; i++) {
        bootlog_frames[i] = b->bootlog_frames[i];
        RE(bootlog_frames[i]);
    }
#undef RE
    /* maps: page tables before frames (a frame needs its tables), tables in
     * the order they were added (level 1 before level 0 of each VSpace) */
    spec_map_t *maps = malloc(sizeof *maps * (b->n_maps + 1));
    uint32_t m = 0;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < b->n_maps; i++)
            if ((bmaps[i].kind == SPEC_MAP_PAGE_TABLE) == (pass == 0))
                maps[m++] = bmaps[i];

    spec_header_t h = {0};
    h.magic = HYPOS_SPEC_MAGIC;
    h.version = HYPOS_SPEC_VERSION;
    h.header_size = sizeof h;
    h.n_objects = n;
    h.n_extra = b->n_extra;
    h.n_caps = b->n_caps;
    h.n_maps = b->n_maps;
    h.n_fills = b->n_fills;
    h.n_irqs = b->n_irqs;
    h.n_tcbs = b->n_tcbs;
    h.n_domain_entries = b->n_domain_entries;
    h.domain_start = b->domain_start;
    uint64_t off = align8(sizeof h);
    h.off_objects = off;
    off = align8(off + sizeof(spec_object_t) * n);
    h.off_caps = off;
    off = align8(off + sizeof(spec_cap_t) * b->n_caps);
    h.off_maps = off;
    off = align8(off + sizeof(spec_map_t) * b->n_maps);
    h.off_fills = off;
    off = align8(off + sizeof(spec_fill_t) * b->n_fills);
    h.off_irqs = off;
    off = align8(off + sizeof(spec_irq_t) * b->n_irqs);
    h.off_tcbs = off;
    off = align8(off + sizeof(spec_tcb_t) * b->n_tcbs);
    h.off_domain_entries = off;
    off = align8(off + sizeof(spec_domain_entry_t) * b->n_domain_entries);
    h.off_untypeds = off;
    off = align8(off + sizeof(spec_untyped_t) * SPEC_MAX_UNTYPEDS);
    uint64_t trace_bytes = trace_tables_size(&h.n_trace_rings, &h.n_trace_hooks);
    h.off_trace_rings = off;
    h.off_trace_hooks = off + sizeof(spec_trace_ring_t) * h.n_trace_rings;
    off = align8(off + trace_bytes);
    h.off_measures = off;
    h.n_measures = b->n_measures;
    off = align8(off + sizeof(spec_measure_t) * b->n_measures);
    h.n_bootlog_frames = b->n_bootlog_frames;
    for (uint32_t i = 0; i < b->n_bootlog_frames; i++)
        h.bootlog_frames[i] = bootlog_frames[i];
    h.off_names = off;
    off = align8(off + b->names_len);
    h.off_data = off;
    off = align8(off + b->data_len);
    h.total_size = off;
    h.window_vaddr = WINDOW_VADDR;
    h.window_pts[0] = window_pts[0];
    h.window_pts[1] = window_pts[1];
    h.n_untypeds = b->n_untypeds;
    h.n_fillers = b->n_fillers;
    h.untyped_bytes = b->ram_bytes;
    h.mcs = sdf_mcs;
    uint8_t *out = calloc(1, off);
    memcpy(out, &h, sizeof h);
    put(out, h.off_objects, objs, sizeof(spec_object_t) * n);
    put(out, h.off_caps, caps, sizeof(spec_cap_t) * b->n_caps);
    put(out, h.off_maps, maps, sizeof(spec_map_t) * b->n_maps);
    put(out, h.off_fills, fills, sizeof(spec_fill_t) * b->n_fills);
    put(out, h.off_irqs, irqs, sizeof(spec_irq_t) * b->n_irqs);
    put(out, h.off_tcbs, tcbs, sizeof(spec_tcb_t) * b->n_tcbs);
    put(out, h.off_untypeds, b->untypeds, sizeof(spec_untyped_t) * b->n_untypeds);
    put(out, h.off_domain_entries, b->domain_entries, sizeof(spec_domain_entry_t) * b->n_domain_entries);
    trace_tables_write(out + h.off_trace_rings, out + h.off_trace_hooks, newidx);
    put(out, h.off_measures, b->measures, sizeof(spec_measure_t) * b->n_measures);
    put(out, h.off_names, b->names, b->names_len);
    put(out, h.off_data, b->data, b->data_len);
    *size = off;
    free(order);
    free(newidx);
    free(objs);
    free(maps);
    free(caps);
    free(bmaps);
    free(fills);
    free(irqs);
    free(tcbs);
    return out;
}

void spec_builder_free(spec_builder_t *b)
{
    free(b->objs);
    free(b->caps);
    free(b->maps);
    free(b->fills);
    free(b->irqs);
    free(b->tcbs);
    free(b->domain_entries);
    free(b->measures);
    free(b->names);
    free(b->data);
    free(b->origins);
    free(b->late);
    for (int i = 0; i < b->n_origin_texts; i++)
        free(b->origin_texts[i]);
    free(b->origin_texts);
    memset(b, 0, sizeof *b);
}
