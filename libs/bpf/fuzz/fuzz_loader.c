/*
 * libFuzzer target: the ELF loader.  Any input must be either loaded or
 * rejected with an error, without memory errors or leaks (ASan/LSan);
 * whatever loads is then run in checked mode, which must stay inside its
 * memory whatever the code does.
 */
#include <stdlib.h>
#include <string.h>

#include "bpf/bpf.h"

static void *f_alloc(void *c, size_t n)
{
	(void)c;
	return malloc(n);
}
static void f_free(void *c, void *p, size_t n)
{
	(void)c;
	(void)n;
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bpf_env env;
	static int init;
	static uint64_t stack[BPF_STACK_SIZE / 8];
	if (!init) {
		bpf_env_init(&env, NULL, NULL);
		init = 1;
	}
	struct bpf_allocator a = {f_alloc, f_free, NULL};
	struct bpf_object *obj = NULL;
	struct bpf_load_error err;
	if (bpf_object_load(&obj, data, size, &env, &a, &err) != 0) {
		if (obj || err.code >= 0 || !err.reason[0])
			abort(); /* a failure must say why and return nothing */
		return 0;
	}
	for (uint32_t i = 0; i < bpf_object_prog_count(obj); i++) {
		uint8_t ctx[128];
		memset(ctx, 0x11, sizeof(ctx));
		struct bpf_vm vm;
		bpf_vm_init(&vm, &env, stack, sizeof(stack));
		bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, 20000);
		uint64_t r0;
		bpf_vm_run(&vm, bpf_object_prog_at(obj, i), ctx, sizeof(ctx), &r0);
	}
	bpf_object_free(obj);
	return 0;
}
