/* The bpf PD's objects and PD hook points: hypOS elements of a .system file.
 *
 *   <hypos:bpf_object pd="bpf" path="filter.bpf.o" />
 *   <hypos:bpf_object pd="bpf" mr="filter_obj" [vaddr="0x10100000"] />
 *   <hypos:pd_hook name="rx_filter" pd="serial" mr="rx_hook" bpf_pd="bpf"
 *                  setvar_vaddr="rx_hook" setvar_size="rx_hook_size" />
 *
 * The bpf PD (system/bpf) is configured through variables of its program:
 * bpf_objectN/bpf_objectN_size for the Nth eBPF object, bpf_hookN/
 * bpf_hookN_size for the Nth hook region. Without these elements a file
 * sets them with setvar_vaddr and setvar_size on its own maps; with them
 * the tool takes the next free N, makes the object's region (prefilled
 * from the file) when given a path, and adds the maps: the object
 * read-only into the bpf PD, the hook region read-write into the bpf PD
 * and into the hooking PD. It adds them before sdf_check looks at maps,
 * so the usual rules (alignment, overlaps, symbols that exist and are set
 * once) apply to them with the element's position. Knowing which region a
 * hook lives in lets bpfcheck.c check the programs for it against that
 * region's real size.
 *
 * A file may mix both ways: the elements take the indices its own maps
 * leave free. The bpf PD itself reads the variables as before. */
#include "bpfpd.h"
#include "elf.h"
#include "trace.h"
#include "hypos/microkit_abi.h"
#include <hypos/bpfhook.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bpfpd_object {
    char *pd_name, *path, *file, *mr_name; /* file: path resolved along the search paths */
    uint64_t file_bytes, vaddr;
    bool has_vaddr;
    int mr, pd, index; /* index: N of bpf_objectN */
    loc_t loc, pd_loc, path_loc, mr_loc, vaddr_loc;
} bpfpd_object_t;

typedef struct hook_extra {
    uint64_t vaddr, bpf_vaddr;
    bool has_vaddr, has_bpf_vaddr;
    char *setvar_vaddr, *setvar_size;
    loc_t vaddr_loc, bpf_vaddr_loc, setvar_loc, setvar_size_loc;
} hook_extra_t;

static bpfpd_object_t *objects;
static int n_objects;
static bpfpd_hook_t *hooks;
static hook_extra_t *extras; /* one per hook: what only the expansion needs */
static int n_hooks;

/* Where the tool maps what the elements give no vaddr for: from here up,
 * half-way through the Sv39 user space, far from programs (linked at
 * 2 MiB) and from the trace JIT regions (placed downwards from 248 GiB). */
#define FIRST_FREE_VADDR 0x2000000000ull

