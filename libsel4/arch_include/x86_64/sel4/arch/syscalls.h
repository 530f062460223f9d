/* x86_64 system call primitives: SYSCALL with rdx = number, rdi =
 * cap/badge, rsi = message info, r10, r8, r9, r15 = MR0..MR3 (seL4's
 * x86_64 register use). The instruction itself overwrites rcx and r11;
 * the kernel restores every other register. */
#pragma once
#include <sel4/config.h>
#include <sel4/types.h>
#include <sel4/functions.h>

LIBSEL4_INLINE void seL4_arch_sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info, seL4_Word mr0, seL4_Word mr1,
                                       seL4_Word mr2, seL4_Word mr3)
{
    register seL4_Word r10 __asm__("r10") = mr0;
    register seL4_Word r8 __asm__("r8") = mr1;
    register seL4_Word r9 __asm__("r9") = mr2;
    register seL4_Word r15 __asm__("r15") = mr3;
    __asm__ __volatile__("syscall"
                         : "+D"(dest), "+S"(info), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r15), "+d"(sys)
                         :
                         : "rcx", "r11", "memory");
}

LIBSEL4_INLINE void seL4_arch_sys_recv(seL4_Word sys, seL4_Word src, seL4_Word *badge, seL4_Word *info, seL4_Word *mr0,
                                       seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word r10 __asm__("r10");
    register seL4_Word r8 __asm__("r8");
    register seL4_Word r9 __asm__("r9");
    register seL4_Word r15 __asm__("r15");
    seL4_Word in = 0;
    __asm__ __volatile__("syscall"
                         : "+D"(src), "+S"(in), "=r"(r10), "=r"(r8), "=r"(r9), "=r"(r15), "+d"(sys)
                         :
                         : "rcx", "r11", "memory");
    *badge = src;
    *info = in;
    *mr0 = r10;
    *mr1 = r8;
    *mr2 = r9;
    *mr3 = r15;
}

LIBSEL4_INLINE void seL4_arch_sys_send_recv(seL4_Word sys, seL4_Word dest, seL4_Word *badge, seL4_Word info,
                                            seL4_Word *out_info, seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                            seL4_Word *mr3)
{
    register seL4_Word r10 __asm__("r10") = *mr0;
    register seL4_Word r8 __asm__("r8") = *mr1;
    register seL4_Word r9 __asm__("r9") = *mr2;
    register seL4_Word r15 __asm__("r15") = *mr3;
    __asm__ __volatile__("syscall"
                         : "+D"(dest), "+S"(info), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r15), "+d"(sys)
                         :
                         : "rcx", "r11", "memory");
    if (badge)
        *badge = dest;
    *out_info = info;
    *mr0 = r10;
    *mr1 = r8;
    *mr2 = r9;
    *mr3 = r15;
}

LIBSEL4_INLINE seL4_Word seL4_arch_sys_null(seL4_Word sys, seL4_Word arg)
{
    __asm__ __volatile__("syscall" : "+D"(arg), "+d"(sys) : : "rcx", "r11", "rsi", "r10", "r8", "r9", "r15", "memory");
    return arg;
}

#ifdef CONFIG_KERNEL_MCS
/* The MCS receive forms also pass the reply object in r12 and, for
 * NBSendRecv and NBSendWait, the send destination in r13 (seL4's x86_64
 * register use); rdi carries the receive source and comes back as the
 * badge. */
LIBSEL4_INLINE void seL4_arch_sys_mcs(seL4_Word sys, seL4_Word src, seL4_Word reply, seL4_Word send_dest,
                                      seL4_Word *badge, seL4_Word info, seL4_Word *out_info, seL4_Word *mr0,
                                      seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word r10 __asm__("r10") = *mr0;
    register seL4_Word r8 __asm__("r8") = *mr1;
    register seL4_Word r9 __asm__("r9") = *mr2;
    register seL4_Word r15 __asm__("r15") = *mr3;
    register seL4_Word r12 __asm__("r12") = reply;
    register seL4_Word r13 __asm__("r13") = send_dest;
    __asm__ __volatile__("syscall"
                         : "+D"(src), "+S"(info), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r15), "+d"(sys)
                         : "r"(r12), "r"(r13)
                         : "rcx", "r11", "memory");
    if (badge)
        *badge = src;
    *out_info = info;
    *mr0 = r10;
    *mr1 = r8;
    *mr2 = r9;
    *mr3 = r15;
}
#endif
