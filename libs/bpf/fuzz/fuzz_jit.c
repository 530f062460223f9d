/*
 * libFuzzer target: the JIT against the interpreter.  Programs come from
 * fuzz_verify.c's sources (raw instructions or its generator); anything
 * the verifier accepts is compiled for this machine and run twice from
 * the same state (context, maps, stack): verified interpreter, then
 * native code.  Any difference in status, R0, fault pc, context, stack
 * or map storage aborts with "JIT BUG".
 */
#define LLVMFuzzerTestOneInput fuzz_verify_one
#include "fuzz_verify.c"
#undef LLVMFuzzerTestOneInput

#include "bpf/jit.h"

struct snapshot {
	struct bpf_map maps[NMAPS];
	uint8_t *mem[NMAPS];
	uint8_t ctx[8 * 8];
	uint8_t stack[BPF_STACK_SIZE];
};

static void save(struct snapshot *s, const uint8_t *ctx, size_t ctx_len)
{
	for (int i = 0; i < NMAPS; i++) {
		s->maps[i] = maps[i];
		if (!s->mem[i])
			s->mem[i] = malloc(fuzz_map_len[i]);
		memcpy(s->mem[i], fuzz_map_mem[i], fuzz_map_len[i]);
	}
	memcpy(s->ctx, ctx, ctx_len);
	memcpy(s->stack, stack, sizeof(stack));
}

static void restore(const struct snapshot *s, uint8_t *ctx, size_t ctx_len)
{
	for (int i = 0; i < NMAPS; i++) {
		maps[i] = s->maps[i];
		memcpy(fuzz_map_mem[i], s->mem[i], fuzz_map_len[i]);
	}
	memcpy(ctx, s->ctx, ctx_len);
	memcpy(stack, s->stack, sizeof(stack));
}

static int same(const struct snapshot *a, const struct snapshot *b, size_t ctx_len)
{
	for (int i = 0; i < NMAPS; i++)
		if (memcmp(a->mem[i], b->mem[i], fuzz_map_len[i]))
			return 0;
	return !memcmp(a->ctx, b->ctx, ctx_len) && !memcmp(a->stack, b->stack, sizeof(a->stack));
}

static unsigned long n_compiled;
static void report_jit(void)
{
	fprintf(stderr, "fuzz_jit: %lu programs compiled and compared\n", n_compiled);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	static struct snapshot before, after_interp, after_jit;
	if (!init) {
		fuzz_maps_init(&env, maps, map_tab);
		atexit(report_jit);
		init = 1;
	}
	if (size < 66)
		return 0;
	uint8_t cfg = data[0];
	const uint8_t *rest = data + 65;
	size_t rn = size - 65;
	struct bpf_insn *insns;
	uint32_t n;
	if (cfg & 1) {
		n = (uint32_t)(rn / 8);
		if (!n)
			return 0;
		insns = malloc(n * sizeof(*insns));
		memcpy(insns, rest, n * sizeof(*insns));
	} else {
		struct gen g = {rest, rn, 0, malloc(512 * sizeof(struct bpf_insn)), 0, 512};
		generate(&g);
		insns = g.out;
		n = g.len;
	}
	struct bpf_prog prog;
	if (bpf_prog_init(&prog, insns, n, map_tab, NMAPS, &env, NULL) == 0) {
		struct bpf_hook hook = {.name = "fuzz", .ctx_size = 8 * (1 + (cfg >> 5))};
		hook.flags = BPF_HOOK_TAIL_CALLS | ((cfg & 2) ? BPF_HOOK_CTX_WRITABLE : 0) |
		             ((cfg & 4) ? BPF_HOOK_PACKET : 0) |
		             ((cfg & 8) ? BPF_HOOK_PTR_LEAK : 0);
		struct bpf_jit_opts jo = {.hook = &hook,
		                          .alloc = &alloc,
		                          .flags = (cfg & 16) ? BPF_JIT_F_BLIND : 0,
		                          .blind_seed = size};
		if (bpf_jit_compile(&prog, &env, &jo, NULL) == 0) {
			n_compiled++;
			bpf_prog_array_set(&maps[4], 0, &prog);
			uint8_t ctx[64];
			memcpy(ctx, data + 1, 64);
			save(&before, ctx, hook.ctx_size);
			uint64_t r[2];
			int st[2];
			uint32_t pc[2];
			for (int k = 0; k < 2; k++) {
				restore(&before, ctx, hook.ctx_size);
				struct bpf_vm vm;
				bpf_vm_init(&vm, &env, stack, sizeof(stack));
				bpf_vm_set_mode(&vm, k ? BPF_MODE_JIT : BPF_MODE_VERIFIED, 0);
				st[k] = bpf_vm_run(&vm, &prog, ctx, hook.ctx_size, &r[k]);
				pc[k] = vm.fault.pc;
				save(k ? &after_jit : &after_interp, ctx, hook.ctx_size);
			}
			if (st[0] != st[1] || r[0] != r[1] || (st[0] && pc[0] != pc[1]) ||
			    !same(&after_interp, &after_jit, hook.ctx_size)) {
				fprintf(stderr,
				        "JIT BUG: interpreter %d/0x%llx pc %u, JIT %d/0x%llx pc "
				        "%u%s\n",
				        st[0], (unsigned long long)r[0], pc[0], st[1],
				        (unsigned long long)r[1], pc[1],
				        same(&after_interp, &after_jit, hook.ctx_size)
				                ? ""
				                : ", memory differs");
				abort();
			}
			bpf_ringbuf_consume(&maps[3], NULL, NULL);
			bpf_prog_array_set(&maps[4], 0, NULL);
			bpf_jit_free(&prog);
		}
	}
	free(insns);
	return 0;
}
