#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

/* Code areas (bpf_jit_area_*): the hypOS way of running native code, on
 * this machine with a memfd mapped twice, writable and executable, the
 * way a protection domain maps one memory region twice. */
#include <stdint.h>

#include "bpf/jit.h"
#include "test.h"

#define R0 0
#define R1 1
#define R2 2
#define R6 6
#define R10 10

static uint64_t astack[BPF_STACK_SIZE / 8];

struct views {
	uint8_t *rw;
	uint8_t *rx;
	size_t size;
};

/* size bytes of one memfd, mapped read+write and read+execute. */
static int views_map(struct views *v, size_t size)
{
	v->rw = v->rx = MAP_FAILED;
	v->size = size;
	int fd = memfd_create("bpf-jit-area", 0);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) == 0) {
		v->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		v->rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	}
	close(fd);
	return v->rw != MAP_FAILED && v->rx != MAP_FAILED ? 0 : -1;
}

static void views_unmap(struct views *v)
{
	if (v->rw != MAP_FAILED)
		munmap(v->rw, v->size);
	if (v->rx != MAP_FAILED)
		munmap(v->rx, v->size);
}

/* The permissions /proc/self/maps shows for addr ("rw-p", "r-xs", ...). */
static int perms_of(const void *addr, char out[8])
{
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	char line[512];
	int found = -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && (uintptr_t)addr >= lo &&
		    (uintptr_t)addr < hi) {
			memcpy(out, perms, 8);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static int run(const struct bpf_prog *p, int mode, uint64_t *r0)
{
	struct bpf_vm vm;
	bpf_vm_init(&vm, &test_env, astack, sizeof(astack));
	bpf_vm_set_mode(&vm, mode, 0);
	return bpf_vm_run(&vm, p, NULL, 0, r0);
}

static uintptr_t called_from;
static uint64_t h_from(struct bpf_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                       uint64_t e)
{
	(void)vm;
	(void)b;
	(void)c;
	(void)d;
	(void)e;
	called_from = (uintptr_t)__builtin_return_address(0);
	return a * 3;
}
static const struct bpf_helper from_helper = {
        311, "from", h_from, {BPF_RET_INTEGER, {BPF_ARG_ANYTHING}, 0, 0, 0}};

/* r0 = from(r1 = 14) + 1 = 43 */
static const struct bpf_insn prog_helper[] = {MOV64_K(R1, 14), CALL(311), ALU64_K(BPF_ADD, R0, 1),
                                              EXIT()};
/* value[1] of the array map += 5, r0 = the new value */
static const struct bpf_insn prog_map[] = {
        ST(BPF_W, R10, -4, 1),
        LD_MAP(R1, 0),
        MOV64_X(R2, R10),
        ALU64_K(BPF_ADD, R2, -4),
        CALL(BPF_FUNC_map_lookup_elem),
        JMP_K(BPF_JNE, R0, 0, 2),
        MOV64_K(R0, 0),
        EXIT(),
        LDX(BPF_DW, R1, R0, 0),
        ALU64_K(BPF_ADD, R1, 5),
        STX(BPF_DW, R0, R1, 0),
        MOV64_X(R0, R1),
        EXIT(),
};

static struct bpf_jit_opts area_opts(struct bpf_hook *h)
{
	*h = test_hook_all;
	h->ctx_size = 0;
	struct bpf_jit_opts o = {.hook = h, .alloc = &test_alloc, .blind_seed = 0xfeed};
	/* --jit zba,zbb selects the riscv64 extensions here too */
	o.flags = test_jit_flags & (BPF_JIT_F_RV_ZBA | BPF_JIT_F_RV_ZBB);
	return o;
}

TEST(JIT, area,
     "two programs compiled into one code area run from its executable view, which is r-x "
     "while the writable view is rw-")
{
	CHECK_EQ(bpf_env_register_helper(&test_env, &from_helper), 0);
	struct bpf_map *m = make_map(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0, "area");
	CHECK(m != NULL);
	struct views v;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (!m || views_map(&v, 4 * page)) {
		CHECK(0);
		views_unmap(&v);
		return;
	}
	char prw[8], prx[8];
	CHECK_EQ(perms_of(v.rw, prw), 0);
	CHECK_EQ(perms_of(v.rx, prx), 0);
	CHECK(prw[0] == 'r' && prw[1] == 'w' && prw[2] == '-');
	CHECK(prx[0] == 'r' && prx[1] == '-' && prx[2] == 'x');

	struct bpf_jit_area a;
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, v.rx, v.size, 0), 0);
	CHECK_EQ(a.used, 0);
	struct bpf_hook h;
	struct bpf_jit_opts o = area_opts(&h);
	struct bpf_prog p1, p2;
	struct bpf_jit_code c1, c2;
	struct bpf_map *maps[] = {m};
	CHECK_EQ(bpf_prog_init(&p1, prog_helper, NELEM(prog_helper), NULL, 0, &test_env, NULL), 0);
	CHECK_EQ(bpf_prog_init(&p2, prog_map, NELEM(prog_map), maps, 1, &test_env, NULL), 0);
	CHECK_EQ(bpf_jit_area_compile(&a, &p1, &test_env, &o, &c1, NULL), 0);
	CHECK_EQ(bpf_jit_area_compile(&a, &p2, &test_env, &o, &c2, NULL), 0);
	CHECK_EQ(a.nprogs, 2);
	CHECK(p1.jit == &c1 && p2.jit == &c2);
	if (p1.jit != &c1 || p2.jit != &c2) {
		views_unmap(&v);
		return;
	}
	/* laid out one after the other, on 64-byte boundaries, in rx */
	CHECK(c1.entry == v.rx);
	CHECK_EQ((uintptr_t)c2.entry % 64, 0);
	CHECK((const uint8_t *)c2.entry >= v.rx + c1.size);
	CHECK_EQ(a.used, (size_t)((const uint8_t *)c2.entry - v.rx) + c2.size);
	/* the code is what the writable view holds */
	CHECK(!memcmp(v.rw, c1.entry, c1.size));

	uint64_t r0 = 0, want = 0;
	called_from = 0;
	CHECK_EQ(run(&p1, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 43);
	CHECK(called_from >= (uintptr_t)v.rx && called_from < (uintptr_t)v.rx + c1.size);
	CHECK_EQ(run(&p2, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(run(&p2, BPF_MODE_VERIFIED, &want), BPF_OK);
	CHECK_EQ(r0, 5);
	CHECK_EQ(want, 10);
	CHECK_EQ(run(&p2, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 15);
	bpf_jit_detach(&p1);
	bpf_jit_detach(&p2);
	views_unmap(&v);
}

TEST(JIT, area_refusals,
     "code areas: bad views refused, a rejected program or a full area leaves the area and "
     "the program as they were (the program runs interpreted), reset reuses the memory")
{
	CHECK_EQ(bpf_env_register_helper(&test_env, &from_helper), 0);
	struct views v, other;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (views_map(&v, page) || views_map(&other, page)) {
		CHECK(0);
		views_unmap(&v);
		return;
	}
	struct bpf_jit_area a;
	CHECK_EQ(bpf_jit_area_init(NULL, v.rw, v.rx, page, 0), -BPF_EINVAL);
	CHECK_EQ(bpf_jit_area_init(&a, NULL, v.rx, page, 0), -BPF_EINVAL);
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, NULL, page, 0), -BPF_EINVAL);
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, v.rx, 32, 0), -BPF_EINVAL);
	CHECK_EQ(bpf_jit_area_init(&a, v.rw + 8, v.rx + 8, page - 8, 0), -BPF_EINVAL);
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, v.rw, page, 0), -BPF_EINVAL);
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, v.rx, page, 0x100), -BPF_EINVAL);
	/* two views of different memory: code written at rw would not run at rx */
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, other.rx, page, 0), -BPF_EINVAL);
	CHECK(a.rw == NULL);
	struct bpf_hook h;
	struct bpf_jit_opts o = area_opts(&h);
	struct bpf_prog p;
	struct bpf_jit_code c;
	CHECK_EQ(bpf_prog_init(&p, prog_helper, NELEM(prog_helper), NULL, 0, &test_env, NULL), 0);
	CHECK_EQ(bpf_jit_area_compile(&a, &p, &test_env, &o, &c, NULL), -BPF_EINVAL);

	/* 64 bytes hold no program: -BPF_ENOSPC, and the program still runs */
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, v.rx, 64, 0), 0);
	CHECK_EQ(bpf_jit_area_compile(&a, &p, &test_env, &o, &c, NULL), -BPF_ENOSPC);
	CHECK(p.jit == NULL);
	CHECK_EQ(a.used, 0);
	uint64_t r0 = 0;
	CHECK_EQ(run(&p, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 43);

	/* the verifier's refusal comes back with its rule */
	const struct bpf_insn bad[] = {LDX(BPF_DW, R0, R10, 8), EXIT()};
	struct bpf_prog pb;
	CHECK_EQ(bpf_prog_init(&pb, bad, NELEM(bad), NULL, 0, &test_env, NULL), 0);
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, v.rx, page, 0), 0);
	struct bpf_verifier_result res;
	CHECK_EQ(bpf_jit_area_compile(&a, &pb, &test_env, &o, &c, &res), -BPF_EINVAL);
	CHECK(res.rule != BPF_VR_OK);
	CHECK(pb.jit == NULL);
	CHECK_EQ(a.used, 0);
	CHECK_EQ(a.nprogs, 0);

	/* compile, reset, compile again: the second program starts at the
	 * area's start */
	CHECK_EQ(bpf_jit_area_compile(&a, &p, &test_env, &o, &c, NULL), 0);
	CHECK(a.used > 0 && c.entry == v.rx);
	bpf_jit_detach(&p);
	bpf_jit_area_reset(&a);
	CHECK_EQ(a.used, 0);
	const struct bpf_insn q[] = {MOV64_K(R0, 1234), EXIT()};
	struct bpf_prog pq;
	CHECK_EQ(bpf_prog_init(&pq, q, NELEM(q), NULL, 0, &test_env, NULL), 0);
	CHECK_EQ(bpf_jit_area_compile(&a, &pq, &test_env, &o, &c, NULL), 0);
	CHECK(c.entry == v.rx);
	/* QEMU user mode (the riscv64 run of these tests) keeps translations
	 * of code rewritten through another mapping; remapping the
	 * executable view drops them.  Hardware needs only the fence.i the
	 * area already issued. */
	int fd = memfd_create("bpf-jit-area-copy", 0);
	if (fd >= 0 && ftruncate(fd, (off_t)page) == 0) {
		void *w2 = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (w2 != MAP_FAILED) {
			memcpy(w2, v.rw, page);
			munmap(w2, page);
			munmap(v.rx, page);
			CHECK(mmap(v.rx, page, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd,
			           0) == v.rx);
		}
	}
	if (fd >= 0)
		close(fd);
	CHECK_EQ(run(&pq, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 1234);
	bpf_jit_detach(&pq);
	views_unmap(&v);
	views_unmap(&other);
}

