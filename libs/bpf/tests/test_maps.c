/* Map semantics (Linux behaviour) from C and from programs. */
#include "test.h"

TEST(MAPS, array_basic, "array: zero-initialised, update/lookup, bounds, flags, no delete")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_ARRAY, 4, 12, 3, 0, "a");
	CHECK(m != NULL);
	uint32_t k = 2;
	uint8_t *v = bpf_map_lookup(m, &k);
	CHECK(v != NULL);
	for (int i = 0; i < 12; i++)
		CHECK_EQ(v[i], 0);
	uint8_t val[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
	CHECK_EQ(bpf_map_update(m, &k, val, BPF_ANY), 0);
	CHECK(memcmp(bpf_map_lookup(m, &k), val, 12) == 0);
	CHECK_EQ(bpf_map_update(m, &k, val, BPF_EXIST), 0);
	CHECK_EQ(bpf_map_update(m, &k, val, BPF_NOEXIST), -BPF_EEXIST);
	CHECK_EQ(bpf_map_update(m, &k, val, 7), -BPF_EINVAL);
	k = 3;
	CHECK(bpf_map_lookup(m, &k) == NULL);
	CHECK_EQ(bpf_map_update(m, &k, val, BPF_ANY), -BPF_E2BIG);
	k = 0;
	CHECK_EQ(bpf_map_delete(m, &k), -BPF_EINVAL);
	/* values are 8-byte aligned */
	uint32_t k0 = 0, k1 = 1;
	CHECK_EQ((uint8_t *)bpf_map_lookup(m, &k1) - (uint8_t *)bpf_map_lookup(m, &k0), 16);
}

TEST(MAPS, array_next_key, "array: get_next_key walks 0..max-1 and restarts on a bad key")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_ARRAY, 4, 4, 3, 0, "a");
	uint32_t k, n;
	CHECK_EQ(bpf_map_get_next_key(m, NULL, &n), 0);
	CHECK_EQ(n, 0);
	k = 1;
	CHECK_EQ(bpf_map_get_next_key(m, &k, &n), 0);
	CHECK_EQ(n, 2);
	k = 2;
	CHECK_EQ(bpf_map_get_next_key(m, &k, &n), -BPF_ENOENT);
	k = 99;
	CHECK_EQ(bpf_map_get_next_key(m, &k, &n), 0);
	CHECK_EQ(n, 0);
}

TEST(MAPS, hash_basic, "hash: insert, lookup, flags, delete")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_HASH, 8, 8, 4, 0, "h");
	uint64_t k = 42, v = 7, w = 9;
	CHECK(bpf_map_lookup(m, &k) == NULL);
	CHECK_EQ(bpf_map_update(m, &k, &v, BPF_EXIST), -BPF_ENOENT);
	CHECK_EQ(bpf_map_update(m, &k, &v, BPF_NOEXIST), 0);
	CHECK_EQ(*(uint64_t *)bpf_map_lookup(m, &k), 7);
	CHECK_EQ(bpf_map_update(m, &k, &w, BPF_NOEXIST), -BPF_EEXIST);
	CHECK_EQ(bpf_map_update(m, &k, &w, BPF_EXIST), 0);
	CHECK_EQ(*(uint64_t *)bpf_map_lookup(m, &k), 9);
	CHECK_EQ(bpf_map_count(m), 1);
	CHECK_EQ(bpf_map_delete(m, &k), 0);
	CHECK_EQ(bpf_map_delete(m, &k), -BPF_ENOENT);
	CHECK(bpf_map_lookup(m, &k) == NULL);
	CHECK_EQ(bpf_map_count(m), 0);
}

