/* VSPACE: paging-structure Map/Unmap, Page_Map/Unmap/GetAddress with seL4's
 * errors, on every architecture (the calls go through test_arch.h; where
 * seL4's architectures answer differently, test_arch.h says what to
 * expect). Whether a mapping is gone is seen from the kernel's answers (the
 * address can be mapped again, the cap can be mapped elsewhere) and from
 * reading what a new mapping at the same address shows. The storm is in
 * test_vspace_storm.c, isolation between running threads in
 * test_vspace_isolation.c. */
#include "vspace_helpers.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }


TEST(VSPACE0001, "Page_Map without a leaf table is FailedLookup with the missing level (21 bits)")
{
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), seL4_FailedLookup);
    CHECK_EQ(mr(0), 0); /* not the source cap */
    CHECK_EQ(mr(1), seL4_MissingCapability);
    CHECK_EQ(seL4_MappingFailedLookupLevel(), 21);
    /* in an empty GiB even the second-level table is missing: 30 bits */
    CHECK_EQ(test_page_map_attr(f, VS, VA1G, RW, ATTR), seL4_FailedLookup);
    CHECK_EQ(seL4_MappingFailedLookupLevel(), 30);
}

TEST(VSPACE0002, "a mapped 4 KiB frame reads as zero, keeps writes and its physical address")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr f = frame4k(env);
    seL4_Word pa = paddr_of(f);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K + 0x3000, RW, ATTR), 0);
    CHECK_EQ(paddr_of(f), pa);
    volatile seL4_Word *p = word_at(VA4K + 0x3000);
    seL4_Word nonzero = 0;
    for (int i = 0; i < 512; i++)
        nonzero |= p[i];
    CHECK_EQ(nonzero, 0);
    for (int i = 0; i < 512; i++)
        p[i] = 0x5a5a0000ul + (seL4_Word)i;
    CHECK_EQ(p[0], 0x5a5a0000ul);
    CHECK_EQ(p[511], 0x5a5a0000ul + 511);
}

TEST(VSPACE0003, "a mapped frame cap cannot map at a second address (InvalidArgument 0); a copy can")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr f = mapped_frame(env, VA4K);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K + 0x1000, RW, ATTR), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 0);
    seL4_CPtr c = copy_cap(env, f);
    CHECK_EQ(test_page_map_attr(c, VS, VA4K + 0x1000, RW, ATTR), 0);
    CHECK_EQ(paddr_of(c), paddr_of(f));
}

TEST(VSPACE0004, "mapping over an address another frame maps is DeleteFirst")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    *word_at(VA4K) = 0x1234;
    seL4_CPtr b = frame4k(env);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K, RW, ATTR), seL4_DeleteFirst);
    CHECK_EQ(*word_at(VA4K), 0x1234); /* the first mapping is untouched */
    (void)a;
}

TEST(VSPACE0005, "PageTable_Map where a table or leaf already is, or at leaf level, is DeleteFirst")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr pt2 = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    CHECK_EQ(test_table_map(pt2, VS, VA4K + 0x5000, ATTR), seL4_DeleteFirst);
    /* the root task's image: every level is present down to the leaves */
    CHECK_EQ(test_table_map(pt2, VS, 0x10000, ATTR), seL4_DeleteFirst);
    /* a 2 MiB leaf occupies the slot a table would take */
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    CHECK_EQ(test_page_map_attr(big, VS, VA2M, RW, ATTR), 0);
    CHECK_EQ(test_table_map(pt2, VS, VA2M, ATTR), seL4_DeleteFirst);
    /* and the unmapped table is still usable elsewhere */
    CHECK_EQ(test_table_map(pt2, VS, VA4K + 2 * MiB, ATTR), 0);
}

TEST(VSPACE0006, "mapping an already mapped page table is InvalidCapability(0)")
{
    seL4_CPtr pt = map_pt(env, VS, VA4K);
    CHECK_EQ(test_table_map(pt, VS, VA4K + 2 * MiB, ATTR), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 0);
}

