/* callx (opcode 0x8d, RFC 9669 §4.3, conformance group callx) in the
 * interpreter, both modes: the target is in dst, a helper id (src 0)
 * or a pc-relative function offset (src 1, PC += dst). */
#include "test.h"
#include "bpf/verifier.h"

#define CALLX(dst) I(BPF_JMP | BPF_CALL | BPF_X, dst, 0, 0, 0)
#define CALLX_LOCAL(dst) I(BPF_JMP | BPF_CALL | BPF_X, dst, BPF_PSEUDO_CALL_LOCAL, 0, 0)

static int run_each(const struct bpf_insn *p, uint32_t n, int want_status, uint64_t want_r0)
{
	int bad = 0;
	for (int mode = 0; mode < 2; mode++) {
		uint64_t r0 = 0;
		struct bpf_vm vm;
		int st = run_mode(p, n, NULL, 0, NULL, 0, mode, &r0, &vm);
		if (st != want_status || (st == BPF_OK && r0 != want_r0)) {
			printf("# mode %d: status %d r0 0x%" PRIx64 " (want %d, 0x%" PRIx64
			       ") pc %u\n",
			       mode, st, r0, want_status, want_r0, vm.fault.pc);
			bad = 1;
		}
	}
	return bad;
}

/* The conformance suite's callx test: R2 = 5 names helper 5 (here
 * ktime_get_ns); its result is overwritten. */
TEST(CALL, callx_conformance, "callx r2 with helper id 5 in r2, then r0 = 2 (the conformance test)")
{
	const struct bpf_insn p[] = {MOV64_K(1, -1), MOV64_K(2, 5), CALLX(2), MOV64_K(0, 2),
	                             EXIT()};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 2);
}

TEST(CALL, callx_helper_result, "callx returns the helper's R0 (get_smp_processor_id = 3)")
{
	const struct bpf_insn p[] = {MOV64_K(3, BPF_FUNC_get_smp_processor_id), CALLX(3), EXIT()};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 3);
}

TEST(CALL, callx_local, "callx pc+r2 calls a local function with its own frame")
{
	const struct bpf_insn p[] = {
	        MOV64_K(1, 5),          MOV64_K(6, 40),
	        MOV64_K(2, 2),          CALLX_LOCAL(2),
	        ALU64_X(BPF_ADD, 0, 6), EXIT(),
	        /* 6: */ MOV64_X(0, 1), ALU64_K(BPF_ADD, 0, 1),
	        MOV64_K(6, 0),          EXIT(),
	};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 46); /* R6 restored */
}

TEST(CALL, callx_local_backward,
     "a negative offset reaches a function before the call (unverified run)")
{
	const struct bpf_insn p[] = {
	        JA(3),
	        /* 1: */ MOV64_X(0, 1),
	        ALU64_K(BPF_ADD, 0, 10),
	        EXIT(),
	        /* 4: */ MOV64_K(1, 7),
	        MOV64_K(3, -6),
	        CALLX_LOCAL(3),
	        EXIT(),
	};
	CHECK(!run_each(p, NELEM(p), BPF_OK, 17));
}

TEST(CALL, callx_bad_targets,
     "callx to an unknown helper, outside the program or into LD_IMM64 stops the run")
{
	const struct bpf_insn unknown[] = {MOV64_K(2, 300), CALLX(2), EXIT()};
	CHECK(!run_each(unknown, NELEM(unknown), BPF_ERR_NO_HELPER, 0));
	const struct bpf_insn zero[] = {MOV64_K(2, 0), CALLX(2), EXIT()};
	CHECK(!run_each(zero, NELEM(zero), BPF_ERR_NO_HELPER, 0));
	const struct bpf_insn huge[] = {LD64(2, 1ULL << 40), CALLX(2), EXIT()};
	CHECK(!run_each(huge, NELEM(huge), BPF_ERR_NO_HELPER, 0));
	const struct bpf_insn past[] = {MOV64_K(2, 100), CALLX_LOCAL(2), EXIT()};
	CHECK(!run_each(past, NELEM(past), BPF_ERR_BAD_INSN, 0));
	const struct bpf_insn before[] = {MOV64_K(2, -3), CALLX_LOCAL(2), EXIT()};
	CHECK(!run_each(before, NELEM(before), BPF_ERR_BAD_INSN, 0));
	/* target 4 is the second half of the LD_IMM64 at 3 */
	const struct bpf_insn half[] = {MOV64_K(2, 2), CALLX_LOCAL(2), EXIT(), LD64(0, 1), EXIT()};
	CHECK(!run_each(half, NELEM(half), BPF_ERR_BAD_INSN, 0));
	struct bpf_vm vm;
	uint64_t r0;
	CHECK_EQ(run_mode(past, NELEM(past), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &r0, &vm),
	         BPF_ERR_BAD_INSN);
	CHECK_EQ(vm.fault.pc, 1);
}

