/* In-memory model of a Microkit system description (.system file) with
 * the source position of every element, and the tool's diagnostics. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* XML namespace of hypOS's own attributes; Microkit ignores them. */
#define HYPOS_SDF_NS "urn:hypos:system:1"

typedef struct loc {
    int line, col;
} loc_t;

/* Diagnostics: "file:line:column: error: message", then exit status 1. */
_Noreturn void fail_at(loc_t where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum { PERM_R = 1, PERM_W = 2, PERM_X = 4 };

typedef struct sdf_map {
    char *mr_name;
    int mr; /* index into sys->mrs */
    uint64_t vaddr;
    int perms;
    bool cached;
    char *setvar_vaddr;
    char *setvar_size;
    char *setvar_prefill_size; /* the region's prefill file's length in bytes */
    /* hypos:jit_write="SYMBOL": the writable view of a JIT code area, not
     * mapped at boot; the PD gets caps to map it (microkit_abi.h) */
    char *jit_write;
    uint32_t first_frame_cap; /* set by the checks */
    loc_t loc, vaddr_loc, setvar_loc, setvar_size_loc, setvar_prefill_size_loc, jit_write_loc;
} sdf_map_t;

typedef struct sdf_irq {
    uint64_t irq;
    int id;
    int trigger; /* 0 level, 1 edge */
    char *setvar_id;
    loc_t loc, irq_loc, id_loc;
} sdf_irq_t;

typedef struct sdf_setvar {
    char *symbol;
    char *region_paddr;
    int mr;
    loc_t loc, symbol_loc;
} sdf_setvar_t;

/* A symbol the tool sets to an id (setvar_id on an irq, a channel end or
 * a child PD; for a child, in its parent's program). */
typedef struct sdf_idvar {
    const char *symbol;
    uint64_t value;
    loc_t loc;
} sdf_idvar_t;

struct elf_file;

typedef struct sdf_pd {
    char *name;
    int priority;
    uint64_t stack_size;
    int parent;         /* index of the parent PD or -1 */
    int child_id;       /* id in the parent, -1 at top level */
    char *program;      /* path as written */
    char *program_path; /* resolved */
    char *setvar_id;
    loc_t loc, program_loc, id_loc;
    sdf_map_t *maps;
    int n_maps;
    sdf_irq_t *irqs;
    int n_irqs;
    sdf_setvar_t *setvars;
    int n_setvars;
    sdf_idvar_t *idvars;
    int n_idvars;
    struct elf_file *elf;
    /* hypOS restart policy (attribute max_restarts in the HYPOS_SDF_NS
     * namespace): the monitor reloads and restarts the PD after a fault,
     * at most this many times; 0: the PD stays stopped */
    int max_restarts;
    /* the domain it runs in (attribute domain, a <domains> name); 0 without */
    char *domain_name;
    int domain;
    loc_t domain_loc;
    /* restart_period (microseconds, same namespace): max_restarts then
     * limits the restarts within any window of this length; 0: in all */
    uint64_t restart_period_us;
    loc_t restart_period_loc;
    /* scheduling (MCS kernels): budget and period in microseconds (Microkit's
     * defaults: 1000 and the budget), passive: the PD gives its SC up after
     * init() and runs on its callers' and its notification's time */
    uint64_t budget_us, period_us;
    bool passive;
    loc_t budget_loc, period_loc, passive_loc;
    /* fpu="false" (Microkit 2.3): the thread may not use the FPU */
    bool no_fpu;
    /* derived */
    bool has_endpoint;
    uint64_t irq_bits, notification_bits, pp_bits;
} sdf_pd_t;

typedef struct sdf_mr {
    char *name;
    uint64_t size, page_size;
    bool fixed;
    uint64_t paddr;
    char *prefill;
    uint64_t prefill_bytes;
    bool boot_log; /* hypos:boot_log="true": the initialiser writes the boot measurements here */
    loc_t loc, size_loc, page_size_loc, paddr_loc, boot_log_loc;
} sdf_mr_t;

typedef struct sdf_end {
    int pd;
    int id;
    bool pp, notify;
    char *setvar_id;
    loc_t loc, pd_loc, id_loc, pp_loc;
} sdf_end_t;

typedef struct sdf_channel {
    sdf_end_t end[2];
    loc_t loc;
} sdf_channel_t;

/* The domain scheduler (<domains>): systems with a schedule boot the SDK's
 * kernel with SDF_NUM_DOMAINS domains and a table of
 * SDF_DOMAIN_SCHEDULE_ENTRIES entries (the last always an end marker); the
 * initialiser writes the schedule into it. Lengths are kernel timer ticks
 * of SDF_TICK_US microseconds. */
#define SDF_NUM_DOMAINS 16
#define SDF_DOMAIN_SCHEDULE_ENTRIES 100
#define SDF_TICK_US 2000
typedef struct sdf_domain {
    char *name;
    int id;
    loc_t loc;
} sdf_domain_t;
typedef struct sdf_schedule_entry {
    char *domain_name; /* NULL for an end marker */
    int domain;
    uint64_t ticks; /* 0: an end marker */
    loc_t loc, domain_loc;
} sdf_schedule_entry_t;
typedef struct sdf_domains {
    bool present;
    sdf_domain_t *domains;
    int n_domains;
    sdf_schedule_entry_t *entries;
    int n_entries;
    uint64_t start_index, index_shift; /* the table index of entry i is index_shift + i */
    loc_t loc, schedule_loc, shift_loc;
} sdf_domains_t;

typedef struct sdf_system {
    const char *file;
    loc_t loc; /* of <system> */
    sdf_pd_t *pds;
    int n_pds;
    sdf_mr_t *mrs;
    int n_mrs;
    sdf_channel_t *channels;
    int n_channels;
    sdf_domains_t domains;
} sdf_system_t;

/* Whether the SDK's kernel is the MCS configuration: then budgets, periods
 * and passive PDs are laid out; otherwise they are refused (set by main
 * before parsing, from the SDK's board files). */
extern bool sdf_mcs;
/* Smallest budget and period the MCS kernel accepts (twice its worst-case
 * path estimate) and the largest (one hour), in microseconds. */
#define SDF_MIN_BUDGET_US 20ull
#define SDF_MAX_PERIOD_US 3600000000ull

/* Parses and checks the file's structure and attribute values; program
 * images are found along the search paths. */
void sdf_parse(const char *file, const char *const *search, int n_search, sdf_system_t *sys);
/* The same for a description already in memory (buf[len] must be 0). */
void sdf_parse_buffer(const char *file, const char *buf, size_t len, const char *const *search, int n_search,
                      sdf_system_t *sys);
/* Checks across elements (channels, maps, priorities, ELF symbols). */
void sdf_check(sdf_system_t *sys);
/* hypos:jit_write maps (after every map is known, the trace hooks' too). */
void sdf_check_jit_write(sdf_system_t *sys);

/* Lookups by name: the index of the PD or region, -1 if none; the map of
 * region mr into PD pd, NULL if none. */
int sdf_pd_named(const sdf_system_t *sys, const char *name);
int sdf_mr_named(const sdf_system_t *sys, const char *name);
const sdf_map_t *sdf_map_of(const sdf_system_t *sys, int pd, int mr);

/* When set, called instead of exiting after an error (the fuzzer jumps back). */
extern void (*diag_on_error)(void);
extern bool diag_quiet;
const char *diag_file(void);
void diag_set_file(const char *file);
