/* Descriptor tables and system-call MSRs (Intel SDM Vol. 3A ch. 3, 6, 7;
 * Vol. 2B SYSCALL). One CPU: one GDT, one TSS whose RSP0 trap.S keeps
 * pointed into the running thread's context, one IDT. */
#include <arch/cpu.h>
#include <arch/x86.h>

typedef struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} tss_t;
_Static_assert(sizeof(tss_t) == 104, "64-bit TSS");

tss_t x86_tss __attribute__((aligned(16)));

static uint64_t gdt[7] __attribute__((aligned(16))) = {
    0,
    0x00af9a000000ffffull, /* 0x08 kernel code, 64-bit */
    0x00cf92000000ffffull, /* 0x10 kernel data */
    0x00cff2000000ffffull, /* 0x18 user data, DPL 3 */
    0x00affa000000ffffull, /* 0x20 user code, 64-bit, DPL 3 */
    0,                     /* 0x28 TSS (two entries) */
    0,
};

typedef struct __attribute__((packed)) idt_entry {
    uint16_t offset_lo, selector;
    uint8_t ist, type;
    uint16_t offset_mid;
    uint32_t offset_hi, reserved;
} idt_entry_t;
static idt_entry_t idt[256] __attribute__((aligned(16)));

struct __attribute__((packed)) table_ptr {
    uint16_t limit;
    uint64_t base;
};

extern const uint64_t x86_vector_table[256];
void syscall_entry(void);

void cpu_init(void)
{
    /* TSS: no I/O bitmap (the offset lies past the limit), so ring 3 has
     * no port access (SDM Vol. 1 §19.5.2) */
    x86_tss.iomap_base = sizeof(tss_t);
    uint64_t base = (uint64_t)(uintptr_t)&x86_tss, limit = sizeof(tss_t) - 1;
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
             (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
    struct table_ptr gp = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
    asm volatile("lgdt %0\n"
                 "pushq %1\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1: movl %2, %%eax\n"
                 "movl %%eax, %%ds\n"
                 "movl %%eax, %%es\n"
                 "movl %%eax, %%ss\n"
                 "ltr %w3\n"
                 :
                 : "m"(gp), "i"(SEL_KERNEL_CS), "i"(SEL_KERNEL_DS), "r"(SEL_TSS)
                 : "rax", "memory");

    /* interrupt gates (0xe: IF cleared on entry), kernel only */
    for (int v = 0; v < 256; v++) {
        uint64_t a = x86_vector_table[v];
        idt[v] = (idt_entry_t){(uint16_t)a, SEL_KERNEL_CS, 0, 0x8e, (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0};
    }
    struct table_ptr ip = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
    asm volatile("lidt %0" ::"m"(ip));

    /* SYSCALL enters at syscall_entry with the kernel selectors and IF,
     * TF, DF, NT and AC cleared. NT matters most: user code may set it
     * with POPF, SYSCALL keeps every flag FMASK does not name, and IRETQ
     * in 64-bit mode with NT set is #GP (SDM Vol. 2A, IRET). SYSRET, with
     * which the IPC fastpath returns (trap.S), takes the user selectors
     * from STAR (user data at +8, user code at +16). */
    wrmsr(MSR_STAR, ((uint64_t)(SEL_USER_DS - 8) << 48) | ((uint64_t)SEL_KERNEL_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_IF | (1u << 8) | (1u << 10) | (1u << 14) | (1u << 18));
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
    /* The page attribute table (SDM Vol. 3A §11.12.2): the power-on
     * entries (WB, WT, UC-, UC, twice), but entry 4, which a frame mapped
     * with seL4_X86_WriteCombining (the PAT bit alone) uses, is
     * write-combining (type 1). Every x86-64 CPU has the PAT. */
    wrmsr(MSR_PAT, 0x0007040100070406ull); /* PA0 in the low byte */
}
