/* Test runner main and shared fixtures. */
#include "test.h"
#include "bpf/jit.h"

static struct test *head, **tail = &head;
int test_failed;

void test_register(struct test *t)
{
	*tail = t;
	tail = &t->next;
}

struct bpf_env test_env;
char test_print_buf[4096];
size_t test_print_len;
uint64_t test_ktime;

static uint64_t hook_ktime(void *c)
{
	(void)c;
	return test_ktime += 1000;
}
static void hook_print(void *c, const char *buf, size_t len)
{
	(void)c;
	if (test_print_len + len < sizeof(test_print_buf)) {
		memcpy(test_print_buf + test_print_len, buf, len);
		test_print_len += len;
		test_print_buf[test_print_len] = 0;
	}
}
static uint32_t hook_cpu(void *c)
{
	(void)c;
	return 3;
}

static const struct bpf_hooks test_hooks = {
        .ktime_ns = hook_ktime,
        .print = hook_print,
        .cpu_id = hook_cpu,
};

static uint64_t stack_mem[BPF_STACK_SIZE / 8];

int run_mode(const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps, uint32_t nmaps,
             void *ctx, size_t ctx_len, int mode, uint64_t *r0, struct bpf_vm *vm_out)
{
	struct bpf_prog prog;
	struct bpf_prog_error err = {0, NULL};
	if (bpf_prog_init(&prog, insns, n, maps, nmaps, &test_env, &err)) {
		printf("# prog_init failed at %u: %s\n", err.insn, err.reason);
		test_failed = 1;
		return -1;
	}
	/* With --jit, verified-mode runs use the JIT (the verifier decides:
	 * a program it rejects falls back to the interpreter). */
	if (mode == BPF_MODE_VERIFIED && test_jit) {
		test_jit_prepare(&prog, ctx ? ctx_len : 0);
		mode = BPF_MODE_JIT;
	}
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, stack_mem, sizeof(stack_mem));
	bpf_vm_set_mode(&vm, mode, 1000000);
	int st = bpf_vm_run(&vm, &prog, ctx, ctx_len, r0);
	if (vm_out)
		*vm_out = vm;
	bpf_jit_free(&prog);
	return st;
}

int test_jit;
long test_jit_compiled, test_jit_fallback;
#define MAX_JIT_CODES 256
static struct bpf_jit_code *jit_codes[MAX_JIT_CODES];
static int njit_codes;

int test_jit_prepare(struct bpf_prog *prog, size_t ctx_len)
{
	struct bpf_hook h = test_hook_all;
	h.ctx_size = (uint32_t)ctx_len;
	h.flags |= BPF_HOOK_PTR_LEAK;
	struct bpf_jit_opts o = {
	        .hook = &h, .alloc = &test_alloc, .flags = test_jit_flags, .blind_seed = 0x1234567};
	int rc = bpf_jit_compile(prog, &test_env, &o, NULL);
	if (rc) {
		test_jit_fallback++;
		return rc;
	}
	test_jit_compiled++;
	return 0;
}
uint32_t test_jit_flags;

int test_mode(int mode)
{
	return mode == BPF_MODE_VERIFIED && test_jit ? BPF_MODE_JIT : mode;
}

void test_jit_keep(struct bpf_prog *prog)
{
	/* code that outlives the prog struct (loader objects): released
	 * after the test */
	if (prog->jit && njit_codes < MAX_JIT_CODES)
		jit_codes[njit_codes++] = (struct bpf_jit_code *)prog->jit;
}

static void free_jit_codes(void)
{
	for (int i = 0; i < njit_codes; i++) {
		struct bpf_prog tmp = {.jit = jit_codes[i]};
		bpf_jit_free(&tmp);
	}
	njit_codes = 0;
}

const struct bpf_hook test_hook_all = {
        .name = "test",
        .ctx_size = 64,
        .flags = BPF_HOOK_TAIL_CALLS | BPF_HOOK_PACKET | BPF_HOOK_CTX_WRITABLE,
};

