/* The control agent's changes to PD hooks, kept so that a hooking PD that
 * restarts (its fault handler or the monitor restarts it, and it declares
 * its hook again) runs what the agent installed, not the program the
 * image was built with: the object's bytes as the agent sent them (after
 * its admission checks), which the bpf PD loads, verifies against the new
 * declaration and offers again (control.c). Kernel trace hooks need
 * nothing here: their programs run in this PD, whose restart starts it
 * afresh from its image. */
#include "installed.h"

#define MAX_KEPT 8 /* one per PD hook region (main.c's MAX_HOOKS) */

static struct installed_prog kept[MAX_KEPT];

static int same_name(const char *a, const char *b)
{
    uint32_t i = 0;
    while (i + 1 < 32 && a[i] && a[i] == b[i])
        i++;
    return a[i] == b[i] || i + 1 == 32;
}

static void copy_name(char *dst, const char *src)
{
    uint32_t i = 0;
    for (; i + 1 < 32 && src[i]; i++)
        dst[i] = src[i];
    for (; i < 32; i++)
        dst[i] = 0;
}

static struct installed_prog *slot_for(const char *hook)
{
    struct installed_prog *free_slot = 0;
    for (int i = 0; i < MAX_KEPT; i++) {
        if (kept[i].state && same_name(kept[i].hook, hook))
            return &kept[i];
        if (!kept[i].state && !free_slot)
            free_slot = &kept[i];
    }
    return free_slot;
}

int installed_keep(const char *hook, const char *want, const uint8_t *object, uint64_t len, uint32_t tag)
{
    struct installed_prog *k = slot_for(hook);
    if (!k)
        return -1;
    if (len > INSTALLED_OBJECT_MAX) {
        k->state = 0; /* the image's program comes back after a restart */
        return -1;
    }
    for (uint64_t i = 0; i < len; i++)
        k->object[i] = object[i];
    k->len = len;
    k->tag = tag;
    copy_name(k->hook, hook);
    copy_name(k->want, want);
    k->state = INSTALLED_PROGRAM;
    return 0;
}

void installed_detached(const char *hook)
{
    struct installed_prog *k = slot_for(hook);
    if (!k)
        return;
    copy_name(k->hook, hook);
    k->len = 0;
    k->tag = 0;
    k->state = INSTALLED_DETACHED;
}

const struct installed_prog *installed_find(const char *hook)
{
    for (int i = 0; i < MAX_KEPT; i++)
        if (kept[i].state && same_name(kept[i].hook, hook))
            return &kept[i];
    return 0;
}
