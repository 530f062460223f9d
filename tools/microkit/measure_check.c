/* The boot log region's rules (measure.h), apart from the rest of the
 * boot measurement code so that the parser's fuzzer runs them without
 * libs/bundle's code (only its header's sizes). */
#include "measure.h"
#include <hypos/bootlog.h>
#include <string.h>

int measure_region(const sdf_system_t *sys)
{
    for (int i = 0; i < sys->n_mrs; i++)
        if (sys->mrs[i].boot_log)
            return i;
    return -1;
}

void measure_check(const sdf_system_t *sys)
{
    int r = measure_region(sys);
    if (r < 0)
        return;
    const sdf_mr_t *m = &sys->mrs[r];
    for (int i = r + 1; i < sys->n_mrs; i++)
        if (sys->mrs[i].boot_log)
            fail_at(sys->mrs[i].boot_log_loc, "a second boot log region '%s' (the first is '%s', line %d)",
                    sys->mrs[i].name, m->name, m->loc.line);
    if (m->prefill)
        fail_at(m->boot_log_loc, "boot log region '%s' has a prefill_path: the initialiser writes it", m->name);
    if (m->fixed)
        fail_at(m->boot_log_loc, "boot log region '%s' has a phys_addr: it must be RAM the tool places", m->name);
    if (m->page_size != 0x1000)
        fail_at(m->boot_log_loc, "boot log region '%s' must have 4 KiB pages (page_size=\"0x1000\")", m->name);
    /* kernel, specification, every PD and the monitor */
    uint64_t need = HB_BOOTLOG_HEADER + ((uint64_t)sys->n_pds + 3) * HB_MLOG_ENTRY_ENCODED;
    if (m->size < need || m->size > SPEC_BOOTLOG_MAX_FRAMES * 0x1000ull)
        fail_at(m->size_loc, "boot log region '%s' of 0x%llx bytes: %d PDs need 0x%llx (at most 0x%x, %d pages)",
                m->name, (unsigned long long)m->size, sys->n_pds, (unsigned long long)need,
                SPEC_BOOTLOG_MAX_FRAMES * 0x1000, SPEC_BOOTLOG_MAX_FRAMES);
    /* the log keeps 31 characters of a name: hyposctl attest --expect
     * tells PDs apart by them */
    for (int i = 0; i < sys->n_pds; i++)
        for (int j = 0; j < i; j++)
            if (!strncmp(sys->pds[i].name, sys->pds[j].name, HB_NAME_FIELD - 1))
                fail_at(sys->pds[i].loc,
                        "'%s' and '%s' have the same first %u characters: the boot log keeps only those of a PD's name",
                        sys->pds[j].name, sys->pds[i].name, HB_NAME_FIELD - 1);
    for (int i = 0; i < sys->n_pds; i++)
        for (int k = 0; k < sys->pds[i].n_maps; k++) {
            const sdf_map_t *mp = &sys->pds[i].maps[k];
            if (mp->mr == r && (mp->perms & (PERM_W | PERM_X)))
                fail_at(mp->loc,
                        "'%s' maps the boot log region '%s' with perms other than \"r\": no PD may change the boot "
                        "measurements",
                        sys->pds[i].name, m->name);
        }
}
