/* The monitor: the fault handler of every PD without a parent. It waits
 * on its endpoint; a fault arrives with badge = PD index + 1. It prints
 * which PD faulted, the fault decoded, the PD's registers and, for a
 * memory fault just below the stack, that the stack probably overflowed.
 * The faulting PD stays stopped; the rest of the system runs on. */
#include <hypos/microkit_abi.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

/* Filled in by the tool. In .data so the image has bytes to patch. */
__attribute__((section(".data"))) char monitor_pd_names[PD_MAX_PDS][PD_NAME_LEN] = {{0}};
__attribute__((section(".data"))) seL4_Word monitor_pd_stack_bottom[PD_MAX_PDS] = {0};
__attribute__((section(".data"))) seL4_Word monitor_n_pds = 0;
/* Restart policy (hypOS): how often a PD may be restarted, its entry, and
 * where this monitor sees its writable pages, their pristine copies and its
 * stack pages (all zero for PDs without a policy). */
__attribute__((section(".data"))) seL4_Word monitor_max_restarts[PD_MAX_PDS] = {0};
__attribute__((section(".data"))) seL4_Word monitor_pd_entry[PD_MAX_PDS] = {0};
__attribute__((section(".data"))) seL4_Word monitor_reload_live[PD_MAX_PDS] = {0};
__attribute__((section(".data"))) seL4_Word monitor_reload_pristine[PD_MAX_PDS] = {0};
__attribute__((section(".data"))) seL4_Word monitor_reload_pages[PD_MAX_PDS] = {0};
__attribute__((section(".data"))) seL4_Word monitor_reload_stack[PD_MAX_PDS] = {0};
__attribute__((section(".data"))) seL4_Word monitor_reload_stack_pages[PD_MAX_PDS] = {0};
/* With a period (nanoseconds; 0: none), max_restarts limits the restarts
 * within any window of that length instead of in all. */
__attribute__((section(".data"))) seL4_Word monitor_restart_period_ns[PD_MAX_PDS] = {0};
/* Where the real-time clock's registers are mapped (0: no PD has a period). */
__attribute__((section(".data"))) seL4_Word monitor_rtc = 0;
/* MCS: PDs that give their SC up after init() (passive="true"). */
__attribute__((section(".data"))) seL4_Word monitor_pd_passive[PD_MAX_PDS] = {0};
static seL4_Word restarts[PD_MAX_PDS];
/* The times of each PD's last restarts (a ring, restarts % size the next). */
static seL4_Word restart_times[PD_MAX_PDS][MONITOR_MAX_RESTARTS_PER_PERIOD];

__thread seL4_IPCBuffer *__sel4_ipc_buffer;

static void putc_(char c)
{
#ifdef HYPOS_PRINTING
    seL4_DebugPutChar(c);
#else
    (void)c;
#endif
}
static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}
static void hex(seL4_Word x)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(x >> i) & 0xf]);
}
static void dec(seL4_Word x)
{
    char b[24];
    int n = 0;
    do
        b[n++] = (char)('0' + x % 10);
    while ((x /= 10) && n < 24);
    while (n)
        putc_(b[--n]);
}

/* scause values (RISC-V privileged spec, table "Supervisor cause register
 * values after trap"), as the kernel passes them in VM and user faults */
static const char *scause_text(seL4_Word c)
{
    switch (c) {
    case 0:
        return "instruction address misaligned";
    case 1:
        return "instruction access fault";
    case 2:
        return "illegal instruction";
    case 3:
        return "breakpoint";
    case 4:
        return "load address misaligned";
    case 5:
        return "load access fault";
    case 6:
        return "store/AMO address misaligned";
    case 7:
        return "store/AMO access fault";
    case 8:
        return "environment call from U-mode";
    case 12:
        return "instruction page fault";
    case 13:
        return "load page fault";
    case 15:
        return "store/AMO page fault";
    default:
        return "unknown cause";
    }
}

/* The kernel reports a VM fault's kind as the access-fault cause of its
 * access type (1 fetch, 5 load, 7 store/AMO), for page and access faults
 * alike: the address had no mapping or one without the needed right. */
static const char *vm_fault_text(seL4_Word c)
{
    switch (c) {
    case 1:
    case 12:
        return "instruction fetch: no executable mapping";
    case 5:
    case 13:
        return "load: no readable mapping";
    case 7:
    case 15:
        return "store/AMO: no writable mapping";
    default:
        return scause_text(c);
    }
}