TEST(MAPS, hash_full, "hash: fixed capacity, E2BIG when full, space reused after delete")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_HASH, 4, 4, 3, 0, "h");
	for (uint32_t k = 0; k < 3; k++)
		CHECK_EQ(bpf_map_update(m, &k, &k, BPF_ANY), 0);
	uint32_t k = 3;
	CHECK_EQ(bpf_map_update(m, &k, &k, BPF_ANY), -BPF_E2BIG);
	/* updating an existing key still works when full */
	uint32_t k1 = 1, v = 100;
	CHECK_EQ(bpf_map_update(m, &k1, &v, BPF_ANY), 0);
	CHECK_EQ(bpf_map_delete(m, &k1), 0);
	CHECK_EQ(bpf_map_update(m, &k, &k, BPF_ANY), 0);
	CHECK_EQ(*(uint32_t *)bpf_map_lookup(m, &k), 3);
}

TEST(MAPS, hash_many, "hash: 1000 keys with odd sizes survive insert/delete churn")
{
	struct key {
		uint8_t b[13];
	};
	struct bpf_map *m = make_map(BPF_MAP_TYPE_HASH, sizeof(struct key), 20, 1000, 0, "h");
	struct key key;
	uint8_t val[20];
	for (int i = 0; i < 1000; i++) {
		memset(&key, 0, sizeof(key));
		memcpy(key.b, &i, sizeof(i));
		key.b[12] = (uint8_t)(i * 7);
		memset(val, i & 0xff, sizeof(val));
		CHECK_EQ(bpf_map_update(m, &key, val, BPF_NOEXIST), 0);
	}
	for (int i = 0; i < 1000; i += 2) {
		memset(&key, 0, sizeof(key));
		memcpy(key.b, &i, sizeof(i));
		key.b[12] = (uint8_t)(i * 7);
		CHECK_EQ(bpf_map_delete(m, &key), 0);
	}
	CHECK_EQ(bpf_map_count(m), 500);
	int found = 0;
	for (int i = 0; i < 1000; i++) {
		memset(&key, 0, sizeof(key));
		memcpy(key.b, &i, sizeof(i));
		key.b[12] = (uint8_t)(i * 7);
		uint8_t *v = bpf_map_lookup(m, &key);
		if (i & 1) {
			CHECK(v && v[19] == (i & 0xff));
			found += v != NULL;
		} else {
			CHECK(v == NULL);
		}
	}
	CHECK_EQ(found, 500);
	/* iteration visits every key once */
	int seen = 0;
	struct key cur, next;
	const void *prev = NULL;
	while (bpf_map_get_next_key(m, prev, &next) == 0) {
		seen++;
		cur = next;
		prev = &cur;
		if (seen > 2000)
			break;
	}
	CHECK_EQ(seen, 500);
}

TEST(MAPS, hash_key_sizes,
     "hash: every key size from 1 to 16 bytes (word-sized ones take the fast path) finds, "
     "misses and deletes exactly; sequential keys spread over the buckets")
{
	for (uint32_t ks = 1; ks <= 16 && !test_failed; ks++) {
		enum { N = 256 };
		struct bpf_map *m = make_map(BPF_MAP_TYPE_HASH, ks, 8, N, 0, "k");
		CHECK(m != NULL);
		if (!m)
			return;
		uint8_t key[24]; /* room past the key: bytes there must not matter */
		for (uint32_t i = 0; i < N; i++) {
			/* keys differ in their first bytes only for small sizes,
			 * and in the last byte for the others */
			memset(key, 0xab, sizeof(key));
			memcpy(key, &i, ks < 4 ? ks : 4);
			if (ks > 4)
				key[ks - 1] = (uint8_t)(i * 13);
			uint64_t v = i * 1000003ULL + ks;
			CHECK_EQ(bpf_map_update(m, key, &v, BPF_NOEXIST), 0);
		}
		uint32_t n = N;
		for (uint32_t i = 0; i < n; i++) {
			memset(key, 0xab, sizeof(key));
			memcpy(key, &i, ks < 4 ? ks : 4);
			if (ks > 4)
				key[ks - 1] = (uint8_t)(i * 13);
			uint64_t *v = bpf_map_lookup(m, key);
			CHECK(v != NULL && *v == i * 1000003ULL + ks);
			/* the same key with its last byte changed is absent
			 * (all 256 one-byte keys are present) */
			key[ks - 1] ^= 0x40;
			if (ks > 1)
				CHECK(bpf_map_lookup(m, key) == NULL);
			key[ks - 1] ^= 0x40;
			key[ks] ^= 0xff;
			CHECK(bpf_map_lookup(m, key) == v);
		}
		/* spread: a good hash leaves about 1/e of the buckets empty
		 * for as many keys as buckets; long chains would slow every
		 * lookup */
		uint32_t used = 0;
		for (uint32_t b = 0; b < m->u.hash.nbuckets; b++)
			used += m->u.hash.buckets[b] != 0;
		CHECK(used * 100 >= m->u.hash.nbuckets * 55);
		for (uint32_t i = 0; i < n; i += 2) {
			memset(key, 0xab, sizeof(key));
			memcpy(key, &i, ks < 4 ? ks : 4);
			if (ks > 4)
				key[ks - 1] = (uint8_t)(i * 13);
			CHECK_EQ(bpf_map_delete(m, key), 0);
			CHECK(bpf_map_lookup(m, key) == NULL);
		}
		CHECK_EQ(bpf_map_count(m), n / 2);
	}
}

