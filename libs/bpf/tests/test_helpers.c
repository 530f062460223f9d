/* Standard helpers, hooks, the helper registry and VM state size. */
#include "test.h"

TEST(HELPERS, vm_state_size, "VM state is at most 1 KiB beyond program, stack and maps")
{
	printf("# sizeof(struct bpf_vm) = %zu, sizeof(struct bpf_prog) = %zu, sizeof(struct "
	       "bpf_map) = %zu\n",
	       sizeof(struct bpf_vm), sizeof(struct bpf_prog), sizeof(struct bpf_map));
	CHECK(sizeof(struct bpf_vm) <= 1024);
}

TEST(HELPERS, ktime, "bpf_ktime_get_ns reaches the embedder hook")
{
	test_ktime = 5000;
	const struct bpf_insn p[] = {CALL(BPF_FUNC_ktime_get_ns), MOV64_X(6, 0),
	                             CALL(BPF_FUNC_ktime_get_ns), ALU64_X(BPF_SUB, 0, 6), EXIT()};
	uint64_t r0;
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_VERIFIED, &r0, NULL), 0);
	CHECK_EQ(r0, 1000);
	CHECK_EQ(test_ktime, 7000);
}

TEST(HELPERS, cpu_id, "bpf_get_smp_processor_id reaches the embedder hook")
{
	const struct bpf_insn p[] = {CALL(BPF_FUNC_get_smp_processor_id), EXIT()};
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 3);
}

static uint32_t fixed_rand(void *c)
{
	(void)c;
	return 0xabcd1234;
}

TEST(HELPERS, prandom, "bpf_get_prandom_u32: embedder hook, else a deterministic generator")
{
	const struct bpf_insn p[] = {CALL(BPF_FUNC_get_prandom_u32), MOV64_X(6, 0),
	                             CALL(BPF_FUNC_get_prandom_u32), ALU64_K(BPF_LSH, 0, 32),
	                             ALU64_X(BPF_OR, 0, 6),          EXIT()};
	uint64_t a, b;
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_VERIFIED, &a, NULL), 0);
	CHECK_EQ(run_mode(p, NELEM(p), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &b, NULL), 0);
	CHECK_EQ(a, b);                       /* same sequence per fresh VM */
	CHECK((a >> 32) != (a & 0xffffffff)); /* successive values differ */
	struct bpf_hooks h = {.prandom_u32 = fixed_rand};
	bpf_env_init(&test_env, &h, NULL);
	CHECK_EQ(run_both(p, NELEM(p), NULL, 0, NULL, 0), 0xabcd1234abcd1234ULL);
}

TEST(HELPERS, printk_format, "bpf_trace_printk formats %d %u %x %llx %s %c %% into the print hook")
{
	static const char fmt[] = "d=%d u=%u x=%x lx=%llx c=%c %%";
	struct bpf_map *ro =
	        make_map(BPF_MAP_TYPE_ARRAY, 4, sizeof(fmt), 1, BPF_F_RDONLY_PROG, ".rodata");
	struct bpf_map *maps[] = {ro};
	uint32_t k = 0;
	memcpy(bpf_map_lookup(ro, &k), fmt, sizeof(fmt));
	/* trace_printk takes 3 args; use vprintk for all 5 */
	const struct bpf_insn p[] = {ST(BPF_DW, 10, -40, -5),
	                             ST(BPF_DW, 10, -32, 7),
	                             ST(BPF_DW, 10, -24, 255),
	                             LD64(1, 0x1122334455667788ULL),
	                             STX(BPF_DW, 10, 1, -16),
	                             ST(BPF_DW, 10, -8, 'Z'),
	                             LD_MAP_VALUE(1, 0, 0),
	                             MOV64_K(2, sizeof(fmt)),
	                             MOV64_X(3, 10),
	                             ALU64_K(BPF_ADD, 3, -40),
	                             MOV64_K(4, 40),
	                             CALL(BPF_FUNC_trace_vprintk),
	                             EXIT()};
	uint64_t r0;
	CHECK_EQ(run_mode(p, NELEM(p), maps, 1, NULL, 0, BPF_MODE_CHECKED, &r0, NULL), 0);
	CHECK_STR(test_print_buf, "d=-5 u=7 x=ff lx=1122334455667788 c=Z %");
	CHECK_EQ(r0, strlen(test_print_buf));
}

