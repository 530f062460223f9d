/* Checks across elements: program images, channel ends, priorities of
 * protected procedure calls, interrupts and the address space of each
 * PD. Each failure names the rule and where the offending element is. */
#include "elf.h"
#include "hypos/microkit_abi.h"
#include "sdf.h"
#include "bpfpd.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOARD_RAM (2ull << 30)

static bool ranges_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn) { return a < b + bn && b < a + an; }

static void check_ids(sdf_system_t *sys, int pd, int id, loc_t at, const char *what)
{
    /* one id space per PD shared by channels and IRQs */
    const sdf_pd_t *p = &sys->pds[pd];
    int earlier = 0; /* uses written before this one: the later one is the mistake */
#define BEFORE(l) ((l).line < at.line || ((l).line == at.line && (l).col < at.col))
    for (int i = 0; i < p->n_irqs; i++)
        earlier += p->irqs[i].id == id && BEFORE(p->irqs[i].id_loc);
    for (int c = 0; c < sys->n_channels; c++)
        for (int k = 0; k < 2; k++)
            earlier += sys->channels[c].end[k].pd == pd && sys->channels[c].end[k].id == id &&
                       BEFORE(sys->channels[c].end[k].id_loc);
#undef BEFORE
    if (earlier)
        fail_at(at, "%s id %d is used more than once in protection domain '%s' (channels and IRQs share ids)", what, id,
                p->name);
}

/* A variable the tool writes a 64-bit value into must exist, hold 8 bytes
 * and be initialised data (a .bss variable has no bytes in the image). */
static void check_patchable(const sdf_pd_t *pd, const char *sym, loc_t at, const char *what)
{
    uint64_t a, n;
    if (!elf_symbol(pd->elf, sym, &a, &n))
        fail_at(at, "%s symbol '%s' is not defined in program image '%s'", what, sym, pd->program);
    if (n && n < 8)
        fail_at(at, "%s symbol '%s' in '%s' is %llu bytes; the tool writes 8", what, sym, pd->program,
                (unsigned long long)n);
    if (!elf_file_backed(pd->elf, a, 8))
        fail_at(at, "%s symbol '%s' in '%s' is not initialised data (give it an initial value or put it in .data)",
                what, sym, pd->program);
}

