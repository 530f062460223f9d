/* x86_64 parts of the conformance suite that need the test framework. */
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

static seL4_Word privileged_instruction(seL4_Word a, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)a, (void)b, (void)c, (void)d;
    asm volatile("hlt");
    return 0;
}

TEST(FAULT0008, "a privileged instruction is a general-protection user exception with its error code")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, privileged_instruction, 0, 0, 0, 0);
    seL4_MessageInfo_t info = seL4_Recv(fep, NULL);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CHECK_EQ(seL4_MessageInfo_get_length(info), seL4_UserException_Length);
    CHECK_EQ(seL4_GetMR(seL4_UserException_Number), 13); /* #GP (SDM Vol. 3A §6.15) */
    CHECK_EQ(seL4_GetMR(seL4_UserException_Code), 0);
    CHECK(seL4_GetMR(seL4_UserException_FLAGS) & 0x200); /* IF: user code runs with interrupts on */
}
