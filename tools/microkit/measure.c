/* Boot measurements: checks, the kernel's bytes, and the expected values
 * (measure.h). SHA-256 is libs/bundle's, the code the initialiser runs. */
#include "measure.h"
#include "elf.h"
#include <hypos/bootlog.h>
#include <hypos/hbcrypto.h>
#include <stdlib.h>
#include <string.h>

uint8_t *measure_kernel_bytes(const char *image, uint64_t *len)
{
    const char *why;
    elf_file_t *e = elf_load(image, &why);
    if (!e)
        fail("'%s' %s", image, why);
    uint64_t root_lo, root_hi, sz;
    if (!elf_symbol(e, "_rootimage_start", &root_lo, &sz) || !elf_symbol(e, "_rootimage_end", &root_hi, &sz))
        fail("'%s' has no _rootimage_start/_rootimage_end", image);
    uint64_t total = 0;
    for (int s = 0; s < e->n_segs; s++)
        total += e->segs[s].filesz;
    uint8_t *out = malloc(total ? total : 1);
    uint64_t n = 0;
    for (int s = 0; s < e->n_segs; s++) {
        const elf_segment_t *sg = &e->segs[s];
        for (uint64_t off = 0; off < sg->filesz;) {
            uint64_t va = sg->vaddr + off;
            if (va >= root_lo && va < root_hi) {
                off += root_hi - va;
                continue;
            }
            uint64_t end = sg->filesz;
            if (va < root_lo && sg->vaddr + end > root_lo)
                end = root_lo - sg->vaddr;
            memcpy(out + n, sg->data + off, end - off);
            n += end - off;
            off = end;
        }
    }
    elf_free(e);
    *len = n;
    return out;
}

static void hex(char out[65], const uint8_t d[32])
{
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

void measure_write(const spec_builder_t *b, const uint8_t *placed, uint64_t placed_size, const uint8_t *kernel,
                   uint64_t kernel_len, const char *image, const char *path, FILE *report)
{
    (void)placed_size; /* the header's total_size, which the pieces use */
    const spec_header_t *h = (const spec_header_t *)placed;
    const spec_measure_t *ms = (const spec_measure_t *)(placed + h->off_measures);
    FILE *f = fopen(path, "w");
    if (!f)
        fail("cannot write '%s'", path);
    fprintf(f,
            "# hypOS boot measurements of %s: what its initialiser logs at boot\n"
            "# kind name bytes sha256 (hyposctl attest --expect compares each with the attested log)\n",
            image);
    if (report)
        fprintf(report, "boot measurements (SHA-256, hashed by the initialiser before any PD runs):\n");
    uint64_t total = 0;
    for (uint32_t i = 0; i < h->n_measures; i++) {
        const spec_measure_t *m = &ms[i];
        uint8_t d[32];
        char x[65], name[HB_NAME_FIELD];
        uint64_t len;
        if (m->kind == SPEC_MEASURE_SYSTEM) {
            /* as the initialiser: without the PD programs' bytes */
            struct hb_sha256 st;
            uint64_t off, piece;
            int r;
            len = 0;
            hb_sha256_init(&st);
            for (uint32_t k = 0; (r = spec_system_piece(h, ms, k, &off, &piece)) == 1; k++) {
                hb_sha256_update(&st, placed + off, piece);
                len += piece;
            }
            if (r < 0)
                fail("internal error: the PD programs' ranges in the specification are out of order");
            hb_sha256_final(&st, d);
        } else {
            len = m->kind == SPEC_MEASURE_KERNEL ? kernel_len : m->size;
            hb_sha256(d, m->kind == SPEC_MEASURE_KERNEL ? kernel : placed + h->off_data + m->data, len);
        }
        hex(x, d);
        /* as the log holds it: cut to 31 characters */
        snprintf(name, sizeof name, "%s", b->names + m->name);
        fprintf(f, "%s %s %llu %s\n", hb_mlog_kind_name(m->kind), name, (unsigned long long)len, x);
        if (report)
            fprintf(report, "  %-12s %-24s %9llu bytes  %s  (%s)\n", hb_mlog_kind_name(m->kind), name,
                    (unsigned long long)len, x, b->names + m->what);
        total += len;
    }
    if (fclose(f))
        fail("cannot write '%s'", path);
    if (report)
        fprintf(report, "  %u measurements, %llu bytes hashed at boot\n", h->n_measures, (unsigned long long)total);
}
