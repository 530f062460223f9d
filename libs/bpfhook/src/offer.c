/* The bpf PD's side of PD hook points: read a hooking PD's declaration
 * (never trusting the region), verify a program against it and offer it
 * in the region's staging area. */
#include "internal.h"

int bpfhook_read_decl(const void *region, uint64_t region_size, struct bpfhook_decl *decl, char *msg, size_t msg_len)
{
    struct msgbuf m;
    msg_init(&m, msg, msg_len);
    const struct bpfhook_shared *s = region;
    if (!region || ((uintptr_t)region & 7) || region_size < BPFHOOK_HEADER_SIZE) {
        msg_str(&m, "hook region smaller than its 4 KiB header");
        return -BPF_EINVAL;
    }
    if (s->magic != BPFHOOK_MAGIC || SEQ_LOAD(&s->decl_seq) == 0) {
        msg_str(&m, "no hook declared in the region yet");
        return -BPF_ENOENT;
    }
    /* Checked on a private copy: the hooking PD may write the region at
     * any time. */
    copy_bytes(decl, &s->decl, sizeof(*decl));
    if (decl_check(decl, &m))
        return -BPF_EINVAL;
    struct areas a;
    if (areas_for(decl, region_size, &a)) {
        msg_str(&m, "region of ");
        msg_uint(&m, region_size);
        msg_str(&m, " bytes too small for a hook taking ");
        msg_uint(&m, decl->max_insns);
        msg_str(&m, " instructions");
        return -BPF_EINVAL;
    }
    if (SEQ_LOAD(&s->offer_seq) != SEQ_LOAD(&s->live_seq)) {
        msg_str(&m, "the hooking PD has not yet taken the last program offered");
        return -BPF_EBUSY;
    }
    return 0;
}

void bpfhook_verifier_hook(const struct bpfhook_decl *decl, struct bpf_hook *hook, struct bpf_ctx_field *fields)
{
    for (uint32_t i = 0; i < decl->nfields; i++) {
        fields[i].off = decl->fields[i].off;
        fields[i].size = decl->fields[i].size;
        fields[i].access = decl->fields[i].access;
    }
    zero_bytes(hook, sizeof(*hook));
    hook->name = decl->name;
    hook->ctx_size = decl->ctx_size;
    /* The verifier opens the whole context to a hook without fields, and
     * every helper of the environment to one with a NULL helper table: a
     * declaration without fields gets one field granting nothing, and the
     * helper table is never NULL. */
    hook->fields = fields;
    hook->nfields = decl->nfields;
    if (decl->nfields == 0) {
        fields[0].off = 0;
        fields[0].size = decl->ctx_size;
        fields[0].access = 0;
        hook->nfields = 1;
    }
    hook->helpers = decl->helpers;
    hook->nhelpers = decl->nhelpers;
    /* No pointer leaks (maps are read by other PDs), no tail calls (a
     * program array cannot be handed over), verdicts in range. */
    hook->flags = BPF_HOOK_CHECK_RET;
    hook->ret_min = decl->verdict_min;
    hook->ret_max = decl->verdict_max;
}

static int refuse(struct bpfhook_shared *s, uint32_t decl_seq, uint32_t status, struct msgbuf *m, int rc)
{
    zero_bytes(s->message, sizeof(s->message));
    copy_bytes(s->message, m->buf, m->len < BPFHOOK_MESSAGE_LEN ? m->len : BPFHOOK_MESSAGE_LEN - 1);
    s->status = status;
    s->refusals++;
    s->served_decl_seq = decl_seq;
    return rc;
}

static uint64_t align8(uint64_t v) { return (v + 7) & ~(uint64_t)7; }

#define NO_PLACE UINT64_MAX

static int defs_equal(const struct bpf_map_def *a, const struct bpf_map_def *b)
{
    return a->type == b->type && a->key_size == b->key_size && a->value_size == b->value_size &&
           a->max_entries == b->max_entries && a->flags == b->flags;
}

/* For each map of prog: the offset of the live map it carries over (same
 * name and definition, lying inside the maps area), or NO_PLACE. The live
 * table is read from the region, which the hooking PD writes: every entry
 * is copied and checked before use, and each live map is carried at most
 * once. */
