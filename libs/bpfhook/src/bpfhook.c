/* The hooking PD's side of PD hook points: declare a hook, take verified
 * programs over from the region, run them; and the readers' map views.
 * See include/hypos/bpfhook.h for the region layout and the hand-over. */
#include "internal.h"

/* One environment, VM and eBPF stack for every hook of the PD: a PD is
 * single-threaded and a program runs to its end before the next starts. */
static struct bpf_env env;
static struct bpf_vm vm;
static uint64_t vm_stack[BPF_STACK_SIZE / 8];
static int env_ready;
static void (*platform_print)(const char *s, size_t len);
static uint64_t (*platform_time_ns)(void);
static void (*platform_notify)(unsigned channel);

static void hook_print(void *hctx, const char *buf, size_t len)
{
    (void)hctx;
    if (platform_print)
        platform_print(buf, len);
}

static uint64_t hook_time(void *hctx)
{
    (void)hctx;
    return platform_time_ns ? platform_time_ns() : 0;
}

/* The running hook is the VM's user pointer: its declaration says which
 * channels its programs may signal. */
static uint64_t helper_pd_notify(struct bpf_vm *vm, uint64_t ch, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    (void)a2;
    (void)a3;
    (void)a4;
    (void)a5;
    const struct bpfhook *h = vm->user;
    if (!h || ch >= 64 || !((h->notify_channels >> ch) & 1) || !platform_notify)
        return (uint64_t)-BPF_EINVAL;
    platform_notify((unsigned)ch);
    return 0;
}

int bpfhook_register_helpers(struct bpf_env *e)
{
    static const struct bpf_helper pd_notify = {
        .id = BPFHOOK_FUNC_pd_notify,
        .name = "pd_notify",
        .fn = helper_pd_notify,
        .proto = {.ret = BPF_RET_INTEGER, .args = {BPF_ARG_ANYTHING}},
    };
    return bpf_env_register_helper(e, &pd_notify);
}

static void env_setup(void)
{
    if (env_ready)
        return;
    struct bpf_hooks hooks = {.ktime_ns = hook_time, .print = hook_print};
    bpf_env_init(&env, &hooks, NULL);
    bpfhook_register_helpers(&env);
    bpf_vm_init(&vm, &env, vm_stack, sizeof(vm_stack));
    /* verified mode that runs a program's native code when it has some */
    bpf_vm_set_mode(&vm, BPF_MODE_JIT, 0);
    env_ready = 1;
}

void bpfhook_set_platform(void (*print)(const char *s, size_t len), uint64_t (*time_ns)(void),
                          void (*notify)(unsigned channel))
{
    platform_print = print;
    platform_time_ns = time_ns;
    platform_notify = notify;
}

int bpfhook_use_jit(struct bpfhook *h, void *rw, const void *rx, size_t size, struct bpf_arena *scratch)
{
    if (!h->shared || !scratch || bpf_jit_native_arch() == BPF_JIT_ARCH_NONE)
        return -BPF_EINVAL;
    /* checks that the two views alias and are aligned */
    int rc = bpf_jit_area_init(&h->jit_area, rw, rx, size, 0);
    if (rc)
        return rc;
    h->jit_scratch = scratch;
    return 0;
}

/* Compile the program just taken over; on any failure it stays
 * interpreted (verified), which is only slower. */
static void compile(struct bpfhook *h)
{
    struct bpfhook_shared *s = h->shared;
    s->live_jit = 0;
    s->live_jit_error = 0;
    if (!h->jit_area.rw)
        return;
    struct bpf_hook hook;
    struct bpf_ctx_field fields[BPFHOOK_MAX_FIELDS];
    bpfhook_verifier_hook(&s->decl, &hook, fields);
    struct bpf_allocator alloc;
    bpf_arena_allocator(h->jit_scratch, &alloc);
    struct bpf_jit_opts jo = {.hook = &hook, .alloc = &alloc};
    /* One program per hook: the one taken over replaces the last, which
     * no longer runs, so its code may be overwritten. */
    bpf_jit_area_reset(&h->jit_area);
    int rc = bpf_jit_area_compile(&h->jit_area, &h->prog, &env, &jo, &h->jit_code, NULL);
    if (rc) {
        s->live_jit_error = (uint32_t)rc;
        return;
    }
    s->live_jit = 1;
}

