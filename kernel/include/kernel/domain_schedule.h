/* The domain scheduler: time is cut into slots by a static schedule of
 * (domain, length) entries, repeated round and round; during a slot only
 * threads of that slot's domain run (seL4 manual, "Domains"), and the
 * priority scheduler picks among them. The schedule at boot comes from the
 * build (make DOMAIN_SCHEDULE=..., docs/domains.md); DomainSet invocations
 * change it at run time.
 *
 * The interface the timer code uses is small so that another time source
 * can drive it: domain_charge() takes time away from the current slot and
 * says when the slot is over, domain_time_left() says how much remains
 * (for programming a one-shot timer), and domain_switch_if_due() moves to
 * the next slot when the scheduler makes its next choice. Lengths are in
 * the unit the caller charges in: kernel timer ticks in this configuration.
 *
 * With one domain everything here folds to constants and the scheduler's
 * paths are what they were without domains. */
#pragma once
#include <types.h>
#include <object/structures.h>
#include <kernel/gen_config.h>

#if CONFIG_NUM_DOMAINS < 1 || CONFIG_NUM_DOMAINS > 256
#error "CONFIG_NUM_DOMAINS must be 1..256 (a domain is a seL4_Uint8)"
#endif
#if CONFIG_NUM_DOMAIN_SCHEDULES < 2
#error "the domain schedule needs an entry and its end marker"
#endif

/* One schedule entry. Length 0 marks the end of the schedule (its domain
 * is then 0); the last entry of the table is always an end marker. */
typedef struct domain_slot {
    word_t domain;
    word_t length;
} domain_slot_t;

/* Lengths are limited as on seL4 (56 bits), so that a schedule written for
 * one kernel means the same on the other. */
#define DOMAIN_MAX_LENGTH ((1ul << 56) - 1)

#if CONFIG_NUM_DOMAINS > 1
extern word_t ks_cur_domain;
static inline word_t dom_current(void) { return ks_cur_domain; }
static inline word_t thread_domain(const tcb_t *t) { return t->domain; }
#else
static inline word_t dom_current(void) { return 0; }
static inline word_t thread_domain(const tcb_t *t)
{
    (void)t;
    return 0;
}
#endif
/* The thread belongs to the domain whose slot it is. */
static inline bool dom_is_current(const tcb_t *t) { return thread_domain(t) == dom_current(); }

void domain_schedule_init(void);
/* What one unit of a schedule length is in the time domain_charge() takes
 * (the configuration's time keeping: nonmcs/timeslice.c, mcs/sched_mcs.c). */
word_t domain_length_unit(void);
/* Time left in the current slot. */
word_t domain_time_left(void);
/* Take `elapsed` from the current slot; true when the slot is over (the
 * caller then asks for a new scheduling decision). */
bool domain_charge(word_t elapsed);
#if CONFIG_NUM_DOMAINS > 1
/* The timer tick's part: charge one tick, ask for a decision at the end. */
void domain_tick(void);
/* At a scheduling decision: if the slot is over, the next entry's domain
 * becomes current. */
void domain_switch_if_due(void);
#else
/* one domain: its slot never ends */
static inline void domain_tick(void) {}
static inline void domain_switch_if_due(void) {}
#endif

/* DomainSet_Set: move a thread to another domain, queued or running. */
void domain_set_thread(tcb_t *t, word_t domain);
/* DomainSet_ScheduleConfigure and _ScheduleSetStart, checked by the caller
 * with the domain_schedule_* predicates below (seL4 15's rules). */
void domain_schedule_configure(word_t index, word_t domain, word_t length);
void domain_schedule_set_start(word_t index);
word_t domain_schedule_start(void);
bool domain_schedule_is_end_marker(word_t index);

word_t check_domain_invariants(void);