TEST(VSPACE0007, "addresses at or above seL4_UserTop are InvalidArgument(0)")
{
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, VS, seL4_UserTop, RW, ATTR), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(test_page_map_attr(f, VS, 0xffffffc000000000ul, RW, ATTR), seL4_InvalidArgument);
    /* the last page below seL4_UserTop is user space: only a table is missing */
    CHECK_EQ(test_page_map_attr(f, VS, seL4_UserTop - 0x1000, RW, ATTR), seL4_FailedLookup);
    /* a 2 MiB frame that would end above seL4_UserTop */
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    CHECK_EQ(test_page_map_attr(big, VS, seL4_UserTop & ~(2 * MiB - 1), RW, ATTR), seL4_InvalidArgument);
    seL4_CPtr pt = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    CHECK_EQ(test_table_map(pt, VS, seL4_UserTop, ATTR), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(test_table_map(pt, VS, ~0ul, ATTR), seL4_InvalidArgument);
}

TEST(VSPACE0008, "a vaddr not aligned to the frame size is AlignmentError")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K + 0x800, RW, ATTR), seL4_AlignmentError);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K + 8, RW, ATTR), seL4_AlignmentError);
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    CHECK_EQ(test_page_map_attr(big, VS, VA2M + 0x1000, RW, ATTR), seL4_AlignmentError);
    CHECK_EQ(test_page_map_attr(big, VS, VA2M + MiB, RW, ATTR), seL4_AlignmentError);
}

TEST(VSPACE0009, "a 2 MiB frame maps without a leaf table and all of it is memory")
{
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    seL4_Word pa = paddr_of(big);
    CHECK_EQ(pa & (2 * MiB - 1), 0);
    CHECK_EQ(test_page_map_attr(big, VS, VA2M, RW, ATTR), 0);
    for (seL4_Word off = 0; off < 2 * MiB; off += 0x1000)
        *word_at(VA2M + off) = off ^ 0xabcdef;
    seL4_Word bad = 0;
    for (seL4_Word off = 0; off < 2 * MiB; off += 0x1000)
        bad += *word_at(VA2M + off) != (off ^ 0xabcdef);
    CHECK_EQ(bad, 0);
    /* a 4 KiB frame inside it: the walk ends at the 2 MiB leaf (21 bits) */
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, VS, VA2M + 0x1000, RW, ATTR), seL4_FailedLookup);
    CHECK_EQ(seL4_MappingFailedLookupLevel(), 21);
}

TEST(VSPACE0010, "a 2 MiB frame where a leaf table is mapped fails as the architecture's seL4 does")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    CHECK_EQ(test_page_map_attr(big, VS, VA4K, RW, ATTR), TEST_FRAME_OVER_TABLE_ERROR);
    if (TEST_FRAME_OVER_TABLE_ERROR == seL4_FailedLookup)
        CHECK_EQ(seL4_MappingFailedLookupLevel(), 12);
}

TEST(VSPACE0011, "a 1 GiB device frame maps at GiB granularity")
{
    seL4_Word bits = 0;
    seL4_CPtr dev = device_ut_at(env, TEST_DEVICE_GIB_PADDR, 30, &bits);
    if (!dev)
        return;
    seL4_CPtr giga = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(dev, TEST_FRAME_HUGE, 0, ROOT, 0, 0, giga, 1), 0);
    CHECK_EQ(paddr_of(giga), TEST_DEVICE_GIB_PADDR);
    /* address 0 lies in the root task's first 2 MiB: tables down to the leaves */
    CHECK_EQ(test_page_map_attr(giga, VS, 0, RW, ATTR), TEST_FRAME_OVER_TABLE_ERROR);
    if (TEST_FRAME_OVER_TABLE_ERROR == seL4_FailedLookup)
        CHECK_EQ(seL4_MappingFailedLookupLevel(), 12);
    CHECK_EQ(test_page_map_attr(giga, VS, VA1G + 2 * MiB, RW, XN), seL4_AlignmentError);
    CHECK_EQ(test_page_map_attr(giga, VS, VA1G, RW, XN), 0);
    /* (VSPACE0012 reads a device through a 4 KiB frame) */
    /* nothing smaller fits below a GiB leaf */
    seL4_CPtr pt = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    CHECK_EQ(test_table_map(pt, VS, VA1G + 0x40000000ul - 2 * MiB, ATTR), TEST_TABLE_UNDER_LEAF_ERROR);
}