#define GROW(arr, n) \
    ((arr) = realloc((arr), sizeof *(arr) * (size_t)((n) + 1)), memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

void bpfpd_reset(void)
{
    free(objects);
    free(hooks);
    free(extras);
    objects = NULL;
    hooks = NULL;
    extras = NULL;
    n_objects = n_hooks = 0;
}

int bpfpd_hook_count(void) { return n_hooks; }
const bpfpd_hook_t *bpfpd_hook_at(int i) { return &hooks[i]; }

const bpfpd_hook_t *bpfpd_hook_named(const char *name)
{
    for (int i = 0; i < n_hooks; i++)
        if (!strcmp(hooks[i].name, name))
            return &hooks[i];
    return NULL;
}

static void parse_object(const elem_t *e)
{
    static const char *const ok[] = {"pd", "path", "mr", "vaddr", NULL};
    only_attrs(e, ok);
    bpfpd_object_t *o = GROW(objects, n_objects);
    o->loc = e->loc;
    o->mr = o->pd = o->index = -1;
    o->pd_name = need(e, "pd");
    o->pd_loc = aloc(e, "pd");
    o->path = attr(e, "path");
    o->path_loc = aloc(e, "path");
    o->mr_name = attr(e, "mr");
    o->mr_loc = aloc(e, "mr");
    if (o->path && o->mr_name)
        fail_at(o->mr_loc, "<bpf_object> gives both 'path' and 'mr': the object is either a file the tool puts in a "
                           "region of its own or a region of the file");
    if (!o->path && !o->mr_name)
        fail_at(e->loc, "<bpf_object> needs 'path' (an eBPF object file) or 'mr' (a memory region holding one)");
    char *v = attr(e, "vaddr");
    o->vaddr_loc = aloc(e, "vaddr");
    if (v) {
        o->vaddr = num(e, "vaddr", v);
        o->has_vaddr = true;
    }
    if (o->path) {
        if (!*o->path)
            fail_at(o->path_loc, "'path' of <bpf_object> is empty");
        o->file = sdf_find_file(o->path, &o->file_bytes);
        if (!o->file)
            fail_at(o->path_loc, "eBPF object '%s' not found (looked along the search paths)", o->path);
        if (!o->file_bytes)
            fail_at(o->path_loc, "eBPF object '%s' is empty", o->path);
    }
}

static void parse_hook(const elem_t *e)
{
    static const char *const ok[] = {"name",         "pd",          "mr",        "bpf_pd", "vaddr",
                                     "setvar_vaddr", "setvar_size", "bpf_vaddr", NULL};
    only_attrs(e, ok);
    bpfpd_hook_t *h = GROW(hooks, n_hooks);
    extras = realloc(extras, sizeof *extras * (size_t)n_hooks);
    hook_extra_t *x = &extras[n_hooks - 1];
    memset(x, 0, sizeof *x);
    h->loc = e->loc;
    h->pd = h->bpf_pd = h->mr = h->index = -1;
    h->name = need(e, "name");
    h->name_loc = aloc(e, "name");
    if (!hook_name_ok(h->name))
        fail_at(h->name_loc, "hook name '%s' must be 1 to 31 letters, digits, '_' or '-'", h->name);
    for (int i = 0; i < n_hooks - 1; i++)
        if (!strcmp(hooks[i].name, h->name))
            fail_at(h->name_loc, "duplicate hook name '%s' (first at line %d): hook names are unique in a system",
                    h->name, hooks[i].loc.line);
    h->pd_name = need(e, "pd");
    h->pd_loc = aloc(e, "pd");
    h->mr_name = need(e, "mr");
    h->mr_loc = aloc(e, "mr");
    h->bpf_pd_name = need(e, "bpf_pd");
    h->bpf_pd_loc = aloc(e, "bpf_pd");
    char *v;
    x->vaddr_loc = aloc(e, "vaddr");
    if ((v = attr(e, "vaddr"))) {
        x->vaddr = num(e, "vaddr", v);
        x->has_vaddr = true;
    }
    x->bpf_vaddr_loc = aloc(e, "bpf_vaddr");
    if ((v = attr(e, "bpf_vaddr"))) {
        x->bpf_vaddr = num(e, "bpf_vaddr", v);
        x->has_bpf_vaddr = true;
    }
    x->setvar_vaddr = attr(e, "setvar_vaddr");
    x->setvar_loc = aloc(e, "setvar_vaddr");
    x->setvar_size = attr(e, "setvar_size");
    x->setvar_size_loc = aloc(e, "setvar_size");
}

bool bpfpd_parse_element(const elem_t *e)
{
    const char *n = (const char *)e->node->name;
    if (!strcmp(n, "bpf_object"))
        parse_object(e);
    else if (!strcmp(n, "pd_hook"))
        parse_hook(e);
    else
        return false;
    return true;
}

/* The PD's program image, loaded once for the checks here and kept for
 * sdf_check; NULL when it does not load (sdf_check says why). */
static const elf_file_t *image_of(sdf_pd_t *pd)
{
    if (!pd->elf) {
        const char *why;
        pd->elf = elf_load(pd->program_path, &why);
    }
    return pd->elf;
}

/* How many bpf_objectN (or bpf_hookN) slots the bpf PD's program has:
 * both variables of each N from 0 up. */
static int slots_of(const elf_file_t *elf, const char *prefix)
{
    int n = 0;
    for (;; n++) {
        char sym[64];
        uint64_t a, sz;
        snprintf(sym, sizeof sym, "%s%d", prefix, n);
        if (!elf_symbol(elf, sym, &a, &sz))
            break;
        snprintf(sym, sizeof sym, "%s%d_size", prefix, n);
        if (!elf_symbol(elf, sym, &a, &sz))
            break;
    }
    return n;
}

static bool symbol_set(const sdf_pd_t *pd, const char *sym)
{
    for (int k = 0; k < pd->n_maps; k++) {
        const sdf_map_t *m = &pd->maps[k];
        if ((m->setvar_vaddr && !strcmp(m->setvar_vaddr, sym)) || (m->setvar_size && !strcmp(m->setvar_size, sym)) ||
            (m->setvar_prefill_size && !strcmp(m->setvar_prefill_size, sym)))
            return true;
    }
    for (int k = 0; k < pd->n_setvars; k++)
        if (!strcmp(pd->setvars[k].symbol, sym))
            return true;
    return false;
}

/* The lowest N whose two variables the file does not set yet; fails when
 * every slot of the bpf PD's program is taken. */
static int next_slot(const sdf_pd_t *pd, const char *prefix, const char *what, loc_t at)
{
    int slots = slots_of(pd->elf, prefix);
    for (int n = 0; n < slots; n++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "%s%d", prefix, n);
        snprintf(b, sizeof b, "%s%d_size", prefix, n);
        if (!symbol_set(pd, a) && !symbol_set(pd, b))
            return n;
    }
    fail_at(at, "more than %d %s for '%s': its program image '%s' has %s0 to %s%d, all taken", slots, what, pd->name,
            pd->program, prefix, prefix, slots - 1);
}

