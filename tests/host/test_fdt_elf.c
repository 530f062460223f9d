/* Device-tree and ELF readers: good input parsed, bad input rejected with
 * a reason, random corruption never crashes (run under ASan). */
#include "host.h"
#include <kernel/elf.h>
#include <kernel/fdt.h>
#include <stdlib.h>
#include <string.h>

typedef struct fdt_builder {
    uint8_t st[4096];
    size_t n;
    char str[512];
    size_t ns;
} fdt_builder_t;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}
static void tok(fdt_builder_t *b, uint32_t v)
{
    put32(b->st + b->n, v);
    b->n += 4;
}
static void begin(fdt_builder_t *b, const char *name)
{
    tok(b, 1);
    size_t l = strlen(name) + 1;
    memcpy(b->st + b->n, name, l);
    b->n = (b->n + l + 3) & ~3ul;
}
static void prop(fdt_builder_t *b, const char *name, const void *val, size_t len)
{
    tok(b, 3);
    tok(b, (uint32_t)len);
    tok(b, (uint32_t)b->ns);
    strcpy(b->str + b->ns, name);
    b->ns += strlen(name) + 1;
    memcpy(b->st + b->n, val, len);
    b->n = (b->n + len + 3) & ~3ul;
}
static void prop32(fdt_builder_t *b, const char *name, uint32_t v)
{
    uint8_t x[4];
    put32(x, v);
    prop(b, name, x, 4);
}
static void prop_reg(fdt_builder_t *b, uint64_t base, uint64_t size)
{
    uint8_t x[16];
    put32(x, base >> 32);
    put32(x + 4, (uint32_t)base);
    put32(x + 8, size >> 32);
    put32(x + 12, (uint32_t)size);
    prop(b, "reg", x, 16);
}

/* A blob like QEMU virt's, reduced to what the kernel reads. */
static size_t build_fdt(uint8_t *out)
{
    fdt_builder_t b = {0};
    begin(&b, "");
    prop32(&b, "#address-cells", 2);
    prop32(&b, "#size-cells", 2);
    begin(&b, "chosen");
    prop(&b, "bootargs", "quiet x", 8);
    tok(&b, 2);
    begin(&b, "cpus");
    prop32(&b, "timebase-frequency", 10000000);
    tok(&b, 2);
    begin(&b, "memory@80000000");
    prop(&b, "device_type", "memory", 7);
    prop_reg(&b, 0x80000000, 0x10000000);
    tok(&b, 2);
    begin(&b, "reserved-memory");
    prop32(&b, "#address-cells", 2);
    prop32(&b, "#size-cells", 2);
    begin(&b, "mmode_resv0@80000000");
    prop_reg(&b, 0x80000000, 0x80000);
    tok(&b, 2);
    tok(&b, 2);
    begin(&b, "soc");
    prop32(&b, "#address-cells", 2);
    prop32(&b, "#size-cells", 2);
    begin(&b, "plic@c000000");
    prop_reg(&b, 0xc000000, 0x600000);
    tok(&b, 2);
    tok(&b, 2);
    tok(&b, 2);
    tok(&b, 9);
    size_t hdr = 40, rsv = 16, off_rsv = hdr, off_st = off_rsv + rsv, off_str = off_st + b.n;
    size_t total = off_str + b.ns;
    memset(out, 0, total);
    put32(out, 0xd00dfeed);
    put32(out + 4, (uint32_t)total);
    put32(out + 8, (uint32_t)off_st);
    put32(out + 12, (uint32_t)off_str);
    put32(out + 16, (uint32_t)off_rsv);
    put32(out + 20, 17);
    put32(out + 24, 16);
    put32(out + 32, (uint32_t)b.ns);
    put32(out + 36, (uint32_t)b.n);
    memcpy(out + off_st, b.st, b.n);
    memcpy(out + off_str, b.str, b.ns);
    return total;
}

static void fdt_good(void)
{
    uint8_t blob[8192];
    size_t n = build_fdt(blob);
    fdt_info_t f;
    const char *e = fdt_parse(blob, n, &f);
    HCHECK(e == NULL);
    HCHECK(f.size == n);
    HCHECK(f.n_ram == 1 && f.ram[0].base == 0x80000000 && f.ram[0].end == 0x90000000);
    HCHECK(f.n_reserved == 1 && f.reserved[0].base == 0x80000000 && f.reserved[0].end == 0x80080000);
    HCHECK(strcmp(f.bootargs, "quiet x") == 0);
    HCHECK(f.timebase_hz == 10000000);
    HCHECK(f.plic.base == 0xc000000 && f.plic.end == 0xc600000);
}

