/* Checked mode, calls, tail calls and structural validation. */
#include "test.h"
#include "bpf/jit.h"

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5
#define R6 6
#define R7 7
#define R8 8
#define R9 9
#define R10 10

static int run_checked(const struct bpf_insn *p, uint32_t n, struct bpf_map *const *maps,
                       uint32_t nmaps, void *ctx, size_t len, struct bpf_vm *vm)
{
	uint64_t r0;
	return run_mode(p, n, maps, nmaps, ctx, len, BPF_MODE_CHECKED, &r0, vm);
}

/* ---- CHECKED ---- */
TEST(CHECKED, ctx_oob_load, "load past the end of the context faults with pc and address")
{
	uint8_t ctx[16] = {0};
	const struct bpf_insn p[] = {MOV64_K(R0, 0), LDX(BPF_DW, R0, R1, 12), EXIT()};
	struct bpf_vm vm;
	CHECK_EQ(run_checked(p, NELEM(p), NULL, 0, ctx, sizeof(ctx), &vm), BPF_ERR_LOAD_FAULT);
	CHECK_EQ(vm.fault.pc, 1);
	CHECK_EQ(vm.fault.addr, (uintptr_t)ctx + 12);
	CHECK_EQ(vm.fault.size, 8);
	/* the last 8 bytes are fine */
	const struct bpf_insn q[] = {LDX(BPF_DW, R0, R1, 8), EXIT()};
	CHECK_EQ(run_checked(q, NELEM(q), NULL, 0, ctx, sizeof(ctx), &vm), BPF_OK);
}

TEST(CHECKED, ctx_oob_store_untouched, "partially out-of-bounds store faults and writes nothing")
{
	uint8_t buf[32];
	memset(buf, 0xaa, sizeof(buf));
	const struct bpf_insn p[] = {ST(BPF_DW, R1, 12, 0), MOV64_K(R0, 0), EXIT()};
	struct bpf_vm vm;
	CHECK_EQ(run_checked(p, NELEM(p), NULL, 0, buf, 16, &vm), BPF_ERR_STORE_FAULT);
	for (int i = 0; i < 32; i++)
		CHECK_EQ(buf[i], 0xaa);
}

TEST(CHECKED, ctx_readonly, "stores to a read-only context fault, loads succeed")
{
	uint64_t ctx = 5;
	struct bpf_prog prog;
	const struct bpf_insn p[] = {LDX(BPF_DW, R0, R1, 0), STX(BPF_DW, R1, R0, 0), EXIT()};
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	static uint64_t stack[BPF_STACK_SIZE / 8];
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
	vm.ctx_readonly = 1;
	uint64_t r0;
	CHECK_EQ(bpf_vm_run(&vm, &prog, &ctx, sizeof(ctx), &r0), BPF_ERR_STORE_FAULT);
	CHECK_EQ(vm.fault.pc, 1);
}

TEST(CHECKED, wild_pointer, "loads and stores through arbitrary addresses fault")
{
	const struct bpf_insn p[] = {LD64(R1, 0x1000), LDX(BPF_B, R0, R1, 0), EXIT()};
	CHECK_EQ(run_checked(p, NELEM(p), NULL, 0, NULL, 0, NULL), BPF_ERR_LOAD_FAULT);
	const struct bpf_insn q[] = {LD64(R1, 0xffffffffffffff00ULL), ST(BPF_DW, R1, 0xf8, 1),
	                             MOV64_K(R0, 0), EXIT()};
	CHECK_EQ(run_checked(q, NELEM(q), NULL, 0, NULL, 0, NULL), BPF_ERR_STORE_FAULT);
	/* address wrap-around must not pass the bounds check */
	const struct bpf_insn w[] = {MOV64_X(R1, R10), LD64(R2, 0xfffffffffffffff8ULL),
	                             ALU64_X(BPF_ADD, R1, R2), LDX(BPF_DW, R0, R1, 16), EXIT()};
	CHECK_EQ(run_checked(w, NELEM(w), NULL, 0, NULL, 0, NULL), BPF_ERR_LOAD_FAULT);
}

TEST(CHECKED, stack_bounds, "the stack is [R10 - 4096, R10): R10+0 faults")
{
	const struct bpf_insn p[] = {LDX(BPF_DW, R0, R10, 0), EXIT()};
	CHECK_EQ(run_checked(p, NELEM(p), NULL, 0, NULL, 0, NULL), BPF_ERR_LOAD_FAULT);
	const struct bpf_insn q[] = {ST(BPF_DW, R10, -BPF_STACK_SIZE, 1),
	                             LDX(BPF_DW, R0, R10, -BPF_STACK_SIZE), EXIT()};
	CHECK_EQ(run_checked(q, NELEM(q), NULL, 0, NULL, 0, NULL), BPF_OK);
	const struct bpf_insn r[] = {ST(BPF_DW, R10, -BPF_STACK_SIZE - 8, 1), MOV64_K(R0, 0),
	                             EXIT()};
	CHECK_EQ(run_checked(r, NELEM(r), NULL, 0, NULL, 0, NULL), BPF_ERR_STORE_FAULT);
}

