/* The x86_64 part of the framework (framework.h): what the BOOTINFO group
 * checks in the extra boot info chunk. This architecture's own tests are
 * in test_<group>.c beside this file. */
#include "../../framework.h"
#include <string.h>

/* The extra boot info chunk is seL4's X86_MBMMAP (seL4_X86_BootInfo_mmap_t
 * after its header): a byte count, then the loader's memory map entries,
 * well-formed, and every RAM untyped lies in a region they call
 * available. */
void test_arch_check_extra_bootinfo(env_t *env, const unsigned char *data, seL4_Word len)
{
    const seL4_X86_BootInfo_mmap_t *chunk = (const seL4_X86_BootInfo_mmap_t *)(data - sizeof(seL4_BootInfoHeader));
    uint32_t bytes;
    CHECK(len >= sizeof bytes);
    if (len < sizeof bytes)
        return;
    memcpy(&bytes, &chunk->mmap_length, sizeof bytes);
    CHECK_EQ(len, sizeof bytes + bytes); /* the chunk is the count and the entries */
    CHECK(bytes <= sizeof chunk->mmap);
    if (len != sizeof bytes + bytes || bytes > sizeof chunk->mmap)
        return;
    const unsigned char *entries = (const unsigned char *)chunk->mmap;
    seL4_Word available = 0, n = 0;
    for (seL4_Word off = 0; off < bytes;) {
        seL4_X86_mb_mmap_t e;
        CHECK(off + sizeof e <= bytes);
        if (off + sizeof e > bytes)
            return;
        memcpy(&e, entries + off, sizeof e);
        CHECK(e.size >= sizeof e - sizeof e.size);
        if (e.size < sizeof e - sizeof e.size)
            return;
        if (e.type == SEL4_MULTIBOOT_RAM_REGION_TYPE)
            available += e.length;
        n++;
        off += e.size + sizeof e.size;
    }
    CHECK(n >= 2 && n <= SEL4_MULTIBOOT_MAX_MMAP_ENTRIES);
    CHECK(available >= 64ul << 20);
    seL4_BootInfo *bi = env->bi;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice)
            continue;
        bool inside = false;
        for (seL4_Word off = 0; off + sizeof(seL4_X86_mb_mmap_t) <= bytes;) {
            seL4_X86_mb_mmap_t e;
            memcpy(&e, entries + off, sizeof e);
            if (e.type == SEL4_MULTIBOOT_RAM_REGION_TYPE && u->paddr >= e.base_addr &&
                u->paddr + (1ul << u->sizeBits) <= e.base_addr + e.length)
                inside = true;
            off += e.size + sizeof e.size;
        }
        CHECK(inside);
    }
}
