/* riscv64's capability type tags (seL4_DebugCapIdentify). */
#pragma once

enum seL4_ArchCapTypeTag {
    seL4_CapTag_Frame = 1,
    seL4_CapTag_PageTable = 3,
    seL4_CapTag_ASIDControl = 11,
    seL4_CapTag_ASIDPool = 13,
};