TEST(CHECKED, map_value_bounds, "map values are accessible, past the map's storage faults")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0, "arr");
	struct bpf_map *maps[] = {m};
	const struct bpf_insn ok[] = {LD_MAP_VALUE(R1, 0, 8), ST(BPF_DW, R1, 0, 42), MOV64_K(R0, 0),
	                              EXIT()};
	CHECK_EQ(run_checked(ok, NELEM(ok), maps, 1, NULL, 0, NULL), BPF_OK);
	uint32_t k = 1;
	CHECK_EQ(*(uint64_t *)bpf_map_lookup(m, &k), 42);
	const struct bpf_insn bad[] = {LD_MAP_VALUE(R1, 0, 8), ST(BPF_DW, R1, 8, 42),
	                               MOV64_K(R0, 0), EXIT()};
	CHECK_EQ(run_checked(bad, NELEM(bad), maps, 1, NULL, 0, NULL), BPF_ERR_STORE_FAULT);
	/* the map struct itself is not program memory */
	const struct bpf_insn s[] = {LD_MAP(R1, 0), LDX(BPF_DW, R0, R1, 0), EXIT()};
	CHECK_EQ(run_checked(s, NELEM(s), maps, 1, NULL, 0, NULL), BPF_ERR_LOAD_FAULT);
}

TEST(CHECKED, rodata_readonly, "maps with BPF_F_RDONLY_PROG can be read but not written")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_ARRAY, 4, 16, 1, BPF_F_RDONLY_PROG, ".rodata");
	struct bpf_map *maps[] = {m};
	uint32_t k = 0;
	*(uint64_t *)bpf_map_lookup(m, &k) = 7;
	const struct bpf_insn rd[] = {LD_MAP_VALUE(R1, 0, 0), LDX(BPF_DW, R0, R1, 0), EXIT()};
	uint64_t r0;
	CHECK_EQ(run_mode(rd, NELEM(rd), maps, 1, NULL, 0, BPF_MODE_CHECKED, &r0, NULL), BPF_OK);
	CHECK_EQ(r0, 7);
	const struct bpf_insn wr[] = {LD_MAP_VALUE(R1, 0, 0), ST(BPF_DW, R1, 0, 9), MOV64_K(R0, 0),
	                              EXIT()};
	CHECK_EQ(run_checked(wr, NELEM(wr), maps, 1, NULL, 0, NULL), BPF_ERR_STORE_FAULT);
	CHECK_EQ(*(uint64_t *)bpf_map_lookup(m, &k), 7);
}

TEST(CHECKED, budget, "an endless loop stops when the instruction budget is used up")
{
	const struct bpf_insn p[] = {MOV64_K(R0, 0), ALU64_K(BPF_ADD, R0, 1), JA(-2), EXIT()};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	static uint64_t stack[BPF_STACK_SIZE / 8];
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
	bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 1001);
	uint64_t r0;
	CHECK_EQ(bpf_vm_run(&vm, &prog, NULL, 0, &r0), BPF_ERR_BUDGET);
	CHECK_EQ(vm.insn_count, 1001);
}

TEST(CHECKED, insn_count, "checked mode counts executed instructions exactly")
{
	/* 1 + 10 * 2 + 1 */
	const struct bpf_insn p[] = {MOV64_K(R0, 0), ALU64_K(BPF_ADD, R0, 1),
	                             JMP_K(BPF_JLT, R0, 10, -2), EXIT()};
	struct bpf_vm vm;
	uint64_t r0;
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &r0, &vm), BPF_OK);
	CHECK_EQ(vm.insn_count, 22);
}

TEST(CHECKED, atomic_misaligned, "misaligned atomics fault in checked mode")
{
	const struct bpf_insn p[] = {MOV64_K(R1, 1), ATOMIC(BPF_DW, BPF_ADD, R10, R1, -12),
	                             MOV64_K(R0, 0), EXIT()};
	CHECK_EQ(run_checked(p, NELEM(p), NULL, 0, NULL, 0, NULL), BPF_ERR_STORE_FAULT);
}

TEST(CHECKED, helper_bad_map,
     "a helper given a pointer that is not one of the program's maps is stopped")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0, "arr");
	struct bpf_map *maps[] = {m};
	const struct bpf_insn p[] = {MOV64_X(R1, R10),
	                             ALU64_K(BPF_ADD, R1, -64),
	                             ST(BPF_W, R10, -4, 0),
	                             MOV64_X(R2, R10),
	                             ALU64_K(BPF_ADD, R2, -4),
	                             CALL(BPF_FUNC_map_lookup_elem),
	                             EXIT()};
	CHECK_EQ(run_checked(p, NELEM(p), maps, 1, NULL, 0, NULL), BPF_ERR_HELPER_ARG);
}

