/* What trap.S knows about C: the layout of user_context_t and the syscall
 * numbers the fastpath takes. trap.S includes this file; trap.c checks every
 * value against the C definitions at build time, so the two cannot drift. */
#pragma once

#define CTX_REG_SIZE 8        /* regs[n] (xn) is at n * CTX_REG_SIZE; regs[0] is the pc */
#define CTX_FAULT_PC (32 * 8) /* user_context_t.fault_pc */
#define SYSNO_CALL (-1)       /* seL4_SysCall */
#define SYSNO_REPLY_RECV (-2) /* seL4_SysReplyRecv */
#define FS_SHIFT_ASM 13       /* sstatus.FS is bits 14:13 */
