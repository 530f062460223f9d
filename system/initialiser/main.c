/* The initialiser: the root task of a system image. It carries out the
 * specification the microkit tool linked into it, table by table:
 * objects from the boot untypeds, ASIDs, page tables, frame contents,
 * mappings, interrupts, capabilities, and finally the threads, which it
 * starts. Every decision was made by the tool; a failing invocation is
 * reported with what it was doing and the initialiser stops. */
#include "trace.h"
#include <hypos/bootlog.h>
#include <hypos/hbcrypto.h>
#include <hypos/spec.h>
#include <sel4/sel4.h>
#include <stdio.h>
#include <string.h>

extern const char hypos_spec[], hypos_spec_end[];
/* the kernel's loadable bytes, copied by the tool (empty unless measured) */
extern const char hypos_kernel_copy[], hypos_kernel_copy_end[];

static const spec_header_t *H;
static seL4_CPtr first_slot, extra_base, filler_next, filler_end;

#define TABLE(type, off) ((const type *)(hypos_spec + H->off))
static seL4_CPtr obj_slot(uint32_t i) { return first_slot + i; }
static seL4_CPtr extra_slot(uint32_t i) { return extra_base + i; }

static void stop(const char *what, uint32_t index, int err)
{
    printf("initialiser: %s %u failed: seL4 error %d\n", what, index, err);
    seL4_TCB_Suspend(seL4_CapInitThreadTCB);
    for (;;)
        ;
}

#define CHECK(call, what, i)               \
    do {                                   \
        int e_ = (call);                   \
        if (e_)                            \
            stop(what, (uint32_t)(i), e_); \
    } while (0)

typedef struct ut {
    seL4_CPtr cap;
    seL4_Word next;
} ut_t;
/* the tool's replayed untyped i is the kernel's untyped ut_of[i] */
static ut_t uts[SPEC_MAX_UNTYPEDS];

static seL4_Word obj_bytes(const spec_object_t *o)
{
    switch (o->type) {
    case seL4_TCBObject:
        return 1ul << seL4_TCBBits;
    case seL4_EndpointObject:
        return 1ul << seL4_EndpointBits;
    case seL4_NotificationObject:
        return 1ul << seL4_NotificationBits;
    case seL4_CapTableObject:
        return 1ul << (o->size_bits + seL4_SlotBits);
    case seL4_RISCV_Mega_Page:
        return 1ul << 21;
    case seL4_RISCV_4K_Page:
    case seL4_RISCV_PageTableObject:
        return 1ul << 12;
    default: /* SCs and reply objects (MCS): size_bits is their size */
        return 1ul << o->size_bits;
    }
}

/* Moves an untyped's watermark to `to` by carving untyped fillers. */
static void skip_to(ut_t *u, seL4_Word to, uint32_t index)
{
    while (u->next < to) {
        uint32_t bits = spec_filler_bits(u->next, to);
        if (filler_next >= filler_end)
            stop("out of filler slots placing object", index, seL4_NotEnoughMemory);
        CHECK(seL4_Untyped_Retype(u->cap, seL4_UntypedObject, bits, seL4_CapInitThreadCNode, 0, 0, filler_next++, 1),
              "skipping memory for object", index);
        u->next += 1ul << bits;
    }
}

/* The tool replayed the kernel's boot untyped list for the board and
 * placed every object in it. Each untyped an object is placed in must be
 * one the kernel handed out (same address, size and kind); the rest of
 * the list may differ (a machine with more RAM, say). */
