/* VSPACE, FRAMEEXPORTS, ASID: paging-structure Map/Unmap, Page_Map/Unmap/
 * GetAddress, ASIDControl_MakePool and ASIDPool_Assign, with seL4's errors,
 * on every architecture (the calls go through test_arch.h; where seL4's
 * architectures answer differently, test_arch.h says what to expect). Everything here runs in the root
 * task's own address space (or in address spaces nobody runs in): a test
 * never touches an address that is not mapped, since a fault would end the
 * suite. Whether a mapping is gone is seen from the kernel's answers
 * (the address can be mapped again, the cap can be mapped elsewhere) and
 * from reading what a new mapping at the same address shows. */
#include "framework.h"

static seL4_Word mr(int i) { return seL4_GetMR(i); }
#define VS seL4_CapInitThreadVSpace
#define POOL seL4_CapInitThreadASIDPool
#define RW seL4_ReadWrite
#define ATTR TEST_ATTR_DEFAULT
#define XN TEST_ATTR_XN

/* Test addresses in the root task's space: its image sits in the first
 * 2 MiB, so the rest of the first GiB has the table above the leaf tables
 * (from boot) and no leaf tables; GiB 1 and 2 have nothing below the
 * level that maps whole GiBs. */
#define VA4K 0x10000000ul /* a leaf table has to be mapped here first */
#define VA2M 0x20000000ul /* a 2 MiB frame fits here directly */
#define VA1G 0x80000000ul /* a 1 GiB frame fits here directly */
#define MiB (1ul << 20)

static volatile seL4_Word *word_at(seL4_Word va) { return (volatile seL4_Word *)va; }

static seL4_CPtr frame4k(env_t *env) { return make_object(env, TEST_FRAME_4K, 0); }
static seL4_CPtr copy_cap(env_t *env, seL4_CPtr src)
{
    seL4_CPtr s = alloc_slot(env);
    int err = seL4_CNode_Copy(ROOT, s, WB, ROOT, src, WB, seL4_AllRights);
    CHECK_EQ(err, 0);
    return s;
}
static seL4_CPtr mint_cap(env_t *env, seL4_CPtr src, seL4_CapRights_t rights)
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, s, WB, ROOT, src, WB, rights, 0), 0);
    return s;
}
/* The next paging structure vspace needs at va: a page table where only
 * the leaf table is missing (riscv64's walk always takes one there), else
 * the level a failed map names. */
static seL4_CPtr map_pt(env_t *env, seL4_CPtr vspace, seL4_Word va)
{
    seL4_CPtr pt = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
    int e = test_table_map(pt, vspace, va, ATTR);
    if (e == seL4_FailedLookup) {
        pt = make_object(env, test_paging_object_for(seL4_MappingFailedLookupLevel()), 0);
        e = test_table_map(pt, vspace, va, ATTR);
    }
    CHECK_EQ(e, 0);
    return pt;
}
/* Every paging structure a 4 KiB frame at va needs in vspace. */
static void map_tables(env_t *env, seL4_CPtr vspace, seL4_Word va)
{
    for (int level = 0; level < 4; level++) {
        seL4_CPtr pt = make_object(env, TEST_PAGE_TABLE_OBJECT, 0);
        int e = test_table_map(pt, vspace, va, ATTR);
        if (e == seL4_DeleteFirst)
            return; /* the leaf table is there */
        if (e == seL4_FailedLookup) {
            seL4_CPtr t = make_object(env, test_paging_object_for(seL4_MappingFailedLookupLevel()), 0);
            e = test_table_map(t, vspace, va, ATTR);
        }
        CHECK_EQ(e, 0);
    }
}
/* A 4 KiB frame mapped read-write in the root vspace at va (table at VA4K). */
static seL4_CPtr mapped_frame(env_t *env, seL4_Word va)
{
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, VS, va, RW, ATTR), 0);
    return f;
}
/* A fresh address space with an ASID from the root task's pool. */
static seL4_CPtr make_vspace(env_t *env, seL4_CPtr pool)
{
    seL4_CPtr v = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_asid_assign(pool, v), 0);
    return v;
}
static seL4_CPtr make_pool(env_t *env)
{
    seL4_CPtr ut = make_untyped(env, seL4_ASIDPoolBits);
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(test_asid_make_pool(ut, ROOT, s, WB), 0);
    return s;
}
static seL4_Word paddr_of(seL4_CPtr frame) { return test_frame_paddr(frame); }

