/* What the conformance suite needs to know about riscv64: object types,
 * register names in seL4_UserContext and the paging invocations, so that
 * tests written once run on every architecture. */
#pragma once
#include <sel4/sel4.h>

#define TEST_ARCH_NAME "riscv64"
#define TEST_EXTRA_BOOTINFO_ID SEL4_BOOTINFO_HEADER_FDT /* the device tree */
/* a physical address that is device memory, never RAM */
#define TEST_DEVICE_PADDR 0x0ul /* the virt machine has no RAM at 0 */
/* what seL4_DebugCapIdentify says of a VSpace root */
#define TEST_VSPACE_CAP_TAG seL4_CapTag_PageTable
#define TEST_FRAME_4K seL4_RISCV_4K_Page
#define TEST_FRAME_LARGE seL4_RISCV_Mega_Page
#define TEST_VSPACE_OBJECT seL4_RISCV_PageTableObject
#define TEST_PAGE_TABLE_OBJECT seL4_RISCV_PageTableObject /* the last level above 4 KiB frames */
/* seL4_UserContext fields: program counter, stack pointer, first argument,
 * thread pointer */
#define UC_PC pc
#define UC_SP sp
#define UC_ARG0 a0
/* a frame-group register besides the pc, and an integer-group register
 * (CopyRegisters moves the two groups separately) */
#define UC_FRAME_REG gp
#define UC_INT_REG a0
/* What ReadRegisters returns for word i of seL4_UserContext after
 * WriteRegisters wrote v there: every value as written. */
static inline seL4_Word test_uc_as_written(int i, seL4_Word v)
{
    (void)i;
    return v;
}
#define UC_WORDS ((int)(sizeof(seL4_UserContext) / sizeof(seL4_Word)))
#define UC_TLS tp

static inline seL4_Word test_frame_paddr(seL4_CPtr f)
{
    seL4_RISCV_Page_GetAddress_t r = seL4_RISCV_Page_GetAddress(f);
    return r.error ? ~(seL4_Word)0 : r.paddr;
}
static inline int test_page_map(seL4_CPtr f, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights)
{
    return seL4_RISCV_Page_Map(f, vspace, va, rights, seL4_RISCV_Default_VMAttributes);
}
static inline int test_page_unmap(seL4_CPtr f) { return seL4_RISCV_Page_Unmap(f); }
/* The paging structure a Page_Map that failed with FailedLookup (after
 * bits_left, seL4_MappingFailedLookupLevel) needs next, and mapping it. */
static inline seL4_Word test_paging_object_for(seL4_Word bits_left)
{
    (void)bits_left;
    return seL4_RISCV_PageTableObject;
}
static inline int test_paging_map(seL4_CPtr table, seL4_Word type, seL4_CPtr vspace, seL4_Word va)
{
    (void)type;
    return seL4_RISCV_PageTable_Map(table, vspace, va, seL4_RISCV_Default_VMAttributes);
}
static inline int test_asid_make_pool(seL4_CPtr untyped, seL4_CPtr root, seL4_Word index, seL4_Uint8 depth)
{
    return seL4_RISCV_ASIDControl_MakePool(seL4_CapASIDControl, untyped, root, index, depth);
}
static inline int test_asid_assign(seL4_CPtr pool, seL4_CPtr vspace)
{
    return seL4_RISCV_ASIDPool_Assign(pool, vspace);
}

/* Enter the kernel with this system call number and nothing else set up. */
static inline void test_syscall_number(seL4_Word number)
{
    register seL4_Word a7 asm("a7") = number;
    asm volatile("ecall" ::"r"(a7) : "memory");
}

/* The time counter from user mode: the time CSR, which a release kernel
 * keeps to itself (scounteren = 0: an illegal instruction there). */
