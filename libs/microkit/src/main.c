/* libmicrokit's event loop and the variables the tool patches. The PD's
 * single wait point is its input capability: its endpoint (with its
 * notification bound to the thread) or, without one, its notification.
 * The badge says what arrived: bit 63 a protected procedure call, bit 62
 * a child's fault, otherwise one bit per notifying channel. */
#include <microkit.h>

/* In .data so that the tool finds file bytes to patch. */
__attribute__((section(".data"))) char microkit_name[MICROKIT_PD_NAME_LENGTH] = {0};
__attribute__((section(".data"))) bool microkit_passive = false;
__attribute__((section(".data"))) seL4_Word microkit_irqs = 0;
__attribute__((section(".data"))) seL4_Word microkit_notifications = 0;
__attribute__((section(".data"))) seL4_Word microkit_pps = 0;

bool microkit_have_signal;
seL4_CPtr microkit_signal_cap;
seL4_MessageInfo_t microkit_signal_msg;

__thread seL4_IPCBuffer *__sel4_ipc_buffer;

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": protected procedure call on channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts(" but this PD does not define protected()\n");
    return seL4_MessageInfo_new(0, 0, 0, 0);
}

__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": fault of child ");
    microkit_dbg_put32(child);
    microkit_dbg_puts(" but this PD does not define fault()\n");
    return seL4_False;
}

void microkit_dbg_putc(int c)
{
#ifdef HYPOS_PRINTING
    seL4_DebugPutChar((char)c);
#else
    (void)c;
#endif
}

void microkit_hypos_poweroff(void)
{
#ifdef HYPOS_PRINTING
    seL4_DebugHalt();
#endif
}

void microkit_dbg_puts(const char *s)
{
    while (*s)
        microkit_dbg_putc(*s++);
}

static void put_dec(seL4_Word x)
{
    char buf[24];
    int n = 0;
    do
        buf[n++] = (char)('0' + x % 10);
    while ((x /= 10) && n < 24);
    while (n)
        microkit_dbg_putc(buf[--n]);
}

void microkit_dbg_put8(seL4_Uint8 x) { put_dec(x); }
void microkit_dbg_put32(seL4_Uint32 x) { put_dec(x); }

void microkit_internal_bad_channel(const char *fn, microkit_channel ch)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(fn);
    microkit_dbg_puts(": invalid channel given '");
    put_dec(ch);
    microkit_dbg_puts("'\n");
}

void microkit_internal_crash(seL4_Error err)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": libmicrokit invocation failed with seL4 error ");
    put_dec((seL4_Word)err);
    microkit_dbg_puts("\n");
    /* a fault the monitor (or the parent) reports */
    *(volatile char *)0 = 0;
    for (;;)
        ;
}

/* inlined: it is on every turn of the event loop */
static inline __attribute__((always_inline)) void flush_deferred(void)
{
    if (!microkit_have_signal)
        return;
    microkit_have_signal = false;
    if (seL4_MessageInfo_get_label(microkit_signal_msg) == IRQAckIRQ)
        seL4_IRQHandler_Ack(microkit_signal_cap);
    else
        seL4_Signal(microkit_signal_cap);
}

/* Kept out of line: its reply variable has its address taken. */
static __attribute__((noinline)) bool handle_fault(microkit_child child, seL4_MessageInfo_t tag,
                                                   seL4_MessageInfo_t *reply)
{
    seL4_MessageInfo_t answer = seL4_MessageInfo_new(0, 0, 0, 0);
    bool have_reply = fault(child, tag, &answer);
    *reply = answer;
    return have_reply;
}

/* A message that is not a call: a child's fault (whether a reply is due,
 * then in *reply) or notifications. */
