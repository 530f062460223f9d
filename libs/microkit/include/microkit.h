/* libmicrokit for hypOS: the programming interface of a protection domain
 * (PD) in a Microkit-compatible system. A PD provides init() and
 * notified(); optionally protected() (when other PDs call it) and fault()
 * (when it has children). The library runs the event loop that calls
 * them. Capability slots, badges and the address-space layout follow
 * Microkit's ABI (see docs/system-builder.md). */
#pragma once
#include <hypos/microkit_abi.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

#ifndef seL4_True
#define seL4_True ((seL4_Bool)1)
#define seL4_False ((seL4_Bool)0)
#endif

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef seL4_MessageInfo_t microkit_msginfo;

#define MICROKIT_MAX_CHANNELS 62
#define MICROKIT_MAX_CHANNEL_ID (MICROKIT_MAX_CHANNELS - 1)
#define MICROKIT_PD_NAME_LENGTH 64

/* Set by the tool in each PD's image. */
extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
extern bool microkit_passive;
extern seL4_Word microkit_irqs;
extern seL4_Word microkit_notifications;
extern seL4_Word microkit_pps;

/* What the PD provides. */
void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

/* Deferred operations: at most one per entry, carried out by the event
 * loop just before it waits again (saves a system call on MCS kernels;
 * here it keeps the programming model). */
extern bool microkit_have_signal;
extern seL4_CPtr microkit_signal_cap;
extern seL4_MessageInfo_t microkit_signal_msg;

/* hypOS extension (Microkit has none): end the system by powering the
 * machine off, for demonstrations and tests that are done. Debug and
 * benchmark configs use the kernel's debug halt (seL4_DebugHalt); a release
 * kernel offers user code no way to stop the machine, so there it returns
 * at once and the system idles once every PD waits. */
void microkit_hypos_poweroff(void);

/* hypOS extension: the writable view of a JIT code area that the system
 * maps only while the PD writes code (a <map ... perms="rw"
 * hypos:jit_write="SYMBOL"> in the .system file; docs/bpf-jit.md, "W^X").
 * The tool writes where the view goes and which caps map it into SYMBOL,
 * which must be read-only data:
 *     MICROKIT_HYPOS_FRAMES(jit_frames);
 * Read it through microkit_hypos_frames_read(&jit_frames): the compiler would
 * otherwise fold the fields of a const object to their initial zeros.
 * microkit_hypos_frames_map maps the frames covering [off, off + len) of
 * the view read-write and never executable, at the view's address;
 * microkit_hypos_frames_unmap removes them again. Both return seL4_NoError
 * or the first error of the kernel (the frames done before it stay done). */
#define MICROKIT_HYPOS_FRAMES(name) __attribute__((used, aligned(8))) const struct microkit_hypos_frames name = {0}
static inline const struct microkit_hypos_frames *microkit_hypos_frames_read(const struct microkit_hypos_frames *f)
{
    __asm__("" : "+r"(f));
    return f;
}
seL4_Error microkit_hypos_frames_map(const struct microkit_hypos_frames *f, seL4_Word off, seL4_Word len);
seL4_Error microkit_hypos_frames_unmap(const struct microkit_hypos_frames *f, seL4_Word off, seL4_Word len);

void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);
void microkit_dbg_put8(seL4_Uint8 x);
void microkit_dbg_put32(seL4_Uint32 x);
/* Debug-build report of a misuse, naming the PD (no effect in release). */
void microkit_internal_crash(seL4_Error err) __attribute__((noreturn));
void microkit_internal_bad_channel(const char *fn, microkit_channel ch);

static inline bool microkit_internal_configured(seL4_Word set, microkit_channel ch)
{
    return ch <= MICROKIT_MAX_CHANNEL_ID && ((set >> ch) & 1);
}

static inline void microkit_notify(microkit_channel ch)
{
#ifndef NDEBUG
    if (!microkit_internal_configured(microkit_notifications, ch)) {
        microkit_internal_bad_channel("microkit_notify", ch);
        return;
    }
#endif
    seL4_Signal(PD_NOTIFICATION_BASE + ch);
}

static inline void microkit_irq_ack(microkit_channel ch)
{
#ifndef NDEBUG
    if (!microkit_internal_configured(microkit_irqs, ch)) {
        microkit_internal_bad_channel("microkit_irq_ack", ch);
        return;
    }
#endif
    seL4_IRQHandler_Ack(PD_IRQ_BASE + ch);
}

/* Call or ReplyRecv (sys) on cap. MR0..MR3 travel in registers; the IPC
 * buffer is where microkit_mr_get and microkit_mr_set find them. Only the
 * received message's own words are stored there (seL4 leaves the MRs past a
 * message's length undefined), and an empty message sets up no MR register
 * at all (the kernel reads none past the length), so the common empty
 * protected procedure call pays for no copying. */
