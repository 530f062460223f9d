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
    return bpfhook_use_jit_writer(h, rw, rx, size, NULL, scratch);
}

int bpfhook_use_jit_writer(struct bpfhook *h, void *rw, const void *rx, size_t size,
                           const struct bpf_jit_writer *writer, struct bpf_arena *scratch)
{
    if (!h->shared || !scratch || bpf_jit_native_arch() == BPF_JIT_ARCH_NONE)
        return -BPF_EINVAL;
    /* checks that the two views alias and are aligned (opening and
     * closing the writable view around the check when it comes and goes) */
    int rc = bpf_jit_area_init_writer(&h->jit_area, rw, rx, size, 0, writer);
    if (rc)
        return rc;
    h->jit_scratch = scratch;
    return 0;
}

/* Compile the program just taken over; on any failure it stays
 * interpreted (verified), which is only slower. */
static void compile(struct bpfhook *h, struct bpf_prog *prog)
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
    /* One code area per hook: compile() runs after the old program's
     * last run, so its code may be overwritten. */
    bpf_jit_area_reset(&h->jit_area);
    int rc = bpf_jit_area_compile(&h->jit_area, prog, &env, &jo, &h->jit_code, NULL);
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

static int map_defs_equal(const struct bpf_map_def *a, const struct bpf_map_def *b)
{
    return a->type == b->type && a->key_size == b->key_size && a->value_size == b->value_size &&
           a->max_entries == b->max_entries && a->flags == b->flags;
}

static int overlap(uint64_t a_off, const struct bpf_map_def *a, uint64_t b_off, const struct bpf_map_def *b)
{
    return a_off < b_off + bpf_map_mem_size(b) && b_off < a_off + bpf_map_mem_size(a);
}

/* Make the prepared set the live one: a handful of stores. */
static void switch_over(struct bpfhook *h)
{
    struct bpfhook_shared *s = h->shared;
    uint32_t nxt = h->cur ^ 1, mask = 0;
    for (uint32_t i = 0; i < h->nmaps[nxt]; i++)
        mask |= 1u << h->slot[nxt][i];
    h->cur = nxt;
    h->pool_live = mask;
    h->live = 1;
    if (h->switch_pending)
        h->seen_seq = h->prepared_seq;
    h->switch_pending = 0;
    s->live_ninsns = h->ninsns[nxt];
    s->live_error = 0;
    SEQ_STORE(&s->live_seq, h->seen_seq);
}

/* An offer that cannot be taken: say why, count it as taken, keep what
 * runs (when nothing live was touched) or stop (late preparation). */
static void give_up(struct bpfhook *h, uint32_t error, int touched_live)
{
    struct bpfhook_shared *s = h->shared;
    if (touched_live) {
        h->live = 0;
        s->live_nmaps = 0;
        s->live_ninsns = 0;
    }
    s->live_error = error;
    SEQ_STORE(&s->live_seq, h->seen_seq);
}

/* Take the offer numbered seq: check it and prepare it in the free set
 * (code slot, program, maps). Returns 1 when the switch can wait for the
 * next run (the live program still runs meanwhile), 0 when it happened
 * now or the offer was dropped (the running program stays, or, if the
 * preparation had to overwrite live maps and then failed, nothing runs). */
