/* Configurable values of a PD, changed at run time by the control agent
 * (hyposctl config set PD KEY VALUE). A PD that wants them shares one
 * region with the agent (read-write in both), declares its keys there at
 * init, and reads the current values whenever it needs them; the agent
 * checks every change against the declared range before it writes it,
 * then signals the PD on the channel between them. A PD may also publish
 * read-only values there (counters) for `hyposctl config get`.
 *
 * Values are 64-bit integers written and read whole (naturally aligned
 * 8-byte accesses), so a reader never sees half a value. seq counts the
 * agent's changes; the PD copies it to applied_seq once it has acted on
 * them. The agent trusts nothing in the region: it copies each entry and
 * checks it before use. */
#ifndef HYPOS_PDCONFIG_H
#define HYPOS_PDCONFIG_H
#include <stdint.h>

#define PDCONFIG_MAGIC 0x314746434450534fULL /* "OSPDCFG1" */
#define PDCONFIG_MAX_KEYS 24
#define PDCONFIG_NAME_LEN 32
#define PDCONFIG_PD_LEN 64

struct pdconfig_key {
    char name[PDCONFIG_NAME_LEN]; /* letters, digits, '_' and '-' */
    int64_t value;
    int64_t min, max;  /* the agent refuses values outside [min, max] */
    uint32_t writable; /* 0: published by the PD, read-only for the agent */
    uint32_t reserved;
};

struct pdconfig_region {
    uint64_t magic;
    char pd[PDCONFIG_PD_LEN]; /* the PD's name as hyposctl names it */
    uint32_t nkeys;
    uint32_t seq;         /* agent: changes written so far */
    uint32_t applied_seq; /* PD: changes acted on */
    uint32_t reserved;
    struct pdconfig_key keys[PDCONFIG_MAX_KEYS];
};

/* PD side: declare the keys (their initial values in keys[i].value) in a
 * region of region_size bytes. Returns 0, or -1 if the region is too
 * small or there are too many keys. */
static inline int pdconfig_declare(void *region, uint64_t region_size, const char *pd, const struct pdconfig_key *keys,
                                   uint32_t nkeys)
{
    struct pdconfig_region *r = region;
    if (!region || region_size < sizeof(*r) || nkeys > PDCONFIG_MAX_KEYS)
        return -1;
    __atomic_store_n(&r->magic, 0, __ATOMIC_RELEASE);
    for (uint32_t i = 0; i < PDCONFIG_PD_LEN; i++)
        r->pd[i] = 0;
    for (uint32_t i = 0; i + 1 < PDCONFIG_PD_LEN && pd[i]; i++)
        r->pd[i] = pd[i];
    for (uint32_t k = 0; k < nkeys; k++)
        r->keys[k] = keys[k];
    r->nkeys = nkeys;
    r->seq = r->applied_seq = 0;
    __atomic_store_n(&r->magic, PDCONFIG_MAGIC, __ATOMIC_RELEASE);
    return 0;
}

static inline int64_t pdconfig_get(const void *region, uint32_t key)
{
    const struct pdconfig_region *r = region;
    return __atomic_load_n(&r->keys[key].value, __ATOMIC_ACQUIRE);
}

/* PD side: publish a read-only value. */
static inline void pdconfig_publish(void *region, uint32_t key, int64_t value)
{
    struct pdconfig_region *r = region;
    __atomic_store_n(&r->keys[key].value, value, __ATOMIC_RELEASE);
}

/* PD side: note that the changes so far are in effect. */
static inline void pdconfig_applied(void *region)
{
    struct pdconfig_region *r = region;
    __atomic_store_n(&r->applied_seq, __atomic_load_n(&r->seq, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
}

#endif