TEST(CHECKED, helper_bad_key, "a map key pointer outside program memory is stopped")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_HASH, 8, 8, 4, 0, "h");
	struct bpf_map *maps[] = {m};
	const struct bpf_insn p[] = {LD_MAP(R1, 0), MOV64_X(R2, R10), ALU64_K(BPF_ADD, R2, -4),
	                             CALL(BPF_FUNC_map_lookup_elem), EXIT()};
	/* key_size 8 at R10-4 runs past the stack top */
	CHECK_EQ(run_checked(p, NELEM(p), maps, 1, NULL, 0, NULL), BPF_ERR_HELPER_ARG);
	const struct bpf_insn q[] = {LD_MAP(R1, 0),
	                             ST(BPF_DW, R10, -8, 1),
	                             MOV64_X(R2, R10),
	                             ALU64_K(BPF_ADD, R2, -8),
	                             CALL(BPF_FUNC_map_lookup_elem),
	                             EXIT()};
	uint64_t r0 = 1;
	CHECK_EQ(run_mode(q, NELEM(q), maps, 1, NULL, 0, BPF_MODE_CHECKED, &r0, NULL), BPF_OK);
	CHECK_EQ(r0, 0); /* absent key: NULL */
}

TEST(CHECKED, helper_mem_size, "PTR_TO_MEM plus size is checked as a range")
{
	const struct bpf_insn p[] = {ST(BPF_W, R10, -4, 0x6968),  MOV64_X(R1, R10),
	                             ALU64_K(BPF_ADD, R1, -4),    MOV64_K(R2, 8),
	                             CALL(BPF_FUNC_trace_printk), EXIT()};
	CHECK_EQ(run_checked(p, NELEM(p), NULL, 0, NULL, 0, NULL), BPF_ERR_HELPER_ARG);
	const struct bpf_insn q[] = {ST(BPF_W, R10, -4, 0x6968),  MOV64_X(R1, R10),
	                             ALU64_K(BPF_ADD, R1, -4),    MOV64_K(R2, 4),
	                             CALL(BPF_FUNC_trace_printk), EXIT()};
	CHECK_EQ(run_checked(q, NELEM(q), NULL, 0, NULL, 0, NULL), BPF_OK);
	CHECK_STR(test_print_buf, "hi");
}

TEST(CHECKED, ringbuf_submit_forged,
     "ringbuf_submit of a pointer that is not a reserved record is stopped")
{
	struct bpf_map *rb = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, "rb");
	struct bpf_map *maps[] = {rb};
	const struct bpf_insn p[] = {LD_MAP_VALUE(R1, 0, 0), ALU64_K(BPF_ADD, R1, 8),
	                             MOV64_K(R2, 0),         CALL(BPF_FUNC_ringbuf_submit),
	                             MOV64_K(R0, 0),         EXIT()};
	/* map_val of a ring buffer is refused at validation ... */
	struct bpf_prog prog;
	struct bpf_prog_error e = {0, NULL};
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), maps, 1, &test_env, &e), -BPF_EINVAL);
	CHECK(e.reason && strstr(e.reason, "array") != NULL);
	/* ... and a stack pointer is refused at run time */
	const struct bpf_insn q[] = {MOV64_X(R1, R10), ALU64_K(BPF_ADD, R1, -16),
	                             MOV64_K(R2, 0),   CALL(BPF_FUNC_ringbuf_submit),
	                             MOV64_K(R0, 0),   EXIT()};
	CHECK_EQ(run_checked(q, NELEM(q), maps, 1, NULL, 0, NULL), BPF_ERR_HELPER_ARG);
}

TEST(CHECKED, tail_call_ctx, "bpf_tail_call must be given the program's context")
{
	struct bpf_map *pa = make_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0, "pa");
	struct bpf_map *maps[] = {pa};
	uint64_t ctx = 0;
	const struct bpf_insn p[] = {MOV64_X(R1, R10), LD_MAP(R2, 0), MOV64_K(R3, 0),
	                             CALL(BPF_FUNC_tail_call), EXIT()};
	CHECK_EQ(run_checked(p, NELEM(p), maps, 1, &ctx, 8, NULL), BPF_ERR_HELPER_ARG);
}

/* ---- CALL ---- */
TEST(CALL, local_call, "BPF-to-BPF call: arguments, return value, callee-saved registers")
{
	const struct bpf_insn p[] = {
	        MOV64_K(R6, 100),
	        MOV64_K(R7, 200),
	        MOV64_K(R8, 300),
	        MOV64_K(R9, 400),
	        MOV64_K(R1, 5),
	        MOV64_K(R2, 7),
	        CALL_LOCAL(5),
	        ALU64_X(BPF_ADD, R0, R6),
	        ALU64_X(BPF_ADD, R0, R7),
	        ALU64_X(BPF_ADD, R0, R8),
	        ALU64_X(BPF_ADD, R0, R9),
	        EXIT(),
	        /* callee: clobbers R6-R9, returns R1 * R2 */
	        MOV64_K(R6, 0),
	        MOV64_K(R7, 0),
	        MOV64_K(R8, 0),
	        MOV64_K(R9, 0),
	        MOV64_X(R0, R1),
	        ALU64_X(BPF_MUL, R0, R2),
	        EXIT(),
	};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 35 + 1000);
}

