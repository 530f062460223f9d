/* Flattened device tree parsing: memory, reserved memory, /chosen bootargs,
 * the timebase and the interrupt controller. Every offset and length is
 * checked against the blob's size before use. */
#include <kernel/fdt.h>

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define MAX_DEPTH 16

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

static bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}
static bool str_prefix(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return false;
    return true;
}
/* Node name up to '@' equals want. */
static bool name_is(const char *name, const char *want)
{
    while (*want && *name == *want)
        name++, want++;
    return *want == 0 && (*name == 0 || *name == '@');
}

static word_t read_cells(const uint8_t *p, word_t cells) { return cells == 2 ? be64(p) : cells == 1 ? be32(p) : 0; }

/* Append (base, size) pairs of a reg property to a region list. */
static const char *add_regs(const uint8_t *val, word_t len, word_t ac, word_t sc, region_t *list, word_t *n)
{
    word_t entry = (ac + sc) * 4;
    if (ac > 2 || sc > 2 || entry == 0)
        return "unsupported #address-cells/#size-cells";
    for (word_t off = 0; off + entry <= len; off += entry) {
        word_t base = read_cells(val + off, ac), size = read_cells(val + off + ac * 4, sc);
        if (size == 0)
            continue;
        if (base + size < base)
            return "reg region wraps around";
        if (*n == FDT_MAX_REGIONS)
            return "too many memory regions";
        list[(*n)++] = (region_t){base, base + size};
    }
    return NULL;
}

const char *fdt_parse(const void *fdt, word_t max_size, fdt_info_t *out)
{
    const uint8_t *b = fdt;
    *out = (fdt_info_t){0};
    if (max_size < 40 || be32(b) != FDT_MAGIC)
        return "bad magic";
    word_t total = be32(b + 4), off_struct = be32(b + 8), off_strings = be32(b + 12), off_rsv = be32(b + 16);
    word_t size_strings = be32(b + 32), size_struct = be32(b + 36);
    if (total > max_size || off_struct > total || size_struct > total - off_struct || off_strings > total ||
        size_strings > total - off_strings || off_rsv > total)
        return "header offsets outside the blob";
    out->size = total;

    /* memory reservation block: (address, size) pairs ending with 0, 0 */
    for (word_t o = off_rsv;; o += 16) {
        if (o + 16 > total)
            return "reservation block not terminated";
        word_t base = be64(b + o), size = be64(b + o + 8);
        if (base == 0 && size == 0)
            break;
        if (out->n_reserved == FDT_MAX_REGIONS)
            return "too many reservations";
        out->reserved[out->n_reserved++] = (region_t){base, base + size};
    }

    const uint8_t *s = b + off_struct, *end = s + size_struct;
    const char *names[MAX_DEPTH];
    word_t addr_cells[MAX_DEPTH], size_cells[MAX_DEPTH];
    int depth = -1;
    bool is_memory[MAX_DEPTH] = {0};

    while (s + 4 <= end) {
        uint32_t tok = be32(s);
        s += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)s;
            while (s < end && *s)
                s++;
            if (s >= end)
                return "unterminated node name";
            s = b + ROUND_UP((word_t)(s + 1 - b), 2);
            if (++depth >= MAX_DEPTH)
                return "tree too deep";
            names[depth] = name;
            /* children inherit nothing; the spec's defaults are 2 and 1 */
            addr_cells[depth] = 2;
            size_cells[depth] = 1;
            is_memory[depth] = depth == 1 && name_is(name, "memory");
        } else if (tok == FDT_END_NODE) {
            if (depth < 0)
                return "unbalanced end of node";
            depth--;
        } else if (tok == FDT_PROP) {
            if (s + 8 > end || depth < 0)
                return "truncated property";
            word_t len = be32(s), nameoff = be32(s + 4);
            const uint8_t *val = s + 8;
            if (len > (word_t)(end - val) || nameoff >= size_strings)
                return "property outside the blob";
            const char *pname = (const char *)(b + off_strings + nameoff);
            s = b + ROUND_UP((word_t)(val + len - b), 2);
            /* a node's #cells describe its children's reg */
            word_t pac = depth > 0 ? addr_cells[depth - 1] : 2, psc = depth > 0 ? size_cells[depth - 1] : 1;
            const char *err = NULL;
            if (str_eq(pname, "#address-cells") && len == 4)
                addr_cells[depth] = be32(val);
            else if (str_eq(pname, "#size-cells") && len == 4)
                size_cells[depth] = be32(val);
            else if (str_eq(pname, "device_type") && depth == 1 && str_prefix((const char *)val, "memory"))
                is_memory[depth] = true;
            else if (str_eq(pname, "reg") && depth == 1 && is_memory[1])
                err = add_regs(val, len, pac, psc, out->ram, &out->n_ram);
            else if (str_eq(pname, "reg") && depth == 2 && name_is(names[1], "reserved-memory"))
                err = add_regs(val, len, pac, psc, out->reserved, &out->n_reserved);
            else if (str_eq(pname, "reg") && depth == 2 && name_is(names[1], "soc") &&
                     (name_is(names[2], "plic") || name_is(names[2], "interrupt-controller")) && len >= (pac + psc) * 4)
                out->plic = (region_t){read_cells(val, pac), read_cells(val, pac) + read_cells(val + pac * 4, psc)};
            else if (str_eq(pname, "timebase-frequency") && depth == 1 && name_is(names[1], "cpus") && len == 4)
                out->timebase_hz = be32(val);
            else if (str_eq(pname, "bootargs") && depth == 1 && name_is(names[1], "chosen")) {
                word_t n = len < sizeof(out->bootargs) - 1 ? len : sizeof(out->bootargs) - 1;
                for (word_t i = 0; i < n; i++)
                    out->bootargs[i] = (char)val[i];
                out->bootargs[n] = 0;
            }
            if (err)
                return err;
        } else if (tok == FDT_NOP) {
            continue;
        } else if (tok == FDT_END) {
            if (out->n_ram == 0)
                return "no memory node";
            return NULL;
        } else {
            return "unknown structure token";
        }
    }
    return "structure block not terminated";
}