int verify_all_runs;

int verify_insns(const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps,
                 uint32_t nmaps, const struct bpf_hook *hook, struct bpf_verifier_result *res,
                 char *log, size_t log_size)
{
	struct bpf_prog prog;
	struct bpf_prog_error err = {0, NULL};
	struct bpf_verifier_result r;
	if (!res)
		res = &r;
	if (bpf_prog_init(&prog, insns, n, maps, nmaps, &test_env, &err)) {
		memset(res, 0, sizeof(*res));
		res->rule = BPF_VR_STRUCT;
		res->insn = err.insn;
		res->msg = err.reason;
		return -BPF_EINVAL;
	}
	struct bpf_verifier_opts o = {.alloc = &test_alloc, .log = log, .log_size = log_size};
	long before = test_alloc_live;
	int rc = bpf_verify(&prog, &test_env, hook ? hook : &test_hook_all, &o, res);
	if (test_alloc_live != before) {
		printf("# verifier leaked %ld allocations\n", test_alloc_live - before);
		test_failed = 1;
	}
	return rc;
}

/* Every program the runtime tests run successfully in both modes must
 * also pass the verifier: checked here for all of them. */
static void verify_for_run(const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps,
                           uint32_t nmaps, size_t ctx_len)
{
	struct bpf_hook h = test_hook_all;
	h.ctx_size = (uint32_t)ctx_len;
	h.flags |= BPF_HOOK_PTR_LEAK; /* some ISA tests compute with addresses */
	struct bpf_verifier_result res;
	char log[4096];
	int rc = verify_insns(insns, n, maps, nmaps, &h, &res, log, sizeof(log));
	verify_all_runs++;
	if (rc) {
		printf("# verifier rejected a runtime test program: insn %u rule %s: %s\n",
		       res.insn, bpf_vrule_name(res.rule), res.msg ? res.msg : "");
		for (char *l = strtok(log, "\n"); l; l = strtok(NULL, "\n"))
			printf("#   %s\n", l);
		test_failed = 1;
	}
}

uint64_t run_both(const struct bpf_insn *insns, uint32_t n, struct bpf_map *const *maps,
                  uint32_t nmaps, void *ctx, size_t ctx_len)
{
	uint64_t a = 0, b = 0;
	verify_for_run(insns, n, maps, nmaps, ctx ? ctx_len : 0);
	long compiled = test_jit_compiled;
	int s1 = run_mode(insns, n, maps, nmaps, ctx, ctx_len, BPF_MODE_VERIFIED, &a, NULL);
	if (test_jit && test_jit_compiled == compiled) {
		printf("# run_both: the JIT did not compile a verified program\n");
		test_failed = 1;
	}
	int s2 = run_mode(insns, n, maps, nmaps, ctx, ctx_len, BPF_MODE_CHECKED, &b, NULL);
	if (s1 != BPF_OK || s2 != BPF_OK || a != b) {
		printf("# run_both: verified st=%d r0=0x%" PRIx64 ", checked st=%d r0=0x%" PRIx64
		       "\n",
		       s1, a, s2, b);
		test_failed = 1;
	}
	return a;
}

int validate_at(const struct bpf_insn *insns, uint32_t n, const char **reason)
{
	struct bpf_prog prog;
	struct bpf_prog_error err = {0, NULL};
	if (bpf_prog_init(&prog, insns, n, NULL, 0, &test_env, &err) == 0)
		return 0;
	if (reason)
		*reason = err.reason;
	return (int)err.insn + 1;
}

#define MAX_TEST_MAPS 64
static struct {
	struct bpf_map map;
	void *mem;
} maps_pool[MAX_TEST_MAPS];
static int nmaps_pool;

