/* The bpf PD: loads the eBPF objects the system was built with, and
 * answers PD hook declarations by verifying the programs written for them
 * and offering the accepted ones (hypos/bpfhook.h). Nothing it refuses
 * ever runs; each refusal is printed with the verifier's reason and
 * recorded in the hook's region, and the system runs on.
 *
 * Configuration, through variables the system builder sets: a map of a
 * memory region into this PD with setvar_vaddr="bpf_objectN" (N = 0..7)
 * and setvar_size="bpf_objectN_size" hands it an object (a region
 * prefilled with a clang -target bpf file); one with setvar_vaddr=
 * "bpf_hookN", setvar_size="bpf_hookN_size" is the region of a PD hook.
 * A .system file writes these maps itself or lets the tool write them
 * from <hypos:bpf_object> and <hypos:pd_hook> (docs/bpf-system.md). Programs are
 * matched to hooks by section: SEC("pdhook/<hook name>"). Any
 * notification (a hooking PD has declared or re-declared) makes the PD
 * look at every hook region again. */
#include <microkit.h>
#include <hypos/bpfhook.h>
#include <bpf/verifier.h>
#include "installed.h"
#include "trace.h"

#define MAX_OBJECTS 8
#define MAX_HOOKS 8

#define SETVAR(name) __attribute__((section(".data"))) seL4_Word name = 0
SETVAR(bpf_object0);
SETVAR(bpf_object0_size);
SETVAR(bpf_object1);
SETVAR(bpf_object1_size);
SETVAR(bpf_object2);
SETVAR(bpf_object2_size);
SETVAR(bpf_object3);
SETVAR(bpf_object3_size);
SETVAR(bpf_object4);
SETVAR(bpf_object4_size);
SETVAR(bpf_object5);
SETVAR(bpf_object5_size);
SETVAR(bpf_object6);
SETVAR(bpf_object6_size);
SETVAR(bpf_object7);
SETVAR(bpf_object7_size);
SETVAR(bpf_hook0);
SETVAR(bpf_hook0_size);
SETVAR(bpf_hook1);
SETVAR(bpf_hook1_size);
SETVAR(bpf_hook2);
SETVAR(bpf_hook2_size);
SETVAR(bpf_hook3);
SETVAR(bpf_hook3_size);
SETVAR(bpf_hook4);
SETVAR(bpf_hook4_size);
SETVAR(bpf_hook5);
SETVAR(bpf_hook5_size);
SETVAR(bpf_hook6);
SETVAR(bpf_hook6_size);
SETVAR(bpf_hook7);
SETVAR(bpf_hook7_size);

static const seL4_Word *const object_vaddr[MAX_OBJECTS] = {&bpf_object0, &bpf_object1, &bpf_object2, &bpf_object3,
                                                           &bpf_object4, &bpf_object5, &bpf_object6, &bpf_object7};
static const seL4_Word *const object_size[MAX_OBJECTS] = {&bpf_object0_size, &bpf_object1_size, &bpf_object2_size,
                                                          &bpf_object3_size, &bpf_object4_size, &bpf_object5_size,
                                                          &bpf_object6_size, &bpf_object7_size};
static const seL4_Word *const hook_vaddr[MAX_HOOKS] = {&bpf_hook0, &bpf_hook1, &bpf_hook2, &bpf_hook3,
                                                       &bpf_hook4, &bpf_hook5, &bpf_hook6, &bpf_hook7};
static const seL4_Word *const hook_size[MAX_HOOKS] = {&bpf_hook0_size, &bpf_hook1_size, &bpf_hook2_size,
                                                      &bpf_hook3_size, &bpf_hook4_size, &bpf_hook5_size,
                                                      &bpf_hook6_size, &bpf_hook7_size};

/* Loaded objects stay for the PD's life: a re-declared hook (a restarted
 * PD) gets its program offered again. The verifier's memory comes from
 * the same arena and is all returned after each verification. */
static uint8_t arena_mem[2 << 20] __attribute__((aligned(16)));
static struct bpf_arena arena;
static struct bpf_allocator alloc;
static struct bpf_env env;
static struct bpf_object *objects[MAX_OBJECTS];
static uint32_t served_decl[MAX_HOOKS]; /* the declaration each hook region was last answered for */
static char served_name[MAX_HOOKS][BPFHOOK_NAME_LEN];
static uint8_t reoffer_pending[MAX_HOOKS]; /* the control agent's program is to be offered again */

static void put_uint(uint64_t v)
{
    char buf[21];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(buf[--n]);
}