static void check_pd_space(sdf_system_t *sys, sdf_pd_t *pd)
{
    uint64_t stack_bottom = PD_STACK_TOP - pd->stack_size, image_bytes = 0;
    for (int s = 0; s < pd->elf->n_segs; s++) {
        image_bytes += pd->elf->segs[s].memsz;
        if (image_bytes > BOARD_RAM)
            fail_at(pd->program_loc, "program image '%s' needs more memory than the board's 2 GiB of RAM", pd->program);
        elf_segment_t *sg = &pd->elf->segs[s];
        if (sg->vaddr < 0x1000 || sg->vaddr + sg->memsz > stack_bottom)
            fail_at(pd->program_loc,
                    "program image '%s' has a segment at 0x%llx-0x%llx outside the usable range 0x1000-0x%llx",
                    pd->program, (unsigned long long)sg->vaddr, (unsigned long long)(sg->vaddr + sg->memsz),
                    (unsigned long long)stack_bottom);
    }
    for (int i = 0; i < pd->n_maps; i++) {
        sdf_map_t *m = &pd->maps[i];
        sdf_mr_t *mr = &sys->mrs[m->mr];
        if (m->vaddr % mr->page_size)
            fail_at(m->vaddr_loc, "vaddr 0x%llx of the map of '%s' is not aligned to its page size 0x%llx",
                    (unsigned long long)m->vaddr, mr->name, (unsigned long long)mr->page_size);
        if (m->vaddr + mr->size > stack_bottom || m->vaddr + mr->size < m->vaddr)
            fail_at(m->vaddr_loc, "map of '%s' at 0x%llx-0x%llx reaches the stack (bottom 0x%llx) of '%s'", mr->name,
                    (unsigned long long)m->vaddr, (unsigned long long)(m->vaddr + mr->size),
                    (unsigned long long)stack_bottom, pd->name);
        if (m->vaddr < 0x1000)
            fail_at(m->vaddr_loc, "map of '%s' at 0x%llx covers the first page, which stays unmapped", mr->name,
                    (unsigned long long)m->vaddr);
        for (int k = 0; k < i; k++) {
            sdf_map_t *o = &pd->maps[k];
            if (ranges_overlap(m->vaddr, mr->size, o->vaddr, sys->mrs[o->mr].size))
                fail_at(m->loc, "map of '%s' at 0x%llx overlaps the map of '%s' (line %d) in '%s'", mr->name,
                        (unsigned long long)m->vaddr, sys->mrs[o->mr].name, o->loc.line, pd->name);
        }
        for (int s = 0; s < pd->elf->n_segs; s++) {
            elf_segment_t *sg = &pd->elf->segs[s];
            uint64_t lo = sg->vaddr & ~0xfffull, hi = (sg->vaddr + sg->memsz + 0xfff) & ~0xfffull;
            if (ranges_overlap(m->vaddr, mr->size, lo, hi - lo))
                fail_at(m->loc, "map of '%s' at 0x%llx overlaps the program image of '%s' (0x%llx-0x%llx)", mr->name,
                        (unsigned long long)m->vaddr, pd->name, (unsigned long long)lo, (unsigned long long)hi);
        }
        if (m->setvar_vaddr)
            check_patchable(pd, m->setvar_vaddr, m->setvar_loc, "setvar_vaddr");
        for (int k = 0; k < i; k++) {
            const sdf_map_t *o = &pd->maps[k];
            const char *names[2] = {m->setvar_vaddr, m->setvar_size};
            for (int a = 0; a < 2; a++)
                if (names[a] && ((o->setvar_vaddr && !strcmp(o->setvar_vaddr, names[a])) ||
                                 (o->setvar_size && !strcmp(o->setvar_size, names[a]))))
                    fail_at(a ? m->setvar_size_loc : m->setvar_loc, "symbol '%s' is set twice in '%s'", names[a],
                            pd->name);
        }
        if (m->setvar_size)
            check_patchable(pd, m->setvar_size, m->setvar_size_loc, "setvar_size");
    }
    for (int i = 0; i < pd->n_setvars; i++) {
        sdf_setvar_t *v = &pd->setvars[i];
        for (int k = 0; k < i; k++)
            if (!strcmp(pd->setvars[k].symbol, v->symbol))
                fail_at(v->symbol_loc, "symbol '%s' is set twice in '%s'", v->symbol, pd->name);
        for (int k = 0; k < pd->n_maps; k++)
            if (pd->maps[k].setvar_vaddr && !strcmp(pd->maps[k].setvar_vaddr, v->symbol))
                fail_at(v->symbol_loc, "symbol '%s' is set twice in '%s'", v->symbol, pd->name);
        check_patchable(pd, v->symbol, v->symbol_loc, "setvar");
        for (int j = 0; j < sys->n_mrs; j++)
            if (!strcmp(sys->mrs[j].name, v->region_paddr))
                v->mr = j;
        if (v->mr < 0)
            fail_at(v->loc, "setvar region_paddr names memory region '%s', which does not exist", v->region_paddr);
    }
}

/* setvar_id (Microkit 2): the tool writes an id into a variable of the
 * program (the IRQ's or the channel end's id, or a child's id in its
 * parent), which must be patchable and set by nothing else; the same for
 * setvar_prefill_size (a prefill file's length). */
static void add_idvar(sdf_pd_t *pd, const char *sym, uint64_t value, loc_t at, const char *what)
{
    check_patchable(pd, sym, at, what);
    bool taken = false;
    for (int k = 0; k < pd->n_maps; k++)
        taken |= (pd->maps[k].setvar_vaddr && !strcmp(pd->maps[k].setvar_vaddr, sym)) ||
                 (pd->maps[k].setvar_size && !strcmp(pd->maps[k].setvar_size, sym));
    for (int k = 0; k < pd->n_setvars; k++)
        taken |= !strcmp(pd->setvars[k].symbol, sym);
    for (int k = 0; k < pd->n_idvars; k++)
        taken |= !strcmp(pd->idvars[k].symbol, sym);
    if (taken)
        fail_at(at, "symbol '%s' is set twice in '%s'", sym, pd->name);
    pd->idvars = realloc(pd->idvars, sizeof *pd->idvars * ((size_t)pd->n_idvars + 1));
    pd->idvars[pd->n_idvars++] = (sdf_idvar_t){sym, value, at};
}