TEST(MAPS, lru_evicts, "LRU hash: inserting into a full map evicts the least recently used")
{
	struct bpf_map *m = make_map(BPF_MAP_TYPE_LRU_HASH, 4, 4, 3, 0, "lru");
	for (uint32_t k = 1; k <= 3; k++)
		CHECK_EQ(bpf_map_update(m, &k, &k, BPF_ANY), 0);
	uint32_t k1 = 1;
	CHECK(bpf_map_lookup(m, &k1) != NULL); /* 1 is now most recent; 2 is LRU */
	uint32_t k4 = 4;
	CHECK_EQ(bpf_map_update(m, &k4, &k4, BPF_ANY), 0);
	uint32_t k2 = 2, k3 = 3;
	CHECK(bpf_map_lookup(m, &k2) == NULL);
	CHECK(bpf_map_lookup(m, &k1) != NULL);
	CHECK(bpf_map_lookup(m, &k3) != NULL);
	CHECK(bpf_map_lookup(m, &k4) != NULL);
	CHECK_EQ(bpf_map_count(m), 3);
	/* order now (most recent first): 4 3 1 -> next eviction is 1 */
	uint32_t k5 = 5;
	CHECK_EQ(bpf_map_update(m, &k5, &k5, BPF_ANY), 0);
	CHECK(bpf_map_lookup(m, &k1) == NULL);
	CHECK_EQ(bpf_map_delete(m, &k3), 0);
	uint32_t k6 = 6;
	CHECK_EQ(bpf_map_update(m, &k6, &k6, BPF_ANY), 0); /* free slot, no eviction */
	CHECK(bpf_map_lookup(m, &k4) != NULL);
	CHECK(bpf_map_lookup(m, &k5) != NULL);
}

static int collect(void *c, const void *data, uint32_t len)
{
	uint64_t *acc = c;
	acc[0]++;
	acc[1] += len;
	uint32_t v;
	memcpy(&v, data, 4);
	acc[2] = acc[2] * 10 + v;
	return 0;
}

TEST(MAPS, ringbuf_order, "ringbuf: records delivered in reservation order, discards skipped")
{
	struct bpf_map *rb = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 256, 0, "rb");
	uint32_t *a = bpf_ringbuf_reserve(rb, 4);
	uint32_t *b = bpf_ringbuf_reserve(rb, 4);
	uint32_t *c = bpf_ringbuf_reserve(rb, 4);
	CHECK(a && b && c);
	*a = 1, *b = 2, *c = 3;
	bpf_ringbuf_submit(rb, c, false);
	bpf_ringbuf_submit(rb, b, true);
	uint64_t acc[3] = {0};
	/* a is still busy: nothing can be consumed */
	CHECK_EQ(bpf_ringbuf_consume(rb, collect, acc), 0);
	bpf_ringbuf_submit(rb, a, false);
	CHECK_EQ(bpf_ringbuf_consume(rb, collect, acc), 2);
	CHECK_EQ(acc[0], 2);
	CHECK_EQ(acc[2], 13);
	CHECK_EQ(bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA), 0);
	CHECK_EQ(bpf_ringbuf_query(rb, BPF_RB_RING_SIZE), 256);
	CHECK_EQ(bpf_ringbuf_query(rb, BPF_RB_PROD_POS), 48);
	CHECK_EQ(bpf_ringbuf_query(rb, BPF_RB_CONS_POS), 48);
}