TEST(JIT, area_blinding, "an area's flags apply to every program: blinded code holds no immediate")
{
	struct views v;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (views_map(&v, page)) {
		CHECK(0);
		views_unmap(&v);
		return;
	}
	const uint32_t imm = 0x3c5a7e19;
	const struct bpf_insn p[] = {MOV64_K(R0, (int32_t)imm), ALU64_K(BPF_XOR, R0, (int32_t)imm),
	                             ALU64_K(BPF_ADD, R0, 77), EXIT()};
	struct bpf_prog prog;
	CHECK_EQ(bpf_prog_init(&prog, p, NELEM(p), NULL, 0, &test_env, NULL), 0);
	struct bpf_hook h;
	struct bpf_jit_opts o = area_opts(&h);
	struct bpf_jit_area a;
	struct bpf_jit_code c;
	CHECK_EQ(bpf_jit_area_init(&a, v.rw, v.rx, page, BPF_JIT_F_BLIND), 0);
	CHECK_EQ(bpf_jit_area_compile(&a, &prog, &test_env, &o, &c, NULL), 0);
	CHECK(prog.jit == &c);
	if (prog.jit != &c) {
		views_unmap(&v);
		return;
	}
	CHECK(c.flags & BPF_JIT_F_BLIND);
	const uint8_t *code = c.entry;
	int found = 0;
	for (size_t i = 0; i + 4 <= c.size; i++)
		found |= !memcmp(code + i, &imm, 4);
	CHECK(!found);
	uint64_t r0 = 0;
	CHECK_EQ(run(&prog, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 77);
	bpf_jit_detach(&prog);
	views_unmap(&v);
}

/* A writer that makes the writable view exist only while code is written,
 * as a hypOS PD with hypos:jit_write does with seL4 calls: here mprotect
 * turns the pages covering [off, off + len) read-write and back to no
 * access at all.  It records what it was asked and can be told to fail. */
struct test_writer {
	struct views *v;
	size_t page;
	int open_calls, close_calls;
	size_t last_off, last_len;
	int fail_open, fail_close;
};

static int protect_range(struct test_writer *w, size_t off, size_t len, int prot)
{
	size_t lo = off & ~(w->page - 1), hi = (off + len + w->page - 1) & ~(w->page - 1);
	return mprotect(w->v->rw + lo, hi - lo, prot) ? -BPF_ENOMEM : 0;
}

static int writer_open(void *ctx, size_t off, size_t len)
{
	struct test_writer *w = ctx;
	w->open_calls++;
	w->last_off = off;
	w->last_len = len;
	if (w->fail_open)
		return -BPF_ENOMEM;
	return protect_range(w, off, len, PROT_READ | PROT_WRITE);
}

static int writer_close(void *ctx, size_t off, size_t len)
{
	struct test_writer *w = ctx;
	w->close_calls++;
	if (w->fail_close)
		return -BPF_ENOMEM;
	return protect_range(w, off, len, PROT_NONE);
}

TEST(JIT, area_writer,
     "a code area whose writable view exists only while code is written: the writer opens it "
     "around the alias check and every compilation (the free part only) and closes it before "
     "the code is attached; a failing open or close leaves the program interpreted")
{
	CHECK_EQ(bpf_env_register_helper(&test_env, &from_helper), 0);
	struct views v;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (views_map(&v, 4 * page)) {
		CHECK(0);
		views_unmap(&v);
		return;
	}
	CHECK_EQ(mprotect(v.rw, v.size, PROT_NONE), 0); /* not mapped at boot */
	struct test_writer w = {.v = &v, .page = page};
	struct bpf_jit_writer wr = {writer_open, writer_close, &w};
	struct bpf_jit_writer half = {writer_open, NULL, &w};
	struct bpf_jit_area a;
	CHECK_EQ(bpf_jit_area_init_writer(&a, v.rw, v.rx, v.size, 0, &half), -BPF_EINVAL);
	CHECK_EQ(w.open_calls, 0);
	CHECK_EQ(bpf_jit_area_init_writer(&a, v.rw, v.rx, v.size, 0, &wr), 0);
	CHECK_EQ(w.open_calls, 1);
	CHECK_EQ(w.close_calls, 1);
	CHECK_EQ(a.opens, 1);
	CHECK_EQ(a.closes, 1);
	char perms[8];
	CHECK_EQ(perms_of(v.rw, perms), 0);
	CHECK(perms[0] == '-' && perms[1] == '-' && perms[2] == '-');

	struct bpf_hook h;
	struct bpf_jit_opts o = area_opts(&h);
	struct bpf_prog p1, p2;
	struct bpf_jit_code c1, c2;
	CHECK_EQ(bpf_prog_init(&p1, prog_helper, NELEM(prog_helper), NULL, 0, &test_env, NULL), 0);
	CHECK_EQ(bpf_prog_init(&p2, prog_helper, NELEM(prog_helper), NULL, 0, &test_env, NULL), 0);
	CHECK_EQ(bpf_jit_area_compile(&a, &p1, &test_env, &o, &c1, NULL), 0);
	CHECK_EQ(w.open_calls, 2);
	CHECK_EQ(w.close_calls, 2);
	CHECK_EQ(w.last_off, 0);
	CHECK_EQ(w.last_len, v.size);
	CHECK(p1.jit == &c1);
	/* the whole writable view is gone again while the code runs */
	for (size_t off = 0; off < v.size; off += page) {
		CHECK_EQ(perms_of(v.rw + off, perms), 0);
		CHECK(perms[1] == '-');
	}
	uint64_t r0 = 0;
	CHECK_EQ(run(&p1, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 43);

	/* the next program: only the free part is opened */
	CHECK_EQ(bpf_jit_area_compile(&a, &p2, &test_env, &o, &c2, NULL), 0);
	CHECK_EQ(w.open_calls, 3);
	CHECK_EQ(w.close_calls, 3);
	CHECK_EQ(w.last_off, (c1.size + 63) & ~(size_t)63);
	CHECK_EQ(w.last_len, v.size - w.last_off);
	CHECK_EQ(run(&p2, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 43);
	size_t used = a.used;

	/* open fails: nothing written, nothing attached, runs interpreted */
	struct bpf_prog p3;
	struct bpf_jit_code c3;
	CHECK_EQ(bpf_prog_init(&p3, prog_helper, NELEM(prog_helper), NULL, 0, &test_env, NULL), 0);
	w.fail_open = 1;
	CHECK_EQ(bpf_jit_area_compile(&a, &p3, &test_env, &o, &c3, NULL), -BPF_ENOMEM);
	CHECK(p3.jit == NULL);
	CHECK_EQ(a.used, used);
	CHECK_EQ(a.opens, 3);
	w.fail_open = 0;
	/* close fails: the code stays writable, so it is never attached */
	w.fail_close = 1;
	CHECK_EQ(bpf_jit_area_compile(&a, &p3, &test_env, &o, &c3, NULL), -BPF_EFAULT);
	CHECK(p3.jit == NULL);
	CHECK_EQ(a.used, used);
	CHECK_EQ(a.opens, 4);
	CHECK_EQ(a.closes, 3);
	CHECK_EQ(run(&p3, BPF_MODE_JIT, &r0), BPF_OK);
	CHECK_EQ(r0, 43);
	w.fail_close = 0;
	/* an init whose open fails leaves no area */
	w.fail_open = 1;
	CHECK_EQ(bpf_jit_area_init_writer(&a, v.rw, v.rx, v.size, 0, &wr), -BPF_ENOMEM);
	CHECK(a.rw == NULL);
	bpf_jit_detach(&p1);
	bpf_jit_detach(&p2);
	views_unmap(&v);
}
