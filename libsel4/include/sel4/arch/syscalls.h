/* The RISC-V system call instruction: ecall with a7 = syscall number,
 * a0 = capability (out: badge), a1 = message info, a2..a5 = MR0..MR3
 * (seL4 manual, RISC-V appendix). The generic wrappers in
 * <sel4/syscalls.h> are built on these. */
#pragma once
#include <sel4/types.h>
#include <sel4/functions.h>

LIBSEL4_INLINE void seL4_riscv_sys_send(seL4_Word sys, seL4_Word dest, seL4_Word info, seL4_Word mr0,
                                       seL4_Word mr1, seL4_Word mr2, seL4_Word mr3)
{
    register seL4_Word a0 asm("a0") = dest;
    register seL4_Word a1 asm("a1") = info;
    register seL4_Word a2 asm("a2") = mr0;
    register seL4_Word a3 asm("a3") = mr1;
    register seL4_Word a4 asm("a4") = mr2;
    register seL4_Word a5 asm("a5") = mr3;
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
}

LIBSEL4_INLINE void seL4_riscv_sys_recv(seL4_Word sys, seL4_Word src, seL4_Word *badge, seL4_Word *info,
                                       seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word a0 asm("a0") = src;
    register seL4_Word a1 asm("a1") = 0;
    register seL4_Word a2 asm("a2");
    register seL4_Word a3 asm("a3");
    register seL4_Word a4 asm("a4");
    register seL4_Word a5 asm("a5");
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall"
                 : "+r"(a0), "+r"(a1), "=r"(a2), "=r"(a3), "=r"(a4), "=r"(a5)
                 : "r"(a7)
                 : "memory");
    *badge = a0;
    *info = a1;
    *mr0 = a2;
    *mr1 = a3;
    *mr2 = a4;
    *mr3 = a5;
}

LIBSEL4_INLINE void seL4_riscv_sys_send_recv(seL4_Word sys, seL4_Word dest, seL4_Word *badge, seL4_Word info,
                                            seL4_Word *out_info, seL4_Word *mr0, seL4_Word *mr1,
                                            seL4_Word *mr2, seL4_Word *mr3)
{
    register seL4_Word a0 asm("a0") = dest;
    register seL4_Word a1 asm("a1") = info;
    register seL4_Word a2 asm("a2") = *mr0;
    register seL4_Word a3 asm("a3") = *mr1;
    register seL4_Word a4 asm("a4") = *mr2;
    register seL4_Word a5 asm("a5") = *mr3;
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
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
    register seL4_Word a0 asm("a0") = arg;
    register seL4_Word a7 asm("a7") = sys;
    asm volatile("ecall" : "+r"(a0) : "r"(a7) : "a1", "a2", "a3", "a4", "a5", "memory");
    return a0;
}