TEST(CALL, frames, "each call gets its own 512-byte stack frame; R10 is restored")
{
	const struct bpf_insn p[] = {
	        ST(BPF_DW, R10, -8, 11),
	        MOV64_X(R6, R10),
	        CALL_LOCAL(4),
	        LDX(BPF_DW, R0, R10, -8), /* still 11 */
	        ALU64_X(BPF_SUB, R6, R10),
	        ALU64_X(BPF_ADD, R0, R6), /* R10 unchanged: + 0 */
	        EXIT(),
	        /* callee writes its own frame and returns caller_fp - own_fp */
	        ST(BPF_DW, R10, -8, 99),
	        LDX(BPF_DW, R0, R10, -8),
	        EXIT(),
	};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 11);
	const struct bpf_insn q[] = {
	        /* the caller's R10 goes in as an argument (a callee may not
		 * read the caller's R6-R9: the verifier's calling convention) */
	        MOV64_X(R1, R10),          CALL_LOCAL(1), EXIT(), MOV64_X(R0, R1),
	        ALU64_X(BPF_SUB, R0, R10), EXIT(),
	};
	CHECK_EQ(run_both(q, NELEM(q), NULL, 0, NULL, 0), BPF_STACK_FRAME_SIZE);
}

TEST(CALL, depth_limit, "unbounded recursion stops at BPF_MAX_CALL_DEPTH frames in both modes")
{
	const struct bpf_insn p[] = {ALU64_K(BPF_ADD, R6, 1), CALL_LOCAL(-2), EXIT()};
	for (int mode = 0; mode < 2; mode++) {
		uint64_t r0;
		CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, mode, &r0, NULL),
		         BPF_ERR_CALL_DEPTH);
	}
	/* exactly 7 nested calls (8 frames) are fine */
	const struct bpf_insn q[] = {
	        MOV64_K(R1, 7),
	        CALL_LOCAL(1),
	        EXIT(),
	        /* f(n): if n == 0 return 0; return f(n-1) + 1 */
	        JMP_K(BPF_JNE, R1, 0, 2),
	        MOV64_K(R0, 0),
	        EXIT(),
	        ALU64_K(BPF_SUB, R1, 1),
	        CALL_LOCAL(-5),
	        ALU64_K(BPF_ADD, R0, 1),
	        EXIT(),
	};
	uint64_t r0;
	/* main + f(7)..f(1) = 8 frames; f(0) would be the 9th */
	CHECK_EQ(run_mode(q, NELEM(q), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &r0, NULL),
	         BPF_ERR_CALL_DEPTH);
	const struct bpf_insn q6[] = {
	        MOV64_K(R1, 6),
	        CALL_LOCAL(1),
	        EXIT(),
	        JMP_K(BPF_JNE, R1, 0, 2),
	        MOV64_K(R0, 0),
	        EXIT(),
	        ALU64_K(BPF_SUB, R1, 1),
	        CALL_LOCAL(-5),
	        ALU64_K(BPF_ADD, R0, 1),
	        EXIT(),
	};
	CHECK_EQ(run_both(q6, NELEM(q6), NULL, 0, NULL, 0), 6);
}

TEST(CALL, small_stack, "a smaller stack allows fewer frames")
{
	const struct bpf_insn p[] = {CALL_LOCAL(1), EXIT(),         CALL_LOCAL(1),
	                             EXIT(),        MOV64_K(R0, 3), EXIT()};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	static uint64_t stack[1024 / 8];
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
	uint64_t r0;
	CHECK_EQ(bpf_vm_run(&vm, &prog, NULL, 0, &r0), BPF_ERR_CALL_DEPTH);
	bpf_vm_init(&vm, &test_env, stack, 512 * 3 > sizeof(stack) ? sizeof(stack) : 512 * 3);
	static uint64_t stack3[1536 / 8];
	bpf_vm_init(&vm, &test_env, stack3, sizeof(stack3));
	CHECK_EQ(bpf_vm_run(&vm, &prog, NULL, 0, &r0), BPF_OK);
	CHECK_EQ(r0, 3);
}

static uint64_t h_sum(struct bpf_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	return a + 10 * b + 100 * c + 1000 * d + 10000 * e + (vm->user ? 7 : 0);
}
static const struct bpf_helper sum_helper = {
        300,
        "sum",
        h_sum,
        {BPF_RET_INTEGER,
         {BPF_ARG_ANYTHING, BPF_ARG_ANYTHING, BPF_ARG_ANYTHING, BPF_ARG_ANYTHING, BPF_ARG_ANYTHING},
         0,
         0,
         0}};

