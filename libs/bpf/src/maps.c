/*
 * Maps with Linux semantics and numbering: array, hash, LRU hash, ring
 * buffer and program array.  All storage is preallocated in one block of
 * caller memory at creation; nothing is allocated afterwards.
 *
 * Memory a program can reach (bpf_map.data) holds only values or ring
 * records.  Links, keys and positions are kept apart, so a program that
 * scribbles over its values (checked mode allows writes anywhere in
 * data) can corrupt map contents but never the map's own bookkeeping.
 */
#include "internal.h"

struct hnode {
	uint32_t next;     /* bucket chain / free list: index + 1 */
	uint32_t lru_prev; /* index + 1 */
	uint32_t lru_next; /* index + 1 */
	uint32_t hash;
};

#define MAP_MAX_BYTES (1ULL << 32)

static uint32_t pow2_ceil(uint32_t x)
{
	uint32_t p = 1;
	while (p < x)
		p <<= 1;
	return p;
}

/* Layout of a hash map's block: values | keys | nodes | buckets. */
struct hlayout {
	uint64_t vstride, kstride, values, keys, nodes, buckets, total;
	uint32_t nbuckets;
};

static void hash_layout(const struct bpf_map_def *d, struct hlayout *l)
{
	l->vstride = bpf__align8(d->value_size);
	l->kstride = bpf__align8(d->key_size);
	l->nbuckets = pow2_ceil(d->max_entries);
	l->values = 0;
	l->keys = l->values + l->vstride * d->max_entries;
	l->nodes = l->keys + l->kstride * d->max_entries;
	l->buckets = l->nodes + sizeof(struct hnode) * (uint64_t)d->max_entries;
	l->total = l->buckets + 4ULL * l->nbuckets;
}

size_t bpf_map_mem_size(const struct bpf_map_def *d)
{
	uint64_t total = 0;
	if (!d || d->max_entries == 0 || d->max_entries > BPF_MAP_MAX_ENTRIES)
		return 0;
	if (d->flags & ~(BPF_F_NO_PREALLOC | BPF_F_RDONLY_PROG | BPF_F_MMAPABLE))
		return 0;
	switch (d->type) {
	case BPF_MAP_TYPE_ARRAY:
		if (d->key_size != 4 || d->value_size == 0 ||
		    d->value_size > BPF_MAP_MAX_VALUE_SIZE)
			return 0;
		total = bpf__align8(d->value_size) * (uint64_t)d->max_entries;
		break;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH: {
		struct hlayout l;
		if (d->key_size == 0 || d->key_size > BPF_MAP_MAX_KEY_SIZE || d->value_size == 0 ||
		    d->value_size > BPF_MAP_MAX_VALUE_SIZE || (d->flags & BPF_F_MMAPABLE))
			return 0;
		hash_layout(d, &l);
		total = l.total;
		break;
	}
	case BPF_MAP_TYPE_PROG_ARRAY:
		if (d->key_size != 4 || d->value_size != 4 || d->flags)
			return 0;
		total = sizeof(void *) * (uint64_t)d->max_entries;
		break;
	case BPF_MAP_TYPE_RINGBUF:
		/* Linux requires a power-of-two multiple of the page size; we
		 * accept any power of two from 64 bytes up for small systems.
		 * Records that wrap are written contiguously into a second
		 * copy of the area, so data is twice the ring size. */
		if (d->key_size || d->value_size || d->flags || d->max_entries < 64 ||
		    (d->max_entries & (d->max_entries - 1)))
			return 0;
		total = 2ULL * d->max_entries + 16;
		break;
	default:
		return 0;
	}
	if (total == 0 || total > MAP_MAX_BYTES || total > (size_t)-1)
		return 0;
	return (size_t)total;
}

static inline struct hnode *hnodes(const struct bpf_map *m)
{
	return (struct hnode *)m->u.hash.nodes;
}

static inline uint8_t *hkey(const struct bpf_map *m, uint32_t i)
{
	return m->u.hash.keys + bpf__align8(m->def.key_size) * (uint64_t)i;
}

static inline uint8_t *hval(const struct bpf_map *m, uint32_t i)
{
	return m->data + (uint64_t)m->elem_size * i;
}