TEST(VSPACE0012, "a 4 KiB device frame maps a device's registers")
{
    seL4_Word bits = 0;
    seL4_CPtr dev = device_ut_at(env, TEST_DEVICE_PAGE_PADDR, 12, &bits);
    if (!dev)
        return;
    /* the device is the first page of its device untyped */
    seL4_CPtr page = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(dev, TEST_FRAME_4K, 0, ROOT, 0, 0, page, 1), 0);
    CHECK_EQ(paddr_of(page), TEST_DEVICE_PAGE_PADDR);
    map_pt(env, VS, VA4K);
    CHECK_EQ(test_page_map_attr(page, VS, VA4K, RW, XN), 0);
    CHECK(test_device_page_looks_right((volatile void *)VA4K));
}

TEST(VSPACE0013, "Page_Unmap frees the address and the cap; a new frame there shows its own data")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    *word_at(VA4K) = 0xaaaa;
    CHECK_EQ(test_page_unmap(a), 0);
    seL4_CPtr b = frame4k(env);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K, RW, ATTR), 0); /* no DeleteFirst: the PTE is gone */
    CHECK_EQ(*word_at(VA4K), 0);                            /* b's zeroed memory, not a stale translation to a */
    /* the unmapped cap maps anywhere again and still holds a's data */
    CHECK_EQ(test_page_map_attr(a, VS, VA4K + 0x1000, RW, ATTR), 0);
    CHECK_EQ(*word_at(VA4K + 0x1000), 0xaaaa);
}

TEST(VSPACE0014, "Page_Unmap of a frame cap that is not mapped succeeds and changes nothing")
{
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_unmap(f), 0);
    CHECK_EQ(test_page_unmap(f), 0);
    map_pt(env, VS, VA4K);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), 0);
    CHECK_EQ(test_page_unmap(f), 0);
    CHECK_EQ(test_page_unmap(f), 0);
}

TEST(VSPACE0015, "deleting a mapped copy unmaps only the copy's mapping")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr c = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(c, VS, VA4K + 0x1000, RW, ATTR), 0);
    *word_at(VA4K) = 77;
    CHECK_EQ(*word_at(VA4K + 0x1000), 77);
    CHECK_EQ(seL4_CNode_Delete(ROOT, c, WB), 0);
    seL4_CPtr other = frame4k(env);
    CHECK_EQ(test_page_map_attr(other, VS, VA4K + 0x1000, RW, ATTR), 0);
    CHECK_EQ(*word_at(VA4K + 0x1000), 0);
    CHECK_EQ(*word_at(VA4K), 77); /* the original mapping stays */
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K, RW, ATTR), seL4_DeleteFirst);
}

TEST(VSPACE0016, "revoking a frame cap unmaps the copies derived from it")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr c1 = copy_cap(env, a), c2 = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(c1, VS, VA4K + 0x1000, RW, ATTR), 0);
    CHECK_EQ(test_page_map_attr(c2, VS, VA4K + 0x2000, RW, ATTR), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, a, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(c1), 0);
    CHECK_EQ(seL4_DebugCapIdentify(c2), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K + 0x1000, RW, ATTR), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K + 0x2000, RW, ATTR), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K, RW, ATTR), seL4_DeleteFirst);
}