/* A device untyped whose first byte is at paddr with at least min_bits
 * bits, or 0 (test_arch.h names addresses where the machine has them). */
static seL4_CPtr device_ut_at(env_t *env, seL4_Word paddr, seL4_Word min_bits, seL4_Word *bits)
{
    seL4_BootInfo *bi = env->bi;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice && u->paddr == paddr && u->sizeBits >= min_bits) {
            *bits = u->sizeBits;
            return bi->untyped.start + i;
        }
    }
    printf("#   no device untyped at %lx\n", (unsigned long)paddr);
    env->failures++;
    return 0;
}


/* ---------------- VSPACE ---------------- */

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

/* ---------------- FRAMEEXPORTS ---------------- */

TEST(FRAMEEXPORTS0001, "every user image frame, copied and mapped elsewhere, shows the image's bytes")
{
    seL4_BootInfo *bi = env->bi;
    map_pt(env, VS, VA4K);
    seL4_CPtr s = alloc_slot(env);
    seL4_Word n = bi->userImageFrames.end - bi->userImageFrames.start, bad = 0, failed = 0;
    CHECK(n > 16);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_CPtr frame = bi->userImageFrames.start + i;
        if (seL4_CNode_Copy(ROOT, s, WB, ROOT, frame, WB, seL4_AllRights) ||
            test_page_map_attr(s, VS, VA4K, seL4_CanRead, XN)) {
            failed++;
            seL4_CNode_Delete(ROOT, s, WB);
            continue;
        }
        volatile seL4_Word *image = word_at(0x10000 + i * 0x1000), *alias = word_at(VA4K);
        for (int w = 0; w < 512; w++) {
            seL4_Word x = image[w], y = alias[w];
            bad += x != y;
        }
        test_page_unmap(s);
        seL4_CNode_Delete(ROOT, s, WB);
    }
    CHECK_EQ(failed, 0);
    CHECK_EQ(bad, 0);
}

TEST(FRAMEEXPORTS0002, "the boot info and IPC buffer frames can be shared at a second address")
{
    seL4_BootInfo *bi = env->bi;
    map_pt(env, VS, VA4K);
    seL4_CPtr b = copy_cap(env, seL4_CapBootInfoFrame);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K, seL4_CanRead, XN), 0);
    seL4_BootInfo *alias = (seL4_BootInfo *)VA4K;
    CHECK_EQ(alias->untyped.start, bi->untyped.start);
    CHECK_EQ(alias->untyped.end, bi->untyped.end);
    CHECK_EQ(alias->userImageFrames.start, bi->userImageFrames.start);
    CHECK_EQ(alias->untypedList[0].paddr, bi->untypedList[0].paddr);
    seL4_CPtr ipc = copy_cap(env, seL4_CapInitThreadIPCBuffer);
    CHECK_EQ(test_page_map_attr(ipc, VS, VA4K + 0x1000, RW, XN), 0);
    seL4_IPCBuffer *buf = (seL4_IPCBuffer *)(VA4K + 0x1000 + ((seL4_Word)seL4_GetIPCBuffer() & 0xfff));
    ((volatile seL4_IPCBuffer *)buf)->msg[100] = 0xc0ffee;
    CHECK_EQ(seL4_GetMR(100), 0xc0ffee);
    seL4_SetMR(101, 0xbeef);
    CHECK_EQ(((volatile seL4_IPCBuffer *)buf)->msg[101], 0xbeef);
}