int bpf_map_storage_next(const struct bpf_map_def *def, const void *mem, size_t mem_len,
                         uint64_t *cursor, const void **key, const void **value)
{
	if (!def || !mem || !cursor ||
	    (def->type != BPF_MAP_TYPE_HASH && def->type != BPF_MAP_TYPE_LRU_HASH))
		return -BPF_EINVAL;
	size_t need = bpf_map_mem_size(def);
	if (!need || mem_len < need)
		return -BPF_EINVAL;
	struct hlayout l;
	hash_layout(def, &l);
	const uint8_t *base = mem;
	const struct hnode *nodes = (const struct hnode *)(base + l.nodes);
	const uint32_t *buckets = (const uint32_t *)(base + l.buckets);
	/* cursor: bucket in the high half, position in its chain in the low
	 * half; a chain is walked from its head each time (chains are short,
	 * and no state may be kept in the block) */
	for (uint64_t b = *cursor >> 32; b < l.nbuckets; b++) {
		uint32_t want = b == *cursor >> 32 ? (uint32_t)*cursor : 0;
		uint32_t n = buckets[b], step = 0;
		while (n && n <= def->max_entries && step <= want && step < def->max_entries) {
			if (step == want) {
				uint32_t i = n - 1;
				*key = base + l.keys + l.kstride * i;
				*value = base + l.values + l.vstride * i;
				*cursor = (b << 32) | (want + 1);
				return 0;
			}
			n = nodes[n - 1].next;
			step++;
		}
		*cursor = (b + 1) << 32;
	}
	return -BPF_ENOENT;
}

int bpf_map_init(struct bpf_map *map, const struct bpf_map_def *def, void *mem, size_t mem_len,
                 const char *name)
{
	size_t need = bpf_map_mem_size(def);
	if (!map || !need || !mem || mem_len < need || ((uintptr_t)mem & 7))
		return -BPF_EINVAL;
	bpf__memset(map, 0, sizeof(*map));
	bpf__memset(mem, 0, need);
	map->def = *def;
	bpf__strlcpy(map->name, name ? name : "", sizeof(map->name));
	map->prog_readonly = (def->flags & BPF_F_RDONLY_PROG) != 0;
	uint8_t *base = mem;
	switch (def->type) {
	case BPF_MAP_TYPE_ARRAY:
		map->elem_size = (uint32_t)bpf__align8(def->value_size);
		map->data = base;
		map->data_len = (uint64_t)map->elem_size * def->max_entries;
		break;
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH: {
		struct hlayout l;
		hash_layout(def, &l);
		map->elem_size = (uint32_t)l.vstride;
		map->data = base;
		map->data_len = l.keys; /* values only */
		map->u.hash.buckets = (uint32_t *)(base + l.buckets);
		map->u.hash.keys = base + l.keys;
		map->u.hash.nodes = base + l.nodes;
		map->u.hash.nbuckets = l.nbuckets;
		struct hnode *n = (struct hnode *)(base + l.nodes);
		for (uint32_t i = 0; i < def->max_entries; i++)
			n[i].next = i + 1 < def->max_entries ? i + 2 : 0;
		map->u.hash.free_head = 1;
		map->u.hash.seed = 0x9e3779b97f4a7c15ULL ^ (uintptr_t)mem;
		break;
	}
	case BPF_MAP_TYPE_PROG_ARRAY:
		map->u.prog_array.progs = (const struct bpf_prog **)mem;
		break;
	case BPF_MAP_TYPE_RINGBUF:
		map->data = base;
		map->data_len = 2ULL * def->max_entries;
		map->u.ringbuf.cons_pos = (uint64_t *)(base + map->data_len);
		map->u.ringbuf.prod_pos = map->u.ringbuf.cons_pos + 1;
		map->u.ringbuf.mask = def->max_entries - 1;
		break;
	}
	return 0;
}

/* ---- hashing ---- */

/* Unaligned little loads without memcpy calls (the library is built
 * -fno-builtin for freestanding use, where memcpy is a byte loop). */
typedef uint32_t __attribute__((may_alias, aligned(1))) u32_una;
typedef uint64_t __attribute__((may_alias, aligned(1))) u64_una;

/* The bucket is the low bits of the result, so every input bit must
 * reach them: the high half of a 64-bit product does that. */