static bool find_untypeds(const seL4_BootInfo *bi)
{
    const spec_untyped_t *want = TABLE(spec_untyped_t, off_untypeds);
    const spec_object_t *objs = TABLE(spec_object_t, off_objects);
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    bool same = n == H->n_untypeds;
    for (uint32_t i = 0; i < H->n_untypeds; i++) {
        uts[i].cap = seL4_CapNull;
        for (seL4_Word k = 0; k < n && !uts[i].cap; k++) {
            const seL4_UntypedDesc *d = &bi->untypedList[k];
            if (d->paddr == want[i].paddr && d->sizeBits == want[i].size_bits && d->isDevice == want[i].device) {
                uts[i] = (ut_t){bi->untyped.start + k, d->paddr};
                same &= k == i;
            }
        }
        same &= uts[i].cap != seL4_CapNull;
    }
    if (same) {
#ifdef HYPOS_PRINTING
        printf("initialiser: the kernel's %lu boot untypeds are the tool's replay\n", (unsigned long)n);
#endif
        return true;
    }
    printf("initialiser: the kernel's boot untypeds (%lu) differ from the tool's replay (%u): this machine's memory "
           "map is not qemu_virt_riscv64 with -m size=2G and QEMU's OpenSBI (see the system's report)\n",
           (unsigned long)n, H->n_untypeds);
    for (uint32_t i = 0; i < H->n_objects; i++) {
        const spec_untyped_t *u = &want[objs[i].untyped];
        if (objs[i].untyped >= H->n_untypeds || uts[objs[i].untyped].cap == seL4_CapNull) {
            printf("initialiser: no boot untyped 0x%lx (2^%u%s), where the tool placed object %u\n",
                   (unsigned long)u->paddr, u->size_bits, u->device ? ", device" : "", i);
            return false;
        }
    }
    return true;
}

static void create_objects(void)
{
    const spec_object_t *objs = TABLE(spec_object_t, off_objects);
    for (uint32_t i = 0; i < H->n_objects; i++) {
        const spec_object_t *o = &objs[i];
        seL4_Word size = obj_bytes(o);
        ut_t *u = &uts[o->untyped];
        seL4_Word at = (u->next + size - 1) & ~(size - 1);
        if (o->paddr < at)
            stop("placement below the untyped's watermark of object", i, seL4_NotEnoughMemory);
        if (o->paddr > at)
            skip_to(u, o->paddr, i);
        seL4_Word user_bits = o->type == seL4_CapTableObject ? o->size_bits : 0;
#ifdef CONFIG_KERNEL_MCS
        if (o->type == seL4_SchedContextObject)
            user_bits = o->size_bits;
#endif
        CHECK(seL4_Untyped_Retype(u->cap, o->type, user_bits, seL4_CapInitThreadCNode, 0, 0, obj_slot(i), 1),
              "creating object", i);
        u->next = o->paddr + size;
    }
}

static void fill_frames(void)
{
    const spec_object_t *objs = TABLE(spec_object_t, off_objects);
    const spec_fill_t *fills = TABLE(spec_fill_t, off_fills);
    seL4_Word win = H->window_vaddr;
    CHECK(seL4_RISCV_PageTable_Map(obj_slot(H->window_pts[0]), seL4_CapInitThreadVSpace, win, 0), "window table", 0);
    CHECK(seL4_RISCV_PageTable_Map(obj_slot(H->window_pts[1]), seL4_CapInitThreadVSpace, win, 0), "window table", 1);
    uint32_t mapped = SPEC_NONE;
    seL4_Word at = win;
    for (uint32_t i = 0; i < H->n_fills; i++) {
        const spec_fill_t *f = &fills[i];
        if (f->object != mapped) {
            if (mapped != SPEC_NONE)
                CHECK(seL4_RISCV_Page_Unmap(obj_slot(mapped)), "unmapping filled frame", mapped);
            mapped = f->object;
            at = objs[mapped].type == seL4_RISCV_Mega_Page ? win + (1ul << 21) : win;
            CHECK(seL4_RISCV_Page_Map(obj_slot(mapped), seL4_CapInitThreadVSpace, at, seL4_ReadWrite,
                                      seL4_RISCV_ExecuteNever),
                  "mapping frame to fill it", mapped);
        }
        memcpy((char *)at + f->offset, hypos_spec + H->off_data + f->data, f->size);
    }
    if (mapped != SPEC_NONE)
        CHECK(seL4_RISCV_Page_Unmap(obj_slot(mapped)), "unmapping filled frame", mapped);
}

