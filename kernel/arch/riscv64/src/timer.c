/* The kernel tick. With Sstc (RISC-V privileged spec 1.12 ch. 3.1.9 and
 * the Sstc extension) the kernel writes stimecmp itself and STIP follows
 * time >= stimecmp; without it the SBI TIME extension (SBI 1.0 ch. 6)
 * programs the timer through the firmware. Either way writing a future
 * deadline clears the pending timer interrupt. */
#include <arch/timer.h>
#include <arch/machine.h>
#include <arch/sbi.h>
#include <kernel/printk.h>

#define CSR_STIMECMP 0x14d
#define SBI_EXT_TIME 0x54494d45 /* "TIME" */

word_t timer_ticks;
static word_t period, deadline, hz = 10000000;
static bool have_sstc;

/* Read stimecmp with a one-instruction trap handler in place: an illegal
 * instruction trap (no Sstc, or M-mode left menvcfg.STCE clear) skips the
 * read and reports absence. Runs with interrupts off, before the first
 * thread. */
static bool probe_sstc(void)
{
    word_t ok;
    asm volatile("la    t0, 1f\n"
                 "csrrw t1, stvec, t0\n"
                 "li    %0, 1\n"
                 "csrr  t2, 0x14d\n"
                 "j     2f\n"
                 ".balign 4\n"
                 "1:\n"
                 "li    %0, 0\n"
                 "csrr  t0, sepc\n"
                 "addi  t0, t0, 4\n"
                 "csrw  sepc, t0\n"
                 "sret\n"
                 "2:\n"
                 "csrw  stvec, t1\n"
                 : "=&r"(ok)
                 :
                 : "t0", "t1", "t2", "memory");
    return ok;
}

static void program(word_t when)
{
    if (have_sstc)
        asm volatile("csrw 0x14d, %0" ::"r"(when));
    else
        sbi_call(SBI_EXT_TIME, 0, when, 0, 0);
}

void timer_init(word_t timebase_hz)
{
    if (!timebase_hz)
        timebase_hz = 10000000; /* QEMU virt's timebase-frequency */
    period = timebase_hz / (1000000 / TIMER_TICK_US);
    hz = timebase_hz;
    have_sstc = probe_sstc();
    /* Builds made for testing and measuring let user mode read cycle,
     * time and instret (scounteren, privileged spec §4.1.5); a release
     * build keeps the clock and the counters to the kernel (the register
     * is written either way: firmware may have left it enabled). The
     * timer itself (stimecmp) is never reachable from user mode. */
#ifdef HYPOS_USER_COUNTERS
    csr_write(scounteren, 7);
#else
    csr_write(scounteren, 0);
#endif
    deadline = csr_read(time);
    debug_printf("  timer     %lu Hz, tick %u us, %s\n", timebase_hz, TIMER_TICK_US,
                 have_sstc ? "stimecmp (Sstc)" : "SBI TIME");
    timer_reset();
}

void timer_reset(void)
{
    word_t now = csr_read(time);
    deadline += period;
    /* after a long stretch with interrupts off, do not fire a burst */
    if ((sword_t)(deadline - now) <= 0)
        deadline = now + period;
    program(deadline);
    timer_ticks++;
}

bool timer_uses_sstc(void) { return have_sstc; }

/* One-shot use (the MCS scheduler): the time counter, its frequency and
 * an absolute deadline (~0: none). */
word_t timer_hz(void) { return hz; }
word_t timer_now(void) { return csr_read(time); }
void timer_set_deadline(word_t when) { program(when); }
