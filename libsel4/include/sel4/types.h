/* User-facing seL4 types and their constructors and accessors. The
 * word-sized records (message info, rights, CNode cap data) have the
 * accessor families seL4's generated bitfield code provides: _new,
 * _get_F, _set_F on values and _ptr_new, _ptr_get_F, _ptr_set_F through
 * pointers. Layouts: seL4 manual ch. 4 (message info) and 3 (rights). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/errors.h>
#include <sel4/objecttype.h>
#include <sel4/shared_types.h>
#include <sel4/syscall.h>
#include <sel4/invocation.h>
#include <sel4/arch/types.h>

typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
/* MCS object caps: the names exist in every configuration, as on seL4. */
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;
typedef seL4_Uint64 seL4_Time;

/* "No data" for the cspace_root_data / vspace_root_data arguments. */
#define seL4_NilData 0

/* Optional per-thread features (TCB_SetFlags, seL4 14.0.0 and later). A
 * new thread has none set: its FPU is enabled. */
typedef enum {
    seL4_TCBFlag_NoFlag = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_TCBFlag),
    seL4_TCBFlag_MASK = seL4_TCBFlag_fpuDisabled,
} seL4_TCBFlag;

/* Fields of a word-sized record at bit offset `shift`, `width` bits wide. */
#define SEL4_FIELD_MASK(width) ((width) == 64 ? ~0ull : (1ull << (width)) - 1)
LIBSEL4_INLINE seL4_Uint64 seL4_hyp_field_get(seL4_Uint64 w, unsigned shift, unsigned width)
{
    return (w >> shift) & SEL4_FIELD_MASK(width);
}
LIBSEL4_INLINE seL4_Uint64 seL4_hyp_field_set(seL4_Uint64 w, unsigned shift, unsigned width, seL4_Uint64 v)
{
    return (w & ~(SEL4_FIELD_MASK(width) << shift)) | ((v & SEL4_FIELD_MASK(width)) << shift);
}

/* Accessors of one field of a one-word record type T_t. */
#define SEL4_WORD_RECORD_FIELD(T, F, shift, width)                                                                 \
    LIBSEL4_INLINE seL4_Uint64 T##_get_##F(T##_t r) { return seL4_hyp_field_get(r.words[0], shift, width); }       \
    LIBSEL4_INLINE T##_t T##_set_##F(T##_t r, seL4_Uint64 v)                                                       \
    {                                                                                                              \
        r.words[0] = seL4_hyp_field_set(r.words[0], shift, width, v);                                              \
        return r;                                                                                                  \
    }                                                                                                              \
    LIBSEL4_INLINE seL4_Uint64 T##_ptr_get_##F(T##_t *r) { return seL4_hyp_field_get(r->words[0], shift, width); } \
    LIBSEL4_INLINE void T##_ptr_set_##F(T##_t *r, seL4_Uint64 v)                                                   \
    {                                                                                                              \
        r->words[0] = seL4_hyp_field_set(r->words[0], shift, width, v);                                            \
    }

/* ---- seL4_MessageInfo_t: label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0 ---- */
SEL4_WORD_RECORD_FIELD(seL4_MessageInfo, label, 12, 52)
SEL4_WORD_RECORD_FIELD(seL4_MessageInfo, capsUnwrapped, 9, 3)
SEL4_WORD_RECORD_FIELD(seL4_MessageInfo, extraCaps, 7, 2)
SEL4_WORD_RECORD_FIELD(seL4_MessageInfo, length, 0, 7)

LIBSEL4_INLINE seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                                       seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    seL4_MessageInfo_t m = {{0}};
    m = seL4_MessageInfo_set_label(m, label);
    m = seL4_MessageInfo_set_capsUnwrapped(m, capsUnwrapped);
    m = seL4_MessageInfo_set_extraCaps(m, extraCaps);
    return seL4_MessageInfo_set_length(m, length);
}
LIBSEL4_INLINE void seL4_MessageInfo_ptr_new(seL4_MessageInfo_t *m, seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                             seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    *m = seL4_MessageInfo_new(label, capsUnwrapped, extraCaps, length);
}

/* ---- seL4_CapRights_t: Write bit0, Read bit1, Grant bit2, GrantReply bit3 ---- */
typedef struct seL4_CapRights {
    seL4_Word words[1];
} seL4_CapRights_t;

SEL4_WORD_RECORD_FIELD(seL4_CapRights, capAllowGrantReply, 3, 1)
SEL4_WORD_RECORD_FIELD(seL4_CapRights, capAllowGrant, 2, 1)
SEL4_WORD_RECORD_FIELD(seL4_CapRights, capAllowRead, 1, 1)
SEL4_WORD_RECORD_FIELD(seL4_CapRights, capAllowWrite, 0, 1)

LIBSEL4_INLINE seL4_CapRights_t seL4_CapRights_new(seL4_Uint64 capAllowGrantReply, seL4_Uint64 capAllowGrant,
                                                   seL4_Uint64 capAllowRead, seL4_Uint64 capAllowWrite)
{
    seL4_CapRights_t r = {{0}};
    r = seL4_CapRights_set_capAllowGrantReply(r, capAllowGrantReply);
    r = seL4_CapRights_set_capAllowGrant(r, capAllowGrant);
    r = seL4_CapRights_set_capAllowRead(r, capAllowRead);
    return seL4_CapRights_set_capAllowWrite(r, capAllowWrite);
}
LIBSEL4_INLINE void seL4_CapRights_ptr_new(seL4_CapRights_t *r, seL4_Uint64 capAllowGrantReply,
                                           seL4_Uint64 capAllowGrant, seL4_Uint64 capAllowRead,
                                           seL4_Uint64 capAllowWrite)
{
    *r = seL4_CapRights_new(capAllowGrantReply, capAllowGrant, capAllowRead, capAllowWrite);
}

#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)

/* ---- seL4_CNode_CapData: guard 63..6, guardSize 5..0 ---- */
typedef struct seL4_CNode_CapData {
    seL4_Word words[1];
} seL4_CNode_CapData_t;

SEL4_WORD_RECORD_FIELD(seL4_CNode_CapData, guard, 6, 58)
SEL4_WORD_RECORD_FIELD(seL4_CNode_CapData, guardSize, 0, 6)

LIBSEL4_INLINE seL4_CNode_CapData_t seL4_CNode_CapData_new(seL4_Uint64 guard, seL4_Uint64 guardSize)
{
    seL4_CNode_CapData_t d = {{0}};
    d = seL4_CNode_CapData_set_guard(d, guard);
    return seL4_CNode_CapData_set_guardSize(d, guardSize);
}
LIBSEL4_INLINE void seL4_CNode_CapData_ptr_new(seL4_CNode_CapData_t *d, seL4_Uint64 guard, seL4_Uint64 guardSize)
{
    *d = seL4_CNode_CapData_new(guard, guardSize);
}

#include <sel4/messages.h>