TEST(VSPACE0017, "PageTable_Unmap removes the table: its addresses need a table again")
{
    seL4_CPtr pt = map_pt(env, VS, VA4K);
    seL4_CPtr f = mapped_frame(env, VA4K + 0x4000);
    CHECK_EQ(test_table_unmap(pt), 0);
    seL4_CPtr g = frame4k(env);
    CHECK_EQ(test_page_map_attr(g, VS, VA4K + 0x4000, RW, ATTR), seL4_FailedLookup);
    CHECK_EQ(seL4_MappingFailedLookupLevel(), 21);
    /* the table is unmapped and cleared: mapped again, its old slot is free */
    CHECK_EQ(test_table_map(pt, VS, VA4K, ATTR), 0);
    CHECK_EQ(test_page_map_attr(g, VS, VA4K + 0x4000, RW, ATTR), 0);
    CHECK_EQ(*word_at(VA4K + 0x4000), 0);
    /* the frame cap still records its old mapping, as on seL4: unmap it first */
    CHECK_EQ(test_page_map_attr(f, VS, VA4K + 0x5000, RW, ATTR), seL4_InvalidArgument);
    CHECK_EQ(test_page_unmap(f), 0);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K + 0x5000, RW, ATTR), 0);
}

TEST(VSPACE0018, "PageTable_Unmap needs the last cap (RevokeFirst); unmapped tables cannot be copied")
{
    seL4_CPtr pt = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Copy(ROOT, s, WB, ROOT, pt, WB, seL4_AllRights), seL4_IllegalOperation);
    CHECK_EQ(test_table_map(pt, VS, VA4K, ATTR), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, s, WB, ROOT, pt, WB, seL4_AllRights), 0);
    CHECK_EQ(test_table_unmap(pt), seL4_RevokeFirst);
    CHECK_EQ(test_table_unmap(s), seL4_RevokeFirst);
    CHECK_EQ(seL4_CNode_Delete(ROOT, s, WB), 0);
    CHECK_EQ(test_table_unmap(pt), 0);
    CHECK_EQ(test_table_unmap(pt), 0); /* unmapping an unmapped table is a no-op */
}

TEST(VSPACE0019, "a vspace root cannot be unmapped (riscv64 RevokeFirst, x86_64: no such method)")
{
    seL4_CPtr v = make_vspace(env, POOL);
    CHECK_EQ(test_table_unmap(v), TEST_ROOT_UNMAP_ERROR);
    CHECK_EQ(test_table_unmap(VS), TEST_ROOT_UNMAP_ERROR);
    /* it is still a root: a table maps into it */
    map_pt(env, v, VA4K);
}

TEST(VSPACE0020, "deleting the last cap of a leaf table unmaps it")
{
    seL4_CPtr pt = map_pt(env, VS, VA4K);
    mapped_frame(env, VA4K);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pt, WB), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K + 0x1000, RW, ATTR), seL4_FailedLookup);
    CHECK_EQ(seL4_MappingFailedLookupLevel(), 21);
    map_pt(env, VS, VA4K); /* the second-level slot is free again */
}

TEST(VSPACE0021, "rights: read-only mappings see writes made through a read-write alias")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr rw = mapped_frame(env, VA4K);
    seL4_CPtr ro = copy_cap(env, rw);
    CHECK_EQ(test_page_map_attr(ro, VS, VA4K + 0x1000, seL4_CanRead, XN), 0);
    for (int i = 0; i < 512; i++)
        word_at(VA4K)[i] = 0xfeed0000ul | (seL4_Word)i;
    seL4_Word bad = 0;
    for (int i = 0; i < 512; i++)
        bad += word_at(VA4K + 0x1000)[i] != (0xfeed0000ul | (seL4_Word)i);
    CHECK_EQ(bad, 0);
    /* a cap minted read-only maps read-only even when asked for more */
    seL4_CPtr minted = mint_cap(env, rw, seL4_CanRead);
    CHECK_EQ(test_page_map_attr(minted, VS, VA4K + 0x2000, seL4_AllRights, ATTR), 0);
    CHECK_EQ(word_at(VA4K + 0x2000)[7], 0xfeed0007ul);
}