TEST(HELPERS, printk_string, "%s reads a string from program memory, refuses wild pointers")
{
	static const char fmt[] = "s=%s|%s";
	struct bpf_map *ro = make_map(BPF_MAP_TYPE_ARRAY, 4, 16, 1, 0, "fmt");
	struct bpf_map *maps[] = {ro};
	uint32_t k = 0;
	memcpy(bpf_map_lookup(ro, &k), fmt, sizeof(fmt));
	const struct bpf_insn p[] = {LD64(1, 0x6f6c6c6568ULL),
	                             STX(BPF_DW, 10, 1, -8), /* "hello" */
	                             LD_MAP_VALUE(1, 0, 0),
	                             MOV64_K(2, sizeof(fmt)),
	                             MOV64_X(3, 10),
	                             ALU64_K(BPF_ADD, 3, -8),
	                             MOV64_K(4, 0x40),
	                             CALL(BPF_FUNC_trace_printk),
	                             EXIT()};
	uint64_t r0;
	CHECK_EQ(run_mode(p, NELEM(p), maps, 1, NULL, 0, BPF_MODE_CHECKED, &r0, NULL), 0);
	CHECK_STR(test_print_buf, "s=hello|(fault)");
}

TEST(HELPERS, register, "embedder helpers: id range, duplicates, prototype checks")
{
	static const struct bpf_helper dup = {
	        BPF_FUNC_map_lookup_elem, "dup", (bpf_helper_fn)1, {BPF_RET_INTEGER, {0}, 0, 0, 0}};
	CHECK_EQ(bpf_env_register_helper(&test_env, &dup), -BPF_EEXIST);
	static const struct bpf_helper big = {
	        BPF_MAX_HELPER_ID, "big", (bpf_helper_fn)1, {BPF_RET_INTEGER, {0}, 0, 0, 0}};
	CHECK_EQ(bpf_env_register_helper(&test_env, &big), -BPF_EINVAL);
	static const struct bpf_helper nofn = {400, "nofn", NULL, {BPF_RET_INTEGER, {0}, 0, 0, 0}};
	CHECK_EQ(bpf_env_register_helper(&test_env, &nofn), -BPF_EINVAL);
	static const struct bpf_helper badp = {
	        400,
	        "badp",
	        (bpf_helper_fn)1,
	        {BPF_RET_INTEGER, {BPF_ARG_PTR_TO_MEM, BPF_ARG_ANYTHING}, 0, 0, 0}};
	CHECK_EQ(bpf_env_register_helper(&test_env, &badp), -BPF_EINVAL);
	CHECK(bpf_env_helper(&test_env, BPF_FUNC_ringbuf_reserve) != NULL);
	CHECK_STR(bpf_env_helper(&test_env, BPF_FUNC_tail_call)->name, "tail_call");
	CHECK(bpf_env_helper(&test_env, 4) == NULL);
	CHECK_EQ(bpf_env_unregister_helper(&test_env, 4), -BPF_ENOENT);
}

