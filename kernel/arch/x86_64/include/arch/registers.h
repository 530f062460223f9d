/* x86_64 register numbers in user_context_t.regs. The order is the one
 * the entry code (trap.S) builds on the stack: the general registers it
 * pushes, then the vector and error code, then the frame the CPU pushes
 * on an interrupt (Intel SDM Vol. 3A §6.14.2: RIP, CS, RFLAGS, RSP, SS),
 * then the two segment bases. MR0..MR3 are consecutive, as the generic
 * IPC code copies them as a block. */
#pragma once

#define REG_R10 0
#define REG_R8 1
#define REG_R9 2
#define REG_R15 3
#define REG_RDI 4
#define REG_RSI 5
#define REG_RDX 6
#define REG_RAX 7
#define REG_RBX 8
#define REG_RCX 9
#define REG_RBP 10
#define REG_R11 11
#define REG_R12 12
#define REG_R13 13
#define REG_R14 14
#define REG_VECTOR 15
#define REG_ERROR 16
#define REG_RIP 17
#define REG_CS 18
#define REG_RFLAGS 19
#define REG_RSP 20
#define REG_SS 21
#define REG_FS_BASE 22
#define REG_GS_BASE 23
/* where the CPU's interrupt frame ends: TSS.RSP0 points here */
#define REG_FRAME_END 22
/* where user_context_t sits in tcb_t: after the TCB's five 32-byte cap
 * slots (the fastpath's return takes the TCB; trap.c checks the value) */
#define TCB_CTX_OFFSET 0xa0

#define REG_PC REG_RIP
#define REG_SP REG_RSP
#define REG_TP REG_FS_BASE /* TCB_SetTLSBase sets the FS base */
/* The first two argument registers of the System V ABI: the root task
 * gets its boot info pointer and the boot counter in them. */
#define REG_A0 REG_RDI
#define REG_A1 REG_RSI

/* The syscall ABI (seL4's x86_64 register use): cap/badge in rdi, message
 * info in rsi, MR0..MR3 in r10, r8, r9, r15, the number in rdx. */
#define REG_CAP REG_RDI
#define REG_BADGE REG_RDI
#define REG_INFO REG_RSI
#define REG_MR0 REG_R10
#define REG_SYSNO REG_RDX
/* MCS: the reply object of Recv/ReplyRecv/NBSendRecv (and the destination
 * of NBSendWait) in r12, the destination of NBSendRecv in r13 (seL4's
 * x86_64 register use) */
#define REG_REPLY REG_R12
#define REG_NBSEND_DEST REG_R13
#define N_MSG_REGISTERS 4

/* seL4_UserContext on x86_64: rip, rsp, rflags, rax, rbx, rcx, rdx, rsi,
 * rdi, rbp, r8-r15, fs_base, gs_base; the first ten are the "frame"
 * registers of ReadRegisters/WriteRegisters. */
#define N_USER_CONTEXT 20
#define N_FRAME_REGISTERS 10
#ifndef __ASSEMBLER__
#include <types.h>
static inline unsigned arch_context_reg(unsigned i)
{
    static const unsigned char to_reg[N_USER_CONTEXT] = {
        REG_RIP, REG_RSP, REG_RFLAGS, REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI,     REG_RBP,
        REG_R8,  REG_R9,  REG_R10,    REG_R11, REG_R12, REG_R13, REG_R14, REG_R15, REG_FS_BASE, REG_GS_BASE,
    };
    return to_reg[i];
}

/* A value written into regs[reg] from outside the thread (WriteRegisters,
 * CopyRegisters, a fault reply, SetTLSBase) is made one the return to user
 * mode can use as it is: RFLAGS keeps only the flags user code may own,
 * plus IF (not IOPL, NT, VM, TF: single-stepping is not offered); a
 * non-canonical RIP or segment base becomes 0, so that the thread faults
 * in user mode instead of IRETQ or WRMSR faulting in the kernel (Intel SDM
 * Vol. 2A, IRET; Vol. 2B, WRMSR). Every other value comes from the CPU at
 * an entry from user mode and is safe already, so trap.S checks nothing
 * on the way out. */
#define RFLAGS_USER_OWNED 0x240cd5ull /* CF PF AF ZF SF DF OF, AC, ID */
#define RFLAGS_ALWAYS 0x202ull        /* IF and the reserved bit 1 */
static inline word_t arch_sanitise_context_reg(unsigned reg, word_t v)
{
    if (reg == REG_RFLAGS)
        return (v & RFLAGS_USER_OWNED) | RFLAGS_ALWAYS;
    if (reg == REG_RIP || reg == REG_FS_BASE || reg == REG_GS_BASE)
        return (word_t)((long)(v << 16) >> 16) == v ? v : 0;
    return v;
}
#endif

/* Fault messages (seL4's x86_64 layouts) as seL4_UserContext indices:
 * UnknownSyscall carries rax, rbx, rcx, rdx, rsi, rdi, rbp, r8-r15,
 * FaultIP, SP, FLAGS and then the syscall number; UserException carries
 * FaultIP, SP, FLAGS and then the vector and error code. */
#define ARCH_SYSCALL_FAULT_REGS                                      \
    {                                                                \
        3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 0, 1, 2 \
    }
#define ARCH_EXCEPTION_FAULT_REGS \
    {                             \
        0, 1, 2                   \
    }

/* The ELF machine of root task images (System V ABI AMD64 supplement). */
#define ARCH_ELF_MACHINE 62
#define ARCH_ELF_MACHINE_NAME "x86-64"
