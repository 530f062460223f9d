/*
 * libFuzzer target: the JIT against the interpreter.  Programs come from
 * raw input instructions, fuzz_verify.c's generator or jit_gen.h's (every
 * instruction class); anything the verifier accepts is compiled for this
 * machine and run twice from the same state (context, maps, stack):
 * verified interpreter, then native code.  Any difference in status, R0,
 * fault pc, context, stack or map storage aborts with "JIT BUG".
 *
 * Input: byte 0 = mode and hook flags (bit 0 raw instructions, 1 context
 * writable, 2 packet loads, 3 pointer leaks allowed, 4 constant blinding,
 * 5-7 context size in 8-byte units minus one), bytes 1..64 the context
 * (on riscv64 the last one's bit 0 also asks for Zba and Zbb),
 * then the program bytes; for generated programs the first of them picks
 * the generator (below 192: jit_gen.h).  fuzz/jit_diff_main.c drives the
 * same function with random inputs, without libFuzzer, for long runs.
 */
#define LLVMFuzzerTestOneInput fuzz_verify_one
#include "fuzz_verify.c"
#undef LLVMFuzzerTestOneInput

#include "bpf/jit.h"
#include "jit_gen.h"
#include "jit_internal.h" /* bpf__jit_compile_unverified */

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

static unsigned long n_inputs, n_compiled, n_jit_gen;
/* Set by jit_diff --selftest: 1 corrupts the JIT's R0, 2 a byte of the
 * JIT's stack, after the runs, to show the comparison catches both. */
static int oracle_selftest;
/* Programs compiled and compared that contain each opcode. */
static unsigned long n_with_opcode[256];
static unsigned long n_rejected[BPF_VR_MAX]; /* all-classes generator, by rule */
static void report_jit(void)
{
	if (!n_inputs) /* jit_diff --accepted: nothing compared here */
		return;
	if (getenv("JIT_DIFF_REJECTS"))
		for (int r = 0; r < BPF_VR_MAX; r++)
			if (n_rejected[r])
				fprintf(stderr, "fuzz_jit: %lu generated programs refused: %s\n",
				        n_rejected[r], bpf_vrule_name(r));
	int distinct = 0;
	for (int c = 0; c < 256; c++)
		distinct += n_with_opcode[c] != 0;
	if (getenv("JIT_DIFF_OPCODES"))
		for (int c = 0; c < 256; c++)
			if (n_with_opcode[c])
				fprintf(stderr, "fuzz_jit: opcode 0x%02x in %lu programs\n", c,
				        n_with_opcode[c]);
	fprintf(stderr,
	        "fuzz_jit: %lu inputs, %lu programs compiled and compared (%lu from the "
	        "all-classes generator), %d distinct opcodes\n",
	        n_inputs, n_compiled, n_jit_gen, distinct);
}

/* The interpreter is the reference; where the compiler building it gets
 * 32-bit CMPXCHG wrong (GCC 12 for riscv64 compares the expected value
 * with lr.w's sign-extended result without sign-extending it), that one
 * instruction is left out of generated programs.  Probed, not assumed. */
static bool interp_cmpxchg32_ok(void)
{
	const struct bpf_insn p[] = {
	        JG_I(BPF_ST | BPF_MEM | BPF_DW, 10, 0, -8, -1),
	        JG_I(BPF_LD | BPF_IMM | BPF_DW, 0, 0, 0, -1),
	        JG_I(0, 0, 0, 0, 0x12),
	        JG_I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 9),
	        JG_I(BPF_STX | BPF_ATOMIC | BPF_W, 10, 2, -8, BPF_CMPXCHG),
	        JG_I(BPF_LDX | BPF_MEM | BPF_DW, 1, 10, -8, 0),
	        JG_I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 0),
	        JG_I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	struct bpf_prog prog;
	struct bpf_vm vm;
	uint64_t r0 = 0;
	if (bpf_prog_init(&prog, p, sizeof(p) / sizeof(p[0]), NULL, 0, &env, NULL))
		abort();
	bpf_vm_init(&vm, &env, stack, sizeof(stack));
	bpf_vm_set_mode(&vm, BPF_MODE_VERIFIED, 0);
	return bpf_vm_run(&vm, &prog, NULL, 0, &r0) == BPF_OK && r0 == 8;
}
static bool cmpxchg32_ok = true;

