/* callx (0x8d) and bpf_vm_exec under the JIT.  Verified programs only
 * reach constant targets, so the run-time target checks are exercised
 * here with programs compiled through the library's internal unverified
 * entry, against the interpreter's verdicts (status and fault pc). */
#include "bpf/jit.h"
#include "jit_internal.h"
#include "test.h"

#define CALLX(dst) I(BPF_JMP | BPF_CALL | BPF_X, dst, 0, 0, 0)
#define CALLX_LOCAL(dst) I(BPF_JMP | BPF_CALL | BPF_X, dst, BPF_PSEUDO_CALL_LOCAL, 0, 0)

static uint64_t xstack[BPF_STACK_SIZE / 8];

/* Interpreter (verified mode) and JIT agree on status, R0 and fault pc. */
static void agree(const struct bpf_insn *p, uint32_t n, int want_status, uint64_t want_r0)
{
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, n, NULL, 0, &test_env, NULL), 0);
	struct bpf_jit_opts o = {.alloc = &test_alloc, .flags = test_jit_flags & ~BPF_JIT_F_BLIND};
	CHECK_EQ(bpf__jit_compile_unverified(&prog, &test_env, &o), 0);
	CHECK(prog.jit != NULL);
	int st[2];
	uint64_t r0[2];
	uint32_t pc[2];
	for (int k = 0; k < 2; k++) {
		struct bpf_vm vm;
		bpf_vm_init(&vm, &test_env, xstack, sizeof(xstack));
		bpf_vm_set_mode(&vm, k ? BPF_MODE_JIT : BPF_MODE_VERIFIED, 0);
		r0[k] = 0;
		st[k] = bpf_vm_run(&vm, &prog, NULL, 0, &r0[k]);
		pc[k] = vm.fault.pc;
	}
	CHECK_EQ(st[0], want_status);
	CHECK_EQ(st[1], want_status);
	CHECK_EQ(r0[0], want_r0);
	CHECK_EQ(r0[1], want_r0);
	CHECK_EQ(pc[0], pc[1]);
	bpf_jit_free(&prog);
}

TEST(JIT, callx_targets,
     "callx under the JIT: helper ids and local targets checked at run time like the interpreter")
{
	const struct bpf_insn helper[] = {MOV64_K(3, BPF_FUNC_get_smp_processor_id), CALLX(3),
	                                  ALU64_K(BPF_ADD, 0, 10), EXIT()};
	agree(helper, NELEM(helper), BPF_OK, 13);
	const struct bpf_insn unknown[] = {MOV64_K(2, 300), CALLX(2), EXIT()};
	agree(unknown, NELEM(unknown), BPF_ERR_NO_HELPER, 0);
	const struct bpf_insn zero[] = {MOV64_K(2, 0), CALLX(2), EXIT()};
	agree(zero, NELEM(zero), BPF_ERR_NO_HELPER, 0);
	const struct bpf_insn huge[] = {LD64(2, 1ULL << 40), CALLX(2), EXIT()};
	agree(huge, NELEM(huge), BPF_ERR_NO_HELPER, 0);
	const struct bpf_insn local[] = {
	        MOV64_K(1, 5),          MOV64_K(6, 40), MOV64_K(2, 2), CALLX_LOCAL(2),
	        ALU64_X(BPF_ADD, 0, 6), EXIT(),         MOV64_X(0, 1), ALU64_K(BPF_ADD, 0, 1),
	        MOV64_K(6, 0),          EXIT(),
	};
	agree(local, NELEM(local), BPF_OK, 46);
	const struct bpf_insn back[] = {
	        JA(3),         MOV64_X(0, 1),  ALU64_K(BPF_ADD, 0, 10), EXIT(),
	        MOV64_K(1, 7), MOV64_K(3, -6), CALLX_LOCAL(3),          EXIT(),
	};
	agree(back, NELEM(back), BPF_OK, 17);
	const struct bpf_insn past[] = {MOV64_K(2, 100), CALLX_LOCAL(2), EXIT()};
	agree(past, NELEM(past), BPF_ERR_BAD_INSN, 0);
	const struct bpf_insn before[] = {MOV64_K(2, -3), CALLX_LOCAL(2), EXIT()};
	agree(before, NELEM(before), BPF_ERR_BAD_INSN, 0);
	const struct bpf_insn half[] = {MOV64_K(2, 2), CALLX_LOCAL(2), EXIT(), LD64(0, 1), EXIT()};
	agree(half, NELEM(half), BPF_ERR_BAD_INSN, 0);
	const struct bpf_insn first[] = {MOV64_K(2, 1), CALLX_LOCAL(2), EXIT(), LD64(0, 77),
	                                 EXIT()};
	agree(first, NELEM(first), BPF_OK, 77);
	const struct bpf_insn deep[] = {MOV64_K(2, 1),  CALLX_LOCAL(2), EXIT(),
	                                MOV64_K(2, -1), CALLX_LOCAL(2), EXIT()};
	agree(deep, NELEM(deep), BPF_ERR_CALL_DEPTH, 0);
}

TEST(JIT, exec_r2, "bpf_vm_exec under the JIT: R2 holds the length at entry")
{
	uint8_t mem[16];
	uint64_t want = 0;
	for (int i = 0; i < 16; i++)
		want += mem[i] = (uint8_t)(i * 13 + 1);
	/* sum mem[0 .. R2) */
	const struct bpf_insn p[] = {
	        MOV64_K(0, 0),
	        MOV64_K(3, 0),
	        JMP_X(BPF_JGE, 3, 2, 6),
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
	struct bpf_hook h = test_hook_all;
	h.ctx_size = sizeof(mem);
	/* R2 is promised only where no tail call can start the program */
	h.flags = (h.flags | BPF_HOOK_CTX_LEN) & ~BPF_HOOK_TAIL_CALLS;
	struct bpf_jit_opts o = {.hook = &h, .alloc = &test_alloc, .flags = test_jit_flags};
	struct bpf_verifier_result res;
	CHECK_EQ(bpf_jit_compile(&prog, &test_env, &o, &res), 0);
	CHECK(prog.jit != NULL);
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, xstack, sizeof(xstack));
	bpf_vm_set_mode(&vm, BPF_MODE_JIT, 0);
	uint64_t r0 = 0;
	CHECK_EQ(bpf_vm_exec(&vm, &prog, mem, sizeof(mem), &r0), BPF_OK);
	CHECK_EQ(r0, want);
	mem[3] += 100;
	CHECK_EQ(bpf_vm_exec(&vm, &prog, mem, sizeof(mem), &r0), BPF_OK);
	CHECK_EQ(r0, want + 100);
	bpf_jit_free(&prog);
}
