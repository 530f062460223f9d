/* User-facing seL4 types and their constructors/accessors. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/objecttype.h>
#include <sel4/shared_types.h>
#include <sel4/syscall.h>
#include <sel4/invocation.h>

#define LIBSEL4_INLINE static inline
#define LIBSEL4_INLINE_FUNC static inline

typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_RISCV_Page;
typedef seL4_CPtr seL4_RISCV_PageTable;
typedef seL4_CPtr seL4_RISCV_ASIDControl;
typedef seL4_CPtr seL4_RISCV_ASIDPool;
typedef seL4_Word seL4_Time;
typedef seL4_Word seL4_VMAttributes;
typedef seL4_Word seL4_RISCV_VMAttributes;

enum {
    seL4_RISCV_ExecuteNever = 0x1,
    seL4_RISCV_Default_VMAttributes = 0,
};

/* Thread flags for seL4_TCB_SetFlags (seL4 14.0.0 and later). A new thread
 * has none set: its FPU is enabled. */
typedef enum {
    seL4_TCBFlag_NoFlag = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    seL4_TCBFlag_MASK = 0x1,
} seL4_TCBFlag;

/* ---- seL4_MessageInfo_t ---- */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Word label, seL4_Word capsUnwrapped,
                                                       seL4_Word extraCaps, seL4_Word length)
{
    seL4_MessageInfo_t m;
    m.words[0] = ((label & 0xfffffffffffffull) << 12) | ((capsUnwrapped & 0x7) << 9) |
                 ((extraCaps & 0x3) << 7) | (length & 0x7f);
    return m;
}
LIBSEL4_INLINE seL4_Word seL4_MessageInfo_get_label(seL4_MessageInfo_t m) { return m.words[0] >> 12; }
LIBSEL4_INLINE seL4_Word seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t m) { return (m.words[0] >> 9) & 0x7; }
LIBSEL4_INLINE seL4_Word seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t m) { return (m.words[0] >> 7) & 0x3; }
LIBSEL4_INLINE seL4_Word seL4_MessageInfo_get_length(seL4_MessageInfo_t m) { return m.words[0] & 0x7f; }
LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_label(seL4_MessageInfo_t m, seL4_Word v)
{
    m.words[0] = (m.words[0] & 0xfffull) | ((v & 0xfffffffffffffull) << 12);
    return m;
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_capsUnwrapped(seL4_MessageInfo_t m, seL4_Word v)
{
    m.words[0] = (m.words[0] & ~(0x7ull << 9)) | ((v & 0x7) << 9);
    return m;
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_extraCaps(seL4_MessageInfo_t m, seL4_Word v)
{
    m.words[0] = (m.words[0] & ~(0x3ull << 7)) | ((v & 0x3) << 7);
    return m;
}
LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_set_length(seL4_MessageInfo_t m, seL4_Word v)
{
    m.words[0] = (m.words[0] & ~0x7full) | (v & 0x7f);
    return m;
}

/* ---- seL4_CapRights_t: Write bit0, Read bit1, Grant bit2, GrantReply bit3 ---- */
typedef struct seL4_CapRights {
    seL4_Word words[1];
} seL4_CapRights_t;

LIBSEL4_INLINE seL4_CapRights_t seL4_CapRights_new(seL4_Word grantReply, seL4_Word grant, seL4_Word read,
                                                   seL4_Word write)
{
    seL4_CapRights_t r;
    r.words[0] = ((grantReply & 1) << 3) | ((grant & 1) << 2) | ((read & 1) << 1) | (write & 1);
    return r;
}
LIBSEL4_INLINE seL4_Word seL4_CapRights_get_capAllowGrantReply(seL4_CapRights_t r) { return (r.words[0] >> 3) & 1; }
LIBSEL4_INLINE seL4_Word seL4_CapRights_get_capAllowGrant(seL4_CapRights_t r) { return (r.words[0] >> 2) & 1; }
LIBSEL4_INLINE seL4_Word seL4_CapRights_get_capAllowRead(seL4_CapRights_t r) { return (r.words[0] >> 1) & 1; }
LIBSEL4_INLINE seL4_Word seL4_CapRights_get_capAllowWrite(seL4_CapRights_t r) { return r.words[0] & 1; }

#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)

/* ---- seL4_CNode_CapData: guardSize 5..0, guard 63..6 ---- */
typedef struct seL4_CNode_CapData {
    seL4_Word words[1];
} seL4_CNode_CapData_t;

LIBSEL4_INLINE seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Word guard, seL4_Word guardSize)
{
    seL4_CNode_CapData_t d;
    d.words[0] = (guard << 6) | (guardSize & 0x3f);
    return d;
}
LIBSEL4_INLINE seL4_Word seL4_CNode_CapData_get_guard(seL4_CNode_CapData_t d) { return d.words[0] >> 6; }
LIBSEL4_INLINE seL4_Word seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_t d) { return d.words[0] & 0x3f; }

/* Lookup-failure description words after FailedLookup / in a CapFault. */
enum {
    seL4_CapFault_IP = 0,
    seL4_CapFault_Addr,
    seL4_CapFault_InRecvPhase,
    seL4_CapFault_LookupFailureType,
    seL4_CapFault_BitsLeft,
    seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_BitsFound,
    seL4_CapFault_Length,
};
