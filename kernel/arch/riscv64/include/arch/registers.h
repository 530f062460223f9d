/* riscv64 register numbers in user_context_t.regs (regs[n] = xn, regs[0] = pc). */
#pragma once
#include <types.h>

#define REG_PC 0
#define REG_RA 1
#define REG_SP 2
#define REG_GP 3
#define REG_TP 4
#define REG_A0 10
#define REG_A1 11
#define REG_A2 12
#define REG_A7 17

/* The syscall ABI (docs/threads-ipc.md): cap/badge, info, MR0..MR3, number. */
#define REG_CAP REG_A0
#define REG_BADGE REG_A0
#define REG_INFO REG_A1
#define REG_MR0 REG_A2
#define REG_SYSNO REG_A7
/* MCS: the reply object of Recv/ReplyRecv/NBSendRecv (a6) and the send
 * destination of NBSendRecv/NBSendWait (t0), seL4 manual RISC-V appendix */
#define REG_REPLY 16
#define REG_NBSEND_DEST 5
#define N_MSG_REGISTERS 4

/* seL4_UserContext (pc, ra, sp, gp, s0-s11, a0-a7, t0-t6, tp): its length,
 * how many of its first registers are the "frame" ones ReadRegisters and
 * WriteRegisters treat separately, and where each lives in regs[]. */
#define N_USER_CONTEXT 32
#define N_FRAME_REGISTERS 4 /* pc, ra, sp, gp */
static inline unsigned arch_context_reg(unsigned i)
{
    static const unsigned char to_reg[N_USER_CONTEXT] = {
        0 /* pc */, 1,  2,  3,  8,  9,  18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
        10,         11, 12, 13, 14, 15, 16, 17, 5,  6,  7,  28, 29, 30, 31, 4,
    };
    return to_reg[i];
}
/* A value written into regs[reg] from outside the thread (WriteRegisters,
 * CopyRegisters, a fault reply, SetTLSBase): every value is one a RISC-V
 * thread may run with. */
static inline word_t arch_sanitise_context_reg(unsigned reg, word_t v)
{
    (void)reg;
    return v;
}

/* Fault messages (seL4's riscv64 layouts), as seL4_UserContext indices:
 * UnknownSyscall carries FaultIP, SP, RA, a0-a6 and then the syscall
 * number; UserException carries FaultIP and SP and then number and code.
 * A handler's reply writes the same registers back. */
#define ARCH_SYSCALL_FAULT_REGS                                             \
    {                                                                       \
        0 /* FaultIP */, 2 /* sp */, 1 /* ra */, 16, 17, 18, 19, 20, 21, 22 \
    }
#define ARCH_EXCEPTION_FAULT_REGS   \
    {                               \
        0 /* FaultIP */, 2 /* sp */ \
    }

/* The ELF machine of root task images (ELF-64 psABI for RISC-V). */
#define ARCH_ELF_MACHINE 243
#define ARCH_ELF_MACHINE_NAME "RISC-V"