#if TEST_NO_RIGHTS_IS_NO_MAPPING
TEST(VSPACE0022, "no rights and execute-never is no mapping; no rights but executable is one")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = frame4k(env);
    /* seL4 accepts this and records the mapping, but no PTE is valid */
    CHECK_EQ(test_page_map_attr(a, VS, VA4K, seL4_NoRights, XN), 0);
    CHECK_EQ(test_page_map_attr(a, VS, VA4K + 0x1000, RW, ATTR), seL4_InvalidArgument); /* cap is mapped */
    seL4_CPtr b = frame4k(env);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K, RW, ATTR), 0);
    /* execute-only is a valid Sv39 leaf, so the address is taken */
    seL4_CPtr c = frame4k(env);
    CHECK_EQ(test_page_map_attr(c, VS, VA4K + 0x1000, seL4_NoRights, ATTR), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K + 0x1000, RW, ATTR), seL4_DeleteFirst);
    /* a cap minted with no rights can only make kernel-only frames */
    seL4_CPtr k = mint_cap(env, frame4k(env), seL4_NoRights);
    CHECK_EQ(test_page_map_attr(k, VS, VA4K + 0x2000, seL4_AllRights, XN), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K + 0x2000, RW, ATTR), 0);
}
#else
TEST(VSPACE0022, "a frame mapped with no rights is a kernel-only mapping: the address is taken")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = frame4k(env);
    CHECK_EQ(test_page_map_attr(a, VS, VA4K, seL4_NoRights, ATTR), 0);
    CHECK_EQ(test_page_map_attr(a, VS, VA4K + 0x1000, RW, ATTR), seL4_InvalidArgument); /* cap is mapped */
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K, RW, ATTR), seL4_DeleteFirst);
    /* a cap minted with no rights can only make kernel-only frames */
    seL4_CPtr k = mint_cap(env, frame4k(env), seL4_NoRights);
    CHECK_EQ(test_page_map_attr(k, VS, VA4K + 0x2000, seL4_AllRights, ATTR), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K + 0x2000, RW, ATTR), seL4_DeleteFirst);
    /* unmapping frees the address */
    CHECK_EQ(test_page_unmap(a), 0);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K, RW, ATTR), 0);
}
#endif

TEST(VSPACE0023, "the same cap mapped again at the same address changes rights in place")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr f = mapped_frame(env, VA4K);
    *word_at(VA4K + 16) = 99;
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, seL4_CanRead, XN), 0);
    CHECK_EQ(*word_at(VA4K + 16), 99);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), 0);
    *word_at(VA4K + 16) = 100;
    CHECK_EQ(*word_at(VA4K + 16), 100);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, seL4_NoRights, XN), 0);
    seL4_CPtr g = frame4k(env);
    if (!TEST_NO_RIGHTS_IS_NO_MAPPING) {
        /* no rights leaves a kernel-only mapping: the address stays taken */
        CHECK_EQ(test_page_map_attr(g, VS, VA4K, RW, ATTR), seL4_DeleteFirst);
        return;
    }
    /* dropping all rights with XN removes the PTE: another frame fits there */
    CHECK_EQ(test_page_map_attr(g, VS, VA4K, RW, ATTR), 0);
    CHECK_EQ(*word_at(VA4K + 16), 0);
    /* hypOS is stricter than seL4 here: the remap would replace g's leaf */
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), seL4_DeleteFirst);
}

