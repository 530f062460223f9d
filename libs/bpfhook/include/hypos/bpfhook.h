/* PD hook points: a protection domain declares a named hook (its context
 * layout, the helpers programs may call, the verdicts they may return) in
 * a memory region it shares with the bpf PD. The bpf PD verifies eBPF
 * programs against that declaration and offers them in the same region;
 * the hooking PD takes an offer over at its next bpfhook_run() and from
 * then on runs the program in its own address space, without IPC. The
 * program's maps live in the region too, so a PD that maps it read-only
 * reads results directly (bpfhook_map_view).
 *
 * Region layout (all offsets from the region's start, fixed by the
 * hooking PD in bpfhook_declare):
 *   [0, 4 KiB)            struct bpfhook_shared: declaration, offer, live state
 *   [staging, +staging)   written by the bpf PD only: the offered program's
 *                         instructions and its maps' initial contents
 *   [code, +code)         written by the hooking PD only: the running program
 *   [maps, region end)    written by the hooking PD only: map storage
 *
 * Hand-over (one producer, one consumer, no locks): the bpf PD writes the
 * staging area only while offer_seq == live_seq (the hooking PD has taken
 * everything offered so far), then publishes by incrementing offer_seq.
 * The hooking PD reads staging only while offer_seq != live_seq, copies it
 * into its own areas and sets live_seq = offer_seq. A program is therefore
 * never changed under a run, and the old one runs until the new one is in.
 *
 * Replacement keeps state: a map of the new program with the name and the
 * definition (type, key and value size, entries, flags) of a map of the
 * live one is laid out by the bpf PD at the live map's place, and the
 * hooking PD keeps it as it is (contents and all) instead of setting it up
 * afresh; the new program's other maps are placed around the kept ones.
 *
 * The hooking PD trusts the bpf PD (it runs offered programs in verified
 * mode); the bpf PD trusts nothing in the region: it copies the
 * declaration before checking it and refuses what does not fit. */
#pragma once
#include <bpf/bpf.h>
#include <bpf/jit.h>
#include <bpf/verifier.h>
#include <stddef.h>
#include <stdint.h>

#define BPFHOOK_MAGIC 0x314b4f4f48465042ULL /* "BPFHOOK1" */
#define BPFHOOK_NAME_LEN 32
#define BPFHOOK_MAX_FIELDS 16
#define BPFHOOK_MAX_HELPERS 16
#define BPFHOOK_MAX_MAPS 8
#define BPFHOOK_MAX_CTX 256 /* context bytes */
#define BPFHOOK_HEADER_SIZE 4096
#define BPFHOOK_MESSAGE_LEN 240
/* Section prefix of programs for a PD hook: SEC("pdhook/<hook name>"). */
#define BPFHOOK_SECTION_PREFIX "pdhook/"

/* A context field and what programs may do with it (BPF_FIELD_READ,
 * BPF_FIELD_WRITE from bpf/verifier.h). Bytes no field covers are
 * neither readable nor writable. */
struct bpfhook_field {
    uint32_t off, size, access;
};

/* What a hooking PD declares. */
struct bpfhook_decl {
    char name[BPFHOOK_NAME_LEN];
    uint32_t ctx_size; /* bytes at R1, at most BPFHOOK_MAX_CTX */
    uint32_t nfields;
    struct bpfhook_field fields[BPFHOOK_MAX_FIELDS];
    uint32_t nhelpers; /* helper ids programs may call (Linux numbers) */
    uint32_t helpers[BPFHOOK_MAX_HELPERS];
    int64_t verdict_min, verdict_max; /* R0 at exit must lie in this range */
    int64_t verdict_default;          /* bpfhook_run's verdict when no program runs */
    uint32_t max_insns;               /* largest program the PD accepts */
    uint32_t reserved;
    uint64_t notify_channels; /* bit c: programs may signal the PD's channel c (pd_notify) */
};

/* One map of the offered or live program. */
struct bpfhook_map_entry {
    char name[BPF_MAP_NAME_LEN];
    struct bpf_map_def def;
    uint32_t reserved;
    uint64_t off;                /* storage, from the start of the maps area */
    uint64_t init_off, init_len; /* initial bytes in staging (global data), 0 if none */
};

enum bpfhook_offer_status {
    BPFHOOK_NONE = 0,     /* nothing offered yet */
    BPFHOOK_OFFERED = 1,  /* a verified program waits in staging (or was taken) */
    BPFHOOK_REFUSED = 2,  /* the last program was refused: message says why */
    BPFHOOK_BAD_DECL = 3, /* the declaration itself was refused */
    BPFHOOK_DETACH = 4,   /* offered: no program (the hook falls back to its default verdict) */
};