static bool has_cmpxchg32(const struct bpf_insn *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i].code == (BPF_STX | BPF_ATOMIC | BPF_W) && p[i].imm == BPF_CMPXCHG)
			return true;
	return false;
}

/* The program an input describes (instructions from malloc, NULL if the
 * input describes none) and the hook its byte 0 selects. */
static struct bpf_insn *input_program(const uint8_t *data, size_t size, uint32_t *n, bool *from_jg,
                                      struct bpf_hook *hook)
{
	*from_jg = false;
	if (size < 66)
		return NULL;
	uint8_t cfg = data[0];
	const uint8_t *rest = data + 65;
	size_t rn = size - 65;
	struct bpf_insn *insns;
	if (cfg & 1) {
		*n = (uint32_t)(rn / 8);
		if (!*n)
			return NULL;
		insns = malloc(*n * sizeof(*insns));
		memcpy(insns, rest, *n * sizeof(*insns));
	} else if (rest[0] < 192) {
		struct jgen g = {.d = rest + 1,
		                 .n = rn - 1,
		                 .out = malloc(JG_MAX_INSNS * sizeof(struct bpf_insn)),
		                 .cap = JG_MAX_INSNS,
		                 .packet = (cfg & 4) != 0,
		                 .ctx_write = (cfg & 2) != 0,
		                 .ctx_size = 8 * (1 + (cfg >> 5))};
		*n = jg_generate(&g);
		insns = g.out;
		*from_jg = true;
	} else {
		struct gen g = {rest, rn, 0, malloc(512 * sizeof(struct bpf_insn)), 0, 512};
		generate(&g);
		insns = g.out;
		*n = g.len;
	}
	*hook = (struct bpf_hook){.name = "fuzz", .ctx_size = 8 * (1 + (cfg >> 5))};
	hook->flags = BPF_HOOK_TAIL_CALLS | ((cfg & 2) ? BPF_HOOK_CTX_WRITABLE : 0) |
	              ((cfg & 4) ? BPF_HOOK_PACKET : 0) | ((cfg & 8) ? BPF_HOOK_PTR_LEAK : 0);
	return insns;
}

static void fuzz_jit_init(void)
{
	static int init;
	if (init)
		return;
	fuzz_maps_init(&env, maps, map_tab);
	atexit(report_jit);
	cmpxchg32_ok = interp_cmpxchg32_ok();
	if (!cmpxchg32_ok)
		fprintf(stderr, "fuzz_jit: the interpreter's 32-bit CMPXCHG is wrong in "
		                "this build; programs using it are not compared\n");
	init = 1;
}

/* Does the verifier accept the input's program?  jit_diff --accepted runs
 * this natively and hands only accepted inputs to a riscv64 run under
 * QEMU (fuzz_jit_trusted), which then need not verify them again. */
__attribute__((unused)) static bool fuzz_jit_accepts(const uint8_t *data, size_t size)
{
	fuzz_jit_init();
	uint32_t n = 0;
	bool from_jg;
	struct bpf_hook hook;
	struct bpf_insn *insns = input_program(data, size, &n, &from_jg, &hook);
	if (!insns)
		return false;
	struct bpf_prog prog;
	bool ok = false;
	if (bpf_prog_init(&prog, insns, n, map_tab, NMAPS, &env, NULL) == 0) {
		struct bpf_verifier_opts vo;
		memset(&vo, 0, sizeof(vo));
		vo.alloc = &alloc;
		struct bpf_verifier_result vres;
		ok = bpf_verify(&prog, &env, &hook, &vo, &vres) == 0;
	}
	free(insns);
	return ok;
}