struct range {
    uint64_t off, len;
};

static void layout_carried(const struct bpfhook_shared *s, const struct areas *a, const struct bpf_prog *prog,
                           uint64_t *carried, struct range *live_ranges, uint32_t *nranges)
{
    struct bpfhook_map_entry live[BPFHOOK_MAX_MAPS];
    uint32_t nlive = SEQ_LOAD(&s->live_seq) == SEQ_LOAD(&s->offer_seq) ? s->live_nmaps : 0;
    if (nlive > BPFHOOK_MAX_MAPS)
        nlive = 0;
    copy_bytes(live, s->live_maps, sizeof(live));
    *nranges = 0;
    for (uint32_t j = 0; j < nlive; j++) {
        uint64_t need = align8(bpf_map_mem_size(&live[j].def));
        if (need && live[j].off <= a->maps_size && need <= a->maps_size - live[j].off)
            live_ranges[(*nranges)++] = (struct range){live[j].off, need};
    }
    uint32_t used = 0;
    for (uint32_t i = 0; i < prog->nmaps && i < BPFHOOK_MAX_MAPS; i++) {
        carried[i] = NO_PLACE;
        const struct bpf_map *map = prog->maps[i];
        for (uint32_t j = 0; j < nlive; j++) {
            live[j].name[BPF_MAP_NAME_LEN - 1] = 0;
            uint64_t need = align8(bpf_map_mem_size(&live[j].def));
            if ((used >> j) & 1 || !names_equal(live[j].name, map->name, BPF_MAP_NAME_LEN) ||
                !defs_equal(&live[j].def, &map->def) || !need || (live[j].off & 7) || live[j].off > a->maps_size ||
                need > a->maps_size - live[j].off)
                continue;
            carried[i] = live[j].off;
            used |= 1u << j;
            break;
        }
    }
}

/* The lowest 8-aligned offset where need bytes overlap none of the maps
 * in placed (bit k: entries[k].off holds map k's place, carried or chosen
 * before) and none of the ranges in avoid (the live program's maps: a new
 * map placed apart from them lets the hooking PD prepare the new program
 * while the old one still runs); kept maps never move, the others fill
 * around them. */
static uint64_t free_place(const struct bpfhook_map_entry *entries, const struct bpf_prog *prog, uint32_t placed,
                           uint64_t need, const struct range *avoid, uint32_t navoid)
{
    uint64_t at = 0;
    for (int moved = 1; moved;) {
        moved = 0;
        for (uint32_t k = 0; k < navoid; k++)
            if (at < avoid[k].off + avoid[k].len && avoid[k].off < at + need) {
                at = avoid[k].off + avoid[k].len;
                moved = 1;
            }
        for (uint32_t k = 0; k < prog->nmaps; k++) {
            if (!((placed >> k) & 1))
                continue;
            uint64_t off = entries[k].off, len = align8(bpf_map_mem_size(&prog->maps[k]->def));
            if (at < off + len && off < at + need) {
                at = off + len;
                moved = 1;
            }
        }
    }
    return at;
}