TEST(VSPACE0024, "the vspace argument must be an assigned root: InvalidCapability(1)")
{
    seL4_CPtr f = frame4k(env);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    CHECK_EQ(test_page_map_attr(f, ep, VA4K, RW, ATTR), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    seL4_CPtr unassigned = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_page_map_attr(f, unassigned, VA4K, RW, ATTR), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    /* a mapped leaf table has an ASID but is not the root of it */
    seL4_CPtr pt = map_pt(env, VS, VA4K);
    CHECK_EQ(test_page_map_attr(f, pt, VA4K, RW, ATTR), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    seL4_CPtr pt2 = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    CHECK_EQ(test_table_map(pt2, pt, VA4K + 2 * MiB, ATTR), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(test_table_map(pt2, f, VA4K + 2 * MiB, ATTR), seL4_InvalidCapability);
}

TEST(VSPACE0025, "a vspace whose pool was deleted is FailedLookup (invalid root)")
{
    seL4_CPtr pool = make_pool(env);
    seL4_CPtr v = make_vspace(env, pool);
    seL4_CPtr pt = map_pt(env, v, VA4K);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pool, WB), 0);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, v, VA4K, RW, ATTR), seL4_FailedLookup);
    CHECK_EQ(mr(0), 0);
    CHECK_EQ(mr(1), seL4_InvalidRoot);
    seL4_CPtr pt2 = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    CHECK_EQ(test_table_map(pt2, v, VA1G, ATTR), seL4_FailedLookup);
    CHECK_EQ(mr(1), seL4_InvalidRoot);
    /* the stale root's table can be unmapped; where roots have an Unmap
     * method the root can be assigned again and take the table back */
    CHECK_EQ(test_table_unmap(pt), 0);
    if (!TEST_ROOT_HAS_UNMAP)
        return;
    CHECK_EQ(test_table_unmap(v), 0);
    CHECK_EQ(test_asid_assign(POOL, v), 0);
    CHECK_EQ(test_table_map(pt, v, VA4K, ATTR), 0);
}

TEST(VSPACE0026, "wrong methods are IllegalOperation, missing arguments TruncatedMessage")
{
    seL4_CPtr f = frame4k(env);
    seL4_CPtr pt = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    CHECK_EQ(seL4_hyp_invoke(f, TEST_PAGING_LABEL_MAP, 0, 0, NULL, NULL), seL4_IllegalOperation);
    CHECK_EQ(seL4_hyp_invoke(pt, TEST_FRAME_LABEL_FIRST, 0, 0, NULL, NULL), seL4_IllegalOperation);
    CHECK_EQ(seL4_hyp_invoke(pt, (TEST_FRAME_LABEL_FIRST + 2), 0, 0, NULL, NULL), seL4_IllegalOperation);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapASIDControl, TEST_ASID_POOL_ASSIGN_LABEL, 0, 0, NULL, NULL),
             seL4_IllegalOperation);
    CHECK_EQ(seL4_hyp_invoke(POOL, TEST_ASID_MAKE_POOL_LABEL, 0, 0, NULL, NULL), seL4_IllegalOperation);
    seL4_Word a[3] = {VA4K, RW.words[0], 0};
    CHECK_EQ(seL4_hyp_invoke(f, TEST_FRAME_LABEL_FIRST, 0, 3, a, NULL), seL4_TruncatedMessage); /* no vspace */
    seL4_SetCap(0, VS);
    CHECK_EQ(seL4_hyp_invoke(f, TEST_FRAME_LABEL_FIRST, 1, 2, a, NULL), seL4_TruncatedMessage); /* no attributes */
    seL4_SetCap(0, VS);
    CHECK_EQ(seL4_hyp_invoke(pt, TEST_PAGING_LABEL_MAP, 1, 1, a, NULL), seL4_TruncatedMessage);
    CHECK_EQ(seL4_hyp_invoke(POOL, TEST_ASID_POOL_ASSIGN_LABEL, 0, 0, NULL, NULL), seL4_TruncatedMessage);
    seL4_SetCap(0, env->ut);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapASIDControl, TEST_ASID_MAKE_POOL_LABEL, 1, 2, a, NULL), seL4_TruncatedMessage);
}

TEST(VSPACE0027, "a frame mapped in one address space cannot be mapped in another (InvalidCapability 1)")
{
    seL4_CPtr v = make_vspace(env, POOL);
    map_tables(env, v, VA4K);
    map_pt(env, VS, VA4K);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, v, VA4K, RW, ATTR), 0);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    /* a copy maps in the root task's space and shares the memory */
    seL4_CPtr c = copy_cap(env, f);
    CHECK_EQ(test_page_map_attr(c, VS, VA4K, RW, ATTR), 0);
    *word_at(VA4K) = 5;
    CHECK_EQ(*word_at(VA4K), 5);
}

