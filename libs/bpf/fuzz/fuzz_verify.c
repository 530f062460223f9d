/*
 * libFuzzer target: verifier soundness.  Programs come either straight
 * from the input (raw instructions, mutated by libFuzzer) or from a
 * generator driven by the input bytes (programs that look like compiled
 * code: stack and context accesses, map lookups with NULL checks, ring
 * buffer records, bounded branches and loops).  Anything the verifier
 * accepts runs in checked mode against a context of the hook's size; a
 * tripped check (or a budget overrun: the program should terminate) is a
 * verifier bug and aborts.
 *
 * Leak oracle: for a hook without BPF_HOOK_PTR_LEAK, an accepted program
 * runs twice from the same map state, with the context and the stack at
 * different addresses (same contents); a different R0 or status means
 * address bits reached the program's result ("VERIFIER LEAK").
 *
 * Input: byte 0 = mode and hook flags, bytes 1..64 = context contents,
 * the rest drives the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/verifier.h"

#include "fuzz_maps.h"
static struct bpf_map maps[NMAPS];
static struct bpf_map *map_tab[NMAPS];
static struct bpf_env env;
static uint64_t stack[BPF_STACK_SIZE / 8];

static void *a_alloc(void *c, size_t n)
{
	(void)c;
	return malloc(n);
}
static void a_free(void *c, void *p, size_t n)
{
	(void)c;
	(void)n;
	free(p);
}
static const struct bpf_allocator alloc = {a_alloc, a_free, NULL};

static unsigned long n_progs, n_valid, n_accepted, n_leak_checked;
static uint64_t stack2[BPF_STACK_SIZE / 8];

/* Map state (structs and storage) saved before a run and put back. */
static struct bpf_map saved_maps[NMAPS];
static void *saved_mem[NMAPS];
static void maps_save(void)
{
	for (int i = 0; i < NMAPS; i++) {
		if (!saved_mem[i])
			saved_mem[i] = malloc(fuzz_map_len[i]);
		memcpy(saved_mem[i], fuzz_map_mem[i], fuzz_map_len[i]);
		saved_maps[i] = maps[i];
	}
}
static void maps_restore(void)
{
	for (int i = 0; i < NMAPS; i++) {
		memcpy(fuzz_map_mem[i], saved_mem[i], fuzz_map_len[i]);
		maps[i] = saved_maps[i];
	}
}

/* One checked run with the given stack; both stacks start with the same
 * bytes so that only their addresses differ. */
static int run_at(const struct bpf_prog *prog, const struct bpf_hook *hook, uint64_t *stk,
                  void *ctx, uint64_t *r0, struct bpf_vm *vm)
{
	memset(stk, 0xa5, BPF_STACK_SIZE);
	bpf_vm_init(vm, &env, stk, BPF_STACK_SIZE);
	bpf_vm_set_mode(vm, BPF_MODE_CHECKED, 100000000);
	vm->ctx_readonly = !(hook->flags & BPF_HOOK_CTX_WRITABLE);
	return bpf_vm_run(vm, prog, ctx, hook->ctx_size, r0);
}
static void report(void)
{
	fprintf(stderr,
	        "fuzz_verify: %lu programs, %lu valid, %lu accepted and run checked, %lu of them "
	        "twice at other addresses (no-leak hooks)\n",
	        n_progs, n_valid, n_accepted, n_leak_checked);
}

static void setup(void)
{
	atexit(report);
	fuzz_maps_init(&env, maps, map_tab);
}

#define I(code, dst, src, off, imm) \
	((struct bpf_insn){(uint8_t)(code), BPF_REGS(dst, src), (int16_t)(off), (int32_t)(imm)})

struct gen {
	const uint8_t *d;
	size_t n, pos;
	struct bpf_insn *out;
	uint32_t len, cap;
};