static inline __attribute__((always_inline)) bool dispatch_other(seL4_Word badge, seL4_MessageInfo_t tag,
                                                                 seL4_MessageInfo_t *reply)
{
    /* The loop below keeps the bits in a register that survives calls of
     * notified(); the copy (an instruction the compiler cannot see
     * through) keeps it from putting the badge there on every path, which
     * would cost each protected procedure call a move. */
    seL4_Word bits;
    __asm__("mv %0, %1" : "=r"(bits) : "r"(badge));
    if (bits & PD_BADGE_FAULT) {
        seL4_MessageInfo_t answer;
        bool have_reply = handle_fault((microkit_child)(bits & 0x3f), tag, &answer);
        *reply = answer;
        return have_reply;
    }
    for (microkit_channel ch = 0; bits; ch++, bits >>= 1)
        if (bits & 1)
            notified(ch);
    return false;
}

/* protected()'s answer while a deferred signal goes out first (in memory:
 * the common path keeps the answer in a register from protected()'s
 * return to the system call that carries it) */
static seL4_MessageInfo_t deferred_answer;

void microkit_internal_main(void)
{
    seL4_SetIPCBuffer((seL4_IPCBuffer *)PD_IPC_BUFFER);
    /* an interrupt that fired before the handler was bound stays pending
     * until acknowledged: acknowledge each once so that it can arrive */
    for (microkit_channel ch = 0; ch <= MICROKIT_MAX_CHANNEL_ID; ch++)
        if ((microkit_irqs >> ch) & 1)
            seL4_IRQHandler_Ack(PD_IRQ_BASE + ch);
    init();
    flush_deferred();
    seL4_Word badge;
    seL4_MessageInfo_t tag;
#ifdef CONFIG_KERNEL_MCS
    if (microkit_passive) {
        /* init() ran on the PD's own SC. Ask the monitor to take it (it
         * binds the SC to this PD's notification) and wait, in one system
         * call: when the monitor runs, this thread already waits, so from
         * then on it runs only on a caller's SC or the notification's. */
        tag = seL4_NBSendRecv(PD_MONITOR_EP_CAP, seL4_MessageInfo_new(0, 0, 0, 0), PD_INPUT_CAP, &badge, PD_REPLY_CAP);
    } else {
        tag = seL4_Recv(PD_INPUT_CAP, &badge, PD_REPLY_CAP);
    }
#else
    tag = seL4_Recv(PD_INPUT_CAP, &badge);
#endif
    /* One wait per turn: with a reply due it goes out in the same system
     * call (ReplyRecv). A call's answer travels in a register from
     * protected() to the ReplyRecv (fault()'s comes through a variable of
     * its own, whose address is taken only on that path); a deferred
     * signal, if one is due, goes out before it. */
    for (;;) {
        if (__builtin_expect((badge & PD_BADGE_PPC) != 0, 1)) {
            seL4_MessageInfo_t answer = protected((microkit_channel)(badge & 0x3f), tag);
            if (__builtin_expect(microkit_have_signal, 0)) {
                deferred_answer = answer;
                flush_deferred();
                answer = deferred_answer;
            }
            tag = microkit_internal_ipc(seL4_SysReplyRecv, PD_INPUT_CAP, answer, &badge);
            continue;
        }
        seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, 0);
        bool have_reply = dispatch_other(badge, tag, &reply);
        flush_deferred();
        if (have_reply) {
            tag = microkit_internal_ipc(seL4_SysReplyRecv, PD_INPUT_CAP, reply, &badge);
            continue;
        }
#ifdef CONFIG_KERNEL_MCS
        tag = seL4_Recv(PD_INPUT_CAP, &badge, PD_REPLY_CAP);
#else
        tag = seL4_Recv(PD_INPUT_CAP, &badge);
#endif
    }
}

/* PDs link without a C library; the compiler may still call these. */
__attribute__((weak, optimize("no-tree-loop-distribute-patterns"))) void *memset(void *d, int c, __SIZE_TYPE__ n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

__attribute__((weak)) /* the attribute keeps GCC from turning the loop into a call to itself */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *
memcpy(void *d, const void *s, __SIZE_TYPE__ n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