struct bpfhook_shared {
    /* hooking PD */
    uint64_t magic;
    uint32_t decl_seq; /* incremented after each complete declaration */
    uint32_t reserved0;
    uint64_t region_size;
    uint64_t staging_off, staging_size, code_off, code_size, maps_off, maps_size;
    struct bpfhook_decl decl;
    /* bpf PD */
    uint32_t offer_seq;
    uint32_t status;          /* enum bpfhook_offer_status */
    uint32_t served_decl_seq; /* the declaration the status answers */
    uint32_t offer_ninsns;
    uint32_t offer_nmaps;
    uint32_t refusals;
    char offer_prog[BPFHOOK_NAME_LEN];
    struct bpfhook_map_entry offer_maps[BPFHOOK_MAX_MAPS];
    char message[BPFHOOK_MESSAGE_LEN];
    /* hooking PD: what runs now */
    uint32_t live_seq;
    uint32_t live_ninsns;
    uint32_t live_nmaps;
    uint32_t live_error;     /* the last offer the hooking PD could not take (its checks) */
    uint32_t live_jit;       /* 1: the live program runs as native code */
    uint32_t live_jit_error; /* negative errno of the last compilation that failed, 0 */
    char live_prog[BPFHOOK_NAME_LEN];
    struct bpfhook_map_entry live_maps[BPFHOOK_MAX_MAPS];
    uint64_t runs;   /* program runs */
    uint64_t faults; /* runs that did not end with BPF_OK (should stay 0) */
    /* bpf PD: who the last program offered came from, written after the
     * offer and before the next one: 0 a program the system was built
     * with, else the control agent's id of it (kept when the bpf PD offers
     * that program again to a restarted hooking PD). The hook library
     * itself never reads it. */
    uint32_t offer_tag;
    uint32_t reserved1;
};
_Static_assert(sizeof(struct bpfhook_shared) <= BPFHOOK_HEADER_SIZE, "hook header fits its page");

/* Helpers of PD hooks beyond Linux's (ids from BPF_FUNC_EMBEDDER_BASE up;
 * programs call them through hypos/bpf_pdhook.h). pd_notify(ch) signals
 * channel ch of the hooking PD if the declaration's notify_channels has
 * bit ch, and returns 0; otherwise it signals nothing and returns
 * -BPF_EINVAL. */
#define BPFHOOK_FUNC_pd_notify BPF_FUNC_EMBEDDER_BASE

/* Register the PD-hook helpers in env: the hooking PD's library does it
 * for its own environment; the bpf PD must do it before loading objects
 * so that it verifies against the same prototypes. */
int bpfhook_register_helpers(struct bpf_env *env);

/* Declarations marked with this are kept in the section .bpfhook_decl of
 * the PD's program image, where the microkit tool finds them: it verifies
 * the eBPF objects a system is built with against them, so a program the
 * bpf PD would refuse at boot fails the build instead.
 *   static const struct bpfhook_decl rx_decl BPFHOOK_DECLARATION = {...}; */
#define BPFHOOK_DECLARATION __attribute__((used, section(".bpfhook_decl"), aligned(8)))

/* ---- the hooking PD ---------------------------------------------------- */

/* Private state of one hook in the hooking PD. Two of everything a
 * program needs (code slot in the region, struct bpf_prog, map pointer
 * table): the live set and the one a new program is prepared in while the
 * live program still runs (see bpfhook_run). Map objects come from a pool
 * twice the largest table, so a kept map stays the same object. */
struct bpfhook {
    struct bpfhook_shared *shared;
    uint8_t *region;
    struct bpf_prog prog[2];
    struct bpf_map pool[2 * BPFHOOK_MAX_MAPS];
    struct bpf_map *map_ptrs[2][BPFHOOK_MAX_MAPS];
    struct bpfhook_map_entry entries[2][BPFHOOK_MAX_MAPS]; /* name, definition, place of each map */
    uint8_t slot[2][BPFHOOK_MAX_MAPS];                     /* its pool index */
    uint32_t nmaps[2], ninsns[2];
    uint32_t cur;            /* the live set */
    uint32_t pool_live;      /* pool objects the live program uses */
    uint32_t switch_pending; /* set cur ^ 1 is prepared: switch at the next run */
    uint32_t prepared_seq;   /* the offer it holds */
    uint32_t seen_seq;       /* the last offer taken over completely */
    int live;
    uint32_t ctx_size;
    int64_t verdict_default;
    uint64_t notify_channels;
    /* native code (bpfhook_use_jit) */
    struct bpf_jit_area jit_area; /* rw == NULL: no native code */
    struct bpf_arena *jit_scratch;
    struct bpf_jit_code jit_code;
};

/* Where helpers print (trace_printk), read time (ktime_get_ns) and signal
 * channels (pd_notify, e.g. microkit_notify); each optional. Applies to
 * every hook of the PD. */
void bpfhook_set_platform(void (*print)(const char *s, size_t len), uint64_t (*time_ns)(void),
                          void (*notify)(unsigned channel));

/* Declare a hook in a zero-filled region of region_size bytes. Returns 0,
 * or a negative errno when the declaration is malformed or the region is
 * too small for it (then the hook stays unusable: bpfhook_run gives the
 * default verdict). The caller then notifies the bpf PD. */
int bpfhook_declare(struct bpfhook *h, void *region, uint64_t region_size, const struct bpfhook_decl *decl);

