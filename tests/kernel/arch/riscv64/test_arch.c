/* The riscv64 part of the framework (framework.h): what the BOOTINFO group
 * checks in the extra boot info chunk. This architecture's own tests are
 * in test_<group>.c beside this file. */
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
