/* Image assembly. The kernel embeds exactly one root task ELF; here that
 * is the initialiser linked with the specification (which carries every
 * PD's data), so one -kernel image holds everything. The commands and
 * flags come from the board directory's `flags` file, written when the
 * SDK was built, so the tool links exactly as the kernel build does. */
#include "image.h"
#include "hypos/microkit_abi.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RAM_SIZE (2ull << 30)
#define ROOT_CNODE_SLOTS 4096
#define MAX_BOOT_UNTYPEDS 230
#define FILLER_SLOTS 64

void image_check_fits(const spec_builder_t *b, uint64_t spec_size)
{
    /* The kernel, its boot data and the initialiser (which holds the
     * specification once in its image) take RAM before the objects do. */
    uint64_t reserved = (32ull << 20) + 2 * spec_size;
    if (b->ram_bytes + reserved > RAM_SIZE)
        fail("the system's objects need %llu MiB of RAM, more than the %llu MiB qemu_virt_riscv64 has left "
             "after the kernel and the initialiser",
             (unsigned long long)(b->ram_bytes >> 20), (unsigned long long)((RAM_SIZE - reserved) >> 20));
    uint64_t image_pages = (spec_size >> 12) + 128;
    uint64_t free_slots = ROOT_CNODE_SLOTS - 16 - 64 - image_pages - MAX_BOOT_UNTYPEDS - FILLER_SLOTS;
    if (image_pages + 16 + 64 + MAX_BOOT_UNTYPEDS + FILLER_SLOTS > ROOT_CNODE_SLOTS ||
        (uint64_t)b->n_objs + b->n_extra > free_slots)
        fail("the system needs %u capability slots in the initialiser, which has about %llu: fewer pages or PDs",
             b->n_objs + b->n_extra, (unsigned long long)free_slots);
}

static char flags_cross[256], flags_user[2048], flags_kernel[2048];

static void read_flags(const char *board_dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/elf/flags", board_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        fail("cannot read '%s': the SDK is incomplete", path);
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (!strncmp(line, "cross=", 6))
            snprintf(flags_cross, sizeof flags_cross, "%.200s", line + 6);
        else if (!strncmp(line, "user=", 5))
            snprintf(flags_user, sizeof flags_user, "%s", line + 5);
        else if (!strncmp(line, "kernel=", 7))
            snprintf(flags_kernel, sizeof flags_kernel, "%s", line + 7);
    }
    fclose(f);
    const char *env = getenv("CROSS");
    if (env)
        snprintf(flags_cross, sizeof flags_cross, "%.200s", env);
}

/* Runs a command given as words; words with spaces are split (flags). */
static void run(const char *const *words)
{
    char *argv[256];
    int n = 0;
    static char store[16384];
    size_t used = 0;
    for (const char *const *w = words; *w; w++) {
        if (!**w)
            continue;
        bool split = w[0][0] == '\x01';
        const char *s = split ? *w + 1 : *w;
        size_t len = strlen(s) + 1;
        if (used + len > sizeof store || n >= 254)
            fail("command line too long");
        char *copy = memcpy(store + used, s, len);
        used += len;
        if (!split) {
            argv[n++] = copy;
            continue;
        }
        for (char *tok = strtok(copy, " \t"); tok; tok = strtok(NULL, " \t"))
            if (n < 254)
                argv[n++] = tok;
    }
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        fail("fork: %s", strerror(errno));
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "microkit: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st)) {
        fprintf(stderr, "microkit: command failed:");
        for (int i = 0; i < n; i++)
            fprintf(stderr, " %s", argv[i]);
        fputc('\n', stderr);
        exit(1);
    }
}

void image_build(const char *board_dir, const char *output, const uint8_t *spec, uint64_t size)
{
    read_flags(board_dir);
    char dir[PATH_MAX], p_spec[PATH_MAX + 32], p_asm[PATH_MAX + 32], p_obj[PATH_MAX + 32], p_init[PATH_MAX + 32],
        p_emb[PATH_MAX + 32], p_root[PATH_MAX + 32], gcc[300], objcopy[300], def[PATH_MAX + 64], e[6][PATH_MAX];
    snprintf(dir, sizeof dir, "%s.build", output);
    if (mkdir(dir, 0777) && errno != EEXIST)
        fail("cannot create '%s': %s", dir, strerror(errno));
    snprintf(p_spec, sizeof p_spec, "%s/spec.bin", dir);
    snprintf(p_asm, sizeof p_asm, "%s/spec.S", dir);
    snprintf(p_obj, sizeof p_obj, "%s/spec.o", dir);
    snprintf(p_init, sizeof p_init, "%s/initialiser.elf", dir);
    snprintf(p_emb, sizeof p_emb, "%s/initialiser.embedded", dir);
    snprintf(p_root, sizeof p_root, "%s/rootimage.o", dir);
    FILE *f = fopen(p_spec, "wb");
    if (!f || fwrite(spec, 1, size, f) != size || fclose(f))
        fail("cannot write '%s'", p_spec);
    f = fopen(p_asm, "w");
    if (!f)
        fail("cannot write '%s'", p_asm);
    fprintf(f,
            "/* generated by microkit: the system specification */\n"
            ".section .rodata.hypos_spec, \"a\"\n.balign 4096\n.global hypos_spec\nhypos_spec:\n"
            ".incbin \"%s\"\n.global hypos_spec_end\nhypos_spec_end:\n",
            p_spec);
    fclose(f);
    snprintf(gcc, sizeof gcc, "%sgcc", flags_cross);
    snprintf(objcopy, sizeof objcopy, "%sobjcopy", flags_cross);
    char uflags[2100], kflags[2100];
    snprintf(uflags, sizeof uflags, "\x01%s", flags_user);
    snprintf(kflags, sizeof kflags, "\x01%s", flags_kernel);
    snprintf(e[0], PATH_MAX, "%s/elf/initialiser.o", board_dir);
    snprintf(e[1], PATH_MAX, "-T%s/elf/user.ld", board_dir);
    snprintf(e[2], PATH_MAX, "%s/elf/rootimage.S", board_dir);
    snprintf(e[3], PATH_MAX, "-T%s/elf/kernel.ld", board_dir);
    snprintf(e[4], PATH_MAX, "%s/elf/head.o", board_dir);
    /* a system with a domain schedule boots the SDK's kernel with domains */
    const spec_header_t *spec_h = (const spec_header_t *)spec;
    snprintf(e[5], PATH_MAX, "%s/elf/%s", board_dir, spec_h->n_domain_entries ? "kernel-domains.a" : "kernel.a");
    snprintf(def, sizeof def, "-DROOTIMAGE=\"%s\"", p_emb);

    run((const char *const[]){gcc, uflags, "-c", p_asm, "-o", p_obj, NULL});
    run((const char *const[]){gcc, uflags, "-nostartfiles", "-static", e[1], "-o", p_init, e[0], p_obj, NULL});
    run((const char *const[]){objcopy, "--strip-debug", p_init, p_emb, NULL});
    run((const char *const[]){gcc, kflags, def, "-c", e[2], "-o", p_root, NULL});
    run((const char *const[]){gcc, kflags, e[3], "-Wl,--gc-sections", "-Wl,--no-warn-rwx-segments", "-o", output, e[4],
                              p_root, e[5], "-lgcc", NULL});
}