static const char *lookup_text(seL4_Word t)
{
    switch (t) {
    case 0:
        return "no failure";
    case 1:
        return "invalid root";
    case 2:
        return "missing capability";
    case 3:
        return "depth mismatch";
    case 4:
        return "guard mismatch";
    default:
        return "unknown lookup failure";
    }
}

static void line(const char *pd, const char *what)
{
    puts_("MON|ERROR: ");
    puts_(pd);
    puts_(": ");
    puts_(what);
}

static void registers(seL4_Word pd)
{
    seL4_UserContext r;
    if (seL4_TCB_ReadRegisters(MONITOR_TCB_BASE + pd, 0, 0, sizeof r / sizeof(seL4_Word), &r)) {
        puts_("MON|ERROR: registers unavailable\n");
        return;
    }
    static const char *const names[] = {"pc", "ra", "sp", "gp",  "s0",  "s1", "s2", "s3", "s4", "s5", "s6",
                                        "s7", "s8", "s9", "s10", "s11", "a0", "a1", "a2", "a3", "a4", "a5",
                                        "a6", "a7", "t0", "t1",  "t2",  "t3", "t4", "t5", "t6", "tp"};
    const seL4_Word *w = (const seL4_Word *)&r;
    puts_("MON|ERROR: registers:\n");
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        puts_(i % 4 ? "  " : "MON|ERROR:   ");
        puts_(names[i]);
        puts_(names[i][2] ? " " : "  ");
        hex(w[i]);
        if (i % 4 == 3)
            putc_('\n');
    }
}

static void report(seL4_Word pd, seL4_MessageInfo_t tag)
{
    const char *name = monitor_pd_names[pd];
    seL4_Word label = seL4_MessageInfo_get_label(tag);
    switch (label) {
    case seL4_Fault_CapFault:
        line(name, "cap fault at ip ");
        hex(seL4_GetMR(seL4_CapFault_IP));
        puts_(", cptr ");
        hex(seL4_GetMR(seL4_CapFault_Addr));
        puts_(seL4_GetMR(seL4_CapFault_InRecvPhase) ? " (receiving)" : " (sending)");
        puts_(": ");
        puts_(lookup_text(seL4_GetMR(seL4_CapFault_LookupFailureType)));
        putc_('\n');
        break;
    case seL4_Fault_UserException: {
        seL4_Word n = seL4_GetMR(seL4_UserException_Number);
        line(name, "user exception at ip ");
        hex(seL4_GetMR(seL4_UserException_FaultIP));
        puts_(", scause ");
        dec(n);
        puts_(" (");
        puts_(scause_text(n));
        puts_(")\n");
        break;
    }
    case seL4_Fault_UnknownSyscall:
        line(name, "unknown system call ");
        dec(seL4_GetMR(seL4_UnknownSyscall_Syscall));
        puts_(" at ip ");
        hex(seL4_GetMR(seL4_UnknownSyscall_FaultIP));
        putc_('\n');
        break;
    case seL4_Fault_VMFault: {
        seL4_Word addr = seL4_GetMR(seL4_VMFault_Addr), fsr = seL4_GetMR(seL4_VMFault_FSR);
        line(name, "VM fault at ip ");
        hex(seL4_GetMR(seL4_VMFault_IP));
        puts_(", address ");
        hex(addr);
        puts_(", scause ");
        dec(fsr);
        puts_(" (");
        puts_(vm_fault_text(fsr));
        puts_(")\n");
        seL4_Word bottom = monitor_pd_stack_bottom[pd];
        if (addr < bottom && addr >= bottom - 0x1000)
            line(name, "potential stack overflow: the address is in the page just below the stack\n");
        break;
    }
    default:
        line(name, "fault with unknown label ");
        dec(label);
        putc_('\n');
    }
    registers(pd);
}

static void copy_words(seL4_Word *dst, const seL4_Word *src, seL4_Word n)
{
    while (n--)
        *dst++ = src ? *src++ : 0;
}

/* Nanoseconds from the real-time clock. Reading the low word latches the
 * high one, so the two halves belong together. */
static seL4_Word rtc_now(void)
{
    volatile uint32_t *rtc = (volatile uint32_t *)monitor_rtc;
    seL4_Word low = rtc[0];
    return (seL4_Word)rtc[1] << 32 | low;
}

