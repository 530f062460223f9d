/* Shared verifier test fixtures (vcase.h). */
#include "vcase.h"
#include "bpf/jit.h"

struct bpf_map *M[NMAPS_V];
void vcase_fixture(void)
{
	M[0] = make_map(BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0, "arr");
	M[1] = make_map(BPF_MAP_TYPE_HASH, 4, 8, 8, 0, "hash");
	M[2] = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0, "rb");
	M[3] = make_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0, "pa");
	M[4] = make_map(BPF_MAP_TYPE_ARRAY, 4, 32, 1, BPF_F_RDONLY_PROG, "ro");
	memcpy(M[4]->data, "hello", 6);
	M[5] = make_map(BPF_MAP_TYPE_ARRAY, 4, 1, 2, 0, "byte");
}

const struct bpf_hook hook_ro = {.name = "ro", .ctx_size = 64};
const struct bpf_hook hook_leak = {
        .name = "leak",
        .ctx_size = 64,
        .flags = BPF_HOOK_PTR_LEAK | BPF_HOOK_TAIL_CALLS,
};
static const struct bpf_ctx_field fields[] = {
        {0, 8, BPF_FIELD_READ},
        {8, 8, BPF_FIELD_READ | BPF_FIELD_WRITE},
        {32, 4, BPF_FIELD_WRITE},
};
const struct bpf_hook hook_fields = {
        .name = "fields",
        .ctx_size = 40,
        .fields = fields,
        .nfields = 3,
};
static const uint32_t few_helpers[] = {BPF_FUNC_map_lookup_elem, BPF_FUNC_ktime_get_ns};
const struct bpf_hook hook_few = {
        .name = "few",
        .ctx_size = 64,
        .helpers = few_helpers,
        .nhelpers = 2,
};
const struct bpf_hook hook_ret = {
        .name = "ret",
        .ctx_size = 64,
        .flags = BPF_HOOK_CHECK_RET,
        .ret_min = 0,
        .ret_max = 1,
};

uint64_t vstack[BPF_STACK_SIZE / 8];

/* What one run of an accepted program leaves behind. */
struct vrun {
	int st;
	uint64_t r0;
	uint8_t ctx[256];
	uint8_t *map_data[NMAPS_V];
	uint64_t map_len[NMAPS_V], ring_prod[NMAPS_V], hash_count[NMAPS_V];
};

/* Run p from a fresh fixture, verified-mode interpreter or (jit) the
 * program's native code, and keep the outcome. */
static int vrun(const struct bpf_insn *p, uint32_t n, const struct bpf_hook *hook, int jit,
                int line, struct vrun *out)
{
	vcase_fixture();
	struct bpf_prog prog;
	if (bpf_prog_init(&prog, p, n, M, NMAPS_V, &test_env, NULL))
		return -1;
	if (jit) {
		struct bpf_jit_opts o = {.hook = hook,
		                         .alloc = &test_alloc,
		                         .flags = test_jit_flags,
		                         .blind_seed = (uint64_t)line};
		if (bpf_jit_compile(&prog, &test_env, &o, NULL)) {
			printf("# line %d: the JIT did not compile an accepted program\n", line);
			test_failed = 1;
			return -1;
		}
		test_jit_compiled++;
	}
	bpf_prog_array_set(M[3], 0, &prog);
	/* one context buffer for both runs: programs of hooks that allow
	 * pointer leaks may return addresses */
	static uint8_t ctx[sizeof(out->ctx)];
	for (size_t i = 0; i < sizeof(ctx); i++)
		ctx[i] = (uint8_t)(i * 37 + 11);
	test_ktime = 0;
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, vstack, sizeof(vstack));
	bpf_vm_set_mode(&vm, jit ? BPF_MODE_JIT : BPF_MODE_VERIFIED, 0);
	out->st = hook->flags & BPF_HOOK_CTX_LEN
	                  ? bpf_vm_exec(&vm, &prog, ctx, hook->ctx_size, &out->r0)
	                  : bpf_vm_run(&vm, &prog, ctx, hook->ctx_size, &out->r0);
	memcpy(out->ctx, ctx, sizeof(ctx));
	bpf_prog_array_set(M[3], 0, NULL);
	for (int i = 0; i < NMAPS_V; i++) {
		out->map_data[i] = M[i]->data;
		out->map_len[i] = M[i]->data_len;
		out->ring_prod[i] =
		        M[i]->def.type == BPF_MAP_TYPE_RINGBUF ? *M[i]->u.ringbuf.prod_pos : 0;
		out->hash_count[i] = M[i]->def.type == BPF_MAP_TYPE_HASH ? M[i]->u.hash.count : 0;
	}
	bpf_jit_free(&prog);
	return 0;
}