TEST(MAPS, ringbuf_full_wrap, "ringbuf: full ring refuses, wrapped records stay contiguous")
{
	struct bpf_map *rb = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 128, 0, "rb");
	/* 40-byte records take 48 bytes: two fit, a third does not */
	uint8_t *r1 = bpf_ringbuf_reserve(rb, 40), *r2 = bpf_ringbuf_reserve(rb, 40);
	CHECK(r1 && r2);
	CHECK(bpf_ringbuf_reserve(rb, 40) == NULL);
	CHECK(bpf_ringbuf_reserve(rb, 128) == NULL);
	CHECK(bpf_ringbuf_reserve(rb, 0) == NULL);
	memset(r1, 1, 40);
	memset(r2, 2, 40);
	bpf_ringbuf_submit(rb, r1, false);
	bpf_ringbuf_submit(rb, r2, false);
	uint64_t acc[3] = {0};
	CHECK_EQ(bpf_ringbuf_consume(rb, collect, acc), 2);
	/* producer at 96: a 40-byte record runs from 96 to 144, past the end */
	uint8_t *r3 = bpf_ringbuf_reserve(rb, 40);
	CHECK(r3 != NULL);
	for (int i = 0; i < 40; i++)
		r3[i] = (uint8_t)i;
	bpf_ringbuf_submit(rb, r3, false);
	CHECK_EQ(bpf_ringbuf_consume(rb, NULL, NULL), 1);
	/* and the ring keeps working afterwards */
	uint8_t *r4 = bpf_ringbuf_reserve(rb, 100);
	CHECK(r4 != NULL);
}

static int copy_rec(void *c, const void *data, uint32_t len)
{
	memcpy(c, data, len);
	return 0;
}

TEST(MAPS, ringbuf_wrap_data, "ringbuf: a record that wraps reads back intact")
{
	struct bpf_map *rb = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 128, 0, "rb");
	for (int i = 0; i < 2; i++) {
		void *r = bpf_ringbuf_reserve(rb, 40);
		bpf_ringbuf_submit(rb, r, false);
	}
	bpf_ringbuf_consume(rb, NULL, NULL);
	uint8_t *r3 = bpf_ringbuf_reserve(rb, 40);
	for (int i = 0; i < 40; i++)
		r3[i] = (uint8_t)(i + 1);
	bpf_ringbuf_submit(rb, r3, false);
	uint8_t out[40] = {0};
	CHECK_EQ(bpf_ringbuf_consume(rb, copy_rec, out), 1);
	for (int i = 0; i < 40; i++)
		CHECK_EQ(out[i], i + 1);
}

static int stop_first(void *c, const void *data, uint32_t len)
{
	(void)data;
	(void)len;
	(*(int *)c)++;
	return 1;
}

TEST(MAPS, ringbuf_consumer_stop, "ringbuf: a consumer callback can stop after a record")
{
	struct bpf_map *rb = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 256, 0, "rb");
	for (int i = 0; i < 3; i++)
		bpf_ringbuf_submit(rb, bpf_ringbuf_reserve(rb, 8), false);
	int n = 0;
	CHECK_EQ(bpf_ringbuf_consume(rb, stop_first, &n), 1);
	CHECK_EQ(bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA), 32);
	CHECK_EQ(bpf_ringbuf_consume(rb, NULL, NULL), 2);
}

