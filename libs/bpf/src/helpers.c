/*
 * The standard helpers, with Linux's numbers and calling conventions
 * (include/uapi/linux/bpf.h), and the helper registry.
 *
 * Helpers run after the checked interpreter validated their arguments
 * against the prototype; in verified mode the verifier proved the same.
 * They therefore trust map pointers and memory ranges, and only check
 * what the prototype cannot express (map type, flags, index ranges).
 */
#include "internal.h"

#define MAP(x) ((struct bpf_map *)(uintptr_t)(x))
#define PTR(x) ((void *)(uintptr_t)(x))

static uint64_t h_map_update(struct bpf_vm *vm, uint64_t map, uint64_t key, uint64_t value,
                             uint64_t flags, uint64_t a5)
{
	(void)vm;
	(void)a5;
	struct bpf_map *m = MAP(map);
	if (m->prog_readonly || m->def.type == BPF_MAP_TYPE_PROG_ARRAY)
		return (uint64_t)-BPF_EINVAL;
	return (uint64_t)(int64_t)bpf_map_update(m, PTR(key), PTR(value), flags);
}

static uint64_t h_map_delete(struct bpf_vm *vm, uint64_t map, uint64_t key, uint64_t a3,
                             uint64_t a4, uint64_t a5)
{
	(void)vm;
	(void)a3;
	(void)a4;
	(void)a5;
	struct bpf_map *m = MAP(map);
	if (m->prog_readonly || m->def.type == BPF_MAP_TYPE_PROG_ARRAY)
		return (uint64_t)-BPF_EINVAL;
	return (uint64_t)(int64_t)bpf_map_delete(m, PTR(key));
}

static uint64_t h_ktime(struct bpf_vm *vm, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5)
{
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	const struct bpf_env *e = vm->env;
	return e->hooks.ktime_ns ? e->hooks.ktime_ns(e->hook_ctx) : 0;
}

static bool str_ok(const void *vm, uint64_t addr, size_t len)
{
	return bpf_vm_access_ok(vm, addr, len, false);
}

static uint64_t do_printk(struct bpf_vm *vm, uint64_t fmt, uint64_t fmt_size, const uint64_t *args,
                          uint32_t nargs)
{
	char buf[256];
	const struct bpf_env *e = vm->env;
	int n = bpf__format(buf, sizeof(buf), PTR(fmt), fmt_size, args, nargs, str_ok, vm);
	if (e->hooks.print)
		e->hooks.print(e->hook_ctx, buf, (size_t)n);
	return (uint64_t)n;
}

static uint64_t h_trace_printk(struct bpf_vm *vm, uint64_t fmt, uint64_t fmt_size, uint64_t a3,
                               uint64_t a4, uint64_t a5)
{
	uint64_t args[3] = {a3, a4, a5};
	return do_printk(vm, fmt, fmt_size, args, 3);
}

static uint64_t h_trace_vprintk(struct bpf_vm *vm, uint64_t fmt, uint64_t fmt_size, uint64_t data,
                                uint64_t data_len, uint64_t a5)
{
	(void)a5;
	uint64_t args[12];
	if (data_len % 8 || data_len > sizeof(args) || (data_len && !data))
		return (uint64_t)-BPF_EINVAL;
	bpf__memcpy(args, PTR(data), data_len);
	return do_printk(vm, fmt, fmt_size, args, (uint32_t)(data_len / 8));
}