static inline uint32_t hash_mix(uint64_t h)
{
	h *= 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static inline uint32_t hash_key(const struct bpf_map *m, const void *key)
{
	const uint8_t *p = key;
	uint32_t n = m->def.key_size;
	uint64_t h = m->u.hash.seed;
	/* the common key sizes in one step each */
	if (n == 4)
		return hash_mix(h ^ *(const u32_una *)p);
	if (n == 8)
		return hash_mix(h ^ *(const u64_una *)p);
	h ^= n * 0xff51afd7ed558ccdULL;
	while (n >= 8) {
		h = (h ^ *(const u64_una *)p) * 0x9ddfea08eb382d69ULL;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		for (uint32_t k = 0; k < n; k++)
			w |= (uint64_t)p[k] << (8 * k);
		h = (h ^ w) * 0x9ddfea08eb382d69ULL;
		h ^= h >> 29;
	}
	return hash_mix(h);
}

static inline bool key_equal(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	if (n == 4)
		return *(const u32_una *)a == *(const u32_una *)b;
	if (n == 8)
		return *(const u64_una *)a == *(const u64_una *)b;
	while (n >= 8) {
		if (*(const u64_una *)a != *(const u64_una *)b)
			return false;
		a += 8;
		b += 8;
		n -= 8;
	}
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}

/* Find key; on success returns index + 1 and, if prevp, the link that
 * points at it. */
static inline uint32_t hash_find(const struct bpf_map *m, const void *key, uint32_t h,
                                 uint32_t **prevp)
{
	struct hnode *n = hnodes(m);
	const uint8_t *keys = m->u.hash.keys;
	uint32_t ksize = m->def.key_size;
	uint64_t kstride = bpf__align8(ksize);
	uint32_t *link = &m->u.hash.buckets[h & (m->u.hash.nbuckets - 1)];
	while (*link) {
		uint32_t i = *link - 1;
		if (n[i].hash == h && key_equal(keys + kstride * i, key, ksize)) {
			if (prevp)
				*prevp = link;
			return i + 1;
		}
		link = &n[i].next;
	}
	return 0;
}

static void lru_unlink(struct bpf_map *m, uint32_t idx1)
{
	struct hnode *n = hnodes(m), *x = &n[idx1 - 1];
	if (x->lru_prev)
		n[x->lru_prev - 1].lru_next = x->lru_next;
	else
		m->u.hash.lru_head = x->lru_next;
	if (x->lru_next)
		n[x->lru_next - 1].lru_prev = x->lru_prev;
	else
		m->u.hash.lru_tail = x->lru_prev;
	x->lru_prev = x->lru_next = 0;
}

static void lru_push_front(struct bpf_map *m, uint32_t idx1)
{
	struct hnode *n = hnodes(m), *x = &n[idx1 - 1];
	x->lru_prev = 0;
	x->lru_next = m->u.hash.lru_head;
	if (m->u.hash.lru_head)
		n[m->u.hash.lru_head - 1].lru_prev = idx1;
	else
		m->u.hash.lru_tail = idx1;
	m->u.hash.lru_head = idx1;
}

static void hash_remove(struct bpf_map *m, uint32_t idx1, uint32_t *link)
{
	struct hnode *n = hnodes(m);
	*link = n[idx1 - 1].next;
	if (m->def.type == BPF_MAP_TYPE_LRU_HASH)
		lru_unlink(m, idx1);
	n[idx1 - 1].next = m->u.hash.free_head;
	m->u.hash.free_head = idx1;
	m->u.hash.count--;
}

static inline void *hash_lookup(struct bpf_map *m, const void *key)
{
	uint32_t i = hash_find(m, key, hash_key(m, key), NULL);
	if (!i)
		return NULL;
	if (m->def.type == BPF_MAP_TYPE_LRU_HASH && m->u.hash.lru_head != i) {
		lru_unlink(m, i);
		lru_push_front(m, i);
	}
	return hval(m, i - 1);
}

static int hash_update(struct bpf_map *m, const void *key, const void *value, uint64_t flags)
{
	uint32_t h = hash_key(m, key);
	uint32_t i = hash_find(m, key, h, NULL);
	bool lru = m->def.type == BPF_MAP_TYPE_LRU_HASH;
	if (i) {
		if (flags == BPF_NOEXIST)
			return -BPF_EEXIST;
		bpf__memcpy(hval(m, i - 1), value, m->def.value_size);
		if (lru) {
			lru_unlink(m, i);
			lru_push_front(m, i);
		}
		return 0;
	}
	if (flags == BPF_EXIST)
		return -BPF_ENOENT;
	struct hnode *n = hnodes(m);
	if (!m->u.hash.free_head) {
		if (!lru)
			return -BPF_E2BIG;
		/* Evict the least recently used element. */
		uint32_t victim = m->u.hash.lru_tail, *link = NULL;
		uint32_t found = hash_find(m, hkey(m, victim - 1), n[victim - 1].hash, &link);
		if (found != victim)
			return -BPF_ENOMEM; /* cannot happen: lists are private */
		hash_remove(m, victim, link);
	}
	i = m->u.hash.free_head;
	m->u.hash.free_head = n[i - 1].next;
	uint32_t *bucket = &m->u.hash.buckets[h & (m->u.hash.nbuckets - 1)];
	n[i - 1].hash = h;
	n[i - 1].next = *bucket;
	*bucket = i;
	bpf__memcpy(hkey(m, i - 1), key, m->def.key_size);
	bpf__memcpy(hval(m, i - 1), value, m->def.value_size);
	if (m->def.value_size < m->elem_size)
		bpf__memset(hval(m, i - 1) + m->def.value_size, 0,
		            m->elem_size - m->def.value_size);
	if (lru)
		lru_push_front(m, i);
	m->u.hash.count++;
	return 0;
}

static int hash_delete(struct bpf_map *m, const void *key)
{
	uint32_t *link;
	uint32_t i = hash_find(m, key, hash_key(m, key), &link);
	if (!i)
		return -BPF_ENOENT;
	hash_remove(m, i, link);
	return 0;
}

static int hash_next_key(struct bpf_map *m, const void *key, void *next)
{
	struct hnode *n = hnodes(m);
	uint32_t b = 0, i = 0;
	if (key) {
		uint32_t h = hash_key(m, key);
		i = hash_find(m, key, h, NULL);
		if (i) {
			if (n[i - 1].next) {
				i = n[i - 1].next;
				goto found;
			}
			b = (h & (m->u.hash.nbuckets - 1)) + 1;
		}
	}
	for (; b < m->u.hash.nbuckets; b++) {
		if (m->u.hash.buckets[b]) {
			i = m->u.hash.buckets[b];
			goto found;
		}
	}
	return -BPF_ENOENT;
found:
	bpf__memcpy(next, hkey(m, i - 1), m->def.key_size);
	return 0;
}

/* Lookups on the hot path: the general case out of line, so that the
 * common one needs no saved registers. */
static __attribute__((noinline)) void *hash_lookup_any(struct bpf_map *m, const void *key)
{
	return hash_lookup(m, key);
}

static inline __attribute__((always_inline)) void *
hash_lookup_small(const struct bpf_map *m, const void *key, uint32_t ksize)
{
	uint64_t k = ksize == 4 ? *(const u32_una *)key : *(const u64_una *)key;
	uint32_t h = hash_mix(m->u.hash.seed ^ k);
	const struct hnode *n = hnodes(m);
	uint32_t i1 = m->u.hash.buckets[h & (m->u.hash.nbuckets - 1)];
	while (i1) {
		uint32_t i = i1 - 1;
		const uint8_t *kp = m->u.hash.keys + 8 * (uint64_t)i; /* stride 8 */
		uint64_t have = ksize == 4 ? *(const u32_una *)kp : *(const u64_una *)kp;
		if (n[i].hash == h && have == k)
			return hval(m, i);
		i1 = n[i].next;
	}
	return NULL;
}

/* ---- public map API ---- */
static inline void *map_lookup(struct bpf_map *m, const void *key)
{
	switch (m->def.type) {
	case BPF_MAP_TYPE_ARRAY: {
		uint32_t k = *(const u32_una *)key;
		if (k >= m->def.max_entries)
			return NULL;
		return m->data + (uint64_t)m->elem_size * k;
	}
	case BPF_MAP_TYPE_HASH:
		/* plain hash maps with the common key sizes: a leaf with
		 * constant sizes, no LRU bookkeeping */
		if (m->def.key_size == 4)
			return hash_lookup_small(m, key, 4);
		if (m->def.key_size == 8)
			return hash_lookup_small(m, key, 8);
		return hash_lookup_any(m, key);
	case BPF_MAP_TYPE_LRU_HASH:
		return hash_lookup_any(m, key);
	default:
		return NULL;
	}
}

void *bpf_map_lookup(struct bpf_map *m, const void *key)
{
	if (!m || !key)
		return NULL;
	return map_lookup(m, key);
}

/* The map_lookup_elem helper, here so the whole lookup is one call (it
 * is on the hot path of most programs).  Program arrays hold programs,
 * not values a program may touch: no lookup there. */
uint64_t bpf__helper_map_lookup(struct bpf_vm *vm, uint64_t map, uint64_t key, uint64_t a3,
                                uint64_t a4, uint64_t a5)
{
	(void)vm;
	(void)a3;
	(void)a4;
	(void)a5;
	struct bpf_map *m = (struct bpf_map *)(uintptr_t)map;
	return (uintptr_t)map_lookup(m, (const void *)(uintptr_t)key);
}

int bpf_map_update(struct bpf_map *m, const void *key, const void *value, uint64_t flags)
{
	if (!m || !key || !value || flags > BPF_EXIST)
		return -BPF_EINVAL;
	switch (m->def.type) {
	case BPF_MAP_TYPE_ARRAY: {
		uint32_t k;
		bpf__memcpy(&k, key, 4);
		if (k >= m->def.max_entries)
			return -BPF_E2BIG;
		if (flags == BPF_NOEXIST)
			return -BPF_EEXIST; /* array elements always exist */
		bpf__memcpy(m->data + (uint64_t)m->elem_size * k, value, m->def.value_size);
		return 0;
	}
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
		return hash_update(m, key, value, flags);
	default:
		return -BPF_EINVAL;
	}
}

int bpf_map_delete(struct bpf_map *m, const void *key)
{
	if (!m || !key)
		return -BPF_EINVAL;
	switch (m->def.type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
		return hash_delete(m, key);
	case BPF_MAP_TYPE_PROG_ARRAY: {
		uint32_t k;
		bpf__memcpy(&k, key, 4);
		if (k >= m->def.max_entries)
			return -BPF_E2BIG;
		if (!m->u.prog_array.progs[k])
			return -BPF_ENOENT;
		m->u.prog_array.progs[k] = NULL;
		return 0;
	}
	default:
		return -BPF_EINVAL; /* array elements cannot be deleted */
	}
}

int bpf_map_get_next_key(struct bpf_map *m, const void *key, void *next)
{
	if (!m || !next)
		return -BPF_EINVAL;
	switch (m->def.type) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PROG_ARRAY: {
		uint32_t k = 0, n;
		if (key)
			bpf__memcpy(&k, key, 4);
		/* Linux: an absent or out-of-range key restarts at 0. */
		n = (!key || k >= m->def.max_entries) ? 0 : k + 1;
		if (n >= m->def.max_entries)
			return -BPF_ENOENT;
		bpf__memcpy(next, &n, 4);
		return 0;
	}
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_LRU_HASH:
		return hash_next_key(m, key, next);
	default:
		return -BPF_EINVAL;
	}
}

