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

/* An offer into a scratch region as large as any the hook could have:
 * what fits there is checked; whether the maps fit the real region is
 * left to the bpf PD, which knows its size. */
static void check_program(const sdf_map_t *m, const char *object, const struct bpf_prog *prog, const decl_ref_t *d,
                          const sdf_system_t *sys, const struct bpf_env *env)
{
    uint64_t size = BPFHOOK_HEADER_SIZE + 2 * 8 * (uint64_t)d->decl.max_insns + 8192 + (64ull << 20);
    void *region = calloc(1, size);
    struct bpfhook hook;
    char msg[BPFHOOK_MESSAGE_LEN];
    if (!region || bpfhook_declare(&hook, region, size, &d->decl))
        fail("no memory to check eBPF programs");
    int rc = bpfhook_offer(region, size, prog, env, &bpfcheck_allocator, msg, sizeof msg);
    free(region);
    if (rc)
        fail_at(m->loc, "program '%s' of %s (section %s) for hook '%s' of '%s' is refused: %s",
                prog->name ? prog->name : "?", object, prog->section ? prog->section : "?", d->decl.name,
                sys->pds[d->pd].name, msg);
}

void check_bpf(const sdf_system_t *sys)
{
    int n_decls;
    decl_ref_t *decls = collect_declarations(sys, &n_decls);
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