/* Boot measurements: SHA-256 of the kernel (the tool's byte-exact copy of
 * its loadable bytes: the kernel's own memory is not reachable from user
 * level), of the specification without the PD programs' bytes and of
 * each PD's program bytes as packed, written as a boot log into the frames of the system's
 * hypos:boot_log region, which PDs map read-only. Runs before any frame
 * is mapped into a PD and before any thread starts, so what a PD later
 * reads there is what the initialiser wrote. */
static void measure_boot(void)
{
    if (!H->n_bootlog_frames)
        return;
#if defined(HYPOS_PRINTING) && defined(HYPOS_USER_COUNTERS)
    seL4_Word t0;
    __asm__ volatile("csrr %0, instret" : "=r"(t0));
#endif
    static struct hb_mlog_entry entries[HB_BOOTLOG_MAX];
    static uint8_t log[SPEC_BOOTLOG_MAX_FRAMES << 12];
    const spec_measure_t *ms = TABLE(spec_measure_t, off_measures);
    const char *names = hypos_spec + H->off_names;
    uint64_t hashed = 0;
    if (H->n_measures > HB_BOOTLOG_MAX || H->n_bootlog_frames > SPEC_BOOTLOG_MAX_FRAMES)
        stop("boot measurements: too many, measurement", H->n_measures, seL4_RangeError);
    for (uint32_t i = 0; i < H->n_measures; i++) {
        const spec_measure_t *m = &ms[i];
        const void *at;
        uint64_t len;
        if (m->kind == SPEC_MEASURE_KERNEL) {
            at = hypos_kernel_copy;
            len = (uint64_t)(hypos_kernel_copy_end - hypos_kernel_copy);
        } else if (m->kind == SPEC_MEASURE_SYSTEM) {
            /* in pieces: the PD programs' bytes are their own entries' */
            uint8_t digest[HB_SHA256_BYTES];
            struct hb_sha256 st;
            uint64_t off, piece;
            int r;
            len = 0;
            hb_sha256_init(&st);
            for (uint32_t k = 0; (r = spec_system_piece(H, ms, k, &off, &piece)) == 1; k++) {
                hb_sha256_update(&st, hypos_spec + off, piece);
                len += piece;
            }
            if (r < 0)
                stop("boot measurements: PD program ranges out of order, measurement", i, seL4_RangeError);
            hb_sha256_final(&st, digest);
            const char *name = names + m->name, *what = names + m->what;
            hb_mlog_entry_fill(&entries[i], i, m->kind, m->index, len, name, strlen(name), what, strlen(what), digest);
            hashed += len;
            continue;
        } else {
            at = hypos_spec + H->off_data + m->data;
            len = m->size;
            if (m->data + m->size > H->total_size - H->off_data)
                stop("boot measurements: program bytes outside the specification, measurement", i, seL4_RangeError);
        }
        uint8_t digest[HB_SHA256_BYTES];
        hb_sha256(digest, at, len);
        const char *name = names + m->name, *what = names + m->what;
        hb_mlog_entry_fill(&entries[i], i, m->kind, m->index, len, name, strlen(name), what, strlen(what), digest);
        hashed += len;
    }
    size_t bytes = hb_bootlog_write(log, (size_t)H->n_bootlog_frames << 12, entries, H->n_measures);
    if (!bytes)
        stop("boot measurements: the boot log region is too small for measurements", H->n_measures,
             seL4_NotEnoughMemory);
    seL4_Word win = H->window_vaddr;
    for (uint32_t k = 0; k < H->n_bootlog_frames && ((size_t)k << 12) < bytes; k++) {
        seL4_CPtr frame = obj_slot(H->bootlog_frames[k]);
        CHECK(seL4_RISCV_Page_Map(frame, seL4_CapInitThreadVSpace, win, seL4_ReadWrite, seL4_RISCV_ExecuteNever),
              "mapping boot log frame", k);
        memcpy((void *)win, log + ((size_t)k << 12), 4096);
        CHECK(seL4_RISCV_Page_Unmap(frame), "unmapping boot log frame", k);
    }
#if defined(HYPOS_PRINTING) && defined(HYPOS_USER_COUNTERS)
    seL4_Word t1;
    __asm__ volatile("csrr %0, instret" : "=r"(t1));
    printf("initialiser: boot measurements: %u entries, %lu bytes hashed in %lu instructions\n", H->n_measures,
           (unsigned long)hashed, (unsigned long)(t1 - t0));
#elif defined(HYPOS_PRINTING)
    printf("initialiser: boot measurements: %u entries, %lu bytes hashed\n", H->n_measures, (unsigned long)hashed);
#else
    (void)hashed;
#endif
}