int bpfhook_declare(struct bpfhook *h, void *region, uint64_t region_size, const struct bpfhook_decl *decl)
{
    zero_bytes(h, sizeof(*h));
    h->verdict_default = decl ? decl->verdict_default : 0;
    struct msgbuf m;
    msg_init(&m, NULL, 0);
    struct areas a;
    if (!region || ((uintptr_t)region & 7) || region_size < BPFHOOK_HEADER_SIZE || !decl || decl_check(decl, &m) ||
        areas_for(decl, region_size, &a))
        return -BPF_EINVAL;
    env_setup();
    struct bpfhook_shared *s = region;
    s->magic = BPFHOOK_MAGIC;
    s->region_size = region_size;
    s->staging_off = a.staging_off;
    s->staging_size = a.staging_size;
    s->code_off = a.code_off;
    s->code_size = a.code_size;
    s->maps_off = a.maps_off;
    s->maps_size = a.maps_size;
    copy_bytes(&s->decl, decl, sizeof(*decl));
    /* Whatever was offered for an earlier declaration (a restarted PD)
     * counts as taken: the bpf PD answers the new declaration afresh. */
    s->live_nmaps = 0;
    s->live_ninsns = 0;
    s->live_prog[0] = 0;
    uint32_t offered = SEQ_LOAD(&s->offer_seq);
    SEQ_STORE(&s->live_seq, offered);
    h->seen_seq = offered;
    h->shared = s;
    h->region = region;
    h->ctx_size = decl->ctx_size;
    h->notify_channels = decl->notify_channels;
    SEQ_STORE(&s->decl_seq, SEQ_LOAD(&s->decl_seq) + 1);
    return 0;
}

/* Take the offer numbered seq over, if it answers the current declaration
 * and passes the checks; the running program stays otherwise. */
static void take_offer(struct bpfhook *h, uint32_t seq)
{
    struct bpfhook_shared *s = h->shared;
    h->seen_seq = seq;
    if (s->status != BPFHOOK_OFFERED || s->served_decl_seq != s->decl_seq) {
        SEQ_STORE(&s->live_seq, seq);
        return;
    }
    uint32_t ninsns = s->offer_ninsns, nmaps = s->offer_nmaps;
    struct bpfhook_map_entry maps[BPFHOOK_MAX_MAPS];
    uint32_t error = 0;
    if (ninsns == 0 || ninsns > s->decl.max_insns || (uint64_t)ninsns * sizeof(struct bpf_insn) > s->code_size)
        error = 1;
    if (nmaps > BPFHOOK_MAX_MAPS)
        error = 2;
    if (!error)
        copy_bytes(maps, s->offer_maps, nmaps * sizeof(maps[0]));
    for (uint32_t i = 0; !error && i < nmaps; i++) {
        uint64_t need = bpf_map_mem_size(&maps[i].def);
        if (!need || (maps[i].off & 7) || maps[i].off > s->maps_size || need > s->maps_size - maps[i].off)
            error = 3;
        else if (maps[i].init_len &&
                 (maps[i].def.type != BPF_MAP_TYPE_ARRAY || maps[i].init_len > need ||
                  maps[i].init_off > s->staging_size || maps[i].init_len > s->staging_size - maps[i].init_off))
            error = 4;
        maps[i].name[BPF_MAP_NAME_LEN - 1] = 0;
    }
    if (error) {
        s->live_error = error;
        SEQ_STORE(&s->live_seq, seq);
        return;
    }
    h->live = 0;
    uint8_t *staging = h->region + s->staging_off, *code = h->region + s->code_off, *mem = h->region + s->maps_off;
    copy_bytes(code, staging, (size_t)ninsns * sizeof(struct bpf_insn));
    for (uint32_t i = 0; i < nmaps; i++) {
        uint64_t need = bpf_map_mem_size(&maps[i].def);
        if (bpf_map_init(&h->maps[i], &maps[i].def, mem + maps[i].off, need, maps[i].name)) {
            error = 5;
            break;
        }
        if (maps[i].init_len)
            copy_bytes(h->maps[i].data, staging + maps[i].init_off, maps[i].init_len);
        h->map_ptrs[i] = &h->maps[i];
    }
    struct bpf_prog_error perr;
    if (!error && bpf_prog_init(&h->prog, (const struct bpf_insn *)code, ninsns, h->map_ptrs, nmaps, &env, &perr))
        error = 6;
    if (error) {
        s->live_nmaps = 0;
        s->live_ninsns = 0;
        s->live_error = error;
        SEQ_STORE(&s->live_seq, seq);
        return;
    }
    compile(h);
    copy_bytes(s->live_maps, maps, nmaps * sizeof(maps[0]));
    copy_bytes(s->live_prog, s->offer_prog, BPFHOOK_NAME_LEN);
    s->live_prog[BPFHOOK_NAME_LEN - 1] = 0;
    s->live_nmaps = nmaps;
    s->live_ninsns = ninsns;
    s->live_error = 0;
    h->live = 1;
    SEQ_STORE(&s->live_seq, seq);
}

