/* riscv64 layouts shared by kernel and user space: the architecture's
 * capability tags and seL4_UserContext. */
#pragma once

enum seL4_ArchCapTypeTag {
    seL4_CapTag_Frame = 1,
    seL4_CapTag_PageTable = 3,
    seL4_CapTag_ASIDControl = 11,
    seL4_CapTag_ASIDPool = 13,
};

/* riscv64 seL4_UserContext: 32 words. */
typedef struct seL4_UserContext_ {
    seL4_Word pc, ra, sp, gp;
    seL4_Word s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
    seL4_Word a0, a1, a2, a3, a4, a5, a6, a7;
    seL4_Word t0, t1, t2, t3, t4, t5, t6;
    seL4_Word tp;
} seL4_UserContext;
