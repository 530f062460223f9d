/*
 * libFuzzer target: checked-mode execution of arbitrary instruction
 * streams.  Programs that pass the structural validator run in checked
 * mode against a context, the stack and a set of maps of every type; no
 * program may touch memory outside those (ASan would report it), hang
 * (the budget stops it) or crash the host.
 *
 * Input layout: byte 0 selects a read-only context and the budget; the
 * rest is the program (multiple of 8 bytes, truncated).
 */
#include <stdlib.h>
#include <string.h>

#include "bpf/bpf.h"

#include "fuzz_maps.h"
static struct bpf_map maps[NMAPS];
static struct bpf_map *map_tab[NMAPS];
static struct bpf_env env;
static uint64_t stack[BPF_STACK_SIZE / 8];

static void setup(void)
{
	fuzz_maps_init(&env, maps, map_tab);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		setup();
		init = 1;
	}
	if (size < 9)
		return 0;
	uint8_t cfg = data[0];
	size_t n = (size - 1) / 8;
	/* Copy: instructions must be aligned, and the input is const. */
	struct bpf_insn *insns = malloc(n * sizeof(*insns));
	memcpy(insns, data + 1, n * sizeof(*insns));
	struct bpf_prog prog;
	if (bpf_prog_init(&prog, insns, (uint32_t)n, map_tab, NMAPS, &env, NULL) == 0) {
		/* The program array holds the program itself: tail calls loop
		 * until the chain limit. */
		bpf_prog_array_set(&maps[4], 0, &prog);
		uint8_t *ctx = malloc(64);
		memset(ctx, 0x5a, 64);
		struct bpf_vm vm;
		bpf_vm_init(&vm, &env, stack, sizeof(stack));
		bpf_vm_set_mode(&vm, BPF_MODE_CHECKED, (cfg & 0x80) ? 100000 : 5000);
		vm.ctx_readonly = cfg & 1;
		uint64_t r0;
		bpf_vm_run(&vm, &prog, ctx, 64, &r0);
		bpf_ringbuf_consume(&maps[3], NULL, NULL);
		bpf_prog_array_set(&maps[4], 0, NULL);
		free(ctx);
	}
	free(insns);
	return 0;
}
