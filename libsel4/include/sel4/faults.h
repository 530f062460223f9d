/* Fault messages decoded into seL4_Fault_t (seL4 manual sec. 6.2). A
 * fault arrives as a message whose label is the fault type and whose
 * words are that fault's fields; seL4_getFault(tag) reads them from the
 * message registers. seL4_Fault_t has the accessor families of seL4's
 * generated tagged union: seL4_Fault_get_seL4_FaultType, and for each
 * fault type T and field F: seL4_Fault_T_new, seL4_Fault_T_ptr_new,
 * seL4_Fault_T_get_F, seL4_Fault_T_set_F, seL4_Fault_T_ptr_get_F and
 * seL4_Fault_T_ptr_set_F. */
#pragma once
#include <sel4/config.h>
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/messages.h>

/* Fault type numbers (the message label). With scheduling contexts the
 * timeout fault takes 5 and VMFault becomes 6. */
typedef enum seL4_Fault_tag {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
#ifdef CONFIG_KERNEL_MCS
    seL4_Fault_Timeout = 5,
    seL4_Fault_VMFault = 6,
#else
    seL4_Fault_VMFault = 5,
#endif
    SEL4_FORCE_LONG_ENUM(seL4_Fault_tag),
} seL4_Fault_tag_t;
typedef seL4_Fault_tag_t seL4_FaultType;

/* words[0]: the fault type; words[1 + i]: field i of that type. */
#define SEL4_FAULT_MAX_FIELDS seL4_UnknownSyscall_Length
typedef struct seL4_Fault {
    seL4_Uint64 words[1 + SEL4_FAULT_MAX_FIELDS];
} seL4_Fault_t;

LIBSEL4_INLINE seL4_Uint64 seL4_Fault_get_seL4_FaultType(seL4_Fault_t f) { return f.words[0]; }
LIBSEL4_INLINE seL4_Uint64 seL4_Fault_ptr_get_seL4_FaultType(seL4_Fault_t *f) { return f->words[0]; }

/* A fault of type `type` with all fields zero. */
LIBSEL4_INLINE seL4_Fault_t seL4_hyp_fault_of_type(seL4_Uint64 type)
{
    seL4_Fault_t f;
    for (unsigned i = 0; i < sizeof(f.words) / sizeof(f.words[0]); i++)
        f.words[i] = 0;
    f.words[0] = type;
    return f;
}

/* get/set/ptr_get/ptr_set of field F (number `index`) of fault type T. */
#define SEL4_FAULT_FIELD(T, F, index)                                                                          \
    LIBSEL4_INLINE seL4_Uint64 seL4_Fault_##T##_get_##F(seL4_Fault_t f) { return f.words[1 + (index)]; }       \
    LIBSEL4_INLINE seL4_Fault_t seL4_Fault_##T##_set_##F(seL4_Fault_t f, seL4_Uint64 v)                        \
    {                                                                                                          \
        f.words[1 + (index)] = v;                                                                              \
        return f;                                                                                              \
    }                                                                                                          \
    LIBSEL4_INLINE seL4_Uint64 seL4_Fault_##T##_ptr_get_##F(seL4_Fault_t *f) { return f->words[1 + (index)]; } \
    LIBSEL4_INLINE void seL4_Fault_##T##_ptr_set_##F(seL4_Fault_t *f, seL4_Uint64 v) { f->words[1 + (index)] = v; }

/* ---- NullFault: no fields ---- */
LIBSEL4_INLINE seL4_Fault_t seL4_Fault_NullFault_new(void) { return seL4_hyp_fault_of_type(seL4_Fault_NullFault); }
LIBSEL4_INLINE void seL4_Fault_NullFault_ptr_new(seL4_Fault_t *f) { *f = seL4_Fault_NullFault_new(); }

/* ---- CapFault: MR4..MR6 describe the lookup failure ---- */
SEL4_FAULT_FIELD(CapFault, IP, 0)
SEL4_FAULT_FIELD(CapFault, Addr, 1)
SEL4_FAULT_FIELD(CapFault, InRecvPhase, 2)
SEL4_FAULT_FIELD(CapFault, LookupFailureType, 3)
SEL4_FAULT_FIELD(CapFault, MR4, 4)
SEL4_FAULT_FIELD(CapFault, MR5, 5)
SEL4_FAULT_FIELD(CapFault, MR6, 6)