static void fdt_bad(void)
{
    uint8_t blob[8192];
    size_t n = build_fdt(blob);
    fdt_info_t f;
    HCHECK(fdt_parse(blob, 20, &f) != NULL);    /* shorter than a header */
    HCHECK(fdt_parse(blob, n - 1, &f) != NULL); /* totalsize beyond what is readable */
    uint8_t b2[8192];
    memcpy(b2, blob, n);
    b2[0] = 0;
    HCHECK(fdt_parse(b2, n, &f) != NULL); /* magic */
    memcpy(b2, blob, n);
    put32(b2 + 36, 0xffffff00); /* struct size */
    HCHECK(fdt_parse(b2, n, &f) != NULL);
}

static void fdt_random_corruption(void)
{
    uint8_t blob[8192], b2[8192];
    size_t n = build_fdt(blob);
    fdt_info_t f;
    srand(1);
    int rejected = 0;
    for (int i = 0; i < 20000; i++) {
        memcpy(b2, blob, n);
        for (int k = 0; k < 1 + rand() % 4; k++)
            b2[rand() % n] ^= (uint8_t)(1 + rand() % 255);
        if (fdt_parse(b2, n, &f))
            rejected++;
    }
    printf("#   20000 corrupted blobs, %d rejected, none crashed\n", rejected);
    HCHECK(rejected > 0);
}

typedef struct {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
    uint32_t ptype, pflags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
    uint8_t code[64];
} tiny_elf_t;

static tiny_elf_t good_elf(void)
{
    tiny_elf_t e = {{0x7f, 'E', 'L', 'F', 2, 1, 1},
                    2,
                    243,
                    1,
                    0x10000,
                    64,
                    0,
                    0,
                    64,
                    56,
                    1,
                    0,
                    0,
                    0,
                    1,
                    5,
                    120,
                    0x10000,
                    0x10000,
                    64,
                    0x3000,
                    0x1000,
                    {0}};
    return e;
}

static void elf_good(void)
{
    tiny_elf_t e = good_elf();
    elf_image_t img;
    const char *err = elf_read(&e, sizeof e, 0x3ffffff000ul, &img);
    HCHECK(err == NULL);
    HCHECK(img.entry == 0x10000 && img.lo == 0x10000 && img.hi == 0x13000 && img.n_seg == 1);
    HCHECK(img.seg[0].exec && !img.seg[0].writable);
}

static void elf_bad(void)
{
    elf_image_t img;
    tiny_elf_t e;
#define REJECT(mutation)                                              \
    do {                                                              \
        e = good_elf();                                               \
        mutation;                                                     \
        HCHECK(elf_read(&e, sizeof e, 0x3ffffff000ul, &img) != NULL); \
    } while (0)
    REJECT(e.ident[1] = 'X');
    REJECT(e.ident[4] = 1);
    REJECT(e.machine = 62);
    REJECT(e.type = 3);
    REJECT(e.phoff = 1000);
    REJECT(e.phnum = 100);
    REJECT(e.phentsize = 32);
    REJECT(e.filesz = 1000);
    REJECT(e.filesz = 0x5000);
    REJECT(e.vaddr = 0);
    REJECT(e.vaddr = 0x3ffffff000ul);
    REJECT(e.memsz = ~0ul);
    REJECT(e.entry = 0x20000);
    REJECT(e.ptype = 4);
    HCHECK(elf_read(&e, 10, 0x3ffffff000ul, &img) != NULL);
}

static void elf_random_corruption(void)
{
    tiny_elf_t g = good_elf(), e;
    elf_image_t img;
    srand(2);
    for (int i = 0; i < 20000; i++) {
        e = g;
        for (int k = 0; k < 1 + rand() % 3; k++)
            ((uint8_t *)&e)[rand() % 120] ^= (uint8_t)(1 + rand() % 255);
        if (!elf_read(&e, sizeof e, 0x3ffffff000ul, &img)) {
            /* anything accepted must describe memory inside the file and user range */
            for (word_t s = 0; s < img.n_seg; s++)
                HCHECK(img.seg[s].offset + img.seg[s].filesz <= sizeof e && img.seg[s].filesz <= img.seg[s].memsz &&
                       img.seg[s].vaddr + img.seg[s].memsz <= 0x3ffffff000ul);
        }
    }
}

void run_fdt_elf_tests(void)
{
    host_test("HOST_FDT_001", "memory, reservations, bootargs, timebase and PLIC are read", fdt_good);
    host_test("HOST_FDT_002", "truncated and inconsistent blobs are rejected", fdt_bad);
    host_test("HOST_FDT_003", "20000 randomly corrupted blobs never crash", fdt_random_corruption);
    host_test("HOST_ELF_001", "a valid RISC-V executable is read", elf_good);
    host_test("HOST_ELF_002", "each malformation is rejected with a reason", elf_bad);
    host_test("HOST_ELF_003", "randomly corrupted headers never yield out-of-file segments", elf_random_corruption);
}