TEST(FRAMEEXPORTS0003, "one frame at two addresses through two caps: writes are seen both ways")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x7000, RW, ATTR), 0);
    volatile seL4_Word *pa = word_at(VA4K), *pb = word_at(VA4K + 0x7000);
    seL4_Word bad = 0;
    for (int i = 0; i < 512; i++) {
        pa[i] = 0x1000ul + (seL4_Word)i;
        bad += pb[i] != 0x1000ul + (seL4_Word)i;
        pb[i] = 0x2000ul + (seL4_Word)i;
        bad += pa[i] != 0x2000ul + (seL4_Word)i;
    }
    CHECK_EQ(bad, 0);
}

TEST(FRAMEEXPORTS0004, "a 2 MiB frame shared at two addresses; a 4 KiB alias of another frame stays apart")
{
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    CHECK_EQ(test_page_map_attr(big, VS, VA2M, RW, ATTR), 0);
    seL4_CPtr alias = copy_cap(env, big);
    CHECK_EQ(test_page_map_attr(alias, VS, VA2M + 2 * MiB, RW, ATTR), 0);
    *word_at(VA2M + MiB + 8) = 0x77;
    *word_at(VA2M + 4 * MiB - 8) = 0x88;
    CHECK_EQ(*word_at(VA2M + 3 * MiB + 8), 0x77);
    CHECK_EQ(*word_at(VA2M + 2 * MiB - 8), 0x88);
    map_pt(env, VS, VA4K);
    mapped_frame(env, VA4K);
    *word_at(VA4K) = 0x99;
    CHECK_EQ(*word_at(VA2M), 0);
}

TEST(FRAMEEXPORTS0005, "unmapping an alias is seen at once; the memory and the other mapping stay")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x1000, RW, ATTR), 0);
    *word_at(VA4K + 0x1000 + 64) = 0x4242;
    CHECK_EQ(test_page_unmap(b), 0);
    /* the very next access at the alias address goes to a new frame */
    seL4_CPtr c = mapped_frame(env, VA4K + 0x1000);
    CHECK_EQ(*word_at(VA4K + 0x1000 + 64), 0);
    *word_at(VA4K + 0x1000 + 64) = 1;
    CHECK_EQ(*word_at(VA4K + 64), 0x4242);
    /* the unmapped cap maps again elsewhere, onto the same memory */
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x2000, seL4_CanRead, ATTR), 0);
    CHECK_EQ(*word_at(VA4K + 0x2000 + 64), 0x4242);
    (void)c;
}

TEST(FRAMEEXPORTS0006, "deleting the original frame cap while a copy is mapped keeps the copy's mapping")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x1000, RW, ATTR), 0);
    *word_at(VA4K) = 0x31337;
    /* Delete (not revoke) the original: its mapping goes, the copy's stays */
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(*word_at(VA4K + 0x1000), 0x31337);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K, RW, ATTR), 0);
    CHECK_EQ(*word_at(VA4K), 0);
}

TEST(FRAMEEXPORTS0007, "a frame shared between two address spaces keeps one physical address")
{
    seL4_CPtr v = make_vspace(env, POOL);
    map_tables(env, v, VA4K);
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, v, VA4K + 0x9000, seL4_CanRead, ATTR), 0);
    CHECK_EQ(paddr_of(a), paddr_of(b));
    /* the other space's mapping is independent: unmapping it leaves ours */
    *word_at(VA4K) = 3;
    CHECK_EQ(test_page_unmap(b), 0);
    CHECK_EQ(*word_at(VA4K), 3);
    CHECK_EQ(test_page_map_attr(b, v, VA4K, seL4_CanRead, ATTR), 0);
}

/* ---------------- ASID ---------------- */

