/* The system specification the microkit tool emits and the initialiser
 * carries out: every kernel object, capability, mapping, interrupt and
 * thread of a static system, decided on the host. The initialiser only
 * retypes, mints, maps, copies and starts, in the order of the tables.
 *
 * Layout: spec_header, then the tables at the offsets the header names
 * (each 8-byte aligned), then the names (NUL-terminated strings) and the
 * data bytes that frames are filled with. All integers little-endian.
 * Shared by the host tool and the riscv64 initialiser, so only fixed-width
 * types are used. */
#pragma once
#include <stdint.h>
#include "trace_spec.h"

#define HYPOS_SPEC_MAGIC 0x3143455053534f48ull /* "HOSSPEC1" */
#define HYPOS_SPEC_VERSION 6

/* Object slot numbers are indices into the object table; the initialiser
 * keeps object i's original cap in its CNode at (first free slot + i) and
 * the extra caps (copies, badged notifications, IRQ handlers) after the
 * objects, at (first free slot + n_objects + extra index). */
#define SPEC_NONE 0xffffffffu

enum spec_object_flags {
    SPEC_OBJ_FIXED = 1 << 0,  /* paddr names the exact physical address */
    SPEC_OBJ_DEVICE = 1 << 1, /* fixed and outside RAM: from a device untyped */
    SPEC_OBJ_VSPACE = 1 << 2, /* a top-level page table: gets an ASID */
    SPEC_OBJ_WINDOW = 1 << 3, /* a page table of the initialiser's copy window */
};

/* Objects are listed in the order they are created: by boot untyped, and
 * within one by address, so that each untyped's watermark only grows. */
typedef struct spec_object {
    uint32_t type;      /* seL4 object type number */
    uint32_t size_bits; /* user size for CNodes (radix); object size otherwise */
    uint32_t flags;
    uint32_t name;    /* offset into the names, for debugging */
    uint64_t paddr;   /* where the tool placed it (SPEC_OBJ_FIXED: where it must be) */
    uint32_t untyped; /* index into the boot untyped table it is carved from */
    uint32_t pad;
} spec_object_t;

/* The kernel's boot untyped list as the tool replayed it (boot info
 * order). The table always has room for SPEC_MAX_UNTYPEDS entries, so
 * that the specification's size does not depend on the list. */
#define SPEC_MAX_UNTYPEDS 230
typedef struct spec_untyped {
    uint64_t paddr;
    uint32_t size_bits;
    uint32_t device;
} spec_untyped_t;

/* Carving object after object, the initialiser skips a gap in an untyped
 * [next, to) by retyping untypeds of these sizes (the largest aligned
 * block that fits each time); the tool counts them the same way. */
static inline uint32_t spec_filler_bits(uint64_t next, uint64_t to)
{
    uint32_t bits = 4;
    while (bits < 63 && !(next & ((1ull << (bits + 1)) - 1)) && next + (1ull << (bits + 1)) <= to)
        bits++;
    return bits;
}

/* A capability in a PD's CNode: a copy of an object's cap (or of an extra
 * root cap, for IRQ handlers) minted with rights and badge. */
enum spec_cap_source { SPEC_CAP_OBJECT = 0, SPEC_CAP_EXTRA = 1 };
typedef struct spec_cap {
    uint32_t cnode;  /* object index of the destination CNode */
    uint32_t slot;   /* slot in that CNode */
    uint32_t source; /* object index or extra index */
    uint32_t kind;   /* enum spec_cap_source */
    uint64_t rights; /* seL4_CapRights_t word */
    uint64_t badge;  /* 0: none */
} spec_cap_t;

/* A page table or frame mapped into a VSpace. Frames mapped more than once
 * use a copy of the cap (extra != SPEC_NONE: the initialiser copies the
 * object's cap into that extra slot first). */
enum spec_map_kind { SPEC_MAP_PAGE_TABLE = 0, SPEC_MAP_FRAME = 1 };
typedef struct spec_map {
    uint32_t object;
    uint32_t vspace; /* object index of the VSpace root */
    uint32_t kind;   /* enum spec_map_kind */
    uint32_t extra;  /* extra slot holding a copy, or SPEC_NONE */
    uint64_t vaddr;
    uint64_t rights; /* seL4_CapRights_t word (frames) */
    uint64_t attrs;  /* seL4_RISCV_VMAttributes (frames) */
} spec_map_t;

/* Bytes copied into a frame before it is mapped anywhere. */
typedef struct spec_fill {
    uint32_t object; /* the frame */
    uint32_t offset; /* byte offset in the frame */
    uint32_t data;   /* offset into the data area */
    uint32_t size;
} spec_fill_t;

/* An interrupt: the handler is made in extra slot `handler`, a badged copy
 * of the notification in extra slot `badged`, and the handler delivers to it. */
typedef struct spec_irq {
    uint32_t irq;
    uint32_t trigger;      /* 0 level, 1 edge */
    uint32_t handler;      /* extra slot */
    uint32_t badged;       /* extra slot */
    uint32_t notification; /* object index */
    uint32_t pad;
    uint64_t badge;
} spec_irq_t;

/* A thread: configured, given its priority and registers, then resumed.
 * On MCS kernels it also has a scheduling context (sc), configured with
 * budget and period (microseconds) and bound to it before it starts; a
 * passive thread gives that SC up itself after its initialisation. The
 * fault endpoint is then the cap at fault_ep in the thread's own CSpace,
 * copied into the TCB as MCS kernels take it. */