TEST(MAPS, bad_defs, "unsupported or absurd map definitions are refused")
{
	struct bpf_map_def d[] = {
	        {6, 4, 8, 4, 0},                               /* PERCPU_ARRAY */
	        {BPF_MAP_TYPE_ARRAY, 8, 8, 4, 0},              /* array key must be 4 */
	        {BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0},              /* zero value */
	        {BPF_MAP_TYPE_ARRAY, 4, 8, 0, 0},              /* zero entries */
	        {BPF_MAP_TYPE_HASH, 0, 8, 4, 0},               /* zero key */
	        {BPF_MAP_TYPE_HASH, 4, 8, 1U << 30, 0},        /* too many entries */
	        {BPF_MAP_TYPE_HASH, 4, 1U << 21, 4, 0},        /* value too big */
	        {BPF_MAP_TYPE_HASH, 4, 1U << 20, 1U << 13, 0}, /* 8 GiB total */
	        {BPF_MAP_TYPE_RINGBUF, 0, 0, 1000, 0},         /* not a power of 2 */
	        {BPF_MAP_TYPE_RINGBUF, 4, 0, 1024, 0},         /* ringbuf has no key */
	        {BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0},         /* value must be 4 */
	        {BPF_MAP_TYPE_ARRAY, 4, 8, 4, 1U << 3},        /* unknown flag */
	};
	for (size_t i = 0; i < NELEM(d); i++)
		if (bpf_map_mem_size(&d[i]) != 0) {
			printf("# definition %zu accepted\n", i);
			test_failed = 1;
		}
	struct bpf_map m;
	uint64_t mem[4];
	struct bpf_map_def ok = {BPF_MAP_TYPE_ARRAY, 4, 8, 8, 0};
	CHECK_EQ(bpf_map_init(&m, &ok, mem, sizeof(mem), "x"), -BPF_EINVAL); /* too small */
}

TEST(MAPS, prog_helpers, "programs use lookup/update/delete through the helpers")
{
	struct bpf_map *h = make_map(BPF_MAP_TYPE_HASH, 4, 8, 8, 0, "h");
	struct bpf_map *maps[] = {h};
	/* key=5: update(5, 77); v = lookup(5); *v += 1; delete(6) -> -ENOENT; return *v + (ret<<32) */
	const struct bpf_insn p[] = {
	        MOV64_K(6, 0),
	        ST(BPF_W, 10, -4, 5),
	        ST(BPF_DW, 10, -16, 77),
	        LD_MAP(1, 0),
	        MOV64_X(2, 10),
	        ALU64_K(BPF_ADD, 2, -4),
	        MOV64_X(3, 10),
	        ALU64_K(BPF_ADD, 3, -16),
	        MOV64_K(4, BPF_ANY),
	        CALL(BPF_FUNC_map_update_elem),
	        JMP_K(BPF_JNE, 0, 0, 15), /* update failed: return its error << 32 */
	        LD_MAP(1, 0),
	        MOV64_X(2, 10),
	        ALU64_K(BPF_ADD, 2, -4),
	        CALL(BPF_FUNC_map_lookup_elem),
	        JMP_K(BPF_JEQ, 0, 0, 9), /* not found: return 0 */
	        MOV64_K(1, 1),
	        ATOMIC(BPF_DW, BPF_ADD, 0, 1, 0),
	        LDX(BPF_DW, 6, 0, 0),
	        ST(BPF_W, 10, -4, 6),
	        LD_MAP(1, 0),
	        MOV64_X(2, 10),
	        ALU64_K(BPF_ADD, 2, -4),
	        CALL(BPF_FUNC_map_delete_elem),
	        ALU64_K(BPF_LSH, 0, 32),
	        ALU64_X(BPF_OR, 0, 6),
	        EXIT(),
	};
	uint64_t r = run_both(p, NELEM(p), maps, 1, NULL, 0);
	CHECK_EQ(r & 0xffffffff, 78);
	CHECK_EQ(r >> 32, (uint32_t)-BPF_ENOENT);
	uint32_t k = 5;
	CHECK_EQ(*(uint64_t *)bpf_map_lookup(h, &k), 78);
}

