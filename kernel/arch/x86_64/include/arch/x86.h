/* x86 instructions the kernel uses: port I/O, MSRs, control registers. */
#pragma once
#ifndef __ASSEMBLER__
#include <types.h>

static inline void outb(uint16_t port, uint8_t v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { asm volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { asm volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline word_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((word_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, word_t v)
{
    asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
/* CR3 as last written: every write goes through write_cr3, so this copy
 * is always the register's value, and comparing with it (the fastpath
 * does on every switch) takes one instruction fewer than reading CR3. */
extern word_t x86_cur_cr3;
static inline word_t read_cr3(void) { return x86_cur_cr3; }
static inline void write_cr3(word_t v)
{
    asm volatile("mov %0, %%cr3" ::"r"(v) : "memory");
    x86_cur_cr3 = v;
}
static inline word_t read_cr2(void)
{
    word_t v;
    asm volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline void invlpg(word_t va) { asm volatile("invlpg (%0)" ::"r"(va) : "memory"); }
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline word_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((word_t)hi << 32) | lo;
}

#endif

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_APIC_BASE 0x1b
#define MSR_PAT 0x277

/* Segment selectors of the kernel's GDT (boot.c). User selectors carry
 * RPL 3; the order suits SYSCALL/SYSRET (SDM Vol. 2B, SYSCALL). */
#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_USER_DS 0x1b
#define SEL_USER_CS 0x23
#define SEL_TSS 0x28

#define RFLAGS_IF (1ull << 9)
#define RFLAGS_RESERVED1 (1ull << 1)

/* Interrupt vectors. */
#define VECTOR_TIMER 0x20
#define VECTOR_IRQ_BASE 0x30 /* I/O APIC pin n arrives at 0x30 + n */
#define VECTOR_PIC_BASE 0xe0 /* the masked legacy PIC, only spurious */
#define VECTOR_SPURIOUS 0xff
