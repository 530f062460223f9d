/* What the control agent installed in each PD hook (installed.c). */
#pragma once
#include <stdint.h>

/* The largest object kept: the largest the agent takes (48 KiB, a
 * bundle's header and signature included). */
#define INSTALLED_OBJECT_MAX (48 * 1024)

enum { INSTALLED_PROGRAM = 1, INSTALLED_DETACHED = 2 };

struct installed_prog {
    uint32_t state; /* 0: the slot is free */
    uint32_t tag;   /* the agent's id of the program */
    uint64_t len;
    char hook[32];
    char want[32]; /* the program asked for by name, "" for the hook's section */
    uint8_t object[INSTALLED_OBJECT_MAX];
};

/* Remember that the agent's program (the object's bytes) now runs in
 * hook; 0, or -1 when it does not fit (then nothing is remembered for
 * hook: a restart brings the image's program back). */
int installed_keep(const char *hook, const char *want, const uint8_t *object, uint64_t len, uint32_t tag);

/* Remember that the agent detached hook's program. */
void installed_detached(const char *hook);

/* What the agent installed in hook, or NULL (nothing: the image's
 * programs apply). */
const struct installed_prog *installed_find(const char *hook);

/* main.c: hook was declared anew in region (its PD restarted): offer the
 * agent's program again, or nothing if the agent detached it. Returns 1
 * when the agent changed the hook before (handled), 0 when the image's
 * programs apply. In control.c, which loads objects for the agent. */
int bpf_control_reoffer(void *region, uint64_t size, const char *hook);
