/* The bpf PD's objects and PD hook points declared in a .system file
 * (hypOS elements <hypos:bpf_object> and <hypos:pd_hook>,
 * docs/bpf-system.md): each element becomes the maps Microkit's schema
 * would need (setvar bpf_objectN / bpf_hookN in the bpf PD), added before
 * the rest of the file is checked, so every rule for maps holds for them. */
#pragma once
#include "sdf.h"
#include "sdf_xml.h"
#include <stdio.h>

/* One <hypos:pd_hook>, once resolved (bpfpd_expand). */
typedef struct bpfpd_hook {
    char *name, *pd_name, *mr_name, *bpf_pd_name;
    int pd, bpf_pd, mr; /* indices into the system */
    int index;          /* N of bpf_hookN in the bpf PD */
    loc_t loc, name_loc, pd_loc, mr_loc, bpf_pd_loc;
} bpfpd_hook_t;

/* Parses <hypos:bpf_object> and <hypos:pd_hook>; false for any other
 * element (left to the other hypOS elements). */
bool bpfpd_parse_element(const elem_t *e);
/* Forgets a previous parse. */
void bpfpd_reset(void);
/* Resolves names, checks the elements' own rules and adds their regions
 * and maps to the system. Called by sdf_check before it checks maps;
 * loads the program images it needs into pd->elf (left NULL when one
 * does not load, for sdf_check to report). */
void bpfpd_expand(sdf_system_t *sys);

/* The hooks declared with <hypos:pd_hook> (after bpfpd_expand). */
int bpfpd_hook_count(void);
const bpfpd_hook_t *bpfpd_hook_at(int i);
/* The element that declares hook `name`, or NULL. */
const bpfpd_hook_t *bpfpd_hook_named(const char *name);

/* One line per element in the report: the region, the variable and the
 * addresses the tool chose. */
void bpfpd_report(const sdf_system_t *sys, FILE *report);