static int take_offer(struct bpfhook *h, uint32_t seq)
{
    struct bpfhook_shared *s = h->shared;
    h->seen_seq = seq;
    if (s->status == BPFHOOK_DETACH && s->served_decl_seq == s->decl_seq) {
        h->live = 0;
        h->pool_live = 0;
        s->live_nmaps = 0;
        s->live_ninsns = 0;
        s->live_jit = 0;
        s->live_error = 0;
        zero_bytes(s->live_prog, BPFHOOK_NAME_LEN);
        SEQ_STORE(&s->live_seq, seq);
        return 0;
    }
    if (s->status != BPFHOOK_OFFERED || s->served_decl_seq != s->decl_seq) {
        SEQ_STORE(&s->live_seq, seq);
        return 0;
    }
    uint32_t ninsns = s->offer_ninsns, nmaps = s->offer_nmaps;
    uint64_t slot_size = s->code_size / 2;
    struct bpfhook_map_entry *maps = h->entries[h->cur ^ 1];
    uint32_t error = 0;
    if (ninsns == 0 || ninsns > s->decl.max_insns || (uint64_t)ninsns * sizeof(struct bpf_insn) > slot_size)
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
        give_up(h, error, 0);
        return 0;
    }
    /* Maps the live program has at the same place with the same name and
     * definition are kept (the same objects); fresh ones must not overlap
     * them, and if they overlap other live maps the preparation cannot
     * wait: the switch then happens in this run (late). */
    uint32_t cur = h->cur, nxt = cur ^ 1, nlive = h->live ? h->nmaps[cur] : 0;
    int keep[BPFHOOK_MAX_MAPS], late = h->jit_area.rw != NULL; /* one JIT area: compile after the old code's last run */
    uint32_t used = h->live ? h->pool_live : 0;
    for (uint32_t i = 0; i < nmaps; i++) {
        keep[i] = -1;
        for (uint32_t j = 0; j < nlive; j++)
            if (h->entries[cur][j].off == maps[i].off &&
                names_equal(h->entries[cur][j].name, maps[i].name, BPF_MAP_NAME_LEN) &&
                map_defs_equal(&h->entries[cur][j].def, &maps[i].def))
                keep[i] = (int)j;
    }
    for (uint32_t i = 0; i < nmaps; i++) {
        if (keep[i] >= 0)
            continue;
        for (uint32_t k = 0; k < nmaps; k++)
            if (keep[k] >= 0 && overlap(maps[i].off, &maps[i].def, maps[k].off, &maps[k].def))
                error = 7;
        for (uint32_t j = 0; j < nlive; j++)
            if (overlap(maps[i].off, &maps[i].def, h->entries[cur][j].off, &h->entries[cur][j].def))
                late = 1;
    }
    if (error) {
        give_up(h, error, 0);
        return 0;
    }
    if (late) {
        h->live = 0; /* the live program's storage is about to be reused */
        used = 0;
        for (uint32_t i = 0; i < nmaps; i++)
            if (keep[i] >= 0)
                used |= 1u << h->slot[cur][keep[i]];
    }
    uint8_t *staging = h->region + s->staging_off, *mem = h->region + s->maps_off;
    uint8_t *code = h->region + s->code_off + (late ? cur : nxt) * slot_size;
    if (late)
        nxt = cur; /* one set: prepare in place (nothing runs meanwhile) */
    uint8_t slots[BPFHOOK_MAX_MAPS];
    for (uint32_t i = 0; i < nmaps; i++) {
        if (keep[i] >= 0) {
            slots[i] = h->slot[cur][keep[i]];
            continue;
        }
        uint32_t free = ~used & ((1u << (2 * BPFHOOK_MAX_MAPS)) - 1);
        slots[i] = (uint8_t)__builtin_ctz(free);
        used |= 1u << slots[i];
        struct bpf_map *m = &h->pool[slots[i]];
        if (bpf_map_init(m, &maps[i].def, mem + maps[i].off, bpf_map_mem_size(&maps[i].def), maps[i].name)) {
            give_up(h, 5, late);
            return 0;
        }
        if (maps[i].init_len)
            copy_bytes(m->data, staging + maps[i].init_off, maps[i].init_len);
    }
    for (uint32_t i = 0; i < nmaps; i++) {
        h->slot[nxt][i] = slots[i];
        h->map_ptrs[nxt][i] = &h->pool[slots[i]];
    }
    if (late && nxt == cur)
        copy_bytes(h->entries[cur], maps, nmaps * sizeof(maps[0]));
    copy_bytes(code, staging, (size_t)ninsns * sizeof(struct bpf_insn));
    struct bpf_prog_error perr;
    if (bpf_prog_init(&h->prog[nxt], (const struct bpf_insn *)code, ninsns, h->map_ptrs[nxt], nmaps, &env, &perr)) {
        give_up(h, 6, late);
        return 0;
    }
    h->nmaps[nxt] = nmaps;
    h->ninsns[nxt] = ninsns;
    if (late)
        compile(h, &h->prog[nxt]);
    else
        s->live_jit = 0;
    /* Readers see the new table from now: kept maps are where they were,
     * fresh ones are initialised, and the old program's other maps are
     * not reused before the switch. */
    copy_bytes(s->live_maps, h->entries[nxt], nmaps * sizeof(maps[0]));
    copy_bytes(s->live_prog, s->offer_prog, BPFHOOK_NAME_LEN);
    s->live_prog[BPFHOOK_NAME_LEN - 1] = 0;
    s->live_nmaps = nmaps;
    if (late) {
        h->cur = nxt ^ 1; /* switch_over flips back to nxt */
        switch_over(h);
        return 0;
    }
    h->switch_pending = 1;
    h->prepared_seq = seq;
    if (!h->live) { /* nothing runs that could handle events meanwhile */
        switch_over(h);
        return 0;
    }
    /* Taken over completely is the previous offer (the bpf PD makes no
     * other before this one is switched to): the next run sees the
     * difference again and switches. */
    h->seen_seq = seq - 1;
    return 1;
}

int bpfhook_poll(struct bpfhook *h)
{
    struct bpfhook_shared *s = h->shared;
    if (!s)
        return 0;
    uint32_t offered = SEQ_LOAD(&s->offer_seq);
    if (offered != h->seen_seq && !h->switch_pending)
        take_offer(h, offered);
    if (h->switch_pending)
        switch_over(h);
    return h->live;
}

int64_t bpfhook_run(struct bpfhook *h, void *ctx)
{
    struct bpfhook_shared *s = h->shared;
    if (!s)
        return h->verdict_default;
    uint32_t offered = SEQ_LOAD(&s->offer_seq);
    if (offered != h->seen_seq) { /* the fast path is this one comparison */
        if (h->switch_pending)
            switch_over(h);
        else if (!take_offer(h, offered) && !h->live)
            return h->verdict_default;
    }
    if (!h->live)
        return h->verdict_default;
    uint64_t r0;
    vm.user = h;
    int st = bpf_vm_run(&vm, &h->prog[h->cur], ctx, h->ctx_size, &r0);
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
