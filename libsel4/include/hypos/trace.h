/* hypOS kernel trace events: the client calls (the ABI's types, slots,
 * labels and record layouts are in <hypos/trace_types.h>). */
#pragma once
#include <sel4/sel4.h>
#include <hypos/trace_types.h>

/* Client calls. */
static inline seL4_Error hypOS_TraceControl_SetRing(seL4_CPtr trace, seL4_Word ring, seL4_CPtr frame, seL4_CPtr ntfn,
                                                    seL4_Word threshold)
{
    seL4_SetCap(0, frame);
    seL4_SetCap(1, ntfn);
    seL4_SetMR(0, ring);
    seL4_SetMR(1, threshold);
    seL4_MessageInfo_t i = seL4_Call(trace, seL4_MessageInfo_new(hypOS_TraceControlSetRing, 0, 2, 2));
    return (seL4_Error)seL4_MessageInfo_get_label(i);
}

static inline seL4_Error hypOS_TraceControl_ClearRing(seL4_CPtr trace, seL4_Word ring)
{
    seL4_SetMR(0, ring);
    seL4_MessageInfo_t i = seL4_Call(trace, seL4_MessageInfo_new(hypOS_TraceControlClearRing, 0, 0, 1));
    return (seL4_Error)seL4_MessageInfo_get_label(i);
}

typedef struct {
    int error;
    seL4_Word hook;
} hypOS_TraceControl_Hook_t;

static inline hypOS_TraceControl_Hook_t hypOS_TraceControl_Hook(seL4_CPtr trace, seL4_CPtr object, seL4_Word ring,
                                                                seL4_Word events, seL4_Word cookie)
{
    seL4_SetCap(0, object);
    seL4_SetMR(0, ring);
    seL4_SetMR(1, events);
    seL4_SetMR(2, cookie);
    seL4_MessageInfo_t i = seL4_Call(trace, seL4_MessageInfo_new(hypOS_TraceControlHook, 0, 1, 3));
    hypOS_TraceControl_Hook_t r = {(int)seL4_MessageInfo_get_label(i), 0};
    if (r.error == seL4_NoError)
        r.hook = seL4_GetMR(0);
    return r;
}

static inline seL4_Error hypOS_TraceControl_Unhook(seL4_CPtr trace, seL4_CPtr object)
{
    seL4_SetCap(0, object);
    seL4_MessageInfo_t i = seL4_Call(trace, seL4_MessageInfo_new(hypOS_TraceControlUnhook, 0, 1, 0));
    return (seL4_Error)seL4_MessageInfo_get_label(i);
}

typedef struct {
    int error;
    seL4_Word id;
} hypOS_TraceControl_ThreadId_t;

static inline hypOS_TraceControl_ThreadId_t hypOS_TraceControl_ThreadId(seL4_CPtr trace, seL4_CPtr tcb)
{
    seL4_SetCap(0, tcb);
    seL4_MessageInfo_t i = seL4_Call(trace, seL4_MessageInfo_new(hypOS_TraceControlThreadId, 0, 1, 0));
    hypOS_TraceControl_ThreadId_t r = {(int)seL4_MessageInfo_get_label(i), 0};
    if (r.error == seL4_NoError)
        r.id = seL4_GetMR(0);
    return r;
}
