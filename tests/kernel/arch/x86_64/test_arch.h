/* What the conformance suite needs to know about x86_64: object types,
 * register names in seL4_UserContext and the paging invocations, so that
 * tests written once run on every architecture. */
#pragma once
#include <sel4/sel4.h>

#define TEST_ARCH_NAME "x86_64"
#define TEST_EXTRA_BOOTINFO_ID SEL4_BOOTINFO_HEADER_X86_MBMMAP /* the multiboot memory map */
/* a physical address that is device memory, never RAM */
#define TEST_DEVICE_PADDR 0xa0000ul /* the PC's legacy video memory */
/* what seL4_DebugCapIdentify says of a VSpace root */
#define TEST_VSPACE_CAP_TAG seL4_CapTag_PML4
#define TEST_FRAME_4K seL4_X86_4K
#define TEST_FRAME_LARGE seL4_X86_LargePageObject
#define TEST_VSPACE_OBJECT seL4_X64_PML4Object
#define TEST_PAGE_TABLE_OBJECT seL4_X86_PageTableObject /* the last level above 4 KiB frames */
#define UC_PC rip
#define UC_SP rsp
#define UC_ARG0 rdi
/* a frame-group register besides the pc, and an integer-group register
 * (CopyRegisters moves the two groups separately) */
#define UC_FRAME_REG rbp
#define UC_INT_REG r8
/* What ReadRegisters returns for word i of seL4_UserContext after
 * WriteRegisters wrote v there: RFLAGS (word 2) keeps only the flags user
 * code may own and gets IF and the reserved bit 1; a non-canonical rip or
 * segment base reads as 0 (as seL4, which sanitises on the write). */
static inline seL4_Word test_uc_as_written(int i, seL4_Word v)
{
    if (i == 2)
        return (v & 0x240cd5ul) | 0x202ul;
    if (i == 0 || i == 18 || i == 19)
        return (seL4_Word)((long)(v << 16) >> 16) == v ? v : 0;
    return v;
}
#define UC_WORDS ((int)(sizeof(seL4_UserContext) / sizeof(seL4_Word)))
#define UC_TLS fs_base

static inline seL4_Word test_frame_paddr(seL4_CPtr f)
{
    seL4_X86_Page_GetAddress_t r = seL4_X86_Page_GetAddress(f);
    return r.error ? ~(seL4_Word)0 : r.paddr;
}
static inline int test_page_map(seL4_CPtr f, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights)
{
    return seL4_X86_Page_Map(f, vspace, va, rights, seL4_X86_Default_VMAttributes);
}
static inline int test_page_unmap(seL4_CPtr f) { return seL4_X86_Page_Unmap(f); }
/* The paging structure a Map that failed with FailedLookup needs next:
 * bits_left (seL4_MappingFailedLookupLevel) names the level that is
 * missing (39: PDPT, 30: page directory, 21: page table). */
static inline seL4_Word test_paging_object_for(seL4_Word bits_left)
{
    return bits_left >= 39   ? seL4_X86_PDPTObject
           : bits_left >= 30 ? seL4_X86_PageDirectoryObject
                             : seL4_X86_PageTableObject;
}
static inline int test_paging_map(seL4_CPtr table, seL4_Word type, seL4_CPtr vspace, seL4_Word va)
{
    switch (type) {
    case seL4_X86_PDPTObject:
        return seL4_X86_PDPT_Map(table, vspace, va, seL4_X86_Default_VMAttributes);
    case seL4_X86_PageDirectoryObject:
        return seL4_X86_PageDirectory_Map(table, vspace, va, seL4_X86_Default_VMAttributes);
    default:
        return seL4_X86_PageTable_Map(table, vspace, va, seL4_X86_Default_VMAttributes);
    }
}
static inline int test_asid_make_pool(seL4_CPtr untyped, seL4_CPtr root, seL4_Word index, seL4_Uint8 depth)
{
    return seL4_X86_ASIDControl_MakePool(seL4_CapASIDControl, untyped, root, index, depth);
}
static inline int test_asid_assign(seL4_CPtr pool, seL4_CPtr vspace) { return seL4_X86_ASIDPool_Assign(pool, vspace); }

