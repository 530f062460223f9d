/* riscv64 parts of the conformance suite that need the test framework. */
#include "../../framework.h"
#include <string.h>

static seL4_Word be32(const unsigned char *p) { return (seL4_Word)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static bool contains(const unsigned char *b, seL4_Word n, const char *str)
{
    seL4_Word k = strlen(str);
    for (seL4_Word i = 0; i + k <= n; i++)
        if (memcmp(b + i, str, k) == 0)
            return true;
    return false;
}

/* The extra boot info chunk is the device tree QEMU's virt machine got. */
void test_arch_check_extra_bootinfo(env_t *env, const unsigned char *fdt, seL4_Word fdt_len)
{
    CHECK_EQ(be32(fdt), 0xd00dfeed);  /* magic (Devicetree Specification §5.2) */
    CHECK_EQ(be32(fdt + 4), fdt_len); /* totalsize */
    CHECK(be32(fdt + 20) >= 16);      /* version */
    CHECK(contains(fdt, fdt_len, "riscv,plic0") || contains(fdt, fdt_len, "sifive,plic-1.0.0"));
    CHECK(contains(fdt, fdt_len, "memory"));
}


static seL4_Word misaligned_amo(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    seL4_Word old;
    asm volatile("amoadd.d %0, %1, (%2)" : "=r"(old) : "r"(1ul), "r"(addr) : "memory");
    return old;
}

TEST(FAULT0008, "a misaligned atomic is a user exception with its cause number")
{
    helper_t h;
    static seL4_Word target[2];
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, misaligned_amo, (seL4_Word)target + 1, 0, 0, 0);
    seL4_MessageInfo_t info = seL4_Recv(fep, NULL);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    /* the privileged spec names "store/AMO address misaligned" (6); QEMU 7.2
     * reports the AMO's read half, "load address misaligned" (4) */
    CHECK(seL4_GetMR(seL4_UserException_Number) == 4 || seL4_GetMR(seL4_UserException_Number) == 6);
}
