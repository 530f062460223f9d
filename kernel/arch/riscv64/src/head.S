/* Kernel entry from OpenSBI: a0 = hart id, a1 = device tree (physical).
 * We run at the physical load address with the MMU off: clear .bss, map
 * the kernel both where it is and where it is linked (one Sv39 gigapage
 * each), turn on paging and jump to the linked address. */
#include <arch/kobj_base.h>

.section .text.boot, "ax"
.global _start
_start:
    csrr  t6, instret          /* boot cost measurement starts here */
    csrw  sie, zero
    csrw  sscratch, zero
    la    t0, _bss_start
    la    t1, _bss_end
1:  bgeu  t0, t1, 2f
    sd    zero, 0(t0)
    addi  t0, t0, 8
    j     1b
2:
    la    t0, boot_instret_at_entry
    sd    t6, 0(t0)
    /* boot_pt[2] maps 0x80000000 (identity), boot_pt[510] the kernel window */
    la    t0, boot_pt
    li    t1, (KERNEL_PBASE >> 12) << 10
    ori   t1, t1, 0xcf          /* V R W X A D */
    sd    t1, 2*8(t0)
    li    t2, 510*8
    add   t2, t2, t0
    sd    t1, 0(t2)
    srli  t0, t0, 12
    li    t2, 8 << 60           /* Sv39 */
    or    t0, t0, t2
    sfence.vma
    csrw  satp, t0
    sfence.vma
    /* continue at the linked (high) address of high_entry */
    la    t0, high_entry
    li    t1, KERNEL_VBASE - KERNEL_PBASE
    add   t0, t0, t1
    jr    t0

.text
high_entry:
    la    sp, kernel_stack_top
    la    t0, trap_entry
    csrw  stvec, t0
    call  boot_main            /* a0, a1 still hold hart id and dtb */
3:  wfi
    j     3b

.section .bss
.align 12
.global boot_pt
boot_pt:
    .space 4096
.align 12
kernel_stack:
    .space 16384
.global kernel_stack_top
kernel_stack_top:
