/* Lays a checked system out as kernel objects, capabilities, mappings,
 * interrupts and threads (the specification the initialiser carries out). */
#pragma once
#include "hypos/spec.h"
#include "sdf.h"
#include <stdio.h>

/* Where an object comes from, for errors and the report: the element of
 * the system file (line 0: the monitor or the initialiser) and what it is;
 * frames of one memory region share mr (else -1), and are placed together. */
typedef struct obj_origin {
    loc_t loc;
    const char *what;
    int mr;
} obj_origin_t;

typedef struct spec_builder {
    spec_object_t *objs;
    uint32_t n_objs;
    uint32_t n_extra;
    spec_cap_t *caps;
    uint32_t n_caps;
    spec_map_t *maps;
    uint32_t n_maps;
    spec_fill_t *fills;
    uint32_t n_fills;
    spec_irq_t *irqs;
    uint32_t n_irqs;
    spec_tcb_t *tcbs;
    uint32_t n_tcbs;
    spec_domain_entry_t *domain_entries;
    uint32_t n_domain_entries;
    uint64_t domain_start;
    char *names;
    uint32_t names_len;
    uint8_t *data;
    uint64_t data_len;
    uint64_t ram_bytes;
    uint32_t window_pts[2];
    obj_origin_t *origins; /* one per object */
    /* setvar region_paddr of regions without phys_addr: 8 bytes of the
     * data area that get the region's address once it is placed */
    struct late_paddr {
        uint64_t data_off;
        uint32_t first_frame;
    } * late;
    int n_late;
    char **origin_texts;
    int n_origin_texts;
    /* boot measurements (measure.h): what the initialiser hashes, and the
     * frames of the region it writes them into (none: nothing measured) */
    spec_measure_t *measures;
    uint32_t n_measures;
    uint32_t bootlog_frames[SPEC_BOOTLOG_MAX_FRAMES];
    uint32_t n_bootlog_frames;
    /* filled in by replay_place: the boot untyped list and filler count */
    spec_untyped_t untypeds[SPEC_MAX_UNTYPEDS];
    uint32_t n_untypeds, n_fillers;
} spec_builder_t;

/* Lays out the system plus its monitor (program at monitor_path). */
void layout_system(sdf_system_t *sys, const char *monitor_path, spec_builder_t *b, FILE *report);
void spec_builder_free(spec_builder_t *b);
/* Bytes an object takes in its untyped (and its alignment there). */
uint64_t spec_object_bytes(uint32_t type, uint32_t bits);
/* The kind of an object, in words. */
const char *spec_object_kind(uint32_t type);
/* Writes the placed regions' addresses into the data (after replay_place). */
void layout_late_patches(spec_builder_t *b);
/* Serialises the specification; returns a malloc'd buffer. */
uint8_t *spec_serialise(spec_builder_t *b, uint64_t *size);
