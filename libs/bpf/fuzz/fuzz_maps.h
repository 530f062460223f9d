/* The maps every fuzz target hands to the programs it runs: one of each
 * type, small enough that random programs reach their edges. */
#pragma once
#include <stdlib.h>
#include "bpf/bpf.h"

#define NMAPS 5

/* Each map's storage, for targets that snapshot and restore map state. */
static void *fuzz_map_mem[NMAPS];
static size_t fuzz_map_len[NMAPS];

static inline void fuzz_maps_init(struct bpf_env *env, struct bpf_map *maps,
                                  struct bpf_map **map_tab)
{
	static const struct bpf_map_def defs[NMAPS] = {
	        {BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0},     {BPF_MAP_TYPE_HASH, 4, 8, 8, 0},
	        {BPF_MAP_TYPE_LRU_HASH, 8, 8, 4, 0},   {BPF_MAP_TYPE_RINGBUF, 0, 0, 256, 0},
	        {BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0},
	};
	bpf_env_init(env, NULL, NULL);
	for (int i = 0; i < NMAPS; i++) {
		size_t n = bpf_map_mem_size(&defs[i]);
		void *mem = aligned_alloc(8, (n + 7) & ~(size_t)7);
		if (!mem || bpf_map_init(&maps[i], &defs[i], mem, n, "m"))
			abort();
		fuzz_map_mem[i] = mem;
		fuzz_map_len[i] = n;
		map_tab[i] = &maps[i];
		fuzz_map_mem[i] = mem;
		fuzz_map_len[i] = n;
	}
}
