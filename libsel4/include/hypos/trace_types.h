/* hypOS kernel trace events: the user-visible ABI.
 *
 * Nothing here changes an seL4 number. The initial thread receives one
 * more capability, the trace control cap, in slot hypOS_CapTraceControl
 * (the first slot after seL4's well-known ones; bootinfo->empty starts
 * after it). With it, and a capability to an object, a thread makes the
 * kernel record that object's events into a ring in a frame it handed the
 * kernel. Records are fixed 64-byte slots: a header (type, length of the
 * fields, timestamp from the time counter) then the fields. A full ring
 * drops the newest record and counts it; nothing is overwritten unread.
 *
 *   hypOS_TraceControl_SetRing(trace, ring, frame, ntfn, threshold)
 *       ring: 0..hypOS_TraceRings-1; frame: a frame cap with write rights
 *       (any page size: 4 KiB holds 63 records); ntfn: a notification cap
 *       (Write right) signalled when the unread records reach threshold,
 *       or seL4_CapNull. The kernel keeps copies of both caps; revoking or
 *       deleting the originals' ancestors detaches the ring and every hook
 *       feeding it. The ring's header is reset.
 *   hypOS_TraceControl_ClearRing(trace, ring)
 *       detach it, and every hook feeding it.
 *   hypOS_TraceControl_Hook(trace, object, ring, events, cookie)
 *       object: an endpoint or notification cap with Read right, a TCB
 *       cap, an IRQHandler cap, or the trace control cap itself for the
 *       system-wide events. events: a mask of HYPOS_TRACE_EV_* the object
 *       can produce; cookie: a number chosen by the caller, carried in
 *       every record of the hook as `object`. Replaces an existing hook on
 *       the same object. Returns the hook's number in MR0.
 *   hypOS_TraceControl_Unhook(trace, object)
 *   hypOS_TraceControl_ThreadId(trace, tcb) -> MR0: the thread's trace id
 *       (the number records use for it; 0 is never a thread).
 *
 * Errors: seL4_IllegalOperation (unknown label; object type cannot be
 * traced), seL4_InvalidCapability (a cap of the wrong type or without the
 * rights above), seL4_RangeError (ring number, event mask),
 * seL4_NotEnoughMemory (all hooks in use), seL4_FailedLookup (Unhook of an
 * object without a hook; a ring not set up), seL4_TruncatedMessage. */
#pragma once
#include <sel4/simple_types.h>
#include <sel4/macros.h>
#include <sel4/bootinfo_types.h>

enum {
    hypOS_CapTraceControl = seL4_NumInitialCaps, /* 16 */
};

/* The trace control cap's tag as seL4_DebugCapIdentify reports it: an even
 * (generic) tag seL4 does not use. */
#define hypOS_CapTag_TraceControl 30

/* Invocation labels on the trace control cap: far above seL4's. */
enum hypos_trace_label {
    hypOS_TraceControlSetRing = 0x4850,
    hypOS_TraceControlClearRing,
    hypOS_TraceControlHook,
    hypOS_TraceControlUnhook,
    hypOS_TraceControlThreadId,
};

#define hypOS_TraceRings 8
#define hypOS_TraceHooks 127

/* Record types. */
enum hypos_trace_type {
    HYPOS_TRACE_IPC_SEND = 1,     /* endpoint: a Send/NBSend delivered or queued */
    HYPOS_TRACE_IPC_CALL = 2,     /* endpoint: a Call delivered or queued */
    HYPOS_TRACE_IPC_RECV = 3,     /* endpoint: a receive took a queued message, or blocked */
    HYPOS_TRACE_IPC_REPLY = 4,    /* endpoint: the reply to a Call that came through it */
    HYPOS_TRACE_SIGNAL = 5,       /* notification: a Signal */
    HYPOS_TRACE_WAIT = 6,         /* notification: a Wait/Poll took a badge, or blocked */
    HYPOS_TRACE_SCHED = 7,        /* thread or system: the scheduler switched threads */
    HYPOS_TRACE_FAULT = 8,        /* thread or system: a thread faulted */
    HYPOS_TRACE_IRQ = 9,          /* IRQ handler: the kernel delivered the interrupt */
    HYPOS_TRACE_IRQ_ACK = 10,     /* IRQ handler: the handler acknowledged it */
    HYPOS_TRACE_INVOKE_FAIL = 11, /* system: an invocation returned an error */
    HYPOS_TRACE_RETYPE = 12,      /* system: Untyped_Retype created objects */
    HYPOS_TRACE_DELETE = 13,      /* system: an object was destroyed (its last cap deleted) */
    HYPOS_TRACE_TYPES
};

#define HYPOS_TRACE_EV(t) (1u << (t))
#define HYPOS_TRACE_EV_ENDPOINT                                                    \
    (HYPOS_TRACE_EV(HYPOS_TRACE_IPC_SEND) | HYPOS_TRACE_EV(HYPOS_TRACE_IPC_CALL) | \
     HYPOS_TRACE_EV(HYPOS_TRACE_IPC_RECV) | HYPOS_TRACE_EV(HYPOS_TRACE_IPC_REPLY))
#define HYPOS_TRACE_EV_NOTIFICATION (HYPOS_TRACE_EV(HYPOS_TRACE_SIGNAL) | HYPOS_TRACE_EV(HYPOS_TRACE_WAIT))
#define HYPOS_TRACE_EV_THREAD (HYPOS_TRACE_EV(HYPOS_TRACE_SCHED) | HYPOS_TRACE_EV(HYPOS_TRACE_FAULT))
#define HYPOS_TRACE_EV_IRQ (HYPOS_TRACE_EV(HYPOS_TRACE_IRQ) | HYPOS_TRACE_EV(HYPOS_TRACE_IRQ_ACK))
#define HYPOS_TRACE_EV_SYSTEM                                                                               \
    (HYPOS_TRACE_EV_THREAD | HYPOS_TRACE_EV(HYPOS_TRACE_INVOKE_FAIL) | HYPOS_TRACE_EV(HYPOS_TRACE_RETYPE) | \
     HYPOS_TRACE_EV(HYPOS_TRACE_DELETE))