uint32_t bpf_map_count(const struct bpf_map *m)
{
	if (m->def.type == BPF_MAP_TYPE_HASH || m->def.type == BPF_MAP_TYPE_LRU_HASH)
		return m->u.hash.count;
	return m->def.max_entries;
}

int bpf_prog_array_set(struct bpf_map *m, uint32_t index, const struct bpf_prog *prog)
{
	if (!m || m->def.type != BPF_MAP_TYPE_PROG_ARRAY)
		return -BPF_EINVAL;
	if (index >= m->def.max_entries)
		return -BPF_E2BIG;
	m->u.prog_array.progs[index] = prog;
	return 0;
}

/* ---- ring buffer (Linux BPF_MAP_TYPE_RINGBUF semantics) ----
 * Records are an 8-byte header (u32 length with BUSY and DISCARD bits,
 * u32 reserved) followed by the data, padded to 8 bytes.  Producer and
 * consumer positions only grow; the position modulo the ring size is the
 * header's offset.  Reservation fails when the new record would overrun
 * the consumer.  The consumer stops at the first record still BUSY, so
 * records are delivered in reservation order even if committed out of
 * order. */
void *bpf_ringbuf_reserve(struct bpf_map *rb, uint64_t size)
{
	if (!rb || rb->def.type != BPF_MAP_TYPE_RINGBUF || size == 0 ||
	    size > rb->def.max_entries - BPF_RINGBUF_HDR_SIZE)
		return NULL;
	uint64_t total = bpf__align8(size + BPF_RINGBUF_HDR_SIZE);
	uint64_t cons = *rb->u.ringbuf.cons_pos, prod = *rb->u.ringbuf.prod_pos;
	if (prod - cons + total > rb->def.max_entries)
		return NULL;
	uint8_t *hdr = rb->data + (prod & rb->u.ringbuf.mask);
	uint32_t len = (uint32_t)size | BPF_RINGBUF_BUSY_BIT, zero = 0;
	bpf__memcpy(hdr, &len, 4);
	bpf__memcpy(hdr + 4, &zero, 4);
	*rb->u.ringbuf.prod_pos = prod + total;
	return hdr + BPF_RINGBUF_HDR_SIZE;
}