static inline seL4_Word test_read_time(void)
{
    seL4_Word t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

/* Faults as the architecture reports them. VM fault FSRs: riscv64 passes
 * the normalised scause (1 instruction, 5 load, 7 store). */
#define TEST_FSR_LOAD 5
#define TEST_FSR_STORE 7
#define TEST_FSR_FETCH 1
#define TEST_SYSCALL_INSN_BYTES 4  /* ecall */
#define TEST_ILLEGAL_INSN_BYTES 4  /* the all-zero word */
#define TEST_ILLEGAL_INSN_NUMBER 2 /* scause: illegal instruction */
#define TEST_UNKNOWN_SYSCALL_ARG0_MR seL4_UnknownSyscall_A0
#define TEST_UNKNOWN_SYSCALL_ARG1_MR seL4_UnknownSyscall_A1
#define TEST_UNKNOWN_SYSCALL_GET_ARG0 seL4_Fault_UnknownSyscall_get_A0
#define TEST_UNKNOWN_SYSCALL_GET_ARG1 seL4_Fault_UnknownSyscall_get_A1
/* The fault constructors of this layout: how many fields read back wrong. */
static inline int test_arch_fault_constructors(void)
{
    seL4_Fault_t f = seL4_Fault_UnknownSyscall_new(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    int bad = (seL4_Fault_UnknownSyscall_get_A6(f) != 9) + (seL4_Fault_UnknownSyscall_get_Syscall(f) != 10);
    f = seL4_Fault_UserException_new(11, 12, 13, 14);
    return bad + (seL4_Fault_UserException_get_Code(f) != 14) + (seL4_Fault_UserException_get_SP(f) != 12);
}

/* System call `number` with the first two argument registers set; returns
 * the first argument register afterwards. */
static inline seL4_Word test_unknown_syscall(seL4_Word number, seL4_Word arg0, seL4_Word arg1)
{
    register seL4_Word a0 asm("a0") = arg0;
    register seL4_Word a1 asm("a1") = arg1;
    register seL4_Word a7 asm("a7") = number;
    asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
    return a0;
}

/* An illegal instruction with v in a register; returns that register. */
static inline seL4_Word test_illegal_instruction(seL4_Word v)
{
    register seL4_Word a0 asm("a0") = v;
    asm volatile(".word 0x00000000" : "+r"(a0)); /* all-zero is an illegal instruction */
    return a0;
}

/* FAULT0090's faults: each comes from an instruction of exactly
 * TEST_STORM_FAULT_BYTES (no compressed encodings), so a handler skips it
 * by adding that to the pc. The argument registers are clobbered because
 * a handler may reply with garbage in them. */
#define TEST_STORM_FAULT_BYTES 4
#define TEST_STORM_CLOBBERS "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t0", "memory"
static inline void test_storm_fault(int kind, seL4_Word addr)
{
    switch (kind) {
    case 0:
        asm volatile(".option push\n.option norvc\nmv a0, %0\nld t0, 0(a0)\n.option pop" ::"r"(addr)
                     : TEST_STORM_CLOBBERS);
        break;
    case 1:
        asm volatile(".option push\n.option norvc\nmv a0, %0\nsd zero, 0(a0)\n.option pop" ::"r"(addr)
                     : TEST_STORM_CLOBBERS);
        break;
    case 2:
        asm volatile("li a7, %0\necall" ::"i"(777) : TEST_STORM_CLOBBERS);
        break;
    case 3:
        asm volatile(".4byte 0" ::: TEST_STORM_CLOBBERS);
        break;
    case 4:
        asm volatile("li a0, %0\nli a1, 0\nli a7, -1\necall" ::"i"(1l << 40) : TEST_STORM_CLOBBERS);
        break;
    default: { /* misaligned atomic */
        static seL4_Word target[2];
        asm volatile("amoadd.d zero, %0, (%1)" ::"r"(1ul), "r"((seL4_Word)target + 1) : TEST_STORM_CLOBBERS);
        break;
    }
    }
}
/* UnknownSyscall message registers a reply may fill with garbage: a0-a6. */
static inline int test_syscall_mr_is_scratch(int i)
{
    return i >= seL4_UnknownSyscall_A0 && i <= seL4_UnknownSyscall_A6;
}

/* A store to a page mapped without write rights. */
#define TEST_FSR_STORE_PROTECTION 7
/* Make stores to code visible to instruction fetch (Zifencei). */
static inline void test_sync_instructions(void) { asm volatile("fence.i" ::: "memory"); }
/* Write a function returning 77 at p. */
static inline void test_write_return_77(void *p)
{
    volatile uint32_t *code = p;
    code[0] = 0x04d00513; /* li a0, 77 */
    code[1] = 0x00008067; /* ret */
}

/* Labels the invocation storm aims at each kind of cap. */
#define TEST_PAGING_LABEL_FIRST RISCVPageTableMap /* Map, Unmap */
#define TEST_PAGING_LABEL_COUNT 2
#define TEST_FRAME_LABEL_FIRST RISCVPageMap /* Map, Unmap, GetAddress */
#define TEST_ASID_POOL_ASSIGN_LABEL RISCVASIDPoolAssign
#define TEST_ASID_MAKE_POOL_LABEL RISCVASIDControlMakePool
#define TEST_IRQ_ISSUE_ARCH_LABEL RISCVIRQIssueIRQHandlerTrigger

/* A paging structure below the VSpace root, by its DebugCapIdentify tag. */
static inline int test_is_paging_tag(seL4_Word tag) { return tag == seL4_CapTag_PageTable; }

/* ---- VSPACE group: how seL4 on riscv64 answers ---- */
#define TEST_ATTR_DEFAULT seL4_RISCV_Default_VMAttributes
#define TEST_ATTR_XN seL4_RISCV_ExecuteNever
#define TEST_FRAME_HUGE seL4_RISCV_Giga_Page
#define TEST_PAGING_LABEL_MAP RISCVPageTableMap
/* the walk goes as deep as tables go: a frame whose level holds a table
 * fails with the bits left there; a table under a leaf is DeleteFirst */
#define TEST_FRAME_OVER_TABLE_ERROR seL4_FailedLookup
#define TEST_TABLE_UNDER_LEAF_ERROR seL4_DeleteFirst
/* the VSpace root is a page table: Unmap refuses it, and a stranded root
 * can be unmapped and assigned again */
#define TEST_ROOT_UNMAP_ERROR seL4_RevokeFirst
#define TEST_ROOT_HAS_UNMAP 1
/* no rights and execute-never leaves no valid PTE */
#define TEST_NO_RIGHTS_IS_NO_MAPPING 1
/* what a new VSpace lacks, top down (address bits left at each level) */
#define TEST_NEW_VSPACE_LEVELS \
    {                          \
        30, 21                 \
    }
/* QEMU virt: devices live in the first 2 GiB below RAM; the kernel keeps
 * the PLIC at 0xc000000 for itself, so the first whole device GiB is
 * [1 GiB, 2 GiB), and the NS16550A UART at 256 MiB starts a 2^28 device
 * untyped */
#define TEST_DEVICE_GIB_PADDR (1ul << 30)
#define TEST_DEVICE_PAGE_PADDR 0x10000000ul
/* the UART's line status register (offset 5) has "transmitter holding
 * register empty" (0x20) set while idle, which QEMU's UART always is
 * between characters */
static inline int test_device_page_looks_right(volatile void *p)
{
    return (((volatile unsigned char *)p)[5] & 0x20) != 0;
}
static inline int test_page_map_attr(seL4_CPtr f, seL4_CPtr vspace, seL4_Word va, seL4_CapRights_t rights,
                                     seL4_Word attr)
{
    return seL4_RISCV_Page_Map(f, vspace, va, rights, attr);
}
static inline int test_table_map(seL4_CPtr table, seL4_CPtr vspace, seL4_Word va, seL4_Word attr)
{
    return seL4_RISCV_PageTable_Map(table, vspace, va, attr);
}
static inline int test_table_unmap(seL4_CPtr table) { return seL4_RISCV_PageTable_Unmap(table); }

/* ---- IRQ and PREEMPT groups: the goldfish RTC of QEMU virt ---- */
#define RTC_PADDR 0x101000ul
#define RTC_IRQ 11
#define TICKS_PER_MS 10000ul /* QEMU virt's timebase is 10 MHz */
/* the interrupt controller's registers, which the kernel keeps */
#define TEST_KERNEL_DEVICE_PADDR 0xc000000ul
#define TEST_KERNEL_DEVICE_SIZE 0x600000ul
#define TEST_KERNEL_DEVICE_NAME "PLIC"
/* IRQControl_GetTrigger exists (RISC-V) */
#define TEST_HAS_GET_TRIGGER 1
/* no I/O ports: seL4_CapIOPortControl is empty */
#define TEST_HAS_IO_PORTS 0

/* The instruction counter (exact under -icount). */
static inline seL4_Word test_read_counter(void)
{
    seL4_Word v;
    asm volatile("rdinstret %0" : "=r"(v));
    return v;
}
/* A thread body that sends forever (a0 = cap, a1 = message info, a7 =
 * Send), and the registers that start it there. */
#define TEST_SEND_FOREVER(name) \
    extern char name[];         \
    asm(".text\n.balign 4\n.globl " #name "\n" #name ":\n  ecall\n  j " #name "\n");
static inline void test_send_forever_regs(seL4_UserContext *r, seL4_Word pc, seL4_Word cap, seL4_Word info)
{
    r->pc = pc;
    r->a0 = cap;
    r->a1 = info;
    r->a7 = (seL4_Word)seL4_SysSend;
}

/* ---- FPU group: the F/D registers f0-f31 and fcsr ---- */
/* The suite is built for rv64imac/lp64, so the floating-point instructions
 * are inline assembly with the D extension enabled for those lines only;
 * the compiler never touches an f register, so values stay put between
 * the assembly blocks. f[i] is register fi, ctl is fcsr. */
typedef struct test_fp_regs {
    uint64_t f[32];
    uint64_t ctl;
} test_fp_regs_t;

#define TEST_FP_BEGIN ".option push\n.option arch, +d\n"
#define TEST_FP_END ".option pop\n"
#define TEST_FP_ALL "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"
static inline void test_fp_load(const test_fp_regs_t *r)
{
    asm volatile(TEST_FP_BEGIN ".irp n, " TEST_FP_ALL "\nfld f\\n, \\n*8(%0)\n.endr\nfscsr %1\n" TEST_FP_END
                 :
                 : "r"(r->f), "r"(r->ctl)
                 : "memory");
}
static inline void test_fp_store(test_fp_regs_t *r)
{
    uint64_t fcsr;
    asm volatile(TEST_FP_BEGIN ".irp n, " TEST_FP_ALL "\nfsd f\\n, \\n*8(%1)\n.endr\nfrcsr %0\n" TEST_FP_END
                 : "=r"(fcsr)
                 : "r"(r->f)
                 : "memory");
    r->ctl = fcsr;
}
/* fcsr: a valid rounding mode (0-4) and some exception flags */
static inline uint64_t test_fp_ctl_pattern(uint64_t seed) { return ((seed % 5) << 5) | (seed & 0x1f); }
/* the same flags, rounding to nearest */
static inline uint64_t test_fp_ctl_round_nearest(uint64_t ctl) { return ctl & 0x1f; }
#define TEST_FP_CTL_INITIAL 0
/* f31 += f30 */
#define TEST_FP_ACC 31
#define TEST_FP_ONE 30
static inline void test_fp_add_one(void) { asm volatile(TEST_FP_BEGIN "fadd.d f31, f31, f30\n" TEST_FP_END); }
/* An FP instruction with the FPU disabled: an illegal instruction. */
#define TEST_FPU_DISABLED_NUMBER 2
/* test_fp_load's first instruction, fld (LOAD-FP major opcode 0000111) */
static inline int test_is_fp_load(seL4_Word ip) { return (*(volatile uint16_t *)ip & 0x7f) == 0x07; }
/* An illegal instruction that is not an FP one, 4 bytes long, whose first
 * 16 bits are TEST_ILLEGAL4_HALFWORD. */
static inline void test_illegal4(void) { asm volatile(".word 0x00000000"); }
#define TEST_ILLEGAL4_HALFWORD 0
