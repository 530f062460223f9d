/* The x86_64 part of the framework (framework.h): what the BOOTINFO group
 * checks in the extra boot info chunk. This architecture's own tests are
 * in test_<group>.c beside this file. */
#include "../../framework.h"
#include <string.h>

/* One entry of a multiboot memory map (Multiboot Specification 0.6.96
 * §3.3): its size field counts the bytes after itself. */
typedef struct __attribute__((packed)) mmap_entry {
    uint32_t size;
    uint64_t base, length;
    uint32_t type; /* 1: available RAM */
} mmap_entry_t;

/* The extra boot info chunk is the loader's memory map: well-formed, and
 * every RAM untyped lies in a region it calls available. */
void test_arch_check_extra_bootinfo(env_t *env, const unsigned char *data, seL4_Word len)
{
    seL4_Word available = 0, entries = 0;
    for (seL4_Word off = 0; off < len;) {
        mmap_entry_t e;
        CHECK(off + sizeof e <= len);
        if (off + sizeof e > len)
            return;
        memcpy(&e, data + off, sizeof e);
        CHECK(e.size >= sizeof e - sizeof e.size);
        if (e.size < sizeof e - sizeof e.size)
            return;
        if (e.type == 1)
            available += e.length;
        entries++;
        off += e.size + sizeof e.size;
    }
    CHECK(entries >= 2);
    CHECK(available >= 64ul << 20);
    seL4_BootInfo *bi = env->bi;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice)
            continue;
        bool inside = false;
        for (seL4_Word off = 0; off + sizeof(mmap_entry_t) <= len;) {
            mmap_entry_t e;
            memcpy(&e, data + off, sizeof e);
            if (e.type == 1 && u->paddr >= e.base && u->paddr + (1ul << u->sizeBits) <= e.base + e.length)
                inside = true;
            off += e.size + sizeof e.size;
        }
        CHECK(inside);
    }
}
