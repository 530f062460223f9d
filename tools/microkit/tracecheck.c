/* Build-time verification of the programs of trace hooks: every eBPF
 * object handed to a ring's consumer (a map with setvar_vaddr=
 * "bpf_objectN", prefilled) is loaded, and each program whose section is
 * "trace/<hook>" for a hook on one of that PD's rings is offered, as the
 * bpf PD will at boot, against the hook's declaration (bpftrace_decl:
 * the record read-only, the trace helpers, notify on the PD's channels).
 * A refusal fails the build at the map that hands the object over, with
 * the verifier's message. */
#include "trace.h"
#include "bpfcheck.h"
#include "sdf_xml.h"
#include <hypos/bpftrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void trace_check_programs(const sdf_system_t *sys)
{
    struct bpf_env env;
    bpf_env_init(&env, NULL, NULL);
    bpfhook_register_helpers(&env);
    for (int p = 0; p < sys->n_pds; p++) {
        const sdf_pd_t *pd = &sys->pds[p];
        static struct bpftrace_config cbuf;
        const struct bpftrace_config *c = &cbuf;
        trace_pd_config(sys, p, &cbuf);
        if (!c->n_rings)
            continue;
        for (int i = 0; i < pd->n_maps; i++) {
            const sdf_map_t *m = &pd->maps[i];
            unsigned idx;
            char tail;
            if (!m->setvar_vaddr || sscanf(m->setvar_vaddr, "bpf_object%u%c", &idx, &tail) != 1)
                continue;
            const sdf_mr_t *mr = &sys->mrs[m->mr];
            if (!mr->prefill)
                continue;
            size_t len;
            uint8_t *bytes = bpfcheck_read_file(mr->prefill, &len);
            struct bpf_object *obj;
            struct bpf_load_error err;
            if (!bytes)
                fail_at(m->loc, "cannot read eBPF object '%s'", mr->prefill);
            if (bpf_object_load(&obj, bytes, len, &env, &bpfcheck_allocator, &err))
                fail_at(m->loc, "'%s' (given to '%s' as %s) is not an eBPF object the bpf PD can load: [%s]+0x%llx: %s",
                        mr->prefill, pd->name, m->setvar_vaddr, err.section, (unsigned long long)err.offset,
                        err.reason);
            for (uint32_t k = 0; k < bpf_object_prog_count(obj); k++) {
                const struct bpf_prog *prog = bpf_object_prog_at(obj, k);
                const char *sec = prog->section ? prog->section : "";
                size_t plen = strlen(HYPOS_TRACE_SECTION_PREFIX);
                if (strncmp(sec, HYPOS_TRACE_SECTION_PREFIX, plen))
                    continue;
                const struct bpftrace_config_hook *h = NULL;
                for (uint32_t j = 0; j < c->n_hooks; j++)
                    if (c->hooks[j].consumer && !strcmp(c->hooks[j].name, sec + plen))
                        h = &c->hooks[j];
                if (!h)
                    fail_at(m->loc, "program '%s' of %s is for trace hook '%s', which no ring of '%s' carries",
                            prog->name ? prog->name : "?", mr->prefill, sec + plen, pd->name);
                if (!h->region)
                    fail_at(m->loc, "program '%s' of %s is for trace hook '%s', which has no region (mr) to run it in",
                            prog->name ? prog->name : "?", mr->prefill, h->name);
                struct bpfhook_decl decl;
                if (bpftrace_decl(h->name, h->events, pd->notification_bits, &decl))
                    fail("internal: no declaration for trace hook '%s'", h->name);
                uint64_t size = h->region_size;
                void *region = calloc(1, size);
                struct bpfhook hook;
                char msg[BPFHOOK_MESSAGE_LEN];
                if (!region || bpfhook_declare(&hook, region, size, &decl))
                    fail("no memory to check eBPF programs");
                int rc = bpfhook_offer(region, size, prog, &env, &bpfcheck_allocator, msg, sizeof msg);
                free(region);
                if (rc)
                    fail_at(m->loc, "program '%s' of %s (section %s) for trace hook '%s' is refused: %s",
                            prog->name ? prog->name : "?", mr->prefill, sec, h->name, msg);
            }
            bpf_object_free(obj);
            free(bytes);
        }
    }
}