static void map_all(void)
{
    const spec_map_t *maps = TABLE(spec_map_t, off_maps);
    for (uint32_t i = 0; i < H->n_maps; i++) {
        const spec_map_t *m = &maps[i];
        seL4_CPtr cap = obj_slot(m->object);
        if (m->kind == SPEC_MAP_PAGE_TABLE) {
            CHECK(seL4_RISCV_PageTable_Map(cap, obj_slot(m->vspace), m->vaddr, 0), "mapping page table", i);
            continue;
        }
        if (m->extra != SPEC_NONE) {
            CHECK(seL4_CNode_Copy(seL4_CapInitThreadCNode, extra_slot(m->extra), seL4_WordBits, seL4_CapInitThreadCNode,
                                  cap, seL4_WordBits, seL4_AllRights),
                  "copying frame cap for mapping", i);
            cap = extra_slot(m->extra);
        }
        seL4_CapRights_t r = {{m->rights}};
        CHECK(seL4_RISCV_Page_Map(cap, obj_slot(m->vspace), m->vaddr, r, m->attrs), "mapping frame", i);
    }
}

static void setup_irqs(void)
{
    const spec_irq_t *irqs = TABLE(spec_irq_t, off_irqs);
    for (uint32_t i = 0; i < H->n_irqs; i++) {
        const spec_irq_t *q = &irqs[i];
        CHECK(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, q->irq, q->trigger, seL4_CapInitThreadCNode,
                                         extra_slot(q->handler), seL4_WordBits),
              "claiming IRQ", q->irq);
        CHECK(seL4_CNode_Mint(seL4_CapInitThreadCNode, extra_slot(q->badged), seL4_WordBits, seL4_CapInitThreadCNode,
                              obj_slot(q->notification), seL4_WordBits, seL4_AllRights, q->badge),
              "badging notification for IRQ", q->irq);
        CHECK(seL4_IRQHandler_SetNotification(extra_slot(q->handler), extra_slot(q->badged)), "binding IRQ", q->irq);
    }
}

static void mint_caps(void)
{
    const spec_cap_t *caps = TABLE(spec_cap_t, off_caps);
    const spec_object_t *objs = TABLE(spec_object_t, off_objects);
    for (uint32_t i = 0; i < H->n_caps; i++) {
        const spec_cap_t *c = &caps[i];
        seL4_CPtr src = c->kind == SPEC_CAP_EXTRA ? extra_slot(c->source) : obj_slot(c->source);
        seL4_CapRights_t r = {{c->rights}};
#ifdef CONFIG_KERNEL_MCS
        /* a reply object's cap is not copied (the kernel derives none): the
         * tool places each reply object once, so its original moves there */
        if (c->kind == SPEC_CAP_OBJECT && objs[c->source].type == seL4_ReplyObject) {
            CHECK(seL4_CNode_Move(obj_slot(c->cnode), c->slot, (seL4_Uint8)objs[c->cnode].size_bits,
                                  seL4_CapInitThreadCNode, src, seL4_WordBits),
                  "placing capability", i);
            continue;
        }
#endif
        CHECK(seL4_CNode_Mint(obj_slot(c->cnode), c->slot, (seL4_Uint8)objs[c->cnode].size_bits,
                              seL4_CapInitThreadCNode, src, seL4_WordBits, r, c->badge),
              "placing capability", i);
    }
}

#ifdef CONFIG_KERNEL_MCS
static seL4_CPtr sched_control, scratch_slot;

