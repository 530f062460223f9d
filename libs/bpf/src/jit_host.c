/*
 * POSIX hosts: code memory for the JIT with W^X.  The code is written
 * into an anonymous read-write mapping, which is then made read+execute
 * (never writable and executable at once).  Not part of the freestanding
 * library (the hypOS bpf PD maps frames itself, see bpf/jit.h).
 */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jit_internal.h"

static int compile(struct bpf_prog *prog, const struct bpf_env *env,
                   const struct bpf_jit_opts *opts, struct bpf_verifier_result *res, bool verify)
{
	enum bpf_jit_arch arch = bpf_jit_native_arch();
	size_t len = 0;
	if (!prog || !opts || !opts->alloc || arch == BPF_JIT_ARCH_NONE)
		return -BPF_EINVAL;
	int rc = verify ? bpf_jit_emit(arch, prog, env, opts, NULL, 0, &len, res)
	                : bpf__jit_emit_verified(arch, prog, env, opts, NULL, 0, &len, res);
	if (rc)
		return rc;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t map_len = (len + page - 1) & ~(page - 1);
	/* The descriptor lives in a separate allocation: the code pages
	 * hold nothing but code. */
	struct bpf_jit_code *code = malloc(sizeof(*code));
	if (!code)
		return -BPF_ENOMEM;
	void *mem = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		free(code);
		return -BPF_ENOMEM;
	}
	size_t got = 0;
	rc = bpf__jit_emit_verified(arch, prog, env, opts, mem, map_len, &got, res);
	if (!rc && got != len)
		rc = -BPF_EINVAL;
	if (!rc && mprotect(mem, map_len, PROT_READ | PROT_EXEC))
		rc = -BPF_ENOMEM;
	if (rc) {
		munmap(mem, map_len);
		free(code);
		return rc;
	}
	__builtin___clear_cache((char *)mem, (char *)mem + len);
	bpf_jit_sync_icache(mem, len);
	bpf_jit_free(prog); /* code from an earlier compilation */
	bpf_jit_attach(prog, code, arch, mem, len, opts->flags);
	code->mapping = mem;
	code->mapping_size = map_len;
	return 0;
}

int bpf_jit_compile(struct bpf_prog *prog, const struct bpf_env *env,
                    const struct bpf_jit_opts *opts, struct bpf_verifier_result *res)
{
	return compile(prog, env, opts, res, true);
}

int bpf__jit_compile_unverified(struct bpf_prog *prog, const struct bpf_env *env,
                                const struct bpf_jit_opts *opts)
{
	return compile(prog, env, opts, NULL, false);
}

void bpf_jit_free(struct bpf_prog *prog)
{
	if (!prog || !prog->jit)
		return;
	struct bpf_jit_code *code = (struct bpf_jit_code *)prog->jit;
	prog->jit = NULL;
	/* Code attached with bpf_jit_attach belongs to the caller. */
	if (!code->mapping)
		return;
	munmap(code->mapping, code->mapping_size);
	free(code);
}
