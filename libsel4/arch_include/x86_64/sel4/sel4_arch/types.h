/* x86_64 register set as TCB_ReadRegisters and TCB_WriteRegisters pass it. */
#pragma once
#include <sel4/simple_types.h>

/* x86_64 seL4_UserContext: 20 words. */
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp;
    seL4_Word r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;