/* MCS: the thread gets its scheduling context (budget and period as the
 * tool wrote them) and its fault endpoint, which MCS kernels copy into the
 * TCB from a cap the caller names: the badged cap the tool placed in the
 * thread's own CSpace, copied here for the call. */
static void schedule_thread(const spec_tcb_t *t, uint32_t i)
{
    seL4_CPtr tcb = obj_slot(t->tcb), sc = obj_slot(t->sc);
    CHECK(seL4_SchedControl_ConfigureFlags(sched_control, sc, t->budget_us, t->period_us, 0, 0, 0),
          "configuring scheduling context of thread", i);
    /* fault_ep 0: no fault handler (the monitor) */
    if (t->fault_ep)
        CHECK(seL4_CNode_Copy(seL4_CapInitThreadCNode, scratch_slot, seL4_WordBits, obj_slot(t->cnode), t->fault_ep,
                              (seL4_Uint8)t->cnode_bits, seL4_AllRights),
              "copying fault endpoint of thread", i);
    CHECK(seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, t->mcp, t->priority, sc,
                                  t->fault_ep ? scratch_slot : seL4_CapNull),
          "scheduling thread", i);
    if (t->fault_ep)
        CHECK(seL4_CNode_Delete(seL4_CapInitThreadCNode, scratch_slot, seL4_WordBits), "dropping fault endpoint copy",
              i);
}
#endif

/* The domain schedule (if the system has one): every entry but the end
 * markers now, so that the start entry exists; the rest once the threads
 * are started (start_domain_schedule). */
static void write_domain_entries(bool end_markers)
{
    const spec_domain_entry_t *e = TABLE(spec_domain_entry_t, off_domain_entries);
    for (uint32_t i = 0; i < H->n_domain_entries; i++)
        if ((e[i].ticks == 0) == end_markers)
            CHECK(seL4_DomainSet_ScheduleConfigure(seL4_CapDomain, e[i].index, (seL4_Uint8)e[i].domain, e[i].ticks),
                  "writing domain schedule entry", i);
}

/* The schedule takes over at once: threads of other domains than the
 * initialiser's wait for their slots from here on. End markers go in
 * after the start moved, since one of them may replace the boot schedule's
 * entry 0, where rounds started until now. */
static void start_domain_schedule(void)
{
    CHECK(seL4_DomainSet_ScheduleSetStart(seL4_CapDomain, H->domain_start), "starting the domain schedule",
          (uint32_t)H->domain_start);
    write_domain_entries(true);
}

static void start_threads(void)
{
    const spec_tcb_t *tcbs = TABLE(spec_tcb_t, off_tcbs);
    for (uint32_t i = 0; i < H->n_tcbs; i++) {
        const spec_tcb_t *t = &tcbs[i];
        seL4_CPtr tcb = obj_slot(t->tcb);
        seL4_Word guard = seL4_CNode_CapData_new(0, seL4_WordBits - t->cnode_bits).words[0];
#ifdef CONFIG_KERNEL_MCS
        CHECK(seL4_TCB_Configure(tcb, obj_slot(t->cnode), guard, obj_slot(t->vspace), 0, t->ipc_vaddr,
                                 obj_slot(t->ipc_frame)),
              "configuring thread", i);
        schedule_thread(t, i);
#else
        CHECK(seL4_TCB_Configure(tcb, t->fault_ep, obj_slot(t->cnode), guard, obj_slot(t->vspace), 0, t->ipc_vaddr,
                                 obj_slot(t->ipc_frame)),
              "configuring thread", i);
        CHECK(seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, t->mcp, t->priority), "prioritising thread", i);
#endif
        if (t->bound_notification != SPEC_NONE)
            CHECK(seL4_TCB_BindNotification(tcb, obj_slot(t->bound_notification)), "binding notification", i);
        if (t->flags) {
            seL4_TCB_SetFlags_t f = seL4_TCB_SetFlags(tcb, 0, t->flags);
            CHECK(f.error, "setting the flags of thread", i);
        }
        if (H->n_domain_entries)
            CHECK(seL4_DomainSet_Set(seL4_CapDomain, (seL4_Uint8)t->domain, tcb), "setting the domain of thread", i);
#ifdef HYPOS_DEBUG
        seL4_DebugNameThread(tcb, hypos_spec + H->off_names + t->name);
#endif
    }
    for (uint32_t i = 0; i < H->n_tcbs; i++) {
        const spec_tcb_t *t = &tcbs[i];
        seL4_UserContext regs = {0};
        regs.pc = t->pc;
        regs.sp = t->sp;
        CHECK(seL4_TCB_WriteRegisters(obj_slot(t->tcb), 1, 0, 3, &regs), "starting thread", i);
    }
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    H = (const spec_header_t *)hypos_spec;
    if (H->magic != HYPOS_SPEC_MAGIC || H->version != HYPOS_SPEC_VERSION || H->header_size != sizeof *H ||
        H->total_size > (seL4_Word)(hypos_spec_end - hypos_spec)) {
        printf("initialiser: no valid system specification (magic %lx version %u)\n", (unsigned long)H->magic,
               H->version);
        return 1;
    }
    if (H->n_untypeds > SPEC_MAX_UNTYPEDS || !find_untypeds(bi))
        return 1;
    filler_next = bi->empty.start;
    filler_end = filler_next + H->n_fillers;
    first_slot = filler_end;
    extra_base = first_slot + H->n_objects;