TEST(MAPS, prog_array_no_lookup,
     "programs cannot read or change program arrays (checked mode: prototype map type)")
{
	struct bpf_map *pa = make_map(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 2, 0, "pa");
	struct bpf_map *maps[] = {pa};
	const struct bpf_insn p[] = {
	        ST(BPF_W, 10, -4, 0),
	        LD_MAP(1, 0),
	        MOV64_X(2, 10),
	        ALU64_K(BPF_ADD, 2, -4),
	        CALL(BPF_FUNC_map_lookup_elem),
	        MOV64_X(6, 0),
	        LD_MAP(1, 0),
	        MOV64_X(2, 10),
	        ALU64_K(BPF_ADD, 2, -4),
	        CALL(BPF_FUNC_map_delete_elem),
	        ALU64_X(BPF_ADD, 0, 6),
	        EXIT(),
	};
	uint64_t r0;
	CHECK_EQ(run_mode(p, NELEM(p), maps, 1, NULL, 0, BPF_MODE_VERIFIED, &r0, NULL), BPF_OK);
	CHECK_EQ(r0, (uint64_t)-BPF_EINVAL);
	CHECK_EQ(run_mode(p, NELEM(p), maps, 1, NULL, 0, BPF_MODE_CHECKED, &r0, NULL),
	         BPF_ERR_HELPER_ARG);
}

/* ---- model-based tests: random operations against a simple model ---- */
struct model {
	int n, cap;
	uint32_t key[64];
	uint64_t val[64];
	uint64_t stamp[64]; /* last use, for LRU */
};

static int model_find(struct model *m, uint32_t k)
{
	for (int i = 0; i < m->n; i++)
		if (m->key[i] == k)
			return i;
	return -1;
}

static void model_remove(struct model *m, int i)
{
	m->n--;
	m->key[i] = m->key[m->n];
	m->val[i] = m->val[m->n];
	m->stamp[i] = m->stamp[m->n];
}

static void model_run(uint32_t type, uint64_t seed)
{
	const int cap = 48;
	struct bpf_map *map = make_map(type, 4, 8, (uint32_t)cap, 0, "model");
	struct model m = {0, cap, {0}, {0}, {0}};
	bool lru = type == BPF_MAP_TYPE_LRU_HASH;
	uint64_t x = seed, clock = 0;
	for (int step = 0; step < 20000 && !test_failed; step++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint32_t k = (uint32_t)(x % 80);
		uint64_t v = x >> 20;
		int op = (int)((x >> 8) % 10), i = model_find(&m, k);
		clock++;
		if (op < 4) { /* lookup */
			uint64_t *p = bpf_map_lookup(map, &k);
			CHECK((p != NULL) == (i >= 0));
			if (p && i >= 0) {
				CHECK_EQ(*p, m.val[i]);
				m.stamp[i] = clock;
			}
		} else if (op < 8) { /* update with a random flag */
			uint64_t flags = (x >> 40) % 3;
			int rc = bpf_map_update(map, &k, &v, flags);
			int want;
			if (i >= 0)
				want = flags == BPF_NOEXIST ? -BPF_EEXIST : 0;
			else if (flags == BPF_EXIST)
				want = -BPF_ENOENT;
			else if (m.n == cap && !lru)
				want = -BPF_E2BIG;
			else
				want = 0;
			CHECK_EQ(rc, want);
			if (want == 0) {
				if (i < 0) {
					if (m.n == cap) { /* LRU: evict the oldest */
						int old = 0;
						for (int j = 1; j < m.n; j++)
							if (m.stamp[j] < m.stamp[old])
								old = j;
						model_remove(&m, old);
					}
					i = m.n++;
					m.key[i] = k;
				}
				m.val[i] = v;
				m.stamp[i] = clock;
			}
		} else { /* delete */
			CHECK_EQ(bpf_map_delete(map, &k), i >= 0 ? 0 : -BPF_ENOENT);
			if (i >= 0)
				model_remove(&m, i);
		}
		CHECK_EQ(bpf_map_count(map), m.n);
	}
	/* iteration returns exactly the model's keys */
	int seen = 0;
	uint32_t cur, next;
	const void *prev = NULL;
	while (bpf_map_get_next_key(map, prev, &next) == 0 && seen <= cap) {
		CHECK(model_find(&m, next) >= 0);
		seen++;
		cur = next;
		prev = &cur;
	}
	CHECK_EQ(seen, m.n);
}

