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

static seL4_Word call_at(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    ((void (*)(void))a)();
    return 0;
}

TEST(VMATTR0003, "hypOS's seL4_X86_ExecuteNever: fetching from such a frame is a VM fault (prefetch, I/D bit); "
                 "remapped without it, the same code runs")
{
    seL4_CPtr f = map_new_frame(env, seL4_CapInitThreadVSpace, VMATTR_VA, seL4_ReadWrite);
    *(volatile uint8_t *)VMATTR_VA = 0xc3; /* ret */
    CHECK_EQ(seL4_X86_Page_Map(f, seL4_CapInitThreadVSpace, VMATTR_VA, seL4_ReadWrite,
                               seL4_X86_WriteBack | seL4_X86_ExecuteNever),
             0);
    CHECK_EQ(*(volatile uint8_t *)VMATTR_VA, 0xc3); /* still readable and writable */
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, call_at, VMATTR_VA, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_Addr), VMATTR_VA);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    CHECK_EQ(seL4_GetMR(seL4_VMFault_FSR) & 0x11, 0x11); /* present, instruction fetch (SDM Vol. 3A §4.7) */
    destroy_helper(env, &h);
    CHECK_EQ(seL4_X86_Page_Map(f, seL4_CapInitThreadVSpace, VMATTR_VA, seL4_ReadWrite, seL4_X86_Default_VMAttributes),
             0);
    CHECK_EQ(call_at(VMATTR_VA, 0, 0, 0), 0);
    CHECK_EQ(seL4_X86_Page_Unmap(f), 0);
}