/* With --jit: an accepted program compiled to native code must leave
 * what the verified-mode interpreter leaves (status, R0, context, map
 * storage), each run from a fresh fixture. */
static void vcase_jit(const struct bpf_insn *p, uint32_t n, const struct bpf_hook *hook, int line)
{
	static struct vrun want, got;
	if (vrun(p, n, hook, 0, line, &want) || vrun(p, n, hook, 1, line, &got))
		return;
	int maps_same = 1;
	for (int i = 0; i < NMAPS_V; i++)
		maps_same &= want.map_len[i] == got.map_len[i] &&
		             (!want.map_len[i] ||
		              !memcmp(want.map_data[i], got.map_data[i], want.map_len[i])) &&
		             want.ring_prod[i] == got.ring_prod[i] &&
		             want.hash_count[i] == got.hash_count[i];
	if (want.st != got.st || (want.st == BPF_OK && want.r0 != got.r0) ||
	    memcmp(want.ctx, got.ctx, sizeof(want.ctx)) || !maps_same) {
		printf("# line %d: JIT %s/0x%llx, interpreter %s/0x%llx%s%s\n", line,
		       bpf_status_str(got.st), (unsigned long long)got.r0, bpf_status_str(want.st),
		       (unsigned long long)want.r0,
		       memcmp(want.ctx, got.ctx, sizeof(want.ctx)) ? ", context differs" : "",
		       maps_same ? "" : ", map storage differs");
		test_failed = 1;
	}
}

void vcase(const struct bpf_insn *p, uint32_t n, int want, int at, const struct bpf_hook *hook,
           int line)
{
	vcase_fixture();
	if (!hook)
		hook = &test_hook_all;
	struct bpf_verifier_result res;
	static char log[16384];
	int rc = verify_insns(p, n, M, NMAPS_V, hook, &res, log, sizeof(log));
	if (res.rule != want || (want == BPF_VR_OK) != (rc == 0) ||
	    (want != BPF_VR_OK && at >= 0 && (int)res.insn != at)) {
		printf("# line %d: want %s at %d, got %s at %u (rc %d): %s\n", line,
		       bpf_vrule_name(want), at, bpf_vrule_name(res.rule), res.insn, rc,
		       res.msg ? res.msg : "");
		for (char *l = strtok(log, "\n"); l; l = strtok(NULL, "\n"))
			printf("#   %s\n", l);
		test_failed = 1;
		return;
	}
	if (want != BPF_VR_OK)
		return;
	/* Soundness: accepted means the checked interpreter finds nothing. */
	struct bpf_prog prog;
	if (bpf_prog_init(&prog, p, n, M, NMAPS_V, &test_env, NULL))
		return;
	bpf_prog_array_set(M[3], 0, &prog);
	uint8_t ctx[256];
	for (size_t i = 0; i < sizeof(ctx); i++)
		ctx[i] = (uint8_t)(i * 37 + 11);
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, vstack, sizeof(vstack));
	bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 50000000);
	vm.ctx_readonly = !(hook->flags & BPF_HOOK_CTX_WRITABLE) && !hook->fields;
	uint64_t r0;
	int st = hook->flags & BPF_HOOK_CTX_LEN ? bpf_vm_exec(&vm, &prog, ctx, hook->ctx_size, &r0)
	                                        : bpf_vm_run(&vm, &prog, ctx, hook->ctx_size, &r0);
	if (st != BPF_OK && !(st == BPF_ERR_CALL_DEPTH && vm.tail_calls)) {
		printf("# line %d: accepted program tripped checked mode: %s at pc %u\n", line,
		       bpf_status_str(st), vm.fault.pc);
		test_failed = 1;
	}
	bpf_prog_array_set(M[3], 0, NULL);
	if (test_jit)
		vcase_jit(p, n, hook, line);
}