TEST(HELPERS, proto_rules, "prototype validity rules used by the verifier")
{
	struct bpf_func_proto ok1 = {BPF_RET_PTR_TO_MAP_VALUE_OR_NULL,
	                             {BPF_ARG_CONST_MAP_PTR, BPF_ARG_PTR_TO_MAP_KEY},
	                             0,
	                             0,
	                             0};
	struct bpf_func_proto ok2 = {
	        BPF_RET_INTEGER,
	        {BPF_ARG_PTR_TO_UNINIT_MEM, BPF_ARG_CONST_SIZE_OR_ZERO, BPF_ARG_ANYTHING},
	        0,
	        0,
	        0};
	struct bpf_func_proto bad1 = {
	        BPF_RET_PTR_TO_MAP_VALUE_OR_NULL, {BPF_ARG_ANYTHING}, 0, 0, 0};
	struct bpf_func_proto bad2 = {BPF_RET_INTEGER, {BPF_ARG_PTR_TO_MAP_KEY}, 0, 0, 0};
	struct bpf_func_proto bad3 = {BPF_RET_INTEGER, {BPF_ARG_CONST_SIZE}, 0, 0, 0};
	struct bpf_func_proto bad4 = {BPF_RET_INTEGER, {BPF_ARG_NONE, BPF_ARG_ANYTHING}, 0, 0, 0};
	struct bpf_func_proto bad5 = {BPF_RET_INTEGER, {BPF_ARG_TYPE_MAX}, 0, 0, 0};
	struct bpf_func_proto bad6 = {
	        BPF_RET_PTR_TO_ALLOC_MEM_OR_NULL, {BPF_ARG_CONST_MAP_PTR}, 0, 0, 0};
	struct bpf_func_proto bad7 = {
	        BPF_RET_INTEGER, {BPF_ARG_ANYTHING}, 0, 0, BPF_MAP_TYPE_BIT(2)};
	CHECK(!bpf_proto_valid(&bad7));
	CHECK(bpf_proto_valid(&ok1));
	CHECK(bpf_proto_valid(&ok2));
	CHECK(!bpf_proto_valid(&bad1));
	CHECK(!bpf_proto_valid(&bad2));
	CHECK(!bpf_proto_valid(&bad3));
	CHECK(!bpf_proto_valid(&bad4));
	CHECK(!bpf_proto_valid(&bad5));
	CHECK(!bpf_proto_valid(&bad6));
	/* every standard helper has a valid prototype */
	for (uint32_t id = 0; id < BPF_MAX_HELPER_ID; id++) {
		const struct bpf_helper *h = bpf_env_helper(&test_env, id);
		if (h && !bpf_proto_valid(&h->proto)) {
			printf("# helper %u has an invalid prototype\n", id);
			test_failed = 1;
		}
	}
}

static uint64_t h_fill(struct bpf_vm *vm, uint64_t p, uint64_t n, uint64_t c, uint64_t d,
                       uint64_t e)
{
	(void)vm;
	(void)c;
	(void)d;
	(void)e;
	memset((void *)(uintptr_t)p, 0x5a, n);
	return n;
}

TEST(HELPERS, typed_embedder, "checked mode enforces an embedder helper's typed prototype")
{
	static const struct bpf_helper fill = {
	        310,
	        "fill",
	        h_fill,
	        {BPF_RET_INTEGER, {BPF_ARG_PTR_TO_UNINIT_MEM, BPF_ARG_CONST_SIZE}, 0, 0, 0}};
	CHECK_EQ(bpf_env_register_helper(&test_env, &fill), 0);
	const struct bpf_insn ok[] = {MOV64_X(1, 10), ALU64_K(BPF_ADD, 1, -16), MOV64_K(2, 16),
	                              CALL(310),      LDX(BPF_B, 0, 10, -1),    EXIT()};
	CHECK_EQ(run_both(ok, NELEM(ok), NULL, 0, NULL, 0), 0x5a);
	const struct bpf_insn over[] = {MOV64_X(1, 10), ALU64_K(BPF_ADD, 1, -16), MOV64_K(2, 17),
	                                CALL(310), EXIT()};
	uint64_t r0;
	CHECK_EQ(run_mode(over, NELEM(over), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &r0, NULL),
	         BPF_ERR_HELPER_ARG);
	const struct bpf_insn zero[] = {MOV64_X(1, 10), ALU64_K(BPF_ADD, 1, -16), MOV64_K(2, 0),
	                                CALL(310), EXIT()};
	CHECK_EQ(run_mode(zero, NELEM(zero), NULL, 0, NULL, 0, BPF_MODE_CHECKED, &r0, NULL),
	         BPF_ERR_HELPER_ARG);
	/* a read-only context is not writable memory for the helper */
	uint8_t ctx[16];
	struct bpf_prog prog;
	const struct bpf_insn c[] = {MOV64_K(2, 16), CALL(310), EXIT()};
	CHECK_EQ(bpf_prog_init(&prog, c, NELEM(c), NULL, 0, &test_env, NULL), 0);
	static uint64_t stack[BPF_STACK_SIZE / 8];
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, stack, sizeof(stack));
	vm.ctx_readonly = 1;
	CHECK_EQ(bpf_vm_run(&vm, &prog, ctx, sizeof(ctx), &r0), BPF_ERR_HELPER_ARG);
	vm.ctx_readonly = 0;
	CHECK_EQ(bpf_vm_run(&vm, &prog, ctx, sizeof(ctx), &r0), BPF_OK);
	CHECK_EQ(ctx[15], 0x5a);
}