TEST(CALL, embedder_helper, "embedder helper receives R1-R5 and the VM")
{
	CHECK_EQ(bpf_env_register_helper(&test_env, &sum_helper), 0);
	const struct bpf_insn p[] = {MOV64_K(R1, 1), MOV64_K(R2, 2), MOV64_K(R3, 3), MOV64_K(R4, 4),
	                             MOV64_K(R5, 5), CALL(300),      EXIT()};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 54321);
}

TEST(CALL, helper_unregistered, "a helper removed after validation stops the run")
{
	CHECK_EQ(bpf_env_register_helper(&test_env, &sum_helper), 0);
	const struct bpf_insn p[] = {CALL(300), EXIT()};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	CHECK_EQ(bpf_env_unregister_helper(&test_env, 300), 0);
	static uint64_t stack[BPF_STACK_SIZE / 8];
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
	uint64_t r0;
	CHECK_EQ(bpf_vm_run(&vm, &prog, NULL, 0, &r0), BPF_ERR_NO_HELPER);
}

static uint64_t h_abort(struct bpf_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                        uint64_t e)
{
	(void)a;
	(void)b;
	(void)c;
	(void)d;
	(void)e;
	vm->abort = 1;
	return 0;
}

TEST(CALL, helper_abort, "a helper can stop the program")
{
	static const struct bpf_helper ab = {301, "abort", h_abort, {BPF_RET_VOID, {0}, 0, 0, 0}};
	CHECK_EQ(bpf_env_register_helper(&test_env, &ab), 0);
	const struct bpf_insn p[] = {CALL(301), MOV64_K(R0, 1), EXIT()};
	uint64_t r0;
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_VERIFIED, &r0, NULL),
	         BPF_ERR_ABORT);
}

static int setup_tail(struct bpf_map **pa, struct bpf_prog *progs)
{
	memset(progs, 0, 2 * sizeof(*progs));
	*pa = make_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, "pa");
	return *pa != NULL;
}

TEST(CALL, tail_call, "bpf_tail_call jumps to the target and does not return; failure continues")
{
	struct bpf_map *pa;
	struct bpf_prog progs[2];
	CHECK(setup_tail(&pa, progs));
	struct bpf_map *maps[] = {pa};
	const struct bpf_insn main_p[] = {
	        MOV64_K(R6, 0),
	        LD_MAP(R2, 0),
	        MOV64_K(R3, 1),
	        CALL(BPF_FUNC_tail_call),
	        /* only reached on failure: return the error */
	        EXIT(),
	};
	const struct bpf_insn target[] = {LDX(BPF_DW, R0, R1, 0), ALU64_K(BPF_ADD, R0, 1000),
	                                  EXIT()};
	CHECK_EQ(bpf_prog_init(&progs[0], main_p, NELEM(main_p), maps, 1, &test_env, NULL), 0);
	CHECK_EQ(bpf_prog_init(&progs[1], target, NELEM(target), maps, 1, &test_env, NULL), 0);
	static uint64_t stack[BPF_STACK_SIZE / 8];
	uint64_t ctx = 5, r0;
	if (test_jit) {
		CHECK_EQ(test_jit_prepare(&progs[0], 8), 0);
		CHECK_EQ(test_jit_prepare(&progs[1], 8), 0);
	}
	for (int mode = 0; mode < 2; mode++) {
		struct bpf_vm vm;
		bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
		bpf_vm_set_mode(&vm, test_mode(mode), 0);
		CHECK_EQ(bpf_vm_run(&vm, &progs[0], &ctx, 8, &r0), BPF_OK);
		CHECK_EQ(r0, (uint64_t)-BPF_ENOENT); /* empty slot */
		CHECK_EQ(bpf_prog_array_set(pa, 1, &progs[1]), 0);
		CHECK_EQ(bpf_vm_run(&vm, &progs[0], &ctx, 8, &r0), BPF_OK);
		CHECK_EQ(r0, 1005);
		CHECK_EQ(vm.tail_calls, 1);
		bpf_prog_array_set(pa, 1, NULL);
	}
	CHECK_EQ(bpf_prog_array_set(pa, 4, &progs[1]), -BPF_E2BIG);
	bpf_jit_free(&progs[0]);
	bpf_jit_free(&progs[1]);
}