TEST(VSPACE0028, "deleting a vspace leaves its frames' caps stale until unmapped")
{
    seL4_CPtr v = make_vspace(env, POOL);
    map_tables(env, v, VA4K);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, v, VA4K, RW, ATTR), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, v, WB), 0);
    map_pt(env, VS, VA4K);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), seL4_InvalidCapability);
    CHECK_EQ(test_page_unmap(f), 0);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), 0);
}

TEST(VSPACE0029, "a new address space takes tables at every level and frames of every fitting size")
{
    seL4_CPtr v = make_vspace(env, POOL);
    seL4_CPtr f = frame4k(env);
    /* each level below the root is missing in turn, from the top */
    static const seL4_Word levels[] = TEST_NEW_VSPACE_LEVELS;
    for (unsigned i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        CHECK_EQ(test_page_map_attr(f, v, VA4K, RW, ATTR), seL4_FailedLookup);
        CHECK_EQ(seL4_MappingFailedLookupLevel(), levels[i]);
        map_pt(env, v, VA4K);
    }
    CHECK_EQ(test_page_map_attr(f, v, VA4K, RW, ATTR), 0);
    seL4_CPtr full = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    CHECK_EQ(test_table_map(full, v, VA4K, ATTR), seL4_DeleteFirst);
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    CHECK_EQ(test_page_map_attr(big, v, VA4K + 2 * MiB, RW, ATTR), 0);
    /* the user half is all there is: above it is the kernel's */
    CHECK_EQ(test_table_map(full, v, seL4_UserTop, ATTR), seL4_InvalidArgument);
}

TEST(VSPACE0030, "GetAddress reports size-aligned addresses inside the untyped they came from")
{
    seL4_CPtr f = frame4k(env), big = make_object(env, TEST_FRAME_LARGE, 0);
    seL4_Word pf = paddr_of(f), pb = paddr_of(big);
    CHECK_EQ(pf & 0xfff, 0);
    CHECK_EQ(pb & (2 * MiB - 1), 0);
    CHECK(pf >= env->ut_paddr && pf < env->ut_paddr + (1ul << env->ut_bits));
    CHECK(pb >= env->ut_paddr && pb + 2 * MiB <= env->ut_paddr + (1ul << env->ut_bits));
    CHECK(pf != pb);
    /* mapping does not change it; a copy reports the same */
    map_pt(env, VS, VA4K);
    CHECK_EQ(test_page_map_attr(f, VS, VA4K, RW, ATTR), 0);
    CHECK_EQ(paddr_of(f), pf);
    CHECK_EQ(paddr_of(copy_cap(env, f)), pf);
}

TEST(VSPACE0031, "many mappings and unmappings keep the kernel's books straight")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr f[32];
    for (int i = 0; i < 32; i++) {
        f[i] = mapped_frame(env, VA4K + (seL4_Word)i * 0x1000);
        *word_at(VA4K + (seL4_Word)i * 0x1000) = (seL4_Word)i;
    }
    /* shuffle: unmap the even ones, map them again one page further up */
    for (int i = 0; i < 32; i += 2)
        CHECK_EQ(test_page_unmap(f[i]), 0);
    for (int i = 0; i < 32; i += 2)
        CHECK_EQ(test_page_map_attr(f[i], VS, VA4K + 0x100000 + (seL4_Word)i * 0x1000, RW, ATTR), 0);
    seL4_Word bad = 0;
    for (int i = 0; i < 32; i++) {
        seL4_Word va = VA4K + (i % 2 ? 0 : 0x100000) + (seL4_Word)i * 0x1000;
        bad += *word_at(va) != (seL4_Word)i;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(seL4_HypDebugCheckInvariants(), 0);
}