bool bpf__map_is_ringbuf_record(const struct bpf_map *rb, uint64_t addr)
{
	uint64_t base = (uintptr_t)rb->data;
	if (addr < base + BPF_RINGBUF_HDR_SIZE)
		return false;
	uint64_t off = addr - base - BPF_RINGBUF_HDR_SIZE;
	if (off >= rb->def.max_entries || (off & 7))
		return false;
	uint64_t cons = *rb->u.ringbuf.cons_pos, prod = *rb->u.ringbuf.prod_pos;
	/* The header must lie between consumer and producer... */
	uint64_t pos = (cons & ~rb->u.ringbuf.mask) + off;
	if (pos < cons)
		pos += rb->def.max_entries;
	if (pos >= prod)
		return false;
	/* ...and still be reserved. */
	uint32_t len;
	bpf__memcpy(&len, rb->data + off, 4);
	return (len & BPF_RINGBUF_BUSY_BIT) != 0;
}

void bpf_ringbuf_submit(struct bpf_map *rb, void *rec, bool discard)
{
	uint8_t *hdr = (uint8_t *)rec - BPF_RINGBUF_HDR_SIZE;
	uint32_t len;
	bpf__memcpy(&len, hdr, 4);
	len &= ~BPF_RINGBUF_BUSY_BIT;
	if (discard)
		len |= BPF_RINGBUF_DISCARD_BIT;
	__atomic_store_n((uint32_t *)hdr, len, __ATOMIC_RELEASE);
	(void)rb;
}

