/* riscv64 register numbers in user_context_t.regs (regs[n] = xn, regs[0] = pc). */
#pragma once

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
#define N_MSG_REGISTERS 4