typedef struct spec_tcb {
    uint32_t tcb, cnode, vspace, ipc_frame; /* object indices */
    uint32_t bound_notification;            /* object index or SPEC_NONE */
    uint32_t cnode_bits;                    /* CSpace guard = 64 - bits */
    uint32_t priority, mcp;
    uint64_t fault_ep; /* cptr in the thread's own CSpace */
    uint64_t ipc_vaddr, pc, sp;
    uint32_t name;   /* offset into the names */
    uint32_t domain; /* DomainSet_Set before it starts (with a schedule) */
    uint32_t sc;     /* object index (MCS) or SPEC_NONE */
    uint32_t flags;  /* seL4_TCBFlag bits set before it starts (fpuDisabled) */
    uint64_t budget_us, period_us;
} spec_tcb_t;

/* One entry of the domain schedule, written with
 * DomainSet_ScheduleConfigure(index, domain, ticks); ticks 0 is an end
 * marker. */
typedef struct spec_domain_entry {
    uint32_t index;
    uint32_t domain;
    uint64_t ticks;
} spec_domain_entry_t;

/* Boot measurements (hypOS, docs/control-plane-security.md): what the
 * initialiser hashes with SHA-256 before any thread starts, in log order.
 * The kernel is the copy the tool placed beside the specification
 * (hypos_kernel_copy: the kernel's loadable bytes, the root task image
 * left out); the system is the specification as the initialiser finds
 * it without the PD programs' bytes (spec_system_piece); a PD is the bytes of its program image the tool packed (its
 * fills' bytes, [data, data + size) of the data area, after every
 * variable was patched). */
enum spec_measure_kind { SPEC_MEASURE_KERNEL = 16, SPEC_MEASURE_SYSTEM = 17, SPEC_MEASURE_PD = 18 };
typedef struct spec_measure {
    uint32_t kind;  /* enum spec_measure_kind (the log's kinds) */
    uint32_t index; /* PD index (the monitor: number of PDs), else 0 */
    uint32_t name;  /* offset into the names: "kernel", "system", the PD's name */
    uint32_t what;  /* offset into the names: what was hashed, in words */
    uint64_t data;  /* PDs: offset into the data area */
    uint64_t size;  /* PDs: bytes */
} spec_measure_t;
/* The boot log region's frames (object indices), at most this many. */
#define SPEC_BOOTLOG_MAX_FRAMES 4

typedef struct spec_header {
    uint64_t magic;
    uint32_t version;
    uint32_t header_size; /* sizeof(spec_header_t) */
    uint64_t total_size;
    uint32_t n_objects, n_extra, n_caps, n_maps, n_fills, n_irqs, n_tcbs;
    uint32_t n_domain_entries; /* 0: no domain schedule, every thread in domain 0 */
    uint64_t off_objects, off_caps, off_maps, off_fills, off_irqs, off_tcbs, off_names, off_data;
    uint64_t window_vaddr;  /* where the initialiser maps frames to fill them */
    uint32_t window_pts[2]; /* its page tables (level 1, level 0) */
    uint64_t untyped_bytes; /* RAM the objects need, for the boot report */
    uint64_t off_domain_entries;
    uint64_t domain_start; /* ScheduleSetStart once every thread is started */
    uint32_t mcs;          /* 1: laid out for an MCS kernel (SCs, reply objects) */
    uint32_t n_untypeds;   /* entries of the untyped table in use */
    uint64_t off_untypeds; /* SPEC_MAX_UNTYPEDS entries */
    uint32_t n_fillers;    /* untypeds retyped to skip gaps (slots they need) */
    uint32_t pad1;
    /* kernel trace rings and hooks (trace_spec.h) */
    uint64_t off_trace_rings, off_trace_hooks;
    uint32_t n_trace_rings, n_trace_hooks;
    /* boot measurements and the region the initialiser writes them into
     * (hypos:boot_log; none: n_bootlog_frames 0, nothing is measured) */
    uint64_t off_measures;
    uint32_t n_measures;
    uint32_t n_bootlog_frames;
    uint32_t bootlog_frames[SPEC_BOOTLOG_MAX_FRAMES];
} spec_header_t;

/* The system measurement hashes the whole specification except the PD
 * programs' bytes, which their own entries cover (each byte is hashed
 * once): piece k of it, for k = 0, 1, ... in order. 1 and the piece, 0
 * after the last, -1 when the PD ranges are not in ascending order or
 * outside the specification. */
static inline int spec_system_piece(const spec_header_t *h, const spec_measure_t *ms, uint32_t k, uint64_t *off,
                                    uint64_t *len)
{
    uint64_t at = 0;
    uint32_t piece = 0;
    for (uint32_t i = 0; i <= h->n_measures; i++) {
        uint64_t end = h->total_size, next = h->total_size;
        if (i < h->n_measures) {
            if (ms[i].kind != SPEC_MEASURE_PD)
                continue;
            end = h->off_data + ms[i].data;
            next = end + ms[i].size;
            if (next < end || next > h->total_size)
                return -1;
        }
        if (end < at)
            return -1;
        if (piece++ == k) {
            *off = at;
            *len = end - at;
            return 1;
        }
        at = next;
    }
    return 0;
}
