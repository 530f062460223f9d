/* The agent core's host environment (harness.h). */
#define _GNU_SOURCE
#include "harness.h"
#include <bpf/verifier.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../libs/bpfhook/tests/progs/byte_hook.h"

struct harness H;
static struct bpf_env env;
static uint8_t arena_mem[1 << 20];

static const struct bpfhook_decl rx_decl = {
    .name = "rx",
    .ctx_size = sizeof(struct byte_ctx),
    .nfields = 2,
    .fields = {{0, 4, BPF_FIELD_READ | BPF_FIELD_WRITE}, {4, 4, BPF_FIELD_READ}},
    .nhelpers = 3,
    .helpers = {BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem, BPF_FUNC_map_delete_elem},
    .verdict_min = VERDICT_DROP,
    .verdict_max = VERDICT_PASS,
    .verdict_default = VERDICT_PASS,
    .max_insns = 256,
};

/* What the bpf PD's protected() does for the agent (system/bpf/control.c),
 * reduced to the library calls. */
static void bpf_call(uint32_t op)
{
    struct bpfctl *c = H.ctl;
    c->rc = 0;
    c->message[0] = 0;
    if (strcmp(c->hook, "rx")) {
        snprintf(c->message, sizeof(c->message), "no hook named '%.31s' is declared", c->hook);
        c->rc = -BPF_ENOENT;
        return;
    }
    char msg[BPFHOOK_MESSAGE_LEN];
    if (op == BPFCTL_OP_DETACH) {
        c->rc = bpfhook_offer_detach(H.hook_region, 65536, msg, sizeof(msg));
        snprintf(c->message, sizeof(c->message), "%s", msg);
        c->offer_seq = ((struct bpfhook_shared *)H.hook_region)->offer_seq;
        if (c->rc == 0)
            installed_detached("rx");
        return;
    }
    struct bpf_arena arena;
    struct bpf_allocator alloc;
    bpf_arena_init(&arena, arena_mem, sizeof(arena_mem));
    bpf_arena_allocator(&arena, &alloc);
    struct bpf_object *obj;
    struct bpf_load_error err;
    if (c->object_len > 65536 - BPFCTL_HEADER ||
        bpf_object_load(&obj, (uint8_t *)c + BPFCTL_HEADER, c->object_len, &env, &alloc, &err)) {
        snprintf(c->message, sizeof(c->message), "not an eBPF object the bpf PD can load");
        c->rc = -BPF_EINVAL;
        return;
    }
    struct bpf_prog *prog = NULL;
    for (uint32_t p = 0; p < bpf_object_prog_count(obj) && !prog; p++) {
        struct bpf_prog *q = bpf_object_prog_at(obj, p);
        if (q->section && !strcmp(q->section, "pdhook/rx"))
            prog = q;
    }
    if (!prog) {
        snprintf(c->message, sizeof(c->message), "the object has no program in section pdhook/rx");
        c->rc = -BPF_ENOENT;
    } else {
        c->rc = bpfhook_offer(H.hook_region, 65536, prog, &env, &alloc, msg, sizeof(msg));
        snprintf(c->message, sizeof(c->message), "%s", msg);
        if (c->rc == 0) { /* as control.c: the tag, and the object kept for a restart */
            ((struct bpfhook_shared *)H.hook_region)->offer_tag = c->prog_id;
            installed_keep("rx", "", (uint8_t *)c + BPFCTL_HEADER, c->object_len, c->prog_id);
        }
        c->offer_seq = ((struct bpfhook_shared *)H.hook_region)->offer_seq;
        c->ninsns = prog->len;
        c->nmaps = prog->nmaps;
    }
    bpf_object_free(obj);
}

static void config_notify(unsigned i) { H.config_notified |= 1u << i; }

void harness_init(void)
{
    static int env_ready;
    if (!env_ready) {
        bpf_env_init(&env, NULL, NULL);
        bpfhook_register_helpers(&env);
        env_ready = 1;
    }
    free(H.hook_region);
    free(H.config);
    free(H.ctl);
    memset(&H, 0, sizeof(H));
    H.hook_region = aligned_alloc(4096, 65536);
    H.config = aligned_alloc(4096, 4096);
    H.ctl = aligned_alloc(4096, 65536);
    memset(H.hook_region, 0, 65536);
    memset(H.config, 0, 4096);
    memset(H.ctl, 0, 65536);
    if (bpfhook_declare(&H.hook, H.hook_region, 65536, &rx_decl)) {
        fprintf(stderr, "harness: declare failed\n");
        exit(2);
    }
    static const struct pdconfig_key keys[] = {
        {"rate", 10, 1, 100, 1, 0},
        {"count", 0, 0, 0, 0, 0},
        {"offset", -5, -10, 10, 1, 0},
    };
    pdconfig_declare(H.config, 4096, "sensor", keys, 3);
    agent_init(&H.agent);
    H.agent.hook[0] = H.hook_region;
    H.agent.hook_size[0] = 65536;
    H.agent.config[0] = H.config;
    H.agent.config_size[0] = 4096;
    H.agent.ctl = H.ctl;
    H.agent.ctl_size = 65536;
    H.agent.bpf_call = bpf_call;
    H.agent.config_notify = config_notify;
}

int64_t harness_run(unsigned byte)
{
    struct byte_ctx c = {.byte = byte, .pos = 0};
    return bpfhook_run(&H.hook, &c);
}

int harness_restart(void)
{
    if (bpfhook_declare(&H.hook, H.hook_region, 65536, &rx_decl))
        return -1;
    /* as the bpf PD's serve_hooks and bpf_control_reoffer */
    const struct installed_prog *k = installed_find("rx");
    if (!k || k->state != INSTALLED_PROGRAM)
        return 0;
    struct bpf_arena arena;
    struct bpf_allocator alloc;
    bpf_arena_init(&arena, arena_mem, sizeof(arena_mem));
    bpf_arena_allocator(&arena, &alloc);
    struct bpf_object *obj;
    struct bpf_load_error err;
    if (bpf_object_load(&obj, k->object, k->len, &env, &alloc, &err))
        return -1;
    int rc = -1;
    for (uint32_t p = 0; p < bpf_object_prog_count(obj); p++) {
        struct bpf_prog *q = bpf_object_prog_at(obj, p);
        char msg[BPFHOOK_MESSAGE_LEN];
        if (q->section && !strcmp(q->section, "pdhook/rx")) {
            rc = bpfhook_offer(H.hook_region, 65536, q, &env, &alloc, msg, sizeof(msg));
            if (rc == 0)
                ((struct bpfhook_shared *)H.hook_region)->offer_tag = k->tag;
            break;
        }
    }
    bpf_object_free(obj);
    return rc;
}