TEST(CALL, tail_call_limit, "a tail-call chain stops after 33 tail calls")
{
	struct bpf_map *pa = make_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0, "pa");
	struct bpf_map *maps[] = {pa};
	/* count in ctx, tail-call self, return count when the call fails */
	const struct bpf_insn p[] = {
	        LDX(BPF_DW, R2, R1, 0),   ALU64_K(BPF_ADD, R2, 1), STX(BPF_DW, R1, R2, 0),
	        MOV64_X(R6, R1),          LD_MAP(R2, 0),           MOV64_K(R3, 0),
	        CALL(BPF_FUNC_tail_call), LDX(BPF_DW, R0, R6, 0),  EXIT(),
	};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), maps, 1, &test_env, NULL), 0);
	CHECK_EQ(bpf_prog_array_set(pa, 0, &prog), 0);
	static uint64_t stack[BPF_STACK_SIZE / 8];
	if (test_jit)
		CHECK_EQ(test_jit_prepare(&prog, 8), 0);
	for (int mode = 0; mode < 2; mode++) {
		struct bpf_vm vm;
		bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
		bpf_vm_set_mode(&vm, test_mode(mode), 0);
		uint64_t ctx = 0, r0;
		CHECK_EQ(bpf_vm_run(&vm, &prog, &ctx, 8, &r0), BPF_OK);
		CHECK_EQ(r0, BPF_MAX_TAIL_CALLS + 1);
	}
	bpf_jit_free(&prog);
}

TEST(CALL, tail_call_in_subprog, "a tail call inside a subprogram replaces that frame only")
{
	struct bpf_map *pa = make_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0, "pa");
	struct bpf_map *maps[] = {pa};
	const struct bpf_insn p[] = {
	        MOV64_K(R6, 40), CALL_LOCAL(2),  ALU64_X(BPF_ADD, R0, R6), EXIT(),
	        LD_MAP(R2, 0),   MOV64_K(R3, 0), CALL(BPF_FUNC_tail_call), MOV64_K(R0, 999),
	        EXIT(),
	};
	const struct bpf_insn t[] = {MOV64_K(R6, 0), MOV64_K(R0, 2), EXIT()};
	struct bpf_prog prog, tp;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), maps, 1, &test_env, NULL), 0);
	CHECK_EQ(bpf_prog_init(&tp, t, NELEM(t), maps, 1, &test_env, NULL), 0);
	CHECK_EQ(bpf_prog_array_set(pa, 0, &tp), 0);
	uint64_t ctx = 0;
	CHECK_EQ(run_both(p, NELEM(p), maps, 1, &ctx, 8), 42);
}

/* ---- VALIDATE ---- */
#define REJECT(name, desc, at, why, ...)                                  \
	TEST(VALIDATE, name, desc)                                        \
	{                                                                 \
		const struct bpf_insn p[] = {__VA_ARGS__};                \
		const char *r = "";                                       \
		CHECK_EQ(validate_at(p, NELEM(p), &r), (at) + 1);         \
		if (!strstr(r, why)) {                                    \
			printf("# reason \"%s\" lacks \"%s\"\n", r, why); \
			test_failed = 1;                                  \
		}                                                         \
	}
REJECT(unknown_opcode, "unknown opcode rejected", 1, "unknown opcode", MOV64_K(R0, 0),
       I(0xff, 0, 0, 0, 0), EXIT())
REJECT(callx_imm, "callx (0x8d) with a non-zero imm rejected", 0, "callx", I(0x8d, 1, 0, 0, 5),
       EXIT())
REJECT(callx_off, "callx with a non-zero offset rejected", 0, "callx", I(0x8d, 1, 0, 1, 0), EXIT())
REJECT(callx_btf, "callx by BTF id (src 2) rejected", 0, "BTF", I(0x8d, 1, 2, 0, 0), EXIT())
REJECT(callx_src, "callx with src 3 rejected", 0, "callx", I(0x8d, 1, 3, 0, 0), EXIT())
REJECT(neg64_imm, "ALU64 NEG (0x87) with a non-zero imm rejected", 1, "NEG", MOV64_K(R0, 1),
       I(BPF_ALU64 | BPF_NEG | BPF_K, 0, 0, 0, 1), EXIT())
REJECT(neg32_imm, "ALU NEG (0x84) with a non-zero imm rejected", 1, "NEG", MOV64_K(R0, 1),
       I(BPF_ALU | BPF_NEG | BPF_K, 0, 0, 0, -1), EXIT())
REJECT(neg_x, "NEG with X source rejected", 0, "unknown opcode",
       I(BPF_ALU64 | BPF_NEG | BPF_X, 0, 1, 0, 0), EXIT())
REJECT(memsx_dw, "sign-extending DW load does not exist", 0, "unknown opcode",
       I(BPF_LDX | BPF_MEMSX | BPF_DW, 0, 10, -8, 0), EXIT())
REJECT(bad_reg, "register 11 rejected", 0, "register", MOV64_K(11, 0), EXIT())
REJECT(write_r10, "writing R10 rejected", 0, "R10", MOV64_K(R10, 0), EXIT())
REJECT(ldx_r10, "loading into R10 rejected", 0, "R10", LDX(BPF_DW, R10, R10, -8), EXIT())
REJECT(fetch_r10, "atomic fetch into R10 rejected", 0, "R10",
       ATOMIC(BPF_DW, BPF_ADD | BPF_FETCH, R10, R10, -8), EXIT())
REJECT(jump_oob, "jump past the end rejected", 0, "jump target", JA(5), EXIT())
REJECT(jump_neg, "jump before the start rejected", 1, "jump target", MOV64_K(R0, 0),
       JMP_K(BPF_JEQ, R0, 0, -3), EXIT())