TEST(ASID0001, "MakePool turns a 4 KiB untyped into an ASID pool whose ASIDs give working roots")
{
    seL4_CPtr pool = make_pool(env);
    CHECK_EQ(seL4_DebugCapIdentify(pool), seL4_CapTag_ASIDPool);
    seL4_CPtr v = make_vspace(env, pool);
    map_tables(env, v, VA4K);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, v, VA4K, RW, ATTR), 0);
}

TEST(ASID0002, "MakePool needs a non-device untyped of exactly 4 KiB: InvalidCapability(1)")
{
    seL4_CPtr s = alloc_slot(env);
    seL4_CPtr big = make_untyped(env, 13), small = make_untyped(env, 11);
    CHECK_EQ(test_asid_make_pool(big, ROOT, s, WB), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(test_asid_make_pool(small, ROOT, s, WB), seL4_InvalidCapability);
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_asid_make_pool(f, ROOT, s, WB), seL4_InvalidCapability);
    seL4_CPtr dev4k = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(env->device_ut, seL4_UntypedObject, 12, ROOT, 0, 0, dev4k, 1), 0);
    CHECK_EQ(test_asid_make_pool(dev4k, ROOT, s, WB), seL4_InvalidCapability);
    CHECK_EQ(seL4_DebugCapIdentify(s), 0);
}

TEST(ASID0003, "MakePool on an untyped with children is RevokeFirst; bad slots fail as CNode ops do")
{
    seL4_CPtr ut = make_untyped(env, 12);
    seL4_CPtr child = alloc_slot(env), s = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, child, 1), 0);
    CHECK_EQ(test_asid_make_pool(ut, ROOT, s, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, WB), 0);
    CHECK_EQ(test_asid_make_pool(ut, ROOT, child, WB), 0);
    /* the untyped is now used up: it cannot also be retyped */
    seL4_CPtr s2 = alloc_slot(env);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, 0, 0, s2, 1), seL4_NotEnoughMemory);
    /* destination checks */
    seL4_CPtr ut2 = make_untyped(env, 12);
    CHECK_EQ(test_asid_make_pool(ut2, ROOT, child, WB), seL4_DeleteFirst);
    CHECK_EQ(test_asid_make_pool(ut2, ROOT, s, 0), seL4_RangeError);
    CHECK_EQ(test_asid_make_pool(ut2, seL4_CapInitThreadTCB, s, WB), seL4_FailedLookup);
    CHECK_EQ(test_asid_make_pool(ut2, ROOT, s, WB), 0);
}

TEST(ASID0004, "Assign twice, or of a mapped table or a non-table, is InvalidCapability(1)")
{
    seL4_CPtr v = make_vspace(env, POOL);
    CHECK_EQ(test_asid_assign(POOL, v), seL4_InvalidCapability);
    CHECK_EQ(mr(0), 1);
    CHECK_EQ(test_asid_assign(POOL, VS), seL4_InvalidCapability);
    seL4_CPtr pt = map_pt(env, VS, VA4K);
    CHECK_EQ(test_asid_assign(POOL, pt), seL4_InvalidCapability);
    CHECK_EQ(test_asid_assign(POOL, frame4k(env)), seL4_InvalidCapability);
    /* a second pool does not take an assigned root either */
    CHECK_EQ(test_asid_assign(make_pool(env), v), seL4_InvalidCapability);
}

/* Fill a pool: roots are retyped one at a time into one slot and, once
 * assigned, moved into a CNode of their own (the test window is small). */
static int fill_pool(env_t *env, seL4_CPtr pool, seL4_CPtr cnode, seL4_Word max)
{
    seL4_CPtr s = alloc_slot(env);
    seL4_CPtr ut = make_untyped(env, 22); /* 1024 page tables */
    for (seL4_Word i = 0; i < max; i++) {
        CHECK_EQ(seL4_Untyped_Retype(ut, TEST_VSPACE_OBJECT, 0, ROOT, 0, 0, s, 1), 0);
        int err = test_asid_assign(pool, s);
        if (err) {
            seL4_CNode_Delete(ROOT, s, WB);
            return (int)i;
        }
        CHECK_EQ(seL4_CNode_Move(cnode, i, 10, ROOT, s, WB), 0);
    }
    return (int)max;
}

TEST(ASID0005, "a new pool hands out exactly 512 ASIDs, then DeleteFirst; deleting a root frees one")
{
    seL4_CPtr pool = make_pool(env);
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 10);
    CHECK_EQ(fill_pool(env, pool, cn, 600), 512);
    seL4_CPtr extra = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_asid_assign(pool, extra), seL4_DeleteFirst);
    CHECK_EQ(seL4_CNode_Delete(cn, 300, 10), 0);
    CHECK_EQ(test_asid_assign(pool, extra), 0);
    seL4_CPtr extra2 = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_asid_assign(pool, extra2), seL4_DeleteFirst);
    /* the reused ASID gives a working root */
    map_pt(env, extra, VA4K);
}

TEST(ASID0006, "the root task's pool has ASID 0 reserved and ASID 1 taken: 510 more")
{
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 10);
    CHECK_EQ(fill_pool(env, POOL, cn, 600), 510);
}

TEST(ASID0007, "there are 2^seL4_NumASIDPoolsBits pools of ASIDs: the rest after the root task's, then DeleteFirst")
{
    seL4_CPtr uts = make_untyped(env, 20); /* room for 256 pools */
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 8);
    seL4_CPtr ut = alloc_slot(env);
    int made = 0, err = 0;
    for (seL4_Word i = 0; i < 200 && !env->failures; i++) {
        CHECK_EQ(seL4_Untyped_Retype(uts, seL4_UntypedObject, 12, ROOT, 0, 0, ut, 1), 0);
        /* pools go to a CNode of their own; the untyped cap can go, the
         * pool stays a descendant of the test's memory */
        err = test_asid_make_pool(ut, cn, i, 8);
        CHECK_EQ(seL4_CNode_Delete(ROOT, ut, WB), 0);
        if (err)
            break;
        made++;
    }
    CHECK_EQ(made, (1 << seL4_NumASIDPoolsBits) - 1);
    CHECK_EQ(err, seL4_DeleteFirst);
    /* one freed place is one more pool */
    seL4_Word freed = made / 3;
    CHECK_EQ(seL4_CNode_Delete(cn, freed, 8), 0);
    CHECK_EQ(seL4_Untyped_Retype(uts, seL4_UntypedObject, 12, ROOT, 0, 0, ut, 1), 0);
    CHECK_EQ(test_asid_make_pool(ut, cn, freed, 8), 0);
}

TEST(ASID0008, "deleting a pool frees its place for MakePool and strands its roots")
{
    seL4_CPtr pool = make_pool(env);
    seL4_CPtr v = make_vspace(env, pool);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pool, WB), 0);
    seL4_CPtr pool2 = make_pool(env); /* may take the same place */
    CHECK_EQ(seL4_DebugCapIdentify(pool2), seL4_CapTag_ASIDPool);
    CHECK_EQ(test_page_map_attr(frame4k(env), v, VA4K, RW, ATTR), seL4_FailedLookup);
    /* a stranded root cannot be assigned (until it is unmapped, where
     * roots have an Unmap method) */
    CHECK_EQ(test_asid_assign(pool2, v), seL4_InvalidCapability);
    if (!TEST_ROOT_HAS_UNMAP)
        return;
    CHECK_EQ(test_table_unmap(v), 0);
    CHECK_EQ(test_asid_assign(pool2, v), 0);
    map_pt(env, v, VA4K);
}

TEST(ASID0009, "copies of a pool cap assign from the same pool; the pool lives while one remains")
{
    seL4_CPtr pool = make_pool(env);
    seL4_CPtr c = copy_cap(env, pool);
    seL4_CPtr v1 = make_vspace(env, c);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pool, WB), 0);
    seL4_CPtr v2 = make_vspace(env, c);
    map_pt(env, v1, VA4K);
    map_pt(env, v2, VA4K);
}