long bpf_ringbuf_consume(struct bpf_map *rb, bpf_ringbuf_cb cb, void *cbctx)
{
	if (!rb || rb->def.type != BPF_MAP_TYPE_RINGBUF)
		return -BPF_EINVAL;
	long n = 0;
	uint64_t cons = *rb->u.ringbuf.cons_pos;
	const uint64_t prod = *rb->u.ringbuf.prod_pos;
	while (cons < prod) {
		const uint8_t *hdr = rb->data + (cons & rb->u.ringbuf.mask);
		uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		uint32_t dlen = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		uint64_t total = bpf__align8((uint64_t)dlen + BPF_RINGBUF_HDR_SIZE);
		if (total > prod - cons) {
			/* A program (checked mode may write anywhere in the
			 * area) forged a header: drop the rest. */
			cons = prod;
			break;
		}
		cons += total;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			n++;
			if (cb && cb(cbctx, hdr + BPF_RINGBUF_HDR_SIZE, dlen)) {
				break;
			}
		}
	}
	*rb->u.ringbuf.cons_pos = cons;
	return n;
}

uint64_t bpf_ringbuf_query(const struct bpf_map *rb, uint64_t what)
{
	if (!rb || rb->def.type != BPF_MAP_TYPE_RINGBUF)
		return 0;
	uint64_t cons = *rb->u.ringbuf.cons_pos, prod = *rb->u.ringbuf.prod_pos;
	switch (what) {
	case BPF_RB_AVAIL_DATA:
		return prod - cons;
	case BPF_RB_RING_SIZE:
		return rb->def.max_entries;
	case BPF_RB_CONS_POS:
		return cons;
	case BPF_RB_PROD_POS:
		return prod;
	default:
		return 0;
	}
}