static uint64_t h_prandom(struct bpf_vm *vm, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                          uint64_t a5)
{
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	const struct bpf_env *e = vm->env;
	if (e->hooks.prandom_u32)
		return e->hooks.prandom_u32(e->hook_ctx);
	/* xorshift64*: deterministic when the embedder supplies no source. */
	uint64_t x = vm->prandom_state ? vm->prandom_state : 0x2545f4914f6cdd1dULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	vm->prandom_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint64_t h_cpu_id(struct bpf_vm *vm, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                         uint64_t a5)
{
	(void)a1;
	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	const struct bpf_env *e = vm->env;
	return e->hooks.cpu_id ? e->hooks.cpu_id(e->hook_ctx) : 0;
}

static uint64_t h_tail_call(struct bpf_vm *vm, uint64_t ctx, uint64_t map, uint64_t index,
                            uint64_t a4, uint64_t a5)
{
	(void)ctx;
	(void)a4;
	(void)a5;
	struct bpf_map *m = MAP(map);
	if (m->def.type != BPF_MAP_TYPE_PROG_ARRAY)
		return (uint64_t)-BPF_EINVAL;
	/* Linux compares the index as u32. */
	if ((uint32_t)index >= m->def.max_entries)
		return (uint64_t)-BPF_ENOENT;
	const struct bpf_prog *p = m->u.prog_array.progs[(uint32_t)index];
	if (!p)
		return (uint64_t)-BPF_ENOENT;
	if (vm->tail_calls >= BPF_MAX_TAIL_CALLS)
		return (uint64_t)-BPF_E2BIG;
	vm->tail_calls++;
	vm->tail_target = p;
	return 0;
}

static void rb_notify(struct bpf_vm *vm, struct bpf_map *rb, uint64_t flags)
{
	const struct bpf_env *e = vm->env;
	if (!(flags & BPF_RB_NO_WAKEUP) && e->hooks.ringbuf_notify)
		e->hooks.ringbuf_notify(e->hook_ctx, rb);
}

static uint64_t h_ringbuf_output(struct bpf_vm *vm, uint64_t map, uint64_t data, uint64_t size,
                                 uint64_t flags, uint64_t a5)
{
	(void)a5;
	struct bpf_map *m = MAP(map);
	if (m->def.type != BPF_MAP_TYPE_RINGBUF ||
	    (flags & ~(uint64_t)(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)))
		return (uint64_t)-BPF_EINVAL;
	void *rec = bpf_ringbuf_reserve(m, size);
	if (!rec)
		return (uint64_t)-BPF_EAGAIN;
	bpf__memcpy(rec, PTR(data), size);
	bpf_ringbuf_submit(m, rec, false);
	rb_notify(vm, m, flags);
	return 0;
}

static uint64_t h_ringbuf_reserve(struct bpf_vm *vm, uint64_t map, uint64_t size, uint64_t flags,
                                  uint64_t a4, uint64_t a5)
{
	(void)vm;
	(void)a4;
	(void)a5;
	struct bpf_map *m = MAP(map);
	if (m->def.type != BPF_MAP_TYPE_RINGBUF || flags)
		return 0;
	return (uintptr_t)bpf_ringbuf_reserve(m, size);
}

static struct bpf_map *rb_of_record(struct bpf_vm *vm, uint64_t rec)
{
	const struct bpf_prog *p = vm->prog;
	for (uint32_t i = 0; i < p->nmaps; i++)
		if (p->maps[i]->def.type == BPF_MAP_TYPE_RINGBUF &&
		    bpf__map_is_ringbuf_record(p->maps[i], rec))
			return p->maps[i];
	return NULL;
}

static uint64_t rb_commit(struct bpf_vm *vm, uint64_t rec, uint64_t flags, bool discard)
{
	struct bpf_map *m = rb_of_record(vm, rec);
	if (!m)
		return 0; /* not a live record: nothing to commit */
	bpf_ringbuf_submit(m, PTR(rec), discard);
	rb_notify(vm, m, flags);
	return 0;
}

static uint64_t h_ringbuf_submit(struct bpf_vm *vm, uint64_t rec, uint64_t flags, uint64_t a3,
                                 uint64_t a4, uint64_t a5)
{
	(void)a3;
	(void)a4;
	(void)a5;
	return rb_commit(vm, rec, flags, false);
}

static uint64_t h_ringbuf_discard(struct bpf_vm *vm, uint64_t rec, uint64_t flags, uint64_t a3,
                                  uint64_t a4, uint64_t a5)
{
	(void)a3;
	(void)a4;
	(void)a5;
	return rb_commit(vm, rec, flags, true);
}

static uint64_t h_ringbuf_query(struct bpf_vm *vm, uint64_t map, uint64_t what, uint64_t a3,
                                uint64_t a4, uint64_t a5)
{
	(void)vm;
	(void)a3;
	(void)a4;
	(void)a5;
	return bpf_ringbuf_query(MAP(map), what);
}

#define A(...)              \
	{                   \
		__VA_ARGS__ \
	}
#define DATA_MAPS                                                                     \
	(BPF_MAP_TYPE_BIT(BPF_MAP_TYPE_ARRAY) | BPF_MAP_TYPE_BIT(BPF_MAP_TYPE_HASH) | \
	 BPF_MAP_TYPE_BIT(BPF_MAP_TYPE_LRU_HASH))
#define RB_MAPS BPF_MAP_TYPE_BIT(BPF_MAP_TYPE_RINGBUF)
static const struct bpf_helper std_helpers[] = {
        {BPF_FUNC_map_lookup_elem,
         "map_lookup_elem",
         bpf__helper_map_lookup,
         {BPF_RET_PTR_TO_MAP_VALUE_OR_NULL, A(BPF_ARG_CONST_MAP_PTR, BPF_ARG_PTR_TO_MAP_KEY), 0, 0,
          DATA_MAPS}},
        {BPF_FUNC_map_update_elem,
         "map_update_elem",
         h_map_update,
         {BPF_RET_INTEGER,
          A(BPF_ARG_CONST_MAP_PTR, BPF_ARG_PTR_TO_MAP_KEY, BPF_ARG_PTR_TO_MAP_VALUE,
            BPF_ARG_ANYTHING),
          0, 0, DATA_MAPS}},
        {BPF_FUNC_map_delete_elem,
         "map_delete_elem",
         h_map_delete,
         {BPF_RET_INTEGER, A(BPF_ARG_CONST_MAP_PTR, BPF_ARG_PTR_TO_MAP_KEY), 0, 0, DATA_MAPS}},
        {BPF_FUNC_ktime_get_ns,
         "ktime_get_ns",
         h_ktime,
         {BPF_RET_INTEGER, A(0), BPF_PROTO_PURE, 0, 0}},
        {BPF_FUNC_trace_printk,
         "trace_printk",
         h_trace_printk,
         {BPF_RET_INTEGER,
          A(BPF_ARG_PTR_TO_MEM, BPF_ARG_CONST_SIZE, BPF_ARG_ANYTHING, BPF_ARG_ANYTHING,
            BPF_ARG_ANYTHING),
          0, 0, 0}},
        {BPF_FUNC_get_prandom_u32, "get_prandom_u32", h_prandom, {BPF_RET_INTEGER, A(0), 0, 0, 0}},
        {BPF_FUNC_get_smp_processor_id,
         "get_smp_processor_id",
         h_cpu_id,
         {BPF_RET_INTEGER, A(0), BPF_PROTO_PURE, 0, 0}},
        {BPF_FUNC_tail_call,
         "tail_call",
         h_tail_call,
         {BPF_RET_INTEGER, A(BPF_ARG_PTR_TO_CTX, BPF_ARG_CONST_MAP_PTR, BPF_ARG_ANYTHING),
          BPF_PROTO_TAIL_CALL, 0, BPF_MAP_TYPE_BIT(BPF_MAP_TYPE_PROG_ARRAY)}},
        {BPF_FUNC_ringbuf_output,
         "ringbuf_output",
         h_ringbuf_output,
         {BPF_RET_INTEGER,
          A(BPF_ARG_CONST_MAP_PTR, BPF_ARG_PTR_TO_MEM, BPF_ARG_CONST_SIZE_OR_ZERO,
            BPF_ARG_ANYTHING),
          0, 0, RB_MAPS}},
        {BPF_FUNC_ringbuf_reserve,
         "ringbuf_reserve",
         h_ringbuf_reserve,
         {BPF_RET_PTR_TO_ALLOC_MEM_OR_NULL,
          A(BPF_ARG_CONST_MAP_PTR, BPF_ARG_CONST_ALLOC_SIZE, BPF_ARG_ANYTHING), 0, 0, RB_MAPS}},
        {BPF_FUNC_ringbuf_submit,
         "ringbuf_submit",
         h_ringbuf_submit,
         {BPF_RET_VOID, A(BPF_ARG_PTR_TO_ALLOC_MEM, BPF_ARG_ANYTHING), BPF_PROTO_RELEASES_ALLOC, 0,
          0}},
        {BPF_FUNC_ringbuf_discard,
         "ringbuf_discard",
         h_ringbuf_discard,
         {BPF_RET_VOID, A(BPF_ARG_PTR_TO_ALLOC_MEM, BPF_ARG_ANYTHING), BPF_PROTO_RELEASES_ALLOC, 0,
          0}},
        {BPF_FUNC_ringbuf_query,
         "ringbuf_query",
         h_ringbuf_query,
         {BPF_RET_INTEGER, A(BPF_ARG_CONST_MAP_PTR, BPF_ARG_ANYTHING), 0, 0, RB_MAPS}},
        {BPF_FUNC_trace_vprintk,
         "trace_vprintk",
         h_trace_vprintk,
         {BPF_RET_INTEGER,
          A(BPF_ARG_PTR_TO_MEM, BPF_ARG_CONST_SIZE, BPF_ARG_PTR_TO_MEM, BPF_ARG_CONST_SIZE_OR_ZERO),
          0, 0, 0}},
};

bool bpf_proto_valid(const struct bpf_func_proto *p)
{
	bool have_map = false, have_alloc_size = false, ended = false;
	if (p->map_types) {
		bool any = false;
		for (int i = 0; i < BPF_HELPER_MAX_ARGS; i++)
			any |= p->args[i] == BPF_ARG_CONST_MAP_PTR;
		if (!any)
			return false; /* a map-type mask needs a map argument */
	}
	if (p->ret > BPF_RET_PTR_TO_ALLOC_MEM_OR_NULL)
		return false;
	for (int i = 0; i < BPF_HELPER_MAX_ARGS; i++) {
		uint8_t t = p->args[i];
		if (t >= BPF_ARG_TYPE_MAX)
			return false;
		if (t == BPF_ARG_NONE) {
			ended = true;
			continue;
		}
		if (ended)
			return false; /* arguments must be contiguous */
		switch (t) {
		case BPF_ARG_CONST_MAP_PTR:
			have_map = true;
			break;
		case BPF_ARG_PTR_TO_MAP_KEY:
		case BPF_ARG_PTR_TO_MAP_VALUE:
			if (!have_map)
				return false;
			break;
		case BPF_ARG_PTR_TO_MEM:
		case BPF_ARG_PTR_TO_UNINIT_MEM:
			if (i + 1 >= BPF_HELPER_MAX_ARGS ||
			    (p->args[i + 1] != BPF_ARG_CONST_SIZE &&
			     p->args[i + 1] != BPF_ARG_CONST_SIZE_OR_ZERO))
				return false;
			break;
		case BPF_ARG_CONST_SIZE:
		case BPF_ARG_CONST_SIZE_OR_ZERO:
			if (i == 0 || (p->args[i - 1] != BPF_ARG_PTR_TO_MEM &&
			               p->args[i - 1] != BPF_ARG_PTR_TO_UNINIT_MEM))
				return false;
			break;
		case BPF_ARG_CONST_ALLOC_SIZE:
			have_alloc_size = true;
			break;
		default:
			break;
		}
	}
	if (p->ret == BPF_RET_PTR_TO_MAP_VALUE_OR_NULL && !have_map)
		return false;
	if (p->ret == BPF_RET_PTR_TO_ALLOC_MEM_OR_NULL && !have_alloc_size)
		return false;
	return true;
}

void bpf_env_init(struct bpf_env *env, const struct bpf_hooks *hooks, void *hook_ctx)
{
	bpf__memset(env, 0, sizeof(*env));
	if (hooks)
		env->hooks = *hooks;
	env->hook_ctx = hook_ctx;
	for (size_t i = 0; i < BPF_ARRAY_SIZE(std_helpers); i++)
		env->helpers[std_helpers[i].id] = &std_helpers[i];
}

int bpf_env_register_helper(struct bpf_env *env, const struct bpf_helper *h)
{
	if (!env || !h || !h->fn || h->id == 0 || h->id >= BPF_MAX_HELPER_ID ||
	    !bpf_proto_valid(&h->proto))
		return -BPF_EINVAL;
	if (env->helpers[h->id])
		return -BPF_EEXIST;
	env->helpers[h->id] = h;
	return 0;
}

int bpf_env_unregister_helper(struct bpf_env *env, uint32_t id)
{
	if (!env || id >= BPF_MAX_HELPER_ID || !env->helpers[id])
		return -BPF_ENOENT;
	env->helpers[id] = NULL;
	return 0;
}

const struct bpf_helper *bpf_env_helper(const struct bpf_env *env, uint32_t id)
{
	return env && id < BPF_MAX_HELPER_ID ? env->helpers[id] : NULL;
}

int bpf_env_set_vars(struct bpf_env *env, const struct bpf_var *vars, uint32_t n)
{
	if (!env || (n && !vars))
		return -BPF_EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		if (!vars[i].addr || !vars[i].size || (vars[i].flags & ~BPF_VAR_READONLY))
			return -BPF_EINVAL;
		for (uint32_t j = 0; j < i; j++)
			if (vars[j].id == vars[i].id)
				return -BPF_EEXIST;
	}
	env->vars = vars;
	env->nvars = n;
	return 0;
}

const struct bpf_var *bpf_env_var(const struct bpf_env *env, uint32_t id)
{
	for (uint32_t i = 0; env && i < env->nvars; i++)
		if (env->vars[i].id == id)
			return &env->vars[i];
	return NULL;
}