static int collect_u64(void *c, const void *d, uint32_t len)
{
	uint64_t *acc = c, v;
	memcpy(&v, d, 8);
	if (acc[0] < 2)
		acc[acc[0] + 1] = v;
	acc[0]++;
	return len != 8;
}

static int notified;
static void on_notify(void *c, struct bpf_map *rb)
{
	(void)c;
	(void)rb;
	notified++;
}

TEST(HELPERS, map_type_mask,
     "checked mode enforces the prototype's map types (ringbuf helper on an array)")
{
	struct bpf_map *a = make_map(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0, "a");
	struct bpf_map *maps[] = {a};
	const struct bpf_insn p[] = {LD_MAP(1, 0), MOV64_K(2, 8), MOV64_K(3, 0),
	                             CALL(BPF_FUNC_ringbuf_reserve), EXIT()};
	uint64_t r0 = 1;
	CHECK_EQ(run_mode(p, NELEM(p), maps, 1, NULL, 0, BPF_MODE_CHECKED, &r0, NULL),
	         BPF_ERR_HELPER_ARG);
	/* verified mode: the helper itself refuses */
	CHECK_EQ(run_mode(p, NELEM(p), maps, 1, NULL, 0, BPF_MODE_VERIFIED, &r0, NULL), BPF_OK);
	CHECK_EQ(r0, 0);
}

TEST(HELPERS, ringbuf_helpers,
     "ringbuf reserve/submit/discard/output/query from a program, wake-up hook")
{
	struct bpf_hooks h = {.ringbuf_notify = on_notify};
	bpf_env_init(&test_env, &h, NULL);
	notified = 0;
	struct bpf_map *rb = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 1024, 0, "rb");
	struct bpf_map *maps[] = {rb};
	const struct bpf_insn p[] = {
	        LD_MAP(1, 0),
	        MOV64_K(2, 8),
	        MOV64_K(3, 0),
	        CALL(BPF_FUNC_ringbuf_reserve),
	        JMP_K(BPF_JEQ, 0, 0, 21),
	        ST(BPF_DW, 0, 0, 111),
	        MOV64_X(1, 0),
	        MOV64_K(2, 0),
	        CALL(BPF_FUNC_ringbuf_submit),
	        LD_MAP(1, 0),
	        MOV64_K(2, 8),
	        MOV64_K(3, 0),
	        CALL(BPF_FUNC_ringbuf_reserve),
	        JMP_K(BPF_JEQ, 0, 0, 11),
	        MOV64_X(1, 0),
	        MOV64_K(2, BPF_RB_NO_WAKEUP),
	        CALL(BPF_FUNC_ringbuf_discard),
	        ST(BPF_DW, 10, -8, 222),
	        LD_MAP(1, 0),
	        MOV64_X(2, 10),
	        ALU64_K(BPF_ADD, 2, -8),
	        MOV64_K(3, 8),
	        MOV64_K(4, 0),
	        CALL(BPF_FUNC_ringbuf_output),
	        LD_MAP(1, 0),
	        MOV64_K(2, BPF_RB_AVAIL_DATA),
	        CALL(BPF_FUNC_ringbuf_query),
	        EXIT(),
	};
	uint64_t r0;
	for (int mode = 0; mode < 2; mode++) {
		CHECK_EQ(run_mode(p, NELEM(p), maps, 1, NULL, 0, mode, &r0, NULL), BPF_OK);
		CHECK_EQ(r0, 48);
		uint64_t acc[3] = {0};
		CHECK_EQ(bpf_ringbuf_consume(rb, collect_u64, acc), 2);
		CHECK_EQ(acc[1], 111);
		CHECK_EQ(acc[2], 222);
	}
	CHECK_EQ(notified, 4);
}