static uint32_t take(struct gen *g, uint32_t mod)
{
	uint32_t x = g->pos < g->n ? g->d[g->pos++] : 0;
	if (g->pos < g->n)
		x |= (uint32_t)g->d[g->pos++] << 8;
	return mod ? x % mod : x;
}

static void emit(struct gen *g, struct bpf_insn in)
{
	if (g->len < g->cap)
		g->out[g->len++] = in;
}

static const uint8_t alu_ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR,   BPF_AND, BPF_LSH,
                                  BPF_RSH, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH, BPF_NEG};
static const uint8_t jmp_ops[] = {BPF_JEQ,  BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
                                  BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE};
static const int16_t imms[] = {0,  1,  2,  3,  4,  7,   8,   15,  16, 31,
                               32, 63, 64, -1, -8, -16, 255, 511, 512};

/* A structured program: blocks of plausible instructions, forward
 * conditional jumps and occasionally a backward one (a loop). */
static void generate(struct gen *g)
{
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0)); /* r6 = ctx */
	emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	uint32_t nops = 4 + take(g, 40);
	for (uint32_t k = 0; k < nops && g->len + 16 < g->cap; k++) {
		uint32_t kind = take(g, 16);
		uint8_t r = (uint8_t)take(g, 6), s = (uint8_t)take(g, 10);
		int32_t imm = imms[take(g, sizeof(imms) / sizeof(imms[0]))];
		/* one draw per statement: operands and initialisers are not
		 * sequenced, and a seed must give the same program whatever
		 * the compiler and machine (jit_diff --accepted | --stdin) */
		int slot = 1 + (int)take(g, 8);
		int k3 = (int)take(g, 3);
		int16_t off = (int16_t)(-8 * slot + k3 * (int)take(g, 5));
		uint8_t sz = (uint8_t)(take(g, 4) << 3);
		switch (kind) {
		case 0:
		case 1: {
			uint8_t op = alu_ops[take(g, sizeof(alu_ops))];
			uint8_t cls = take(g, 3) ? BPF_ALU64 : BPF_ALU;
			if (take(g, 2))
				emit(g, I(cls | op | BPF_K, r, 0, 0, op == BPF_NEG ? 0 : imm));
			else if (op != BPF_NEG)
				emit(g, I(cls | op | BPF_X, r, s, 0, 0));
			break;
		}
		case 2: /* context load */
			emit(g, I(BPF_LDX | BPF_MEM | sz, r, 6, (int16_t)take(g, 72), 0));
			break;
		case 3: /* stack store */
			if (take(g, 2))
				emit(g, I(BPF_ST | BPF_MEM | sz, 10, 0, off, imm));
			else
				emit(g, I(BPF_STX | BPF_MEM | sz, 10, s, off, 0));
			break;
		case 4: /* stack load */
			emit(g,
			     I(BPF_LDX | (take(g, 4) ? BPF_MEM : BPF_MEMSX) | sz, r, 10, off, 0));
			break;
		case 5: /* pointer arithmetic on a stack or ctx copy, then access */
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 7, take(g, 2) ? 10 : 6, 0, 0));
			emit(g, I(BPF_ALU64 | BPF_ADD | BPF_X, 7, r, 0, 0));
			emit(g, I(BPF_LDX | BPF_MEM | sz, r, 7,
			          (int16_t)(take(g, 2) ? off : (int)take(g, 70)), 0));
			break;
		case 6: { /* map lookup with (usually) a NULL check, then access */
			uint32_t m = take(g, 3);
			emit(g,
			     I(BPF_ST | BPF_MEM | (m == 2 ? BPF_DW : BPF_W), 10, 0, -8, imm & 3));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
			emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -8));
			emit(g, I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_IDX, 0, m));
			emit(g, I(0, 0, 0, 0, 0));
			emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem));
			if (take(g, 8))
				emit(g, I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2, 0));
			emit(g, I(BPF_ALU64 | BPF_ADD | BPF_X, 0, r, 0, 0));
			emit(g, I(BPF_STX | BPF_MEM | sz, 0, s, (int16_t)take(g, 16), 0));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
			break;
		}
		case 7: { /* ring buffer record */
			emit(g, I(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_IDX, 0, 3));
			emit(g, I(0, 0, 0, 0, 0));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8 + 8 * (int)take(g, 4)));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
			emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve));
			emit(g, I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5, 0));
			emit(g, I(BPF_STX | BPF_MEM | sz, 0, s, (int16_t)take(g, 40), 0));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 0, 0, 0));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0));
			emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0,
			          take(g, 2) ? BPF_FUNC_ringbuf_submit : BPF_FUNC_ringbuf_discard));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
			break;
		}
		case 8:
		case 9: { /* forward conditional jump over the next few */
			uint8_t op = jmp_ops[take(g, sizeof(jmp_ops))];
			uint8_t cls = take(g, 3) ? BPF_JMP : BPF_JMP32;
			int16_t skip = (int16_t)(1 + take(g, 4));
			if (take(g, 2))
				emit(g, I(cls | op | BPF_K, r, 0, skip, imm));
			else
				emit(g, I(cls | op | BPF_X, r, s, skip, 0));
			for (int q = 0; q < skip; q++) {
				uint8_t aop = take(g, 2) ? BPF_ADD : BPF_MOV;
				uint8_t ar = (uint8_t)take(g, 6);
				emit(g, I(BPF_ALU64 | aop | BPF_K, ar, 0, 0,
				          imms[take(g, sizeof(imms) / sizeof(imms[0]))]));
			}
			break;
		}
		case 10: { /* a counted loop */
			int32_t n = 1 + (int32_t)take(g, 20);
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 8, 0, 0, 0));
			emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, r, 0, 0, imm));
			emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 8, 0, 0, 1 + (int32_t)take(g, 2)));
			emit(g, I(BPF_JMP | (take(g, 2) ? BPF_JLT : BPF_JNE) | BPF_K, 8, 0, -3, n));
			break;
		}
		case 11: { /* atomics on the stack */
			uint8_t asz = take(g, 2) ? BPF_DW : BPF_W;
			emit(g, I(BPF_STX | BPF_ATOMIC | asz, 10, s, off,
			          take(g, 2) ? BPF_ADD : (BPF_ADD | BPF_FETCH)));
			break;
		}
		case 12: /* helper without memory arguments, by id or by register */
			if (take(g, 2)) {
				emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0,
				          take(g, 2) ? BPF_FUNC_get_prandom_u32
				                     : BPF_FUNC_ktime_get_ns));
			} else {
				emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 9, 0, 0,
				          5 + (int32_t)take(g, 4)));
				emit(g, I(BPF_JMP | BPF_CALL | BPF_X, 9, 0, 0, 0));
			}
			break;
		case 13: { /* spill a pointer, overwrite part of it, read some of it */
			int16_t slot = (int16_t)(-8 * (int)(1 + take(g, 4)));
			emit(g, I(BPF_STX | BPF_MEM | BPF_DW, 10, take(g, 2) ? 6 : 10, slot, 0));
			emit(g, I(BPF_ST | BPF_MEM | sz, 10, 0, (int16_t)(slot + (int)take(g, 8)),
			          imm));
			uint8_t lsz = (uint8_t)(take(g, 4) << 3);
			emit(g, I(BPF_LDX | BPF_MEM | lsz, r, 10, (int16_t)(slot + (int)take(g, 8)),
			          0));
			emit(g, I(BPF_ALU64 | BPF_ADD | BPF_X, 0, r, 0, 0)); /* into the result */
			break;
		}
		case 14: { /* branch on a pointer */
			uint8_t op = take(g, 2) ? BPF_JSET : jmp_ops[take(g, sizeof(jmp_ops))];
			uint8_t cls = take(g, 3) ? BPF_JMP : BPF_JMP32;
			uint8_t p = take(g, 2) ? 6 : 10;
			/* JSET with the bits the leak oracle's second run moves */
			if (op == BPF_JSET)
				emit(g, I(cls | op | BPF_K, p, 0, 1, take(g, 2) ? 8 : 16));
			else if (take(g, 2))
				emit(g, I(cls | op | BPF_K, p, 0, 1, imm));
			else
				emit(g, I(cls | op | BPF_X, p, s, 1, 0));
			emit(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, 1));
			break;
		}
		default: /* tail call */
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0));
			emit(g, I(BPF_LD | BPF_IMM | BPF_DW, 2, BPF_PSEUDO_MAP_IDX, 0, 4));
			emit(g, I(0, 0, 0, 0, 0));
			emit(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, take(g, 3)));
			emit(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call));
			break;
		}
	}
	emit(g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		setup();
		init = 1;
	}
	if (size < 66)
		return 0;
	uint8_t cfg = data[0];
	uint8_t ctxbuf[64];
	memcpy(ctxbuf, data + 1, 64);
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
	n_progs++;
	if (bpf_prog_init(&prog, insns, n, map_tab, NMAPS, &env, NULL) == 0) {
		n_valid++;
		struct bpf_hook hook = {.name = "fuzz", .ctx_size = 8 * (1 + (cfg >> 5))};
		hook.flags = BPF_HOOK_TAIL_CALLS | ((cfg & 2) ? BPF_HOOK_CTX_WRITABLE : 0) |
		             ((cfg & 4) ? BPF_HOOK_PACKET : 0) |
		             ((cfg & 8) ? BPF_HOOK_PTR_LEAK : 0);
		struct bpf_verifier_opts opts = {.alloc = &alloc, .insn_limit = 200000};
		struct bpf_verifier_result res;
		if (bpf_verify(&prog, &env, &hook, &opts, &res) == 0) {
			n_accepted++;
			bpf_prog_array_set(&maps[4], 0, &prog);
			struct bpf_vm vm;
			uint8_t *ctx = malloc(hook.ctx_size);
			memcpy(ctx, ctxbuf, hook.ctx_size < 64 ? hook.ctx_size : 64);
			bool leak_check = !(hook.flags & BPF_HOOK_PTR_LEAK);
			uint8_t *ctx2 = NULL;
			if (leak_check) {
				maps_save();
				ctx2 = malloc(hook.ctx_size + 24);
				memcpy(ctx2 + 24, ctx, hook.ctx_size);
			}
			uint64_t r0;
			int st = run_at(&prog, &hook, stack, ctx, &r0, &vm);
			if (leak_check) {
				/* the same program, the same maps, the context and
				 * the stack elsewhere: the same result */
				maps_restore();
				uint64_t r0b;
				struct bpf_vm vm2;
				int st2 = run_at(&prog, &hook, stack2, ctx2 + 24, &r0b, &vm2);
				if (st2 != st || (st == BPF_OK && r0b != r0)) {
					fprintf(stderr,
					        "VERIFIER LEAK: result depends on addresses: "
					        "status %d/%d, "
					        "r0 0x%llx/0x%llx\n",
					        st, st2, (unsigned long long)r0,
					        (unsigned long long)r0b);
					abort();
				}
				n_leak_checked++;
				free(ctx2);
			}
			if (st != BPF_OK && !(st == BPF_ERR_CALL_DEPTH && vm.tail_calls)) {
				fprintf(stderr,
				        "VERIFIER BUG: accepted program tripped checked mode: %s "
				        "at pc %u\n",
				        bpf_status_str(st), vm.fault.pc);
				abort();
			}
			free(ctx);
			bpf_ringbuf_consume(&maps[3], NULL, NULL);
			bpf_prog_array_set(&maps[4], 0, NULL);
		}
	}
	free(insns);
	return 0;
}