void sdf_check(sdf_system_t *sys)
{
    if (sys->n_pds == 0)
        fail_at(sys->loc, "the system has no protection domain");
    if (sys->n_pds > PD_MAX_PDS)
        fail_at(sys->pds[PD_MAX_PDS].loc, "too many protection domains: at most %d", PD_MAX_PDS);
    /* the bpf PD's objects and hooks become maps, checked with the rest */
    bpfpd_expand(sys);
    for (int i = 0; i < sys->n_pds; i++) {
        sdf_pd_t *pd = &sys->pds[i];
        const char *why;
        if (!pd->elf) /* the expansion above may have loaded it */
            pd->elf = elf_load(pd->program_path, &why);
        if (!pd->elf)
            fail_at(pd->program_loc, "program image '%s' %s", pd->program, why);
        check_pd_space(sys, pd);
        for (int k = 0; k < pd->n_irqs; k++) {
            sdf_irq_t *q = &pd->irqs[k];
            check_ids(sys, i, q->id, q->id_loc, "IRQ");
            pd->irq_bits |= 1ull << q->id;
            for (int j = 0; j <= i; j++)
                for (int r = 0; r < sys->pds[j].n_irqs; r++) {
                    sdf_irq_t *o = &sys->pds[j].irqs[r];
                    if (o != q && o->irq == q->irq && (j < i || r < k))
                        fail_at(q->irq_loc, "IRQ %llu is already claimed by '%s' (line %d)", (unsigned long long)q->irq,
                                sys->pds[j].name, o->loc.line);
                }
        }
    }
    for (int c = 0; c < sys->n_channels; c++) {
        sdf_channel_t *ch = &sys->channels[c];
        for (int k = 0; k < 2; k++) {
            sdf_end_t *e = &ch->end[k], *o = &ch->end[1 - k];
            check_ids(sys, e->pd, e->id, e->id_loc, "channel");
            if (e->pd == o->pd)
                fail_at(ch->loc, "both ends of the channel are protection domain '%s'", sys->pds[e->pd].name);
            if (e->notify)
                sys->pds[e->pd].notification_bits |= 1ull << e->id;
            if (e->pp) {
                sdf_pd_t *caller = &sys->pds[e->pd], *callee = &sys->pds[o->pd];
                if (callee->priority <= caller->priority)
                    fail_at(e->pp_loc,
                            "'%s' (priority %d) may not call '%s' (priority %d): protected procedure "
                            "calls must go to a strictly higher priority",
                            caller->name, caller->priority, callee->name, callee->priority);
                caller->pp_bits |= 1ull << e->id;
                callee->has_endpoint = true;
            }
        }
    }
    for (int i = 0; i < sys->n_pds; i++) {
        sdf_pd_t *pd = &sys->pds[i];
        for (int k = 0; k < pd->n_irqs; k++)
            if (pd->irqs[k].setvar_id)
                add_idvar(pd, pd->irqs[k].setvar_id, (uint64_t)pd->irqs[k].id, pd->irqs[k].loc, "setvar_id");
        if (pd->setvar_id)
            add_idvar(&sys->pds[pd->parent], pd->setvar_id, (uint64_t)pd->child_id, pd->loc, "setvar_id");
        if (pd->parent >= 0)
            sys->pds[pd->parent].has_endpoint = true;
    }
    /* a passive PD runs after init() only when it is called, notified, sent
     * an interrupt or a child's fault; with none of them it never runs again */
    for (int i = 0; i < sys->n_pds; i++) {
        sdf_pd_t *pd = &sys->pds[i];
        if (!pd->passive || pd->has_endpoint || pd->n_irqs)
            continue;
        bool notified = false;
        for (int c = 0; c < sys->n_channels; c++)
            for (int k = 0; k < 2; k++)
                notified |= sys->channels[c].end[k].pd != i && sys->channels[c].end[1 - k].pd == i &&
                            sys->channels[c].end[k].notify;
        if (!notified)
            fail_at(pd->passive_loc,
                    "passive protection domain '%s' would never run after init(): no channel notifies or calls it, "
                    "it has no IRQ and no children",
                    pd->name);
    }
    /* setvar_prefill_size (Microkit 2.2): the prefill file's length */
    for (int i = 0; i < sys->n_pds; i++)
        for (int k = 0; k < sys->pds[i].n_maps; k++) {
            sdf_map_t *m = &sys->pds[i].maps[k];
            if (!m->setvar_prefill_size)
                continue;
            if (!sys->mrs[m->mr].prefill)
                fail_at(m->setvar_prefill_size_loc,
                        "setvar_prefill_size on a map of memory region '%s', which has no prefill_path",
                        sys->mrs[m->mr].name);
            add_idvar(&sys->pds[i], m->setvar_prefill_size, sys->mrs[m->mr].prefill_bytes, m->setvar_prefill_size_loc,
                      "setvar_prefill_size");
        }
    for (int c = 0; c < sys->n_channels; c++)
        for (int k = 0; k < 2; k++) {
            sdf_end_t *e = &sys->channels[c].end[k];
            if (e->setvar_id)
                add_idvar(&sys->pds[e->pd], e->setvar_id, (uint64_t)e->id, e->loc, "setvar_id");
        }
    /* regions in RAM must fit in it; device regions, in the space below RAM */
    uint64_t ram = 0, device = 0;
    for (int i = 0; i < sys->n_mrs; i++) {
        sdf_mr_t *m = &sys->mrs[i];
        bool in_ram = !m->fixed || (m->paddr >= 0x80000000ull && m->paddr < 0x80000000ull + BOARD_RAM);
        uint64_t *sum = in_ram ? &ram : &device;
        *sum += m->size;
        if (m->size > BOARD_RAM || *sum > BOARD_RAM)
            fail_at(m->size_loc, "memory region '%s' does not fit: the regions %s need more than 2 GiB", m->name,
                    in_ram ? "in RAM" : "of devices");
        if (m->fixed && !in_ram && (m->paddr + m->size > 0x80000000ull || m->paddr + m->size < m->paddr))
            fail_at(m->paddr_loc,
                    "memory region '%s' at 0x%llx is neither RAM nor device memory of qemu_virt_riscv64 "
                    "(devices lie below 0x80000000, RAM at 0x80000000-0x100000000)",
                    m->name, (unsigned long long)m->paddr);
        if (m->fixed && in_ram && m->paddr + m->size > 0x80000000ull + BOARD_RAM)
            fail_at(m->paddr_loc, "memory region '%s' at 0x%llx runs past the end of RAM (0x100000000)", m->name,
                    (unsigned long long)m->paddr);
    }
    for (int i = 0; i < sys->n_mrs; i++)
        for (int j = 0; j < i; j++) {
            sdf_mr_t *a = &sys->mrs[i], *b = &sys->mrs[j];
            if (a->fixed && b->fixed && ranges_overlap(a->paddr, a->size, b->paddr, b->size))
                fail_at(a->paddr_loc, "memory region '%s' at 0x%llx overlaps memory region '%s' (line %d)", a->name,
                        (unsigned long long)a->paddr, b->name, b->loc.line);
        }
    /* restart periods are timed with the real-time clock, which the
     * monitor then maps: no region may hold the same registers */
    for (int p = 0; p < sys->n_pds; p++) {
        if (!sys->pds[p].restart_period_us)
            continue;
        for (int i = 0; i < sys->n_mrs; i++) {
            sdf_mr_t *m = &sys->mrs[i];
            if (m->fixed && ranges_overlap(m->paddr, m->size, MONITOR_RTC_PADDR, 0x1000))
                fail_at(m->paddr_loc,
                        "memory region '%s' at 0x%llx holds the real-time clock (0x%llx), which the monitor needs "
                        "to time the restart_period of '%s' (line %d)",
                        m->name, (unsigned long long)m->paddr, (unsigned long long)MONITOR_RTC_PADDR, sys->pds[p].name,
                        sys->pds[p].restart_period_loc.line);
        }
        break;
    }
}
