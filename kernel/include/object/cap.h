/* Capabilities: two words. Word 0 bits 4..0 hold the type tag (seL4's tags,
 * which seL4_DebugCapIdentify reports); the rest of the layout is ours and
 * documented per type below. Objects are named by oref (see addr.h). */
#pragma once
#include <types.h>
#include <sel4/shared_types.h>

typedef struct cap {
    word_t w0, w1;
} cap_t;

typedef enum cap_type {
    cap_null = seL4_CapTag_Null,
    cap_frame = seL4_CapTag_Frame,
    cap_untyped = seL4_CapTag_Untyped,
    cap_page_table = seL4_CapTag_PageTable,
    cap_endpoint = seL4_CapTag_Endpoint,
    cap_notification = seL4_CapTag_Notification,
    cap_reply = seL4_CapTag_Reply,
    cap_cnode = seL4_CapTag_CNode,
    cap_asid_control = seL4_CapTag_ASIDControl,
    cap_thread = seL4_CapTag_Thread,
    cap_asid_pool = seL4_CapTag_ASIDPool,
    cap_irq_control = seL4_CapTag_IRQControl,
    cap_irq_handler = seL4_CapTag_IRQHandler,
    cap_zombie = seL4_CapTag_Zombie,
    cap_domain = seL4_CapTag_Domain,
    cap_trace_control = 30, /* hypOS_CapTag_TraceControl (<hypos/trace.h>) */
#ifdef CONFIG_KERNEL_MCS
    cap_sched_context = seL4_CapTag_SchedContext,
    cap_sched_control = seL4_CapTag_SchedControl,
#endif
} cap_type_t;

/* Rights as in seL4_CapRights_t. */
#define RIGHT_WRITE 1u
#define RIGHT_READ 2u
#define RIGHT_GRANT 4u
#define RIGHT_GRANT_REPLY 8u
#define RIGHTS_ALL 0xfu

/* Frame VM rights (seL4's VMRights for RISC-V). */
#define VM_KERNEL_ONLY 1u
#define VM_READ_ONLY 2u
#define VM_READ_WRITE 3u

/* Frame size classes. */
#define FRAME_4K 0u
#define FRAME_2M 1u
#define FRAME_1G 2u

static inline cap_type_t cap_get_type(cap_t c) { return (cap_type_t)(c.w0 & 0x1f); }
static inline bool cap_is_null(cap_t c) { return cap_get_type(c) == cap_null; }
static inline cap_t cap_null_new(void) { return (cap_t){0, 0}; }
static inline word_t bits_get(word_t w, unsigned lo, unsigned n) { return (w >> lo) & MASK(n); }

/* untyped: w0 = tag | isDevice<<5 | sizeBits<<6 | freeIndex<<12 (16-byte units); w1 = oref */
static inline cap_t cap_untyped_new(word_t oref, word_t size_bits, bool dev, word_t free_bytes)
{
    return (cap_t){cap_untyped | ((word_t)dev << 5) | (size_bits << 6) | ((free_bytes >> 4) << 12), oref};
}
static inline word_t cap_untyped_ptr(cap_t c) { return c.w1; }
static inline word_t cap_untyped_size_bits(cap_t c) { return bits_get(c.w0, 6, 6); }
static inline bool cap_untyped_is_device(cap_t c) { return bits_get(c.w0, 5, 1); }
static inline word_t cap_untyped_free_bytes(cap_t c) { return (c.w0 >> 12) << 4; }
static inline cap_t cap_untyped_set_free_bytes(cap_t c, word_t free_bytes)
{
    c.w0 = (c.w0 & MASK(12)) | ((free_bytes >> 4) << 12);
    return c;
}

/* endpoint: w0 = tag | rights<<5 | (oref>>4)<<12; w1 = badge */
static inline cap_t cap_endpoint_new(word_t oref, word_t badge, word_t rights)
{
    return (cap_t){cap_endpoint | ((rights & RIGHTS_ALL) << 5) | ((oref >> 4) << 12), badge};
}
static inline word_t cap_endpoint_ptr(cap_t c) { return (c.w0 >> 12) << 4; }
static inline word_t cap_endpoint_badge(cap_t c) { return c.w1; }
static inline word_t cap_endpoint_rights(cap_t c) { return bits_get(c.w0, 5, 4); }

/* notification: w0 = tag | rights(W,R)<<5 | (oref>>4)<<12; w1 = badge */
static inline cap_t cap_notification_new(word_t oref, word_t badge, word_t rights)
{
    return (cap_t){cap_notification | ((rights & (RIGHT_READ | RIGHT_WRITE)) << 5) | ((oref >> 4) << 12), badge};
}
static inline word_t cap_notification_ptr(cap_t c) { return (c.w0 >> 12) << 4; }
static inline word_t cap_notification_badge(cap_t c) { return c.w1; }
static inline word_t cap_notification_rights(cap_t c) { return bits_get(c.w0, 5, 4); }

