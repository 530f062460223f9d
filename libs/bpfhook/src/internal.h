/* Parts shared by the hooking-PD side (bpfhook.c) and the bpf-PD side
 * (offer.c) of the PD hook library. */
#pragma once
#include <hypos/bpfhook.h>
#include <bpf/verifier.h>

/* Loads and stores of the hand-over sequence numbers: the data they
 * publish is written before (release) and read after (acquire). */
#define SEQ_LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define SEQ_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* A message being built into a fixed buffer (always NUL-terminated). */
struct msgbuf {
    char *buf;
    size_t len, cap;
};
void msg_init(struct msgbuf *m, char *buf, size_t cap);
void msg_str(struct msgbuf *m, const char *s);
void msg_uint(struct msgbuf *m, uint64_t v);
void msg_int(struct msgbuf *m, int64_t v);

void copy_bytes(void *dst, const void *src, size_t n);
void zero_bytes(void *dst, size_t n);
int names_equal(const char *a, const char *b, size_t max);

/* Helpers a PD hook may offer to its programs: the map operations, time,
 * printing, randomness, the CPU number, ring-buffer output and pd_notify.
 * Tail calls are not among them (a program array cannot be handed over). */
int helper_offered(uint32_t id);

/* Checks a declaration (a private copy); 0 or -BPF_EINVAL with the reason
 * in m. */
int decl_check(const struct bpfhook_decl *d, struct msgbuf *m);

/* The region's areas as the hooking PD lays them out for a declaration;
 * 0 or -BPF_EINVAL when the region is too small. */
struct areas {
    uint64_t staging_off, staging_size, code_off, code_size, maps_off, maps_size;
};
int areas_for(const struct bpfhook_decl *d, uint64_t region_size, struct areas *a);
/* Initial bytes of global data in staging: this much room after the code. */
#define BPFHOOK_INIT_DATA_MAX 4096
