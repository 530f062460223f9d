/* The parser's element helpers, for hypOS's own elements parsed outside
 * sdf.c (trace.c): an element with its source position, attribute
 * lookups and the checks every attribute gets. */
#pragma once
#include "sdf.h"
#include <libxml/tree.h>

typedef struct elem {
    xmlNode *node;
    size_t off;
    loc_t loc;
} elem_t;

/* position of an attribute (or of the element when it has none) */
loc_t aloc(const elem_t *e, const char *name);
/* malloc'd value or NULL */
char *attr(const elem_t *e, const char *name);
/* the value, or an error naming the missing attribute */
char *need(const elem_t *e, const char *name);
/* every attribute must be in allowed (NULL-terminated); namespaced ones are skipped */
void only_attrs(const elem_t *e, const char *const *allowed);
/* a decimal or 0x number (with '_'), or an error at the attribute */
uint64_t num(const elem_t *e, const char *name, const char *v);
bool boolean(const elem_t *e, const char *name, const char *v);

/* hypOS elements (namespace HYPOS_SDF_NS) directly inside <system>:
 * trace rings and hooks (trace.c); trace_reset forgets a previous parse. */
void trace_parse_element(const elem_t *e);
void trace_reset(void);
/* A file named in the description (an absolute path, or one found along
 * the search paths of the parse under way, as prefill_path is): malloc'd
 * path and its length in bytes, or NULL. */
char *sdf_find_file(const char *path, uint64_t *bytes);