static inline seL4_MessageInfo_t microkit_internal_ipc(seL4_Word sys, seL4_CPtr cap, seL4_MessageInfo_t info,
                                                       seL4_Word *badge)
{
    register seL4_Word a0 __asm__("a0") = cap;
    register seL4_Word a1 __asm__("a1") = info.words[0];
    register seL4_Word a2 __asm__("a2"), a3 __asm__("a3"), a4 __asm__("a4"), a5 __asm__("a5");
    register seL4_Word a7 __asm__("a7") = sys;
#ifdef CONFIG_KERNEL_MCS
    /* MCS: ReplyRecv replies through the reply object and receives the
     * next caller's reply right into it. A Call ignores the register, so
     * there it is left as it is (the empty asm gives it a value without an
     * instruction). */
    register seL4_Word a6 __asm__("a6");
    if (sys == (seL4_Word)seL4_SysReplyRecv)
        a6 = PD_REPLY_CAP;
    else
        __asm__("" : "=r"(a6));
#define MICROKIT_REPLY_REG , "r"(a6)
#else
#define MICROKIT_REPLY_REG
#endif
    if (seL4_MessageInfo_get_length(info) == 0) {
        __asm__ volatile("ecall"
                         : "+r"(a0), "+r"(a1), "=r"(a2), "=r"(a3), "=r"(a4), "=r"(a5)
                         : "r"(a7)MICROKIT_REPLY_REG
                         : "memory");
    } else {
        a2 = seL4_GetMR(0);
        a3 = seL4_GetMR(1);
        a4 = seL4_GetMR(2);
        a5 = seL4_GetMR(3);
        __asm__ volatile("ecall"
                         : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
                         : "r"(a7)MICROKIT_REPLY_REG
                         : "memory");
    }
#undef MICROKIT_REPLY_REG
    if (badge)
        *badge = a0;
    seL4_MessageInfo_t out = {{a1}};
    seL4_Word n = seL4_MessageInfo_get_length(out);
    /* most messages are empty: nothing of the rest on their path */
    if (__builtin_expect(n > 0, 0)) {
        seL4_SetMR(0, a2);
        if (n > 1) {
            seL4_SetMR(1, a3);
            if (n > 2) {
                seL4_SetMR(2, a4);
                if (n > 3)
                    seL4_SetMR(3, a5);
            }
        }
    }
    return out;
}

static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
#ifndef NDEBUG
    if (!microkit_internal_configured(microkit_pps, ch)) {
        microkit_internal_bad_channel("microkit_ppcall", ch);
        return seL4_MessageInfo_new(0, 0, 0, 0);
    }
#endif
    return microkit_internal_ipc(seL4_SysCall, PD_PPC_BASE + ch, msginfo, NULL);
}

static inline void microkit_deferred_notify(microkit_channel ch)
{
#ifndef NDEBUG
    if (!microkit_internal_configured(microkit_notifications, ch)) {
        microkit_internal_bad_channel("microkit_deferred_notify", ch);
        return;
    }
#endif
    microkit_have_signal = true;
    microkit_signal_msg = seL4_MessageInfo_new(0, 0, 0, 0);
    microkit_signal_cap = PD_NOTIFICATION_BASE + ch;
}

static inline void microkit_deferred_irq_ack(microkit_channel ch)
{
#ifndef NDEBUG
    if (!microkit_internal_configured(microkit_irqs, ch)) {
        microkit_internal_bad_channel("microkit_deferred_irq_ack", ch);
        return;
    }
#endif
    microkit_have_signal = true;
    microkit_signal_msg = seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0);
    microkit_signal_cap = PD_IRQ_BASE + ch;
}

static inline void microkit_pd_restart(microkit_child pd, seL4_Word entry_point)
{
    seL4_UserContext ctx = {0};
    ctx.pc = entry_point;
    seL4_Error err = seL4_TCB_WriteRegisters(PD_CHILD_TCB_BASE + pd, seL4_True, 0, 1, &ctx);
    if (err != seL4_NoError)
        microkit_internal_crash(err);
}

static inline void microkit_pd_stop(microkit_child pd)
{
    seL4_Error err = seL4_TCB_Suspend(PD_CHILD_TCB_BASE + pd);
    if (err != seL4_NoError)
        microkit_internal_crash(err);
}

static inline void microkit_pd_resume(microkit_child pd)
{
    seL4_Error err = seL4_TCB_Resume(PD_CHILD_TCB_BASE + pd);
    if (err != seL4_NoError)
        microkit_internal_crash(err);
}

static inline microkit_msginfo microkit_msginfo_new(seL4_Word label, seL4_Uint16 count)
{
    return seL4_MessageInfo_new(label, 0, 0, count);
}
static inline seL4_Word microkit_msginfo_get_label(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_label(msginfo);
}
static inline seL4_Word microkit_msginfo_get_count(microkit_msginfo msginfo)
{
    return seL4_MessageInfo_get_length(msginfo);
}
static inline void microkit_mr_set(seL4_Uint8 mr, seL4_Word value) { seL4_SetMR(mr, value); }
static inline seL4_Word microkit_mr_get(seL4_Uint8 mr) { return seL4_GetMR(mr); }