#ifdef CONFIG_KERNEL_MCS
/* whether a passive PD's own SC is back on its thread after its fault */
static bool sc_ok[PD_MAX_PDS];

static void mcs_error(const char *name, const char *what, seL4_Error err)
{
    puts_("MON|ERROR: ");
    puts_(name);
    puts_(what);
    dec((seL4_Word)err);
    putc_('\n');
}

/* A passive PD finished init() and waits: its SC leaves its thread for its
 * notification, which lends it to the thread whenever it is signalled (and
 * takes it back when the thread waits again); calls lend the caller's. */
static void make_passive(seL4_Word pd)
{
    seL4_Error err = seL4_SchedContext_UnbindObject(MONITOR_SC_BASE + pd, MONITOR_TCB_BASE + pd);
    if (!err)
        err = seL4_SchedContext_Bind(MONITOR_SC_BASE + pd, MONITOR_NOTIFICATION_BASE + pd);
    if (err) {
        mcs_error(monitor_pd_names[pd], ": could not be made passive, seL4 error ", err);
        return;
    }
    puts_("MON|INFO: ");
    puts_(monitor_pd_names[pd]);
    puts_(" is passive: its scheduling context now serves its notification\n");
}

/* The PD faulted inside protected(), on its caller's SC, holding the
 * caller's reply: answer the caller on the PD's behalf (seL4's pattern
 * for faulting passive servers: the fault handler replies through the
 * server's reply object), with MICROKIT_PPC_FAULTED_LABEL and no words.
 * The reply gives the caller its SC back; the caller runs on. The reply
 * cap moves into the monitor's CSpace for the Send and back after it. */
static void answer_caller(seL4_Word pd)
{
    seL4_Error err = seL4_CNode_Move(MONITOR_SELF_CNODE, MONITOR_SCRATCH_SLOT, PD_CNODE_BITS, MONITOR_CNODE_BASE + pd,
                                     PD_REPLY_CAP, PD_CNODE_BITS);
    if (err) {
        mcs_error(monitor_pd_names[pd], ": could not take its reply object to answer its caller, seL4 error ", err);
        return;
    }
    seL4_Send(MONITOR_SCRATCH_SLOT, seL4_MessageInfo_new(MICROKIT_PPC_FAULTED_LABEL, 0, 0, 0));
    err = seL4_CNode_Move(MONITOR_CNODE_BASE + pd, PD_REPLY_CAP, PD_CNODE_BITS, MONITOR_SELF_CNODE,
                          MONITOR_SCRATCH_SLOT, PD_CNODE_BITS);
    if (err)
        mcs_error(monitor_pd_names[pd], ": could not give its reply object back, seL4 error ", err);
    puts_("MON|INFO: ");
    puts_(monitor_pd_names[pd]);
    puts_(" faulted while serving a protected procedure call: its caller gets an answer with label ");
    hex(MICROKIT_PPC_FAULTED_LABEL);
    puts_(" and its scheduling context back\n");
}

/* A passive PD faulted: its own SC goes back to its thread (from its
 * notification, or from the thread itself if it was running on it), as
 * at boot, ready for a restart. If the thread runs on a caller's SC (the
 * Bind is refused: a thread has one SC), the caller is answered first,
 * which returns its SC, so no caller waits for a stopped PD. */
static bool sc_to_thread(seL4_Word pd)
{
    seL4_Error err = seL4_SchedContext_Unbind(MONITOR_SC_BASE + pd);
    if (!err) {
        err = seL4_SchedContext_Bind(MONITOR_SC_BASE + pd, MONITOR_TCB_BASE + pd);
        if (err == seL4_IllegalOperation) {
            answer_caller(pd);
            err = seL4_SchedContext_Bind(MONITOR_SC_BASE + pd, MONITOR_TCB_BASE + pd);
        }
    }
    if (err)
        mcs_error(monitor_pd_names[pd], ": its scheduling context could not be given back, seL4 error ", err);
    return !err;
}
#endif

/* Whether one more restart stays within the policy: max_restarts in all,
 * or, with a period, at most max_restarts in any window of the period
 * (the restart max_restarts back must be older than the period). */
static bool restart_allowed(seL4_Word pd, seL4_Word now)
{
    seL4_Word max = monitor_max_restarts[pd], period = monitor_restart_period_ns[pd];
    if (!period)
        return restarts[pd] < max;
    if (restarts[pd] < max)
        return true;
    seL4_Word oldest = restart_times[pd][restarts[pd] % max];
    return now - oldest >= period;
}