/* badge and rights are set the same way for endpoints and notifications */
static inline cap_t cap_set_badge(cap_t c, word_t badge)
{
    c.w1 = badge;
    return c;
}
static inline cap_t cap_set_ipc_rights(cap_t c, word_t rights)
{
    c.w0 = (c.w0 & ~(MASK(4) << 5)) | ((rights & RIGHTS_ALL) << 5);
    return c;
}

/* reply (non-MCS): w0 = tag | master<<5 | canGrant<<6 | traced<<7; w1 =
 * tcb oref. traced: the caller waits for the reply to a Call through a
 * traced endpoint (the fastpath finds it in the bits it tests anyway). */
#define CAP_REPLY_TRACED BIT(7)
static inline cap_t cap_reply_new(word_t tcb, bool master, bool can_grant)
{
    return (cap_t){cap_reply | ((word_t)master << 5) | ((word_t)can_grant << 6), tcb};
}
static inline word_t cap_reply_tcb(cap_t c) { return c.w1; }
static inline bool cap_reply_is_master(cap_t c) { return bits_get(c.w0, 5, 1); }
static inline bool cap_reply_can_grant(cap_t c) { return bits_get(c.w0, 6, 1); }
static inline cap_t cap_reply_set_can_grant(cap_t c, bool g)
{
    c.w0 = (c.w0 & ~BIT(6)) | ((word_t)g << 6);
    return c;
}

/* cnode: w0 = tag | oneLevel<<5 | radix<<6 | guardSize<<12 | (oref>>5)<<19;
 * w1 = guard << radix (the cptr bits the guard must equal, in place).
 * oneLevel (derived: guard and radix take the whole word) marks the CSpace
 * shape the IPC fastpath resolves without the general walk: cptr - w1 is
 * the slot index, if it is below 2^radix. */
#define CAP_CNODE_ONE_LEVEL BIT(5)
static inline cap_t cap_cnode_new(word_t oref, word_t radix, word_t guard_size, word_t guard)
{
    word_t one_level = radix + guard_size == WORD_BITS ? CAP_CNODE_ONE_LEVEL : 0;
    return (cap_t){cap_cnode | one_level | (radix << 6) | (guard_size << 12) | ((oref >> 5) << 19), guard << radix};
}
static inline word_t cap_cnode_ptr(cap_t c) { return (c.w0 >> 19) << 5; }
static inline word_t cap_cnode_radix(cap_t c) { return bits_get(c.w0, 6, 6); }
static inline word_t cap_cnode_guard_size(cap_t c) { return bits_get(c.w0, 12, 7); }
static inline word_t cap_cnode_guard(cap_t c) { return c.w1 >> cap_cnode_radix(c); }
/* a cptr's slot index in a one-level CNode, if below 2^radix */
static inline word_t cap_cnode_one_level_index(cap_t c, word_t cptr) { return cptr - c.w1; }

/* thread: w1 = tcb oref */
static inline cap_t cap_thread_new(word_t tcb) { return (cap_t){cap_thread, tcb}; }
static inline word_t cap_thread_ptr(cap_t c) { return c.w1; }

static inline cap_t cap_irq_control_new(void) { return (cap_t){cap_irq_control, 0}; }
static inline cap_t cap_irq_handler_new(word_t irq) { return (cap_t){cap_irq_handler, irq}; }
static inline word_t cap_irq_handler_irq(cap_t c) { return c.w1; }
static inline cap_t cap_domain_new(void) { return (cap_t){cap_domain, 0}; }
/* The trace control cap: no object, no data. */
static inline cap_t cap_trace_control_new(void) { return (cap_t){cap_trace_control, 0}; }
#ifdef CONFIG_KERNEL_MCS
/* reply (MCS): w0 = tag | canGrant<<6; w1 = reply object oref (the same
 * word the non-MCS reply cap keeps its thread in) */
static inline cap_t cap_reply_object_new(word_t reply, bool can_grant)
{
    return (cap_t){cap_reply | ((word_t)can_grant << 6), reply};
}
static inline word_t cap_reply_ptr(cap_t c) { return c.w1; }
/* sched context: w0 = tag | sizeBits<<5; w1 = oref */
static inline cap_t cap_sched_context_new(word_t oref, word_t size_bits)
{
    return (cap_t){cap_sched_context | (size_bits << 5), oref};
}
static inline word_t cap_sched_context_ptr(cap_t c) { return c.w1; }
static inline word_t cap_sched_context_size_bits(cap_t c) { return bits_get(c.w0, 5, 6); }
/* sched control: w1 = the core whose time it configures */
static inline cap_t cap_sched_control_new(word_t core) { return (cap_t){cap_sched_control, core}; }
#endif
static inline cap_t cap_asid_control_new(void) { return (cap_t){cap_asid_control, 0}; }

/* asid pool: w0 = tag | asidBase<<5; w1 = oref */
static inline cap_t cap_asid_pool_new(word_t oref, word_t asid_base)
{
    return (cap_t){cap_asid_pool | (asid_base << 5), oref};
}
static inline word_t cap_asid_pool_ptr(cap_t c) { return c.w1; }
static inline word_t cap_asid_pool_base(cap_t c) { return bits_get(c.w0, 5, 16); }