/* Set by jit_diff --stdin: every input was accepted by the same verifier
 * in another process, so programs are compiled through the library's
 * unverified entry; one in 64 still goes through the verifying entry,
 * which must accept it (the two verdicts must agree). */
static int fuzz_jit_trusted;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snapshot before, after_interp, after_jit;
	fuzz_jit_init();
	n_inputs++;
	uint32_t n = 0;
	bool from_jg;
	struct bpf_hook hook;
	struct bpf_insn *insns = input_program(data, size, &n, &from_jg, &hook);
	if (!insns)
		return 0;
	uint8_t cfg = data[0];
	struct bpf_prog prog;
	if (!cmpxchg32_ok && has_cmpxchg32(insns, n)) {
		free(insns);
		return 0;
	}
	int init_rc = bpf_prog_init(&prog, insns, n, map_tab, NMAPS, &env, NULL);
	if (init_rc && fuzz_jit_trusted) {
		fprintf(stderr, "fuzz_jit: an input accepted elsewhere does not load here\n");
		abort();
	}
	if (init_rc == 0) {
		struct bpf_jit_opts jo = {.hook = &hook,
		                          .alloc = &alloc,
		                          .flags = (cfg & 16) ? BPF_JIT_F_BLIND : 0,
		                          .blind_seed = size};
#if defined(__riscv)
		/* riscv64 (QEMU user mode implements both): half the programs
		 * with Zba and Zbb, picked by the context's last byte */
		if (data[64] & 1)
			jo.flags |= BPF_JIT_F_RV_ZBA | BPF_JIT_F_RV_ZBB;
#endif
		struct bpf_verifier_result vres;
		memset(&vres, 0, sizeof(vres));
		int rc;
		if (fuzz_jit_trusted && (n_compiled & 63) != 0) {
			rc = bpf__jit_compile_unverified(&prog, &env, &jo);
		} else {
			rc = bpf_jit_compile(&prog, &env, &jo, &vres);
			if (rc && fuzz_jit_trusted) {
				fprintf(stderr,
				        "fuzz_jit: VERDICT MISMATCH: accepted elsewhere, refused "
				        "here "
				        "(%s at %u)\n",
				        bpf_vrule_name(vres.rule), vres.insn);
				abort();
			}
		}
		if (rc && fuzz_jit_trusted) {
			fprintf(stderr, "fuzz_jit: an accepted program did not compile: %d\n", rc);
			abort();
		}
		if (rc == -BPF_EINVAL && from_jg && vres.rule < BPF_VR_MAX) {
			if (!n_rejected[vres.rule]++ && getenv("JIT_DIFF_REJECTS")) {
				fprintf(stderr, "fuzz_jit: first %s refusal at %u: %s; program:\n",
				        bpf_vrule_name(vres.rule), vres.insn, vres.msg);
				for (uint32_t i = 0; i < n; i++)
					fprintf(stderr, "  %3u: %02x %x %x %d %d\n", i,
					        insns[i].code, BPF_INSN_DST(&insns[i]),
					        BPF_INSN_SRC(&insns[i]), insns[i].off,
					        insns[i].imm);
			}
		}
		if (rc == 0) {
			n_compiled++;
			n_jit_gen += from_jg;
			static uint32_t seen_at[256];
			for (uint32_t i = 0; i < n; i++) {
				if (seen_at[insns[i].code] != (uint32_t)n_compiled) {
					seen_at[insns[i].code] = (uint32_t)n_compiled;
					n_with_opcode[insns[i].code]++;
				}
				i += insns[i].code == (BPF_LD | BPF_IMM | BPF_DW);
			}
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
			/* the drivers' self-test: a wrong JIT result must be caught */
			if (oracle_selftest == 1)
				r[1] ^= 1;
			else if (oracle_selftest == 2)
				after_jit.stack[BPF_STACK_SIZE - 1 - (n_compiled % 64)] ^= 0x80;
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
