/* The domain scheduler (kernel/domain_schedule.h): the schedule table, the
 * current slot and the moves between slots. The priority scheduler
 * (thread.c) keeps one set of ready queues per domain and picks only from
 * the current domain's. */
#include <kernel/domain_schedule.h>
#include <kernel/assert.h>
#include <kernel/thread.h>

/* The schedule the build chose (make DOMAIN_SCHEDULE=...), as
 * {domain, length} pairs; the build checks it, boot copies it. */
#if defined(__has_include)
#if __has_include(<hypos/domain_config.h>)
#include <hypos/domain_config.h>
#endif
#endif
#ifndef HYPOS_DOMAIN_SCHEDULE
#define HYPOS_DOMAIN_SCHEDULE \
    {                         \
        0, 1                  \
    }
#endif
static const domain_slot_t boot_schedule[] = {HYPOS_DOMAIN_SCHEDULE};
_Static_assert(ARRAY_SIZE(boot_schedule) < CONFIG_NUM_DOMAIN_SCHEDULES,
               "the boot schedule must leave room for its end marker");

/* Entries past the configured ones are zero: end markers. */
static domain_slot_t schedule_table[CONFIG_NUM_DOMAIN_SCHEDULES];
/* The entry a new round starts with, and the entry running now. */
static word_t start_index, current_index;
/* The next switch starts a new round at start_index (after SetStart). */
static bool restart_round;
#if CONFIG_NUM_DOMAINS > 1
word_t ks_cur_domain;
static word_t time_left;
#endif

bool domain_schedule_is_end_marker(word_t index) { return schedule_table[index].length == 0; }
word_t domain_schedule_start(void) { return start_index; }

static void enter_slot(word_t index)
{
    current_index = index;
#if CONFIG_NUM_DOMAINS > 1
    ks_cur_domain = schedule_table[index].domain;
    time_left = schedule_table[index].length * domain_length_unit();
#endif
}

void domain_schedule_init(void)
{
    for (word_t i = 0; i < ARRAY_SIZE(boot_schedule); i++) {
        kassert(boot_schedule[i].domain < CONFIG_NUM_DOMAINS && boot_schedule[i].length > 0);
        schedule_table[i] = boot_schedule[i];
    }
    start_index = 0;
    restart_round = false;
    enter_slot(0);
}

word_t domain_time_left(void)
{
#if CONFIG_NUM_DOMAINS > 1
    return time_left;
#else
    return schedule_table[current_index].length;
#endif
}

bool domain_charge(word_t elapsed)
{
#if CONFIG_NUM_DOMAINS > 1
    if (time_left > elapsed) {
        time_left -= elapsed;
        return false;
    }
    time_left = 0;
    return true;
#else
    (void)elapsed;
    return false;
#endif
}

#if CONFIG_NUM_DOMAINS > 1
void domain_tick(void)
{
    if (domain_charge(1))
        reschedule_required();
}

/* The entry after the current one; an end marker or the end of the table
 * closes the round, which starts again at start_index. */
static word_t next_index(void)
{
    word_t i = current_index + 1;
    if (restart_round || i >= CONFIG_NUM_DOMAIN_SCHEDULES || domain_schedule_is_end_marker(i))
        return start_index;
    return i;
}

void domain_switch_if_due(void)
{
    if (time_left)
        return;
    enter_slot(next_index());
    restart_round = false;
}
#endif

/* seL4's setDomain: out of the old domain's queue, into the new one's if
 * it was queued. A new decision follows whenever the thread could run: the
 * running thread may have left the current domain, and a ready thread may
 * have joined it above the running one (which the IPC fastpath assumes
 * never happens without a pending decision). */
void domain_set_thread(tcb_t *t, word_t domain)
{
    bool queued = t->sched_queued;
    sched_dequeue(t);
    t->domain = domain;
    if (queued)
        sched_enqueue(t);
    if (t == ks_cur_thread || thread_is_runnable(t))
        reschedule_required();
}

void domain_schedule_configure(word_t index, word_t domain, word_t length)
{
    schedule_table[index] = (domain_slot_t){domain, length};
}

/* The current slot ends now and the next one is the start entry (seL4 15:
 * the new schedule takes over at once). */
void domain_schedule_set_start(word_t index)
{
    start_index = index;
    restart_round = true;
#if CONFIG_NUM_DOMAINS > 1
    time_left = 0;
#else
    enter_slot(index);
#endif
    reschedule_required();
}

word_t check_domain_invariants(void)
{
    word_t bad = 0;
    for (word_t i = 0; i < CONFIG_NUM_DOMAIN_SCHEDULES; i++) {
        const domain_slot_t *e = &schedule_table[i];
        if (e->domain >= CONFIG_NUM_DOMAINS || e->length > DOMAIN_MAX_LENGTH || (e->length == 0 && e->domain != 0))
            bad++;
    }
    if (!domain_schedule_is_end_marker(CONFIG_NUM_DOMAIN_SCHEDULES - 1))
        bad++;
    if (start_index >= CONFIG_NUM_DOMAIN_SCHEDULES || domain_schedule_is_end_marker(start_index))
        bad++;
    if (current_index >= CONFIG_NUM_DOMAIN_SCHEDULES)
        bad++;
#if CONFIG_NUM_DOMAINS > 1
    if (ks_cur_domain >= CONFIG_NUM_DOMAINS)
        bad++;
    /* a slot that is over has a decision pending that will end it */
    if (time_left == 0 && !sched_pending())
        bad++;
    /* the thread that keeps running belongs to the current slot */
    tcb_t *cur = ks_cur_thread;
    if (!sched_pending() && cur && thread_is_runnable(cur) && !dom_is_current(cur))
        bad++;
#endif
    return bad;
}