REJECT(jump_into_lddw, "jump into the middle of LD_IMM64 rejected", 0, "jump target", JA(1),
       LD64(R0, 1), EXIT())
REJECT(lddw_truncated, "LD_IMM64 without second half rejected", 1, "second half", MOV64_K(R0, 0),
       I(0x18, 0, 0, 0, 0))
REJECT(lddw_bad_second, "LD_IMM64 second half with opcode rejected", 1, "second half",
       I(0x18, 0, 0, 0, 0), I(0x07, 0, 0, 0, 0), EXIT())
REJECT(lddw_map_oob, "map index out of range rejected", 0, "map index", LD_MAP(R1, 0), EXIT())
REJECT(lddw_var_addr, "variable_addr of an unknown variable rejected", 0, "variable_addr",
       I(0x18, 1, 3, 0, 77), I(0, 0, 0, 0, 0), EXIT())
REJECT(lddw_code_addr, "code_addr pseudo source rejected", 0, "code_addr", I(0x18, 1, 4, 0, 0),
       I(0, 0, 0, 0, 0), EXIT())
REJECT(fall_off, "falling off the end rejected", 0, "falls off", MOV64_K(R0, 0))
REJECT(fall_off_cond, "conditional jump as last instruction rejected", 1, "falls off",
       MOV64_K(R0, 0), JMP_K(BPF_JEQ, R0, 0, -2))
REJECT(unknown_helper, "call to an unregistered helper rejected", 0, "unknown helper", CALL(4),
       EXIT())
REJECT(helper_range, "helper id out of range rejected", 0, "helper id", CALL(100000), EXIT())
REJECT(call_btf, "helper call by BTF id rejected", 0, "BTF", I(BPF_JMP | BPF_CALL, 0, 2, 0, 5),
       EXIT())
REJECT(local_call_oob, "local call out of range rejected", 0, "local call", CALL_LOCAL(10), EXIT())
REJECT(end_width, "byte swap width 8 rejected", 0, "width", LE(R0, 8), EXIT())
REJECT(movsx_off, "MOVSX offset 24 rejected", 0, "MOVSX", MOVSX64(R0, R1, 24), EXIT())
REJECT(movsx32_32, "ALU MOVSX 32 rejected", 0, "MOVSX", MOVSX32(R0, R1, 32), EXIT())
REJECT(div_off, "DIV offset 2 rejected", 0, "offset", I(BPF_ALU64 | BPF_DIV | BPF_K, 0, 0, 2, 1),
       EXIT())
REJECT(alu_off, "ADD with offset rejected", 0, "offset", I(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 1, 1),
       EXIT())
REJECT(alu_k_src, "K-source ALU with src_reg rejected", 0, "src_reg",
       I(BPF_ALU64 | BPF_ADD | BPF_K, 0, 1, 0, 1), EXIT())
REJECT(alu_x_imm, "X-source ALU with imm rejected", 0, "imm",
       I(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 1), EXIT())
REJECT(exit_fields, "EXIT with fields set rejected", 0, "EXIT", I(BPF_JMP | BPF_EXIT, 1, 0, 0, 0))
REJECT(atomic_op, "unknown atomic operation rejected", 0, "atomic",
       ATOMIC(BPF_DW, 0x10, R10, R1, -8), EXIT())
REJECT(atomic_size, "8-bit atomics do not exist", 0, "unknown opcode",
       ATOMIC(BPF_B, BPF_ADD, R10, R1, -8), EXIT())
REJECT(stray_zero, "opcode 0 rejected", 0, "opcode 0", I(0, 0, 0, 0, 0), EXIT())
REJECT(ldabs_dst, "LD_ABS with dst set rejected", 0, "packet",
       I(BPF_LD | BPF_ABS | BPF_W, 1, 0, 0, 0), EXIT())

TEST(VALIDATE, map_value_offset, "map value offsets are checked against the map")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0, "arr");
	struct bpf_map *h = make_map(BPF_MAP_TYPE_HASH, 4, 8, 2, 0, "h");
	struct bpf_map *maps[] = {m, h};
	struct bpf_prog prog;
	struct bpf_prog_error e;
	const struct bpf_insn ok[] = {LD_MAP_VALUE(R0, 0, 15), EXIT()};
	CHECK_EQ(bpf_prog_init(&prog, ok, NELEM(ok), maps, 2, &test_env, &e), 0);
	const struct bpf_insn bad[] = {LD_MAP_VALUE(R0, 0, 16), EXIT()};
	CHECK_EQ(bpf_prog_init(&prog, bad, NELEM(bad), maps, 2, &test_env, &e), -BPF_EINVAL);
	CHECK_EQ(e.insn, 1);
	const struct bpf_insn hv[] = {LD_MAP_VALUE(R0, 1, 0), EXIT()};
	CHECK_EQ(bpf_prog_init(&prog, hv, NELEM(hv), maps, 2, &test_env, &e), -BPF_EINVAL);
	CHECK(strstr(e.reason, "array") != NULL);
}