LIBSEL4_INLINE seL4_Fault_t seL4_Fault_CapFault_new(seL4_Uint64 IP, seL4_Uint64 Addr, seL4_Uint64 InRecvPhase,
                                                    seL4_Uint64 LookupFailureType, seL4_Uint64 MR4, seL4_Uint64 MR5,
                                                    seL4_Uint64 MR6)
{
    seL4_Fault_t f = seL4_hyp_fault_of_type(seL4_Fault_CapFault);
    seL4_Uint64 v[] = {IP, Addr, InRecvPhase, LookupFailureType, MR4, MR5, MR6};
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        f.words[1 + i] = v[i];
    return f;
}
LIBSEL4_INLINE void seL4_Fault_CapFault_ptr_new(seL4_Fault_t *f, seL4_Uint64 IP, seL4_Uint64 Addr,
                                                seL4_Uint64 InRecvPhase, seL4_Uint64 LookupFailureType, seL4_Uint64 MR4,
                                                seL4_Uint64 MR5, seL4_Uint64 MR6)
{
    *f = seL4_Fault_CapFault_new(IP, Addr, InRecvPhase, LookupFailureType, MR4, MR5, MR6);
}

#ifdef CONFIG_KERNEL_MCS
/* ---- Timeout (MCS): a thread's scheduling context ran out of budget and
 * the thread has a timeout endpoint. MR0 is the SC's badge (the data word
 * given to SchedControl_Configure), MR1 the time it consumed (us); the
 * message layout, seL4_TimeoutMsg, and the reply's, seL4_TimeoutReply_Msg,
 * are in <sel4/sel4_arch/constants.h>. ---- */
SEL4_FAULT_FIELD(Timeout, data, 0)
SEL4_FAULT_FIELD(Timeout, consumed, 1)
LIBSEL4_INLINE seL4_Fault_t seL4_Fault_Timeout_new(seL4_Uint64 data, seL4_Uint64 consumed)
{
    seL4_Fault_t f = seL4_hyp_fault_of_type(seL4_Fault_Timeout);
    f.words[1] = data;
    f.words[2] = consumed;
    return f;
}
LIBSEL4_INLINE void seL4_Fault_Timeout_ptr_new(seL4_Fault_t *f, seL4_Uint64 data, seL4_Uint64 consumed)
{
    *f = seL4_Fault_Timeout_new(data, consumed);
}
LIBSEL4_INLINE seL4_Bool seL4_isTimeoutFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_Timeout;
}

/* The reply to a timeout fault: label 0 resumes the thread, any other
 * label leaves it blocked; the first `length` registers of regs (in
 * seL4_UserContext order) go into MR0.. and are written back to the
 * thread first. */
LIBSEL4_INLINE seL4_MessageInfo_t seL4_TimeoutReply_new(seL4_Bool resume, seL4_UserContext regs, seL4_Word length)
{
    const seL4_Word *words = (const seL4_Word *)&regs;
    if (length > seL4_TimeoutReply_Length)
        length = seL4_TimeoutReply_Length;
    for (seL4_Word i = 0; i < length; i++)
        seL4_SetMR((int)i, words[i]);
    return seL4_MessageInfo_new(resume ? 0 : 1, 0, 0, length);
}
#endif

/* Faults only an architecture knows how to read (<sel4/sel4_arch/faults.h>). */
LIBSEL4_INLINE seL4_Fault_t seL4_getArchFault(seL4_MessageInfo_t tag);

/* The fault a fault message describes, read from the message registers
 * of the calling thread's IPC buffer (call it right after the Recv). */
LIBSEL4_INLINE seL4_Fault_t seL4_getFault(seL4_MessageInfo_t tag)
{
    switch (seL4_MessageInfo_get_label(tag)) {
#ifdef CONFIG_KERNEL_MCS
    case seL4_Fault_Timeout:
        return seL4_Fault_Timeout_new(seL4_GetMR(seL4_Timeout_Data), seL4_GetMR(seL4_Timeout_Consumed));
#endif
    case seL4_Fault_CapFault:
        return seL4_Fault_CapFault_new(
            seL4_GetMR(seL4_CapFault_IP), seL4_GetMR(seL4_CapFault_Addr), seL4_GetMR(seL4_CapFault_InRecvPhase),
            seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GetMR(seL4_CapFault_BitsLeft),
            seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound), seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound));
    default:
        return seL4_getArchFault(tag);
    }
}

LIBSEL4_INLINE seL4_Bool seL4_isNullFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_NullFault;
}
LIBSEL4_INLINE seL4_Bool seL4_isCapFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_CapFault;
}
LIBSEL4_INLINE seL4_Bool seL4_isUnknownSyscall_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UnknownSyscall;
}
LIBSEL4_INLINE seL4_Bool seL4_isUserException_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UserException;
}
LIBSEL4_INLINE seL4_Bool seL4_isVMFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_VMFault;
}

#include <sel4/sel4_arch/faults.h>