static void print_env(void *hctx, const char *buf, size_t len)
{
    (void)hctx;
    for (size_t i = 0; i < len; i++)
        microkit_dbg_putc(buf[i]);
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

static int str_equal(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void load_objects(void)
{
    for (int i = 0; i < MAX_OBJECTS; i++) {
        if (!*object_vaddr[i])
            continue;
        struct bpf_load_error err;
        microkit_dbg_puts("bpf: object ");
        put_uint(i);
        if (bpf_object_load(&objects[i], (const void *)*object_vaddr[i], *object_size[i], &env, &alloc, &err)) {
            objects[i] = NULL;
            microkit_dbg_puts(" not loaded: [");
            microkit_dbg_puts(err.section);
            microkit_dbg_puts("]+");
            put_uint(err.offset);
            microkit_dbg_puts(": ");
            microkit_dbg_puts(err.reason);
            microkit_dbg_puts("\n");
            continue;
        }
        microkit_dbg_puts(": ");
        put_uint(bpf_object_prog_count(objects[i]));
        microkit_dbg_puts(" programs, ");
        put_uint(bpf_object_map_count(objects[i]));
        microkit_dbg_puts(" maps\n");
    }
}

static void hook_says(const char *name, const char *what)
{
    microkit_dbg_puts("bpf: hook '");
    microkit_dbg_puts(name);
    microkit_dbg_puts("': ");
    microkit_dbg_puts(what);
}

/* Answer one hook region's current declaration: offer the first program
 * for it that passes the verifier, printing every refusal. */
static void serve_hook(int h)
{
    void *region = (void *)*hook_vaddr[h];
    uint64_t size = *hook_size[h];
    const struct bpfhook_shared *s = region;
    if (size < BPFHOOK_HEADER_SIZE || s->magic != BPFHOOK_MAGIC)
        return;
    uint32_t seq = __atomic_load_n(&s->decl_seq, __ATOMIC_ACQUIRE);
    if (seq == 0 || seq == served_decl[h])
        return;
    served_decl[h] = seq;
    served_name[h][0] = 0;
    struct bpfhook_decl decl;
    char msg[BPFHOOK_MESSAGE_LEN];
    int rc = bpfhook_read_decl(region, size, &decl, msg, sizeof(msg));
    if (rc == 0) {
        for (int o = 0; o < MAX_HOOKS; o++) {
            if (o != h && str_equal(served_name[o], decl.name)) {
                microkit_dbg_puts("bpf: hook region ");
                put_uint(h);
                microkit_dbg_puts(": hook name '");
                microkit_dbg_puts(decl.name);
                microkit_dbg_puts("' is already declared in hook region ");
                put_uint(o);
                microkit_dbg_puts("\n");
                return;
            }
        }
    }
    if (rc == -BPF_EINVAL) {
        bpfhook_offer(region, size, NULL, &env, &alloc, NULL, 0); /* records the refusal in the region */
        microkit_dbg_puts("bpf: hook region ");
        put_uint(h);
        microkit_dbg_puts(": declaration refused: ");
        microkit_dbg_puts(msg);
        microkit_dbg_puts("\n");
        return;
    }
    if (rc)
        return;
    for (int i = 0; i < BPFHOOK_NAME_LEN; i++)
        served_name[h][i] = decl.name[i];
    /* a restarted hooking PD gets what the control agent installed
     * (serve_hooks offers it: loading an object takes most of the stack,
     * so not from inside this frame) */
    if (installed_find(decl.name)) {
        reoffer_pending[h] = 1;
        return;
    }
    int candidates = 0;
    for (int o = 0; o < MAX_OBJECTS; o++) {
        if (!objects[o])
            continue;
        for (uint32_t p = 0; p < bpf_object_prog_count(objects[o]); p++) {
            struct bpf_prog *prog = bpf_object_prog_at(objects[o], p);
            const char *sec = prog->section ? prog->section : "";
            if (!starts_with(sec, BPFHOOK_SECTION_PREFIX) || !str_equal(sec + 7, decl.name))
                continue;
            candidates++;
            rc = bpfhook_offer(region, size, prog, &env, &alloc, msg, sizeof(msg));
            hook_says(decl.name, "program '");
            microkit_dbg_puts(prog->name ? prog->name : sec);
            microkit_dbg_puts("' of object ");
            put_uint(o);
            microkit_dbg_puts(rc ? " refused: " : " verified and ");
            microkit_dbg_puts(msg);
            microkit_dbg_puts("\n");
            if (rc == 0) {
                __atomic_store_n(&((struct bpfhook_shared *)region)->offer_tag, 0, __ATOMIC_RELEASE);
                return;
            }
        }
    }
    hook_says(decl.name, candidates ? "no program accepted; nothing runs\n" : "declared; no program for it\n");
}

/* The region of the hook named name (declared and answered), for
 * control requests (control.c). */
int bpf_pd_hook_region(const char *name, void **region, uint64_t *size)
{
    for (int h = 0; h < MAX_HOOKS; h++) {
        if (*hook_vaddr[h] && served_name[h][0] && str_equal(served_name[h], name)) {
            *region = (void *)*hook_vaddr[h];
            *size = *hook_size[h];
            return 0;
        }
    }
    return -1;
}

const struct bpf_env *bpf_pd_env(void) { return &env; }

static void serve_hooks(void)
{
    for (int h = 0; h < MAX_HOOKS; h++) {
        if (!*hook_vaddr[h])
            continue;
        serve_hook(h);
        if (reoffer_pending[h]) {
            reoffer_pending[h] = 0;
            bpf_control_reoffer((void *)*hook_vaddr[h], *hook_size[h], served_name[h]);
        }
    }
}

void init(void)
{
    bpf_arena_init(&arena, arena_mem, sizeof(arena_mem));
    bpf_arena_allocator(&arena, &alloc);
    struct bpf_hooks hooks = {.print = print_env};
    bpf_env_init(&env, &hooks, NULL);
    bpfhook_register_helpers(&env); /* the helpers hooking PDs offer, to verify against */
    load_objects();
    serve_hooks();
    trace_init(objects, MAX_OBJECTS, &env, &alloc, &arena);
    trace_drain();
}

void notified(microkit_channel ch)
{
    (void)ch;
    serve_hooks();
    trace_drain();
}