/* The time counter from user mode: the TSC, which user mode may read in
 * every build (CR4.TSD clear, as on seL4). */
static inline seL4_Word test_read_time(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (seL4_Word)hi << 32 | lo;
}

/* Enter the kernel with this system call number and nothing else set up. */
static inline void test_syscall_number(seL4_Word number)
{
    asm volatile("syscall" ::"d"(number) : "rcx", "r11", "memory");
}

/* Faults as the architecture reports them. VM fault FSRs are the page
 * fault error code (Intel SDM Vol. 3A §4.7): U/S (4) for user accesses,
 * W/R (2) for writes, I/D (0x10) for instruction fetches, P (1) clear for
 * a page that is not mapped. */
#define TEST_FSR_LOAD 0x4
#define TEST_FSR_STORE 0x6
#define TEST_FSR_FETCH 0x14
#define TEST_SYSCALL_INSN_BYTES 2  /* syscall */
#define TEST_ILLEGAL_INSN_BYTES 2  /* ud2 */
#define TEST_ILLEGAL_INSN_NUMBER 6 /* #UD */
#define TEST_UNKNOWN_SYSCALL_ARG0_MR seL4_UnknownSyscall_RDI
#define TEST_UNKNOWN_SYSCALL_ARG1_MR seL4_UnknownSyscall_RSI
#define TEST_UNKNOWN_SYSCALL_GET_ARG0 seL4_Fault_UnknownSyscall_get_RDI
#define TEST_UNKNOWN_SYSCALL_GET_ARG1 seL4_Fault_UnknownSyscall_get_RSI
/* The fault constructors of this layout: how many fields read back wrong. */
static inline int test_arch_fault_constructors(void)
{
    seL4_Fault_t f = seL4_Fault_UnknownSyscall_new(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
    int bad = (seL4_Fault_UnknownSyscall_get_R15(f) != 14) + (seL4_Fault_UnknownSyscall_get_FLAGS(f) != 17) +
              (seL4_Fault_UnknownSyscall_get_Syscall(f) != 18);
    f = seL4_Fault_UserException_new(11, 12, 13, 14, 15);
    return bad + (seL4_Fault_UserException_get_Code(f) != 15) + (seL4_Fault_UserException_get_FLAGS(f) != 13);
}

/* System call `number` with the first two argument registers set; returns
 * the first argument register afterwards. */
static inline seL4_Word test_unknown_syscall(seL4_Word number, seL4_Word arg0, seL4_Word arg1)
{
    asm volatile("syscall" : "+D"(arg0), "+S"(arg1), "+d"(number) : : "rcx", "r11", "memory");
    return arg0;
}

/* An illegal instruction with v in a register; returns that register. */
static inline seL4_Word test_illegal_instruction(seL4_Word v)
{
    asm volatile("ud2" : "+a"(v));
    return v;
}

/* FAULT0090's faults: each is a 4-byte unit (a faulting instruction,
 * padded with a no-op where it is shorter: 66 90 and 0f 1f 00 are the
 * 2- and 3-byte NOPs of Intel SDM Vol. 2B, NOP), so a handler skips it by
 * adding 4 to the pc. The scratch registers are clobbered because a
 * handler may reply with garbage in them. */
#define TEST_STORM_FAULT_BYTES 4
#define TEST_STORM_CLOBBERS "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r15", "memory"
static inline void test_storm_fault(int kind, seL4_Word addr)
{
    switch (kind) {
    case 0: /* mov 0(%rdi), %rax */
        asm volatile("mov %0, %%rdi\n.byte 0x48, 0x8b, 0x47, 0x00" ::"r"(addr) : TEST_STORM_CLOBBERS);
        break;
    case 1: /* mov %rax, 0(%rdi) */
        asm volatile("mov %0, %%rdi\n.byte 0x48, 0x89, 0x47, 0x00" ::"r"(addr) : TEST_STORM_CLOBBERS);
        break;
    case 2:
        asm volatile("mov $777, %%edx\nsyscall\n.byte 0x66, 0x90" ::: TEST_STORM_CLOBBERS);
        break;
    case 3:
        asm volatile("ud2\n.byte 0x66, 0x90" ::: TEST_STORM_CLOBBERS);
        break;
    case 4: /* Call on an unresolvable CPtr */
        asm volatile("movabs $0x10000000000, %%rdi\nxor %%esi, %%esi\nmov $-1, %%rdx\nsyscall\n.byte 0x66, 0x90" ::
                         : TEST_STORM_CLOBBERS);
        break;
    default: /* hlt in user mode: #GP */
        asm volatile("hlt\n.byte 0x0f, 0x1f, 0x00" ::: TEST_STORM_CLOBBERS);
        break;
    }
}
/* UnknownSyscall message registers a reply may fill with garbage: the
 * caller-saved ones. */
static inline int test_syscall_mr_is_scratch(int i)
{
    return i == seL4_UnknownSyscall_RAX || (i >= seL4_UnknownSyscall_RCX && i <= seL4_UnknownSyscall_RDI) ||
           (i >= seL4_UnknownSyscall_R8 && i <= seL4_UnknownSyscall_R11);
}

/* A store to a page mapped without write rights: P, W/R and U/S set. */
#define TEST_FSR_STORE_PROTECTION 7
/* x86 keeps instruction fetch coherent with stores (Intel SDM Vol. 3A
 * §8.1.3, the jump to the code serialises enough). */
static inline void test_sync_instructions(void) { asm volatile("" ::: "memory"); }
/* Write a function returning 77 at p. */
static inline void test_write_return_77(void *p)
{
    static const unsigned char code[] = {0xb8, 77, 0, 0, 0, 0xc3}; /* mov $77, %eax; ret */
    volatile unsigned char *d = p;
    for (unsigned i = 0; i < sizeof code; i++)
        d[i] = code[i];
}

/* Labels the invocation storm aims at each kind of cap. */
#define TEST_PAGING_LABEL_FIRST X86PDPTMap /* Map and Unmap of PDPT, page directory, page table */
#define TEST_PAGING_LABEL_COUNT 6
#define TEST_FRAME_LABEL_FIRST X86PageMap /* Map, Unmap, GetAddress */
#define TEST_ASID_POOL_ASSIGN_LABEL X86ASIDPoolAssign
#define TEST_ASID_MAKE_POOL_LABEL X86ASIDControlMakePool
#define TEST_IRQ_ISSUE_ARCH_LABEL X86IRQIssueIRQHandlerIOAPIC

/* A paging structure below the VSpace root, by its DebugCapIdentify tag. */
static inline int test_is_paging_tag(seL4_Word tag)
{
    return tag == seL4_CapTag_PageTable || tag == seL4_CapTag_PageDirectory || tag == seL4_CapTag_PDPT;
}

/* ---- VSPACE group: how seL4 on x86_64 answers ---- */
#define TEST_ATTR_DEFAULT seL4_X86_Default_VMAttributes
#define TEST_ATTR_XN seL4_X86_Default_VMAttributes /* x86 frames have no execute-never attribute */
#define TEST_FRAME_HUGE seL4_X64_HugePageObject
#define TEST_PAGING_LABEL_MAP X86PageTableMap
/* each object maps at its own level: a frame where a table is linked is
 * DeleteFirst; a table whose parent level holds a leaf finds no parent */
#define TEST_FRAME_OVER_TABLE_ERROR seL4_DeleteFirst
#define TEST_TABLE_UNDER_LEAF_ERROR seL4_FailedLookup
/* the PML4 has no methods; a stranded one can only be deleted */
#define TEST_ROOT_UNMAP_ERROR seL4_IllegalOperation
#define TEST_ROOT_HAS_UNMAP 0
/* no rights is a supervisor-only mapping, still present */
#define TEST_NO_RIGHTS_IS_NO_MAPPING 0
#define TEST_NEW_VSPACE_LEVELS \
    {                          \
        39, 30, 21             \
    }
/* QEMU pc with 256 MiB: [1 GiB, 2 GiB) is a whole device GiB, and the
 * HPET's registers start the device untyped at 0xfed00000 */
#define TEST_DEVICE_GIB_PADDR (1ul << 30)
#define TEST_DEVICE_PAGE_PADDR 0xfed00000ul
/* HPET capabilities register (IA-PC HPET specification 1.0a §2.3.4): a
 * revision, and a counter period in femtoseconds of at most 100 ns */
static inline int test_device_page_looks_right(volatile void *p)
{
    seL4_Word cap = *(volatile seL4_Word *)p, period = cap >> 32;
    return (cap & 0xff) != 0 && period != 0 && period <= 100000000ul;
}
static inline int test_page_map_attr(seL4_CPtr f, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights,
                                     seL4_Word attr)
{
    return seL4_X86_Page_Map(f, vspace, va, rights, attr);
}
#ifdef CONFIG_DEBUG_BUILD /* seL4_DebugCapIdentify; the suite is a debug build */
/* The Map and Unmap of whatever paging structure the cap is (its
 * DebugCapIdentify tag); a PML4 gets the page-table methods, which it
 * does not have. */
static inline int test_table_map(seL4_CPtr table, seL4_CPtr vspace, seL4_Word va, seL4_Word attr)
{
    switch (seL4_DebugCapIdentify(table)) {
    case seL4_CapTag_PDPT:
        return seL4_X86_PDPT_Map(table, vspace, va, attr);
    case seL4_CapTag_PageDirectory:
        return seL4_X86_PageDirectory_Map(table, vspace, va, attr);
    default:
        return seL4_X86_PageTable_Map(table, vspace, va, attr);
    }
}
static inline int test_table_unmap(seL4_CPtr table)
{
    switch (seL4_DebugCapIdentify(table)) {
    case seL4_CapTag_PDPT:
        return seL4_X86_PDPT_Unmap(table);
    case seL4_CapTag_PageDirectory:
        return seL4_X86_PageDirectory_Unmap(table);
    default:
        return seL4_X86_PageTable_Unmap(table);
    }
}
#endif

/* ---- IRQ and PREEMPT groups: the HPET of QEMU's PC ---- */
#define RTC_PADDR 0xfed00000ul
#define RTC_IRQ 2 /* the I/O APIC input QEMU lets HPET timer 0 use (its route capability) */
/* now_ticks() reads the TSC, whose rate test_arch_init measures */
extern uint64_t test_ticks_per_ms;
#define TICKS_PER_MS test_ticks_per_ms
/* the I/O APIC's registers, which the kernel keeps */
#define TEST_KERNEL_DEVICE_PADDR 0xfec00000ul
#define TEST_KERNEL_DEVICE_SIZE 0x1000ul
#define TEST_KERNEL_DEVICE_NAME "I/O APIC"
#define TEST_HAS_GET_TRIGGER 0
/* seL4_CapIOPortControl holds the I/O port control cap (IOPORT group) */
#define TEST_HAS_IO_PORTS 1

/* The TSC (exact under -icount). */
static inline seL4_Word test_read_counter(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (seL4_Word)hi << 32 | lo;
}
/* A thread body that sends forever (rdi = cap, rsi = message info, rdx =
 * Send; SYSCALL leaves them as they are), and the registers that start it
 * there. */
#define TEST_SEND_FOREVER(name) \
    extern char name[];         \
    asm(".text\n.balign 16\n.globl " #name "\n" #name ":\n  syscall\n  jmp " #name "\n");
static inline void test_send_forever_regs(seL4_UserContext *r, seL4_Word pc, seL4_Word cap, seL4_Word info)
{
    r->rip = pc;
    r->rdi = cap;
    r->rsi = info;
    r->rdx = (seL4_Word)seL4_SysSend;
}

/* ---- FPU group: the SSE registers xmm0-xmm15, MXCSR and the x87 control
 * word ---- */
/* The suite is built without SSE (-mgeneral-regs-only), so the compiler
 * never touches these registers and values stay put between the assembly
 * blocks. f[2i] and f[2i+1] are the low and high halves of xmm i; ctl is
 * MXCSR in bits 0-31 and the x87 control word in bits 32-47. */
typedef struct test_fp_regs {
    uint64_t f[32];
    uint64_t ctl;
} test_fp_regs_t;

#define TEST_FP_XMM_ALL "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"
static inline void test_fp_load(const test_fp_regs_t *r)
{
    uint32_t mxcsr = (uint32_t)r->ctl;
    uint16_t fcw = (uint16_t)(r->ctl >> 32);
    asm volatile(".irp n, " TEST_FP_XMM_ALL "\nmovdqu \\n*16(%0), %%xmm\\n\n.endr\n"
                 "ldmxcsr %1\nfldcw %2\n"
                 :
                 : "r"(r->f), "m"(mxcsr), "m"(fcw)
                 : "memory");
}
static inline void test_fp_store(test_fp_regs_t *r)
{
    uint32_t mxcsr;
    uint16_t fcw;
    asm volatile(".irp n, " TEST_FP_XMM_ALL "\nmovdqu %%xmm\\n, \\n*16(%2)\n.endr\n"
                 "stmxcsr %0\nfnstcw %1\n"
                 : "=m"(mxcsr), "=m"(fcw)
                 : "r"(r->f)
                 : "memory");
    r->ctl = mxcsr | (uint64_t)fcw << 32;
}
/* MXCSR (Intel SDM Vol. 1 §10.2.3): every exception masked (bits 7-12),
 * some exception flags (bits 0-5), a rounding mode (bits 13-14); the x87
 * control word (Vol. 1 §8.1.5): exceptions masked, 64-bit precision, a
 * rounding mode (bits 10-11). */
static inline uint64_t test_fp_ctl_pattern(uint64_t seed)
{
    uint64_t mxcsr = 0x1f80 | (seed & 0x3f) | ((seed % 4) << 13);
    uint64_t fcw = 0x037f | (((seed / 4) % 4) << 10);
    return mxcsr | fcw << 32;
}
static inline uint64_t test_fp_ctl_round_nearest(uint64_t ctl) { return ctl & ~(uint64_t)0x6000; }
#define TEST_FP_CTL_INITIAL (0x1f80 | (uint64_t)0x037f << 32)
/* xmm14's low double += xmm15's (ADDSD keeps the high halves) */
#define TEST_FP_ACC 28
#define TEST_FP_ONE 30
static inline void test_fp_add_one(void) { asm volatile("addsd %xmm15, %xmm14"); }
/* An FP instruction with the FPU disabled: #NM, device not available. */
#define TEST_FPU_DISABLED_NUMBER 7
/* test_fp_load's first instruction, MOVDQU xmm, m128 (F3 0F 6F) */
static inline int test_is_fp_load(seL4_Word ip)
{
    volatile uint8_t *p = (volatile uint8_t *)ip;
    return p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x6f;
}
/* An illegal instruction that is not an FP one, padded to 4 bytes (ud2
 * and a 2-byte NOP), whose first 16 bits are TEST_ILLEGAL4_HALFWORD. */
static inline void test_illegal4(void) { asm volatile("ud2\n.byte 0x66, 0x90"); }
#define TEST_ILLEGAL4_HALFWORD 0x0b0f