/* Flags of IPC and notification records. */
#define HYPOS_TRACE_F_FAST 1u    /* recorded by the IPC fastpath */
#define HYPOS_TRACE_F_QUEUED 2u  /* no partner was waiting: the sender queued */
#define HYPOS_TRACE_F_BLOCKED 4u /* the receiver/waiter blocked (no message yet) */
#define HYPOS_TRACE_F_NONBLOCKING 8u

/* Every record: 64 bytes. `length` counts the bytes of fields after the
 * header that mean something; the bytes after them are unspecified. */
typedef struct hypos_trace_header {
    seL4_Uint16 type;
    seL4_Uint16 length;
    seL4_Uint32 object; /* the hook's cookie */
    seL4_Uint64 time;   /* the time counter (riscv64: `time`; x86_64: TSC) */
} hypos_trace_header_t;

typedef struct hypos_trace_ipc {
    seL4_Uint32 sender;   /* trace ids; 0: none (a receive that blocked) */
    seL4_Uint32 receiver; /* 0: none (a send that queued) */
    seL4_Uint32 flags;
    seL4_Uint32 length; /* message length in words */
    seL4_Uint64 label;
    seL4_Uint64 badge;
} hypos_trace_ipc_t;

typedef struct hypos_trace_ntfn {
    seL4_Uint32 thread; /* signaller, or waiter */
    seL4_Uint32 woken;  /* the thread a Signal woke; 0: none */
    seL4_Uint32 flags;
    seL4_Uint32 pad;
    seL4_Uint64 badge; /* signalled badge, or the word a wait took */
} hypos_trace_ntfn_t;

typedef struct hypos_trace_sched {
    seL4_Uint32 from, to;   /* trace ids; 0 is the idle thread */
    seL4_Uint32 from_state; /* seL4-style thread state of `from` after the switch */
    seL4_Uint32 to_priority;
} hypos_trace_sched_t;

typedef struct hypos_trace_fault {
    seL4_Uint32 thread;
    seL4_Uint32 kind; /* seL4_Fault_* (seL4_Fault_VMFault, ...) */
    seL4_Uint64 pc;
    seL4_Uint64 address; /* VM fault address, cap fault cptr, unknown syscall number */
    seL4_Uint64 code;    /* VM fault FSR, user exception number */
} hypos_trace_fault_t;

typedef struct hypos_trace_irq {
    seL4_Uint32 irq;
    seL4_Uint32 woken; /* IRQ: the thread woken by the notification; 0: none */
    seL4_Uint64 delay; /* IRQ_ACK: time counter ticks since the delivery */
} hypos_trace_irq_t;

typedef struct hypos_trace_invoke_fail {
    seL4_Uint32 thread;
    seL4_Uint32 error; /* seL4_Error */
    seL4_Uint64 label;
    seL4_Uint32 cap_type; /* seL4_CapTag_* of the invoked cap */
    seL4_Uint32 pad;
} hypos_trace_invoke_fail_t;

typedef struct hypos_trace_object {
    seL4_Uint32 thread; /* the invoking thread; 0: none */
    seL4_Uint32 type;   /* RETYPE: seL4 object type; DELETE: seL4_CapTag_* of the object */
    seL4_Uint64 size_bits;
    seL4_Uint64 count; /* RETYPE: objects created */
} hypos_trace_object_t;

typedef struct hypos_trace_record {
    hypos_trace_header_t h;
    union {
        hypos_trace_ipc_t ipc;
        hypos_trace_ntfn_t ntfn;
        hypos_trace_sched_t sched;
        hypos_trace_fault_t fault;
        hypos_trace_irq_t irq;
        hypos_trace_invoke_fail_t invoke_fail;
        hypos_trace_object_t object;
        seL4_Uint64 words[6];
    } u;
} hypos_trace_record_t;

/* The ring: slot 0 of the frame is this header, slots 1..capacity the
 * records. `head` and `tail` count records since SetRing (they never
 * wrap in practice); record n lives in slot 1 + n % capacity. The kernel
 * writes head, dropped and the records; the consumer writes only tail,
 * after it has read records up to it. The kernel never trusts tail: a
 * value that makes the ring look fuller than it is only drops records. */
typedef struct hypos_trace_ring {
    seL4_Uint64 head;      /* records written (kernel) */
    seL4_Uint64 tail;      /* records consumed (consumer) */
    seL4_Uint64 dropped;   /* records dropped because the ring was full (kernel) */
    seL4_Uint32 capacity;  /* record slots (kernel) */
    seL4_Uint32 threshold; /* unread records at which the notification is signalled */
    seL4_Uint64 reserved[4];
} hypos_trace_ring_t;

SEL4_COMPILE_ASSERT(hypos_trace_record_is_64_bytes, sizeof(hypos_trace_record_t) == 64);
SEL4_COMPILE_ASSERT(hypos_trace_ring_is_64_bytes, sizeof(hypos_trace_ring_t) == 64);

static inline hypos_trace_record_t *hypos_trace_slot(hypos_trace_ring_t *r, seL4_Uint64 n)
{
    return (hypos_trace_record_t *)r + 1 + n % r->capacity;
}