#ifdef CONFIG_KERNEL_MCS
    if (!H->mcs) {
        printf("initialiser: the specification was laid out for a non-MCS kernel, this kernel is MCS\n");
        return 1;
    }
    sched_control = bi->schedcontrol.start;
    scratch_slot = extra_base + H->n_extra;
    if (scratch_slot + 1 > bi->empty.end) {
#else
    if (H->mcs) {
        printf("initialiser: the specification was laid out for an MCS kernel, this kernel is not\n");
        return 1;
    }
    if (extra_base + H->n_extra > bi->empty.end) {
#endif
        printf("initialiser: the specification needs %u slots, %lu are free\n", H->n_objects + H->n_extra,
               (unsigned long)(bi->empty.end - first_slot));
        return 1;
    }
#ifdef HYPOS_PRINTING
    printf("initialiser: %u objects, %u caps, %u mappings, %u threads\n", H->n_objects, H->n_caps, H->n_maps,
           H->n_tcbs);
#endif
    create_objects();
    const spec_object_t *objs = TABLE(spec_object_t, off_objects);
    for (uint32_t i = 0; i < H->n_objects; i++)
        if (objs[i].flags & SPEC_OBJ_VSPACE)
            CHECK(seL4_RISCV_ASIDPool_Assign(seL4_CapInitThreadASIDPool, obj_slot(i)), "assigning ASID to VSpace", i);
    fill_frames();
    measure_boot();
    map_all();
    setup_irqs();
    mint_caps();
#if defined(HYPOS_USER_COUNTERS) && defined(NDEBUG) && defined(HYPOS_PRINTING)
    /* bench builds: where boot time goes, in instructions since hart reset */
    extern seL4_Word __hypos_boot_instret, __hypos_start_instret;
    seL4_Word done;
    __asm__ volatile("csrr %0, instret" : "=r"(done));
    printf("BENCH initialiser_kernel_entry instructions median=%lu min=%lu max=%lu n=1\n", __hypos_boot_instret,
           __hypos_boot_instret, __hypos_boot_instret);
    printf("BENCH initialiser_start instructions median=%lu min=%lu max=%lu n=1\n", __hypos_start_instret,
           __hypos_start_instret, __hypos_start_instret);
    printf("BENCH initialiser_work instructions median=%lu min=%lu max=%lu n=1\n", done - __hypos_start_instret,
           done - __hypos_start_instret, done - __hypos_start_instret);
#endif
    if (H->n_domain_entries)
        write_domain_entries(false);
    trace_setup(H, hypos_spec, obj_slot, extra_slot);
    start_threads();
    if (H->n_domain_entries)
        start_domain_schedule();
    /* the system runs; the initialiser has nothing left to do */
    seL4_TCB_Suspend(seL4_CapInitThreadTCB);
    return 0;
}