TEST(MAPS, model_hash, "hash: 20000 random lookup/update/delete operations match a model")
{
	model_run(BPF_MAP_TYPE_HASH, 0x1234567);
	model_run(BPF_MAP_TYPE_HASH, 0xfeedbeef);
}

TEST(MAPS, model_lru, "LRU hash: 20000 random operations match an exact-LRU model")
{
	model_run(BPF_MAP_TYPE_LRU_HASH, 0x7654321);
	model_run(BPF_MAP_TYPE_LRU_HASH, 0xdeadbeef);
}

struct rb_model {
	/* outstanding records in reservation order */
	int n;
	uint8_t *ptr[64];
	uint32_t len[64];
	uint8_t fill[64];
	int state[64]; /* 0 reserved, 1 committed, 2 discarded */
	int delivered_ok;
	int expect_next;
	int fail;
};

static int rb_model_cb(void *c, const void *data, uint32_t len)
{
	struct rb_model *m = c;
	/* skip discarded records in the model, as the consumer does */
	while (m->expect_next < m->n && m->state[m->expect_next] == 2)
		m->expect_next++;
	int i = m->expect_next++;
	if (i >= m->n || m->state[i] != 1 || m->len[i] != len) {
		m->fail = 1;
		return 1;
	}
	for (uint32_t b = 0; b < len; b++)
		if (((const uint8_t *)data)[b] != (uint8_t)(m->fill[i] + b)) {
			m->fail = 1;
			return 1;
		}
	m->delivered_ok++;
	return 0;
}

TEST(MAPS, model_ringbuf,
     "ringbuf: 5000 random reserve/commit/discard/consume steps keep order and data")
{
	struct bpf_map *rb = make_map(BPF_MAP_TYPE_RINGBUF, 0, 0, 512, 0, "rb");
	struct rb_model m;
	memset(&m, 0, sizeof(m));
	uint64_t x = 0x243f6a8885a308d3ULL;
	uint64_t used = 0; /* bytes between consumer and producer, by the model */
	for (int step = 0; step < 5000 && !test_failed && !m.fail; step++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int op = (int)(x % 8);
		if (op < 3 && m.n < 64) {
			uint32_t len = 1 + (uint32_t)((x >> 8) % 120);
			uint64_t total = (len + 8 + 7) & ~7ULL;
			uint8_t *p = bpf_ringbuf_reserve(rb, len);
			CHECK((p != NULL) == (used + total <= 512));
			if (p) {
				used += total;
				m.ptr[m.n] = p;
				m.len[m.n] = len;
				m.fill[m.n] = (uint8_t)(x >> 32);
				for (uint32_t b = 0; b < len; b++)
					p[b] = (uint8_t)(m.fill[m.n] + b);
				m.state[m.n++] = 0;
			}
		} else if (op < 6) {
			/* commit or discard a random reserved record */
			int cand[64], nc = 0;
			for (int i = 0; i < m.n; i++)
				if (m.state[i] == 0)
					cand[nc++] = i;
			if (nc) {
				int i = cand[(x >> 16) % (uint64_t)nc];
				bool discard = (x >> 24) & 1;
				bpf_ringbuf_submit(rb, m.ptr[i], discard);
				m.state[i] = discard ? 2 : 1;
			}
		} else {
			/* consume: everything up to the first still-reserved record */
			int ready = 0, upto = 0;
			while (upto < m.n && m.state[upto] != 0) {
				ready += m.state[upto] == 1;
				upto++;
			}
			m.expect_next = 0;
			m.delivered_ok = 0;
			long got = bpf_ringbuf_consume(rb, rb_model_cb, &m);
			CHECK_EQ(got, ready);
			CHECK_EQ(m.delivered_ok, ready);
			for (int i = 0; i < upto; i++)
				used -= (m.len[i] + 8 + 7) & ~7ULL;
			memmove(m.ptr, m.ptr + upto, sizeof(m.ptr[0]) * (size_t)(m.n - upto));
			memmove(m.len, m.len + upto, sizeof(m.len[0]) * (size_t)(m.n - upto));
			memmove(m.fill, m.fill + upto, sizeof(m.fill[0]) * (size_t)(m.n - upto));
			memmove(m.state, m.state + upto, sizeof(m.state[0]) * (size_t)(m.n - upto));
			m.n -= upto;
		}
		CHECK_EQ(bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA), used);
	}
	CHECK(!m.fail);
}

