/* Kernel trace records as eBPF programs see them: the context of a
 * program attached to a trace hook (section "trace/<hook name>") is one
 * 64-byte record, read-only. Same layout as the kernel's ABI in
 * <hypos/trace.h> (the bpf PD checks at compile time that both agree);
 * this header needs no other header, so clang -target bpf programs and
 * the host tool can include it. A program handles the record types its
 * hook was declared with and tells them apart by h.type. */
#ifndef HYPOS_BPF_TRACE_H
#define HYPOS_BPF_TRACE_H

#define HYPOS_TRACE_SECTION_PREFIX "trace/"

/* Record types (h.type), as the kernel numbers them. */
enum {
    TRACE_IPC_SEND = 1,
    TRACE_IPC_CALL = 2,
    TRACE_IPC_RECV = 3,
    TRACE_IPC_REPLY = 4,
    TRACE_SIGNAL = 5,
    TRACE_WAIT = 6,
    TRACE_SCHED = 7,
    TRACE_FAULT = 8,
    TRACE_IRQ = 9,
    TRACE_IRQ_ACK = 10,
    TRACE_INVOKE_FAIL = 11,
    TRACE_RETYPE = 12,
    TRACE_DELETE = 13,
    TRACE_NTYPES
};

/* Flags of IPC and notification records. */
#define TRACE_F_FAST 1u
#define TRACE_F_QUEUED 2u
#define TRACE_F_BLOCKED 4u
#define TRACE_F_NONBLOCKING 8u

struct trace_header {
    unsigned short type;
    unsigned short length; /* bytes of fields after the header */
    unsigned int object;   /* the hook's cookie: see "cookies" in docs/bpf-system.md */
    unsigned long long time;
};

struct trace_ipc {
    unsigned int sender, receiver, flags, length;
    unsigned long long label, badge;
};

struct trace_ntfn {
    unsigned int thread, woken, flags, pad;
    unsigned long long badge;
};

struct trace_sched {
    unsigned int from, to, from_state, to_priority;
};

struct trace_fault {
    unsigned int thread, kind;
    unsigned long long pc, address, code;
};

struct trace_irq {
    unsigned int irq, woken;
    unsigned long long delay;
};

struct trace_invoke_fail {
    unsigned int thread, error;
    unsigned long long label;
    unsigned int cap_type, pad;
};

struct trace_object {
    unsigned int thread, type;
    unsigned long long size_bits, count;
};

struct trace_record {
    struct trace_header h;
    union {
        struct trace_ipc ipc;
        struct trace_ntfn ntfn;
        struct trace_sched sched;
        struct trace_fault fault;
        struct trace_irq irq;
        struct trace_invoke_fail invoke_fail;
        struct trace_object object;
        unsigned long long words[6];
    } u;
};

/* The ring in its frame: slot 0 this header, record n in slot
 * 1 + n % capacity; the consumer writes only tail. */
struct trace_ring {
    unsigned long long head, tail, dropped;
    unsigned int capacity, threshold;
    unsigned long long reserved[4];
};

#endif