int bpfhook_offer(void *region, uint64_t region_size, const struct bpf_prog *prog, const struct bpf_env *env,
                  const struct bpf_allocator *alloc, char *msg, size_t msg_len)
{
    struct msgbuf m;
    msg_init(&m, msg, msg_len);
    char scratch[BPFHOOK_MESSAGE_LEN];
    if (!msg) /* the region's message is built here even if the caller wants none */
        msg_init(&m, scratch, sizeof(scratch));
    struct bpfhook_shared *s = region;
    struct bpfhook_decl decl;
    uint32_t decl_seq = region && region_size >= BPFHOOK_HEADER_SIZE ? SEQ_LOAD(&s->decl_seq) : 0;
    int rc = bpfhook_read_decl(region, region_size, &decl, m.buf, m.cap);
    m.len = 0;
    while (m.len + 1 < m.cap && m.buf[m.len])
        m.len++;
    if (rc == -BPF_EINVAL && region_size >= BPFHOOK_HEADER_SIZE && region && !((uintptr_t)region & 7) &&
        s->magic == BPFHOOK_MAGIC)
        return refuse(s, decl_seq, BPFHOOK_BAD_DECL, &m, rc);
    if (rc)
        return rc;
    struct areas a;
    areas_for(&decl, region_size, &a);

    struct bpf_hook hook;
    struct bpf_ctx_field fields[BPFHOOK_MAX_FIELDS];
    bpfhook_verifier_hook(&decl, &hook, fields);
    struct bpf_verifier_opts opts = {.alloc = alloc};
    struct bpf_verifier_result res;
    if (!prog || bpf_verify(prog, env, &hook, &opts, &res)) {
        if (!prog) {
            msg_str(&m, "no program");
        } else {
            msg_str(&m, "insn ");
            msg_uint(&m, res.insn);
            msg_str(&m, ": ");
            msg_str(&m, res.msg ? res.msg : "rejected");
            msg_str(&m, " [rule ");
            msg_str(&m, bpf_vrule_name(res.rule));
            msg_str(&m, "]");
        }
        return refuse(s, decl_seq, BPFHOOK_REFUSED, &m, -BPF_EINVAL);
    }
    if (prog->len > decl.max_insns) {
        msg_str(&m, "program of ");
        msg_uint(&m, prog->len);
        msg_str(&m, " instructions; the hook takes at most ");
        msg_uint(&m, decl.max_insns);
        return refuse(s, decl_seq, BPFHOOK_REFUSED, &m, -BPF_E2BIG);
    }
    if (prog->nmaps > BPFHOOK_MAX_MAPS) {
        msg_str(&m, "program uses more than 8 maps");
        return refuse(s, decl_seq, BPFHOOK_REFUSED, &m, -BPF_E2BIG);
    }

    /* Lay the maps out and collect the initial bytes of global data. Maps
     * the live program has too (same name and definition) keep their
     * place, so the hooking PD keeps their contents (layout_carried). */
    struct bpfhook_map_entry entries[BPFHOOK_MAX_MAPS];
    zero_bytes(entries, sizeof(entries));
    uint64_t carried[BPFHOOK_MAX_MAPS];
    struct range live_ranges[BPFHOOK_MAX_MAPS];
    uint32_t nranges = 0;
    layout_carried(s, &a, prog, carried, live_ranges, &nranges);
    uint64_t map_bytes, init_at;
    /* first apart from every live map; if that does not fit, around the
     * kept ones only */
    for (int attempt = 0; attempt < 2; attempt++) {
        zero_bytes(entries, sizeof(entries));
        uint32_t placed = 0;
        for (uint32_t i = 0; i < prog->nmaps; i++)
            if (carried[i] != NO_PLACE) {
                entries[i].off = carried[i];
                placed |= 1u << i;
            }
        uint32_t navoid = attempt == 0 ? nranges : 0;
        map_bytes = 0;
        init_at = align8((uint64_t)prog->len * sizeof(struct bpf_insn));
        for (uint32_t i = 0; i < prog->nmaps; i++) {
            const struct bpf_map *map = prog->maps[i];
            struct bpfhook_map_entry *e = &entries[i];
            uint32_t t = map->def.type;
            if (t != BPF_MAP_TYPE_ARRAY && t != BPF_MAP_TYPE_HASH && t != BPF_MAP_TYPE_LRU_HASH &&
                t != BPF_MAP_TYPE_RINGBUF) {
                msg_str(&m, "map '");
                msg_str(&m, map->name);
                msg_str(&m, "': type ");
                msg_uint(&m, t);
                msg_str(&m, " cannot live in a PD hook (array, hash, LRU hash, ring buffer)");
                return refuse(s, decl_seq, BPFHOOK_REFUSED, &m, -BPF_EOPNOTSUPP);
            }
            copy_bytes(e->name, map->name, BPF_MAP_NAME_LEN);
            e->name[BPF_MAP_NAME_LEN - 1] = 0;
            e->def = map->def;
            uint64_t need = align8(bpf_map_mem_size(&map->def));
            if (carried[i] != NO_PLACE) {
                e->off = carried[i];
                if (e->off + need > map_bytes)
                    map_bytes = e->off + need;
                continue; /* its contents stay: no initial data */
            }
            e->off = free_place(entries, prog, placed, need, live_ranges, navoid);
            placed |= 1u << i;
            if (e->off + need > map_bytes)
                map_bytes = e->off + need;
            if (t == BPF_MAP_TYPE_ARRAY) {
                int nonzero = 0;
                for (uint64_t b = 0; b < map->data_len && !nonzero; b++)
                    nonzero = map->data[b] != 0;
                if (nonzero) {
                    e->init_off = init_at;
                    e->init_len = map->data_len;
                    init_at = align8(init_at + map->data_len);
                }
            }
        }
        if (map_bytes <= a.maps_size)
            break;
    }
    if (map_bytes > a.maps_size) {
        msg_str(&m, "maps need ");
        msg_uint(&m, map_bytes);
        msg_str(&m, " bytes; the region has ");
        msg_uint(&m, a.maps_size);
        return refuse(s, decl_seq, BPFHOOK_REFUSED, &m, -BPF_E2BIG);
    }
    if (init_at > a.staging_size) {
        msg_str(&m, "initial global data does not fit the staging area");
        return refuse(s, decl_seq, BPFHOOK_REFUSED, &m, -BPF_E2BIG);
    }

    uint8_t *staging = (uint8_t *)region + a.staging_off;
    copy_bytes(staging, prog->insns, (size_t)prog->len * sizeof(struct bpf_insn));
    for (uint32_t i = 0; i < prog->nmaps; i++)
        if (entries[i].init_len)
            copy_bytes(staging + entries[i].init_off, prog->maps[i]->data, entries[i].init_len);
    copy_bytes(s->offer_maps, entries, sizeof(entries));
    s->offer_ninsns = prog->len;
    s->offer_nmaps = prog->nmaps;
    zero_bytes(s->offer_prog, BPFHOOK_NAME_LEN);
    const char *pname = prog->section ? prog->section : (prog->name ? prog->name : "");
    for (uint32_t i = 0; i + 1 < BPFHOOK_NAME_LEN && pname[i]; i++)
        s->offer_prog[i] = pname[i];
    msg_str(&m, "offered ");
    msg_uint(&m, prog->len);
    msg_str(&m, " instructions, ");
    msg_uint(&m, prog->nmaps);
    msg_str(&m, " maps");
    zero_bytes(s->message, sizeof(s->message));
    copy_bytes(s->message, m.buf, m.len < BPFHOOK_MESSAGE_LEN ? m.len : BPFHOOK_MESSAGE_LEN - 1);
    s->status = BPFHOOK_OFFERED;
    s->served_decl_seq = decl_seq;
    SEQ_STORE(&s->offer_seq, SEQ_LOAD(&s->offer_seq) + 1);
    return 0;
}

int bpfhook_offer_detach(void *region, uint64_t region_size, char *msg, size_t msg_len)
{
    struct msgbuf m;
    char scratch[BPFHOOK_MESSAGE_LEN];
    msg_init(&m, msg ? msg : scratch, msg ? msg_len : sizeof(scratch));
    struct bpfhook_decl decl;
    int rc = bpfhook_read_decl(region, region_size, &decl, m.buf, m.cap);
    if (rc)
        return rc;
    struct bpfhook_shared *s = region;
    msg_str(&m, "detach offered");
    zero_bytes(s->message, sizeof(s->message));
    copy_bytes(s->message, m.buf, m.len < BPFHOOK_MESSAGE_LEN ? m.len : BPFHOOK_MESSAGE_LEN - 1);
    s->offer_ninsns = 0;
    s->offer_nmaps = 0;
    zero_bytes(s->offer_prog, BPFHOOK_NAME_LEN);
    s->status = BPFHOOK_DETACH;
    s->served_decl_seq = SEQ_LOAD(&s->decl_seq);
    SEQ_STORE(&s->offer_seq, SEQ_LOAD(&s->offer_seq) + 1);
    return 0;
}