TEST(MAPS, storage_walk,
     "hash/LRU: bpf_map_storage_next reads a copy of the block (another address space) and "
     "survives damage")
{
	for (uint32_t type = BPF_MAP_TYPE_HASH; type <= BPF_MAP_TYPE_LRU_HASH;
	     type += BPF_MAP_TYPE_LRU_HASH - BPF_MAP_TYPE_HASH) {
		struct bpf_map *m = make_map(type, 12, 8, 64, 0, "h");
		CHECK(m != NULL);
		uint8_t present[100] = {0};
		for (uint32_t i = 0; i < 100; i++) {
			uint8_t k[12] = {0};
			uint64_t v = 1000 + i;
			memcpy(k, &i, 4);
			if (type == BPF_MAP_TYPE_HASH && i >= 60)
				break;
			CHECK_EQ(bpf_map_update(m, k, &v, BPF_ANY), 0);
			present[i] = 1;
			if (i % 7 == 3) {
				CHECK_EQ(bpf_map_delete(m, k), 0);
				present[i] = 0;
			}
		}
		if (type ==
		    BPF_MAP_TYPE_LRU_HASH) { /* eviction: whatever lookup finds is present */
			for (uint32_t i = 0; i < 100; i++) {
				uint8_t k[12] = {0};
				memcpy(k, &i, 4);
				present[i] = bpf_map_lookup(m, k) != NULL;
			}
		}
		size_t sz = bpf_map_mem_size(&m->def);
		uint64_t *copy = malloc(sz + 8);
		memcpy(copy, m->data, sz);
		uint8_t seen[100] = {0};
		uint64_t cur = 0;
		const void *k, *v;
		int n = 0;
		while (bpf_map_storage_next(&m->def, copy, sz, &cur, &k, &v) == 0) {
			uint32_t i;
			memcpy(&i, k, 4);
			CHECK(i < 100);
			if (i >= 100)
				break;
			CHECK_EQ(*(const uint64_t *)v, 1000 + i);
			CHECK_EQ(seen[i], 0);
			seen[i] = 1;
			n++;
		}
		CHECK_EQ(n, (int)bpf_map_count(m));
		CHECK(memcmp(seen, present, sizeof(seen)) == 0);
		CHECK_EQ(bpf_map_storage_next(&m->def, copy, sz - 1, &cur, &k, &v), -BPF_EINVAL);
		/* damage: every link points at the first node (a cycle) or past the end */
		uint8_t *raw = (uint8_t *)copy;
		for (size_t off = 0; off + 4 <= sz; off += 4)
			if (off >= sz - 4 * 64 - 16 * 64 && off < sz - 4 * 64)
				((uint32_t *)raw)[off / 4] =
				        (off / 4) % 4 == 0 ? ((off / 16) % 2 ? 1 : 9999) : 0;
		cur = 0;
		int steps = 0;
		while (bpf_map_storage_next(&m->def, copy, sz, &cur, &k, &v) == 0 &&
		       steps < 100000) {
			CHECK((const uint8_t *)k >= raw && (const uint8_t *)k + 12 <= raw + sz);
			CHECK((const uint8_t *)v >= raw && (const uint8_t *)v + 8 <= raw + sz);
			steps++;
		}
		CHECK(steps < 100000);
		free(copy);
	}
	struct bpf_map_def arr = {BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0};
	uint64_t mem[4], cur = 0;
	const void *k, *v;
	CHECK_EQ(bpf_map_storage_next(&arr, mem, sizeof(mem), &cur, &k, &v), -BPF_EINVAL);
}