/* frame: w0 = tag | size<<5 | vmrights<<7 | dev<<9 | asid<<10 | (oref>>12)<<26; w1 = mapped vaddr */
static inline cap_t cap_frame_new(word_t oref, word_t size, word_t vmrights, bool dev, word_t asid, word_t vaddr)
{
    return (cap_t){cap_frame | (size << 5) | (vmrights << 7) | ((word_t)dev << 9) | (asid << 10) | ((oref >> 12) << 26),
                   vaddr};
}
static inline word_t cap_frame_ptr(cap_t c) { return (c.w0 >> 26) << 12; }
static inline word_t cap_frame_size(cap_t c) { return bits_get(c.w0, 5, 2); }
static inline word_t cap_frame_vmrights(cap_t c) { return bits_get(c.w0, 7, 2); }
static inline bool cap_frame_is_device(cap_t c) { return bits_get(c.w0, 9, 1); }
static inline word_t cap_frame_asid(cap_t c) { return bits_get(c.w0, 10, 16); }
static inline word_t cap_frame_vaddr(cap_t c) { return c.w1; }
static inline cap_t cap_frame_set_vmrights(cap_t c, word_t r)
{
    c.w0 = (c.w0 & ~(MASK(2) << 7)) | (r << 7);
    return c;
}
static inline cap_t cap_frame_set_mapping(cap_t c, word_t asid, word_t vaddr)
{
    c.w0 = (c.w0 & ~(MASK(16) << 10)) | (asid << 10);
    c.w1 = vaddr;
    return c;
}

/* page table: w0 = tag | mapped<<5 | asid<<6 | (oref>>12)<<22; w1 = mapped vaddr */
static inline cap_t cap_page_table_new(word_t oref, bool mapped, word_t asid, word_t vaddr)
{
    return (cap_t){cap_page_table | ((word_t)mapped << 5) | (asid << 6) | ((oref >> 12) << 22), vaddr};
}
static inline word_t cap_page_table_ptr(cap_t c) { return (c.w0 >> 22) << 12; }
static inline bool cap_page_table_is_mapped(cap_t c) { return bits_get(c.w0, 5, 1); }
static inline word_t cap_page_table_asid(cap_t c) { return bits_get(c.w0, 6, 16); }
static inline word_t cap_page_table_vaddr(cap_t c) { return c.w1; }

/* zombie: an object whose last capability is being deleted. It counts down
 * the object's slots still to be emptied. Deletion needs no recursion: the
 * zombies of one deletion form a chain, each child zombie lying in the
 * slot its parent empties next, and each non-root zombie links to its
 * parent's slot. The root (the zombie the deletion started from) links
 * instead to the chain's deepest zombie, where work resumes after a
 * preemption (see cte.c). A CNode zombie keeps its radix: until the count
 * reaches zero the object's memory is in use, and the zombie covers it in
 * the derivation tree as the CNode cap did.
 * w0 = tag | kind<<5 | radix<<6 | slots<<12 (34 bits) | root<<46 | link_lo<<47 (17 bits)
 * w1 = obj>>5 (33 bits) | link_hi<<33 (16 bits) -- obj and link are orefs >> 5,
 * enough for the kernel's physical-memory window (below 2^38). */
#define ZOMBIE_CNODE 0u
#define ZOMBIE_TCB 1u
static inline cap_t cap_zombie_new(word_t obj, word_t kind, word_t radix, word_t slots, bool root, word_t link)
{
    word_t l = link >> 5;
    return (cap_t){cap_zombie | (kind << 5) | ((radix & MASK(6)) << 6) | ((slots & MASK(34)) << 12) |
                       ((word_t)root << 46) | ((l & MASK(17)) << 47),
                   ((obj >> 5) & MASK(33)) | (((l >> 17) & MASK(16)) << 33)};
}
static inline word_t cap_zombie_obj(cap_t c) { return (c.w1 & MASK(33)) << 5; }
static inline word_t cap_zombie_kind(cap_t c) { return bits_get(c.w0, 5, 1); }
static inline word_t cap_zombie_radix(cap_t c) { return bits_get(c.w0, 6, 6); }
static inline word_t cap_zombie_slots(cap_t c) { return bits_get(c.w0, 12, 34); }
static inline bool cap_zombie_is_root(cap_t c) { return bits_get(c.w0, 46, 1); }
/* root: the slot of the chain's deepest zombie; otherwise the parent's slot */
static inline word_t cap_zombie_link(cap_t c) { return (bits_get(c.w0, 47, 17) | (bits_get(c.w1, 33, 16) << 17)) << 5; }
static inline cap_t cap_zombie_set_slots(cap_t c, word_t n)
{
    c.w0 = (c.w0 & ~(MASK(34) << 12)) | ((n & MASK(34)) << 12);
    return c;
}
static inline cap_t cap_zombie_set_link(cap_t c, bool root, word_t link)
{
    return cap_zombie_new(cap_zombie_obj(c), cap_zombie_kind(c), cap_zombie_radix(c), cap_zombie_slots(c), root, link);
}