struct bpf_map *make_map(uint32_t type, uint32_t key, uint32_t value, uint32_t max, uint32_t flags,
                         const char *name)
{
	struct bpf_map_def def = {type, key, value, max, flags};
	size_t sz = bpf_map_mem_size(&def);
	if (!sz || nmaps_pool >= MAX_TEST_MAPS)
		return NULL;
	void *mem = aligned_alloc(8, (sz + 7) & ~(size_t)7);
	if (!mem)
		return NULL;
	struct bpf_map *m = &maps_pool[nmaps_pool].map;
	if (bpf_map_init(m, &def, mem, sz, name)) {
		free(mem);
		return NULL;
	}
	maps_pool[nmaps_pool++].mem = mem;
	return m;
}

void free_maps(void)
{
	for (int i = 0; i < nmaps_pool; i++)
		free(maps_pool[i].mem);
	nmaps_pool = 0;
}

long test_alloc_live;
long test_alloc_fail_after = -1;
static void *t_alloc(void *c, size_t size)
{
	(void)c;
	if (test_alloc_fail_after == 0)
		return NULL;
	if (test_alloc_fail_after > 0)
		test_alloc_fail_after--;
	void *p = malloc(size);
	if (p)
		test_alloc_live++;
	return p;
}
static void t_free(void *c, void *p, size_t size)
{
	(void)c;
	(void)size;
	if (p) {
		test_alloc_live--;
		free(p);
	}
}
struct bpf_allocator test_alloc = {t_alloc, t_free, NULL};

void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int group_selected(const char *groups, const char *g)
{
	if (!groups)
		return 1;
	size_t n = strlen(g);
	for (const char *p = groups; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, g, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* --jit on | off | a comma list of on, blind, zba, zbb */
static void parse_jit(const char *arg)
{
	test_jit = strcmp(arg, "off") != 0;
	test_jit_flags = 0;
	if (strstr(arg, "blind"))
		test_jit_flags |= BPF_JIT_F_BLIND;
	if (strstr(arg, "zba"))
		test_jit_flags |= BPF_JIT_F_RV_ZBA;
	if (strstr(arg, "zbb"))
		test_jit_flags |= BPF_JIT_F_RV_ZBB;
}

/* --skip: comma-separated GROUP_name entries */
static int skip_matches(const char *list, const char *group, const char *name)
{
	char full[128];
	snprintf(full, sizeof(full), "%s_%s", group, name);
	size_t n = strlen(full);
	for (const char *p = list; (p = strstr(p, full)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *suffix = "", *groups = NULL, *skip = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--suffix"))
			suffix = argv[i + 1];
		else if (!strcmp(argv[i], "--groups"))
			groups = argv[i + 1];
		else if (!strcmp(argv[i], "--jit"))
			parse_jit(argv[i + 1]);
		else if (!strcmp(argv[i], "--skip"))
			skip = argv[i + 1];
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	int n = 0, failed = 0;
	for (struct test *t = head; t; t = t->next) {
		if (!group_selected(groups, t->group))
			continue;
		n++;
		if (skip && strstr(skip, t->name) && skip_matches(skip, t->group, t->name)) {
			printf("ok %d BPF_%s_%s%s %s # SKIP known failure of this build, see "
			       "run.sh\n",
			       n, t->group, t->name, suffix, t->desc);
			continue;
		}
		bpf_env_init(&test_env, &test_hooks, NULL);
		test_print_len = 0;
		test_print_buf[0] = 0;
		test_failed = 0;
		t->fn();
		free_jit_codes();
		free_maps();
		if (test_failed)
			failed++;
		printf("%s %d BPF_%s_%s%s %s\n", test_failed ? "not ok" : "ok", n, t->group,
		       t->name, suffix, t->desc);
	}
	if (test_jit)
		printf("# jit: %ld programs compiled, %ld left to the interpreter (verifier "
		       "rejected)\n",
		       test_jit_compiled, test_jit_fallback);
	return failed ? 1 : 0;
}