TEST(CALL, callx_checked_args, "checked mode checks the arguments of a helper called through callx")
{
	/* map_lookup_elem with a scalar for the map */
	const struct bpf_insn p[] = {MOV64_K(1, 12), MOV64_K(2, 0),
	                             MOV64_K(3, BPF_FUNC_map_lookup_elem), CALLX(3), EXIT()};
	uint64_t r0;
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &r0, NULL),
	         BPF_ERR_HELPER_ARG);
}

TEST(CALL, callx_depth, "callx local calls count against the 8-frame limit")
{
	/* the function calls itself through callx forever */
	const struct bpf_insn p[] = {MOV64_K(2, 1),           CALLX_LOCAL(2), EXIT(),
	                             /* 3: */ MOV64_K(2, -1), CALLX_LOCAL(2), EXIT()};
	CHECK(!run_each(p, NELEM(p), BPF_ERR_CALL_DEPTH, 0));
}

/* ---- bpf_vm_exec: the exec(mem, len) form, R1 = mem, R2 = len ---- */
TEST(CHECKED, exec_r2_len, "bpf_vm_exec passes the length in R2; bpf_vm_run leaves R2 zero")
{
	uint8_t mem[24] = {0};
	const struct bpf_insn p[] = {MOV64_X(0, 2), EXIT()};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	static uint64_t stk[BPF_STACK_SIZE / 8];
	for (int mode = 0; mode < 2; mode++) {
		struct bpf_vm vm;
		bpf_vm_init(&vm, &test_env, stk, sizeof(stk));
		bpf_vm_set_mode(&vm, mode, 0);
		uint64_t r0 = 99;
		CHECK_EQ(bpf_vm_exec(&vm, &prog, mem, sizeof(mem), &r0), BPF_OK);
		CHECK_EQ(r0, 24);
		CHECK_EQ(bpf_vm_exec(&vm, &prog, NULL, 0, &r0), BPF_OK);
		CHECK_EQ(r0, 0);
		CHECK_EQ(bpf_vm_run(&vm, &prog, mem, sizeof(mem), &r0), BPF_OK);
		CHECK_EQ(r0, 0);
	}
}

TEST(CHECKED, exec_sum,
     "a loop bounded by R2 sums the memory; checked mode bounds it by the length")
{
	uint8_t mem[16];
	uint64_t want = 0;
	for (int i = 0; i < 16; i++)
		want += mem[i] = (uint8_t)(i * 13 + 1);
	const struct bpf_insn p[] = {
	        MOV64_K(0, 0),
	        MOV64_K(3, 0),
	        /* 2: */ JMP_X(BPF_JGE, 3, 2, 6),
	        MOV64_X(4, 1),
	        ALU64_X(BPF_ADD, 4, 3),
	        LDX(BPF_B, 4, 4, 0),
	        ALU64_X(BPF_ADD, 0, 4),
	        ALU64_K(BPF_ADD, 3, 1),
	        JA(-7),
	        EXIT(),
	};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	/* verified for a 16-byte context with R2 = ctx_size */
	struct bpf_hook hook = {.name = "exec", .ctx_size = 16, .flags = BPF_HOOK_CTX_LEN};
	struct bpf_verifier_result res;
	CHECK_EQ(verify_insns(p, NELEM(p), NULL, 0, &hook, &res, NULL, 0), 0);
	static uint64_t stk[BPF_STACK_SIZE / 8];
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, stk, sizeof(stk));
	uint64_t r0;
	for (int mode = 0; mode < 2; mode++) {
		bpf_vm_set_mode(&vm, mode, 0);
		CHECK_EQ(bpf_vm_exec(&vm, &prog, mem, sizeof(mem), &r0), BPF_OK);
		CHECK_EQ(r0, want);
	}
	/* checked: claiming more memory than the buffer's 16 bytes is caught
	 * against the length given, never past it */
	bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 0);
	CHECK_EQ(bpf_vm_exec(&vm, &prog, mem, 8, &r0), BPF_OK);
	CHECK_EQ(r0, mem[0] + mem[1] + mem[2] + mem[3] + mem[4] + mem[5] + mem[6] + mem[7]);
	CHECK_EQ(bpf_vm_exec(NULL, &prog, mem, 8, &r0), BPF_ERR_INVALID);
}
