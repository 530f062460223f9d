/* Kernel trace hooks in the bpf PD: programs attached to a trace hook
 * (SEC("trace/<hook name>")) run on every record the kernel writes for
 * it, with the record as a read-only context (hypos/bpf_trace.h). The bpf
 * PD runs them through the PD hook library: each trace hook is a PD hook
 * the bpf PD itself declares, in a memory region other PDs may map
 * read-only to read the programs' maps (bpfhook_map_view). This header
 * gives the declaration of a trace hook (shared with the microkit tool,
 * which verifies programs at build time against the same declaration),
 * the event names of .system files, and the ring consumer. */
#pragma once
#include <hypos/bpfhook.h>
#include <hypos/bpf_trace.h>
#include <stdint.h>

/* Cookies the tool gives the kernel hooks (the records' h.object): the
 * trace hook's index in the system, and the index + 1 of the PD whose
 * object is observed (0: a system-wide hook). */
#define TRACE_COOKIE(hook, pd1) ((uint32_t)(hook) | (uint32_t)(pd1) << 8)
#define TRACE_COOKIE_HOOK(c) ((c)&0xffu)
#define TRACE_COOKIE_PD(c) (((c) >> 8) & 0xffu)
#define BPFTRACE_MAX_HOOKS 127 /* the kernel's hook table */
#define BPFTRACE_MAX_INSNS 1024

/* Bytes of fields after the 16-byte header that records of each type
 * carry (0: no such type): what a program of a hook with that type may
 * read. */
uint32_t bpftrace_type_length(uint32_t type);

/* Name of a record type in .system files ("call", "fault", ...), NULL
 * for none. */
const char *bpftrace_type_name(uint32_t type);

/* Parse a space-separated list of type names, or the groups "ipc"
 * (send call recv reply), "notification" (signal wait), "thread" (sched
 * fault), "irq" (irq irq_ack), "system" (sched fault invoke_fail retype
 * delete): the mask of (1 << type). Returns 0, or -BPF_EINVAL with the
 * first unknown word copied to bad (bad_len bytes). */
int bpftrace_parse_events(const char *list, uint32_t *mask, char *bad, size_t bad_len);

/* The declaration of the trace hook `name` for the record types in
 * `events`: context one record (64 bytes), readable: the header and the
 * longest payload of those types, nothing writable; helpers: map
 * operations, ktime_get_ns, trace_printk, the ring-buffer helpers and
 * pd_notify on the channels in notify_channels; any return value.
 * Returns 0 or -BPF_EINVAL (bad name or mask). */
int bpftrace_decl(const char *name, uint32_t events, uint64_t notify_channels, struct bpfhook_decl *decl);

/* Consume the records of a ring mapped at `ring` (ring_bytes long): call
 * fn(rec, arg) for each record from tail to head, at most max of them,
 * then publish the new tail. A header that does not fit the mapping
 * (capacity, head behind tail, more unread than capacity) consumes
 * nothing and returns -BPF_EINVAL; a ring the kernel has not set up
 * (capacity and head 0) -BPF_ENOENT; otherwise the number of records. */
int64_t bpftrace_drain(void *ring, uint64_t ring_bytes, void (*fn)(const struct trace_record *rec, void *arg),
                       void *arg, uint64_t max);

/* Take the records a hook's live program wrote with the ring-buffer
 * helpers (bpf_ringbuf_output / _reserve + _submit) out of its ring-buffer
 * maps, in order, calling fn(arg, map name, data, len) for each. For the
 * PD that runs the hook (the bpf PD): a ring buffer is consumed where it
 * is produced. Returns the number of records. */
long bpftrace_ringbuf_consume(struct bpfhook *h, void (*fn)(void *arg, const char *map, const void *data, uint32_t len),
                              void *arg);

/* What the microkit tool writes into every PD that defines
 * `struct bpftrace_config hypos_trace_config` (in initialised data): the
 * rings that PD consumes, every trace hook of the system (with where
 * that PD maps the hook's region, if it does) and the PD names programs'
 * cookies refer to. */
#define BPFTRACE_CONFIG_MAGIC 0x3147464345525448ULL /* "HTRECFG1" */
#define BPFTRACE_MAX_RINGS 8
#define BPFTRACE_MAX_TRACE_HOOKS 32
#define BPFTRACE_PD_NAME_LEN 32
#define BPFTRACE_MAX_PDS 63

struct bpftrace_config_ring {
    uint64_t vaddr, size; /* the ring's mapping in this PD */
    uint32_t ring;        /* the kernel's ring number */
    uint32_t channel;     /* the channel id its notification arrives on */
};

struct bpftrace_config_hook {
    char name[BPFHOOK_NAME_LEN];
    uint64_t region, region_size; /* the hook's region in this PD, 0 if not mapped */
    uint32_t events;              /* mask of 1 << record type */
    uint32_t ring;                /* index into rings[] of the consumer, or the kernel ring number for others */
    uint32_t consumer;            /* 1: this PD consumes the hook's ring */
    uint32_t n_objects;           /* kernel hooks it stands for */
};

struct bpftrace_config {
    uint64_t magic;
    uint32_t n_rings, n_hooks, n_pds, reserved;
    struct bpftrace_config_ring rings[BPFTRACE_MAX_RINGS];
    struct bpftrace_config_hook hooks[BPFTRACE_MAX_TRACE_HOOKS];
    char pd_names[BPFTRACE_MAX_PDS][BPFTRACE_PD_NAME_LEN]; /* cookie PD n is pd_names[n - 1] */
};
