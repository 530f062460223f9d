/* x86_64 layouts shared by kernel and user space: the architecture's
 * capability tags and seL4_UserContext. */
#pragma once

/* The architecture's tags, in seL4's pattern of odd numbers for arch caps
 * (the kernel keeps all four paging levels in one cap type and reports
 * the level through these tags). */
enum seL4_ArchCapTypeTag {
    seL4_CapTag_Frame = 1,
    seL4_CapTag_PageTable = 3,
    seL4_CapTag_PageDirectory = 5,
    seL4_CapTag_PDPT = 7,
    seL4_CapTag_PML4 = 9,
    seL4_CapTag_ASIDControl = 11,
    seL4_CapTag_ASIDPool = 13,
};

/* x86_64 seL4_UserContext: 20 words. */
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp;
    seL4_Word r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;
