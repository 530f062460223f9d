/* The thread table seL4_DebugDumpScheduler prints: one line per TCB with
 * its name, state, the pc it stopped at (for a thread in a system call,
 * the ecall), its priority and core, as seL4's debug kernels print it. */
#include <kernel/debug_sched.h>
#include <kernel/addr.h>
#include <kernel/mdb.h>
#include <kernel/printk.h>
#include <kernel/thread.h>

#ifdef HYPOS_PRINTING

/* Every TCB that exists, most recently made first. */
static tcb_t *all_tcbs;

void debug_tcb_list_add(tcb_t *t)
{
    t->debug_prev = NULL;
    t->debug_next = all_tcbs;
    if (all_tcbs)
        all_tcbs->debug_prev = t;
    all_tcbs = t;
}

void debug_tcb_list_remove(tcb_t *t)
{
    if (t->debug_prev)
        t->debug_prev->debug_next = t->debug_next;
    else if (all_tcbs == t)
        all_tcbs = t->debug_next;
    else
        return; /* not on the list */
    if (t->debug_next)
        t->debug_next->debug_prev = t->debug_prev;
    t->debug_next = t->debug_prev = NULL;
}

static bool listed(const tcb_t *t)
{
    for (const tcb_t *l = all_tcbs; l; l = l->debug_next)
        if (l == t)
            return true;
    return false;
}

static bool has_thread_cap(const tcb_t *t)
{
    for (const cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c))
        if (cap_get_type(c->cap) == cap_thread && oref_ptr(cap_thread_ptr(c->cap)) == t)
            return true;
    return false;
}

/* The list holds exactly the TCBs that exist: a listed TCB without a
 * capability was destroyed without being unlinked (the dump would read
 * freed memory), and a TCB capability whose TCB is not listed was made
 * without being linked. */
word_t debug_tcb_list_check(void)
{
    word_t bad = 0;
    for (const tcb_t *t = all_tcbs; t; t = t->debug_next) {
        if ((t->debug_next && t->debug_next->debug_prev != t) || (t == all_tcbs && t->debug_prev)) {
            kprintf("hypOS: invariant violated: the TCB list's links are broken at %p\n", (const void *)t);
            return bad + 1;
        }
        if (!has_thread_cap(t)) {
            kprintf("hypOS: invariant violated: TCB %p (%s) is listed but has no capability\n", (const void *)t,
                    thread_name(t));
            bad++;
        }
    }
    for (const cte_t *c = mdb_next(&mdb_head); c; c = mdb_next(c)) {
        if (cap_get_type(c->cap) == cap_thread && !listed(oref_ptr(cap_thread_ptr(c->cap)))) {
            kprintf("hypOS: invariant violated: TCB %p has a capability but is not listed\n",
                    oref_ptr(cap_thread_ptr(c->cap)));
            bad++;
        }
    }
    return bad;
}

static const char *state_name(word_t state)
{
    switch (state) {
    case ThreadState_Inactive:
        return "inactive";
    case ThreadState_Running:
        return "running";
    case ThreadState_Restart:
        return "restart";
    case ThreadState_BlockedOnReceive:
        return "blocked on recv";
    case ThreadState_BlockedOnSend:
        return "blocked on send";
    case ThreadState_BlockedOnReply:
        return "blocked on reply";
    case ThreadState_BlockedOnNotification:
        return "blocked on ntfn";
    case ThreadState_IdleThreadState:
        return "idle";
    default:
        return "?";
    }
}

/* kprintf has no field width for strings. */
static void put_padded(const char *s, int width)
{
    int n = 0;
    for (; s[n]; n++)
        kprintf("%c", s[n]);
    for (; n < width; n++)
        kprintf(" ");
}

#define NAME_WIDTH 32
#define STATE_WIDTH 17

void debug_dump_scheduler(void)
{
    kprintf("Dumping all tcbs!\n");
    put_padded("Name", NAME_WIDTH);
    put_padded("State", STATE_WIDTH);
    kprintf("IP                  Prio Core\n");
    kprintf("--------------------------------------------------------------------------\n");
    for (const tcb_t *t = all_tcbs; t; t = t->debug_next) {
        put_padded(thread_name(t), NAME_WIDTH);
        put_padded(state_name(t->state), STATE_WIDTH);
        kprintf("0x%016lx  %3lu %4d%s\n", get_user_context_reg(t, 0), t->priority, 0,
                t == ks_cur_thread ? "  (current)" : "");
    }
}

#endif
