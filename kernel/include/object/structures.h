/* Kernel object layouts. Every object lives in memory retyped from an
 * untyped; sizes must match the seL4 object sizes user space allocates. */
#pragma once
#include <types.h>
#include <object/cap.h>
#include <sel4/constants.h>
#include <arch/tcb.h>
#include <api/errors.h>

/* Derivation-tree node: one doubly linked list in preorder of the tree.
 * prev word: pointer | revocable<<0 | firstBadged<<1 (CTEs are 32-byte aligned). */
typedef struct mdb_node {
    word_t prev_flags;
    word_t next;
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;

_Static_assert(sizeof(cte_t) == (1u << seL4_SlotBits), "a CNode slot is 32 bytes");

#define MDB_REVOCABLE 1ull
#define MDB_FIRST_BADGED 2ull
#define MDB_FLAGS 3ull

static inline cte_t *mdb_prev(const cte_t *c) { return (cte_t *)(uintptr_t)(c->mdb.prev_flags & ~MDB_FLAGS); }
static inline cte_t *mdb_next(const cte_t *c) { return (cte_t *)(uintptr_t)c->mdb.next; }
static inline bool mdb_revocable(const cte_t *c) { return c->mdb.prev_flags & MDB_REVOCABLE; }
static inline bool mdb_first_badged(const cte_t *c) { return c->mdb.prev_flags & MDB_FIRST_BADGED; }
static inline void mdb_set_prev(cte_t *c, cte_t *p)
{
    c->mdb.prev_flags = (c->mdb.prev_flags & MDB_FLAGS) | (word_t)(uintptr_t)p;
}
static inline void mdb_set_next(cte_t *c, cte_t *n) { c->mdb.next = (word_t)(uintptr_t)n; }
static inline void mdb_set_flags(cte_t *c, bool revocable, bool first_badged)
{
    c->mdb.prev_flags =
        (c->mdb.prev_flags & ~MDB_FLAGS) | (revocable ? MDB_REVOCABLE : 0) | (first_badged ? MDB_FIRST_BADGED : 0);
}

typedef enum thread_state {
    ThreadState_Inactive = 0,
    ThreadState_Running,
    ThreadState_Restart,
    ThreadState_BlockedOnReceive,
    ThreadState_BlockedOnSend,
    ThreadState_BlockedOnReply,
    ThreadState_BlockedOnNotification,
    ThreadState_IdleThreadState,
} thread_state_t;

/* Slots of the small CNode every TCB carries (as in seL4). With MCS the
 * reply and caller slots give way to the fault and timeout handler caps,
 * copied in when the thread is configured. */
#ifdef CONFIG_KERNEL_MCS
enum tcb_cnode_index {
    tcbCTable = 0,
    tcbVTable = 1,
    tcbBuffer = 2,
    tcbFaultHandler = 3,
    tcbTimeoutHandler = 4,
    TCB_CNODE_SLOTS = 5,
};
#else
enum tcb_cnode_index {
    tcbCTable = 0,
    tcbVTable = 1,
    tcbReply = 2,
    tcbCaller = 3,
    tcbBuffer = 4,
    TCB_CNODE_SLOTS = 5,
};
#endif

/* Fault being delivered, kept until the handler has replied. type is
 * seL4's fault number (0 = none); w[] holds the fault's own words. */
typedef struct fault {
    word_t type;
    word_t w[3];
} fault_t;

#define FAULT_NULL 0
#define FAULT_CAP 1
#define FAULT_UNKNOWN_SYSCALL 2
#define FAULT_USER_EXCEPTION 3
#ifdef CONFIG_KERNEL_MCS
#define FAULT_TIMEOUT 5
#define FAULT_VM 6
#else
#define FAULT_VM 5
#endif

/* User register file: regs[0] is the pc to resume at, regs[n] is xn. */
#define N_CONTEXT_REGS 32
typedef struct user_context {
    word_t regs[N_CONTEXT_REGS];
    word_t fault_pc; /* pc of the instruction that trapped (sepc at entry) */
} user_context_t;

typedef struct tcb {
    cte_t ctes[TCB_CNODE_SLOTS]; /* first: deletion treats them as object slots */
    user_context_t ctx;
    word_t state;
    word_t ipc_buffer; /* user address of the IPC buffer */
    word_t priority;
    word_t mcp;
    word_t domain;
#ifdef CONFIG_KERNEL_MCS
    struct sched_context *sc;                /* the SC it runs on, its own or donated; NULL: passive */
    struct sched_context *yield_to;          /* the SC it gave its time to with YieldTo */
    struct reply *reply;                     /* BlockedOnReceive: the reply object it waits with;
                                       BlockedOnReply: the one its caller's right is in */
    struct tcb *release_next, *release_prev; /* release queue (kernel/src/mcs/sched_mcs.c) */
    bool in_release_queue;
#else
    word_t fault_handler; /* CPtr, looked up at fault time */
    word_t time_slice;
#endif
    bool sched_queued;
    struct tcb *sched_next, *sched_prev;
    /* endpoint or notification wait queue */
    struct tcb *ep_next, *ep_prev;
    void *blocking_object;
    word_t blocking_badge;
    bool blocking_can_grant;
    bool blocking_can_grant_reply;
    bool blocking_is_call;
    struct notification *bound_notification;
    fault_t fault;
    lookup_fault_t lookup_fault; /* of the last cap fault, for its message */
    arch_tcb_t arch;
    char name[32];
    word_t trace_id;    /* the number trace records use for the thread (a word: the record takes it as one) */
    uint8_t trace_hook; /* its trace hook (kernel/include/trace/trace.h), 0: none */
    /* waiting for the reply to a Call through a traced endpoint: that
     * endpoint's hook and the hook's generation, so the reply is recorded */
    uint8_t trace_reply_hook;
    uint16_t trace_reply_gen;
#ifdef HYPOS_PRINTING
    struct tcb *debug_next, *debug_prev; /* every TCB, for DebugDumpScheduler */
#endif
} tcb_t;

_Static_assert(sizeof(tcb_t) <= (1u << seL4_TCBBits), "TCB fits its object size");

/* Endpoint (16 bytes): queue head with the state in its low bits, queue tail. */
typedef struct endpoint {
    word_t head_state;
    word_t tail;
} endpoint_t;
_Static_assert(sizeof(endpoint_t) == (1u << seL4_EndpointBits), "endpoint size");

/* Notification (32 bytes; 64 with MCS, which adds the SC bound to it). */
typedef struct notification {
    word_t head_state;
    word_t tail;
    word_t badge_word;
    struct tcb *bound_tcb;
#ifdef CONFIG_KERNEL_MCS
    struct sched_context *sc; /* lent to a passive thread it wakes */
#endif
} notification_t;
_Static_assert(sizeof(notification_t) <= (1u << seL4_NotificationBits), "notification size");
