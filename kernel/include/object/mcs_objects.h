/* The object types only the MCS configuration has (scheduling contexts,
 * reply objects, the SchedControl cap), as the generic object code asks
 * about them (kernel/src/mcs/objects_mcs.c). Without MCS there are none
 * and these answer "not mine". */
#pragma once
#include <object/structures.h>
#include <api/errors.h>

struct invocation;

#ifdef CONFIG_KERNEL_MCS
/* -1: not an MCS object type */
int mcs_object_size_bits(word_t type, word_t user_size_bits);
/* false: not an MCS object type */
bool mcs_create_object(word_t type, word_t oref, word_t user_size_bits, cap_t *out);
void mcs_finalise_object(cap_t cap);
bool mcs_cap_region(cap_t c, word_t *base, word_t *size_bits);
bool mcs_same_region_as(cap_t a, cap_t b);
/* false: not an MCS cap */
bool mcs_decode_invocation(struct invocation *inv, syscall_error_t *e);
/* A thread blocked receiving stops (cancel_ipc): it no longer waits with
 * its reply object. */
void receive_reply_forget(tcb_t *t);
#else
static inline int mcs_object_size_bits(word_t type, word_t user_size_bits)
{
    (void)type;
    (void)user_size_bits;
    return -1;
}
static inline bool mcs_create_object(word_t type, word_t oref, word_t user_size_bits, cap_t *out)
{
    (void)type;
    (void)oref;
    (void)user_size_bits;
    (void)out;
    return false;
}
static inline void mcs_finalise_object(cap_t cap) { (void)cap; }
static inline bool mcs_cap_region(cap_t c, word_t *base, word_t *size_bits)
{
    (void)c;
    (void)base;
    (void)size_bits;
    return false;
}
static inline bool mcs_same_region_as(cap_t a, cap_t b)
{
    (void)a;
    (void)b;
    return false;
}
static inline bool mcs_decode_invocation(struct invocation *inv, syscall_error_t *e)
{
    (void)inv;
    (void)e;
    return false;
}
static inline void receive_reply_forget(tcb_t *t) { (void)t; }
#endif