TEST(VALIDATE, empty, "an empty program is rejected")
{
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, NULL, 0, NULL, 0, &test_env, NULL), -BPF_EINVAL);
}

TEST(VALIDATE, every_opcode, "exactly the RFC 9669 opcodes (callx included) are accepted")
{
	int accepted = 0;
	for (int op = 0; op < 256; op++) {
		struct bpf_insn p[3] = {I(op, 0, 0, 0, 0), I(0, 0, 0, 0, 0), EXIT()};
		uint8_t cls = op & 7;
		/* give each class fields it accepts */
		if (cls == BPF_ALU || cls == BPF_ALU64) {
			p[0].regs = BPF_REGS(0, (op & BPF_X) ? 1 : 0);
			if ((op & 0xf0) == BPF_END)
				p[0].imm = 32, p[0].regs = 0;
			p[1] = EXIT();
		} else if (cls == BPF_JMP || cls == BPF_JMP32) {
			if ((op & 0xf0) == BPF_CALL && !(op & BPF_X))
				p[0].imm = 1; /* helper 1; callx takes R0 (imm unused) */
			p[0].regs = BPF_REGS(0, ((op & BPF_X) && (op & 0xf0) != BPF_CALL) ? 1 : 0);
			if ((op & 0xf0) == BPF_JA && op != 0x05 && op != 0x06)
				p[0].regs = BPF_REGS(0, (op & BPF_X) ? 1 : 0);
			p[1] = EXIT();
		} else if (cls == BPF_LDX) {
			p[0].regs = BPF_REGS(0, 10);
			p[0].off = -8;
			p[1] = EXIT();
		} else if (cls == BPF_ST || cls == BPF_STX) {
			p[0].regs = BPF_REGS(10, cls == BPF_STX ? 1 : 0);
			p[0].off = -8;
			p[1] = EXIT();
		} else if (op != 0x18) {
			p[0].regs = BPF_REGS(0, (op & 0xe0) == BPF_IND ? 1 : 0);
			p[1] = EXIT();
		}
		struct bpf_prog prog;
		if (bpf_prog_init(&prog, p, 3, NULL, 0, &test_env, NULL) == 0)
			accepted++;
	}
	/* 26 ALU64 + 27 ALU + 25 JMP + 23 JMP32 + 7 LD + 7 LDX + 4 ST + 6 STX,
	 * + callx */
	CHECK_EQ(accepted, 126);
}

TEST(CHECKED, var_addr,
     "LD_IMM64 var_addr (RFC 9669 5.4) resolves platform variables; checked mode bounds them")
{
	static uint64_t counter = 5;
	static const uint32_t limit = 9;
	static const struct bpf_var vars[] = {
	        {10, 0, &counter, sizeof(counter)},
	        {11, BPF_VAR_READONLY, (void *)&limit, sizeof(limit)},
	};
	CHECK_EQ(bpf_env_set_vars(&test_env, vars, 2), 0);
	const struct bpf_insn p[] = {I(0x18, 1, 3, 0, 10),   I(0, 0, 0, 0, 0),
	                             I(0x18, 2, 3, 0, 11),   I(0, 0, 0, 0, 0),
	                             LDX(BPF_DW, 0, 1, 0),   ALU64_K(BPF_ADD, 0, 1),
	                             STX(BPF_DW, 1, 0, 0),   LDX(BPF_W, 3, 2, 0),
	                             ALU64_X(BPF_ADD, 0, 3), EXIT()};
	uint64_t r0;
	counter = 5;
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_VERIFIED, &r0, NULL), BPF_OK);
	CHECK_EQ(r0, 6 + 9);
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &r0, NULL), BPF_OK);
	CHECK_EQ(r0, 7 + 9);
	CHECK_EQ(counter, 7);
	const struct bpf_insn w[] = {I(0x18, 2, 3, 0, 11), I(0, 0, 0, 0, 0), ST(BPF_W, 2, 0, 1),
	                             MOV64_K(0, 0), EXIT()};
	CHECK_EQ(run_checked(w, NELEM(w), NULL, 0, NULL, 0, NULL), BPF_ERR_STORE_FAULT);
	const struct bpf_insn o[] = {I(0x18, 1, 3, 0, 10), I(0, 0, 0, 0, 0), LDX(BPF_DW, 0, 1, 4),
	                             EXIT()};
	CHECK_EQ(run_checked(o, NELEM(o), NULL, 0, NULL, 0, NULL), BPF_ERR_LOAD_FAULT);
	static const struct bpf_var dup[] = {{1, 0, &counter, 8}, {1, 0, &counter, 8}};
	CHECK_EQ(bpf_env_set_vars(&test_env, dup, 2), -BPF_EEXIST);
	bpf_env_set_vars(&test_env, NULL, 0);
}