/* Reloads the PD's data, bss and stack as the tool laid them out and starts
 * it again from its entry, while the restart policy allows. */
static void restart(seL4_Word pd)
{
    const char *name = monitor_pd_names[pd];
    seL4_Word period = monitor_restart_period_ns[pd], now = period ? rtc_now() : 0;
    if (!restart_allowed(pd, now)) {
        line(name, "restarted ");
        dec(period ? monitor_max_restarts[pd] : restarts[pd]);
        if (period) {
            puts_(" times within ");
            dec(period / 1000);
            puts_(" us (max_restarts per restart_period); it stays stopped\n");
        } else {
            puts_(" times already (max_restarts); it stays stopped\n");
        }
        return;
    }
#ifdef CONFIG_KERNEL_MCS
    /* a passive PD starts over on its own SC, as at boot (the monitor gave
     * it back when the fault came in): its init() runs on it, and then it
     * asks to become passive again */
    if (monitor_pd_passive[pd] && !sc_ok[pd])
        return;
#endif
    if (period)
        restart_times[pd][restarts[pd] % monitor_max_restarts[pd]] = now;
    restarts[pd]++;
    seL4_Word page_words = 4096 / sizeof(seL4_Word);
    copy_words((seL4_Word *)monitor_reload_live[pd], (const seL4_Word *)monitor_reload_pristine[pd],
               monitor_reload_pages[pd] * page_words);
    copy_words((seL4_Word *)monitor_reload_stack[pd], 0, monitor_reload_stack_pages[pd] * page_words);
    seL4_UserContext regs = {0};
    regs.pc = monitor_pd_entry[pd];
    regs.sp = PD_STACK_TOP;
    seL4_Error err = seL4_TCB_WriteRegisters(MONITOR_TCB_BASE + pd, 1, 0, 3, &regs);
    puts_("MON|INFO: ");
    puts_(name);
    if (err) {
        puts_(": restart failed, seL4 error ");
        dec((seL4_Word)err);
        putc_('\n');
        return;
    }
    puts_(": reloaded data, bss and stack and restarted from its entry (restart ");
    dec(restarts[pd]);
    if (period) {
        puts_("; at most ");
        dec(monitor_max_restarts[pd]);
        puts_(" per ");
        dec(period / 1000);
        puts_(" us)\n");
    } else {
        puts_(" of ");
        dec(monitor_max_restarts[pd]);
        puts_(")\n");
    }
}

void monitor_main(void)
{
    seL4_SetIPCBuffer((seL4_IPCBuffer *)PD_IPC_BUFFER);
    puts_("MON|INFO: hypOS monitor started, watching ");
    dec(monitor_n_pds);
    puts_(" protection domains\n");
    for (;;) {
        seL4_Word badge;
#ifdef CONFIG_KERNEL_MCS
        /* faults arrive as calls: their reply rights go to the reply
         * object, which the next receive reuses (a PD left stopped stays
         * blocked; a restarted one no longer waits for a reply) */
        seL4_MessageInfo_t tag = seL4_Recv(PD_INPUT_CAP, &badge, PD_REPLY_CAP);
#else
        seL4_MessageInfo_t tag = seL4_Recv(PD_INPUT_CAP, &badge);
#endif
        if (badge == 0 || badge > monitor_n_pds) {
            puts_("MON|ERROR: message with unexpected badge ");
            hex(badge);
            putc_('\n');
            continue;
        }
#ifdef CONFIG_KERNEL_MCS
        /* an empty message with no fault label: a passive PD is done with
         * init() (only passive PDs hold a monitor endpoint cap) */
        if (seL4_MessageInfo_get_label(tag) == seL4_Fault_NullFault) {
            if (monitor_pd_passive[badge - 1])
                make_passive(badge - 1);
            continue;
        }
#endif
        report(badge - 1, tag);
#ifdef CONFIG_KERNEL_MCS
        if (monitor_pd_passive[badge - 1])
            sc_ok[badge - 1] = sc_to_thread(badge - 1);
#endif
        if (monitor_max_restarts[badge - 1])
            restart(badge - 1);
    }
}

/* The monitor links without a C library; libsel4's helpers copy words. */
/* the attribute keeps GCC from turning the loop into a call to itself */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memcpy(void *d, const void *s, __SIZE_TYPE__ n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memset(void *d, int c, __SIZE_TYPE__ n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}
