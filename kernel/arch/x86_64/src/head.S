/* Kernel entry from a multiboot loader (Multiboot Specification 0.6.96,
 * §3.2 "Machine state"): 32-bit protected mode, paging off, EAX holds the
 * magic 0x2badb002 and EBX the physical address of the multiboot info.
 * The code here runs at its physical address: it clears .bss, maps the
 * first GiB both where it is and at KERNEL_VBASE (2 MiB pages), enters
 * long mode (Intel SDM Vol. 3A §9.8.5) and jumps to the linked address. */
#include <arch/kobj_base.h>

#define PHYS(sym) ((sym) - KERNEL_VBASE)
#define MULTIBOOT_MAGIC 0x1badb002
/* bit 1: the loader must pass the memory map */
#define MULTIBOOT_FLAGS 0x2

.section .multiboot, "a"
.balign 4
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

.section .text.boot, "ax"
.code32
.global _start
_start:
    cli
    cld
    movl  %eax, %edi            /* keep magic and info pointer */
    movl  %ebx, %esi
    rdtsc                       /* boot cost measurement starts here */
    movl  %eax, %ebp
    movl  %edx, %esp            /* no stack yet: esp is free */

    /* clear .bss (the boot page tables live there) */
    movl  $PHYS(_bss_start), %ecx
1:  cmpl  $PHYS(_bss_end), %ecx
    jae   2f
    movl  $0, (%ecx)
    addl  $4, %ecx
    jmp   1b
2:  movl  %ebp, PHYS(boot_instret_at_entry)
    movl  %esp, PHYS(boot_instret_at_entry) + 4
    /* boot_pd: 512 2 MiB pages over the first GiB (P, RW, PS) */
    movl  $PHYS(boot_pd), %ecx
    xorl  %eax, %eax
3:  movl  %eax, %edx
    orl   $0x83, %edx
    movl  %edx, (%ecx)
    addl  $8, %ecx
    addl  $0x200000, %eax
    cmpl  $0x40000000, %eax
    jb    3b
    /* PML4[0] -> pdpt_low[0] -> boot_pd (identity);
     * PML4[511] -> pdpt_high[510] -> boot_pd (KERNEL_VBASE) */
    movl  $PHYS(boot_pd) + 3, %eax
    movl  %eax, PHYS(boot_pdpt_low)
    movl  %eax, PHYS(boot_pdpt_high) + 510 * 8
    movl  $PHYS(boot_pdpt_low) + 3, %eax
    movl  %eax, PHYS(boot_pml4)
    movl  $PHYS(boot_pdpt_high) + 3, %eax
    movl  %eax, PHYS(boot_pml4) + 511 * 8

    movl  %cr4, %eax
    orl   $(1 << 5), %eax       /* PAE */
    movl  %eax, %cr4
    movl  $PHYS(boot_pml4), %eax
    movl  %eax, %cr3
    movl  $0xc0000080, %ecx     /* EFER: LME, NXE, SCE */
    rdmsr
    orl   $((1 << 8) | (1 << 11) | (1 << 0)), %eax
    wrmsr
    movl  %cr0, %eax
    orl   $((1 << 31) | (1 << 16)), %eax /* PG, WP */
    movl  %eax, %cr0
    lgdt  PHYS(boot_gdt_ptr)
    ljmp  $0x08, $PHYS(long_mode_entry)

.code64
long_mode_entry:
    movl  $0x10, %eax
    movl  %eax, %ds
    movl  %eax, %es
    movl  %eax, %ss
    xorl  %eax, %eax
    movl  %eax, %fs
    movl  %eax, %gs
    movabsq $high_entry, %rax
    jmp   *%rax

.text
high_entry:
    movabsq $kernel_stack_top, %rsp
    xorl  %ebp, %ebp
    call  boot_main             /* edi = magic, esi = multiboot info */
4:  hlt
    jmp   4b

.section .rodata
.balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code, DPL 0 */
    .quad 0x00cf92000000ffff    /* 0x10: data, DPL 0 */
boot_gdt_end:
.balign 8
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long PHYS(boot_gdt)

.section .bss
.balign 4096
boot_pml4:      .space 4096
boot_pdpt_low:  .space 4096
boot_pdpt_high: .space 4096
boot_pd:        .space 4096
.balign 16
kernel_stack:
    .space 16384
.global kernel_stack_top
kernel_stack_top:
