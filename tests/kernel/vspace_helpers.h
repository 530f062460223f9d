/* What the VSPACE, FRAMEEXPORTS and ASID tests share: short names, the
 * addresses they map at in the root task's space, and builders of frames,
 * page tables, address spaces and ASID pools. Everything here runs in the
 * root task's own address space (or in address spaces nobody runs in): a
 * test never touches an address that is not mapped, since a fault would end
 * the suite. */
#pragma once
#include "framework.h"

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

static inline volatile seL4_Word *word_at(seL4_Word va) { return (volatile seL4_Word *)va; }

static inline seL4_CPtr frame4k(env_t *env) { return make_object(env, TEST_FRAME_4K, 0); }
static inline seL4_CPtr copy_cap(env_t *env, seL4_CPtr src)
{
    seL4_CPtr s = alloc_slot(env);
    int err = seL4_CNode_Copy(ROOT, s, WB, ROOT, src, WB, seL4_AllRights);
    CHECK_EQ(err, 0);
    return s;
}
static inline seL4_CPtr mint_cap(env_t *env, seL4_CPtr src, seL4_CapRights_t rights)
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_CNode_Mint(ROOT, s, WB, ROOT, src, WB, rights, 0), 0);
    return s;
}
/* The next paging structure vspace needs at va: a page table where only
 * the leaf table is missing (riscv64's walk always takes one there), else
 * the level a failed map names. */
static inline seL4_CPtr map_pt(env_t *env, seL4_CPtr vspace, seL4_Word va)
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
static inline void map_tables(env_t *env, seL4_CPtr vspace, seL4_Word va)
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
static inline seL4_CPtr mapped_frame(env_t *env, seL4_Word va)
{
    seL4_CPtr f = frame4k(env);
    CHECK_EQ(test_page_map_attr(f, VS, va, RW, ATTR), 0);
    return f;
}
/* A fresh address space with an ASID from the root task's pool. */
static inline seL4_CPtr make_vspace(env_t *env, seL4_CPtr pool)
{
    seL4_CPtr v = make_object(env, TEST_VSPACE_OBJECT, 0);
    CHECK_EQ(test_asid_assign(pool, v), 0);
    return v;
}
static inline seL4_CPtr make_pool(env_t *env)
{
    seL4_CPtr ut = make_untyped(env, seL4_ASIDPoolBits);
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(test_asid_make_pool(ut, ROOT, s, WB), 0);
    return s;
}
static inline seL4_Word paddr_of(seL4_CPtr frame) { return test_frame_paddr(frame); }

/* A device untyped whose first byte is at paddr with at least min_bits
 * bits, or 0 (test_arch.h names addresses where the machine has them). */
static inline seL4_CPtr device_ut_at(env_t *env, seL4_Word paddr, seL4_Word min_bits, seL4_Word *bits)
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
