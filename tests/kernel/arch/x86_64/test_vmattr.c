/* VMATTR: seL4's x86 memory types for frames (seL4_X86_VMAttributes: the
 * PWT, PCD and PAT bits of the frame's entry, Intel SDM Vol. 3A §11.12).
 * QEMU does not model caches, so what is checked is that every type maps,
 * holds data, and unmaps, also where the PAT bit of a 2 MiB page's entry
 * sits next to its address bits. */
#include "../../framework.h"

#define VMATTR_VA 0x58000000ul /* 2 MiB aligned */
#define LARGE (1ul << 21)

TEST(VMATTR0001, "a 4 KiB frame maps with each seL4_X86_VMAttributes memory type and holds what is written")
{
    static const seL4_X86_VMAttributes types[] = {seL4_X86_WriteBack, seL4_X86_WriteThrough, seL4_X86_CacheDisabled,
                                                  seL4_X86_Uncacheable, seL4_X86_WriteCombining};
    /* the page tables for VMATTR_VA, then the slot free again */
    seL4_CPtr setup = map_new_frame(env, seL4_CapInitThreadVSpace, VMATTR_VA, seL4_ReadWrite);
    CHECK_EQ(seL4_X86_Page_Unmap(setup), 0);
    seL4_CPtr f = make_object(env, seL4_X86_4K, 0);
    volatile seL4_Word *p = (volatile seL4_Word *)VMATTR_VA;
    for (seL4_Word i = 0; i < sizeof types / sizeof types[0]; i++) {
        CHECK_EQ(seL4_X86_Page_Map(f, seL4_CapInitThreadVSpace, VMATTR_VA, seL4_ReadWrite, types[i]), 0);
        p[i] = 0x1000 + i;
        CHECK_EQ(p[i], 0x1000 + i);
        CHECK_EQ(seL4_X86_Page_Unmap(f), 0);
    }
    /* the data went to the frame whatever the type */
    CHECK_EQ(seL4_X86_Page_Map(f, seL4_CapInitThreadVSpace, VMATTR_VA, seL4_ReadWrite, seL4_X86_Default_VMAttributes),
             0);
    for (seL4_Word i = 0; i < sizeof types / sizeof types[0]; i++)
        CHECK_EQ(p[i], 0x1000 + i);
    CHECK_EQ(seL4_X86_Page_Unmap(f), 0);
}

TEST(VMATTR0002, "a write-combining 2 MiB frame (its PAT bit is bit 12 of the entry) remaps, unmaps and maps again")
{
    seL4_CPtr setup = map_new_frame(env, seL4_CapInitThreadVSpace, VMATTR_VA, seL4_ReadWrite);
    CHECK_EQ(seL4_X86_Page_Unmap(setup), 0);
    seL4_CPtr big = make_object(env, seL4_X86_LargePageObject, 0);
    seL4_Word va = VMATTR_VA + LARGE; /* a page-directory slot of its own */
    volatile seL4_Word *p = (volatile seL4_Word *)(va + 0x1000);
    CHECK_EQ(seL4_X86_Page_Map(big, seL4_CapInitThreadVSpace, va, seL4_ReadWrite, seL4_X86_WriteCombining), 0);
    *p = 77;
    CHECK_EQ(*p, 77);
    /* a second Map of the mapped frame at its address changes its rights */
    CHECK_EQ(seL4_X86_Page_Map(big, seL4_CapInitThreadVSpace, va, seL4_CanRead, seL4_X86_WriteCombining), 0);
    CHECK_EQ(*p, 77);
    CHECK_EQ(seL4_X86_Page_Unmap(big), 0);
    /* the entry is gone: the slot takes another mapping */
    CHECK_EQ(seL4_X86_Page_Map(big, seL4_CapInitThreadVSpace, va, seL4_ReadWrite, seL4_X86_Default_VMAttributes), 0);
    CHECK_EQ(*p, 77);
    CHECK_EQ(seL4_X86_Page_Unmap(big), 0);
    seL4_CPtr other = make_object(env, seL4_X86_LargePageObject, 0);
    CHECK_EQ(seL4_X86_Page_Map(other, seL4_CapInitThreadVSpace, va, seL4_ReadWrite, seL4_X86_Default_VMAttributes), 0);
    CHECK_EQ(*p, 0);
    CHECK_EQ(seL4_X86_Page_Unmap(other), 0);
}