/* The bpf PD named at `at`: it exists and its program has the variables
 * of `prefix`; NULL when its image does not load (sdf_check reports it). */
static sdf_pd_t *bpf_pd(sdf_system_t *sys, const char *name, loc_t at, const char *prefix, const char *element)
{
    int p = sdf_pd_named(sys, name);
    if (p < 0)
        fail_at(at, "<%s> names protection domain '%s', which does not exist", element, name);
    sdf_pd_t *pd = &sys->pds[p];
    if (!image_of(pd))
        return NULL;
    if (!slots_of(pd->elf, prefix))
        fail_at(at,
                "'%s' is not a bpf PD: its program image '%s' has no %s0 (the SDK's bpf PD is <program_image "
                "path=\"bpf.elf\" />)",
                name, pd->program, prefix);
    return pd;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* The lowest address from FIRST_FREE_VADDR up where size bytes, aligned
 * to the region's page size, touch no map and no program segment. */
static uint64_t free_vaddr(const sdf_system_t *sys, const sdf_pd_t *pd, const sdf_mr_t *mr, loc_t at)
{
    uint64_t top = PD_STACK_TOP - pd->stack_size, va = FIRST_FREE_VADDR;
    for (;;) {
        va = align_up(va, mr->page_size);
        if (va + mr->size > top || va + mr->size < va)
            fail_at(at, "no room in the address space of '%s' for memory region '%s'", pd->name, mr->name);
        uint64_t past = 0;
        for (int k = 0; k < pd->n_maps; k++) {
            uint64_t lo = pd->maps[k].vaddr, hi = lo + sys->mrs[pd->maps[k].mr].size;
            if (va < hi && lo < va + mr->size && hi > past)
                past = hi;
        }
        for (int s = 0; pd->elf && s < pd->elf->n_segs; s++) {
            uint64_t lo = pd->elf->segs[s].vaddr & ~0xfffull,
                     hi = align_up(pd->elf->segs[s].vaddr + pd->elf->segs[s].memsz, 0x1000);
            if (va < hi && lo < va + mr->size && hi > past)
                past = hi;
        }
        if (!past)
            return va;
        va = past;
    }
}

static void add_map(sdf_system_t *sys, sdf_pd_t *pd, int mr, uint64_t vaddr, int perms, const char *setvar_vaddr,
                    const char *setvar_size, loc_t loc, loc_t vaddr_loc, loc_t setvar_loc, loc_t setvar_size_loc)
{
    sdf_map_t *m = GROW(pd->maps, pd->n_maps);
    m->mr_name = strdup(sys->mrs[mr].name);
    m->mr = mr;
    m->vaddr = vaddr;
    m->perms = perms;
    m->cached = true;
    m->setvar_vaddr = setvar_vaddr ? strdup(setvar_vaddr) : NULL;
    m->setvar_size = setvar_size ? strdup(setvar_size) : NULL;
    m->loc = loc;
    m->vaddr_loc = vaddr_loc;
    m->setvar_loc = setvar_loc;
    m->setvar_size_loc = setvar_size_loc;
}

/* A region an element hands to the bpf PD must not be mapped into it by
 * the file as well: the element's map and the file's would both set it. */
static void not_mapped_by_file(const sdf_system_t *sys, int p, int mr, loc_t at, const char *element)
{
    const sdf_map_t *m = sdf_map_of(sys, p, mr);
    if (m)
        fail_at(at, "'%s' already maps memory region '%s' (line %d): <%s> maps it there itself; remove that <map>",
                sys->pds[p].name, sys->mrs[mr].name, m->loc.line, element);
}

static void expand_object(sdf_system_t *sys, bpfpd_object_t *o)
{
    sdf_pd_t *pd = bpf_pd(sys, o->pd_name, o->pd_loc, "bpf_object", "bpf_object");
    if (!pd)
        return;
    int p = (int)(pd - sys->pds);
    if (o->mr_name) {
        o->mr = sdf_mr_named(sys, o->mr_name);
        if (o->mr < 0)
            fail_at(o->mr_loc, "<bpf_object> names memory region '%s', which does not exist", o->mr_name);
        for (bpfpd_object_t *q = objects; q < o; q++)
            if (q->mr == o->mr)
                fail_at(o->mr_loc, "memory region '%s' is already the eBPF object of line %d", o->mr_name, q->loc.line);
        not_mapped_by_file(sys, p, o->mr, o->mr_loc, "bpf_object");
    }
    int n = next_slot(pd, "bpf_object", "eBPF objects", o->loc);
    o->pd = p;
    o->index = n;
    char var[64], size_var[64];
    snprintf(var, sizeof var, "bpf_object%d", n);
    snprintf(size_var, sizeof size_var, "bpf_object%d_size", n);
    if (o->path) {
        char name[96];
        snprintf(name, sizeof name, "hypos_%s_object%d", pd->name, n);
        if (sdf_mr_named(sys, name) >= 0)
            fail_at(o->loc, "memory region '%s', which the tool would make for this object, is already in the file",
                    name);
        sdf_mr_t *mr = GROW(sys->mrs, sys->n_mrs);
        mr->name = strdup(name);
        mr->size = align_up(o->file_bytes, 0x1000);
        mr->page_size = 0x1000;
        mr->prefill = o->file;
        mr->prefill_bytes = o->file_bytes;
        mr->loc = mr->size_loc = mr->page_size_loc = mr->paddr_loc = o->loc;
        o->mr = sys->n_mrs - 1;
    }
    uint64_t va = o->has_vaddr ? o->vaddr : free_vaddr(sys, pd, &sys->mrs[o->mr], o->loc);
    add_map(sys, pd, o->mr, va, PERM_R, var, size_var, o->loc, o->has_vaddr ? o->vaddr_loc : o->loc, o->pd_loc,
            o->pd_loc);
}

static bool in_ram(const sdf_mr_t *mr)
{
    return !mr->fixed || (mr->paddr >= 0x80000000ull && mr->paddr < 0x100000000ull);
}

static void expand_hook(sdf_system_t *sys, bpfpd_hook_t *h, hook_extra_t *x)
{
    h->pd = sdf_pd_named(sys, h->pd_name);
    if (h->pd < 0)
        fail_at(h->pd_loc, "hook '%s' names protection domain '%s', which does not exist", h->name, h->pd_name);
    sdf_pd_t *bpd = bpf_pd(sys, h->bpf_pd_name, h->bpf_pd_loc, "bpf_hook", "pd_hook");
    if (!bpd)
        return;
    h->bpf_pd = (int)(bpd - sys->pds);
    if (h->bpf_pd == h->pd)
        fail_at(h->pd_loc, "hook '%s': '%s' cannot hook itself: the hooking PD runs the programs the bpf PD verifies",
                h->name, h->pd_name);
    h->mr = sdf_mr_named(sys, h->mr_name);
    if (h->mr < 0)
        fail_at(h->mr_loc, "hook '%s' names memory region '%s', which does not exist", h->name, h->mr_name);
    const sdf_mr_t *mr = &sys->mrs[h->mr];
    if (!in_ram(mr))
        fail_at(h->mr_loc, "memory region '%s' of hook '%s' is device memory: a hook region must be in RAM", h->mr_name,
                h->name);
    for (bpfpd_hook_t *o = hooks; o < h; o++)
        if (o->mr == h->mr)
            fail_at(h->mr_loc, "memory region '%s' is already the region of hook '%s'", h->mr_name, o->name);
    for (int i = 0; i < n_objects; i++)
        if (objects[i].mr == h->mr)
            fail_at(h->mr_loc, "memory region '%s' is the eBPF object of line %d, not a hook region", h->mr_name,
                    objects[i].loc.line);
    not_mapped_by_file(sys, h->bpf_pd, h->mr, h->mr_loc, "pd_hook");

    /* the hooking PD writes its declaration and runs from the region:
     * its own map of it, or one the element describes */
    sdf_pd_t *pd = &sys->pds[h->pd];
    const sdf_map_t *own = sdf_map_of(sys, h->pd, h->mr);
    if (own) {
        if (!(own->perms & PERM_W))
            fail_at(own->loc, "'%s' maps the region '%s' of hook '%s' read-only: the hooking PD writes it", pd->name,
                    h->mr_name, h->name);
        loc_t extra = x->has_vaddr ? x->vaddr_loc : x->setvar_vaddr ? x->setvar_loc : x->setvar_size_loc;
        if (x->has_vaddr || x->setvar_vaddr || x->setvar_size)
            fail_at(extra,
                    "'%s' maps the region '%s' of hook '%s' itself (line %d): vaddr, setvar_vaddr and setvar_size "
                    "belong on that <map>",
                    pd->name, h->mr_name, h->name, own->loc.line);
    } else {
        if (!x->setvar_vaddr && !x->has_vaddr)
            fail_at(h->loc,
                    "hook '%s': give setvar_vaddr (the variable of '%s' that gets the region's address) or vaddr, "
                    "or map '%s' into '%s' yourself",
                    h->name, pd->name, h->mr_name, pd->name);
        image_of(pd); /* for a free address clear of its program */
        uint64_t va = x->has_vaddr ? x->vaddr : free_vaddr(sys, pd, mr, h->loc);
        add_map(sys, pd, h->mr, va, PERM_R | PERM_W, x->setvar_vaddr, x->setvar_size, h->loc,
                x->has_vaddr ? x->vaddr_loc : h->pd_loc, x->setvar_loc, x->setvar_size_loc);
    }
    /* the hooking PD runs what the bpf PD verified without checking it
     * again: nobody else may change the region under them */
    for (int p = 0; p < sys->n_pds; p++) {
        const sdf_map_t *m = sdf_map_of(sys, p, h->mr);
        if (p != h->pd && p != h->bpf_pd && m && (m->perms & PERM_W))
            fail_at(m->loc, "'%s' maps the region '%s' of hook '%s' writable: only '%s' and '%s' may write it",
                    sys->pds[p].name, h->mr_name, h->name, pd->name, bpd->name);
    }
    /* a hooking PD declares (again after a restart) and then notifies
     * the bpf PD, which answers declarations when it is notified */
    bool channel = false;
    for (int c = 0; c < sys->n_channels; c++)
        for (int k = 0; k < 2; k++)
            channel |= sys->channels[c].end[k].pd == h->pd && sys->channels[c].end[1 - k].pd == h->bpf_pd;
    if (!channel)
        fail_at(h->bpf_pd_loc,
                "hook '%s': '%s' has no channel to '%s', so it cannot tell it that it declared the hook "
                "(microkit_notify after bpfhook_declare)",
                h->name, pd->name, bpd->name);
    h->index = next_slot(bpd, "bpf_hook", "hook regions", h->loc);
    char var[64], size_var[64];
    snprintf(var, sizeof var, "bpf_hook%d", h->index);
    snprintf(size_var, sizeof size_var, "bpf_hook%d_size", h->index);
    uint64_t va = x->has_bpf_vaddr ? x->bpf_vaddr : free_vaddr(sys, bpd, mr, h->loc);
    add_map(sys, bpd, h->mr, va, PERM_R | PERM_W, var, size_var, h->loc, x->has_bpf_vaddr ? x->bpf_vaddr_loc : h->loc,
            h->bpf_pd_loc, h->bpf_pd_loc);
}

void bpfpd_expand(sdf_system_t *sys)
{
    for (int i = 0; i < n_objects; i++)
        expand_object(sys, &objects[i]);
    for (int i = 0; i < n_hooks; i++)
        expand_hook(sys, &hooks[i], &extras[i]);
}

void bpfpd_report(const sdf_system_t *sys, FILE *report)
{
    for (int i = 0; i < n_objects; i++) {
        const bpfpd_object_t *o = &objects[i];
        if (o->index < 0)
            continue;
        const sdf_map_t *m = sdf_map_of(sys, o->pd, o->mr);
        fprintf(report, "bpf object (line %d): region %s", o->loc.line, sys->mrs[o->mr].name);
        if (o->path)
            fprintf(report, " (%s, %llu bytes)", o->path, (unsigned long long)o->file_bytes);
        fprintf(report, " given to %s as bpf_object%d at 0x%llx\n", sys->pds[o->pd].name, o->index,
                (unsigned long long)m->vaddr);
    }
    for (int i = 0; i < n_hooks; i++) {
        const bpfpd_hook_t *h = &hooks[i];
        if (h->index < 0)
            continue;
        const sdf_map_t *in_pd = sdf_map_of(sys, h->pd, h->mr), *in_bpf = sdf_map_of(sys, h->bpf_pd, h->mr);
        fprintf(report, "pd hook '%s' (line %d) of %s: region %s (0x%llx bytes) at 0x%llx", h->name, h->loc.line,
                sys->pds[h->pd].name, h->mr_name, (unsigned long long)sys->mrs[h->mr].size,
                (unsigned long long)in_pd->vaddr);
        if (in_pd->setvar_vaddr)
            fprintf(report, " (%s)", in_pd->setvar_vaddr);
        fprintf(report, ", given to %s as bpf_hook%d at 0x%llx\n", sys->pds[h->bpf_pd].name, h->index,
                (unsigned long long)in_bpf->vaddr);
    }
}
