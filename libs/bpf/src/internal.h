/* Internal helpers shared by the runtime's translation units. */
#ifndef BPF_INTERNAL_H
#define BPF_INTERNAL_H

#include <stdarg.h>

#include "bpf/bpf.h"

/* Freestanding replacements for the few libc routines we need.  The
 * library never calls libc (the cross build checks that no symbol is left
 * undefined). */
void bpf__memcpy(void *dst, const void *src, size_t n);
void bpf__memset(void *dst, int c, size_t n);
int bpf__memcmp(const void *a, const void *b, size_t n);

size_t bpf__strnlen(const char *s, size_t max);
int bpf__strcmp(const char *a, const char *b);

/* The map_lookup_elem helper (maps.c). */
uint64_t bpf__helper_map_lookup(struct bpf_vm *vm, uint64_t map, uint64_t key, uint64_t a3,
                                uint64_t a4, uint64_t a5);
void bpf__strlcpy(char *dst, const char *src, size_t size);
/* Tiny formatter: %d %i %u %x %X %p %s %c %% with l/ll/z length
 * modifiers.  Arguments come as an array of u64.  Returns bytes written
 * (excluding NUL; output always NUL-terminated if size > 0).  For %s the
 * callback decides whether the string pointer may be read. */
typedef bool (*bpf_str_ok_fn)(const void *cbctx, uint64_t addr, size_t len);
int bpf__format(char *out, size_t size, const char *fmt, size_t fmt_len, const uint64_t *args,
                uint32_t nargs, bpf_str_ok_fn ok, const void *cbctx);
/* For the loader's messages: like bpf__format, every conversion takes one
 * u64 argument (%s and %p a pointer). */
int bpf__snprintf(char *out, size_t size, const char *fmt, ...);
/* C-typed formatting (arguments as for printf: %d int, %lld long long,
 * %zu size_t, ...), with the flags '-' '+' '#' and a field width; %s of
 * NULL prints "(null)".  Same engine and return value as bpf__format. */
int bpf__vsnprintf(char *out, size_t size, const char *fmt, va_list ap);
int bpf__csnprintf(char *out, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Structural validation shared by bpf_prog_init and the loader. */
int bpf__validate(const struct bpf_insn *insns, uint32_t len, struct bpf_map *const *maps,
                  uint32_t nmaps, const struct bpf_env *env, struct bpf_prog_error *err);

/* Every opcode RFC 9669 defines that this runtime executes (groups base32,
 * base64, atomic32, atomic64, divmul32, divmul64, packet, callx). */
/* clang-format off */
#define BPF_OPCODES(X)                                                         \
	/* ALU64 */                                                            \
	X(0x07) X(0x0f) X(0x17) X(0x1f) X(0x27) X(0x2f) X(0x37) X(0x3f)        \
	X(0x47) X(0x4f) X(0x57) X(0x5f) X(0x67) X(0x6f) X(0x77) X(0x7f)        \
	X(0x87) X(0x97) X(0x9f) X(0xa7) X(0xaf) X(0xb7) X(0xbf) X(0xc7)        \
	X(0xcf) X(0xd7)                                                        \
	/* ALU */                                                              \
	X(0x04) X(0x0c) X(0x14) X(0x1c) X(0x24) X(0x2c) X(0x34) X(0x3c)        \
	X(0x44) X(0x4c) X(0x54) X(0x5c) X(0x64) X(0x6c) X(0x74) X(0x7c)        \
	X(0x84) X(0x94) X(0x9c) X(0xa4) X(0xac) X(0xb4) X(0xbc) X(0xc4)        \
	X(0xcc) X(0xd4) X(0xdc)                                                \
	/* JMP */                                                              \
	X(0x05) X(0x15) X(0x1d) X(0x25) X(0x2d) X(0x35) X(0x3d) X(0x45)        \
	X(0x4d) X(0x55) X(0x5d) X(0x65) X(0x6d) X(0x75) X(0x7d) X(0x85)        \
	X(0x95) X(0xa5) X(0xad) X(0xb5) X(0xbd) X(0xc5) X(0xcd) X(0xd5)        \
	X(0xdd)                                                                \
	/* callx */                                                            \
	X(0x8d)                                                                \
	/* JMP32 */                                                            \
	X(0x06) X(0x16) X(0x1e) X(0x26) X(0x2e) X(0x36) X(0x3e) X(0x46)        \
	X(0x4e) X(0x56) X(0x5e) X(0x66) X(0x6e) X(0x76) X(0x7e) X(0xa6)        \
	X(0xae) X(0xb6) X(0xbe) X(0xc6) X(0xce) X(0xd6) X(0xde)                \
	/* LD, LDX, ST, STX */                                                 \
	X(0x18) X(0x20) X(0x28) X(0x30) X(0x40) X(0x48) X(0x50)                \
	X(0x61) X(0x69) X(0x71) X(0x79) X(0x81) X(0x89) X(0x91)                \
	X(0x62) X(0x6a) X(0x72) X(0x7a)                                        \
	X(0x63) X(0x6b) X(0x73) X(0x7b) X(0xc3) X(0xdb)
/* clang-format on */

/* JIT hooks (src/jit_common.c): can prog's native code run on this
 * machine, run it; the verified interpreter for tail-call targets the JIT
 * did not compile (src/interp.c). */
bool bpf__jit_runnable(const struct bpf_prog *prog);
int bpf__jit_run(struct bpf_vm *vm, const struct bpf_prog *prog, uint64_t r2, uint64_t *ret);
int bpf__interp_run_verified(struct bpf_vm *vm, const struct bpf_prog *prog, uint64_t r2,
                             uint64_t *ret);

/* Map internals used by the helpers. */
bool bpf__map_is_ringbuf_record(const struct bpf_map *rb, uint64_t addr);

#define BPF_LIKELY(x) __builtin_expect(!!(x), 1)
#define BPF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BPF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline uint64_t bpf__align8(uint64_t x)
{
	return (x + 7) & ~(uint64_t)7;
}

#endif
