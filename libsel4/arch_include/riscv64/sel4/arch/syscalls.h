/* The RISC-V system call instruction: ecall with a7 = syscall number,
 * a0 = capability (out: badge), a1 = message info, a2..a5 = MR0..MR3
 * (seL4 manual, RISC-V appendix). The generic wrappers in
 * <sel4/syscalls.h> are built on these. */
#pragma once
#include <sel4/config.h>
#include <sel4/types.h>
#include <sel4/functions.h>

LIBSEL4_INLINE void seL4_riscv_sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info, seL4_Word mr0, seL4_Word mr1,
                                        seL4_Word mr2, seL4_Word mr3)
{
    register seL4_Word a0 __asm__("a0") = dest;
    register seL4_Word a1 __asm__("a1") = info;
    register seL4_Word a2 __asm__("a2") = mr0;
    register seL4_Word a3 __asm__("a3") = mr1;
    register seL4_Word a4 __asm__("a4") = mr2;
    register seL4_Word a5 __asm__("a5") = mr3;
    register seL4_Word a7 __asm__("a7") = sys;
    __asm__ __volatile__("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
}

LIBSEL4_INLINE void seL4_riscv_sys_recv(seL4_Word sys, seL4_Word src, seL4_Word *badge, seL4_Word *info, seL4_Word *mr0,
                                        seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word a0 __asm__("a0") = src;
    register seL4_Word a1 __asm__("a1") = 0;
    register seL4_Word a2 __asm__("a2");
    register seL4_Word a3 __asm__("a3");
    register seL4_Word a4 __asm__("a4");
    register seL4_Word a5 __asm__("a5");
    register seL4_Word a7 __asm__("a7") = sys;
    __asm__ __volatile__("ecall" : "+r"(a0), "+r"(a1), "=r"(a2), "=r"(a3), "=r"(a4), "=r"(a5) : "r"(a7) : "memory");
    *badge = a0;
    *info = a1;
    *mr0 = a2;
    *mr1 = a3;
    *mr2 = a4;
    *mr3 = a5;
}

LIBSEL4_INLINE void seL4_riscv_sys_send_recv(seL4_Word sys, seL4_Word dest, seL4_Word *badge, seL4_Word info,
                                             seL4_Word *out_info, seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                             seL4_Word *mr3)
{
    register seL4_Word a0 __asm__("a0") = dest;
    register seL4_Word a1 __asm__("a1") = info;
    register seL4_Word a2 __asm__("a2") = *mr0;
    register seL4_Word a3 __asm__("a3") = *mr1;
    register seL4_Word a4 __asm__("a4") = *mr2;
    register seL4_Word a5 __asm__("a5") = *mr3;
    register seL4_Word a7 __asm__("a7") = sys;
    __asm__ __volatile__("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
    if (badge)
        *badge = a0;
    *out_info = a1;
    *mr0 = a2;
    *mr1 = a3;
    *mr2 = a4;
    *mr3 = a5;
}

LIBSEL4_INLINE seL4_Word seL4_riscv_sys_null(seL4_Word sys, seL4_Word arg)
{
    register seL4_Word a0 __asm__("a0") = arg;
    register seL4_Word a7 __asm__("a7") = sys;
    __asm__ __volatile__("ecall" : "+r"(a0) : "r"(a7) : "a1", "a2", "a3", "a4", "a5", "memory");
    return a0;
}

/* The names the generic system calls (<sel4/syscalls.h>) use. */
#define seL4_arch_sys_send seL4_riscv_sys_send
#define seL4_arch_sys_recv seL4_riscv_sys_recv
#define seL4_arch_sys_send_recv seL4_riscv_sys_send_recv
#define seL4_arch_sys_null seL4_riscv_sys_null

#ifdef CONFIG_KERNEL_MCS
/* The MCS receive forms also pass the reply object in a6 and, for
 * NBSendRecv and NBSendWait, the send destination in t0 (seL4 manual,
 * RISC-V appendix); a0 carries the receive source and comes back as the
 * badge. */
LIBSEL4_INLINE void seL4_riscv_sys_mcs(seL4_Word sys, seL4_Word src, seL4_Word reply, seL4_Word send_dest,
                                       seL4_Word *badge, seL4_Word info, seL4_Word *out_info, seL4_Word *mr0,
                                       seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word a0 __asm__("a0") = src;
    register seL4_Word a1 __asm__("a1") = info;
    register seL4_Word a2 __asm__("a2") = *mr0;
    register seL4_Word a3 __asm__("a3") = *mr1;
    register seL4_Word a4 __asm__("a4") = *mr2;
    register seL4_Word a5 __asm__("a5") = *mr3;
    register seL4_Word a6 __asm__("a6") = reply;
    register seL4_Word t0 __asm__("t0") = send_dest;
    register seL4_Word a7 __asm__("a7") = sys;
    __asm__ __volatile__("ecall"
                         : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
                         : "r"(a6), "r"(t0), "r"(a7)
                         : "memory");
    if (badge)
        *badge = a0;
    *out_info = a1;
    *mr0 = a2;
    *mr1 = a3;
    *mr2 = a4;
    *mr3 = a5;
}
#define seL4_arch_sys_mcs seL4_riscv_sys_mcs
#endif
