/* Build-time verification of the eBPF programs a system is built with.
 * The bpf PD (system/bpf) is handed eBPF objects through maps of prefilled
 * memory regions with setvar_vaddr="bpf_objectN"; hooking PDs keep their
 * hook declarations in the section .bpfhook_decl of their program images
 * (BPFHOOK_DECLARATION in hypos/bpfhook.h). Every such object must load,
 * and every program in it whose section names a declared hook
 * (SEC("pdhook/<hook>")) must pass exactly the checks the bpf PD makes at
 * boot (libs/bpfhook: the verifier against the declaration, then size and
 * map rules): otherwise the build fails at the map's line and column. */
#include "bpfcheck.h"
#include "bpfpd.h"
#include "elf.h"
#include <hypos/bpfhook.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct decl_ref {
    struct bpfhook_decl decl;
    int pd;
} decl_ref_t;

static void *host_alloc(void *actx, size_t size)
{
    (void)actx;
    return calloc(1, size);
}

static void host_free(void *actx, void *p, size_t size)
{
    (void)actx;
    (void)size;
    free(p);
}

const struct bpf_allocator bpfcheck_allocator = {host_alloc, host_free, NULL};

/* Every declaration of every PD, each checked as the bpf PD checks it. */
static decl_ref_t *collect_declarations(const sdf_system_t *sys, int *n_out)
{
    decl_ref_t *decls = NULL;
    int n = 0;
    /* a header page and room for any declared program: the declaration
     * is checked through the bpf PD's own reader */
    uint64_t scratch_size = BPFHOOK_HEADER_SIZE + 3 * 8 * (uint64_t)BPF_MAX_INSNS + 8192;
    for (int p = 0; p < sys->n_pds; p++) {
        const sdf_pd_t *pd = &sys->pds[p];
        const uint8_t *data;
        uint64_t size;
        if (!pd->elf || !elf_section(pd->elf, ".bpfhook_decl", &data, &size))
            continue;
        if (size % sizeof(struct bpfhook_decl))
            fail_at(
                pd->program_loc,
                "section .bpfhook_decl of '%s' is not a whole number of hook declarations (%llu bytes; one is %zu): "
                "was it built against another hypos/bpfhook.h?",
                pd->program_path, (unsigned long long)size, sizeof(struct bpfhook_decl));
        for (uint64_t off = 0; off < size; off += sizeof(struct bpfhook_decl)) {
            decl_ref_t d;
            memcpy(&d.decl, data + off, sizeof d.decl);
            d.pd = p;
            struct bpfhook_shared *region = calloc(1, scratch_size);
            region->magic = BPFHOOK_MAGIC;
            region->decl_seq = 1;
            region->decl = d.decl;
            struct bpfhook_decl checked;
            char msg[BPFHOOK_MESSAGE_LEN];
            int rc = bpfhook_read_decl(region, scratch_size, &checked, msg, sizeof msg);
            free(region);
            if (rc)
                fail_at(pd->program_loc, "hook declaration %llu in '%s' is refused: %s",
                        (unsigned long long)(off / sizeof d.decl), pd->program_path, msg);
            for (int k = 0; k < n; k++)
                if (!strcmp(decls[k].decl.name, d.decl.name))
                    fail_at(pd->program_loc, "hook '%s' is declared by both '%s' and '%s'", d.decl.name,
                            sys->pds[decls[k].pd].name, pd->name);
            decls = realloc(decls, sizeof *decls * (size_t)(n + 1));
            decls[n++] = d;
        }
    }
    *n_out = n;
    return decls;
}

/* Hooks declared with <hypos:pd_hook>: the hooking PD's image declares
 * the hook, and the region the element names can hold what the
 * declaration asks for (the bpf PD's own reader of declarations, given
 * the region's real size). */
static void check_hook_elements(const sdf_system_t *sys, const decl_ref_t *decls, int n_decls)
{
    for (int i = 0; i < bpfpd_hook_count(); i++) {
        const bpfpd_hook_t *h = bpfpd_hook_at(i);
        if (h->index < 0)
            continue;
        const sdf_pd_t *pd = &sys->pds[h->pd];
        const decl_ref_t *d = NULL;
        char declared[256] = "";
        for (int k = 0; k < n_decls; k++) {
            if (strcmp(decls[k].decl.name, h->name)) {
                if (decls[k].pd == h->pd)
                    snprintf(declared + strlen(declared), sizeof declared - strlen(declared), "%s'%s'",
                             *declared ? ", " : "", decls[k].decl.name);
                continue;
            }
            if (decls[k].pd != h->pd)
                fail_at(h->pd_loc, "hook '%s' is declared by '%s', not by '%s'", h->name, sys->pds[decls[k].pd].name,
                        pd->name);
            d = &decls[k];
        }
        if (!d)
            fail_at(h->name_loc, "'%s' does not declare hook '%s': its program image '%s' declares %s%s", pd->name,
                    h->name, pd->program, *declared ? declared : "no hook",
                    *declared ? "" : " (BPFHOOK_DECLARATION puts a declaration in section .bpfhook_decl)");
        uint64_t size = sys->mrs[h->mr].size;
        struct bpfhook_shared *header = calloc(1, BPFHOOK_HEADER_SIZE); /* all the reader looks at */
        header->magic = BPFHOOK_MAGIC;
        header->decl_seq = 1;
        header->decl = d->decl;
        struct bpfhook_decl checked;
        char msg[BPFHOOK_MESSAGE_LEN];
        int rc = bpfhook_read_decl(header, size, &checked, msg, sizeof msg);
        free(header);
        if (rc)
            fail_at(h->mr_loc, "memory region '%s' (0x%llx bytes) cannot hold hook '%s' of '%s': %s", h->mr_name,
                    (unsigned long long)size, h->name, pd->name, msg);
    }
}