int bpfhook_poll(struct bpfhook *h)
{
    struct bpfhook_shared *s = h->shared;
    if (!s)
        return 0;
    uint32_t offered = SEQ_LOAD(&s->offer_seq);
    if (offered != h->seen_seq)
        take_offer(h, offered);
    return h->live;
}

int64_t bpfhook_run(struct bpfhook *h, void *ctx)
{
    struct bpfhook_shared *s = h->shared;
    if (!s)
        return h->verdict_default;
    uint32_t offered = SEQ_LOAD(&s->offer_seq);
    if (offered != h->seen_seq)
        take_offer(h, offered);
    if (!h->live)
        return h->verdict_default;
    uint64_t r0;
    vm.user = h;
    int st = bpf_vm_run(&vm, &h->prog, ctx, h->ctx_size, &r0);
    s->runs++;
    if (st != BPF_OK) {
        s->faults++;
        return h->verdict_default;
    }
    return (int64_t)r0;
}

int bpfhook_map_view(const void *region, uint64_t region_size, const char *name, struct bpfhook_map_view *v)
{
    const struct bpfhook_shared *s = region;
    if (!region || region_size < BPFHOOK_HEADER_SIZE || s->magic != BPFHOOK_MAGIC)
        return -BPF_ENOENT;
    uint32_t seq = SEQ_LOAD(&s->live_seq);
    uint32_t n = s->live_nmaps;
    if (n > BPFHOOK_MAX_MAPS)
        return -BPF_EINVAL;
    for (uint32_t i = 0; i < n; i++) {
        struct bpfhook_map_entry e;
        copy_bytes(&e, &s->live_maps[i], sizeof(e));
        e.name[BPF_MAP_NAME_LEN - 1] = 0;
        if (!names_equal(e.name, name, BPF_MAP_NAME_LEN))
            continue;
        if (e.def.type != BPF_MAP_TYPE_ARRAY && e.def.type != BPF_MAP_TYPE_HASH && e.def.type != BPF_MAP_TYPE_LRU_HASH)
            return -BPF_EOPNOTSUPP;
        uint64_t need = bpf_map_mem_size(&e.def); /* 0 for a malformed definition */
        uint64_t maps_off = s->maps_off;
        if (!need || maps_off > region_size || e.off > region_size - maps_off || need > region_size - maps_off - e.off)
            return -BPF_EINVAL;
        v->data = (const uint8_t *)region + maps_off + e.off;
        v->size = need;
        v->stride = (uint32_t)(((uint64_t)e.def.value_size + 7) & ~(uint64_t)7);
        v->def = e.def;
        v->seq = seq;
        return 0;
    }
    return -BPF_ENOENT;
}