/* Run the hook's programs as native code (bpf/jit.h) from now on (after
 * bpfhook_declare, which forgets the setting: call it again after a
 * re-declaration). rw and
 * rx are two mappings of the same size bytes (64-byte aligned), one
 * writable, the other executable and not writable (W^X), made a code
 * area (bpf_jit_area_init, which checks that they alias); scratch is the memory the compiler
 * and the verifier it runs first may use (one arena may serve every hook
 * of the PD). Each program taken over is compiled into rw and run from rx;
 * one the JIT cannot compile (too large for the area, scratch exhausted)
 * is interpreted, and live_jit in the header says which. Returns 0 or
 * -BPF_EINVAL (no JIT for this machine, hook not declared, bad
 * arguments, views that do not alias). */
int bpfhook_use_jit(struct bpfhook *h, void *rw, const void *rx, size_t size, struct bpf_arena *scratch);

/* Does the attached program run as native code? */
static inline int bpfhook_native(const struct bpfhook *h) { return h->live && h->prog[h->cur].jit != NULL; }

/* Run the hook's program on ctx (decl.ctx_size bytes) and return its
 * verdict, or decl.verdict_default when no program is attached.
 *
 * A pending offer is taken over in two steps, so that the switch between
 * programs is a few stores: the run that finds the offer prepares the new
 * program (copies its code into the free code slot, sets up its fresh
 * maps where no live map lies, checks it) and still runs the old one; the
 * next run switches and runs the new one. When the new program's fresh
 * maps can only go where live maps are, or the hook runs native code
 * (one JIT area), both steps happen in the one run. Either way each event
 * is handled by exactly one program. */
int64_t bpfhook_run(struct bpfhook *h, void *ctx);

/* Take a pending offer over (validating and, with bpfhook_use_jit,
 * compiling it) without running anything; bpfhook_run does the same
 * first. Returns whether a program is attached. */
int bpfhook_poll(struct bpfhook *h);

/* Is a program attached (after the last bpfhook_run or bpfhook_poll)? */
static inline int bpfhook_attached(const struct bpfhook *h) { return h->live; }

/* ---- the bpf PD ---------------------------------------------------------- */

/* Check the declaration in a region (copied to *decl first) and whether the
 * region can take an offer now. Returns 0, -BPF_ENOENT (nothing declared
 * yet), -BPF_EBUSY (the last offer is not yet taken) or -BPF_EINVAL with
 * msg filled. */
int bpfhook_read_decl(const void *region, uint64_t region_size, struct bpfhook_decl *decl, char *msg, size_t msg_len);

/* The verifier's description of a declared hook (fields and helpers point
 * into decl). */
void bpfhook_verifier_hook(const struct bpfhook_decl *decl, struct bpf_hook *hook, struct bpf_ctx_field *fields);

/* Verify prog against the region's declaration and offer it. On refusal
 * the region's status and message say why, and so does msg. Returns 0 or
 * a negative errno. */
int bpfhook_offer(void *region, uint64_t region_size, const struct bpf_prog *prog, const struct bpf_env *env,
                  const struct bpf_allocator *alloc, char *msg, size_t msg_len);

/* Offer "no program": at its next run the hooking PD stops running the
 * live program and gives the default verdict. Returns 0, or -BPF_EBUSY /
 * -BPF_ENOENT / -BPF_EINVAL as bpfhook_read_decl (msg says why). */
int bpfhook_offer_detach(void *region, uint64_t region_size, char *msg, size_t msg_len);

/* ---- readers ------------------------------------------------------------- */

/* A map of the live program, seen through a (read-only) mapping of the
 * region. */
struct bpfhook_map_view {
    const uint8_t *data; /* the map's storage block in the reader's mapping */
    uint64_t size;       /* its bytes */
    uint32_t stride;     /* array: value i at data + i * stride */
    struct bpf_map_def def;
    uint32_t seq; /* live_seq when the view was made */
};

/* Find a live map by name in a mapping of region_size bytes. Returns 0,
 * -BPF_ENOENT (no program or no such map), -BPF_EOPNOTSUPP (a ring
 * buffer: reading it means consuming it) or -BPF_EINVAL (the region's
 * tables point outside the mapping). Values are read while the hooking
 * PD may write them: an element wider than 8 bytes may be seen half
 * updated, and a hash map walked while it changes may show an element
 * twice or miss one. */
int bpfhook_map_view(const void *region, uint64_t region_size, const char *name, struct bpfhook_map_view *v);

/* Value of an array element, or NULL past the end (or if the map is no
 * array). */
static inline const void *bpfhook_array_elem(const struct bpfhook_map_view *v, uint32_t i)
{
    return v->def.type == BPF_MAP_TYPE_ARRAY && i < v->def.max_entries ? v->data + (uint64_t)i * v->stride : NULL;
}

/* The next element of a hash or LRU hash map (*cursor = 0 to start):
 * 0 with key and value pointing into the mapping, -BPF_ENOENT after the
 * last, -BPF_EINVAL for a map of another type. Never reads outside the
 * map's block, whatever the hooking PD wrote there. */
static inline int bpfhook_hash_next(const struct bpfhook_map_view *v, uint64_t *cursor, const void **key,
                                    const void **value)
{
    return bpf_map_storage_next(&v->def, v->data, v->size, cursor, key, value);
}