uint8_t *bpfcheck_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(sz > 0 ? (size_t)sz : 1);
    if (sz < 0 || fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *len = (size_t)sz;
    return buf;
}

/* An offer into a region of the hook's: for a hook declared with
 * <hypos:pd_hook>, one of its region's real size, so that whether the
 * maps fit is decided here by the bpf PD's own rule; for a hook whose
 * region the file does not tell (setvar bpf_hookN only), a scratch region
 * as large as any the hook could have, leaving the maps to the bpf PD. */
static void check_program(const sdf_map_t *m, const char *object, const struct bpf_prog *prog, const decl_ref_t *d,
                          const sdf_system_t *sys, const struct bpf_env *env)
{
    uint64_t size = BPFHOOK_HEADER_SIZE + 2 * 8 * (uint64_t)d->decl.max_insns + 8192 + (64ull << 20);
    const bpfpd_hook_t *h = bpfpd_hook_named(d->decl.name);
    char where[160] = "";
    if (h && h->index >= 0 && h->pd == d->pd) {
        size = sys->mrs[h->mr].size;
        snprintf(where, sizeof where, " in region '%s' (0x%llx bytes)", h->mr_name, (unsigned long long)size);
    }
    void *region = calloc(1, size);
    struct bpfhook hook;
    char msg[BPFHOOK_MESSAGE_LEN];
    if (!region || bpfhook_declare(&hook, region, size, &d->decl))
        fail("no memory to check eBPF programs");
    int rc = bpfhook_offer(region, size, prog, env, &bpfcheck_allocator, msg, sizeof msg);
    free(region);
    if (rc)
        fail_at(m->loc, "program '%s' of %s (section %s) for hook '%s' of '%s'%s is refused: %s",
                prog->name ? prog->name : "?", object, prog->section ? prog->section : "?", d->decl.name,
                sys->pds[d->pd].name, where, msg);
}

void check_bpf(const sdf_system_t *sys)
{
    int n_decls;
    decl_ref_t *decls = collect_declarations(sys, &n_decls);
    check_hook_elements(sys, decls, n_decls);
    struct bpf_env env;
    bpf_env_init(&env, NULL, NULL);
    bpfhook_register_helpers(&env);
    for (int p = 0; p < sys->n_pds; p++) {
        const sdf_pd_t *pd = &sys->pds[p];
        for (int i = 0; i < pd->n_maps; i++) {
            const sdf_map_t *m = &pd->maps[i];
            unsigned idx;
            char tail;
            if (!m->setvar_vaddr || sscanf(m->setvar_vaddr, "bpf_object%u%c", &idx, &tail) != 1)
                continue;
            const sdf_mr_t *mr = &sys->mrs[m->mr];
            if (!mr->prefill) /* filled at run time: the bpf PD checks it then */
                continue;
            size_t len;
            uint8_t *bytes = bpfcheck_read_file(mr->prefill, &len);
            if (!bytes)
                fail_at(m->loc, "cannot read eBPF object '%s'", mr->prefill);
            struct bpf_object *obj;
            struct bpf_load_error err;
            if (bpf_object_load(&obj, bytes, len, &env, &bpfcheck_allocator, &err))
                fail_at(m->loc,
                        "'%s' (region '%s', given to '%s' as %s) is not an eBPF object the bpf PD can load: "
                        "[%s]+0x%llx: %s",
                        mr->prefill, mr->name, pd->name, m->setvar_vaddr, err.section, (unsigned long long)err.offset,
                        err.reason);
            for (uint32_t k = 0; k < bpf_object_prog_count(obj); k++) {
                const struct bpf_prog *prog = bpf_object_prog_at(obj, k);
                const char *sec = prog->section ? prog->section : "";
                size_t plen = strlen(BPFHOOK_SECTION_PREFIX);
                if (strncmp(sec, BPFHOOK_SECTION_PREFIX, plen))
                    continue;
                for (int d = 0; d < n_decls; d++)
                    if (!strcmp(decls[d].decl.name, sec + plen))
                        check_program(m, mr->prefill, prog, &decls[d], sys, &env);
            }
            bpf_object_free(obj);
            free(bytes);
        }
    }
    free(decls);
}
